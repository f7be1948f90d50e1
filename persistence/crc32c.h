#pragma once

#include <cstddef>
#include <cstdint>

namespace vireo {

// CRC-32C (Castagnoli), the checksum of every WAL record and checkpoint.
// Chainable: crc32c(crc32c(0, a, n), b, m) == crc32c(0, a+b, n+m). Uses the
// SSE 4.2 instruction when the CPU has it (tens of GB/s, so checking a large
// checkpoint at start-up costs little), a table otherwise; both agree.
uint32_t crc32c(uint32_t crc, const void* data, size_t n);

// The table version alone, for tests that compare the two.
uint32_t crc32c_portable(uint32_t crc, const void* data, size_t n);

}  // namespace vireo
