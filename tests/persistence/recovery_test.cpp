// Recovery as start-up composes it: the newest checkpoint, then the log
// after its position, replayed into an empty keyspace, gives back the
// keyspace that wrote them; so does the log alone.
#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

#include "persistence/checkpoint.h"
#include "persistence/effect_replay.h"
#include "persistence/wal_scan.h"
#include "persistence/wal_writer.h"
#include "tests/core/command_fixture.h"
#include "tests/core/keyspace_image.h"
#include "tests/temp_dir.h"

using namespace vireo;
using vireo::test::CommandFixture;
using vireo::test::TempDir;

namespace {

constexpr int64_t kNow = 1'800'000'000'000;  // a fixed clock: deadlines compare exactly

// A primary whose effects go to a log, one record per command (as one loop
// iteration's batch would).
struct Primary {
  explicit Primary(const TempDir& dir) : log({dir.str(), FsyncPolicy::kNo}, [] {}) {
    f.set_time(kNow);
    BOOST_REQUIRE(log.open(0).empty());
  }
  void run(int db, std::vector<std::string> command) {
    f.client().db = db;
    f.run(command);
    if (std::string record = f.take_record(); !record.empty()) log.append(record);
  }
  CommandFixture f;
  WalWriter log;
};

void first_phase(Primary& p) {
  p.run(0, {"SET", "s", "v"});
  p.run(0, {"SET", "n", "41"});
  p.run(0, {"INCR", "n"});
  p.run(0, {"SET", "ttl", "x", "PX", "3600000"});
  p.run(1, {"RPUSH", "l", "a", "b", "c"});
  p.run(1, {"HSET", "h", "f1", "1", "f2", "2"});
  p.run(2, {"SADD", "set", "1", "2", "3"});
  p.run(2, {"ZADD", "z", "1.5", "a", "-inf", "b"});
  for (int i = 0; i < 200; ++i)
    p.run(3, {"RPUSH", "big", "item" + std::to_string(i)});  // past the compact encoding
}

void second_phase(Primary& p) {
  p.run(0, {"SET", "s", "overwritten"});
  p.run(0, {"DEL", "n"});
  p.run(0, {"PERSIST", "ttl"});
  p.run(1, {"LPOP", "l"});
  p.run(1, {"HINCRBYFLOAT", "h", "f1", "0.25"});
  p.run(2, {"SPOP", "set"});
  p.run(2, {"ZINCRBY", "z", "2", "a"});
  p.run(3, {"LTRIM", "big", "0", "9"});
  p.run(4, {"SET", "moved", "1"});
  p.run(4, {"MOVE", "moved", "5"});
  p.run(5, {"SWAPDB", "5", "6"});
  p.run(2, {"FLUSHDB"});
  p.run(2, {"SADD", "after-flush", "x"});
}

// Replays `dir`'s log from `from` into `restored`; returns the records applied.
uint64_t replay(const TempDir& dir, uint64_t from, CommandFixture& restored) {
  std::string error;
  auto segments = wal::list_segments(dir.str(), &error);
  BOOST_REQUIRE(error.empty());
  EffectReplayer replayer(restored.keyspace(), restored.table(), restored.limits());
  restored.keyspace().set_deadlines(Deadlines::kIgnored);
  wal::LogScanResult scan = wal::scan_log(
      segments, from, [&](uint64_t, std::string_view payload) { return replayer.apply(payload); });
  restored.keyspace().set_deadlines(Deadlines::kEnforced);
  BOOST_TEST(scan.ok(), scan.error);
  return scan.records;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(recovery)

BOOST_AUTO_TEST_CASE(checkpoint_then_the_log_after_it) {
  TempDir dir;
  Primary primary(dir);
  first_phase(primary);
  // As the server takes a checkpoint: a new segment, the keyspace at that
  // position, then more writes; once it lands, the older segments go.
  primary.log.roll();
  const uint64_t lsn = primary.log.appended_lsn();
  CheckpointWriteResult written =
      write_checkpoint_file(dir.str(), "checkpoint.vck", primary.f.keyspace(), lsn, kNow);
  BOOST_REQUIRE(written.ok());
  const uint64_t before = primary.log.appended_lsn();
  second_phase(primary);
  BOOST_REQUIRE(primary.log.sync_all().empty());
  BOOST_TEST(primary.log.appended_lsn() > before);
  BOOST_TEST(primary.log.remove_segments_before(lsn) == 1);

  CommandFixture restored;
  restored.set_time(kNow);
  restored.keyspace().set_now(kNow);
  CheckpointLoadOptions options;
  options.limits = restored.limits().containers;
  CheckpointLoadResult loaded =
      load_checkpoint((dir.path / "checkpoint.vck").string(), restored.keyspace(), options);
  BOOST_REQUIRE(loaded.ok());
  BOOST_TEST(loaded.lsn == lsn);
  BOOST_TEST(replay(dir, lsn, restored) == 13u);  // one record per write of the second phase
  BOOST_TEST_INFO(test::difference(test::image_of(primary.f), test::image_of(restored)));
  BOOST_TEST((test::image_of(primary.f) == test::image_of(restored)));
}

BOOST_AUTO_TEST_CASE(the_log_alone) {
  TempDir dir;
  Primary primary(dir);
  first_phase(primary);
  primary.log.roll();
  second_phase(primary);
  BOOST_REQUIRE(primary.log.sync_all().empty());
  CommandFixture restored;
  restored.set_time(kNow);
  replay(dir, 0, restored);
  BOOST_TEST_INFO(test::difference(test::image_of(primary.f), test::image_of(restored)));
  BOOST_TEST((test::image_of(primary.f) == test::image_of(restored)));
}

// The replayer parses a few commands ahead of the one it runs: a record of
// many commands, databases switching between them, applies exactly as one
// command at a time would, and a fault stops it where the fault is.
BOOST_AUTO_TEST_CASE(a_record_of_many_commands_applies_in_order) {
  auto command = [](std::vector<std::string> args) {
    std::string out = "*" + std::to_string(args.size()) + "\r\n";
    for (const std::string& a : args)
      out += "$" + std::to_string(a.size()) + "\r\n" + a + "\r\n";
    return out;
  };
  std::string record;
  for (int i = 0; i < 20; ++i) {
    record += command({"SELECT", std::to_string(i % 3)});
    record += command({"SET", "k", std::to_string(i)});
    record += command({"RPUSH", "l" + std::to_string(i % 2), std::to_string(i)});
  }
  CommandFixture restored;
  EffectReplayer replayer(restored.keyspace(), restored.table(), restored.limits());
  BOOST_TEST(replayer.apply(record) == "");
  BOOST_TEST(replayer.applied() == 40u);
  for (int db = 0; db < 3; ++db) {
    restored.client().db = db;
    const int last = 19 - (19 - db) % 3;  // the last i with i % 3 == db
    BOOST_TEST(restored.run({"GET", "k"}) == "$2\r\n" + std::to_string(last) + "\r\n");
  }
  restored.client().db = 0;
  BOOST_TEST(restored.run({"LRANGE", "l0", "0", "-1"}) ==
             "*4\r\n$1\r\n0\r\n$1\r\n6\r\n$2\r\n12\r\n$2\r\n18\r\n");

  CommandFixture faulty;
  EffectReplayer stopped(faulty.keyspace(), faulty.table(), faulty.limits());
  const std::string failing = command({"SET", "before", "1"}) + command({"LPUSH", "before", "x"}) +
                              command({"SET", "after", "1"});
  BOOST_TEST(stopped.apply(failing).rfind("the effect 'lpush' failed: WRONGTYPE", 0) == 0u);
  BOOST_TEST(faulty.run({"EXISTS", "before", "after"}) == ":1\r\n");
  const std::string garbled = command({"SET", "first", "1"}) + "*1\r\n$x\r\n";
  BOOST_TEST(stopped.apply(garbled).find("Protocol error") != std::string::npos);
  BOOST_TEST(faulty.run({"EXISTS", "first"}) == ":1\r\n");
  BOOST_TEST(stopped.apply(command({"SET", "cut", "1"}).substr(0, 10)) ==
             "the stream ends inside a command");
}

BOOST_AUTO_TEST_CASE(a_log_that_begins_after_the_checkpoint_is_refused) {
  TempDir dir;
  Primary primary(dir);
  first_phase(primary);
  primary.log.roll();
  const uint64_t lsn = primary.log.appended_lsn();
  second_phase(primary);
  BOOST_REQUIRE(primary.log.sync_all().empty());
  primary.log.remove_segments_before(primary.log.appended_lsn() + 1);  // the covered ones, and more
  std::string error;
  auto segments = wal::list_segments(dir.str(), &error);
  BOOST_REQUIRE(!segments.empty());
  BOOST_REQUIRE(segments.front().start_lsn == lsn);
  // A checkpoint older than the first segment: the records between are gone.
  wal::LogScanResult scan =
      wal::scan_log(segments, lsn - 1, [](uint64_t, std::string_view) { return std::string(); });
  BOOST_REQUIRE(scan.problems.size() == 1u);
  BOOST_TEST((scan.problems[0].kind == wal::LogProblem::Kind::kCorrupt));
  BOOST_TEST(scan.problems[0].what.find("the records between are missing") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
