#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace vireo::varint {

// Little-endian base-128 lengths, 7 bits a byte, high bit "more follows": a
// string under 128 bytes costs one byte of length.

inline size_t size(uint64_t v) {
  size_t n = 1;
  while (v >= 0x80) {
    v >>= 7;
    ++n;
  }
  return n;
}

inline unsigned char* put(unsigned char* p, uint64_t v) {
  while (v >= 0x80) {
    *p++ = static_cast<unsigned char>(v | 0x80);
    v >>= 7;
  }
  *p++ = static_cast<unsigned char>(v);
  return p;
}

inline const unsigned char* get(const unsigned char* p, uint64_t* v) {
  uint64_t result = 0;
  int shift = 0;
  while (*p & 0x80) {
    result |= static_cast<uint64_t>(*p++ & 0x7f) << shift;
    shift += 7;
  }
  *v = result | (static_cast<uint64_t>(*p++) << shift);
  return p;
}

// A string with its length in front.
inline size_t prefixed_size(std::string_view s) {
  return size(s.size()) + s.size();
}

inline unsigned char* put_prefixed(unsigned char* p, std::string_view s) {
  p = put(p, s.size());
  if (!s.empty()) std::memcpy(p, s.data(), s.size());
  return p + s.size();
}

inline std::string_view get_prefixed(const unsigned char* p) {
  uint64_t len;
  const unsigned char* data = get(p, &len);
  return {reinterpret_cast<const char*>(data), static_cast<size_t>(len)};
}

}  // namespace vireo::varint
