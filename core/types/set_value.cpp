#include "core/types/set_value.h"

#include <malloc.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <utility>

#include <tsl/robin_set.h>

#include "core/strconv.h"

namespace vireo {
namespace {

std::string_view int_view(int64_t v, char* buf) {
  return {buf, static_cast<size_t>(format_int64(v, buf) - buf)};
}

// Digits (and sign) of `v` in decimal.
size_t decimal_length(int64_t v) {
  char buf[kInt64Chars];
  return int_view(v, buf).size();
}

// Indices 0..n-1 with the first `k` a uniform random choice in random order
// (a partial Fisher-Yates shuffle).
template <class T>
void shuffle_prefix(std::vector<T>& items, size_t k, std::mt19937_64& rng) {
  for (size_t i = 0; i < k; ++i) {
    size_t j = i + rng() % (items.size() - i);
    std::swap(items[i], items[j]);
  }
}

}  // namespace

std::string_view SetValue::BlockKey::operator()(Block b) const {
  uint32_t len;
  std::memcpy(&len, b, sizeof len);
  return {b + sizeof len, len};
}

SetValue::SetValue(const ContainerLimits& /*limits*/) {}

// Sets of tags are many and small: the object lives in each set's entry.
static_assert(sizeof(SetValue) <= 24);

SetValue::~SetValue() {
  if (encoding_ != Encoding::kHashtable) {
    end_compact_encoding();
    return;
  }
  table_->for_each([](Block b) { std::free(const_cast<char*>(b)); });
  delete table_;
}

void SetValue::end_compact_encoding() {
  if (encoding_ == Encoding::kIntset) {
    ints_.~IntSet();
  } else if (encoding_ == Encoding::kListpack) {
    listpack_.~Listpack();
  }
}

SetValue::SetValue(const SetValue& other) : ContainerOf(other) {
  switch (other.encoding_) {
    case Encoding::kIntset:
      ints_ = IntSet(other.ints_);
      break;
    case Encoding::kListpack:
      ints_.~IntSet();
      ::new (&listpack_) Listpack(other.listpack_);
      encoding_ = Encoding::kListpack;
      break;
    case Encoding::kHashtable: {
      auto copy = std::make_unique<Hashtable>();
      other.table_->for_each([&](Block b) { add_to_table(*copy, BlockKey{}(b)); });
      ints_.~IntSet();
      table_ = copy.release();
      encoding_ = Encoding::kHashtable;
      break;
    }
  }
}

SetValue::SetValue(SetValue&& other) noexcept : ContainerOf(std::move(other)) {
  switch (other.encoding_) {
    case Encoding::kIntset:
      ints_ = std::move(other.ints_);
      break;
    case Encoding::kListpack:
      ints_.~IntSet();
      ::new (&listpack_) Listpack(std::move(other.listpack_));
      encoding_ = Encoding::kListpack;
      break;
    case Encoding::kHashtable:
      ints_.~IntSet();
      table_ = other.table_;
      encoding_ = Encoding::kHashtable;
      // The source becomes an empty set that owns nothing.
      ::new (&other.ints_) IntSet();
      other.encoding_ = Encoding::kIntset;
      break;
  }
}

std::unique_ptr<Container> SetValue::clone() const {
  return std::make_unique<SetValue>(*this);
}

size_t SetValue::size() const {
  switch (encoding_) {
    case Encoding::kIntset:
      return ints_.size();
    case Encoding::kListpack:
      return listpack_.size();
    case Encoding::kHashtable:
      return table_->size();
  }
  return 0;
}

size_t SetValue::memory_usage() const {
  switch (encoding_) {
    case Encoding::kIntset:
      return sizeof(*this) + ints_.memory_usage();
    case Encoding::kListpack:
      return sizeof(*this) + listpack_.memory_usage();
    case Encoding::kHashtable:
      return sizeof(*this) + sizeof(Hashtable) + table_->memory_usage() + table_->block_bytes;
  }
  return sizeof(*this);
}

std::string_view SetValue::encoding() const {
  switch (encoding_) {
    case Encoding::kIntset:
      return "intset";
    case Encoding::kListpack:
      return "listpack";
    case Encoding::kHashtable:
      return "hashtable";
  }
  return "";
}

// ---------------------------------------------------------------------------
// Changes

bool SetValue::add(std::string_view member, const ContainerLimits& limits) {
  switch (encoding_) {
    case Encoding::kIntset: {
      if (auto v = parse_int64(member)) {
        if (!ints_.insert(*v)) return false;
        if (static_cast<int64_t>(ints_.size()) > limits.set_max_intset_entries) to_hashtable();
        return true;
      }
      // A non-integer: Redis 7.2 moves to a listpack when the result stays
      // within the listpack limits (judging the integers by their longest).
      if (intset_fits_listpack(member.size(), limits)) {
        intset_to_listpack();
        listpack_.push_back(member);
      } else {
        to_hashtable();
        add_to_table(*table_, member);
      }
      return true;
    }
    case Encoding::kListpack:
      if (listpack_.find(member) != listpack_.end_pos()) return false;
      if (listpack_fits(member.size(), limits)) {
        listpack_.push_back(member);
      } else {
        to_hashtable();
        add_to_table(*table_, member);
      }
      return true;
    case Encoding::kHashtable:
      if (table_->find(member)) return false;
      add_to_table(*table_, member);
      return true;
  }
  return false;
}

bool SetValue::remove(std::string_view member) {
  switch (encoding_) {
    case Encoding::kIntset: {
      auto v = parse_int64(member);
      if (!v) return false;
      return ints_.erase(*v);
    }
    case Encoding::kListpack: {
      Listpack::Pos p = listpack_.find(member);
      if (p == listpack_.end_pos()) return false;
      listpack_.erase(p);
      return true;
    }
    case Encoding::kHashtable: {
      Block b;
      if (!table_->extract(member, &b)) return false;
      table_->block_bytes -= malloc_usable_size(const_cast<char*>(b));
      std::free(const_cast<char*>(b));
      return true;
    }
  }
  return false;
}

bool SetValue::contains(std::string_view member) const {
  switch (encoding_) {
    case Encoding::kIntset: {
      auto v = parse_int64(member);
      return v && ints_.contains(*v);
    }
    case Encoding::kListpack:
      return listpack_.find(member) != listpack_.end_pos();
    case Encoding::kHashtable:
      return table_->find(member) != nullptr;
  }
  return false;
}

void SetValue::add_to_table(Hashtable& table, std::string_view member) {
  auto len = static_cast<uint32_t>(member.size());
  auto* block = static_cast<char*>(std::malloc(sizeof len + member.size()));
  if (!block) throw std::bad_alloc();
  std::memcpy(block, &len, sizeof len);
  if (!member.empty()) std::memcpy(block + sizeof len, member.data(), member.size());
  table.block_bytes += malloc_usable_size(block);
  table.insert(block);
}

bool SetValue::listpack_fits(size_t len, const ContainerLimits& limits) const {
  return static_cast<int64_t>(listpack_.size()) < limits.set_max_listpack_entries &&
         static_cast<int64_t>(len) <= limits.set_max_listpack_value;
}

bool SetValue::intset_fits_listpack(size_t len, const ContainerLimits& limits) const {
  size_t longest = 0;
  if (!ints_.empty()) {
    longest = std::max(decimal_length(ints_.front()), decimal_length(ints_.back()));
  }
  return static_cast<int64_t>(ints_.size()) < limits.set_max_listpack_entries &&
         static_cast<int64_t>(len) <= limits.set_max_listpack_value &&
         static_cast<int64_t>(longest) <= limits.set_max_listpack_value;
}

void SetValue::intset_to_listpack() {
  Listpack members;
  char buf[kInt64Chars];
  for (size_t i = 0; i < ints_.size(); ++i)
    members.push_back(int_view(ints_.at(i), buf));
  ints_.~IntSet();
  ::new (&listpack_) Listpack(std::move(members));
  encoding_ = Encoding::kListpack;
}

void SetValue::to_hashtable() {
  auto table = std::make_unique<Hashtable>();
  for_each([&](std::string_view member) { add_to_table(*table, member); });
  end_compact_encoding();
  table_ = table.release();
  encoding_ = Encoding::kHashtable;
}

// ---------------------------------------------------------------------------
// Walks

void SetValue::for_each(MemberVisitor visit) const {
  switch (encoding_) {
    case Encoding::kIntset: {
      char buf[kInt64Chars];
      for (size_t i = 0; i < ints_.size(); ++i)
        visit(int_view(ints_.at(i), buf));
      break;
    }
    case Encoding::kListpack:
      for (std::string_view member : listpack_)
        visit(member);
      break;
    case Encoding::kHashtable:
      table_->for_each([&](Block b) { visit(BlockKey{}(b)); });
      break;
  }
}

uint64_t SetValue::scan(uint64_t cursor, size_t count, MemberVisitor visit) const {
  if (encoding_ != Encoding::kHashtable) {
    for_each(visit);
    return 0;
  }
  return table_->scan(cursor, count, [&](Block b) { visit(BlockKey{}(b)); });
}

std::vector<SetValue::Block> SetValue::table_blocks() const {
  std::vector<Block> blocks;
  blocks.reserve(table_->size());
  table_->for_each([&](Block b) { blocks.push_back(b); });
  return blocks;
}

std::string_view SetValue::random_member(std::mt19937_64& rng, char* buf) const {
  switch (encoding_) {
    case Encoding::kIntset:
      return int_view(ints_.at(rng() % ints_.size()), buf);
    case Encoding::kListpack:
      return listpack_.at(listpack_.seek(static_cast<int64_t>(rng() % listpack_.size())));
    case Encoding::kHashtable:
      return BlockKey{}(*table_->random(rng));
  }
  return {};
}

void SetValue::random_distinct(size_t k, std::mt19937_64& rng, MemberVisitor visit) const {
  k = std::min(k, size());
  switch (encoding_) {
    case Encoding::kIntset: {
      std::vector<int64_t> values(ints_.size());
      for (size_t i = 0; i < values.size(); ++i)
        values[i] = ints_.at(i);
      shuffle_prefix(values, k, rng);
      char buf[kInt64Chars];
      for (size_t i = 0; i < k; ++i)
        visit(int_view(values[i], buf));
      break;
    }
    case Encoding::kListpack: {
      std::vector<std::string_view> members(listpack_.begin(), listpack_.end());
      shuffle_prefix(members, k, rng);
      for (size_t i = 0; i < k; ++i)
        visit(members[i]);
      break;
    }
    case Encoding::kHashtable: {
      // Few out of many: draw and skip repeats; otherwise shuffle them all.
      if (k * 3 < table_->size()) {
        tsl::robin_set<Block> seen;
        seen.reserve(k);
        while (seen.size() < k) {
          Block b = *table_->random(rng);
          if (seen.insert(b).second) visit(BlockKey{}(b));
        }
      } else {
        std::vector<Block> blocks = table_blocks();
        shuffle_prefix(blocks, k, rng);
        for (size_t i = 0; i < k; ++i)
          visit(BlockKey{}(blocks[i]));
      }
      break;
    }
  }
}

void SetValue::random_with_repeats(size_t k, std::mt19937_64& rng, MemberVisitor visit) const {
  switch (encoding_) {
    case Encoding::kIntset: {
      char buf[kInt64Chars];
      for (size_t i = 0; i < k; ++i)
        visit(int_view(ints_.at(rng() % ints_.size()), buf));
      break;
    }
    case Encoding::kListpack: {
      // Positions once, so each draw is O(1) rather than a walk.
      std::vector<std::string_view> members(listpack_.begin(), listpack_.end());
      for (size_t i = 0; i < k; ++i)
        visit(members[rng() % members.size()]);
      break;
    }
    case Encoding::kHashtable:
      for (size_t i = 0; i < k; ++i)
        visit(BlockKey{}(*table_->random(rng)));
      break;
  }
}

}  // namespace vireo
