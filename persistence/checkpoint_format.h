#pragma once

// The byte-level vocabulary the checkpoint writer and loader share; the layout
// itself is documented in persistence/checkpoint.h.

#include <cstdint>
#include <cstring>

namespace vireo::checkpoint_format {

// What an entry's value is; the kind byte of an entry (see checkpoint.h).
enum Kind : uint8_t {
  kString = 0,
  kInteger = 1,
  kList = 2,
  kSet = 3,
  kZSet = 4,
  kHash = 5,
};
inline constexpr uint8_t kLastKind = kHash;
// Or'ed into the kind byte when a deadline follows it.
inline constexpr uint8_t kHasDeadline = 0x80;
// Section markers; never a kind byte, with or without kHasDeadline.
inline constexpr uint8_t kDatabaseMarker = 0xFE;
inline constexpr uint8_t kEndMarker = 0xFF;

// Header field offsets.
inline constexpr size_t kVersionAt = 8;
inline constexpr size_t kLsnAt = 12;
inline constexpr size_t kCreatedAt = 20;
inline constexpr size_t kDatabasesAt = 28;
inline constexpr size_t kHeaderCrcAt = 32;
// The end marker and the checksum after the last database.
inline constexpr size_t kTrailerBytes = 5;

// Little-endian fixed-width integers, whatever the host's byte order.
inline unsigned char* put_le(unsigned char* p, uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i)
    *p++ = static_cast<unsigned char>(v >> (8 * i));
  return p;
}
inline uint64_t get_le(const unsigned char* p, int bytes) {
  uint64_t v = 0;
  for (int i = 0; i < bytes; ++i)
    v |= static_cast<uint64_t>(p[i]) << (8 * i);
  return v;
}

// Signed integers as varints: small magnitudes of either sign stay short.
inline uint64_t zigzag(int64_t v) {
  return (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63);
}
inline int64_t unzigzag(uint64_t v) {
  return static_cast<int64_t>((v >> 1) ^ (~(v & 1) + 1));
}

inline uint64_t double_bits(double d) {
  uint64_t bits;
  std::memcpy(&bits, &d, sizeof bits);
  return bits;
}
inline double bits_double(uint64_t bits) {
  double d;
  std::memcpy(&d, &bits, sizeof d);
  return d;
}

}  // namespace vireo::checkpoint_format
