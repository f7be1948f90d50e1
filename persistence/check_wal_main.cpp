// vireo-check-wal [--truncate] <log directory>
//
// Verifies every segment of a Vireo write-ahead log: headers, record
// checksums, continuity between segments. Reports each problem with its
// file, offset and log position. With --truncate, cuts the log at its last
// good record (removing later segments) after saying what will be dropped.
#include <fmt/format.h>

#include <cstdio>
#include <cstring>
#include <string>

#include "persistence/wal_scan.h"

namespace {

void usage() {
  std::fputs(
      "Usage: vireo-check-wal [--truncate] <dir>\n"
      "  <dir>       the log directory (appenddirname inside the server's dir)\n"
      "  --truncate  cut the log at its last good record, dropping what follows\n"
      "Exit status: 0 the log is intact, 1 problems found (or left), 2 usage or I/O error.\n",
      stderr);
}

}  // namespace

int main(int argc, char** argv) {
  bool truncate = false;
  std::string dir;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--truncate") == 0) {
      truncate = true;
    } else if (argv[i][0] == '-' || !dir.empty()) {
      usage();
      return 2;
    } else {
      dir = argv[i];
    }
  }
  if (dir.empty()) {
    usage();
    return 2;
  }
  std::string error;
  auto segments = vireo::wal::list_segments(dir, &error);
  if (!error.empty()) {
    fmt::print(stderr, "{}\n", error);
    return 2;
  }
  vireo::wal::LogScanResult scan =
      vireo::wal::scan_log(segments, 0, [](uint64_t, std::string_view) { return std::string(); });
  if (!scan.error.empty()) {
    fmt::print(stderr, "{}\n", scan.error);
    return 2;
  }
  uint64_t bytes = 0;
  for (const auto& s : segments)
    bytes += s.size;
  fmt::print("{} segments, {} bytes; log positions {} to {}; {} intact records\n", segments.size(),
             bytes, scan.start_lsn, scan.end_lsn, scan.records);
  if (scan.problems.empty()) {
    fmt::print("The log is intact.\n");
    return 0;
  }
  const vireo::wal::LogProblem& p = scan.problems.front();
  const bool torn = p.kind == vireo::wal::LogProblem::Kind::kTornTail;
  uint64_t dropped = p.bytes_after;
  bool later = false;
  for (const auto& s : segments) {
    if (later) dropped += s.size;
    if (s.path == p.path) later = true;
  }
  fmt::print("{}: {} at offset {} of {} (log position {})\n",
             torn ? "Torn tail (an interrupted write)" : "Damage", p.what, p.offset, p.path, p.lsn);
  fmt::print("Everything from there on is {} bytes{}.\n", dropped,
             torn ? "; the server drops a torn tail by itself at start-up"
                  : "; the server will not start until this is resolved");
  if (!truncate) {
    fmt::print("Run with --truncate to cut the log at the last good record.\n");
    return 1;
  }
  if (std::string e = vireo::wal::truncate_log(segments, p); !e.empty()) {
    fmt::print(stderr, "{}\n", e);
    return 2;
  }
  fmt::print("Truncated: {} bytes dropped; the log now ends at position {}.\n", dropped, p.lsn);
  return 0;
}
