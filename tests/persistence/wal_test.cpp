// The write-ahead log's files: framing, scanning, torn tails and corruption,
// the writer's segments and syncs, and replaying records into a keyspace.
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "persistence/effect_replay.h"
#include "persistence/wal_format.h"
#include "persistence/wal_scan.h"
#include "persistence/wal_writer.h"
#include "tests/core/command_fixture.h"
#include "tests/temp_dir.h"

using namespace vireo;
using vireo::test::TempDir;
namespace fs = std::filesystem;

namespace {

struct Scanned {
  wal::LogScanResult result;
  std::vector<std::pair<uint64_t, std::string>> records;
};

Scanned scan(const std::string& dir, uint64_t from = 0) {
  Scanned s;
  std::string error;
  auto segments = wal::list_segments(dir, &error);
  BOOST_REQUIRE(error.empty());
  s.result = wal::scan_log(segments, from, [&](uint64_t lsn, std::string_view payload) {
    s.records.emplace_back(lsn, std::string(payload));
    return std::string();
  });
  return s;
}

// Waits (polling) for the sync thread to finish the sync in progress.
void await_sync(WalWriter& w) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (w.sync_running() && std::chrono::steady_clock::now() < deadline) {
    w.sync_done();
    std::this_thread::yield();
  }
  BOOST_REQUIRE(!w.sync_running());
}

// A one-segment log of `payloads` written by the writer; returns the file's
// path. Under kAlways and kEverysec the file has `ahead` zero-filled bytes
// (or more) after the records.
std::string write_log(const TempDir& dir, const std::vector<std::string>& payloads,
                      FsyncPolicy policy = FsyncPolicy::kNo, uint64_t ahead = 4096) {
  WalWriter w({dir.str(), policy, 64ull << 20, ahead}, [] {});
  BOOST_REQUIRE(w.open(0).empty());
  for (const auto& p : payloads)
    w.append(p);
  BOOST_REQUIRE(w.sync_all().empty());
  return (dir.path / wal::segment_name(0)).string();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(wal_log)

BOOST_AUTO_TEST_CASE(segment_names_and_headers_round_trip) {
  BOOST_TEST(wal::segment_name(42) == "wal-00000000000000000042.log");
  BOOST_TEST(*wal::parse_segment_name("wal-00000000000000000042.log") == 42u);
  BOOST_TEST(!wal::parse_segment_name("wal-0000000000000000004x.log"));
  BOOST_TEST(!wal::parse_segment_name("wal-42.log"));
  BOOST_TEST(!wal::parse_segment_name("checkpoint-00000000000000000042.log"));
  std::string h = wal::segment_header(1234567);
  BOOST_TEST(h.size() == wal::kSegmentHeaderSize);
  BOOST_TEST(*wal::parse_segment_header(h) == 1234567u);
  for (size_t i = 0; i < h.size(); ++i) {
    std::string bad = h;
    bad[i] ^= 0x20;
    // Bytes 12..15 and 28..31 are reserved padding, outside the checksum.
    if ((i >= 12 && i < 16) || i >= 28) continue;
    BOOST_TEST(!wal::parse_segment_header(bad), "byte " << i);
  }
}

BOOST_AUTO_TEST_CASE(records_are_read_back_with_their_positions) {
  TempDir dir;
  write_log(dir, {"first", "", std::string(70000, 'x')});
  Scanned s = scan(dir.str());
  BOOST_TEST(s.result.ok());
  BOOST_REQUIRE(s.records.size() == 3u);
  BOOST_TEST(s.records[0].first == 0u);
  BOOST_TEST(s.records[1].first == 17u);  // 12 + 5
  BOOST_TEST(s.records[2].first == 29u);  // + 12 + 0
  BOOST_TEST(s.records[2].second == std::string(70000, 'x'));
  BOOST_TEST(s.result.end_lsn == 29u + 12 + 70000);
  // From a later position, earlier records are checked but not delivered.
  Scanned later = scan(dir.str(), 17);
  BOOST_TEST(later.records.size() == 2u);
}

// A crash can stop a write anywhere: every cut of the last segment is either
// a clean record boundary or a torn tail at the last whole record. A cut file
// ends there; in a preallocated one, zeros follow the cut.
BOOST_DATA_TEST_CASE(every_truncation_point_is_a_boundary_or_a_torn_tail,
                     boost::unit_test::data::make({false, true}), preallocated) {
  TempDir dir;
  std::string path = write_log(dir, {"alpha", "beta!", "gamma"},
                               preallocated ? FsyncPolicy::kAlways : FsyncPolicy::kNo);
  const std::string name = fs::path(path).filename();
  const std::string full = dir.read(name);
  const std::vector<size_t> boundaries = {32, 32 + 17, 32 + 34, 32 + 51};
  BOOST_REQUIRE(preallocated ? full.size() >= 32 + 51 + 4096 / 2 : full.size() == 32 + 51);
  for (size_t cut = 0; cut < 32 + 51; ++cut) {
    std::string written = full.substr(0, cut);
    if (preallocated) written.resize(full.size(), '\0');
    dir.write(name, written);
    Scanned s = scan(dir.str());
    BOOST_TEST_CONTEXT("cut at " << cut) {
      BOOST_TEST(s.result.error.empty());
      // Zeros the cut left off are zeros the filling put back.
      size_t at = cut;
      while (preallocated && at < 32 + 51 && full[at] == 0)
        ++at;
      size_t whole = 0;
      while (whole + 1 < boundaries.size() && boundaries[whole + 1] <= at)
        ++whole;
      if (std::find(boundaries.begin(), boundaries.end(), at) != boundaries.end()) {
        BOOST_TEST(s.result.ok());
        BOOST_TEST(s.records.size() == whole);
      } else {
        BOOST_REQUIRE(s.result.problems.size() == 1u);
        const wal::LogProblem& p = s.result.problems[0];
        BOOST_TEST((p.kind == wal::LogProblem::Kind::kTornTail));
        BOOST_TEST(p.offset == (at < 32 ? 0 : boundaries[whole]));
        // Counted up to the last non-zero byte: zeros after it hold nothing.
        size_t data_end = cut;
        while (data_end > p.offset && full[data_end - 1] == 0)
          --data_end;
        BOOST_TEST(p.bytes_after == data_end - p.offset);
        BOOST_TEST(s.records.size() == (at < 32 ? 0 : whole));
      }
    }
  }
}

// Any flipped byte is noticed; records before it are still delivered, and
// damage before the last record is corruption, never a torn tail.
BOOST_DATA_TEST_CASE(every_single_byte_corruption_is_detected,
                     boost::unit_test::data::make({false, true}), preallocated) {
  TempDir dir;
  std::string path = write_log(dir, {"alpha", "beta!", "gamma"},
                               preallocated ? FsyncPolicy::kAlways : FsyncPolicy::kNo);
  const std::string name = fs::path(path).filename();
  const std::string full = dir.read(name);
  for (size_t i = 0; i < 32 + 51; ++i) {
    if ((i >= 12 && i < 16) || (i >= 28 && i < 32)) continue;  // header padding
    std::string bad = full;
    bad[i] ^= 0x01;
    dir.write(name, bad);
    Scanned s = scan(dir.str());
    BOOST_TEST_CONTEXT("byte " << i) {
      BOOST_REQUIRE(s.result.problems.size() == 1u);
      const wal::LogProblem& p = s.result.problems[0];
      const size_t record = i < 32 ? 0 : (i - 32) / 17;
      BOOST_TEST(s.records.size() == record);
      if (i < 32) {
        BOOST_TEST((p.kind == wal::LogProblem::Kind::kCorrupt));
      } else if (record < 2) {
        BOOST_TEST((p.kind == wal::LogProblem::Kind::kCorrupt));
        BOOST_TEST(p.offset == 32 + 17 * record);
      }
    }
  }
}

// Non-zero bytes in the zero-filled space after the last record: within a
// record header's length of it, what a torn header write leaves; further on,
// damage that start-up must not drop by itself.
BOOST_AUTO_TEST_CASE(bytes_in_the_zero_filled_space_are_a_torn_tail_or_damage) {
  TempDir dir;
  std::string path = write_log(dir, {"alpha", "beta!", "gamma"}, FsyncPolicy::kEverysec);
  const std::string name = fs::path(path).filename();
  const std::string full = dir.read(name);
  for (size_t i : {32 + 51, 32 + 51 + 11, 32 + 51 + 12, 32 + 51 + 4000}) {
    std::string bad = full;
    bad[i] = 'x';
    dir.write(name, bad);
    Scanned s = scan(dir.str());
    BOOST_TEST_CONTEXT("byte " << i) {
      BOOST_TEST(s.records.size() == 3u);
      BOOST_REQUIRE(s.result.problems.size() == 1u);
      const wal::LogProblem& p = s.result.problems[0];
      BOOST_TEST(p.offset == 32u + 51);
      BOOST_TEST(p.bytes_after == i + 1 - p.offset);
      const bool torn = i < 32 + 51 + 12;
      BOOST_TEST(
          (p.kind == (torn ? wal::LogProblem::Kind::kTornTail : wal::LogProblem::Kind::kCorrupt)));
    }
  }
}

// Under always and everysec the writer keeps zero-filled space ahead of its
// records (so that fdatasync finds the file's size unchanged), within the
// segment size and not under `no`; readers take the zeros as the end of a
// segment's records, in every segment.
BOOST_AUTO_TEST_CASE(the_writer_zero_fills_ahead_within_the_segment_size) {
  for (FsyncPolicy policy : {FsyncPolicy::kAlways, FsyncPolicy::kEverysec, FsyncPolicy::kNo}) {
    TempDir dir;
    constexpr uint64_t kSegment = 64 << 10, kAhead = 16 << 10;
    uint64_t end;
    {
      WalWriter w({dir.str(), policy, kSegment, kAhead}, [] {});
      BOOST_REQUIRE(w.open(0).empty());
      for (int i = 0; i < 100; ++i)
        w.append(std::string(1000, static_cast<char>('a' + i % 26)));
      end = w.appended_lsn();
      BOOST_REQUIRE(w.sync_all().empty());
    }
    std::string error;
    auto segments = wal::list_segments(dir.str(), &error);
    BOOST_REQUIRE(segments.size() == 2u);
    const uint64_t records_end = wal::kSegmentHeaderSize + (end - segments[1].start_lsn);
    const std::string last = dir.read(fs::path(segments[1].path).filename());
    BOOST_TEST_CONTEXT("policy " << static_cast<int>(policy)) {
      if (policy == FsyncPolicy::kNo) {
        BOOST_TEST(last.size() == records_end);
        BOOST_TEST(segments[0].size < kSegment + 1012);
      } else {
        // Between half and all of `ahead` past the records, and zeros.
        BOOST_TEST(last.size() >= records_end + kAhead / 2);
        BOOST_TEST(last.size() <= records_end + kAhead);
        BOOST_TEST(last.find_first_not_of('\0', records_end) == std::string::npos);
        // The closed segment was filled up to the segment size, never past it
        // but by its last record.
        BOOST_TEST(segments[0].size >= kSegment);
        BOOST_TEST(segments[0].size < kSegment + 1012);
      }
      Scanned s = scan(dir.str());
      BOOST_TEST(s.result.ok());
      BOOST_TEST(s.records.size() == 100u);
      BOOST_TEST(s.result.end_lsn == end);
      {
        // A restart continues after the records, not after the zeros.
        WalWriter w({dir.str(), policy, kSegment, kAhead}, [] {});
        BOOST_REQUIRE(w.open(end).empty());
        w.append("after restart");
        BOOST_REQUIRE(w.sync_all().empty());
      }
      // The zeros after the records of a segment before the last are read past too.
      Scanned again = scan(dir.str());
      BOOST_TEST(again.result.ok());
      BOOST_REQUIRE(again.records.size() == 101u);
      BOOST_TEST(again.records.back().first == end);
    }
  }
}

// All of [from, to) through a LogRangeReader, in reads of `piece` bytes;
// returns "" or the first error (opening or reading).
std::string read_range(const std::vector<wal::SegmentFile>& segments, uint64_t from, uint64_t to,
                       size_t piece, std::string* out) {
  out->clear();
  wal::LogRangeReader reader;
  if (std::string error = reader.open(segments, from, to); !error.empty()) return error;
  std::vector<char> buf(piece);
  size_t got = 0;
  do {
    if (std::string error = reader.read(buf.data(), buf.size(), &got); !error.empty()) return error;
    out->append(buf.data(), got);
  } while (got > 0);
  return reader.position() == to ? "" : "stopped before the range's end";
}

// Writes 12 records of `shortest`, `shortest` + 1... bytes from position
// `start` into segments of 64 bytes (a few records each); returns the
// logical log: every record's header and payload, in order.
std::string write_small_segments(const TempDir& dir, uint64_t start, size_t shortest) {
  std::string logical;
  WalWriter w({dir.str(), FsyncPolicy::kNo, 64}, [] {});
  BOOST_REQUIRE(w.open(start).empty());
  for (size_t i = 0; i < 12; ++i) {
    const std::string payload(shortest + i, static_cast<char>('a' + i));
    unsigned char header[wal::kRecordHeaderSize];
    wal::record_header(payload, header);
    logical.append(reinterpret_cast<const char*>(header), sizeof header);
    logical += payload;
    w.append(payload);
  }
  BOOST_REQUIRE(w.sync_all().empty());
  return logical;
}

BOOST_AUTO_TEST_CASE(a_log_range_reader_returns_the_logical_bytes_across_segments) {
  TempDir dir;
  const std::string logical = write_small_segments(dir, 1000, 10);
  std::string error;
  auto segments = wal::list_segments(dir.str(), &error);
  BOOST_REQUIRE(segments.size() > 3u);
  // Reads of 64 KB take a segment's whole range at once; of 5 bytes, end
  // inside headers and payloads.
  size_t piece = 64 * 1024;
  auto read = [&](uint64_t from, uint64_t to, std::string* out) {
    return read_range(segments, from, to, piece, out);
  };
  const uint64_t end = 1000 + logical.size();
  std::string got;
  // Every range, each end anywhere, inside a segment or across several.
  for (size_t p : {size_t{64 * 1024}, size_t{5}}) {
    piece = p;
    for (uint64_t from = 1000; from <= end; from += 7) {
      for (uint64_t to = from; to <= end; to += 11) {
        BOOST_REQUIRE(read(from, to, &got).empty());
        BOOST_REQUIRE(got == logical.substr(from - 1000, to - from));
      }
    }
  }
  BOOST_TEST(!read(999, end, &got).empty());       // before the log's start
  BOOST_TEST(!read(1000, end + 1, &got).empty());  // past its end
  // A removed segment in the middle is a gap, not bytes from elsewhere.
  fs::remove(segments[1].path);
  segments = wal::list_segments(dir.str(), &error);
  BOOST_TEST(!read(1000, end, &got).empty());
  BOOST_TEST(read(segments[1].start_lsn, end, &got).empty());  // after the gap, fine
}

BOOST_AUTO_TEST_CASE(a_log_range_reader_keeps_reading_segments_removed_after_it_opened) {
  TempDir dir;
  const std::string logical = write_small_segments(dir, 0, 20);
  std::string error;
  const auto segments = wal::list_segments(dir.str(), &error);
  BOOST_REQUIRE(segments.size() > 3u);
  wal::LogRangeReader reader;
  BOOST_REQUIRE(reader.open(segments, 5, logical.size() - 3) == "");
  // As a checkpoint removes the segments it covers, while a replica catches up.
  for (const auto& s : segments)
    fs::remove(s.path);
  std::string got;
  char buf[13];  // odd pieces: reads end inside records and at segment ends
  size_t n = 0;
  do {
    BOOST_REQUIRE(reader.read(buf, sizeof buf, &n) == "");
    got.append(buf, n);
  } while (n > 0);
  BOOST_TEST(reader.position() == reader.end());
  BOOST_TEST(got == logical.substr(5, logical.size() - 8));
  BOOST_TEST(read_range(segments, 5, logical.size(), 13, &got) != "");  // a later open needs them
}

BOOST_AUTO_TEST_CASE(truncate_log_cuts_at_the_problem_and_drops_later_segments) {
  TempDir dir;
  {
    WalWriter w({dir.str(), FsyncPolicy::kNo, 64}, [] {});
    BOOST_REQUIRE(w.open(0).empty());
    for (int i = 0; i < 12; ++i)
      w.append(std::string(20, static_cast<char>('a' + i)));
    BOOST_REQUIRE(w.sync_all().empty());
  }
  std::string error;
  auto segments = wal::list_segments(dir.str(), &error);
  BOOST_REQUIRE(segments.size() > 3u);
  // Damage the second segment's first record.
  std::string name = fs::path(segments[1].path).filename();
  std::string bytes = dir.read(name);
  bytes[40] ^= 0xff;
  dir.write(name, bytes);
  Scanned s = scan(dir.str());
  BOOST_REQUIRE(s.result.problems.size() == 1u);
  BOOST_TEST((s.result.problems[0].kind == wal::LogProblem::Kind::kCorrupt));
  BOOST_TEST(wal::truncate_log(segments, s.result.problems[0]).empty());
  Scanned after = scan(dir.str());
  BOOST_TEST(after.result.ok());
  BOOST_TEST(after.records.size() == s.records.size());
  BOOST_TEST(wal::list_segments(dir.str(), &error).size() == 2u);
}

BOOST_AUTO_TEST_CASE(segments_roll_continue_and_are_removed_once_covered) {
  TempDir dir;
  uint64_t end;
  {
    WalWriter w({dir.str(), FsyncPolicy::kAlways, 100}, [] {});
    BOOST_REQUIRE(w.open(0).empty());
    for (int i = 0; i < 10; ++i)
      w.append(std::string(40, 'k'));
    end = w.appended_lsn();
    BOOST_TEST(end == 520u);
    BOOST_TEST(w.sync_all().empty());
    BOOST_TEST(w.durable_lsn() == end);
  }
  std::string error;
  // Each segment takes records until it holds 100 bytes or more: header + 2 records.
  BOOST_TEST(wal::list_segments(dir.str(), &error).size() == 5u);
  {
    // A restart continues the same logical log in a new segment.
    WalWriter w({dir.str(), FsyncPolicy::kAlways, 100}, [] {});
    BOOST_REQUIRE(w.open(end).empty());
    w.append("after restart");
    BOOST_TEST(w.sync_all().empty());
    BOOST_TEST(w.remove_segments_before(end) == 5);
  }
  Scanned s = scan(dir.str(), end);
  BOOST_TEST(s.result.ok());
  BOOST_REQUIRE(s.records.size() == 1u);
  BOOST_TEST(s.records[0].first == end);
  BOOST_TEST(s.records[0].second == "after restart");
}

BOOST_AUTO_TEST_CASE(the_sync_thread_makes_appends_durable_in_groups) {
  TempDir dir;
  std::atomic<int> wakes = 0;
  WalWriter w({dir.str(), FsyncPolicy::kAlways}, [&] { ++wakes; });
  BOOST_REQUIRE(w.open(0).empty());
  w.append("one");
  BOOST_TEST(w.written_lsn() == 15u);
  BOOST_TEST(w.durable_lsn() == 0u);
  w.request_sync();
  BOOST_TEST(w.sync_running());
  // Appends during a sync wait for the next one: one fsync covers them all.
  w.append("two");
  w.append("three");
  await_sync(w);
  BOOST_TEST(w.durable_lsn() == 15u);
  BOOST_TEST(wakes.load() >= 1);
  w.request_sync();
  await_sync(w);
  BOOST_TEST(w.durable_lsn() == w.written_lsn());
  BOOST_TEST(w.healthy());
}

BOOST_AUTO_TEST_CASE(a_write_the_disk_refuses_is_kept_and_written_on_retry) {
  TempDir dir;
  WalWriter w({dir.str(), FsyncPolicy::kAlways}, [] {});
  BOOST_REQUIRE(w.open(0).empty());
  w.append("kept");
  // Take the directory's write permission away and force a new segment: the
  // creation fails, as a full or read-only disk would make it.
  fs::permissions(dir.path, fs::perms::owner_write, fs::perm_options::remove);
  w.roll();
  w.append("waiting");
  w.append("queued behind it");
  const bool root = geteuid() == 0;  // root ignores permissions: nothing fails
  if (!root) {
    BOOST_TEST(!w.healthy());
    BOOST_TEST(w.last_errno() == EACCES);
    BOOST_TEST(w.written_lsn() == 16u);
    BOOST_TEST(!w.retry());
  }
  fs::permissions(dir.path, fs::perms::owner_write, fs::perm_options::add);
  BOOST_TEST(w.retry());
  await_sync(w);
  BOOST_TEST(w.written_lsn() == w.appended_lsn());
  BOOST_TEST(w.sync_all().empty());
  Scanned s = scan(dir.str());
  BOOST_TEST(s.result.ok());
  BOOST_REQUIRE(s.records.size() == 3u);
  BOOST_TEST(s.records[2].second == "queued behind it");
}

BOOST_AUTO_TEST_CASE(replay_applies_records_to_a_keyspace) {
  test::CommandFixture f;
  EffectReplayer replay(f.keyspace(), f.table(), f.limits());
  f.keyspace().set_deadlines(Deadlines::kIgnored);
  BOOST_TEST(replay.apply("*2\r\n$6\r\nSELECT\r\n$1\r\n3\r\n"
                          "*1\r\n$5\r\nMULTI\r\n"
                          "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n"
                          "*3\r\n$5\r\nRPUSH\r\n$1\r\nl\r\n$1\r\na\r\n"
                          "*1\r\n$4\r\nEXEC\r\n") == "");
  f.keyspace().set_deadlines(Deadlines::kEnforced);
  BOOST_TEST(replay.applied() == 2u);
  f.client().db = 3;
  BOOST_TEST(f.run({"get", "k"}) == "$1\r\nv\r\n");
  BOOST_TEST(f.run({"lrange", "l", "0", "-1"}) == "*1\r\n$1\r\na\r\n");
  BOOST_TEST(f.take_effects().size() <= 1u);  // the replay propagated nothing
  BOOST_TEST(replay.apply("*2\r\n$3\r\nGET\r\n$1\r\nk\r\n") == "'GET' is not an effect");
  BOOST_TEST(replay.apply("*3\r\n$5\r\nLPUSH\r\n$1\r\nk\r\n$1\r\nx\r\n") ==
             "the effect 'lpush' failed: WRONGTYPE Operation against a key holding the wrong kind "
             "of value");
  BOOST_TEST(replay.apply("*2\r\n$3\r\nDEL") == "the stream ends inside a command");
}

BOOST_AUTO_TEST_SUITE_END()
