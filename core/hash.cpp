#include "core/hash.h"

namespace vireo {
namespace {

uint64_t g_seed = 0x2d358dccaa6c78a5ull;

constexpr uint64_t kP0 = 0xa0761d6478bd642full;
constexpr uint64_t kP1 = 0xe7037ed1a0b428dbull;
constexpr uint64_t kP2 = 0x8ebc6af09c88c6e3ull;

// Folds the 128-bit product: the multiply spreads each input bit over the
// high half, the xor brings it back.
inline uint64_t fold_mul(uint64_t a, uint64_t b) {
  __uint128_t r = static_cast<__uint128_t>(a) * b;
  return static_cast<uint64_t>(r) ^ static_cast<uint64_t>(r >> 64);
}

inline uint64_t load64(const unsigned char* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}

// Reads 1..7 bytes without touching memory past the end.
inline uint64_t load_tail(const unsigned char* p, size_t n) {
  uint64_t v = 0;
  std::memcpy(&v, p, n);
  return v;
}

}  // namespace

void set_hash_seed(uint64_t seed) {
  g_seed = seed;
}

uint64_t hash_bytes(std::string_view data) {
  auto p = reinterpret_cast<const unsigned char*>(data.data());
  size_t n = data.size();
  uint64_t h = g_seed ^ fold_mul(n ^ kP0, kP1);
  while (n >= 16) {
    h = fold_mul(load64(p) ^ kP1, load64(p + 8) ^ h);
    p += 16;
    n -= 16;
  }
  if (n >= 8) {
    h = fold_mul(load64(p) ^ kP2, h ^ kP0);
    p += 8;
    n -= 8;
  }
  uint64_t tail = n ? load_tail(p, n) : 0;
  h = fold_mul(tail ^ kP1 ^ (static_cast<uint64_t>(data.size()) << 56), h ^ kP2);
  return fold_mul(h ^ kP0, h ^ kP1);
}

}  // namespace vireo
