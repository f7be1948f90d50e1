// Sorted-set commands: replies byte-exact as Redis 7.0 gives them (checked with
// a raw socket against redis-server 7.0), and the effect of every write.
#include <boost/test/unit_test.hpp>

#include <string>
#include <string_view>
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

// ---------------------------------------------------------------------------
// Argument errors, wrong types and the effects of the options, as
// redis-server 7.0 replies them (integration/differential/zsets_types.txt).

namespace {

const std::string kNotFloat = error("ERR value is not a valid float");
const std::string kMustBePositive = error("ERR value is out of range, must be positive");
const std::string kNumkeys = error("ERR numkeys should be greater than 0");
const std::string kCountPositive = error("ERR count should be greater than 0");

std::string arity(std::string_view name) {
  return error("ERR wrong number of arguments for '" + std::string(name) + "' command");
}

}  // namespace

BOOST_AUTO_TEST_CASE(zadd_argument_errors_change_nothing) {
  CommandFixture f;
  BOOST_TEST(f.run({"zadd", "z", "1", "a", "2"}) == kSyntax);
  BOOST_TEST(f.run({"zadd", "z", "nx", "1"}) == kSyntax);
  // Every score is checked before anything is added.
  BOOST_TEST(f.run({"zadd", "z", "1", "a", "x", "b"}) == kNotFloat);
  BOOST_TEST(f.run({"zadd", "z", "1e400", "a"}) == kNotFloat);
  BOOST_TEST(f.run({"zadd", "z", "lt", "nx", "1", "a"}) ==
             error("ERR GT, LT, and/or NX options at the same time are not compatible"));
  BOOST_TEST(f.run({"zadd", "z", "1"}) == arity("zadd"));
  BOOST_TEST(f.run({"exists", "z"}) == integer(0));
  BOOST_TEST(f.take_effects().empty());
}

BOOST_AUTO_TEST_CASE(zadd_gt_lt_xx_ch_and_their_effects) {
  CommandFixture f;
  f.run({"zadd", "z", "1", "a", "2", "b", "3", "c"});
  f.take_effects();
  // GT: only raises (b), while new members are still added (d).
  BOOST_TEST(f.run({"zadd", "z", "gt", "ch", "0", "a", "5", "b", "1", "d"}) == integer(2));
  // LT: only lowers (a); c would rise.
  BOOST_TEST(f.run({"zadd", "z", "lt", "ch", "0", "a", "5", "c"}) == integer(1));
  // XX: never adds (zz).
  BOOST_TEST(f.run({"zadd", "z", "xx", "ch", "9", "a", "9", "zz"}) == integer(1));
  BOOST_TEST(f.take_effects() == (Effects{{"zadd", "z", "gt", "ch", "0", "a", "5", "b", "1", "d"},
                                          {"zadd", "z", "lt", "ch", "0", "a", "5", "c"},
                                          {"zadd", "z", "xx", "ch", "9", "a", "9", "zz"}}));
  // Skipped by GT/LT: a null reply for INCR, and no effect.
  BOOST_TEST(f.run({"zadd", "z", "gt", "incr", "-1", "a"}) == kNull);
  BOOST_TEST(f.run({"zadd", "z", "gt", "0", "a"}) == integer(0));
  BOOST_TEST(f.take_effects().empty());
  // An increment propagates the score it produced.
  BOOST_TEST(f.run({"zadd", "z", "lt", "incr", "-1", "a"}) == bulk("8"));
  BOOST_TEST(f.take_effects() == (Effects{{"ZADD", "z", "8", "a"}}));
  BOOST_TEST(f.run({"zrange", "z", "0", "-1", "withscores"}) ==
             array({bulk("d"), bulk("1"), bulk("c"), bulk("3"), bulk("b"), bulk("5"), bulk("a"),
                    bulk("8")}));
}

BOOST_AUTO_TEST_CASE(zincrby_creates_adds_and_rejects_nan) {
  CommandFixture f;
  BOOST_TEST(f.run({"zincrby", "z", "x", "a"}) == kNotFloat);
  BOOST_TEST(f.run({"zincrby", "z", "1"}) == arity("zincrby"));
  BOOST_TEST(f.run({"exists", "z"}) == integer(0));
  BOOST_TEST(f.run({"zincrby", "z", "1.5", "a"}) == bulk("1.5"));
  BOOST_TEST(f.run({"zincrby", "z", "0", "a"}) == bulk("1.5"));  // unchanged: no effect
  BOOST_TEST(f.take_effects() == (Effects{{"SELECT", "0"}, {"ZADD", "z", "1.5", "a"}}));
  f.run({"zadd", "z", "inf", "b"});
  f.take_effects();
  BOOST_TEST(f.run({"zincrby", "z", "-inf", "b"}) ==
             error("ERR resulting score is not a number (NaN)"));
  BOOST_TEST(f.take_effects().empty());
  BOOST_TEST(f.run({"zscore", "z", "b"}) == bulk("inf"));
  f.set_protocol(3);
  BOOST_TEST(f.run({"zincrby", "z", "1", "a"}) == ",2.5\r\n");
  BOOST_TEST(f.run({"zadd", "z", "xx", "incr", "1", "nosuch"}) == "_\r\n");
}

BOOST_AUTO_TEST_CASE(zrem_removes_and_deletes_the_emptied_key) {
  CommandFixture f;
  f.run({"zadd", "z", "1", "a", "2", "b"});
  f.take_effects();
  BOOST_TEST(f.run({"zrem", "z", "nosuch"}) == integer(0));
  BOOST_TEST(f.run({"zrem", "nokey", "a"}) == integer(0));
  BOOST_TEST(f.take_effects().empty());
  BOOST_TEST(f.run({"zrem", "z", "a", "nosuch", "a"}) == integer(1));
  BOOST_TEST(f.run({"zrem", "z", "b"}) == integer(1));
  BOOST_TEST(f.take_effects() == (Effects{{"zrem", "z", "a", "nosuch", "a"}, {"zrem", "z", "b"}}));
  BOOST_TEST(f.run({"exists", "z"}) == integer(0));
  BOOST_TEST(f.run({"zrem", "z"}) == arity("zrem"));
}

BOOST_AUTO_TEST_CASE(range_removal_argument_errors) {
  CommandFixture f;
  f.run({"zadd", "z", "1", "a"});
  f.take_effects();
  BOOST_TEST(f.run({"zremrangebyrank", "z", "x", "1"}) == kNotInteger);
  BOOST_TEST(f.run({"zremrangebyrank", "z", "0", "y"}) == kNotInteger);
  BOOST_TEST(f.run({"zremrangebyscore", "z", "(x", "1"}) == error("ERR min or max is not a float"));
  BOOST_TEST(f.run({"zremrangebylex", "z", "a", "b"}) ==
             error("ERR min or max not valid string range item"));
  BOOST_TEST(f.run({"zremrangebyrank", "nokey", "0", "-1"}) == integer(0));
  BOOST_TEST(f.run({"zremrangebyrank", "z", "5", "10"}) == integer(0));
  BOOST_TEST(f.take_effects().empty());
}

BOOST_AUTO_TEST_CASE(pop_argument_errors) {
  CommandFixture f;
  f.run({"zadd", "z", "1", "a"});
  f.take_effects();
  BOOST_TEST(f.run({"zpopmin", "z", "-1"}) == kMustBePositive);
  BOOST_TEST(f.run({"zpopmin", "z", "x"}) == kMustBePositive);
  BOOST_TEST(f.run({"zpopmin", "z", "1", "2"}) == kSyntax);
  BOOST_TEST(f.run({"zpopmin", "z", "0"}) == "*0\r\n");
  BOOST_TEST(f.run({"zpopmax", "nokey"}) == "*0\r\n");
  BOOST_TEST(f.run({"zmpop", "0", "z", "min"}) == kNumkeys);
  BOOST_TEST(f.run({"zmpop", "x", "z", "min"}) == kNumkeys);
  BOOST_TEST(f.run({"zmpop", "1", "z"}) == arity("zmpop"));
  BOOST_TEST(f.run({"zmpop", "1", "z", "bad"}) == kSyntax);
  BOOST_TEST(f.run({"zmpop", "1", "z", "min", "count", "0"}) == kCountPositive);
  BOOST_TEST(f.run({"zmpop", "1", "z", "min", "count", "-1"}) == kCountPositive);
  BOOST_TEST(f.run({"zmpop", "1", "z", "min", "count", "1", "count", "2"}) == kSyntax);
  BOOST_TEST(f.run({"zmpop", "1", "z", "min", "count"}) == kSyntax);
  BOOST_TEST(f.run({"zmpop", "2", "z", "min"}) == kSyntax);
  BOOST_TEST(f.run({"zmpop", "1", "z", "max", "extra"}) == kSyntax);
  BOOST_TEST(f.run({"bzpopmin", "z", "x"}) == error("ERR timeout is not a float or out of range"));
  BOOST_TEST(f.run({"bzpopmin", "z", "-1"}) == error("ERR timeout is negative"));
  BOOST_TEST(f.run({"bzmpop", "x", "1", "z", "min"}) ==
             error("ERR timeout is not a float or out of range"));
  BOOST_TEST(f.run({"bzmpop", "0", "0", "z", "min"}) == kNumkeys);
  BOOST_TEST(f.take_effects().empty());
  BOOST_TEST(f.run({"zcard", "z"}) == integer(1));
}

BOOST_AUTO_TEST_CASE(zmpop_pops_from_the_first_non_empty_key) {
  CommandFixture f;
  f.run({"zadd", "z", "1", "a", "3", "c", "4", "b"});
  f.take_effects();
  BOOST_TEST(
      f.run({"zmpop", "2", "nokey", "z", "max", "count", "2"}) ==
      array({bulk("z"), array({array({bulk("b"), bulk("4")}), array({bulk("c"), bulk("3")})})}));
  BOOST_TEST(f.run({"zmpop", "1", "nokey", "min"}) == "*-1\r\n");
  f.set_protocol(3);
  BOOST_TEST(f.run({"zmpop", "1", "nokey", "min"}) == "_\r\n");
  BOOST_TEST(f.run({"zmpop", "1", "z", "min", "count", "5"}) ==
             "*2\r\n$1\r\nz\r\n*1\r\n*2\r\n$1\r\na\r\n,1\r\n");
  BOOST_TEST(f.run({"exists", "z"}) == integer(0));
  BOOST_TEST(f.take_effects() == (Effects{{"ZPOPMAX", "z", "2"}, {"ZPOPMIN", "z", "1"}}));
}

BOOST_AUTO_TEST_CASE(store_argument_errors) {
  CommandFixture f;
  f.run({"zadd", "z", "1", "a"});
  f.take_effects();
  BOOST_TEST(f.run({"zunionstore", "dst", "0", "z"}) ==
             error("ERR at least 1 input key is needed for 'zunionstore' command"));
  BOOST_TEST(f.run({"zintercard", "0", "z"}) ==
             error("ERR at least 1 input key is needed for 'zintercard' command"));
  BOOST_TEST(f.run({"zunionstore", "dst", "x", "z"}) == kNotInteger);
  BOOST_TEST(f.run({"zunionstore", "dst", "2", "z"}) == kSyntax);
  BOOST_TEST(f.run({"zunionstore", "dst", "1", "z", "withscores"}) == kSyntax);
  BOOST_TEST(f.run({"zinterstore", "dst", "1", "z", "weights", "x"}) ==
             error("ERR weight value is not a float"));
  BOOST_TEST(f.run({"zunion", "1", "z", "weights", "1", "2"}) == kSyntax);
  BOOST_TEST(f.run({"zunion", "1", "z", "aggregate", "foo"}) == kSyntax);
  BOOST_TEST(f.run({"zdiff", "1", "z", "weights", "1"}) == kSyntax);
  BOOST_TEST(f.run({"zdiffstore", "dst", "1", "z", "aggregate", "sum"}) == kSyntax);
  BOOST_TEST(f.run({"zintercard", "1", "z", "limit", "-1"}) ==
             error("ERR LIMIT can't be negative"));
  BOOST_TEST(f.run({"zintercard", "1", "z", "limit", "x"}) == error("ERR LIMIT can't be negative"));
  BOOST_TEST(f.run({"zintercard", "1", "z", "weights", "1"}) == kSyntax);
  BOOST_TEST(f.run({"zrangestore", "dst", "z", "0", "-1", "withscores"}) == kSyntax);
  BOOST_TEST(f.run({"zrangestore", "dst", "z", "0", "-1", "limit", "0", "1"}) ==
             error("ERR syntax error, LIMIT is only supported in combination with either "
                   "BYSCORE or BYLEX"));
  BOOST_TEST(f.run({"zunionstore", "dst", "1"}) == arity("zunionstore"));
  BOOST_TEST(f.run({"exists", "dst"}) == integer(0));
  BOOST_TEST(f.take_effects().empty());
}

BOOST_AUTO_TEST_CASE(zrangestore_stores_propagates_itself_and_deletes_on_empty) {
  CommandFixture f;
  f.run({"zadd", "z", "1", "a", "2", "b", "3", "c"});
  f.run({"set", "dst", "v"});
  f.take_effects();
  BOOST_TEST(f.run({"zrangestore", "dst", "z", "(1", "+inf", "byscore", "limit", "0", "1"}) ==
             integer(1));
  BOOST_TEST(f.run({"zrange", "dst", "0", "-1", "withscores"}) == array({bulk("b"), bulk("2")}));
  BOOST_TEST(f.run({"zrangestore", "dst", "z", "10", "20"}) == integer(0));
  BOOST_TEST(f.run({"exists", "dst"}) == integer(0));
  BOOST_TEST(f.run({"zrangestore", "dst", "nokey", "0", "-1"}) == integer(0));
  BOOST_TEST(f.take_effects() ==
             (Effects{{"zrangestore", "dst", "z", "(1", "+inf", "byscore", "limit", "0", "1"},
                      {"zrangestore", "dst", "z", "10", "20"}}));
}

BOOST_AUTO_TEST_CASE(sets_count_as_sorted_sets_of_score_one) {
  CommandFixture f;
  f.run({"sadd", "lset", "a", "b", "c"});
  f.run({"zadd", "zin", "2", "a", "5", "3"});
  BOOST_TEST(f.run({"zunionstore", "d", "2", "lset", "zin", "weights", "3", "1"}) == integer(4));
  BOOST_TEST(f.run({"zrange", "d", "0", "-1", "withscores"}) ==
             array({bulk("b"), bulk("3"), bulk("c"), bulk("3"), bulk("3"), bulk("5"), bulk("a"),
                    bulk("5")}));
  BOOST_TEST(f.run({"zinter", "2", "lset", "zin", "aggregate", "max", "withscores"}) ==
             array({bulk("a"), bulk("2")}));
}

BOOST_AUTO_TEST_CASE(wrong_types_change_nothing) {
  CommandFixture f;
  f.run({"set", "str", "v"});
  f.take_effects();
  for (auto cmd :
       std::vector<std::vector<std::string>>{{"zadd", "str", "1", "a"},
                                             {"zincrby", "str", "1", "a"},
                                             {"zrem", "str", "a"},
                                             {"zremrangebyrank", "str", "0", "1"},
                                             {"zremrangebyscore", "str", "0", "1"},
                                             {"zremrangebylex", "str", "-", "+"},
                                             {"zpopmin", "str"},
                                             {"zpopmax", "str", "2"},
                                             {"zmpop", "2", "nokey", "str", "min"},
                                             {"bzpopmin", "nokey", "str", "0"},
                                             {"bzmpop", "0", "1", "str", "min"},
                                             {"zrangestore", "dst", "str", "0", "-1"},
                                             {"zunionstore", "dst", "1", "str"},
                                             {"zdiffstore", "dst", "2", "nokey", "str"}}) {
    BOOST_TEST(f.run(cmd) == kWrongType);
  }
  BOOST_TEST(f.take_effects().empty());
  BOOST_TEST(f.run({"get", "str"}) == bulk("v"));
}

// ---------------------------------------------------------------------------
// Keyspace notifications, as redis-server 7.0 publishes them under "KEA":
// the command's event, then "del" when it emptied the key; nothing when the
// command changed nothing.

BOOST_AUTO_TEST_CASE(zadd_and_zincrby_notify_only_changes) {
  CommandFixture f;
  f.set_notify_flags(kNotifyKEA);
  f.run({"zadd", "z", "1", "a", "2", "b"});
  f.run({"zadd", "z", "3", "a"});  // an update without CH still notifies
  f.run({"zadd", "z", "incr", "1", "a"});
  f.run({"zincrby", "z", "1", "b"});
  f.run({"zincrby", "new", "0", "m"});  // created, even by a zero increment
  BOOST_TEST(
      f.take_notifications() ==
      kea_events({{"zadd", "z"}, {"zadd", "z"}, {"zincr", "z"}, {"zincr", "z"}, {"zincr", "new"}}));
  f.run({"zadd", "z", "4", "a"});  // the score it has
  f.run({"zadd", "z", "nx", "9", "a"});
  f.run({"zadd", "z", "xx", "9", "c"});
  f.run({"zadd", "z", "gt", "1", "a"});
  f.run({"zadd", "z", "incr", "0", "a"});
  f.run({"zadd", "z", "nx", "incr", "1", "a"});
  f.run({"zadd", "nokey", "xx", "1", "a"});
  f.run({"zincrby", "z", "0", "a"});
  f.run({"zadd", "z", "inf", "i"});
  f.take_notifications();
  f.run({"zincrby", "z", "-inf", "i"});  // NaN
  f.run({"zadd", "z", "1", "a", "x", "b"});
  BOOST_TEST(f.take_notifications().empty());
}

BOOST_AUTO_TEST_CASE(removals_notify_their_event_then_del) {
  CommandFixture f;
  f.run({"zadd", "z", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e"});
  f.set_notify_flags(kNotifyKEA);
  f.run({"zrem", "z", "a", "nosuch"});
  f.run({"zremrangebyscore", "z", "2", "2"});
  f.run({"zremrangebyrank", "z", "0", "0"});
  f.run({"zremrangebylex", "z", "[d", "[d"});
  BOOST_TEST(f.take_notifications() == kea_events({{"zrem", "z"},
                                                   {"zremrangebyscore", "z"},
                                                   {"zremrangebyrank", "z"},
                                                   {"zremrangebylex", "z"}}));
  f.run({"zrem", "z", "nosuch"});
  f.run({"zrem", "nokey", "a"});
  f.run({"zremrangebyscore", "z", "10", "20"});
  f.run({"zremrangebyrank", "z", "5", "6"});
  f.run({"zremrangebylex", "z", "[x", "[y"});
  BOOST_TEST(f.take_notifications().empty());
  f.run({"zremrangebylex", "z", "-", "+"});
  BOOST_TEST(f.take_notifications() == kea_events({{"zremrangebylex", "z"}, {"del", "z"}}));
  for (std::string_view cmd : {"zrem", "zremrangebyscore", "zremrangebyrank"}) {
    f.run({"zadd", "z", "0", "a"});
    f.take_notifications();
    if (cmd == "zrem") {
      f.run({"zrem", "z", "a"});
    } else if (cmd == "zremrangebyscore") {
      f.run({"zremrangebyscore", "z", "-inf", "+inf"});
    } else {
      f.run({"zremrangebyrank", "z", "0", "-1"});
    }
    BOOST_TEST(f.take_notifications() == kea_events({{cmd, "z"}, {"del", "z"}}));
  }
}

BOOST_AUTO_TEST_CASE(pops_notify_the_popped_key) {
  CommandFixture f;
  f.run({"zadd", "z", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e"});
  f.set_notify_flags(kNotifyKEA);
  f.run({"zpopmin", "z"});
  f.run({"zpopmax", "z", "1"});
  f.run({"bzpopmin", "nokey", "z", "0"});
  f.run({"bzpopmax", "z", "0"});
  BOOST_TEST(f.take_notifications() ==
             kea_events({{"zpopmin", "z"}, {"zpopmax", "z"}, {"zpopmin", "z"}, {"zpopmax", "z"}}));
  f.run({"zpopmin", "z", "0"});
  f.run({"zpopmin", "nokey"});
  f.run({"zmpop", "1", "nokey", "min"});
  f.run({"bzpopmin", "nokey", "0"});
  f.run({"bzmpop", "0", "1", "nokey", "max"});
  BOOST_TEST(f.take_notifications().empty());
  f.run({"zmpop", "2", "nokey", "z", "max", "count", "5"});
  BOOST_TEST(f.take_notifications() == kea_events({{"zpopmax", "z"}, {"del", "z"}}));
  f.run({"zadd", "z", "1", "a", "2", "b"});
  f.take_notifications();
  f.run({"bzmpop", "0", "2", "nokey", "z", "min", "count", "1"});
  f.run({"zpopmin", "z", "9"});
  BOOST_TEST(f.take_notifications() ==
             kea_events({{"zpopmin", "z"}, {"zpopmin", "z"}, {"del", "z"}}));
  f.run({"zadd", "z", "1", "a"});
  f.take_notifications();
  f.run({"bzpopmax", "z", "0"});
  BOOST_TEST(f.take_notifications() == kea_events({{"zpopmax", "z"}, {"del", "z"}}));
}

BOOST_AUTO_TEST_CASE(stores_notify_their_destination_or_del) {
  CommandFixture f;
  f.run({"zadd", "a", "1", "x", "2", "y"});
  f.run({"zadd", "b", "1", "y", "2", "w"});
  f.run({"set", "str", "v"});
  f.set_notify_flags(kNotifyKEA);
  BOOST_TEST(f.run({"zunionstore", "d", "2", "a", "b"}) == integer(3));
  BOOST_TEST(f.run({"zinterstore", "d", "2", "a", "b"}) == integer(1));
  BOOST_TEST(f.run({"zdiffstore", "d", "2", "a", "b"}) == integer(1));
  BOOST_TEST(f.run({"zrangestore", "str", "a", "0", "0"}) == integer(1));
  BOOST_TEST(f.take_notifications() == kea_events({{"zunionstore", "d"},
                                                   {"zinterstore", "d"},
                                                   {"zdiffstore", "d"},
                                                   {"zrangestore", "str"}}));
  BOOST_TEST(f.run({"zinterstore", "d", "2", "a", "nokey"}) == integer(0));
  BOOST_TEST(f.run({"zrangestore", "str", "a", "5", "6"}) == integer(0));
  BOOST_TEST(f.take_notifications() == kea_events({{"del", "d"}, {"del", "str"}}));
  BOOST_TEST(f.run({"zinterstore", "d", "2", "a", "nokey"}) == integer(0));
  BOOST_TEST(f.run({"zrangestore", "d", "nokey", "0", "-1"}) == integer(0));
  BOOST_TEST(f.run({"zdiffstore", "d", "1", "nokey"}) == integer(0));
  BOOST_TEST(f.run({"zunionstore", "d", "1", "a", "weights", "x"}) ==
             error("ERR weight value is not a float"));
  BOOST_TEST(f.take_notifications().empty());
}

// "new" (n, outside "A") only for a destination that did not exist.
BOOST_AUTO_TEST_CASE(stores_announce_only_destinations_that_did_not_exist) {
  CommandFixture f;
  f.run({"zadd", "a", "1", "x"});
  f.run({"set", "old", "v"});
  f.set_notify_flags(kNotifyKEA | vireo::notify::kNew);
  f.run({"zunionstore", "old", "1", "a"});
  f.run({"zrangestore", "fresh", "a", "0", "-1"});
  f.run({"zadd", "fresh2", "1", "x"});
  BOOST_TEST(f.take_notifications() == kea_events({{"zunionstore", "old"},
                                                   {"new", "fresh"},
                                                   {"zrangestore", "fresh"},
                                                   {"new", "fresh2"},
                                                   {"zadd", "fresh2"}}));
}

BOOST_AUTO_TEST_SUITE_END()
