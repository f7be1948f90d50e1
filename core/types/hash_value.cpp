#include "core/types/hash_value.h"

#include <malloc.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <new>
#include <unordered_set>

#include "core/varint.h"

namespace vireo {

// ---------------------------------------------------------------------------
// HashField

HashField* HashField::make(std::string_view field, std::string_view value) {
  auto* p = static_cast<unsigned char*>(
      std::malloc(varint::prefixed_size(field) + varint::prefixed_size(value)));
  if (!p) throw std::bad_alloc();
  varint::put_prefixed(varint::put_prefixed(p, field), value);
  return reinterpret_cast<HashField*>(p);
}

void HashField::destroy(HashField* f) {
  std::free(f);
}

HashField* HashField::set_value(HashField* f, std::string_view value) {
  const size_t at = f->value_offset();
  const size_t needed = at + varint::prefixed_size(value);
  if (needed > malloc_usable_size(f)) {
    auto* grown = static_cast<HashField*>(std::realloc(f, needed));
    if (!grown) throw std::bad_alloc();
    f = grown;
  }
  varint::put_prefixed(f->bytes() + at, value);
  return f;
}

size_t HashField::value_offset() const {
  return varint::prefixed_size(field());
}

std::string_view HashField::field() const {
  return varint::get_prefixed(bytes());
}

std::string_view HashField::value() const {
  return varint::get_prefixed(bytes() + value_offset());
}

size_t HashField::allocation_size() const {
  return malloc_usable_size(const_cast<HashField*>(this));
}

// ---------------------------------------------------------------------------
// HashValue

HashValue::HashValue(const ContainerLimits& /*limits*/) {}

HashValue::HashValue(HashValue&& other) noexcept {
  if (other.is_table()) {
    pack_.~PairPack();
    table_ref_ = other.table_ref_;
    ::new (&other.pack_) PairPack();
  } else {
    pack_ = std::move(other.pack_);
  }
}

HashValue::~HashValue() {
  if (!is_table()) {
    pack_.~PairPack();
    return;
  }
  Table* t = table();
  t->for_each([](HashField* f) { HashField::destroy(f); });
  delete t;
}

std::unique_ptr<Container> HashValue::clone() const {
  auto copy = std::make_unique<HashValue>(ContainerLimits{});
  if (is_table()) {
    auto* t = new Table;
    copy->pack_.~PairPack();
    copy->adopt_table(t);
    table()->for_each(
        [&](const HashField* f) { t->insert(HashField::make(f->field(), f->value())); });
  } else {
    copy->pack_ = PairPack(pack_);
  }
  return copy;
}

size_t HashValue::size() const {
  return is_table() ? table()->size() : pack_.size();
}

size_t HashValue::memory_usage() const {
  size_t bytes = sizeof(*this);
  if (!is_table()) return bytes + pack_.memory_usage();
  bytes += sizeof(Table) + table()->memory_usage();
  table()->for_each([&](const HashField* f) { bytes += f->allocation_size(); });
  return bytes;
}

std::string_view HashValue::encoding() const {
  return is_table() ? "hashtable" : "listpack";
}

std::optional<std::string_view> HashValue::get(std::string_view field) const {
  if (is_table()) {
    HashField* const* slot = table()->find(field);
    if (!slot) return std::nullopt;
    return (*slot)->value();
  }
  PairPack::Pos p = pack_.find(field);
  if (p == pack_.end_pos()) return std::nullopt;
  return pack_.value_at(p);
}

bool HashValue::set(std::string_view field, std::string_view value, const ContainerLimits& limits) {
  if (!is_table()) {
    const auto max_value =
        static_cast<uint64_t>(std::max<int64_t>(limits.hash_max_listpack_value, 0));
    if (field.size() > max_value || value.size() > max_value ||
        !pack_.fits(field.size() + value.size() + 20)) {
      convert_to_table();
    } else {
      PairPack::Pos p = pack_.find(field);
      if (p != pack_.end_pos()) {
        pack_.set_value(p, value);
        return false;
      }
      pack_.append(field, value);
      if (static_cast<int64_t>(size()) > limits.hash_max_listpack_entries) convert_to_table();
      return true;
    }
  }
  if (HashField** slot = table()->find(field)) {
    *slot = HashField::set_value(*slot, value);
    return false;
  }
  table()->insert(HashField::make(field, value));
  return true;
}

bool HashValue::erase(std::string_view field) {
  if (is_table()) {
    HashField* removed = nullptr;
    if (!table()->extract(field, &removed)) return false;
    HashField::destroy(removed);
    return true;
  }
  PairPack::Pos p = pack_.find(field);
  if (p == pack_.end_pos()) return false;
  pack_.erase(p);
  return true;
}

void HashValue::convert_to_table() {
  auto table = std::make_unique<Table>();
  for_each([&](std::string_view f, std::string_view v) { table->insert(HashField::make(f, v)); });
  pack_.~PairPack();
  adopt_table(table.release());
}

HashValue::Pair HashValue::random_pair(std::mt19937_64& rng) const {
  if (is_table()) {
    const HashField* f = *table()->random(rng);
    return {f->field(), f->value()};
  }
  PairPack::Pos p = pack_.begin_pos();
  for (size_t i = rng() % size(); i > 0; --i)
    p = pack_.next(p);
  return {pack_.key_at(p), pack_.value_at(p)};
}

std::vector<HashValue::Pair> HashValue::all_pairs() const {
  std::vector<Pair> pairs;
  pairs.reserve(size());
  for_each([&](std::string_view f, std::string_view v) { pairs.emplace_back(f, v); });
  return pairs;
}

std::vector<HashValue::Pair> HashValue::random_distinct(size_t count, std::mt19937_64& rng) const {
  const size_t n = size();
  if (count >= n) return all_pairs();
  // A small sample of a large table: draw until distinct, as Redis does,
  // rather than walking every field.
  if (is_table() && count * 3 < n) {
    std::unordered_set<const HashField*> seen;
    seen.reserve(count);
    std::vector<Pair> picked;
    picked.reserve(count);
    while (picked.size() < count) {
      const HashField* f = *table()->random(rng);
      if (seen.insert(f).second) picked.emplace_back(f->field(), f->value());
    }
    return picked;
  }
  // Otherwise a partial Fisher-Yates shuffle of all fields.
  std::vector<Pair> pairs = all_pairs();
  for (size_t i = 0; i < count; ++i) {
    std::swap(pairs[i], pairs[i + rng() % (n - i)]);
  }
  pairs.resize(count);
  return pairs;
}

}  // namespace vireo
