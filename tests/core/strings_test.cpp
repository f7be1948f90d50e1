#include <boost/test/unit_test.hpp>

#include "tests/core/command_fixture.h"

using namespace vireo::test;
using Effects = std::vector<std::vector<std::string>>;

BOOST_AUTO_TEST_SUITE(strings)

BOOST_AUTO_TEST_CASE(get_and_set) {
  CommandFixture f;
  BOOST_TEST(f.run({"get", "k"}) == kNull);
  BOOST_TEST(f.run({"set", "k", "v"}) == kOk);
  BOOST_TEST(f.run({"GET", "k"}) == bulk("v"));
  BOOST_TEST(f.run({"set", "k", "longer value"}) == kOk);
  BOOST_TEST(f.run({"get", "k"}) == bulk("longer value"));
  BOOST_TEST((f.take_effects() ==
              Effects{{"SELECT", "0"}, {"SET", "k", "v"}, {"SET", "k", "longer value"}}));
}

BOOST_AUTO_TEST_CASE(set_options) {
  CommandFixture f;
  BOOST_TEST(f.run({"set", "k", "v", "nx"}) == kOk);
  BOOST_TEST(f.run({"set", "k", "w", "nx"}) == kNull);
  BOOST_TEST(f.run({"set", "k", "w", "xx", "get"}) == bulk("v"));
  BOOST_TEST(f.run({"set", "missing", "w", "xx"}) == kNull);
  BOOST_TEST(f.run({"set", "k", "v", "nx", "xx"}) == error("ERR syntax error"));
  BOOST_TEST(f.run({"set", "k", "v", "ex", "0"}) ==
             error("ERR invalid expire time in 'set' command"));
  BOOST_TEST(f.run({"set", "k", "v", "ex", "x"}) ==
             error("ERR value is not an integer or out of range"));
  BOOST_TEST(f.run({"set", "k", "v", "ex", "10", "keepttl"}) == error("ERR syntax error"));
  f.take_effects();
  BOOST_TEST(f.run({"set", "k", "v", "ex", "10"}) == kOk);
  auto deadline = std::to_string(f.now() + 10000);
  BOOST_TEST((f.take_effects() == Effects{{"SET", "k", "v", "PXAT", deadline}}));
}

BOOST_AUTO_TEST_CASE(expired_key_is_invisible_and_propagates_del) {
  CommandFixture f;
  BOOST_TEST(f.run({"set", "k", "v", "px", "100"}) == kOk);
  f.take_effects();
  f.advance_time(100);
  BOOST_TEST(f.run({"get", "k"}) == kNull);
  BOOST_TEST((f.take_effects() == Effects{{"DEL", "k"}}));
}

BOOST_AUTO_TEST_CASE(wrong_arity_and_unknown) {
  CommandFixture f;
  BOOST_TEST(f.run({"get"}) == error("ERR wrong number of arguments for 'get' command"));
  BOOST_TEST(f.run({"nope", "a", "b"}) ==
             error("ERR unknown command 'nope', with args beginning with: 'a' 'b' "));
}

BOOST_AUTO_TEST_SUITE_END()
