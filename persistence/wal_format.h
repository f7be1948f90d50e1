#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace vireo::wal {

// The write-ahead log on disk (DESIGN.md, Persistence).
//
// The logical log is a sequence of records; a record's position (LSN) is the
// byte offset of its start in that sequence, counting every record's header
// and payload and nothing else. The log is cut into segment files
// `wal-<20-digit start LSN>.log`; each begins with a 32-byte header that is
// not part of the logical log:
//
//   segment header: "VIREOWAL" | version u32 | zero u32 | start LSN u64 |
//                   CRC-32C of the 24 bytes before it u32 | zero u32
//   record:         payload length u32 | CRC-32C of the payload u32 |
//                   CRC-32C of the 8 bytes before it u32 | payload
//
// The record header checks itself (DESIGN.md has 8 bytes; 4 more are worth
// it): a damaged length is then known as damage, where a length that only
// pointed past the end of the file would look like a torn write and the
// records after it would be cut off as a torn tail.
//
// Integers are little-endian. A payload is RESP: effect commands, starting
// with SELECT, in which an atomic group (MULTI ... EXEC) is never split
// across records, so a record applies whole or not at all.

inline constexpr size_t kSegmentHeaderSize = 32;
inline constexpr size_t kRecordHeaderSize = 12;
inline constexpr uint32_t kFormatVersion = 1;
// Larger payloads are refused by the writer and read as corruption.
inline constexpr uint32_t kMaxPayload = 1u << 30;

// The 32 header bytes of a segment starting at `start_lsn`.
std::string segment_header(uint64_t start_lsn);
// The start LSN a segment header records, if `header` (at least 32 bytes) is one.
std::optional<uint64_t> parse_segment_header(std::string_view header);

// The file name of the segment starting at `start_lsn`, and back.
std::string segment_name(uint64_t start_lsn);
std::optional<uint64_t> parse_segment_name(std::string_view name);

// Writes the 12 header bytes of a record holding `payload` into `out`.
void record_header(std::string_view payload, unsigned char out[kRecordHeaderSize]);

// What is found at one position of a segment's record area.
struct RecordRead {
  enum class Status {
    kRecord,      // a whole, intact record: `payload`, and `next` after it
    kEnd,         // exactly at the end of the bytes
    kIncomplete,  // the bytes end inside the record (a torn write, if at the log's end)
    kCorrupt,     // a damaged header, a length out of range or a checksum mismatch
  };
  Status status;
  std::string_view payload;
  size_t next = 0;
  // For kCorrupt with an intact header: the bytes it claims (header
  // included), so a reader can tell a damaged last record from damage inside.
  size_t claimed = 0;
  std::string problem;  // for kIncomplete and kCorrupt: what is wrong, for a person
};

// Reads the record at `pos` of `bytes` (a segment's contents after its header).
RecordRead read_record(std::string_view bytes, size_t pos);

}  // namespace vireo::wal
