#include "core/types/hash_value.h"

#include <malloc.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <new>
#include <unordered_set>

namespace vireo {
namespace {

size_t varint_size(uint64_t v) {
  size_t n = 1;
  while (v >= 0x80) {
    v >>= 7;
    ++n;
  }
  return n;
}

unsigned char* put_varint(unsigned char* p, uint64_t v) {
  while (v >= 0x80) {
    *p++ = static_cast<unsigned char>(v | 0x80);
    v >>= 7;
  }
  *p++ = static_cast<unsigned char>(v);
  return p;
}

const unsigned char* get_varint(const unsigned char* p, uint64_t* v) {
  uint64_t result = 0;
  int shift = 0;
  while (*p & 0x80) {
    result |= static_cast<uint64_t>(*p++ & 0x7f) << shift;
    shift += 7;
  }
  *v = result | (static_cast<uint64_t>(*p++) << shift);
  return p;
}

size_t prefixed_size(std::string_view s) {
  return varint_size(s.size()) + s.size();
}

unsigned char* put_prefixed(unsigned char* p, std::string_view s) {
  p = put_varint(p, s.size());
  if (!s.empty()) std::memcpy(p, s.data(), s.size());
  return p + s.size();
}

std::string_view get_prefixed(const unsigned char* p) {
  uint64_t len;
  const unsigned char* data = get_varint(p, &len);
  return {reinterpret_cast<const char*>(data), len};
}

}  // namespace

// ---------------------------------------------------------------------------
// HashField

HashField* HashField::make(std::string_view field, std::string_view value) {
  auto* p = static_cast<unsigned char*>(std::malloc(prefixed_size(field) + prefixed_size(value)));
  if (!p) throw std::bad_alloc();
  put_prefixed(put_prefixed(p, field), value);
  return reinterpret_cast<HashField*>(p);
}

void HashField::destroy(HashField* f) {
  std::free(f);
}

HashField* HashField::set_value(HashField* f, std::string_view value) {
  const size_t at = f->value_offset();
  const size_t needed = at + prefixed_size(value);
  if (needed > malloc_usable_size(f)) {
    auto* grown = static_cast<HashField*>(std::realloc(f, needed));
    if (!grown) throw std::bad_alloc();
    f = grown;
  }
  put_prefixed(f->bytes() + at, value);
  return f;
}

size_t HashField::value_offset() const {
  return prefixed_size(field());
}

std::string_view HashField::field() const {
  return get_prefixed(bytes());
}

std::string_view HashField::value() const {
  return get_prefixed(bytes() + value_offset());
}

size_t HashField::allocation_size() const {
  return malloc_usable_size(const_cast<HashField*>(this));
}

// ---------------------------------------------------------------------------
// HashValue

HashValue::HashValue(const ContainerLimits& /*limits*/) {}

HashValue::~HashValue() {
  if (table_) {
    table_->for_each([](HashField* f) { HashField::destroy(f); });
  }
}

std::unique_ptr<Container> HashValue::clone() const {
  auto copy = std::make_unique<HashValue>(ContainerLimits{});
  if (table_) {
    copy->table_ = std::make_unique<Table>();
    table_->for_each(
        [&](const HashField* f) { copy->table_->insert(HashField::make(f->field(), f->value())); });
  } else {
    copy->lp_ = Listpack(lp_);
  }
  return copy;
}

size_t HashValue::size() const {
  return table_ ? table_->size() : lp_.size() / 2;
}

size_t HashValue::memory_usage() const {
  size_t bytes = sizeof(*this);
  if (!table_) return bytes + lp_.memory_usage();
  bytes += sizeof(Table) + table_->memory_usage();
  table_->for_each([&](const HashField* f) { bytes += f->allocation_size(); });
  return bytes;
}

std::string_view HashValue::encoding() const {
  return table_ ? "hashtable" : "listpack";
}

Listpack::Pos HashValue::find_in_listpack(std::string_view field) const {
  return lp_.find(field, lp_.first_pos(), 2);
}

std::optional<std::string_view> HashValue::get(std::string_view field) const {
  if (table_) {
    HashField* const* slot = table_->find(field);
    if (!slot) return std::nullopt;
    return (*slot)->value();
  }
  Listpack::Pos p = find_in_listpack(field);
  if (p == lp_.end_pos()) return std::nullopt;
  return lp_.at(lp_.next(p));
}

bool HashValue::set(std::string_view field, std::string_view value, const ContainerLimits& limits) {
  if (!table_) {
    const auto max_value =
        static_cast<uint64_t>(std::max<int64_t>(limits.hash_max_listpack_value, 0));
    if (field.size() > max_value || value.size() > max_value) {
      convert_to_table();
    } else {
      Listpack::Pos p = find_in_listpack(field);
      if (p != lp_.end_pos()) {
        lp_.replace(lp_.next(p), value);
        return false;
      }
      lp_.push_back(field);
      lp_.push_back(value);
      if (static_cast<int64_t>(size()) > limits.hash_max_listpack_entries) convert_to_table();
      return true;
    }
  }
  if (HashField** slot = table_->find(field)) {
    *slot = HashField::set_value(*slot, value);
    return false;
  }
  table_->insert(HashField::make(field, value));
  return true;
}

bool HashValue::erase(std::string_view field) {
  if (table_) {
    HashField* removed = nullptr;
    if (!table_->extract(field, &removed)) return false;
    HashField::destroy(removed);
    return true;
  }
  Listpack::Pos p = find_in_listpack(field);
  if (p == lp_.end_pos()) return false;
  lp_.erase(p, 2);
  if (lp_.empty()) lp_.clear();
  return true;
}

void HashValue::shrink_to_fit() {
  if (table_ || lp_.empty()) return;
  // Listpack's copy allocates exactly what it holds. Worth it only when the
  // allocator would hand back at least one size step.
  constexpr size_t kHeader = 16;
  if (lp_.memory_usage() >= kHeader + lp_.data_bytes() + 16) lp_ = Listpack(lp_);
}

void HashValue::convert_to_table() {
  auto table = std::make_unique<Table>();
  for_each([&](std::string_view f, std::string_view v) { table->insert(HashField::make(f, v)); });
  table_ = std::move(table);
  lp_.clear();
}

HashValue::Pair HashValue::random_pair(std::mt19937_64& rng) const {
  if (table_) {
    const HashField* f = *table_->random(rng);
    return {f->field(), f->value()};
  }
  Listpack::Pos p = lp_.seek(static_cast<int64_t>(2 * (rng() % size())));
  return {lp_.at(p), lp_.at(lp_.next(p))};
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
  if (table_ && count * 3 < n) {
    std::unordered_set<const HashField*> seen;
    seen.reserve(count);
    std::vector<Pair> picked;
    picked.reserve(count);
    while (picked.size() < count) {
      const HashField* f = *table_->random(rng);
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
