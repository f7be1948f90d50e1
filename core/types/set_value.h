#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <random>
#include <string_view>
#include <type_traits>
#include <vector>

#include "core/entry.h"
#include "core/fn_ref.h"
#include "core/scan_table.h"
#include "core/types/container.h"
#include "core/types/int_set.h"
#include "core/types/listpack.h"

namespace vireo {

// Visits one member. The view is valid only during the call (intset members
// are formatted into a buffer that the next member reuses).
using MemberVisitor = FnRef<void(std::string_view)>;

// The value of a set key, in one of Redis's three encodings:
//   intset    - an IntSet (sorted, 2/4/8 bytes a member), while every member is a canonical
//               integer and there are at most set-max-intset-entries;
//   listpack  - members in insertion order in one Listpack, while there are at
//               most set-max-listpack-entries of at most set-max-listpack-value
//               bytes (Redis 7.2's compact set; Redis 7.0 goes straight from
//               intset to hashtable, so OBJECT ENCODING differs there);
//   hashtable - a ScanTable of member blocks, so SSCAN keeps Redis's guarantee.
// Conversions only go that way, as in Redis. The limits that decide them are
// passed to add(), so CONFIG SET applies to the next addition.
class SetValue : public ContainerOf<SetValue> {
 public:
  static constexpr ValueType kType = ValueType::kSet;
  enum class Encoding : uint8_t { kIntset, kListpack, kHashtable };

  explicit SetValue(const ContainerLimits& limits);
  ~SetValue() override;
  SetValue(const SetValue& other);
  SetValue(SetValue&& other) noexcept;
  SetValue& operator=(const SetValue&) = delete;

  std::unique_ptr<Container> clone() const override;
  size_t size() const override;
  size_t memory_usage() const override;
  std::string_view encoding() const override;
  Encoding encoding_kind() const { return encoding_; }

  // Adds `member`; false when it was present already.
  bool add(std::string_view member, const ContainerLimits& limits);
  // Removes `member` (which may point into this set); false when absent.
  bool remove(std::string_view member);
  bool contains(std::string_view member) const;

  // Every member once: intsets in ascending order, listpacks in insertion
  // order, hashtables in no particular order. The set must not change meanwhile.
  void for_each(MemberVisitor visit) const;
  // SSCAN: visits members from `cursor` on and returns the next cursor (0 when
  // done). A member present for the whole iteration is visited at least once
  // however the set grows or shrinks in between; compact encodings visit
  // everything at once and return 0, as Redis does.
  uint64_t scan(uint64_t cursor, size_t count, MemberVisitor visit) const;

  // A uniformly chosen member (the set must not be empty). Intset members
  // are formatted into `buf` (kInt64Chars bytes); the view is valid until the
  // set changes.
  std::string_view random_member(std::mt19937_64& rng, char* buf) const;
  // Visits `k` distinct members (k <= size()) in random order.
  void random_distinct(size_t k, std::mt19937_64& rng, MemberVisitor visit) const;
  // Visits `k` members each chosen independently (repeats possible).
  void random_with_repeats(size_t k, std::mt19937_64& rng, MemberVisitor visit) const;

 private:
  // A hashtable member: one malloc'ed block, [u32 length][bytes].
  using Block = const char*;
  struct BlockKey {
    std::string_view operator()(Block b) const;
  };
  using Table = ScanTable<Block, BlockKey>;
  // The full encoding, and the bytes its member blocks take.
  struct Hashtable : Table {
    size_t block_bytes = 0;
  };

  // Copies `member` into a block of `table`.
  static void add_to_table(Hashtable& table, std::string_view member);
  void intset_to_listpack();
  void to_hashtable();
  // Whether the listpack can take one more member of `len` bytes.
  bool listpack_fits(size_t len, const ContainerLimits& limits) const;
  bool intset_fits_listpack(size_t len, const ContainerLimits& limits) const;
  // The hashtable's members (for sampling).
  std::vector<Block> table_blocks() const;

  // Ends the current encoding's member of the union (not the table's blocks).
  void end_compact_encoding();

  // One word for whichever encoding is current (encoding_ says which), so
  // that the object is 24 bytes and a small set's entry a 64-byte chunk.
  Encoding encoding_ = Encoding::kIntset;
  union {
    IntSet ints_{};      // kIntset
    Listpack listpack_;  // kListpack
    Hashtable* table_;   // kHashtable
  };
};

}  // namespace vireo
