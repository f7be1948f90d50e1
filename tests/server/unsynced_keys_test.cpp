// UnsyncedKeys: which reads must wait for an fsync under appendfsync always.
#include "server/unsynced_keys.h"

#include <boost/test/unit_test.hpp>

#include <string>
#include <string_view>
#include <vector>

#include "core/command_table.h"
#include "core/commands/families.h"

using namespace vireo;

namespace {

struct NullSink : EffectSink {
  void emit(int, Args) override { ++emitted; }
  int emitted = 0;
};

struct Fixture {
  Fixture() { register_core_commands(table); }
  void write(std::vector<std::string_view> argv, int db = 0) { keys.emit(db, argv); }
  uint64_t wait(std::vector<std::string_view> argv, int db = 0) {
    const Command* cmd = table.find(argv[0]);
    BOOST_REQUIRE(cmd);
    return keys.wait_for_read(*cmd->spec, argv, db);
  }
  CommandTable table;
  NullSink sink;
  UnsyncedKeys keys{&sink, &table};
};

constexpr uint64_t kOpen = UnsyncedKeys::kOpenBatch;

}  // namespace

BOOST_AUTO_TEST_SUITE(unsynced_keys)

BOOST_AUTO_TEST_CASE(a_read_waits_only_for_the_keys_it_names) {
  Fixture f;
  f.keys.set_enabled(true);
  f.write({"SET", "k", "v"});
  BOOST_TEST(f.sink.emitted == 1);  // forwarded
  BOOST_TEST(f.wait({"GET", "k"}) == kOpen);
  BOOST_TEST(f.wait({"GET", "other"}) == 0u);
  BOOST_TEST(f.wait({"GET", "k"}, 1) == 0u);  // another database
  BOOST_TEST(f.wait({"MGET", "other", "k"}) == kOpen);
  BOOST_TEST(f.wait({"DBSIZE"}) == kOpen);  // reads the whole keyspace
  f.keys.batch_written(100);
  BOOST_TEST(f.wait({"GET", "k"}) == 100u);
  BOOST_TEST(f.wait({"SCAN", "0"}) == 100u);
  f.keys.durable(99);
  BOOST_TEST(f.wait({"GET", "k"}) == 100u);
  f.keys.durable(100);
  BOOST_TEST(f.wait({"GET", "k"}) == 0u);
  BOOST_TEST(f.wait({"DBSIZE"}) == 0u);
}

BOOST_AUTO_TEST_CASE(a_key_written_again_waits_for_its_last_write) {
  Fixture f;
  f.keys.set_enabled(true);
  f.write({"SET", "k", "1"});
  f.keys.batch_written(100);
  f.write({"RPUSH", "l", "a"});
  f.write({"DEL", "k"});
  f.keys.batch_written(200);
  f.keys.durable(100);
  BOOST_TEST(f.wait({"GET", "k"}) == 200u);
  BOOST_TEST(f.wait({"LRANGE", "l", "0", "-1"}) == 200u);
  f.keys.durable(200);
  BOOST_TEST(f.wait({"GET", "k"}) == 0u);
}

BOOST_AUTO_TEST_CASE(changes_without_a_key_list_hold_every_read) {
  Fixture f;
  f.keys.set_enabled(true);
  f.write({"FLUSHALL"});
  BOOST_TEST(f.wait({"GET", "anything"}) == kOpen);
  f.keys.batch_written(50);
  BOOST_TEST(f.wait({"GET", "anything"}) == 50u);
  f.keys.durable(50);
  BOOST_TEST(f.wait({"GET", "anything"}) == 0u);
  f.write({"SWAPDB", "0", "1"});
  f.keys.batch_written(60);
  BOOST_TEST(f.wait({"GET", "x"}, 3) == 60u);
}

BOOST_AUTO_TEST_CASE(disabled_it_only_forwards) {
  Fixture f;
  f.write({"SET", "k", "v"});
  BOOST_TEST(f.sink.emitted == 1);
  BOOST_TEST(f.wait({"GET", "k"}) == 0u);
  BOOST_TEST(f.wait({"DBSIZE"}) == 0u);
}

BOOST_AUTO_TEST_CASE(each_effect_is_read_as_its_own_command_whatever_came_before) {
  // The last command is remembered: a different one after it must not be
  // taken for it (a FLUSHDB after SETs holds every read; a DEL after it names
  // its key).
  Fixture f;
  f.keys.set_enabled(true);
  f.write({"SET", "a", "1"});
  f.write({"set", "b", "2"});
  f.keys.batch_written(10);
  f.keys.durable(10);
  BOOST_TEST(f.wait({"GET", "other"}) == 0u);
  f.write({"FLUSHDB"});
  BOOST_TEST(f.wait({"GET", "other"}) == kOpen);
  f.keys.batch_written(20);
  f.keys.durable(20);
  f.write({"DEL", "c"});
  BOOST_TEST(f.wait({"GET", "c"}) == kOpen);
  BOOST_TEST(f.wait({"GET", "other"}) == 0u);
}

BOOST_AUTO_TEST_SUITE_END()
