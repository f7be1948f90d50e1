#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>
#include <type_traits>
#include <utility>

#include "core/entry.h"
#include "core/fn_ref.h"
#include "core/types/container.h"

namespace vireo {

class ZSkiplist;

// The value of a sorted-set key: members (byte strings) each with a double
// score, ordered by (score, member bytes).
//
// Small sets use a packed encoding (reported as Redis's "listpack"): one heap
// block of pairs, each [head][member bytes], where the head is a single byte
// for a member under 8 bytes with an integer score 0-15, and otherwise a
// length and a score code: one byte for an integer score in [-120, 119], a
// tag plus 1-7 bytes for larger integers, a tag plus 8 bytes otherwise.
// Not core/types/listpack.h, on purpose: its 16-byte header and per-element
// back-lengths, with member and score as two elements, make a 10-member set
// cost 96 allocated bytes instead of 32 here, which is the difference between
// more and less memory than Redis for many small sorted sets. Without
// back-lengths the block walks forward only; reverse walks collect positions
// first, which is cheap at packed sizes.
//
// Past zset-max-listpack-entries members, or for a member longer than
// zset-max-listpack-value bytes, it converts (one way, as Redis) to a skiplist
// with spans plus a member index (see zset_value.cpp).
//
// Ranks are 0-based in ascending order; range operations take half-open rank
// intervals [from, to).
class ZSetValue : public ContainerOf<ZSetValue> {
 public:
  static constexpr ValueType kType = ValueType::kZSet;

  explicit ZSetValue(const ContainerLimits& limits);
  ZSetValue(const ZSetValue&) = delete;
  ZSetValue(ZSetValue&& other) noexcept;
  ZSetValue& operator=(const ZSetValue&) = delete;
  ~ZSetValue() override;

  std::unique_ptr<Container> clone() const override;
  size_t size() const override;
  size_t memory_usage() const override;
  std::string_view encoding() const override;
  bool packed() const { return (rep_ & kSkiplistTag) == 0; }

  // Converts an empty set to the full encoding when `elements` members, or one
  // of `max_member_len` bytes, would not fit the packed one (Redis sizes a new
  // set from the command's arguments this way).
  void presize(size_t elements, size_t max_member_len, const ContainerLimits& limits);
  // Converts to the full encoding for good (no-op when already there): SORT
  // does this to its source, as Redis does.
  void convert_to_skiplist();

  std::optional<double> score(std::string_view member) const;
  std::optional<size_t> rank(std::string_view member) const;
  // The member and score at `rank` (< size()); the view lives until the next change.
  std::pair<std::string_view, double> at_rank(size_t rank) const;

  // Adds `member` or changes its score; returns true when it is new. Converts
  // to the full encoding when the limits say so.
  bool set(std::string_view member, double score, const ContainerLimits& limits);
  // Looks `member` up once and stores the score `decide` returns for it, given
  // the current score (nothing when absent); a `decide` that returns nothing
  // leaves the set as it was. Returns true when the member was added. Converts
  // to the full encoding when the limits say so. (ZADD's NX/XX/GT/LT/INCR
  // rules in one lookup instead of a read then a write.)
  using Decision = FnRef<std::optional<double>(std::optional<double>)>;
  bool upsert(std::string_view member, Decision decide, const ContainerLimits& limits);
  // Removes `member`; returns whether it was there.
  bool erase(std::string_view member);
  // Removes the members ranked [from, to).
  void erase_ranks(size_t from, size_t to);

  // Members whose score is below `score` (or at most `score` when `or_equal`):
  // a score range [min, max] covers ranks
  // [count_below(min, min exclusive), count_below(max, max inclusive)).
  size_t count_below(double score, bool or_equal) const;
  // As count_below for members in byte order (meaningful when all scores are
  // equal, as Redis's lex commands assume).
  size_t count_below_member(std::string_view member, bool or_equal) const;

  // Calls `visit(member, score)` for ranks [from, to) in ascending order, or
  // descending when `reverse`. The set must not change meanwhile.
  using Visitor = FnRef<void(std::string_view, double)>;
  void visit(size_t from, size_t to, bool reverse, Visitor visit) const;
  void visit_all(Visitor v) const { visit(0, size(), false, v); }

  // ZSCAN: visits some members from `cursor` on and returns the next cursor
  // (0 when done). The packed encoding visits everything at once, as Redis.
  uint64_t scan(uint64_t cursor, size_t count, Visitor visit) const;

 private:
  // The packed block: [used bytes u32][members u32][pairs...], sized to fit.
  struct PackedHeader {
    uint32_t used;
    uint32_t count;
  };
  static constexpr uintptr_t kSkiplistTag = 1;

  // The packed block (null while empty) or the skip list; by packed().
  unsigned char* block() const { return reinterpret_cast<unsigned char*>(rep_); }
  ZSkiplist* skiplist() const { return reinterpret_cast<ZSkiplist*>(rep_ & ~kSkiplistTag); }
  // The packed pairs and their byte count, member count.
  const unsigned char* pairs() const { return block() + sizeof(PackedHeader); }
  unsigned char* pairs() { return block() + sizeof(PackedHeader); }
  uint32_t used() const { return rep_ ? header()->used : 0; }
  uint32_t count() const { return rep_ ? header()->count : 0; }
  PackedHeader* header() const { return reinterpret_cast<PackedHeader*>(block()); }

  // Packed encoding helpers (zset_value.cpp).
  size_t packed_find(std::string_view member, double* score) const;
  void packed_insert(std::string_view member, double score);
  void packed_erase_bytes(size_t from, size_t to, uint32_t elements);
  size_t packed_offset_of_rank(size_t rank) const;

  // One word, so that the object is 16 bytes with its vtable pointer and an
  // entry holding a small set fits a 48-byte chunk: the packed block's address,
  // or the skip list's with kSkiplistTag set (malloc aligns both).
  uintptr_t rep_ = 0;
};

}  // namespace vireo
