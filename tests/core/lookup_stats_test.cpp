#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

#include "tests/core/command_fixture.h"
#include "tests/core/string_helpers.h"

using namespace vireo::test;

BOOST_AUTO_TEST_SUITE(lookup_stats)

namespace {

using Sequence = std::vector<std::vector<std::string>>;

struct LookupRow {
  Sequence commands;
  uint64_t hits;
  uint64_t misses;
};

// Keyspace hits and misses count read lookups, whatever the command's flags:
// GETDEL and SET ... GET read, INCR and SET NX look a key up only to write it,
// and KEYS, DEL or RENAME count nothing. Each row was measured on
// redis-server 7.0.15 (INFO stats after CONFIG RESETSTAT), from keys
// k = "v", n = "10", t = "v" with a TTL, and l a list.
const LookupRow kRows[] = {
    {{{"get", "k"}, {"get", "missing"}}, 1, 1},
    {{{"mget", "k", "missing", "k"}}, 2, 1},
    {{{"getrange", "k", "0", "1"}, {"getrange", "missing", "0", "1"}}, 1, 1},
    {{{"strlen", "k"}, {"strlen", "missing"}}, 1, 1},
    {{{"getdel", "k"}, {"getdel", "missing"}}, 1, 1},
    {{{"getex", "k"}, {"getex", "missing"}}, 1, 1},
    {{{"getex", "k", "ex", "100"}, {"getex", "missing", "ex", "100"}}, 1, 1},
    {{{"getex", "t", "persist"}}, 1, 0},
    {{{"getset", "k", "x"}, {"getset", "missing", "x"}}, 1, 1},
    {{{"set", "k", "x", "get"}, {"set", "missing", "x", "get"}}, 1, 1},
    {{{"set", "k", "x", "nx", "get"}, {"set", "missing", "x", "nx", "get"}}, 1, 1},
    {{{"set", "k", "x", "xx", "get"}, {"set", "missing", "x", "xx", "get"}}, 1, 1},
    {{{"set", "k", "x", "nx"}, {"set", "missing", "x", "nx"}}, 0, 0},
    {{{"set", "k", "x", "xx"}, {"set", "missing", "x", "xx"}}, 0, 0},
    {{{"set", "k", "x"}, {"set", "t", "x", "keepttl"}, {"setex", "k", "10", "x"}}, 0, 0},
    {{{"setnx", "k", "x"}, {"setnx", "missing", "x"}}, 0, 0},
    {{{"msetnx", "k", "x", "m2", "y"}, {"msetnx", "m3", "x", "m4", "y"}}, 0, 0},
    {{{"mset", "k", "x", "m", "y"}}, 0, 0},
    {{{"lcs", "k", "missing"}, {"lcs", "k", "k"}}, 3, 1},
    {{{"incr", "n"}, {"incr", "missing"}, {"incrby", "n", "2"}, {"decr", "n"}}, 0, 0},
    {{{"decrby", "n", "1"}, {"incrbyfloat", "n", "1.5"}}, 0, 0},
    {{{"append", "k", "x"}, {"append", "missing", "x"}}, 0, 0},
    {{{"setrange", "k", "0", "x"}, {"setrange", "missing", "0", "x"}}, 0, 0},
    // Another type is found all the same: a hit, even for MGET's nil.
    {{{"get", "l"}, {"incr", "l"}, {"strlen", "l"}, {"getrange", "l", "0", "1"}}, 3, 0},
    {{{"append", "l", "x"}, {"mget", "l", "k"}, {"set", "l", "x", "get"}}, 3, 0},
    {{{"getdel", "l"}, {"lcs", "k", "l"}}, 3, 0},
    {{{"exists", "k", "missing", "k"}}, 2, 1},
    {{{"touch", "k", "k", "missing"}}, 2, 1},
    {{{"type", "k"}, {"type", "missing"}}, 1, 1},
    {{{"ttl", "k"}, {"ttl", "missing"}, {"pttl", "k"}, {"pttl", "missing"}}, 2, 2},
    {{{"expiretime", "k"}, {"expiretime", "missing"}}, 1, 1},
    {{{"pexpiretime", "k"}, {"pexpiretime", "missing"}}, 1, 1},
    {{{"object", "encoding", "k"}, {"object", "encoding", "missing"}}, 1, 1},
    // OBJECT FREQ fails without an LFU policy, after its lookup.
    {{{"object", "idletime", "k"}, {"object", "refcount", "k"}, {"object", "freq", "k"}}, 3, 0},
    {{{"object", "freq", "missing"}}, 0, 1},
    {{{"copy", "k", "dst"}, {"copy", "missing", "dst2"}}, 1, 1},
    {{{"copy", "k", "t"}, {"copy", "k", "t", "replace"}}, 2, 0},
    {{{"copy", "k", "k"}}, 0, 0},
    {{{"rename", "k", "dst"}, {"rename", "missing", "dst"}}, 0, 0},
    {{{"renamenx", "n", "t"}, {"renamenx", "t", "n"}, {"rename", "n", "n"}}, 0, 0},
    {{{"move", "k", "1"}, {"move", "missing", "1"}, {"move", "n", "0"}}, 0, 0},
    {{{"keys", "*"}, {"keys", "k"}, {"keys", "missing"}, {"scan", "0"}}, 0, 0},
    {{{"expire", "k", "100"}, {"expire", "missing", "100"}}, 0, 0},
    {{{"pexpire", "k", "100"}, {"expireat", "k", "9999999999"}}, 0, 0},
    {{{"pexpireat", "k", "99999999999"}, {"persist", "t"}, {"persist", "missing"}}, 0, 0},
    {{{"del", "k", "missing"}, {"unlink", "n", "missing"}}, 0, 0},
    {{{"randomkey"}, {"dbsize"}}, 0, 0},
};

}  // namespace

BOOST_AUTO_TEST_CASE(hits_and_misses_match_redis) {
  for (const LookupRow& row : kRows) {
    CommandFixture f;
    f.run({"set", "k", "v"});
    f.run({"set", "n", "10"});
    f.run({"set", "t", "v", "ex", "100"});
    put_list(f, "l");
    f.keyspace().reset_lookup_stats();
    std::string sequence;
    for (const auto& command : row.commands) {
      f.run(command);
      for (const auto& arg : command)
        sequence += arg + ' ';
      sequence += "; ";
    }
    BOOST_TEST_CONTEXT(sequence) {
      BOOST_TEST(f.keyspace().hits() == row.hits);
      BOOST_TEST(f.keyspace().misses() == row.misses);
    }
  }
}

BOOST_AUTO_TEST_CASE(reset_clears_both_counters) {
  CommandFixture f;
  BOOST_TEST(f.run({"set", "k", "v"}) == kOk);
  BOOST_TEST(f.run({"get", "k"}) == bulk("v"));
  BOOST_TEST(f.run({"get", "nokey"}) == kNull);
  BOOST_TEST(f.keyspace().hits() == 1u);
  BOOST_TEST(f.keyspace().misses() == 1u);
  f.keyspace().reset_lookup_stats();
  BOOST_TEST(f.keyspace().hits() == 0u);
  BOOST_TEST(f.keyspace().misses() == 0u);
}

BOOST_AUTO_TEST_CASE(expired_key_is_a_miss) {
  CommandFixture f;
  BOOST_TEST(f.run({"set", "k", "v", "px", "100"}) == kOk);
  f.advance_time(100);
  BOOST_TEST(f.run({"get", "k"}) == kNull);
  BOOST_TEST(f.keyspace().hits() == 0u);
  BOOST_TEST(f.keyspace().misses() == 1u);
}

// A write-side lookup that finds an expired key reclaims it but counts nothing.
BOOST_AUTO_TEST_CASE(expired_key_found_by_a_write_counts_nothing) {
  CommandFixture f;
  BOOST_TEST(f.run({"set", "k", "v", "px", "100"}) == kOk);
  f.advance_time(100);
  BOOST_TEST(f.run({"incr", "k"}) == integer(1));
  BOOST_TEST(f.keyspace().hits() == 0u);
  BOOST_TEST(f.keyspace().misses() == 0u);
}

BOOST_AUTO_TEST_SUITE_END()
