// Sorted-set commands: replies byte-exact as Redis 7.0 gives them (checked with
// a raw socket against redis-server 7.0), and the effect of every write.
#include <boost/test/unit_test.hpp>
#include <string>
#include <vector>

#include "tests/core/command_fixture.h"

using namespace vireo::test;

BOOST_AUTO_TEST_SUITE(zsets)

BOOST_AUTO_TEST_CASE(zadd_replies_and_effects) {
  CommandFixture f;
  BOOST_TEST(f.run({"zadd", "z", "1", "a", "2", "b"}) == integer(2));
  BOOST_TEST(f.take_effects() == (Effects{{"SELECT", "0"}, {"zadd", "z", "1", "a", "2", "b"}}));
  BOOST_TEST(f.run({"zadd", "z", "1", "a"}) == integer(0));
  BOOST_TEST(f.take_effects().empty());  // nothing changed
  BOOST_TEST(f.run({"zadd", "z", "ch", "5", "a"}) == integer(1));
  BOOST_TEST(f.run({"zadd", "z", "incr", "0.1", "a"}) == bulk("5.0999999999999996"));
  f.take_effects();
  BOOST_TEST(f.run({"zincrby", "z", "1", "b"}) == bulk("3"));
  BOOST_TEST(f.take_effects() == (Effects{{"ZADD", "z", "3", "b"}}));
  BOOST_TEST(f.run({"zadd", "z", "xx", "nx", "1", "a"}) ==
             error("ERR XX and NX options at the same time are not compatible"));
  BOOST_TEST(f.run({"zadd", "z", "gt", "lt", "1", "a"}) ==
             error("ERR GT, LT, and/or NX options at the same time are not compatible"));
  BOOST_TEST(f.run({"zadd", "z", "incr", "1", "a", "2", "b"}) ==
             error("ERR INCR option supports a single increment-element pair"));
  BOOST_TEST(f.run({"zadd", "z", "nan", "a"}) == error("ERR value is not a valid float"));
  BOOST_TEST(f.run({"zadd", "z", "xx", "incr", "1", "new"}) == kNull);
  BOOST_TEST(f.run({"zadd", "i", "inf", "a"}) == integer(1));
  BOOST_TEST(f.run({"zincrby", "i", "-inf", "a"}) ==
             error("ERR resulting score is not a number (NaN)"));
  f.take_effects();
  f.set_protocol(3);
  BOOST_TEST(f.run({"zscore", "i", "a"}) == ",inf\r\n");
  BOOST_TEST(f.run({"zscore", "i", "nosuch"}) == "_\r\n");
}

BOOST_AUTO_TEST_CASE(ranges_in_both_protocols) {
  CommandFixture f;
  f.run({"zadd", "z", "1", "a", "2", "b", "3", "c"});
  BOOST_TEST(f.run({"zrange", "z", "0", "1", "withscores"}) ==
             array({bulk("a"), bulk("1"), bulk("b"), bulk("2")}));
  BOOST_TEST(f.run({"zrange", "z", "+inf", "(1", "byscore", "rev", "limit", "0", "1"}) ==
             array({bulk("c")}));
  BOOST_TEST(f.run({"zrange", "z", "0", "-1", "limit", "0", "1"}) ==
             error("ERR syntax error, LIMIT is only supported in combination with either "
                   "BYSCORE or BYLEX"));
  BOOST_TEST(f.run({"zrangebylex", "z", "a", "b"}) ==
             error("ERR min or max not valid string range item"));
  f.set_protocol(3);
  BOOST_TEST(f.run({"zrange", "z", "0", "0", "withscores"}) == "*1\r\n*2\r\n$1\r\na\r\n,1\r\n");
  BOOST_TEST(f.run({"zpopmin", "z"}) == "*2\r\n$1\r\na\r\n,1\r\n");
  BOOST_TEST(f.run({"zpopmax", "z", "1"}) == "*1\r\n*2\r\n$1\r\nc\r\n,3\r\n");
}

BOOST_AUTO_TEST_CASE(pops_propagate_counted_pops_and_delete_empty_keys) {
  CommandFixture f;
  f.run({"zadd", "z", "1", "a", "2", "b"});
  f.take_effects();
  BOOST_TEST(f.run({"zpopmax", "z", "5"}) == array({bulk("b"), bulk("2"), bulk("a"), bulk("1")}));
  BOOST_TEST(f.take_effects() == (Effects{{"ZPOPMAX", "z", "2"}}));
  BOOST_TEST(f.run({"exists", "z"}) == integer(0));
  f.run({"zadd", "z", "1", "a"});
  f.take_effects();
  BOOST_TEST(f.run({"bzpopmin", "nokey", "z", "0"}) == array({bulk("z"), bulk("a"), bulk("1")}));
  BOOST_TEST(f.take_effects() == (Effects{{"ZPOPMIN", "z", "1"}}));
  // Without a waiter to park (can_block false) the blocking forms time out at once.
  BOOST_TEST(f.run({"bzpopmin", "z", "0"}) == "*-1\r\n");
  BOOST_TEST(f.run({"bzmpop", "0", "1", "z", "min"}) == "*-1\r\n");
  BOOST_TEST(f.take_effects().empty());
}

BOOST_AUTO_TEST_CASE(stores_propagate_themselves_only_when_something_changed) {
  CommandFixture f;
  f.run({"zadd", "a", "1", "x", "2", "y"});
  f.run({"zadd", "b", "10", "y"});
  f.take_effects();
  BOOST_TEST(f.run({"zunionstore", "d", "2", "a", "b", "weights", "1", "2"}) == integer(2));
  BOOST_TEST(f.run({"zrange", "d", "0", "-1", "withscores"}) ==
             array({bulk("x"), bulk("1"), bulk("y"), bulk("22")}));
  BOOST_TEST(f.take_effects() ==
             (Effects{{"zunionstore", "d", "2", "a", "b", "weights", "1", "2"}}));
  BOOST_TEST(f.run({"zinterstore", "e", "2", "a", "nokey"}) == integer(0));
  BOOST_TEST(f.take_effects().empty());
  BOOST_TEST(f.run({"zunion", "0", "a"}) ==
             error("ERR at least 1 input key is needed for 'zunion' command"));
  BOOST_TEST(f.run({"object", "encoding", "d"}) == bulk("listpack"));
  BOOST_TEST(f.run({"copy", "d", "d2"}) == integer(1));
  BOOST_TEST(f.run({"type", "d2"}) == simple("zset"));
  BOOST_TEST(f.run({"zrange", "d2", "0", "-1"}) == array({bulk("x"), bulk("y")}));
}

// Score, lex and rank queries on one set; replies as redis-server 7.0 gives them.
BOOST_AUTO_TEST_CASE(score_lex_and_rank_queries) {
  CommandFixture f;
  BOOST_TEST(f.run({"zadd", "z", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e"}) == integer(5));
  BOOST_TEST(f.run({"zrange", "z", "(1", "4", "byscore", "limit", "1", "2", "withscores"}) ==
             array({bulk("c"), bulk("3"), bulk("d"), bulk("4")}));
  BOOST_TEST(f.run({"zrange", "z", "[e", "(b", "bylex", "rev"}) ==
             array({bulk("e"), bulk("d"), bulk("c")}));
  BOOST_TEST(f.run({"zrange", "z", "-inf", "+inf", "byscore", "limit", "0"}) == kSyntax);
  BOOST_TEST(f.run({"zrange", "z", "0", "-1", "bylex"}) ==
             error("ERR min or max not valid string range item"));
  BOOST_TEST(f.run({"zrank", "z", "c"}) == integer(2));
  BOOST_TEST(f.run({"zrevrank", "z", "c"}) == integer(2));
  BOOST_TEST(f.run({"zrank", "z", "x"}) == kNull);
  BOOST_TEST(f.run({"zmscore", "z", "a", "x", "e"}) == array({bulk("1"), kNull, bulk("5")}));
  BOOST_TEST(f.run({"zcount", "z", "(1", "+inf"}) == integer(4));
  BOOST_TEST(f.run({"zlexcount", "z", "-", "[c"}) == integer(3));
  BOOST_TEST(
      f.take_effects() ==
      (Effects{{"SELECT", "0"}, {"zadd", "z", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e"}}));
}

// ZREMRANGEBY* remove what Redis removes, propagate themselves when they
// removed something, and delete the key with its last member.
BOOST_AUTO_TEST_CASE(range_removals_and_their_effects) {
  CommandFixture f;
  f.run({"zadd", "z", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e"});
  f.take_effects();
  BOOST_TEST(f.run({"zremrangebyscore", "z", "4", "+inf"}) == integer(2));
  BOOST_TEST(f.run({"zremrangebylex", "z", "[a", "[a"}) == integer(1));
  BOOST_TEST(f.run({"zremrangebyrank", "z", "0", "0"}) == integer(1));
  BOOST_TEST(f.run({"zremrangebyscore", "z", "10", "20"}) == integer(0));
  BOOST_TEST(f.take_effects() == (Effects{{"zremrangebyscore", "z", "4", "+inf"},
                                          {"zremrangebylex", "z", "[a", "[a"},
                                          {"zremrangebyrank", "z", "0", "0"}}));
  BOOST_TEST(f.run({"zrange", "z", "0", "-1", "withscores"}) == array({bulk("c"), bulk("3")}));
  BOOST_TEST(f.run({"zremrangebyrank", "z", "0", "-1"}) == integer(1));
  BOOST_TEST(f.run({"exists", "z"}) == integer(0));
}

BOOST_AUTO_TEST_SUITE_END()
