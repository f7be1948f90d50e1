#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <random>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "core/entry.h"
#include "core/scan_table.h"
#include "core/types/container.h"
#include "core/types/pair_pack.h"

namespace vireo {

// One field of a hash in its full encoding: the field and its value in a
// single heap block, [field length varint][field][value length varint][value],
// so that a field costs one allocation and a value can be rewritten in place
// when the block has room.
class HashField {
 public:
  HashField() = delete;
  HashField(const HashField&) = delete;
  HashField& operator=(const HashField&) = delete;

  static HashField* make(std::string_view field, std::string_view value);
  static void destroy(HashField* f);
  // Replaces the value, in place when the block has room; returns the block's
  // (possibly new) address.
  static HashField* set_value(HashField* f, std::string_view value);

  std::string_view field() const;
  std::string_view value() const;
  // Bytes allocated for the block.
  size_t allocation_size() const;

 private:
  const unsigned char* bytes() const { return reinterpret_cast<const unsigned char*>(this); }
  unsigned char* bytes() { return reinterpret_cast<unsigned char*>(this); }
  // Where the value's length prefix starts.
  size_t value_offset() const;
};

struct HashFieldKey {
  std::string_view operator()(const HashField* f) const { return f->field(); }
};

// The value behind a hash key. Small hashes are a PairPack of fields and
// values (Redis's "listpack" encoding); once a hash holds more than
// hash-max-listpack-entries fields, or a field or value longer than
// hash-max-listpack-value bytes, it converts for good to a ScanTable of
// HashField blocks ("hashtable"), whose hash-threshold cursor gives HSCAN
// Redis's guarantee. The object (a vtable pointer and one word) lives inside
// its key's entry, so a small hash costs two allocations: the entry and the
// pack.
//
// Views returned by lookups and iteration stay valid until the next change.
class HashValue : public ContainerOf<HashValue> {
 public:
  static constexpr ValueType kType = ValueType::kHash;

  // The limits are consulted at each insertion (they may change under CONFIG
  // SET while the hash lives), so the constructor only matches the typed
  // lookup's interface.
  explicit HashValue(const ContainerLimits& limits);
  ~HashValue() override;
  HashValue(const HashValue&) = delete;
  HashValue(HashValue&& other) noexcept;
  HashValue& operator=(const HashValue&) = delete;

  std::unique_ptr<Container> clone() const override;
  size_t size() const override;
  size_t memory_usage() const override;
  std::string_view encoding() const override;
  bool is_listpack() const { return !is_table(); }

  // The value of `field`, or nothing.
  std::optional<std::string_view> get(std::string_view field) const;
  bool contains(std::string_view field) const { return get(field).has_value(); }

  // Sets `field` to `value`, converting first when the pair or the new size
  // passes `limits`; returns true when the field was new. Neither view may
  // point into this hash.
  bool set(std::string_view field, std::string_view value, const ContainerLimits& limits);
  // Removes `field`; returns whether it was there.
  bool erase(std::string_view field);
  // Calls visit(field, value) for every field, in the encoding's order.
  template <class Visit>
  void for_each(Visit&& visit) const {
    if (is_table()) {
      table()->for_each([&](const HashField* f) { visit(f->field(), f->value()); });
      return;
    }
    for (PairPack::Pos p = pack_.begin_pos(); p != pack_.end_pos(); p = pack_.next(p)) {
      visit(pack_.key_at(p), pack_.value_at(p));
    }
  }

  // One HSCAN step: visits at least `count` fields from `cursor` on (the whole
  // hash for a listpack, as Redis does) and returns the next cursor, 0 at the
  // end. A field present for a whole iteration is visited at least once.
  template <class Visit>
  uint64_t scan(uint64_t cursor, size_t count, Visit&& visit) const {
    if (!is_table()) {
      for_each(visit);
      return 0;
    }
    return table()->scan(cursor, count, [&](const HashField* f) { visit(f->field(), f->value()); });
  }

  using Pair = std::pair<std::string_view, std::string_view>;
  // A random field and its value; the hash must not be empty.
  Pair random_pair(std::mt19937_64& rng) const;
  // Up to `count` distinct fields chosen at random (all of them when count >=
  // size()), in no particular order.
  std::vector<Pair> random_distinct(size_t count, std::mt19937_64& rng) const;

 private:
  using Table = ScanTable<HashField*, HashFieldKey>;

  void convert_to_table();
  std::vector<Pair> all_pairs() const;

  // The table's address with kTableTag set, in the word pack_ otherwise
  // holds: one word for either encoding, so that the object is 16 bytes and a
  // small hash's entry fits a 48-byte chunk. Both union members begin with a
  // char pointer, so reading `tagged` is defined whichever is active; a
  // PairPack's block is malloc-aligned, so its low bit is clear.
  struct TableRef {
    unsigned char* tagged;
  };
  static constexpr uintptr_t kTableTag = 1;
  static_assert(std::is_standard_layout_v<PairPack> && sizeof(PairPack) == sizeof(TableRef));

  bool is_table() const { return reinterpret_cast<uintptr_t>(table_ref_.tagged) & kTableTag; }
  Table* table() const {
    return reinterpret_cast<Table*>(reinterpret_cast<uintptr_t>(table_ref_.tagged) & ~kTableTag);
  }
  // Makes `table` the representation (pack_ must be destroyed or empty).
  void adopt_table(Table* table) {
    table_ref_.tagged =
        reinterpret_cast<unsigned char*>(reinterpret_cast<uintptr_t>(table) | kTableTag);
  }

  union {
    PairPack pack_{};     // the "listpack" encoding
    TableRef table_ref_;  // the hashtable encoding
  };
};

}  // namespace vireo
