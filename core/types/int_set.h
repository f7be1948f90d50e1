#pragma once

#include <cstddef>
#include <cstdint>

namespace vireo {

// A sorted set of 64-bit integers in one heap block, each stored in the
// narrowest of 2, 4 or 8 bytes that fits the widest member (Redis's intset
// does the same), so that a set of small numbers costs a few bytes per member
// and no capacity slack:
//
//   [count u32][width u32][count values of `width` bytes, ascending]
//
// The block is sized to fit and is null while the set is empty. Adding a
// member that needs a wider slot rewrites the block at the new width; the
// width never shrinks (as in Redis).
class IntSet {
 public:
  IntSet() = default;
  ~IntSet();
  IntSet(const IntSet& other);
  IntSet& operator=(const IntSet&) = delete;
  IntSet(IntSet&& other) noexcept : block_(other.block_) { other.block_ = nullptr; }
  IntSet& operator=(IntSet&& other) noexcept;

  size_t size() const;
  bool empty() const { return size() == 0; }
  // The member at `i` (< size()), in ascending order.
  int64_t at(size_t i) const;
  int64_t front() const { return at(0); }
  int64_t back() const { return at(size() - 1); }
  bool contains(int64_t v) const;
  // Adds `v`; false when it was present.
  bool insert(int64_t v);
  // Removes `v`; false when it was absent.
  bool erase(int64_t v);
  // Frees everything.
  void clear();
  // Bytes allocated.
  size_t memory_usage() const;

 private:
  struct Header {
    uint32_t count;
    uint32_t width;
  };
  Header* header() const { return reinterpret_cast<Header*>(block_); }
  unsigned char* values() const { return block_ + sizeof(Header); }
  size_t width() const { return block_ ? header()->width : 2; }
  // The first index whose member is >= v, and whether it equals v.
  size_t lower_bound(int64_t v, bool* found) const;
  // Resizes the block for `count` members of `width` bytes (members are
  // not moved: callers arrange them).
  void reserve(size_t count, size_t width);
  void put(size_t i, int64_t v);

  unsigned char* block_ = nullptr;
};

}  // namespace vireo
