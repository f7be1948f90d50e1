#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace vireo {

// A compact sequence of (key, value) byte-string pairs in one heap block, the
// form a small hash takes (Redis calls it "listpack"; so does OBJECT
// ENCODING):
//
//   [used bytes u32][pairs u32][key len varint][key][value len varint][value]...
//
// Why not Listpack: a hash only ever walks forwards, so it needs neither the
// back-length Listpack gives every element nor its 16-byte header, and both
// matter when millions of small hashes each hold a dozen short strings (Redis
// 7.0's own memory per hash is the bar). The block is sized to fit, as
// Redis's listpack is: the allocator's rounding is the only slack.
//
// Positions are byte offsets of a pair's key, valid until the next change.
class PairPack {
 public:
  using Pos = uint32_t;
  // The most data bytes a pack holds; a caller converts to another form
  // before passing it (fits() says when).
  static constexpr size_t kMaxBytes = size_t{1} << 30;

  PairPack() = default;
  ~PairPack();
  PairPack(const PairPack& other);
  PairPack& operator=(const PairPack&) = delete;
  PairPack(PairPack&& other) noexcept : block_(other.block_) { other.block_ = nullptr; }
  PairPack& operator=(PairPack&& other) noexcept;

  // Pairs held.
  size_t size() const { return block_ ? header()->pairs : 0; }
  bool empty() const { return size() == 0; }
  // Bytes allocated.
  size_t memory_usage() const;
  // Whether adding `extra` bytes of keys and values keeps it under kMaxBytes.
  bool fits(size_t extra) const;

  Pos begin_pos() const { return 0; }
  Pos end_pos() const { return block_ ? header()->used : 0; }
  // The pair after the one at `p`.
  Pos next(Pos p) const;
  std::string_view key_at(Pos p) const;
  std::string_view value_at(Pos p) const;
  // The position of the pair whose key is `key`, or end_pos().
  Pos find(std::string_view key) const;

  // Appends a pair (the key must be absent). Neither view may point into
  // this pack.
  void append(std::string_view key, std::string_view value);
  // Replaces the value of the pair at `p`; returns its (unchanged) position.
  Pos set_value(Pos p, std::string_view value);
  // Removes the pair at `p`.
  void erase(Pos p);

 private:
  struct Header {
    uint32_t used;
    uint32_t pairs;
  };
  Header* header() const { return reinterpret_cast<Header*>(block_); }
  unsigned char* data() const { return block_ + sizeof(Header); }
  // Resizes the block to hold `used` data bytes.
  void resize(size_t used);

  unsigned char* block_ = nullptr;
};

}  // namespace vireo
