#pragma once

#include <cstdint>
#include <cstring>
#include <string_view>

namespace vireo {

// A fast seeded 64-bit hash for keys and members. Every bit of the result
// depends on every input byte, so callers may slice it: the scan table takes
// its top bits for the segment and its low bits for the bucket. The seed is
// chosen per process so that clients cannot precompute colliding keys.
uint64_t hash_bytes(std::string_view data);

// The process-wide seed; set once at start-up (tests may fix it).
void set_hash_seed(uint64_t seed);

}  // namespace vireo
