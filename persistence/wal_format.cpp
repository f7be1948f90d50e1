#include "persistence/wal_format.h"

#include <fmt/format.h>

#include <cstring>

#include "persistence/crc32c.h"
#include "persistence/lsn_names.h"

namespace vireo::wal {
namespace {

constexpr std::string_view kMagic = "VIREOWAL";
constexpr std::string_view kNamePrefix = "wal-";
constexpr std::string_view kNameSuffix = ".log";

void put32(unsigned char* p, uint32_t v) {
  for (int i = 0; i < 4; ++i)
    p[i] = static_cast<unsigned char>(v >> (8 * i));
}

void put64(unsigned char* p, uint64_t v) {
  for (int i = 0; i < 8; ++i)
    p[i] = static_cast<unsigned char>(v >> (8 * i));
}

uint32_t get32(const char* p) {
  uint32_t v = 0;
  for (int i = 3; i >= 0; --i)
    v = (v << 8) | static_cast<unsigned char>(p[i]);
  return v;
}

uint64_t get64(const char* p) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i)
    v = (v << 8) | static_cast<unsigned char>(p[i]);
  return v;
}

}  // namespace

std::string segment_header(uint64_t start_lsn) {
  unsigned char h[kSegmentHeaderSize] = {};
  std::memcpy(h, kMagic.data(), kMagic.size());
  put32(h + 8, kFormatVersion);
  put64(h + 16, start_lsn);
  put32(h + 24, crc32c(0, h, 24));
  return std::string(reinterpret_cast<const char*>(h), sizeof(h));
}

std::optional<uint64_t> parse_segment_header(std::string_view header) {
  if (header.size() < kSegmentHeaderSize || !header.starts_with(kMagic)) return std::nullopt;
  if (get32(header.data() + 8) != kFormatVersion) return std::nullopt;
  if (get32(header.data() + 24) != crc32c(0, header.data(), 24)) return std::nullopt;
  return get64(header.data() + 16);
}

std::string segment_name(uint64_t start_lsn) {
  return lsn_file_name(kNamePrefix, start_lsn, kNameSuffix);
}

std::optional<uint64_t> parse_segment_name(std::string_view name) {
  return parse_lsn_file_name(name, kNamePrefix, kNameSuffix);
}

void record_header(std::string_view payload, unsigned char out[kRecordHeaderSize]) {
  put32(out, static_cast<uint32_t>(payload.size()));
  put32(out + 4, crc32c(0, payload.data(), payload.size()));
  put32(out + 8, crc32c(0, out, 8));
}

RecordRead read_record(std::string_view bytes, size_t pos) {
  using S = RecordRead::Status;
  const size_t left = bytes.size() - pos;
  if (left == 0) return {S::kEnd};
  if (left < kRecordHeaderSize) {
    return {S::kIncomplete, {}, 0, 0, fmt::format("{} bytes of a record header", left)};
  }
  const char* h = bytes.data() + pos;
  if (get32(h + 8) != crc32c(0, h, 8)) return {S::kCorrupt, {}, 0, 0, "damaged record header"};
  const uint32_t length = get32(h);
  if (length > kMaxPayload) {
    return {S::kCorrupt, {}, 0, 0, fmt::format("record length {} is out of range", length)};
  }
  if (left - kRecordHeaderSize < length) {
    return {S::kIncomplete,
            {},
            0,
            0,
            fmt::format("a record of {} bytes with {} present", length, left - kRecordHeaderSize)};
  }
  std::string_view payload = bytes.substr(pos + kRecordHeaderSize, length);
  if (get32(h + 4) != crc32c(0, payload.data(), payload.size())) {
    return {S::kCorrupt, {}, 0, kRecordHeaderSize + length, "record checksum mismatch"};
  }
  return {S::kRecord, payload, pos + kRecordHeaderSize + length, 0, {}};
}

}  // namespace vireo::wal
