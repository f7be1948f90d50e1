// Set commands. Every expected reply was checked byte for byte against
// redis-server 7.0.15 (RESP2 and RESP3). Orders Redis leaves unspecified are
// compared as sets; intsets reply in ascending order in both servers.
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "tests/core/command_fixture.h"
#include "tests/core/string_helpers.h"

using namespace vireo::test;

namespace {

const std::string kNull3 = "_\r\n";
const std::string kEmptyArray = "*0\r\n";
const std::string kEmptySet3 = "~0\r\n";
const std::string kMustBePositive = error("ERR value is out of range, must be positive");

// A RESP2 array of bulk strings, decoded like a command.
std::vector<std::string> elements(const std::string& reply) {
  auto decoded = decode_commands(reply);
  BOOST_REQUIRE(decoded.size() == 1u);
  return decoded[0];
}

std::set<std::string> members(CommandFixture& f, std::string_view key) {
  auto list = elements(f.run({"smembers", key}));
  return {list.begin(), list.end()};
}

std::string arity(std::string_view name) {
  return error("ERR wrong number of arguments for '" + std::string(name) + "' command");
}

// Replays `effects` (SELECT included) onto a fresh fixture.
void replay(CommandFixture& target, const Effects& effects) {
  for (const auto& argv : effects)
    target.run(argv);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(sets)

BOOST_AUTO_TEST_CASE(sadd_srem_scard_sismember) {
  CommandFixture f;
  BOOST_TEST(f.run({"sadd", "s", "a", "b", "a"}) == integer(2));
  BOOST_TEST(f.run({"sadd", "s", "a"}) == integer(0));
  BOOST_TEST(f.run({"scard", "s"}) == integer(2));
  BOOST_TEST(f.run({"scard", "nokey"}) == integer(0));
  BOOST_TEST(f.run({"sismember", "s", "a"}) == integer(1));
  BOOST_TEST(f.run({"sismember", "s", "z"}) == integer(0));
  BOOST_TEST(f.run({"sismember", "nokey", "z"}) == integer(0));
  BOOST_TEST(f.run({"srem", "s", "a", "z"}) == integer(1));
  BOOST_TEST(f.run({"srem", "s", "z"}) == integer(0));
  BOOST_TEST(f.run({"srem", "nokey", "z"}) == integer(0));
  BOOST_TEST(f.run({"srem", "s", "b", "b"}) == integer(1));
  BOOST_TEST(f.run({"exists", "s"}) == integer(0));
  BOOST_TEST((f.take_effects() == Effects{{"SELECT", "0"},
                                          {"SADD", "s", "a", "b", "a"},
                                          {"SREM", "s", "a", "z"},
                                          {"SREM", "s", "b", "b"}}));
  f.set_protocol(3);
  BOOST_TEST(f.run({"sadd", "s", "1"}) == integer(1));
  BOOST_TEST(f.run({"sismember", "s", "1"}) == integer(1));
}

BOOST_AUTO_TEST_CASE(arity_and_wrong_type) {
  CommandFixture f;
  for (std::string name : {"sadd", "srem", "smismember", "sintercard", "sinterstore", "sunionstore",
                           "sdiffstore", "sscan"}) {
    BOOST_TEST(f.run({name, "s"}) == arity(name));
  }
  for (std::string name :
       {"smembers", "scard", "spop", "srandmember", "sinter", "sunion", "sdiff"}) {
    BOOST_TEST(f.run({name}) == arity(name));
  }
  BOOST_TEST(f.run({"sismember", "s"}) == arity("sismember"));
  BOOST_TEST(f.run({"smove", "a", "b"}) == arity("smove"));
  BOOST_TEST(f.run({"set", "str", "v"}) == kOk);
  const std::vector<std::vector<std::string>> cases = {{"sadd", "str", "a"},
                                                       {"srem", "str", "a"},
                                                       {"sismember", "str", "a"},
                                                       {"smismember", "str", "a"},
                                                       {"smembers", "str"},
                                                       {"scard", "str"},
                                                       {"spop", "str"},
                                                       {"spop", "str", "0"},
                                                       {"srandmember", "str"},
                                                       {"srandmember", "str", "0"},
                                                       {"sinter", "nokey", "str"},
                                                       {"sunion", "nokey", "str"},
                                                       {"sdiff", "nokey", "str"},
                                                       {"sdiff", "str", "nokey"},
                                                       {"sintercard", "2", "nokey", "str"},
                                                       {"sinterstore", "d", "nokey", "str"},
                                                       {"sunionstore", "d", "str"},
                                                       {"sdiffstore", "d", "nokey", "str"},
                                                       {"sscan", "str", "0"},
                                                       {"sscan", "str", "0", "count", "0"},
                                                       {"smove", "str", "s", "a"}};
  for (const auto& c : cases)
    BOOST_TEST(f.run(c) == kWrongType, c[0]);
  BOOST_TEST((f.take_effects() == Effects{{"SELECT", "0"}, {"SET", "str", "v"}}));
}

BOOST_AUTO_TEST_CASE(smembers_and_smismember_in_both_protocols) {
  CommandFixture f;
  f.run({"sadd", "s", "3", "1", "2"});
  const std::string three = bulk("1") + bulk("2") + bulk("3");
  BOOST_TEST(f.run({"smembers", "s"}) == "*3\r\n" + three);
  BOOST_TEST(f.run({"smembers", "nokey"}) == kEmptyArray);
  BOOST_TEST(f.run({"smismember", "s", "1", "9"}) == array({integer(1), integer(0)}));
  BOOST_TEST(f.run({"smismember", "nokey", "a", "b"}) == array({integer(0), integer(0)}));
  f.set_protocol(3);
  BOOST_TEST(f.run({"smembers", "s"}) == "~3\r\n" + three);
  BOOST_TEST(f.run({"smembers", "nokey"}) == kEmptySet3);
  BOOST_TEST(f.run({"smismember", "s", "1", "9"}) == array({integer(1), integer(0)}));
}

BOOST_AUTO_TEST_CASE(encodings_follow_the_limits) {
  CommandFixture f;
  f.run({"sadd", "i", "1", "-9223372036854775808"});
  BOOST_TEST(f.run({"object", "encoding", "i"}) == bulk("intset"));
  f.run({"sadd", "big", "12345678901234567890"});  // beyond int64: a string
  BOOST_TEST(f.run({"object", "encoding", "big"}) == bulk("listpack"));
  f.run({"sadd", "h", std::string(65, 'x')});
  BOOST_TEST(f.run({"object", "encoding", "h"}) == bulk("hashtable"));
  f.limits().containers.set_max_intset_entries = 2;
  f.run({"sadd", "i", "2"});
  BOOST_TEST(f.run({"object", "encoding", "i"}) == bulk("hashtable"));
  BOOST_TEST(f.run({"type", "i"}) == simple("set"));
}

BOOST_AUTO_TEST_CASE(spop_single) {
  CommandFixture f;
  BOOST_TEST(f.run({"spop", "nokey"}) == kNull);
  f.run({"sadd", "s", "a", "b"});
  f.take_effects();
  std::string first = f.run({"spop", "s"});
  BOOST_TEST((first == bulk("a") || first == bulk("b")));
  std::string left = first == bulk("a") ? "b" : "a";
  BOOST_TEST(f.run({"spop", "s"}) == bulk(left));
  BOOST_TEST(f.run({"exists", "s"}) == integer(0));
  auto effects = f.take_effects();
  // SELECT went out with the first effect, taken above.
  BOOST_TEST(effects.size() == 2u);
  BOOST_TEST((effects[1] == std::vector<std::string>{"SREM", "s", left}));
  f.set_protocol(3);
  BOOST_TEST(f.run({"spop", "nokey"}) == kNull3);
}

BOOST_AUTO_TEST_CASE(spop_count_errors_and_empty) {
  CommandFixture f;
  f.run({"sadd", "s", "1", "2", "3"});
  BOOST_TEST(f.run({"spop", "s", "-1"}) == kMustBePositive);
  BOOST_TEST(f.run({"spop", "s", "abc"}) == kMustBePositive);
  BOOST_TEST(f.run({"spop", "nokey", "abc"}) == kMustBePositive);
  BOOST_TEST(f.run({"set", "str", "v"}) == kOk);
  BOOST_TEST(f.run({"spop", "str", "abc"}) == kMustBePositive);
  BOOST_TEST(f.run({"spop", "s", "1", "2"}) == kSyntax);
  BOOST_TEST(f.run({"spop", "s", "0"}) == kEmptyArray);
  BOOST_TEST(f.run({"spop", "nokey", "2"}) == kEmptyArray);
  f.set_protocol(3);
  BOOST_TEST(f.run({"spop", "s", "0"}) == kEmptySet3);
  BOOST_TEST(f.run({"scard", "s"}) == integer(3));
  BOOST_TEST((f.take_effects() ==
              Effects{{"SELECT", "0"}, {"SADD", "s", "1", "2", "3"}, {"SET", "str", "v"}}));
}

BOOST_AUTO_TEST_CASE(spop_count_propagates_srem_of_what_it_took) {
  for (int n : {5, 300, 1000}) {  // intset, listpack, hashtable
    CommandFixture f;
    std::vector<std::string> sadd = {"sadd", "s"};
    for (int i = 0; i < n; ++i)
      sadd.push_back(n == 300 && i == 0 ? "x" : std::to_string(i));
    f.limits().containers.set_max_listpack_entries = 300;
    f.run(sadd);
    f.take_effects();
    auto taken = elements(f.run({"spop", "s", "3"}));
    BOOST_TEST(taken.size() == 3u);
    BOOST_TEST(std::set<std::string>(taken.begin(), taken.end()).size() == 3u);
    BOOST_TEST(f.run({"scard", "s"}) == integer(n - 3));
    for (const auto& m : taken)
      BOOST_TEST(f.run({"sismember", "s", m}) == integer(0));
    auto effects = f.take_effects();
    std::vector<std::string> srem = {"SREM", "s"};
    srem.insert(srem.end(), taken.begin(), taken.end());
    BOOST_TEST((effects == Effects{srem}));
  }
}

BOOST_AUTO_TEST_CASE(spop_count_of_everything_propagates_del) {
  CommandFixture f;
  f.run({"sadd", "s", "1", "2", "3"});
  f.take_effects();
  BOOST_TEST(f.run({"spop", "s", "3"}) == "*3\r\n" + bulk("1") + bulk("2") + bulk("3"));
  BOOST_TEST(f.run({"exists", "s"}) == integer(0));
  BOOST_TEST((f.take_effects() == Effects{{"DEL", "s"}}));
  f.run({"sadd", "s", "1", "2"});
  f.set_protocol(3);
  BOOST_TEST(f.run({"spop", "s", "10"}) == "~2\r\n" + bulk("1") + bulk("2"));
}

BOOST_AUTO_TEST_CASE(srandmember) {
  CommandFixture f;
  BOOST_TEST(f.run({"srandmember", "nokey"}) == kNull);
  BOOST_TEST(f.run({"srandmember", "nokey", "3"}) == kEmptyArray);
  BOOST_TEST(f.run({"srandmember", "nokey", "abc"}) == kNotInteger);
  const std::string range_error = error(
      "ERR value is out of range, value must between -9223372036854775807 and "
      "9223372036854775807");
  BOOST_TEST(f.run({"srandmember", "nokey", "-9223372036854775808"}) == range_error);
  f.run({"sadd", "s", "1", "2", "3"});
  BOOST_TEST(f.run({"srandmember", "s", "-9223372036854775808"}) == range_error);
  BOOST_TEST(f.run({"srandmember", "s", "9223372036854775808"}) == kNotInteger);
  BOOST_TEST(f.run({"srandmember", "s", "1", "2"}) == kSyntax);
  BOOST_TEST(f.run({"srandmember", "s", "0"}) == kEmptyArray);
  const std::string all = "*3\r\n" + bulk("1") + bulk("2") + bulk("3");
  BOOST_TEST(f.run({"srandmember", "s", "3"}) == all);
  BOOST_TEST(f.run({"srandmember", "s", "9223372036854775807"}) == all);
  auto two = elements(f.run({"srandmember", "s", "2"}));
  BOOST_TEST(two.size() == 2u);
  BOOST_TEST(two[0] != two[1]);
  auto many = elements(f.run({"srandmember", "s", "-50"}));
  BOOST_TEST(many.size() == 50u);
  BOOST_TEST(std::set<std::string>(many.begin(), many.end()).size() == 3u);
  std::string one = f.run({"srandmember", "s"});
  BOOST_TEST((one == bulk("1") || one == bulk("2") || one == bulk("3")));
  f.set_protocol(3);
  BOOST_TEST(f.run({"srandmember", "nokey"}) == kNull3);
  BOOST_TEST(f.run({"srandmember", "nokey", "3"}) == kEmptyArray);
  BOOST_TEST(f.run({"srandmember", "s", "5"}) == all);  // an array, not a set
  BOOST_TEST(f.run({"srandmember", "s", "-1"}).substr(0, 4) == "*1\r\n");
  BOOST_TEST((f.take_effects() == Effects{{"SELECT", "0"}, {"SADD", "s", "1", "2", "3"}}));
}

BOOST_AUTO_TEST_CASE(smove) {
  CommandFixture f;
  f.run({"sadd", "s", "1", "2"});
  f.run({"set", "str", "v"});
  f.take_effects();
  BOOST_TEST(f.run({"smove", "nokey", "str", "1"}) == integer(0));  // no source: no type check
  BOOST_TEST(f.run({"smove", "s", "str", "9"}) == kWrongType);
  BOOST_TEST(f.run({"smove", "s", "s", "2"}) == integer(1));
  BOOST_TEST(f.run({"smove", "s", "s", "9"}) == integer(0));
  BOOST_TEST(f.run({"smove", "s", "t", "9"}) == integer(0));
  BOOST_TEST(f.run({"exists", "t"}) == integer(0));
  BOOST_TEST(f.run({"smove", "s", "t", "2"}) == integer(1));
  BOOST_TEST(f.run({"smembers", "t"}) == array({bulk("2")}));
  BOOST_TEST(f.run({"smove", "s", "t", "1"}) == integer(1));
  BOOST_TEST(f.run({"exists", "s"}) == integer(0));
  BOOST_TEST(f.run({"smembers", "t"}) == array({bulk("1"), bulk("2")}));
  BOOST_TEST((f.take_effects() == Effects{{"SMOVE", "s", "t", "2"}, {"SMOVE", "s", "t", "1"}}));
}

BOOST_AUTO_TEST_CASE(sinter_sunion_sdiff) {
  CommandFixture f;
  f.run({"sadd", "a", "1", "2", "3", "4"});
  f.run({"sadd", "b", "2", "3", "x"});
  f.run({"sadd", "c", "3", "4", "5"});
  BOOST_TEST(f.run({"sinter", "a", "b"}) == array({bulk("2"), bulk("3")}));
  BOOST_TEST(f.run({"sinter", "a", "b", "c"}) == array({bulk("3")}));
  BOOST_TEST(f.run({"sinter", "a", "a"}) == f.run({"smembers", "a"}));
  BOOST_TEST(f.run({"sinter", "a", "nokey"}) == kEmptyArray);
  BOOST_TEST(f.run({"sinter", "a"}) == f.run({"smembers", "a"}));
  BOOST_TEST(f.run({"sunion", "a", "c"}) ==
             array({bulk("1"), bulk("2"), bulk("3"), bulk("4"), bulk("5")}));
  auto u = elements(f.run({"sunion", "a", "b", "nokey"}));
  BOOST_TEST((std::set<std::string>(u.begin(), u.end()) ==
              std::set<std::string>{"1", "2", "3", "4", "x"}));
  BOOST_TEST(u.size() == 5u);
  BOOST_TEST(f.run({"sunion", "nokey"}) == kEmptyArray);
  BOOST_TEST(f.run({"sdiff", "a", "b", "c"}) == array({bulk("1")}));
  BOOST_TEST(f.run({"sdiff", "a", "nokey"}) == f.run({"smembers", "a"}));
  BOOST_TEST(f.run({"sdiff", "nokey", "a"}) == kEmptyArray);
  BOOST_TEST(f.run({"sdiff", "b", "a"}) == array({bulk("x")}));
  f.set_protocol(3);
  BOOST_TEST(f.run({"sinter", "a", "b"}) == "~2\r\n" + bulk("2") + bulk("3"));
  BOOST_TEST(f.run({"sinter", "a", "nokey"}) == kEmptySet3);
  BOOST_TEST(f.run({"sunion", "nokey"}) == kEmptySet3);
  BOOST_TEST(f.run({"sdiff", "a", "b", "c"}) == "~1\r\n" + bulk("1"));
  BOOST_TEST(f.run({"sdiff", "nokey", "a"}) == kEmptySet3);
}

BOOST_AUTO_TEST_CASE(store_forms) {
  CommandFixture f;
  f.run({"sadd", "a", "1", "2", "3"});
  f.run({"sadd", "b", "2", "3", "x"});
  f.run({"set", "d", "v", "ex", "100"});
  f.take_effects();
  BOOST_TEST(f.run({"sinterstore", "d", "a", "b"}) == integer(2));
  BOOST_TEST(f.run({"ttl", "d"}) == integer(-1));
  BOOST_TEST(f.run({"smembers", "d"}) == array({bulk("2"), bulk("3")}));
  BOOST_TEST(f.run({"object", "encoding", "d"}) == bulk("intset"));
  BOOST_TEST(f.run({"sunionstore", "d", "a", "b"}) == integer(4));
  BOOST_TEST((members(f, "d") == std::set<std::string>{"1", "2", "3", "x"}));
  BOOST_TEST(f.run({"sdiffstore", "d", "d", "b"}) ==
             integer(1));  // a source may be the destination
  BOOST_TEST(f.run({"smembers", "d"}) == array({bulk("1")}));
  BOOST_TEST(f.run({"sinterstore", "d", "a", "nokey"}) == integer(0));
  BOOST_TEST(f.run({"exists", "d"}) == integer(0));
  BOOST_TEST(f.run({"sunionstore", "d", "nokey"}) == integer(0));  // nothing to delete
  BOOST_TEST(f.run({"sdiffstore", "d", "a", "a"}) == integer(0));
  BOOST_TEST((f.take_effects() == Effects{{"SINTERSTORE", "d", "a", "b"},
                                          {"SUNIONSTORE", "d", "a", "b"},
                                          {"SDIFFSTORE", "d", "d", "b"},
                                          {"DEL", "d"}}));
}

BOOST_AUTO_TEST_CASE(effects_replay_to_the_same_sets) {
  CommandFixture f;
  std::vector<std::string> sadd = {"sadd", "a"};
  for (int i = 0; i < 600; ++i)
    sadd.push_back("m" + std::to_string(i));
  f.run(sadd);
  f.run({"sadd", "b", "m1", "m2", "m3", "9"});
  f.run({"spop", "a"});
  f.run({"spop", "a", "50"});
  f.run({"sunionstore", "u", "a", "b"});
  f.run({"sinterstore", "i", "a", "b"});
  f.run({"sdiffstore", "d", "b", "a"});
  f.run({"smove", "b", "a", "9"});
  f.run({"spop", "b", "10"});
  CommandFixture g;
  replay(g, f.take_effects());
  for (std::string key : {"a", "b", "u", "i", "d"}) {
    BOOST_TEST(f.run({"exists", key}) == g.run({"exists", key}), key);
    BOOST_TEST((members(f, key) == members(g, key)), key);
  }
}

BOOST_AUTO_TEST_CASE(sintercard) {
  CommandFixture f;
  f.run({"sadd", "a", "1", "2", "3"});
  f.run({"sadd", "b", "2", "3", "4"});
  BOOST_TEST(f.run({"sintercard", "2", "a", "b"}) == integer(2));
  BOOST_TEST(f.run({"sintercard", "1", "a"}) == integer(3));
  BOOST_TEST(f.run({"sintercard", "2", "a", "nokey"}) == integer(0));
  BOOST_TEST(f.run({"sintercard", "1", "a", "limit", "2"}) == integer(2));
  BOOST_TEST(f.run({"sintercard", "1", "a", "LIMIT", "0"}) == integer(3));
  BOOST_TEST(f.run({"sintercard", "1", "a", "limit", "1", "limit", "2"}) == integer(2));
  BOOST_TEST(f.run({"sintercard", "2", "a", "limit"}) == integer(0));  // "limit" is a key here
  const std::string numkeys = error("ERR numkeys should be greater than 0");
  BOOST_TEST(f.run({"sintercard", "0", "a"}) == numkeys);
  BOOST_TEST(f.run({"sintercard", "-1", "a"}) == numkeys);
  BOOST_TEST(f.run({"sintercard", "abc", "a"}) == numkeys);
  const std::string too_many = error("ERR Number of keys can't be greater than number of args");
  BOOST_TEST(f.run({"sintercard", "3", "a", "b"}) == too_many);
  BOOST_TEST(f.run({"sintercard", "9223372036854775807", "a"}) == too_many);
  BOOST_TEST(f.run({"sintercard", "1", "a", "limit"}) == kSyntax);
  BOOST_TEST(f.run({"sintercard", "1", "a", "foo", "1"}) == kSyntax);
  BOOST_TEST(f.run({"sintercard", "1", "a", "extra"}) == kSyntax);
  const std::string negative = error("ERR LIMIT can't be negative");
  BOOST_TEST(f.run({"sintercard", "1", "a", "limit", "-1"}) == negative);
  BOOST_TEST(f.run({"sintercard", "1", "a", "limit", "abc"}) == negative);
  f.set_protocol(3);
  BOOST_TEST(f.run({"sintercard", "2", "a", "b"}) == integer(2));
}

BOOST_AUTO_TEST_CASE(sscan_errors_and_compact_sets) {
  CommandFixture f;
  const std::string empty_scan = array({bulk("0"), kEmptyArray});
  BOOST_TEST(f.run({"sscan", "nokey", "0"}) == empty_scan);
  BOOST_TEST(f.run({"sscan", "nokey", "0", "count", "0"}) == empty_scan);
  BOOST_TEST(f.run({"sscan", "nokey", "abc"}) == error("ERR invalid cursor"));
  f.run({"sadd", "s", "1", "2", "3", "12"});
  BOOST_TEST(f.run({"sscan", "s", "abc"}) == error("ERR invalid cursor"));
  BOOST_TEST(f.run({"sscan", "s", "0", "count", "0"}) == kSyntax);
  BOOST_TEST(f.run({"sscan", "s", "0", "count", "-1"}) == kSyntax);
  BOOST_TEST(f.run({"sscan", "s", "0", "count", "abc"}) == kNotInteger);
  BOOST_TEST(f.run({"sscan", "s", "0", "match"}) == kSyntax);
  BOOST_TEST(f.run({"sscan", "s", "0", "type", "string"}) == kSyntax);
  BOOST_TEST(f.run({"sscan", "s", "5", "count", "1"}) ==
             array({bulk("0"), array({bulk("1"), bulk("2"), bulk("3"), bulk("12")})}));
  BOOST_TEST(f.run({"sscan", "s", "0", "MATCH", "1*"}) ==
             array({bulk("0"), array({bulk("1"), bulk("12")})}));
  f.set_protocol(3);
  BOOST_TEST(f.run({"sscan", "s", "0", "match", "2"}) == array({bulk("0"), array({bulk("2")})}));
}

BOOST_AUTO_TEST_CASE(sscan_walks_a_hashtable_with_a_cursor) {
  CommandFixture f;
  std::vector<std::string> sadd = {"sadd", "s"};
  for (int i = 0; i < 1000; ++i)
    sadd.push_back("m" + std::to_string(i));
  f.run(sadd);
  std::set<std::string> seen;
  std::string cursor = "0";
  int calls = 0;
  do {
    auto reply = f.run({"sscan", "s", cursor, "count", "20", "match", "m*"});
    // *2 $<n> cursor *<k> members...: split the cursor from the member array.
    auto header_end = reply.find("\r\n", 4);
    auto cursor_end = reply.find("\r\n", header_end + 2);
    cursor = reply.substr(header_end + 2, cursor_end - header_end - 2);
    auto page = elements(reply.substr(cursor_end + 2));
    seen.insert(page.begin(), page.end());
    ++calls;
  } while (cursor != "0" && calls < 1000);
  BOOST_TEST(cursor == "0");
  BOOST_TEST(calls > 10);
  BOOST_TEST(seen.size() == 1000u);
}

BOOST_AUTO_TEST_CASE(generic_key_commands_on_sets) {
  CommandFixture f;
  f.run({"sadd", "s", "a", "b"});
  BOOST_TEST(f.run({"type", "s"}) == simple("set"));
  BOOST_TEST(f.run({"object", "encoding", "s"}) == bulk("listpack"));
  BOOST_TEST(f.run({"copy", "s", "c"}) == integer(1));
  BOOST_TEST(f.run({"sadd", "c", "z"}) == integer(1));
  BOOST_TEST((members(f, "s") == std::set<std::string>{"a", "b"}));
  BOOST_TEST((members(f, "c") == std::set<std::string>{"a", "b", "z"}));
  BOOST_TEST(f.run({"rename", "c", "r"}) == kOk);
  BOOST_TEST(f.run({"scard", "r"}) == integer(3));
  BOOST_TEST(f.run({"exists", "c"}) == integer(0));
  BOOST_TEST(f.run({"del", "s", "r"}) == integer(2));
}

// ---------------------------------------------------------------------------
// Keyspace notifications, as redis-server 7.0 publishes them under "KEA":
// the command's event, then "del" when it emptied the set; nothing when the
// command changed nothing.

BOOST_AUTO_TEST_CASE(sadd_and_srem_notify) {
  CommandFixture f;
  f.set_notify_flags(kNotifyKEA);
  f.run({"sadd", "s", "a", "b"});
  BOOST_TEST(f.take_notifications() == kea_events({{"sadd", "s"}}));
  f.run({"sadd", "s", "a"});
  f.run({"srem", "s", "x"});
  f.run({"srem", "nokey", "x"});
  BOOST_TEST(f.take_notifications().empty());
  f.run({"srem", "s", "a", "x"});
  BOOST_TEST(f.take_notifications() == kea_events({{"srem", "s"}}));
  f.run({"srem", "s", "b", "c"});
  BOOST_TEST(f.take_notifications() == kea_events({{"srem", "s"}, {"del", "s"}}));
  f.run({"set", "str", "v"});
  f.take_notifications();
  BOOST_TEST(f.run({"sadd", "str", "a"}) == kWrongType);
  BOOST_TEST(f.run({"srem", "str", "a"}) == kWrongType);
  BOOST_TEST(f.take_notifications().empty());
}

BOOST_AUTO_TEST_CASE(spop_notifies_spop_and_del_when_it_took_the_last_member) {
  CommandFixture f;
  f.run({"sadd", "s", "a", "b", "c", "d"});
  f.set_notify_flags(kNotifyKEA);
  f.run({"spop", "s"});
  BOOST_TEST(f.take_notifications() == kea_events({{"spop", "s"}}));
  f.run({"spop", "s", "2"});
  BOOST_TEST(f.take_notifications() == kea_events({{"spop", "s"}}));
  f.run({"spop", "s", "0"});
  f.run({"spop", "nokey"});
  f.run({"spop", "nokey", "3"});
  BOOST_TEST(f.take_notifications().empty());
  f.run({"spop", "s"});
  BOOST_TEST(f.take_notifications() == kea_events({{"spop", "s"}, {"del", "s"}}));
  // A count that covers the whole set.
  f.run({"sadd", "s", "a", "b"});
  f.take_notifications();
  f.run({"spop", "s", "5"});
  BOOST_TEST(f.take_notifications() == kea_events({{"spop", "s"}, {"del", "s"}}));
}

BOOST_AUTO_TEST_CASE(smove_notifies_srem_on_the_source_and_sadd_on_the_destination) {
  CommandFixture f;
  f.run({"sadd", "s", "a", "b", "c"});
  f.run({"sadd", "d", "c"});
  f.set_notify_flags(kNotifyKEA);
  BOOST_TEST(f.run({"smove", "s", "d", "a"}) == integer(1));
  BOOST_TEST(f.take_notifications() == kea_events({{"srem", "s"}, {"sadd", "d"}}));
  // The destination already had it: only the source changed.
  BOOST_TEST(f.run({"smove", "s", "d", "c"}) == integer(1));
  BOOST_TEST(f.take_notifications() == kea_events({{"srem", "s"}}));
  BOOST_TEST(f.run({"smove", "s", "d", "nosuch"}) == integer(0));
  BOOST_TEST(f.run({"smove", "s", "s", "b"}) == integer(1));
  BOOST_TEST(f.run({"smove", "nokey", "d", "b"}) == integer(0));
  f.run({"set", "str", "v"});
  f.take_notifications();
  BOOST_TEST(f.run({"smove", "s", "str", "b"}) == kWrongType);
  BOOST_TEST(f.take_notifications().empty());
  // The last member leaves: the source goes before the destination is made.
  BOOST_TEST(f.run({"smove", "s", "e", "b"}) == integer(1));
  BOOST_TEST(f.take_notifications() == kea_events({{"srem", "s"}, {"del", "s"}, {"sadd", "e"}}));
}

BOOST_AUTO_TEST_CASE(store_forms_notify_their_destination_or_del) {
  CommandFixture f;
  f.run({"sadd", "a", "1", "2", "3"});
  f.run({"sadd", "b", "2", "3", "4"});
  f.run({"set", "str", "v"});
  f.set_notify_flags(kNotifyKEA);
  BOOST_TEST(f.run({"sinterstore", "d", "a", "b"}) == integer(2));
  BOOST_TEST(f.run({"sunionstore", "d", "a", "b"}) == integer(4));
  BOOST_TEST(f.run({"sdiffstore", "str", "a", "b"}) == integer(1));
  BOOST_TEST(f.take_notifications() ==
             kea_events({{"sinterstore", "d"}, {"sunionstore", "d"}, {"sdiffstore", "str"}}));
  BOOST_TEST(f.run({"sinterstore", "d", "a", "nokey"}) == integer(0));
  BOOST_TEST(f.run({"sdiffstore", "str", "a", "a"}) == integer(0));
  BOOST_TEST(f.take_notifications() == kea_events({{"del", "d"}, {"del", "str"}}));
  BOOST_TEST(f.run({"sunionstore", "d", "nokey"}) == integer(0));
  f.run({"set", "str", "v"});
  f.take_notifications();
  BOOST_TEST(f.run({"sinterstore", "d", "a", "str"}) == kWrongType);
  BOOST_TEST(f.take_notifications().empty());
}

// "new" (n, outside "A") is published for a destination that did not exist:
// Redis overwrites a live one in place, and expires a stale one first.
BOOST_AUTO_TEST_CASE(store_forms_announce_only_destinations_that_did_not_exist) {
  CommandFixture f;
  f.run({"sadd", "a", "1"});
  f.run({"set", "old", "v"});
  f.run({"set", "stale", "v", "px", "10"});
  f.run({"set", "stale2", "v", "px", "10"});
  f.advance_time(20);
  f.set_notify_flags(kNotifyKEA | vireo::notify::kNew);
  f.run({"sunionstore", "old", "a"});
  BOOST_TEST(f.take_notifications() == kea_events({{"sunionstore", "old"}}));
  f.run({"sunionstore", "fresh", "a"});
  BOOST_TEST(f.take_notifications() == kea_events({{"new", "fresh"}, {"sunionstore", "fresh"}}));
  f.run({"sunionstore", "stale", "a"});
  BOOST_TEST(f.take_notifications() ==
             kea_events({{"expired", "stale"}, {"new", "stale"}, {"sunionstore", "stale"}}));
  // An empty result deletes without looking the destination up: "del".
  f.run({"sinterstore", "stale2", "nokey"});
  BOOST_TEST(f.take_notifications() == kea_events({{"del", "stale2"}}));
}

BOOST_AUTO_TEST_SUITE_END()
