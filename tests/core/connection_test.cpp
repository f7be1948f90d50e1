#include <boost/test/unit_test.hpp>

#include "tests/core/command_fixture.h"

using namespace vireo::test;
// Expected bytes were taken from redis-server 7.0.15.
BOOST_AUTO_TEST_SUITE(connection)

BOOST_AUTO_TEST_CASE(ping) {
  CommandFixture f;
  BOOST_TEST(f.run({"ping"}) == simple("PONG"));
  BOOST_TEST(f.run({"PING", "hello"}) == bulk("hello"));
  BOOST_TEST(f.run({"ping", ""}) == bulk(""));
  BOOST_TEST(f.run({"ping", "a", "b"}) ==
             error("ERR wrong number of arguments for 'ping' command"));
  // The handler refuses it, so Redis counts a failed call, not a rejected one.
  BOOST_TEST(f.table().find("ping")->stats.failed_calls == 1u);
  BOOST_TEST(f.table().find("ping")->stats.rejected_calls == 0u);
}

BOOST_AUTO_TEST_CASE(ping_is_the_same_in_resp3) {
  CommandFixture f;
  f.set_protocol(3);
  BOOST_TEST(f.run({"ping"}) == simple("PONG"));
  BOOST_TEST(f.run({"ping", "hello"}) == bulk("hello"));
}

BOOST_AUTO_TEST_CASE(echo) {
  CommandFixture f;
  BOOST_TEST(f.run({"echo", "x"}) == bulk("x"));
  BOOST_TEST(f.run({"ECHO", std::string("a\r\nb\0c", 6)}) == bulk(std::string("a\r\nb\0c", 6)));
  BOOST_TEST(f.run({"echo"}) == error("ERR wrong number of arguments for 'echo' command"));
  BOOST_TEST(f.run({"echo", "a", "b"}) ==
             error("ERR wrong number of arguments for 'echo' command"));
}

BOOST_AUTO_TEST_CASE(select_switches_the_database) {
  CommandFixture f;
  BOOST_TEST(f.run({"select", "3"}) == kOk);
  BOOST_TEST(f.client().db == 3);
  BOOST_TEST(f.run({"set", "k", "v"}) == kOk);
  BOOST_TEST(f.run({"select", "0"}) == kOk);
  BOOST_TEST(f.run({"get", "k"}) == kNull);
  BOOST_TEST(f.run({"SELECT", "3"}) == kOk);
  BOOST_TEST(f.run({"get", "k"}) == bulk("v"));
  BOOST_TEST(f.run({"select", "15"}) == kOk);
  BOOST_TEST(f.client().db == 15);
  // SELECT itself propagates nothing; the write carries its database.
  BOOST_TEST((f.take_effects() == Effects{{"SELECT", "3"}, {"SET", "k", "v"}}));
}

BOOST_AUTO_TEST_CASE(select_rejects_bad_indexes) {
  CommandFixture f;
  BOOST_TEST(f.run({"select", "2"}) == kOk);
  const std::string out_of_range = error("ERR DB index is out of range");
  const std::string not_integer = error("ERR value is not an integer or out of range");
  BOOST_TEST(f.run({"select", "16"}) == out_of_range);
  BOOST_TEST(f.run({"select", "-1"}) == out_of_range);
  BOOST_TEST(f.run({"select", "x"}) == not_integer);
  BOOST_TEST(f.run({"select", "1.0"}) == not_integer);
  BOOST_TEST(f.run({"select", "01"}) == not_integer);
  BOOST_TEST(f.run({"select", "+1"}) == not_integer);
  BOOST_TEST(f.run({"select", "-0"}) == not_integer);
  BOOST_TEST(f.run({"select", "99999999999999999999"}) == not_integer);
  BOOST_TEST(f.run({"select"}) == error("ERR wrong number of arguments for 'select' command"));
  BOOST_TEST(f.client().db == 2);
  BOOST_TEST(f.take_effects().empty());
}

BOOST_AUTO_TEST_CASE(select_honours_the_configured_database_count) {
  CommandFixture f(4);
  BOOST_TEST(f.run({"select", "3"}) == kOk);
  BOOST_TEST(f.run({"select", "4"}) == error("ERR DB index is out of range"));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(connection_db_index)

BOOST_AUTO_TEST_CASE(index_beyond_a_c_int_is_out_of_range_first) {
  vireo::test::CommandFixture f;
  const std::string range = vireo::test::error(
      "ERR value is out of range, value must between -2147483648 and 2147483647");
  BOOST_TEST(f.run({"select", "9223372036854775807"}) == range);
  BOOST_TEST(f.run({"select", "-2147483649"}) == range);
  BOOST_TEST(f.run({"select", "2147483647"}) == vireo::test::error("ERR DB index is out of range"));
  BOOST_TEST(f.run({"move", "k", "4294967296"}) == range);
}

BOOST_AUTO_TEST_SUITE_END()
