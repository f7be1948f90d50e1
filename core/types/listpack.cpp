#include "core/types/listpack.h"

#include <malloc.h>

#include <cstdlib>
#include <cstring>
#include <new>

#include "core/varint.h"

namespace vireo {
namespace {

// The back-length: `v` in 7-bit groups, lowest group last, each byte but the
// first written carrying 0x80 to say "more to the left".
void put_backlen(unsigned char* p, uint64_t v, size_t n) {
  for (size_t i = n; i-- > 0;) {
    p[i] = static_cast<unsigned char>((v & 0x7f) | (i > 0 ? 0x80 : 0));
    v >>= 7;
  }
}

// Reads the back-length that ends just before `end`; sets *n to its size.
uint64_t get_backlen(const unsigned char* end, size_t* n) {
  uint64_t v = 0;
  int shift = 0;
  size_t i = 0;
  unsigned char b;
  do {
    b = *(end - 1 - i);
    v |= static_cast<uint64_t>(b & 0x7f) << shift;
    shift += 7;
    ++i;
  } while (b & 0x80);
  *n = i;
  return v;
}

// Bytes an element of `len` bytes occupies.
size_t element_size(size_t len) {
  size_t body = varint::size(len) + len;
  return body + varint::size(body);
}

// Writes an element at `p`.
void put_element(unsigned char* p, std::string_view value) {
  unsigned char* data = varint::put(p, value.size());
  if (!value.empty()) std::memcpy(data, value.data(), value.size());
  size_t body = static_cast<size_t>(data - p) + value.size();
  put_backlen(p + body, body, varint::size(body));
}

}  // namespace

Listpack::~Listpack() {
  std::free(block_);
}

Listpack::Listpack(const Listpack& other) {
  if (!other.block_) return;
  size_t n = sizeof(Header) + other.header()->used;
  block_ = static_cast<unsigned char*>(std::malloc(n));
  if (!block_) throw std::bad_alloc();
  std::memcpy(block_, other.block_, n);
}

Listpack& Listpack::operator=(Listpack&& other) noexcept {
  if (this != &other) {
    std::free(block_);
    block_ = other.block_;
    other.block_ = nullptr;
  }
  return *this;
}

size_t Listpack::memory_usage() const {
  return block_ ? malloc_usable_size(block_) : 0;
}

Listpack::Pos Listpack::next(Pos p) const {
  uint64_t len;
  const unsigned char* data = varint::get(this->data() + p, &len);
  size_t body = static_cast<size_t>(data - (this->data() + p)) + len;
  return p + body + varint::size(body);
}

Listpack::Pos Listpack::prev(Pos p) const {
  size_t n;
  uint64_t body = get_backlen(data() + p, &n);
  return p - n - body;
}

std::string_view Listpack::at(Pos p) const {
  uint64_t len;
  const unsigned char* bytes = varint::get(data() + p, &len);
  return {reinterpret_cast<const char*>(bytes), len};
}

Listpack::Pos Listpack::seek(int64_t index) const {
  const size_t n = size();
  if (index < 0) index += static_cast<int64_t>(n);
  if (index < 0 || static_cast<size_t>(index) >= n) return end_pos();
  // Walk from the nearer end.
  if (static_cast<size_t>(index) <= n / 2) {
    Pos p = first_pos();
    for (int64_t i = 0; i < index; ++i)
      p = next(p);
    return p;
  }
  Pos p = end_pos();
  for (size_t i = n; i > static_cast<size_t>(index); --i)
    p = prev(p);
  return p;
}

Listpack::Pos Listpack::find(std::string_view value, Pos from, size_t stride) const {
  const Pos stop = end_pos();
  Pos p = from;
  while (p < stop) {
    if (at(p) == value) return p;
    for (size_t i = 0; i < stride && p < stop; ++i)
      p = next(p);
  }
  return stop;
}

void Listpack::reserve_more(size_t extra) {
  const size_t used = data_bytes();
  const size_t needed = sizeof(Header) + used + extra;
  if (block_ && needed <= malloc_usable_size(block_)) return;
  // Grow by half again, so that n pushes cost O(n) copying in all.
  size_t capacity = needed + (block_ ? used / 2 : 0);
  auto* grown = static_cast<unsigned char*>(std::realloc(block_, capacity));
  if (!grown) throw std::bad_alloc();
  if (!block_) {
    reinterpret_cast<Header*>(grown)->used = 0;
    reinterpret_cast<Header*>(grown)->count = 0;
  }
  block_ = grown;
}

Listpack::Pos Listpack::insert(Pos p, std::string_view value) {
  const size_t size = element_size(value.size());
  reserve_more(size);
  unsigned char* at = data() + p;
  std::memmove(at + size, at, header()->used - p);
  put_element(at, value);
  header()->used += size;
  header()->count += 1;
  return p;
}

Listpack::Pos Listpack::replace(Pos p, std::string_view value) {
  const size_t old_size = next(p) - p, new_size = element_size(value.size());
  if (new_size > old_size) reserve_more(new_size - old_size);
  unsigned char* at = data() + p;
  std::memmove(at + new_size, at + old_size, header()->used - p - old_size);
  put_element(at, value);
  header()->used = header()->used - old_size + new_size;
  return p;
}

Listpack::Pos Listpack::erase(Pos p, size_t n) {
  Pos q = p;
  size_t removed = 0;
  while (removed < n && q < end_pos()) {
    q = next(q);
    ++removed;
  }
  unsigned char* at = data() + p;
  std::memmove(at, data() + q, header()->used - q);
  header()->used -= q - p;
  header()->count -= removed;
  return p;
}

void Listpack::clear() {
  std::free(block_);
  block_ = nullptr;
}

}  // namespace vireo
