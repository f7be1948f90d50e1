#include "core/types/pair_pack.h"

#include <malloc.h>

#include <cstdlib>
#include <cstring>
#include <new>

#include "core/varint.h"

namespace vireo {

PairPack::~PairPack() {
  std::free(block_);
}

PairPack::PairPack(const PairPack& other) {
  if (!other.block_) return;
  size_t n = sizeof(Header) + other.header()->used;
  block_ = static_cast<unsigned char*>(std::malloc(n));
  if (!block_) throw std::bad_alloc();
  std::memcpy(block_, other.block_, n);
}

PairPack& PairPack::operator=(PairPack&& other) noexcept {
  if (this != &other) {
    std::free(block_);
    block_ = other.block_;
    other.block_ = nullptr;
  }
  return *this;
}

size_t PairPack::memory_usage() const {
  return block_ ? malloc_usable_size(block_) : 0;
}

bool PairPack::fits(size_t extra) const {
  return extra <= kMaxBytes && end_pos() <= kMaxBytes - extra;
}

PairPack::Pos PairPack::next(Pos p) const {
  const unsigned char* at = data() + p;
  uint64_t len;
  at = varint::get(at, &len);
  at = varint::get(at + len, &len);
  return static_cast<Pos>(at + len - data());
}

std::string_view PairPack::key_at(Pos p) const {
  return varint::get_prefixed(data() + p);
}

std::string_view PairPack::value_at(Pos p) const {
  std::string_view key = key_at(p);
  return varint::get_prefixed(reinterpret_cast<const unsigned char*>(key.data() + key.size()));
}

PairPack::Pos PairPack::find(std::string_view key) const {
  const Pos end = end_pos();
  for (Pos p = begin_pos(); p != end; p = next(p)) {
    if (key_at(p) == key) return p;
  }
  return end;
}

void PairPack::resize(size_t used) {
  const size_t needed = sizeof(Header) + used;
  // Fit the block to the data, as Redis's listpack does, but leave a block
  // the allocator would not shrink anyway.
  if (block_) {
    const size_t usable = malloc_usable_size(block_);
    if (needed <= usable && usable - needed < 32) return;
  }
  auto* grown = static_cast<unsigned char*>(std::realloc(block_, needed));
  if (!grown) throw std::bad_alloc();
  if (!block_) {
    reinterpret_cast<Header*>(grown)->used = 0;
    reinterpret_cast<Header*>(grown)->pairs = 0;
  }
  block_ = grown;
}

void PairPack::append(std::string_view key, std::string_view value) {
  const Pos at = end_pos();
  const size_t used = at + varint::prefixed_size(key) + varint::prefixed_size(value);
  resize(used);
  varint::put_prefixed(varint::put_prefixed(data() + at, key), value);
  header()->used = static_cast<uint32_t>(used);
  header()->pairs += 1;
}

PairPack::Pos PairPack::set_value(Pos p, std::string_view value) {
  std::string_view old = value_at(p);
  const size_t from =
      static_cast<size_t>(reinterpret_cast<const unsigned char*>(old.data()) - data()) -
      varint::size(old.size());
  const size_t old_size = varint::size(old.size()) + old.size();
  const size_t new_size = varint::prefixed_size(value);
  const size_t used = header()->used;
  const size_t tail = used - from - old_size;
  const size_t new_used = used - old_size + new_size;
  // Move the tail before shrinking the block, after growing it.
  if (new_size < old_size) {
    std::memmove(data() + from + new_size, data() + from + old_size, tail);
    resize(new_used);
  } else if (new_size > old_size) {
    resize(new_used);
    std::memmove(data() + from + new_size, data() + from + old_size, tail);
  }
  varint::put_prefixed(data() + from, value);
  header()->used = static_cast<uint32_t>(new_used);
  return p;
}

void PairPack::erase(Pos p) {
  const Pos q = next(p);
  const size_t used = header()->used;
  std::memmove(data() + p, data() + q, used - q);
  header()->used = static_cast<uint32_t>(used - (q - p));
  header()->pairs -= 1;
  if (header()->pairs == 0) {
    std::free(block_);
    block_ = nullptr;
    return;
  }
  resize(header()->used);
}

}  // namespace vireo
