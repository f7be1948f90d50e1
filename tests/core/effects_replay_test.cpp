// The property that holds persistence and replication together (DESIGN.md):
// replaying the effect stream of any command sequence onto an empty keyspace
// yields the same keyspace, whenever the replay runs.
#include <boost/test/unit_test.hpp>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "core/database.h"
#include "tests/core/command_fixture.h"
#include "tests/core/keyspace_image.h"

using namespace vireo;
using namespace vireo::test;

namespace {

// A random command over a small key and value space, so that commands
// collide, overwrite, expire and fail often.
class CommandGenerator {
 public:
  explicit CommandGenerator(uint64_t seed) : rng_(seed) {}

  std::vector<std::string> next(int64_t now_ms) {
    auto key = [&] { return "k" + std::to_string(pick(8)); };
    auto value = [&] {
      switch (pick(4)) {
        case 0:
          return std::to_string(static_cast<int>(pick(200)) - 100);
        case 1:
          return std::string("1.5");
        case 2:
          return std::string("");
        default:
          return "v" + std::to_string(pick(1000));
      }
    };
    auto ttl = [&] { return std::to_string(1 + pick(3000)); };
    auto abs_ms = [&] { return std::to_string(now_ms + static_cast<int64_t>(pick(6000)) - 2000); };
    switch (pick(34)) {
      case 0:
        return {"SET", key(), value()};
      case 1:
        return {"SET", key(), value(), "PX", ttl()};
      case 2:
        return {"SET", key(), value(), "EX", "2", "NX"};
      case 3:
        return {"SET", key(), value(), "XX", "KEEPTTL"};
      case 4:
        return {"SET", key(), value(), "PXAT", abs_ms(), "GET"};
      case 5:
        return {"GET", key()};
      case 6:
        return {"DEL", key(), key()};
      case 7:
        return {"INCR", key()};
      case 8:
        return {"INCRBY", key(), std::to_string(static_cast<int>(pick(20)) - 10)};
      case 9:
        return {"INCRBYFLOAT", key(), "0.25"};
      case 10:
        return {"APPEND", key(), value()};
      case 11:
        return {"SETRANGE", key(), std::to_string(pick(6)), value()};
      case 12:
        return {"GETDEL", key()};
      case 13:
        return {"GETEX", key(), "PX", ttl()};
      case 14:
        return {"GETEX", key(), "PERSIST"};
      case 15:
        return {"EXPIRE", key(), std::to_string(static_cast<int>(pick(6)) - 1)};
      case 16:
        return {"PEXPIRE", key(), ttl(), pick(2) ? "GT" : "NX"};
      case 17:
        return {"PEXPIREAT", key(), abs_ms()};
      case 18:
        return {"PERSIST", key()};
      case 19:
        return {"RENAME", key(), key()};
      case 20:
        return {"RENAMENX", key(), key()};
      case 21:
        return {"MOVE", key(), std::to_string(pick(3))};
      case 22:
        return {"COPY", key(), key(), "DB", std::to_string(pick(3)), "REPLACE"};
      case 23:
        return {"SELECT", std::to_string(pick(3))};
      case 24:
        return {"SWAPDB", std::to_string(pick(3)), std::to_string(pick(3))};
      case 25:
        return {"MSET", key(), value(), key(), value()};
      case 26:
        return {"MSETNX", key(), value(), key(), value()};
      case 27:
        return {"SETNX", key(), value()};
      case 28:
        return {"SETEX", key(), "1", value()};
      case 29:
        return {"PSETEX", key(), ttl(), value()};
      case 30:
        return {"DECRBY", key(), "3"};
      case 31:
        return {"UNLINK", key()};
      case 32:
        return pick(20) == 0 ? std::vector<std::string>{"FLUSHDB"}
                             : std::vector<std::string>{"EXISTS", key()};
      default:
        return {"SCAN", "0", "COUNT", "100"};
    }
  }

 private:
  uint64_t pick(uint64_t n) { return rng_() % n; }
  std::mt19937_64 rng_;
};

// Random list, hash, set and sorted-set commands (with some key commands
// mixed in) over a few keys, so that types collide, collections empty out
// and convert between encodings.
class ContainerCommandGenerator {
 public:
  explicit ContainerCommandGenerator(uint64_t seed) : rng_(seed) {}

  std::vector<std::string> next(int64_t now_ms) {
    auto key = [&] { return "c" + std::to_string(pick(6)); };
    auto member = [&] {
      return pick(2) ? std::to_string(pick(12)) : "m" + std::to_string(pick(12));
    };
    auto score = [&] {
      const char* special[] = {"-inf", "+inf", "0", "-0", "1.5", "1e3"};
      return pick(5) ? std::to_string(static_cast<int>(pick(20)) - 10) : special[pick(6)];
    };
    auto count = [&] { return std::to_string(1 + pick(4)); };
    auto index = [&] { return std::to_string(static_cast<int>(pick(9)) - 4); };
    switch (pick(44)) {
      case 0:
        return {"RPUSH", key(), member(), member()};
      case 1:
        return {"LPUSH", key(), member()};
      case 2:
        return {"LPOP", key(), count()};
      case 3:
        return {"RPOP", key()};
      case 4:
        return {"LMOVE", key(), key(), pick(2) ? "LEFT" : "RIGHT", pick(2) ? "LEFT" : "RIGHT"};
      case 5:
        return {"LREM", key(), index(), member()};
      case 6:
        return {"LTRIM", key(), index(), index()};
      case 7:
        return {"LSET", key(), index(), member()};
      case 8:
        return {"LINSERT", key(), pick(2) ? "BEFORE" : "AFTER", member(), member()};
      case 9:
        return {"BLPOP", key(), key(), "1"};
      case 10:
        return {"LMPOP", "2", key(), key(), pick(2) ? "LEFT" : "RIGHT", "COUNT", count()};
      case 11:
        return {"HSET", key(), member(), member(), member(), score()};
      case 12:
        return {"HDEL", key(), member(), member()};
      case 13:
        return {"HINCRBY", key(), member(), index()};
      case 14:
        return {"HINCRBYFLOAT", key(), member(), "0.5"};
      case 15:
        return {"HSETNX", key(), member(), member()};
      case 16:
        return {"SADD", key(), member(), member(), member()};
      case 17:
        return {"SREM", key(), member()};
      case 18:
        return {"SPOP", key(), count()};
      case 19:
        return {"SPOP", key()};
      case 20:
        return {"SMOVE", key(), key(), member()};
      case 21:
        return {"SINTERSTORE", key(), key(), key()};
      case 22:
        return {"SUNIONSTORE", key(), key(), key()};
      case 23:
        return {"SDIFFSTORE", key(), key(), key()};
      case 24:
        return {"ZADD", key(), score(), member(), score(), member()};
      case 25:
        return {"ZADD", key(), pick(2) ? "GT" : "LT", "CH", score(), member()};
      case 26:
        return {"ZADD", key(), "INCR", score(), member()};
      case 27:
        return {"ZINCRBY", key(), score(), member()};
      case 28:
        return {"ZREM", key(), member(), member()};
      case 29:
        return {pick(2) ? "ZPOPMIN" : "ZPOPMAX", key(), count()};
      case 30:
        return {"ZUNIONSTORE", key(), "2", key(), key(), "WEIGHTS", "2", "1"};
      case 31:
        return {"ZINTERSTORE", key(), "2", key(), key(), "AGGREGATE", pick(2) ? "MIN" : "MAX"};
      case 32:
        return {"ZDIFFSTORE", key(), "2", key(), key()};
      case 33:
        return {"ZRANGESTORE", key(), key(), "0", index()};
      case 34:
        return {"ZREMRANGEBYSCORE", key(), score(), score()};
      case 35:
        return {"BZPOPMIN", key(), "1"};
      case 36:
        return {"ZMPOP", "1", key(), pick(2) ? "MIN" : "MAX", "COUNT", count()};
      case 37:
        return {"SORT", key(), pick(2) ? "ALPHA" : "DESC", "STORE", key()};
      case 38:
        return {"RENAME", key(), key()};
      case 39:
        return {"COPY", key(), key(), "REPLACE"};
      case 40:
        return {"PEXPIREAT", key(),
                std::to_string(now_ms + static_cast<int64_t>(pick(4000)) - 1000)};
      case 41:
        return {"DEL", key()};
      case 42:
        return {"SWAPDB", "0", std::to_string(pick(2))};
      default:
        return {"MOVE", key(), "1"};
    }
  }

 private:
  uint64_t pick(uint64_t n) { return rng_() % n; }
  std::mt19937_64 rng_;
};

// Runs `commands` random commands on a primary, replays its effects a day
// later on a replica, and checks that both keyspaces agree. `setup` adjusts
// the primary first (e.g. tiny encoding thresholds).
template <class Generator>
void check_replay(uint64_t seed, int commands,
                  const std::function<void(CommandFixture&)>& setup = nullptr) {
  {
    CommandFixture primary;
    if (setup) setup(primary);
    Generator gen(seed);
    std::string stream;
    std::vector<std::string> history;  // command => its effects, to explain a failure
    std::vector<size_t> origin;        // effect index => the command that emitted it
    for (int i = 0; i < commands; ++i) {
      primary.advance_time(static_cast<int64_t>(gen.next(0).size()) * 37);  // irregular steps
      std::vector<std::string> command = gen.next(primary.now());
      std::string reply = primary.run(command);
      std::string line;
      for (const auto& a : command)
        line += a + " ";
      line += "=> " + reply.substr(0, reply.find('\r')) + " =>";
      for (const auto& effect : decode_commands(primary.effect_bytes())) {
        for (const auto& a : effect)
          line += " " + a;
        line += ";";
      }
      history.push_back(line);
      origin.resize(origin.size() + decode_commands(primary.effect_bytes()).size(), i);
      stream += primary.effect_bytes();
      primary.take_effects();
    }
    // Replay much later, as recovery after a long outage would.
    CommandFixture replica;
    if (setup) setup(replica);  // the same settings: encodings may differ in -0 (as Redis's)
    replica.keyspace().set_deadlines(Deadlines::kIgnored);
    replica.set_time(primary.now() + 86400000);
    auto effects = decode_commands(stream);
    for (size_t n = 0; n < effects.size(); ++n) {
      const auto& argv = effects[n];
      // A group's MULTI/EXEC framing (SORT ... STORE): the fixture applies
      // commands one by one, and nothing else runs in between anyway.
      if (argv[0] == "MULTI" || argv[0] == "EXEC") continue;
      std::string reply = replica.run(argv);
      if (reply.rfind('-', 0) == 0) {
        std::string trail;
        for (size_t i = origin[n] > 30 ? origin[n] - 30 : 0; i <= origin[n]; ++i) {
          trail += "\n  " + history[i];
        }
        std::string effect;
        for (const auto& a : argv)
          effect += a + " ";
        BOOST_FAIL("seed " << seed << ": effect `" << effect << "` failed on replay: " << reply
                           << "primary history up to that effect:" << trail);
      }
    }
    replica.keyspace().set_deadlines(Deadlines::kEnforced);
    replica.set_time(primary.now());
    replica.keyspace().set_now(primary.now());
    primary.keyspace().set_now(primary.now());
    const KeyspaceImage expected = image_of(primary), actual = image_of(replica);
    BOOST_TEST_INFO("seed " << seed << difference(expected, actual, "primary", "replay"));
    BOOST_TEST((expected == actual));
  }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(effects_replay)

BOOST_AUTO_TEST_CASE(replay_of_random_sequences_rebuilds_the_keyspace) {
  for (uint64_t seed = 1; seed <= 40; ++seed)
    check_replay<CommandGenerator>(seed, 400);
}

// Containers, with the default thresholds and with tiny ones (so that nearly
// every collection converts to its full encoding along the way).
BOOST_AUTO_TEST_CASE(replay_of_random_container_sequences_rebuilds_the_keyspace) {
  for (uint64_t seed = 1; seed <= 40; ++seed) {
    check_replay<ContainerCommandGenerator>(seed, 400, [seed](CommandFixture& f) {
      if (seed % 2) return;
      ContainerLimits& c = f.limits().containers;
      c.list_max_listpack_size = 2;
      c.hash_max_listpack_entries = c.set_max_intset_entries = c.set_max_listpack_entries =
          c.zset_max_listpack_entries = 3;
      c.hash_max_listpack_value = c.set_max_listpack_value = c.zset_max_listpack_value = 1;
    });
  }
}

BOOST_AUTO_TEST_SUITE_END()
