#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace vireo::wal {

// One segment file of a log directory.
struct SegmentFile {
  uint64_t start_lsn = 0;  // from its name (and its header, when intact)
  std::string path;
  uint64_t size = 0;  // bytes on disk, header included
};

// The segment files in `dir`, by start LSN. Fills `*error` (and returns
// nothing) when the directory cannot be read; a missing directory is empty.
std::vector<SegmentFile> list_segments(const std::string& dir, std::string* error);

// Something wrong found in a log.
struct LogProblem {
  enum class Kind {
    // The last segment ends inside a record or header: what a crash in the
    // middle of a write leaves. Truncating at `offset` loses only writes that
    // were never acknowledged under `appendfsync always`.
    kTornTail,
    // Damage anywhere else, or a gap between segments: nothing may be
    // dropped without an operator's decision.
    kCorrupt,
  };
  Kind kind;
  std::string path;
  uint64_t offset = 0;  // byte offset in the file where the good data ends
  uint64_t lsn = 0;     // the log position there
  // Bytes in this file from `offset` to its last non-zero byte (zero-filled
  // space after that holds nothing).
  uint64_t bytes_after = 0;
  std::string what;
};

// What a walk over a log found.
struct LogScanResult {
  uint64_t start_lsn = 0;            // where the first segment starts
  uint64_t end_lsn = 0;              // after the last good record
  uint64_t records = 0;              // records delivered to the visitor
  std::vector<LogProblem> problems;  // in log order; the walk stops at a kCorrupt one
  std::string error;                 // the directory or a file could not be read
  bool ok() const { return error.empty() && problems.empty(); }
};

// Walks the records of the log in `segments` (from list_segments) in order,
// calling `visit(lsn, payload)` for each record at or after `from_lsn`;
// `visit` returns an error text to stop the walk (which then appears in
// `error`). Segments wholly before `from_lsn` are skipped; records of the
// others before it are checked but not delivered. Reports a torn tail of the
// last segment and stops at the first corruption (a log that begins after
// `from_lsn` is one).
LogScanResult scan_log(const std::vector<SegmentFile>& segments, uint64_t from_lsn,
                       const std::function<std::string(uint64_t lsn, std::string_view)>& visit);

// Reads the logical log's bytes (record headers and payloads) over a range,
// from the segment files it opens up front: the range stays readable while
// a checkpoint removes the segments it covers. Records are not checked here:
// a primary sends them on to a replica, which checks each one.
class LogRangeReader {
 public:
  LogRangeReader() = default;
  // Closes the files.
  ~LogRangeReader();
  LogRangeReader(const LogRangeReader&) = delete;
  LogRangeReader& operator=(const LogRangeReader&) = delete;

  // Opens the files of `segments` (from list_segments) that hold positions
  // `from` up to `to`. Returns "" or why not: the segments do not hold the
  // whole range, or a file cannot be opened.
  std::string open(const std::vector<SegmentFile>& segments, uint64_t from, uint64_t to);
  // Reads up to `n` bytes at position() into `buf` and moves past them;
  // `*got` is 0 only at end() (or for `n` 0). Returns "" or why not.
  std::string read(char* buf, size_t n, size_t* got);
  uint64_t position() const { return at_; }
  uint64_t end() const { return to_; }

 private:
  struct File {
    int fd;
    std::string path;
    uint64_t start_lsn;  // the position of its first record byte
    uint64_t end_lsn;    // after the last of the range it holds
  };
  std::vector<File> files_;
  size_t current_ = 0;  // the file holding at_
  uint64_t at_ = 0, to_ = 0;
};

// Cuts the log at a problem's good end: truncates its file to `offset` (or
// removes the file when no intact header is left), removes every later
// segment, and fsyncs what it changed. Returns an error text, or "" on success.
std::string truncate_log(const std::vector<SegmentFile>& segments, const LogProblem& at);

}  // namespace vireo::wal
