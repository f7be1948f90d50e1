// List commands. Every expected reply was checked byte for byte against
// redis-server 7.0.15 (RESP2 and, where it differs, RESP3).
#include <boost/test/unit_test.hpp>
#include <string>
#include <vector>

#include "tests/core/command_fixture.h"

using namespace vireo::test;

namespace {

const std::string kMustBePositive = error("ERR value is out of range, must be positive");
const std::string kNullArray = "*-1\r\n";
const std::string kEmptyArray = "*0\r\n";
const std::string kNull3 = "_\r\n";
const std::string kRankZero = error(
    "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use "
    "negative to start from the end of the list");
const std::string kTimeoutNotFloat = error("ERR timeout is not a float or out of range");
const std::string kTimeoutNegative = error("ERR timeout is negative");

std::string bulks(std::initializer_list<std::string_view> items) {
  std::string out = "*" + std::to_string(items.size()) + "\r\n";
  for (std::string_view s : items)
    out += bulk(s);
  return out;
}

std::string arity(std::string_view name) {
  return error("ERR wrong number of arguments for '" + std::string(name) + "' command");
}

// A fixture holding list `l` = a b c d e and string `s`, effects cleared
// (later effects carry no SELECT: the stream has selected db 0 already).
struct ListFixture : CommandFixture {
  ListFixture() {
    run({"rpush", "l", "a", "b", "c", "d", "e"});
    run({"set", "s", "v"});
    take_effects();
  }
  std::string items(std::string_view key) { return run({"lrange", key, "0", "-1"}); }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(lists)

// ---------------------------------------------------------------------------
// Pushes

BOOST_AUTO_TEST_CASE(push_commands) {
  CommandFixture f;
  BOOST_TEST(f.run({"lpush", "l", "c", "b", "a"}) == integer(3));
  BOOST_TEST(f.run({"RPUSH", "l", "d", "e"}) == integer(5));
  BOOST_TEST(f.run({"lrange", "l", "0", "-1"}) == bulks({"a", "b", "c", "d", "e"}));
  BOOST_TEST(f.run({"lpushx", "nokey", "a"}) == integer(0));
  BOOST_TEST(f.run({"rpushx", "nokey", "a", "b"}) == integer(0));
  BOOST_TEST(f.run({"exists", "nokey"}) == integer(0));
  BOOST_TEST(f.run({"lpushx", "l", "z"}) == integer(6));
  BOOST_TEST(f.run({"rpushx", "l", "y", "x"}) == integer(8));
  BOOST_TEST(f.run({"lrange", "l", "0", "-1"}) == bulks({"z", "a", "b", "c", "d", "e", "y", "x"}));
  BOOST_TEST((f.take_effects() == Effects{{"SELECT", "0"},
                                          {"LPUSH", "l", "c", "b", "a"},
                                          {"RPUSH", "l", "d", "e"},
                                          {"LPUSHX", "l", "z"},
                                          {"RPUSHX", "l", "y", "x"}}));
  BOOST_TEST(f.run({"type", "l"}) == simple("list"));
  BOOST_TEST(f.run({"object", "encoding", "l"}) == bulk("quicklist"));
}

BOOST_AUTO_TEST_CASE(push_errors) {
  ListFixture f;
  for (std::string_view cmd : {"lpush", "rpush", "lpushx", "rpushx"}) {
    BOOST_TEST(f.run({cmd, "s", "a"}) == kWrongType);
    BOOST_TEST(f.run({cmd, "l"}) == arity(cmd));
  }
  BOOST_TEST(f.take_effects().empty());
  BOOST_TEST(f.run({"rpush", "e", ""}) == integer(1));
  BOOST_TEST(f.run({"lindex", "e", "0"}) == bulk(""));
}

// ---------------------------------------------------------------------------
// Pops

BOOST_AUTO_TEST_CASE(lpop_and_rpop) {
  ListFixture f;
  BOOST_TEST(f.run({"lpop", "l"}) == bulk("a"));
  BOOST_TEST(f.run({"rpop", "l"}) == bulk("e"));
  BOOST_TEST(f.run({"lpop", "l", "0"}) == kEmptyArray);
  BOOST_TEST(f.run({"lpop", "l", "1"}) == bulks({"b"}));
  BOOST_TEST(f.run({"rpop", "l", "10"}) == bulks({"d", "c"}));
  BOOST_TEST(f.run({"exists", "l"}) == integer(0));
  // The count actually popped is propagated; COUNT 0 changes nothing.
  BOOST_TEST((f.take_effects() ==
              Effects{{"LPOP", "l"}, {"RPOP", "l"}, {"LPOP", "l", "1"}, {"RPOP", "l", "2"}}));
}

BOOST_AUTO_TEST_CASE(pop_missing_keys_and_errors) {
  ListFixture f;
  BOOST_TEST(f.run({"lpop", "nokey"}) == kNull);
  BOOST_TEST(f.run({"rpop", "nokey", "2"}) == kNullArray);
  BOOST_TEST(f.run({"lpop", "nokey", "0"}) == kNullArray);
  // The count is checked before the key; "not a number" says "must be positive".
  BOOST_TEST(f.run({"lpop", "nokey", "-1"}) == kMustBePositive);
  BOOST_TEST(f.run({"lpop", "s", "abc"}) == kMustBePositive);
  BOOST_TEST(f.run({"lpop", "l", "9223372036854775808"}) == kMustBePositive);
  BOOST_TEST(f.run({"lpop", "s"}) == kWrongType);
  BOOST_TEST(f.run({"rpop", "s", "0"}) == kWrongType);
  BOOST_TEST(f.run({"lpop", "l", "1", "2"}) == arity("lpop"));
  BOOST_TEST(f.run({"RPOP", "l", "1", "2"}) == arity("rpop"));
  BOOST_TEST(f.take_effects().empty());
  f.set_protocol(3);
  BOOST_TEST(f.run({"lpop", "nokey"}) == kNull3);
  BOOST_TEST(f.run({"lpop", "nokey", "2"}) == kNull3);
}

// ---------------------------------------------------------------------------
// Reads

BOOST_AUTO_TEST_CASE(llen) {
  ListFixture f;
  BOOST_TEST(f.run({"llen", "l"}) == integer(5));
  BOOST_TEST(f.run({"llen", "nokey"}) == integer(0));
  BOOST_TEST(f.run({"llen", "s"}) == kWrongType);
}

BOOST_AUTO_TEST_CASE(lrange) {
  ListFixture f;
  BOOST_TEST(f.run({"lrange", "l", "1", "2"}) == bulks({"b", "c"}));
  BOOST_TEST(f.run({"lrange", "l", "-2", "-1"}) == bulks({"d", "e"}));
  BOOST_TEST(f.run({"lrange", "l", "-100", "100"}) == bulks({"a", "b", "c", "d", "e"}));
  BOOST_TEST(f.run({"lrange", "l", "3", "1"}) == kEmptyArray);
  BOOST_TEST(f.run({"lrange", "l", "5", "10"}) == kEmptyArray);
  BOOST_TEST(f.run({"lrange", "l", "-1", "-100"}) == kEmptyArray);
  BOOST_TEST(f.run({"lrange", "l", "-9223372036854775808", "9223372036854775807"}) ==
             bulks({"a", "b", "c", "d", "e"}));
  BOOST_TEST(f.run({"lrange", "nokey", "0", "-1"}) == kEmptyArray);
  // Indexes are parsed before the key is looked at.
  BOOST_TEST(f.run({"lrange", "nokey", "a", "1"}) == kNotInteger);
  BOOST_TEST(f.run({"lrange", "s", "0", "b"}) == kNotInteger);
  BOOST_TEST(f.run({"lrange", "s", "0", "-1"}) == kWrongType);
}

BOOST_AUTO_TEST_CASE(lindex) {
  ListFixture f;
  BOOST_TEST(f.run({"lindex", "l", "0"}) == bulk("a"));
  BOOST_TEST(f.run({"lindex", "l", "-1"}) == bulk("e"));
  BOOST_TEST(f.run({"lindex", "l", "-5"}) == bulk("a"));
  BOOST_TEST(f.run({"lindex", "l", "5"}) == kNull);
  BOOST_TEST(f.run({"lindex", "l", "-6"}) == kNull);
  BOOST_TEST(f.run({"lindex", "l", "-9223372036854775808"}) == kNull);
  BOOST_TEST(f.run({"lindex", "l", "x"}) == kNotInteger);
  // The key is looked at before the index is parsed.
  BOOST_TEST(f.run({"lindex", "nokey", "x"}) == kNull);
  BOOST_TEST(f.run({"lindex", "s", "x"}) == kWrongType);
  f.set_protocol(3);
  BOOST_TEST(f.run({"lindex", "l", "5"}) == kNull3);
}

BOOST_AUTO_TEST_CASE(lpos) {
  CommandFixture f;
  f.run({"rpush", "p", "a", "b", "c", "a", "b", "c", "a"});
  BOOST_TEST(f.run({"lpos", "p", "a"}) == integer(0));
  BOOST_TEST(f.run({"lpos", "p", "zz"}) == kNull);
  BOOST_TEST(f.run({"lpos", "p", "a", "rank", "2"}) == integer(3));
  BOOST_TEST(f.run({"lpos", "p", "a", "RANK", "-1"}) == integer(6));
  BOOST_TEST(f.run({"lpos", "p", "a", "rank", "-2"}) == integer(3));
  BOOST_TEST(f.run({"lpos", "p", "a", "rank", "4"}) == kNull);
  BOOST_TEST(f.run({"lpos", "p", "a", "rank", "9223372036854775807"}) == kNull);
  BOOST_TEST(f.run({"lpos", "p", "a", "count", "0"}) ==
             array({integer(0), integer(3), integer(6)}));
  BOOST_TEST(f.run({"lpos", "p", "a", "count", "2"}) == array({integer(0), integer(3)}));
  BOOST_TEST(f.run({"lpos", "p", "a", "count", "2", "rank", "-1"}) ==
             array({integer(6), integer(3)}));
  BOOST_TEST(f.run({"lpos", "p", "a", "rank", "-2", "count", "0"}) ==
             array({integer(3), integer(0)}));
  BOOST_TEST(f.run({"lpos", "p", "a", "count", "1", "count", "0"}) ==
             array({integer(0), integer(3), integer(6)}));
  BOOST_TEST(f.run({"lpos", "p", "zz", "count", "0"}) == kEmptyArray);
  BOOST_TEST(f.run({"lpos", "p", "a", "maxlen", "0"}) == integer(0));
  BOOST_TEST(f.run({"lpos", "p", "a", "maxlen", "2", "count", "0"}) == array({integer(0)}));
  BOOST_TEST(f.run({"lpos", "p", "a", "maxlen", "3", "count", "0", "rank", "-1"}) ==
             array({integer(6)}));
  BOOST_TEST(f.run({"lpos", "p", "b", "maxlen", "1"}) == kNull);
  BOOST_TEST(f.run({"lpos", "nokey", "a"}) == kNull);
  BOOST_TEST(f.run({"lpos", "nokey", "a", "count", "0"}) == kEmptyArray);
  f.set_protocol(3);
  BOOST_TEST(f.run({"lpos", "p", "zz"}) == kNull3);
  BOOST_TEST(f.run({"lpos", "nokey", "a", "count", "0"}) == kEmptyArray);
}

BOOST_AUTO_TEST_CASE(lpos_rank_llong_min) {
  // Redis negates the rank in 64 bits, so LLONG_MIN stays negative: the first
  // match from the tail qualifies, and COUNT never stops the walk.
  CommandFixture f;
  f.run({"rpush", "p", "a", "b", "c", "a", "b", "c", "a"});
  const std::string min = "-9223372036854775808";
  BOOST_TEST(f.run({"lpos", "p", "a", "rank", min}) == integer(6));
  BOOST_TEST(f.run({"lpos", "p", "b", "rank", min}) == integer(4));
  BOOST_TEST(f.run({"lpos", "p", "a", "rank", min, "count", "2"}) ==
             array({integer(6), integer(3), integer(0)}));
  BOOST_TEST(f.run({"lpos", "p", "a", "rank", "-9223372036854775807", "count", "0"}) ==
             kEmptyArray);
}

BOOST_AUTO_TEST_CASE(lpos_errors) {
  ListFixture f;
  const std::string count_negative = error("ERR COUNT can't be negative");
  const std::string maxlen_negative = error("ERR MAXLEN can't be negative");
  BOOST_TEST(f.run({"lpos", "l", "a", "rank", "0"}) == kRankZero);
  BOOST_TEST(f.run({"lpos", "l", "a", "rank", "x"}) == kNotInteger);
  BOOST_TEST(f.run({"lpos", "l", "a", "rank", "9223372036854775808"}) == kNotInteger);
  BOOST_TEST(f.run({"lpos", "l", "a", "count", "-1"}) == count_negative);
  BOOST_TEST(f.run({"lpos", "l", "a", "count", "x"}) == count_negative);
  BOOST_TEST(f.run({"lpos", "l", "a", "maxlen", "-1"}) == maxlen_negative);
  BOOST_TEST(f.run({"lpos", "l", "a", "maxlen", "x"}) == maxlen_negative);
  // Options fail in the order they come, before the key is looked at.
  BOOST_TEST(f.run({"lpos", "l", "a", "rank", "0", "count", "-1"}) == kRankZero);
  BOOST_TEST(f.run({"lpos", "l", "a", "count", "-1", "rank", "0"}) == count_negative);
  BOOST_TEST(f.run({"lpos", "s", "a", "rank", "0"}) == kRankZero);
  BOOST_TEST(f.run({"lpos", "nokey", "a", "foo", "1"}) == kSyntax);
  BOOST_TEST(f.run({"lpos", "l", "a", "rank"}) == kSyntax);
  BOOST_TEST(f.run({"lpos", "l", "a", "rank", "1", "foo"}) == kSyntax);
  BOOST_TEST(f.run({"lpos", "s", "a"}) == kWrongType);
  BOOST_TEST(f.run({"lpos", "l"}) == arity("lpos"));
}

// ---------------------------------------------------------------------------
// In-place changes

BOOST_AUTO_TEST_CASE(lset) {
  ListFixture f;
  BOOST_TEST(f.run({"lset", "l", "0", "A"}) == kOk);
  BOOST_TEST(f.run({"lset", "l", "-1", "E"}) == kOk);
  BOOST_TEST(f.run({"lset", "l", "5", "X"}) == error("ERR index out of range"));
  BOOST_TEST(f.run({"lset", "l", "-6", "X"}) == error("ERR index out of range"));
  BOOST_TEST(f.run({"lset", "l", "x", "X"}) == kNotInteger);
  // The key is looked at before the index is parsed.
  BOOST_TEST(f.run({"lset", "nokey", "x", "X"}) == error("ERR no such key"));
  BOOST_TEST(f.run({"lset", "s", "x", "X"}) == kWrongType);
  BOOST_TEST(f.items("l") == bulks({"A", "b", "c", "d", "E"}));
  BOOST_TEST((f.take_effects() == Effects{{"LSET", "l", "0", "A"}, {"LSET", "l", "-1", "E"}}));
}

BOOST_AUTO_TEST_CASE(linsert) {
  ListFixture f;
  BOOST_TEST(f.run({"linsert", "l", "BEFORE", "b", "B"}) == integer(6));
  BOOST_TEST(f.run({"linsert", "l", "after", "e", "E"}) == integer(7));
  BOOST_TEST(f.run({"linsert", "l", "before", "zz", "x"}) == integer(-1));
  BOOST_TEST(f.run({"linsert", "nokey", "before", "a", "x"}) == integer(0));
  BOOST_TEST(f.run({"linsert", "s", "before", "a", "x"}) == kWrongType);
  // The position word is checked first.
  BOOST_TEST(f.run({"linsert", "s", "middle", "a", "x"}) == kSyntax);
  BOOST_TEST(f.run({"linsert", "nokey", "middle", "a", "x"}) == kSyntax);
  BOOST_TEST(f.items("l") == bulks({"a", "B", "b", "c", "d", "e", "E"}));
  BOOST_TEST((f.take_effects() ==
              Effects{{"LINSERT", "l", "BEFORE", "b", "B"}, {"LINSERT", "l", "after", "e", "E"}}));
  f.set_protocol(3);
  BOOST_TEST(f.run({"linsert", "l", "before", "zz", "x"}) == integer(-1));
}

BOOST_AUTO_TEST_CASE(lrem) {
  CommandFixture f;
  f.run({"rpush", "r", "a", "b", "a", "c", "a", "b", "a"});
  f.take_effects();
  BOOST_TEST(f.run({"lrem", "r", "2", "a"}) == integer(2));
  BOOST_TEST(f.run({"lrange", "r", "0", "-1"}) == bulks({"b", "c", "a", "b", "a"}));
  BOOST_TEST(f.run({"lrem", "r", "-1", "a"}) == integer(1));
  BOOST_TEST(f.run({"lrange", "r", "0", "-1"}) == bulks({"b", "c", "a", "b"}));
  BOOST_TEST(f.run({"lrem", "r", "0", "b"}) == integer(2));
  BOOST_TEST(f.run({"lrem", "r", "0", "zz"}) == integer(0));
  BOOST_TEST(f.run({"lrem", "r", "-9223372036854775808", "a"}) == integer(1));
  BOOST_TEST(f.run({"lrem", "r", "9223372036854775807", "c"}) == integer(1));
  BOOST_TEST(f.run({"exists", "r"}) == integer(0));
  BOOST_TEST(f.run({"lrem", "nokey", "0", "a"}) == integer(0));
  BOOST_TEST((f.take_effects() == Effects{{"LREM", "r", "2", "a"},
                                          {"LREM", "r", "-1", "a"},
                                          {"LREM", "r", "0", "b"},
                                          {"LREM", "r", "-9223372036854775808", "a"},
                                          {"LREM", "r", "9223372036854775807", "c"}}));
  f.run({"set", "s", "v"});
  BOOST_TEST(f.run({"lrem", "s", "0", "a"}) == kWrongType);
  // The count is parsed before the key is looked at.
  BOOST_TEST(f.run({"lrem", "s", "x", "a"}) == kNotInteger);
  BOOST_TEST(f.run({"lrem", "nokey", "x", "a"}) == kNotInteger);
}

BOOST_AUTO_TEST_CASE(ltrim) {
  CommandFixture f;
  f.run({"rpush", "t", "0", "1", "2", "3", "4", "5", "6", "7", "8", "9"});
  f.take_effects();
  BOOST_TEST(f.run({"ltrim", "t", "1", "-2"}) == kOk);
  BOOST_TEST(f.run({"lrange", "t", "0", "-1"}) == bulks({"1", "2", "3", "4", "5", "6", "7", "8"}));
  BOOST_TEST(f.run({"ltrim", "t", "-100", "100"}) == kOk);  // keeps everything
  BOOST_TEST(f.run({"ltrim", "t", "-1", "-1"}) == kOk);
  BOOST_TEST(f.run({"lrange", "t", "0", "-1"}) == bulks({"8"}));
  BOOST_TEST(f.run({"ltrim", "t", "2", "1"}) == kOk);
  BOOST_TEST(f.run({"exists", "t"}) == integer(0));
  BOOST_TEST(f.run({"ltrim", "nokey", "0", "1"}) == kOk);
  BOOST_TEST(
      (f.take_effects() ==
       Effects{{"LTRIM", "t", "1", "-2"}, {"LTRIM", "t", "-1", "-1"}, {"LTRIM", "t", "2", "1"}}));
  f.run({"set", "s", "v"});
  BOOST_TEST(f.run({"ltrim", "s", "0", "1"}) == kWrongType);
  BOOST_TEST(f.run({"ltrim", "s", "x", "1"}) == kNotInteger);
  BOOST_TEST(f.run({"ltrim", "nokey", "0", "y"}) == kNotInteger);
}

// ---------------------------------------------------------------------------
// Moves

BOOST_AUTO_TEST_CASE(lmove_and_rpoplpush) {
  CommandFixture f;
  f.run({"rpush", "m", "a", "b", "c"});
  f.take_effects();
  BOOST_TEST(f.run({"lmove", "m", "d", "left", "RIGHT"}) == bulk("a"));
  BOOST_TEST(f.run({"lmove", "m", "m", "LEFT", "right"}) == bulk("b"));
  BOOST_TEST(f.run({"lrange", "m", "0", "-1"}) == bulks({"c", "b"}));
  BOOST_TEST(f.run({"rpoplpush", "m", "d"}) == bulk("b"));
  BOOST_TEST(f.run({"rpoplpush", "d", "d"}) == bulk("a"));
  BOOST_TEST(f.run({"lrange", "d", "0", "-1"}) == bulks({"a", "b"}));
  BOOST_TEST(f.run({"lmove", "m", "d", "left", "left"}) == bulk("c"));
  BOOST_TEST(f.run({"exists", "m"}) == integer(0));
  BOOST_TEST(f.run({"lmove", "nokey", "d", "left", "left"}) == kNull);
  BOOST_TEST(f.run({"rpoplpush", "nokey", "d"}) == kNull);
  BOOST_TEST((f.take_effects() == Effects{{"LMOVE", "m", "d", "LEFT", "RIGHT"},
                                          {"LMOVE", "m", "m", "LEFT", "RIGHT"},
                                          {"RPOPLPUSH", "m", "d"},
                                          {"RPOPLPUSH", "d", "d"},
                                          {"LMOVE", "m", "d", "LEFT", "LEFT"}}));
  f.set_protocol(3);
  BOOST_TEST(f.run({"lmove", "nokey", "d", "left", "left"}) == kNull3);
}

BOOST_AUTO_TEST_CASE(lmove_errors) {
  ListFixture f;
  BOOST_TEST(f.run({"lmove", "l", "d", "up", "left"}) == kSyntax);
  BOOST_TEST(f.run({"lmove", "l", "d", "left", "down"}) == kSyntax);
  BOOST_TEST(f.run({"lmove", "s", "nokey", "up", "left"}) == kSyntax);
  BOOST_TEST(f.run({"lmove", "s", "d", "left", "left"}) == kWrongType);
  BOOST_TEST(f.run({"lmove", "l", "s", "left", "left"}) == kWrongType);
  BOOST_TEST(f.run({"rpoplpush", "l", "s"}) == kWrongType);
  // The destination's type only matters when there is something to move.
  BOOST_TEST(f.run({"lmove", "nokey", "s", "left", "left"}) == kNull);
  BOOST_TEST(f.items("l") == bulks({"a", "b", "c", "d", "e"}));
  BOOST_TEST(f.run({"exists", "d"}) == integer(0));
  BOOST_TEST(f.take_effects().empty());
}

BOOST_AUTO_TEST_CASE(lmpop) {
  ListFixture f;
  BOOST_TEST(f.run({"lmpop", "1", "l", "LEFT"}) == array({bulk("l"), bulks({"a"})}));
  BOOST_TEST(f.run({"lmpop", "2", "nokey", "l", "right", "count", "2"}) ==
             array({bulk("l"), bulks({"e", "d"})}));
  BOOST_TEST(f.run({"lmpop", "1", "l", "left", "COUNT", "100"}) ==
             array({bulk("l"), bulks({"b", "c"})}));
  BOOST_TEST(f.run({"exists", "l"}) == integer(0));
  BOOST_TEST(f.run({"lmpop", "2", "nokey", "l", "left"}) == kNullArray);
  // Redis propagates the pop it did, with the count it took.
  BOOST_TEST(
      (f.take_effects() == Effects{{"LPOP", "l", "1"}, {"RPOP", "l", "2"}, {"LPOP", "l", "2"}}));
  f.set_protocol(3);
  BOOST_TEST(f.run({"lmpop", "1", "nokey", "left"}) == kNull3);
}

BOOST_AUTO_TEST_CASE(lmpop_errors) {
  ListFixture f;
  const std::string numkeys = error("ERR numkeys should be greater than 0");
  const std::string count = error("ERR count should be greater than 0");
  BOOST_TEST(f.run({"lmpop", "0", "l", "left"}) == numkeys);
  BOOST_TEST(f.run({"lmpop", "-1", "l", "left"}) == numkeys);
  BOOST_TEST(f.run({"lmpop", "x", "l", "left"}) == numkeys);
  BOOST_TEST(f.run({"lmpop", "9223372036854775808", "l", "left"}) == numkeys);
  BOOST_TEST(f.run({"lmpop", "9223372036854775807", "l", "left"}) == kSyntax);
  BOOST_TEST(f.run({"lmpop", "2", "l", "left"}) == kSyntax);
  BOOST_TEST(f.run({"lmpop", "1", "l", "middle"}) == kSyntax);
  BOOST_TEST(f.run({"lmpop", "1", "l", "left", "count", "0"}) == count);
  BOOST_TEST(f.run({"lmpop", "1", "l", "left", "count", "-1"}) == count);
  BOOST_TEST(f.run({"lmpop", "1", "l", "left", "count", "x"}) == count);
  BOOST_TEST(f.run({"lmpop", "1", "l", "left", "count", "1", "count", "1"}) == kSyntax);
  BOOST_TEST(f.run({"lmpop", "1", "l", "left", "count"}) == kSyntax);
  BOOST_TEST(f.run({"lmpop", "1", "l", "left", "foo"}) == kSyntax);
  BOOST_TEST(f.run({"lmpop", "1", "l"}) == arity("lmpop"));
  BOOST_TEST(f.run({"lmpop", "2", "s", "l", "left"}) == kWrongType);
  BOOST_TEST(f.run({"lmpop", "2", "nokey", "s", "left"}) == kWrongType);
  BOOST_TEST(f.take_effects().empty());
  // The first non-empty list is served before a later key's type is seen.
  BOOST_TEST(f.run({"lmpop", "2", "l", "s", "left"}) == array({bulk("l"), bulks({"a"})}));
}

// ---------------------------------------------------------------------------
// Blocking forms: served at once when a list has elements

BOOST_AUTO_TEST_CASE(blocking_pops_served_at_once) {
  ListFixture f;
  f.set_can_block(true);
  BOOST_TEST(f.run({"blpop", "nokey", "l", "0"}) == bulks({"l", "a"}));
  BOOST_TEST(f.run({"brpop", "l", "nokey", "1.5"}) == bulks({"l", "e"}));
  BOOST_TEST(f.run({"blmove", "l", "d", "left", "right", "0"}) == bulk("b"));
  BOOST_TEST(f.run({"brpoplpush", "l", "d", "0"}) == bulk("d"));
  BOOST_TEST(f.run({"blmpop", "0", "2", "nokey", "l", "right", "count", "5"}) ==
             array({bulk("l"), bulks({"c"})}));
  BOOST_TEST(!f.last_block_request());
  BOOST_TEST(f.run({"exists", "l"}) == integer(0));
  BOOST_TEST(f.run({"lrange", "d", "0", "-1"}) == bulks({"d", "b"}));
  // Each propagates its non-blocking equivalent.
  BOOST_TEST((f.take_effects() == Effects{{"LPOP", "l"},
                                          {"RPOP", "l"},
                                          {"LMOVE", "l", "d", "LEFT", "RIGHT"},
                                          {"LMOVE", "l", "d", "RIGHT", "LEFT"},
                                          {"RPOP", "l", "1"}}));
}

BOOST_AUTO_TEST_CASE(blocking_forms_without_blocking_reply_nulls) {
  // Inside MULTI (can_block false) they act as the non-blocking forms.
  ListFixture f;
  BOOST_TEST(f.run({"blpop", "nokey", "0"}) == kNullArray);
  BOOST_TEST(f.run({"brpop", "nokey", "nokey2", "0"}) == kNullArray);
  BOOST_TEST(f.run({"blmove", "nokey", "d", "left", "left", "0"}) == kNull);
  BOOST_TEST(f.run({"brpoplpush", "nokey", "d", "0"}) == kNull);
  BOOST_TEST(f.run({"blmpop", "0", "1", "nokey", "left"}) == kNullArray);
  BOOST_TEST(!f.last_block_request());
  BOOST_TEST(f.take_effects().empty());
  f.set_protocol(3);
  BOOST_TEST(f.run({"blpop", "nokey", "0"}) == kNull3);
  BOOST_TEST(f.run({"blmove", "nokey", "d", "left", "left", "0"}) == kNull3);
  BOOST_TEST(f.run({"blmpop", "0", "1", "nokey", "left"}) == kNull3);
}

BOOST_AUTO_TEST_CASE(blocking_forms_ask_to_block) {
  ListFixture f;
  f.set_can_block(true);
  auto expect_block = [&](std::vector<std::string> keys, int64_t deadline) {
    const auto& req = f.last_block_request();
    BOOST_REQUIRE(req.has_value());
    BOOST_TEST(req->keys == keys);
    BOOST_TEST((req->type == vireo::ValueType::kList));
    BOOST_TEST(req->deadline_ms == deadline);
  };
  BOOST_TEST(f.run({"blpop", "n1", "n2", "0"}).empty());
  expect_block({"n1", "n2"}, 0);
  BOOST_TEST(f.run({"brpop", "n1", "1.5"}).empty());
  expect_block({"n1"}, f.now() + 1500);
  BOOST_TEST(f.run({"blmove", "n1", "s", "left", "left", "0.0001"}).empty());
  expect_block({"n1"}, f.now() + 1);
  BOOST_TEST(f.run({"brpoplpush", "n1", "d", "2"}).empty());
  expect_block({"n1"}, f.now() + 2000);
  BOOST_TEST(f.run({"blmpop", "3", "2", "n1", "n2", "left", "count", "2"}).empty());
  expect_block({"n1", "n2"}, f.now() + 3000);
  // Errors do not block.
  BOOST_TEST(f.run({"blpop", "n1", "s", "0"}) == kWrongType);
  BOOST_TEST(!f.last_block_request());
  BOOST_TEST(f.take_effects().empty());
}

BOOST_AUTO_TEST_CASE(blocking_errors) {
  ListFixture f;
  f.set_can_block(true);
  BOOST_TEST(f.run({"blpop", "l", "x"}) == kTimeoutNotFloat);
  BOOST_TEST(f.run({"blpop", "l", "-1"}) == kTimeoutNegative);
  BOOST_TEST(f.run({"blpop", "s", "x"}) == kTimeoutNotFloat);  // the timeout comes first
  BOOST_TEST(f.run({"blpop", "s", "0"}) == kWrongType);
  BOOST_TEST(f.run({"blpop", "nokey", "s", "0"}) == kWrongType);
  BOOST_TEST(f.run({"blpop", "s"}) == arity("blpop"));
  BOOST_TEST(f.run({"blmove", "l", "d", "up", "right", "x"}) == kSyntax);
  BOOST_TEST(f.run({"blmove", "l", "d", "left", "right", "x"}) == kTimeoutNotFloat);
  BOOST_TEST(f.run({"blmove", "l", "d", "left", "right", "-1"}) == kTimeoutNegative);
  BOOST_TEST(f.run({"brpoplpush", "l", "d", "x"}) == kTimeoutNotFloat);
  BOOST_TEST(f.run({"blmove", "s", "d", "left", "right", "0"}) == kWrongType);
  BOOST_TEST(f.run({"blmove", "l", "s", "left", "right", "0"}) == kWrongType);
  // BLMPOP checks numkeys, the end and COUNT before the timeout.
  BOOST_TEST(f.run({"blmpop", "x", "0", "l", "left"}) ==
             error("ERR numkeys should be greater than 0"));
  BOOST_TEST(f.run({"blmpop", "x", "1", "l", "middle"}) == kSyntax);
  BOOST_TEST(f.run({"blmpop", "-1", "1", "l", "left", "count", "0"}) ==
             error("ERR count should be greater than 0"));
  BOOST_TEST(f.run({"blmpop", "x", "1", "l", "left"}) == kTimeoutNotFloat);
  BOOST_TEST(f.run({"blmpop", "-1", "1", "l", "left"}) == kTimeoutNegative);
  BOOST_TEST(f.run({"blmpop", "0", "2", "s", "l", "left"}) == kWrongType);
  BOOST_TEST(f.run({"blmpop", "0", "1", "l"}) == arity("blmpop"));
  BOOST_TEST(!f.last_block_request());
  BOOST_TEST(f.take_effects().empty());
  BOOST_TEST(f.items("l") == bulks({"a", "b", "c", "d", "e"}));
}

// ---------------------------------------------------------------------------
// A list through the generic key commands, and large lists

BOOST_AUTO_TEST_CASE(copy_rename_type_encoding) {
  ListFixture f;
  BOOST_TEST(f.run({"copy", "l", "l2"}) == integer(1));
  BOOST_TEST(f.run({"rpush", "l", "f"}) == integer(6));
  BOOST_TEST(f.items("l2") == bulks({"a", "b", "c", "d", "e"}));
  BOOST_TEST(f.run({"rename", "l2", "l3"}) == kOk);
  BOOST_TEST(f.items("l3") == bulks({"a", "b", "c", "d", "e"}));
  BOOST_TEST(f.run({"type", "l3"}) == simple("list"));
  BOOST_TEST(f.run({"object", "encoding", "l3"}) == bulk("quicklist"));
  BOOST_TEST(f.run({"del", "l", "l3"}) == integer(2));
}

BOOST_AUTO_TEST_CASE(large_lists_across_many_nodes) {
  CommandFixture f;
  f.limits().containers.list_max_listpack_size = 4;
  std::vector<std::string> push = {"rpush", "big"};
  for (int i = 0; i < 1000; ++i)
    push.push_back(std::to_string(i));
  BOOST_TEST(f.run(push) == integer(1000));
  BOOST_TEST(f.run({"lindex", "big", "500"}) == bulk("500"));
  BOOST_TEST(f.run({"lindex", "big", "-3"}) == bulk("997"));
  BOOST_TEST(f.run({"lrange", "big", "498", "501"}) == bulks({"498", "499", "500", "501"}));
  BOOST_TEST(f.run({"lpos", "big", "999", "rank", "-1"}) == integer(999));
  BOOST_TEST(f.run({"linsert", "big", "after", "500", "x"}) == integer(1001));
  BOOST_TEST(f.run({"lindex", "big", "501"}) == bulk("x"));
  BOOST_TEST(f.run({"ltrim", "big", "2", "-3"}) == kOk);
  BOOST_TEST(f.run({"llen", "big"}) == integer(997));
  BOOST_TEST(f.run({"lpop", "big", "3"}) == bulks({"2", "3", "4"}));
  BOOST_TEST(f.run({"rpop", "big", "2"}) == bulks({"997", "996"}));
  BOOST_TEST(f.run({"lrem", "big", "0", "x"}) == integer(1));
  BOOST_TEST(f.run({"llen", "big"}) == integer(991));
}

// ---------------------------------------------------------------------------
// Keyspace notifications, as redis-server 7.0.15 publishes them with
// notify-keyspace-events KEA

BOOST_AUTO_TEST_CASE(pushes_publish_lpush_or_rpush) {
  ListFixture f;
  f.set_notify_flags(kNotifyKEA);
  f.run({"lpush", "n", "a", "b"});
  f.run({"rpush", "n", "c"});
  f.run({"lpushx", "n", "d"});
  f.run({"rpushx", "n", "e"});
  BOOST_TEST(f.take_notifications() ==
             kea_events({{"lpush", "n"}, {"rpush", "n"}, {"lpush", "n"}, {"rpush", "n"}}));
  BOOST_TEST(f.run({"lpushx", "nokey", "x"}) == integer(0));
  BOOST_TEST(f.run({"rpushx", "nokey", "x"}) == integer(0));
  BOOST_TEST(f.run({"lpush", "s", "x"}) == kWrongType);
  BOOST_TEST(f.take_notifications().empty());
}

// A list emptied by a command publishes "del" after the command's own event.
BOOST_AUTO_TEST_CASE(pops_publish_their_end_then_del_when_emptied) {
  ListFixture f;
  f.set_notify_flags(kNotifyKEA);
  BOOST_TEST(f.run({"lpop", "l"}) == bulk("a"));
  BOOST_TEST(f.run({"rpop", "l"}) == bulk("e"));
  BOOST_TEST(f.run({"lpop", "l", "0"}) == kEmptyArray);
  BOOST_TEST(f.run({"lpop", "nokey"}) == kNull);
  BOOST_TEST(f.run({"rpop", "l", "5"}) == bulks({"d", "c", "b"}));
  BOOST_TEST(f.take_notifications() ==
             kea_events({{"lpop", "l"}, {"rpop", "l"}, {"rpop", "l"}, {"del", "l"}}));
}

BOOST_AUTO_TEST_CASE(lset_and_linsert_publish_only_when_they_write) {
  ListFixture f;
  f.set_notify_flags(kNotifyKEA);
  BOOST_TEST(f.run({"lset", "l", "0", "x"}) == kOk);
  BOOST_TEST(f.run({"lset", "l", "9", "x"}) == error("ERR index out of range"));
  BOOST_TEST(f.run({"linsert", "l", "before", "nope", "z"}) == integer(-1));
  BOOST_TEST(f.run({"linsert", "nokey", "before", "a", "z"}) == integer(0));
  BOOST_TEST(f.run({"linsert", "l", "after", "b", "z"}) == integer(6));
  BOOST_TEST(f.take_notifications() == kea_events({{"lset", "l"}, {"linsert", "l"}}));
}

// LTRIM publishes even when its range keeps the whole list.
BOOST_AUTO_TEST_CASE(lrem_and_ltrim_publish_then_del_when_emptied) {
  ListFixture f;
  f.run({"rpush", "r", "a", "b", "a"});
  f.take_effects();
  f.set_notify_flags(kNotifyKEA);
  BOOST_TEST(f.run({"lrem", "r", "0", "nope"}) == integer(0));
  BOOST_TEST(f.run({"lrem", "nokey", "0", "a"}) == integer(0));
  BOOST_TEST(f.take_notifications().empty());
  BOOST_TEST(f.run({"lrem", "r", "1", "a"}) == integer(1));
  BOOST_TEST(f.run({"lrem", "r", "0", "b"}) == integer(1));
  BOOST_TEST(f.run({"lrem", "r", "0", "a"}) == integer(1));
  BOOST_TEST(f.take_notifications() ==
             kea_events({{"lrem", "r"}, {"lrem", "r"}, {"lrem", "r"}, {"del", "r"}}));
  BOOST_TEST(f.run({"ltrim", "nokey", "0", "1"}) == kOk);
  BOOST_TEST(f.run({"ltrim", "l", "0", "-1"}) == kOk);
  BOOST_TEST(f.run({"ltrim", "l", "0", "1"}) == kOk);
  BOOST_TEST(f.run({"ltrim", "l", "5", "9"}) == kOk);
  BOOST_TEST(f.take_notifications() ==
             kea_events({{"ltrim", "l"}, {"ltrim", "l"}, {"ltrim", "l"}, {"del", "l"}}));
  BOOST_TEST((f.take_effects() == Effects{{"LREM", "r", "1", "a"},
                                          {"LREM", "r", "0", "b"},
                                          {"LREM", "r", "0", "a"},
                                          {"LTRIM", "l", "0", "1"},
                                          {"LTRIM", "l", "5", "9"}}));
}

// The push on the destination is published before the pop from the source.
BOOST_AUTO_TEST_CASE(moves_publish_the_push_then_the_pop) {
  ListFixture f;
  f.run({"rpush", "one", "x"});
  f.set_notify_flags(kNotifyKEA);
  BOOST_TEST(f.run({"lmove", "l", "d", "left", "right"}) == bulk("a"));
  BOOST_TEST(f.run({"rpoplpush", "l", "d"}) == bulk("e"));
  BOOST_TEST(f.run({"lmove", "l", "l", "left", "right"}) == bulk("b"));
  BOOST_TEST(f.run({"lmove", "one", "d", "right", "left"}) == bulk("x"));
  BOOST_TEST(f.take_notifications() == kea_events({{"rpush", "d"},
                                                   {"lpop", "l"},
                                                   {"lpush", "d"},
                                                   {"rpop", "l"},
                                                   {"rpush", "l"},
                                                   {"lpop", "l"},
                                                   {"lpush", "d"},
                                                   {"rpop", "one"},
                                                   {"del", "one"}}));
  BOOST_TEST(f.run({"rpoplpush", "nokey", "d"}) == kNull);
  BOOST_TEST(f.run({"lmove", "l", "s", "left", "right"}) == kWrongType);
  BOOST_TEST(f.take_notifications().empty());
}

// Blocking pops publish what their non-blocking forms do, whether they are
// served at once or when run again after a push; waiting publishes nothing.
BOOST_AUTO_TEST_CASE(multi_key_and_blocking_pops_publish_like_the_plain_pops) {
  ListFixture f;
  f.run({"rpush", "m", "1", "2"});
  f.set_notify_flags(kNotifyKEA);
  BOOST_TEST(f.run({"lmpop", "2", "nokey", "m", "left", "count", "5"}) ==
             "*2\r\n" + bulk("m") + bulks({"1", "2"}));
  BOOST_TEST(f.run({"blpop", "nokey", "l", "0"}) == bulks({"l", "a"}));
  BOOST_TEST(f.run({"brpop", "l", "0"}) == bulks({"l", "e"}));
  BOOST_TEST(f.run({"blmpop", "0", "1", "l", "right", "count", "9"}) ==
             "*2\r\n" + bulk("l") + bulks({"d", "c", "b"}));
  BOOST_TEST(f.take_notifications() == kea_events({{"lpop", "m"},
                                                   {"del", "m"},
                                                   {"lpop", "l"},
                                                   {"rpop", "l"},
                                                   {"rpop", "l"},
                                                   {"del", "l"}}));
  f.set_can_block(true);
  BOOST_TEST(f.run({"blmove", "w", "d", "right", "left", "0"}).empty());
  BOOST_TEST(f.run({"brpoplpush", "w", "d", "0"}).empty());
  BOOST_TEST(f.run({"blpop", "w", "0"}).empty());
  BOOST_TEST(f.take_notifications().empty());
  f.run({"rpush", "w", "1", "2", "3"});
  BOOST_TEST(f.run({"blmove", "w", "d", "right", "left", "0"}) == bulk("3"));
  BOOST_TEST(f.run({"brpoplpush", "w", "d", "0"}) == bulk("2"));
  BOOST_TEST(f.run({"blpop", "w", "0"}) == bulks({"w", "1"}));
  BOOST_TEST(f.take_notifications() == kea_events({{"rpush", "w"},
                                                   {"lpush", "d"},
                                                   {"rpop", "w"},
                                                   {"lpush", "d"},
                                                   {"rpop", "w"},
                                                   {"lpop", "w"},
                                                   {"del", "w"}}));
}

BOOST_AUTO_TEST_SUITE_END()
