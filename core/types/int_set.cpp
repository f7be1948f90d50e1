#include "core/types/int_set.h"

#include <malloc.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <new>

namespace vireo {
namespace {

size_t width_for(int64_t v) {
  if (v >= INT16_MIN && v <= INT16_MAX) return 2;
  if (v >= INT32_MIN && v <= INT32_MAX) return 4;
  return 8;
}

int64_t load(const unsigned char* p, size_t width) {
  switch (width) {
    case 2: {
      int16_t v;
      std::memcpy(&v, p, 2);
      return v;
    }
    case 4: {
      int32_t v;
      std::memcpy(&v, p, 4);
      return v;
    }
    default: {
      int64_t v;
      std::memcpy(&v, p, 8);
      return v;
    }
  }
}

void store(unsigned char* p, size_t width, int64_t v) {
  switch (width) {
    case 2: {
      const auto n = static_cast<int16_t>(v);
      std::memcpy(p, &n, 2);
      break;
    }
    case 4: {
      const auto n = static_cast<int32_t>(v);
      std::memcpy(p, &n, 4);
      break;
    }
    default:
      std::memcpy(p, &v, 8);
  }
}

}  // namespace

IntSet::~IntSet() {
  std::free(block_);
}

IntSet::IntSet(const IntSet& other) {
  if (!other.block_) return;
  const size_t bytes = sizeof(Header) + other.size() * other.width();
  block_ = static_cast<unsigned char*>(std::malloc(bytes));
  if (!block_) throw std::bad_alloc();
  std::memcpy(block_, other.block_, bytes);
}

IntSet& IntSet::operator=(IntSet&& other) noexcept {
  if (this != &other) {
    std::free(block_);
    block_ = other.block_;
    other.block_ = nullptr;
  }
  return *this;
}

size_t IntSet::size() const {
  return block_ ? header()->count : 0;
}

int64_t IntSet::at(size_t i) const {
  const size_t w = width();
  return load(values() + i * w, w);
}

size_t IntSet::lower_bound(int64_t v, bool* found) const {
  size_t lo = 0, hi = size();
  while (lo < hi) {
    const size_t mid = lo + (hi - lo) / 2;
    if (at(mid) < v) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  *found = lo < size() && at(lo) == v;
  return lo;
}

bool IntSet::contains(int64_t v) const {
  if (!block_ || width_for(v) > width()) return false;
  bool found;
  lower_bound(v, &found);
  return found;
}

void IntSet::reserve(size_t count, size_t width) {
  auto* grown = static_cast<unsigned char*>(std::realloc(block_, sizeof(Header) + count * width));
  if (!grown) throw std::bad_alloc();
  if (!block_) reinterpret_cast<Header*>(grown)->count = 0;
  block_ = grown;
  header()->width = static_cast<uint32_t>(width);
}

void IntSet::put(size_t i, int64_t v) {
  store(values() + i * width(), width(), v);
}

bool IntSet::insert(int64_t v) {
  const size_t n = size();
  const size_t old_width = width();
  const size_t w = width_for(v);
  if (w > old_width && n > 0) {
    // A wider member lies beyond every current one: widen in place from the
    // back (each value moves to a slot at or after its old one), then put
    // `v` first or last.
    reserve(n + 1, w);
    const bool first = v < 0;
    for (size_t i = n; i-- > 0;) {
      const int64_t x = load(values() + i * old_width, old_width);
      store(values() + (i + (first ? 1 : 0)) * w, w, x);
    }
    put(first ? 0 : n, v);
    header()->count = static_cast<uint32_t>(n + 1);
    return true;
  }
  bool found;
  const size_t at = lower_bound(v, &found);
  if (found) return false;
  reserve(n + 1, std::max(w, old_width));
  const size_t width = this->width();
  std::memmove(values() + (at + 1) * width, values() + at * width, (n - at) * width);
  put(at, v);
  header()->count = static_cast<uint32_t>(n + 1);
  return true;
}

bool IntSet::erase(int64_t v) {
  if (!block_ || width_for(v) > width()) return false;
  bool found;
  const size_t at = lower_bound(v, &found);
  if (!found) return false;
  const size_t n = size(), w = width();
  if (n == 1) {
    clear();
    return true;
  }
  std::memmove(values() + at * w, values() + (at + 1) * w, (n - at - 1) * w);
  header()->count = static_cast<uint32_t>(n - 1);
  // Shrinking in place never fails; a failed realloc keeps the larger block.
  if (void* shrunk = std::realloc(block_, sizeof(Header) + (n - 1) * w)) {
    block_ = static_cast<unsigned char*>(shrunk);
  }
  return true;
}

void IntSet::clear() {
  std::free(block_);
  block_ = nullptr;
}

size_t IntSet::memory_usage() const {
  return block_ ? malloc_usable_size(block_) : 0;
}

}  // namespace vireo
