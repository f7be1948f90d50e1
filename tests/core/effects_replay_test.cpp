// The property that holds persistence and replication together (DESIGN.md):
// replaying the effect stream of any command sequence onto an empty keyspace
// yields the same keyspace, whenever the replay runs.
#include <boost/test/unit_test.hpp>
#include <map>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include "core/database.h"
#include "tests/core/command_fixture.h"

using namespace vireo;
using namespace vireo::test;

namespace {

// Everything observable about one key at a given instant.
using KeyImage = std::tuple<std::string, std::string, int64_t>;  // type, value, deadline
using KeyspaceImage = std::map<std::pair<int, std::string>, KeyImage>;

KeyspaceImage image_of(Keyspace& ks) {
  KeyspaceImage image;
  for (int db = 0; db < ks.count(); ++db) {
    Database& d = ks.db(db);
    d.for_each([&](const Entry* e) {
      std::string value = e->type() == ValueType::kString ? std::string(e->string_value()) : "";
      image[{db, std::string(e->key())}] = {std::string(type_name(e->type())), value,
                                            d.deadline(e)};
    });
  }
  return image;
}

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

}  // namespace

BOOST_AUTO_TEST_SUITE(effects_replay)

BOOST_AUTO_TEST_CASE(replay_of_random_sequences_rebuilds_the_keyspace) {
  for (uint64_t seed = 1; seed <= 40; ++seed) {
    CommandFixture primary;
    CommandGenerator gen(seed);
    std::string stream;
    std::vector<std::string> history;  // command => its effects, to explain a failure
    std::vector<size_t> origin;        // effect index => the command that emitted it
    for (int i = 0; i < 400; ++i) {
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
    replica.keyspace().set_replaying(true);
    replica.set_time(primary.now() + 86400000);
    auto effects = decode_commands(stream);
    for (size_t n = 0; n < effects.size(); ++n) {
      const auto& argv = effects[n];
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
    replica.keyspace().set_replaying(false);
    replica.set_time(primary.now());
    replica.keyspace().set_now(primary.now());
    primary.keyspace().set_now(primary.now());
    BOOST_TEST_INFO("seed " << seed);
    BOOST_TEST((image_of(primary.keyspace()) == image_of(replica.keyspace())));
  }
}

BOOST_AUTO_TEST_SUITE_END()
