#include <boost/test/unit_test.hpp>

#include "tests/core/command_fixture.h"

using namespace vireo::test;

BOOST_AUTO_TEST_SUITE(lookup_stats)

// Keyspace hits and misses count the lookups of read-only commands, as Redis
// counts its read lookups (verified against redis-server 7.0.15).
BOOST_AUTO_TEST_CASE(read_only_commands_count_hits_and_misses) {
  CommandFixture f;
  BOOST_TEST(f.run({"set", "k", "v"}) == kOk);
  BOOST_TEST(f.run({"get", "k"}) == bulk("v"));
  BOOST_TEST(f.run({"get", "nokey"}) == kNull);
  BOOST_TEST(f.run({"exists", "k", "nokey", "k"}) == integer(2));
  BOOST_TEST(f.keyspace().hits() == 3u);
  BOOST_TEST(f.keyspace().misses() == 2u);
  f.keyspace().reset_lookup_stats();
  BOOST_TEST(f.keyspace().hits() == 0u);
  BOOST_TEST(f.keyspace().misses() == 0u);
}

BOOST_AUTO_TEST_CASE(writes_count_nothing) {
  CommandFixture f;
  BOOST_TEST(f.run({"set", "k", "v"}) == kOk);
  BOOST_TEST(f.run({"incr", "k"}) == error("ERR value is not an integer or out of range"));
  BOOST_TEST(f.run({"set", "k", "w", "nx"}) == kNull);
  BOOST_TEST(f.run({"expire", "nokey", "10"}) == integer(0));
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

BOOST_AUTO_TEST_SUITE_END()
