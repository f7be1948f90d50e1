// SORT and SORT_RO. Every expected reply was checked byte for byte against
// redis-server 7.0.15 (RESP2 and, where it differs, RESP3).
#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

#include "tests/core/command_fixture.h"
#include "tests/core/string_helpers.h"

using namespace vireo::test;

namespace {

const std::string kBadScore = error("ERR One or more scores can't be converted into double");
const std::string kEmptyArray = "*0\r\n";

}  // namespace

BOOST_AUTO_TEST_SUITE(sort)

// ---------------------------------------------------------------------------
// Options and errors (no container needed)

BOOST_AUTO_TEST_CASE(missing_key_sorts_as_empty) {
  CommandFixture f;
  BOOST_TEST(f.run({"sort", "nokey"}) == kEmptyArray);
  BOOST_TEST(f.run({"sort", "nokey", "by", "w_*", "get", "#", "limit", "0", "5", "desc",
                    "alpha"}) == kEmptyArray);
  BOOST_TEST(f.run({"SORT_RO", "nokey", "BY", "nosort"}) == kEmptyArray);
  f.set_protocol(3);
  BOOST_TEST(f.run({"sort", "nokey"}) == kEmptyArray);
}

BOOST_AUTO_TEST_CASE(syntax_errors) {
  CommandFixture f;
  BOOST_TEST(f.run({"sort", "nokey", "limit"}) == kSyntax);
  BOOST_TEST(f.run({"sort", "nokey", "limit", "1"}) == kSyntax);
  BOOST_TEST(f.run({"sort", "nokey", "foo"}) == kSyntax);
  BOOST_TEST(f.run({"sort", "nokey", "store"}) == kSyntax);
  BOOST_TEST(f.run({"sort", "nokey", "by"}) == kSyntax);
  BOOST_TEST(f.run({"sort", "nokey", "get"}) == kSyntax);
  BOOST_TEST(f.run({"sort", "nokey", "asc", "alpha", "desc", "get", "#", "x"}) == kSyntax);
  BOOST_TEST(f.run({"sort_ro", "nokey", "store", "d"}) == kSyntax);
  BOOST_TEST(f.run({"sort"}) == error("ERR wrong number of arguments for 'sort' command"));
  BOOST_TEST(f.run({"sort_ro"}) == error("ERR wrong number of arguments for 'sort_ro' command"));
}

BOOST_AUTO_TEST_CASE(limit_arguments_must_be_integers) {
  CommandFixture f;
  BOOST_TEST(f.run({"sort", "nokey", "limit", "a", "1"}) == kNotInteger);
  BOOST_TEST(f.run({"sort", "nokey", "limit", "1", "b"}) == kNotInteger);
  BOOST_TEST(f.run({"sort", "nokey", "limit", "1", "9223372036854775808"}) == kNotInteger);
  // Options are read in order: the first bad one answers.
  BOOST_TEST(f.run({"sort", "nokey", "limit", "x", "1", "foo"}) == kNotInteger);
  BOOST_TEST(f.run({"sort", "nokey", "foo", "limit", "x", "1"}) == kSyntax);
}

BOOST_AUTO_TEST_CASE(a_string_key_is_the_wrong_type_after_the_options_parse) {
  CommandFixture f;
  BOOST_TEST(f.run({"set", "str", "x"}) == kOk);
  f.take_effects();
  BOOST_TEST(f.run({"sort", "str"}) == kWrongType);
  BOOST_TEST(f.run({"sort_ro", "str", "alpha"}) == kWrongType);
  BOOST_TEST(f.run({"sort", "str", "by", "nosort", "store", "d"}) == kWrongType);
  BOOST_TEST(f.run({"sort", "str", "foo"}) == kSyntax);
  BOOST_TEST(f.run({"sort", "str", "limit", "a", "1"}) == kNotInteger);
  BOOST_TEST(f.run({"exists", "d"}) == integer(0));
  BOOST_TEST((f.take_effects().empty()));
}

BOOST_AUTO_TEST_CASE(storing_an_empty_result_deletes_the_destination) {
  CommandFixture f;
  BOOST_TEST(f.run({"sort", "nokey", "store", "d"}) == integer(0));
  BOOST_TEST(f.take_effects().empty());
  BOOST_TEST(f.run({"set", "d", "x"}) == kOk);
  f.take_effects();
  BOOST_TEST(f.run({"sort", "nokey", "store", "d"}) == integer(0));
  BOOST_TEST(f.run({"exists", "d"}) == integer(0));
  BOOST_TEST((f.take_effects() == Effects{{"DEL", "d"}}));
  // The last STORE wins.
  BOOST_TEST(f.run({"mset", "a", "1", "b", "2"}) == kOk);
  f.take_effects();
  BOOST_TEST(f.run({"sort", "nokey", "store", "a", "STORE", "b"}) == integer(0));
  BOOST_TEST(f.run({"exists", "a", "b"}) == integer(1));
  BOOST_TEST((f.take_effects() == Effects{{"DEL", "b"}}));
}

// ---------------------------------------------------------------------------
// COMMAND INFO / GETKEYS

BOOST_AUTO_TEST_CASE(command_info_matches_redis) {
  CommandFixture f;
  const std::string unknown_spec =
      "$12\r\nbegin_search\r\n*4\r\n$4\r\ntype\r\n$7\r\nunknown\r\n$4\r\nspec\r\n*0\r\n"
      "$9\r\nfind_keys\r\n*4\r\n$4\r\ntype\r\n$7\r\nunknown\r\n$4\r\nspec\r\n*0\r\n";
  const std::string specs =
      "*6\r\n$5\r\nflags\r\n*2\r\n+RO\r\n+access\r\n$12\r\nbegin_search\r\n*4\r\n$4\r\ntype\r\n"
      "$5\r\nindex\r\n$4\r\nspec\r\n*2\r\n$5\r\nindex\r\n:1\r\n$9\r\nfind_keys\r\n*4\r\n$4\r\n"
      "type\r\n$5\r\nrange\r\n$4\r\nspec\r\n*6\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n"
      "$5\r\nlimit\r\n:0\r\n*8\r\n$5\r\nnotes\r\n$120\r\nFor the optional BY/GET keyword. It is "
      "marked 'unknown' because the key names derive from the content of the key we sort\r\n"
      "$5\r\nflags\r\n*2\r\n+RO\r\n+access\r\n" +
      unknown_spec;
  const std::string store_spec =
      "*8\r\n$5\r\nnotes\r\n$116\r\nFor the optional STORE keyword. It is marked 'unknown' "
      "because the keyword can appear anywhere in the argument array\r\n$5\r\nflags\r\n*2\r\n"
      "+OW\r\n+update\r\n" +
      unknown_spec;
  BOOST_TEST(f.run({"command", "info", "sort"}) ==
             "*1\r\n*10\r\n$4\r\nsort\r\n:-2\r\n*3\r\n+write\r\n+denyoom\r\n+movablekeys\r\n:1\r\n"
             ":1\r\n:1\r\n*6\r\n+@write\r\n+@set\r\n+@sortedset\r\n+@list\r\n+@slow\r\n"
             "+@dangerous\r\n*0\r\n*3\r\n" +
                 specs + store_spec + "*0\r\n");
  BOOST_TEST(f.run({"command", "info", "sort_ro"}) ==
             "*1\r\n*10\r\n$7\r\nsort_ro\r\n:-2\r\n*2\r\n+readonly\r\n+movablekeys\r\n:1\r\n:1\r\n"
             ":1\r\n*6\r\n+@read\r\n+@set\r\n+@sortedset\r\n+@list\r\n+@slow\r\n+@dangerous\r\n"
             "*0\r\n*2\r\n" +
                 specs + "*0\r\n");
}

BOOST_AUTO_TEST_CASE(getkeys_finds_the_last_store_skipping_option_arguments) {
  CommandFixture f;
  auto keys = [&](std::initializer_list<std::string_view> request) {
    std::vector<std::string> argv = {"command", "getkeys"};
    argv.insert(argv.end(), request.begin(), request.end());
    return f.run(argv);
  };
  BOOST_TEST(keys({"sort", "a"}) == array({bulk("a")}));
  BOOST_TEST(keys({"sort", "a", "store", "b"}) == array({bulk("a"), bulk("b")}));
  BOOST_TEST(keys({"sort", "a", "by", "x", "get", "y", "store", "b", "limit", "0", "1"}) ==
             array({bulk("a"), bulk("b")}));
  BOOST_TEST(keys({"sort", "a", "store", "b", "STORE", "c"}) == array({bulk("a"), bulk("c")}));
  BOOST_TEST(keys({"sort", "a", "store"}) == array({bulk("a")}));
  BOOST_TEST(keys({"sort", "a", "get", "store", "b"}) == array({bulk("a")}));
  BOOST_TEST(keys({"sort", "a", "get", "by", "store", "b"}) == array({bulk("a"), bulk("b")}));
  BOOST_TEST(keys({"sort", "a", "limit", "store", "x", "store", "b"}) ==
             array({bulk("a"), bulk("b")}));
  BOOST_TEST(keys({"sort", "store", "store", "store"}) == array({bulk("store"), bulk("store")}));
  BOOST_TEST(keys({"sort_ro", "a", "by", "x", "get", "y"}) == array({bulk("a")}));
  BOOST_TEST(f.run({"command", "getkeysandflags", "sort", "a", "store", "b"}) ==
             "*2\r\n*2\r\n$1\r\na\r\n*2\r\n+RO\r\n+access\r\n*2\r\n$1\r\nb\r\n*2\r\n+OW\r\n"
             "+update\r\n");
}

// ---------------------------------------------------------------------------
// Sorting lists, sets and sorted sets

namespace {

// The container tests run once every family SORT reads is in the table.
boost::test_tools::assertion_result families_present(boost::unit_test::test_unit_id) {
  CommandFixture f;
  for (std::string_view name : {"rpush", "sadd", "zadd", "hset"}) {
    if (!f.table().find(name)) return false;
  }
  return true;
}

std::string bulks(std::initializer_list<std::string_view> items) {
  std::string out = "*" + std::to_string(items.size()) + "\r\n";
  for (std::string_view item : items)
    out += item == "<nil>" ? kNull : bulk(item);
  return out;
}

}  // namespace

BOOST_AUTO_TEST_CASE(numeric_ties_compare_as_bytes_and_alpha_compares_bytes,
                     *boost::unit_test::precondition(families_present)) {
  CommandFixture f;
  BOOST_TEST(f.run({"rpush", "l", "3", "1", "2", "10", "-5", "02", "2"}) == integer(7));
  BOOST_TEST(f.run({"sort", "l"}) == bulks({"-5", "1", "02", "2", "2", "3", "10"}));
  BOOST_TEST(f.run({"sort", "l", "desc", "limit", "1", "3"}) == bulks({"3", "2", "2"}));
  BOOST_TEST(f.run({"sort", "l", "alpha"}) == bulks({"-5", "02", "1", "10", "2", "2", "3"}));
  BOOST_TEST(f.run({"rpush", "l", "x"}) == integer(8));
  BOOST_TEST(f.run({"sort", "l"}) == kBadScore);
  BOOST_TEST(f.run({"sort", "l", "limit", "0", "0"}) == kBadScore);
  BOOST_TEST(f.take_effects().size() == 3);  // the pushes only
}

BOOST_AUTO_TEST_CASE(weights_parse_as_strtod_does,
                     *boost::unit_test::precondition(families_present)) {
  CommandFixture f;
  BOOST_TEST(f.run({"rpush", "f", " 5", "0x10", "inf", "-inf", "1e3", "", "2.5", "+2.5"}) ==
             integer(8));
  BOOST_TEST(f.run({"sort", "f"}) ==
             bulks({"-inf", "", "+2.5", "2.5", " 5", "0x10", "1e3", "inf"}));
  for (std::string_view bad : {"5 ", "nan", "1e400", "1e-400", "1e-310", "-", " "}) {
    BOOST_TEST(f.run({"del", "b"}) == integer(bad == "5 " ? 0 : 1));
    BOOST_TEST(f.run({"rpush", "b", bad}) == integer(1));
    BOOST_TEST(f.run({"sort", "b"}) == kBadScore, bad);
  }
  // The text ends at a NUL, as for strtod.
  BOOST_TEST(f.run({"rpush", "n", std::string_view("3\0abc", 5), "2"}) == integer(2));
  BOOST_TEST(f.run({"sort", "n"}) == bulks({"2", std::string_view("3\0abc", 5)}));
}

BOOST_AUTO_TEST_CASE(by_and_get_patterns, *boost::unit_test::precondition(families_present)) {
  CommandFixture f;
  f.run({"rpush", "w", "a", "b", "c", "d"});
  f.run({"mset", "w_a", "3", "w_b", "1", "w_c", "2"});
  f.run({"hset", "h_a", "f", "3"});
  f.run({"hset", "h_b", "f", "1", "g", "9"});
  BOOST_TEST(f.run({"sort", "w", "by", "w_*", "get", "#", "get", "w_*"}) ==
             bulks({"d", "<nil>", "b", "1", "c", "2", "a", "3"}));
  BOOST_TEST(f.run({"sort", "w", "by", "h_*->f", "get", "h_*->f", "get", "h_*->g"}) ==
             bulks({"<nil>", "<nil>", "<nil>", "<nil>", "1", "9", "3", "<nil>"}));
  // A trailing "->" is part of the key name; a hash is no string for GET.
  BOOST_TEST(f.run({"sort", "w", "by", "nosort", "get", "h_*->", "get", "h_*", "limit", "0",
                    "1"}) == bulks({"<nil>", "<nil>"}));
  BOOST_TEST(f.run({"sort", "w", "by", "nosort", "get", "##", "get", "#", "limit", "1", "1"}) ==
             bulks({"<nil>", "b"}));
  BOOST_TEST(f.run({"sort", "w", "by", "nosort", "desc", "limit", "1", "2"}) == bulks({"c", "b"}));
  // Equal ALPHA weights keep the native order, whatever the direction.
  BOOST_TEST(f.run({"sort", "w", "by", "nokey_*", "alpha", "desc"}) == bulks({"a", "b", "c", "d"}));
  // A weight key of another type counts as missing; a bad one fails the sort.
  f.run({"rpush", "w_d", "x"});
  BOOST_TEST(f.run({"sort", "w", "by", "w_*"}) == bulks({"d", "b", "c", "a"}));
  f.run({"set", "w_d", "x"});
  BOOST_TEST(f.run({"sort", "w", "by", "w_*"}) == kBadScore);
  BOOST_TEST(f.run({"sort", "w", "by", "w_*", "alpha", "limit", "0", "1"}) == bulks({"b"}));
  f.set_protocol(3);
  BOOST_TEST(f.run({"sort", "w", "by", "h_*->f", "get", "h_*->f", "limit", "0", "2"}) ==
             "*2\r\n_\r\n_\r\n");
}

BOOST_AUTO_TEST_CASE(sets_and_sorted_sets, *boost::unit_test::precondition(families_present)) {
  CommandFixture f;
  f.run({"sadd", "si", "5", "3", "9", "1"});
  BOOST_TEST(f.run({"sort", "si", "by", "nosort", "desc"}) == bulks({"1", "3", "5", "9"}));
  BOOST_TEST(f.run({"sort", "si", "desc"}) == bulks({"9", "5", "3", "1"}));
  f.run({"sadd", "ss", "c", "a", "b"});
  BOOST_TEST(f.run({"sort", "ss", "alpha", "desc", "limit", "0", "2"}) == bulks({"c", "b"}));
  f.run({"zadd", "z", "3", "a", "1", "b", "2", "c", "1", "a0"});
  BOOST_TEST(f.run({"sort", "z", "by", "nosort"}) == bulks({"a0", "b", "c", "a"}));
  BOOST_TEST(f.run({"sort", "z", "by", "nosort", "desc", "limit", "1", "2"}) == bulks({"c", "b"}));
  BOOST_TEST(f.run({"sort", "z", "by", "nosort", "desc", "limit", "3", "10"}) == bulks({"a0"}));
  BOOST_TEST(f.run({"sort", "z", "by", "nosort", "limit", "-5", "2"}) == bulks({"a0", "b"}));
  BOOST_TEST(f.run({"sort", "z", "alpha"}) == bulks({"a", "a0", "b", "c"}));
  f.run({"hset", "hh", "a", "1"});
  BOOST_TEST(f.run({"sort", "hh", "by", "nosort"}) == kWrongType);
}

BOOST_AUTO_TEST_CASE(store_writes_a_list_and_propagates_del_and_rpush,
                     *boost::unit_test::precondition(families_present)) {
  CommandFixture f;
  f.run({"sadd", "ss", "c", "a", "b"});
  f.run({"set", "dst", "x", "ex", "100"});
  f.take_effects();
  // A set stored unsorted is sorted ALPHA (BY dropped, DESC and LIMIT kept).
  BOOST_TEST(f.run({"sort", "ss", "by", "nosort", "desc", "limit", "0", "2", "store", "dst"}) ==
             integer(2));
  BOOST_TEST(f.run({"lrange", "dst", "0", "-1"}) == bulks({"c", "b"}));
  BOOST_TEST(f.run({"ttl", "dst"}) == integer(-1));
  BOOST_TEST((f.take_effects() ==
              Effects{{"MULTI"}, {"DEL", "dst"}, {"RPUSH", "dst", "c", "b"}, {"EXEC"}}));
  // Missing GET values are stored as empty strings; the source may be the destination.
  BOOST_TEST(f.run({"sort", "ss", "alpha", "get", "#", "get", "nope_*", "store", "ss"}) ==
             integer(6));
  BOOST_TEST(f.run({"lrange", "ss", "0", "-1"}) == bulks({"a", "", "b", "", "c", ""}));
  f.take_effects();
  BOOST_TEST(f.run({"sort", "ss", "alpha", "limit", "9", "1", "store", "ss"}) == integer(0));
  BOOST_TEST(f.run({"exists", "ss"}) == integer(0));
  BOOST_TEST((f.take_effects() == Effects{{"DEL", "ss"}}));
}

BOOST_AUTO_TEST_CASE(a_huge_store_propagates_in_chunks,
                     *boost::unit_test::precondition(families_present)) {
  CommandFixture f;
  std::vector<std::string> push = {"rpush", "l"};
  for (int i = 0; i < 2500; ++i)
    push.push_back(std::to_string(i));
  f.run(push);
  f.take_effects();
  BOOST_TEST(f.run({"sort", "l", "by", "nosort", "store", "d"}) == integer(2500));
  Effects effects = f.take_effects();
  BOOST_TEST_REQUIRE(effects.size() == 6);
  BOOST_TEST(effects[2].size() == 1026);
  BOOST_TEST(effects[3].size() == 1026);
  BOOST_TEST(effects[4].size() == 454);
  BOOST_TEST(effects[4].back() == "2499");
  BOOST_TEST(f.run({"llen", "d"}) == integer(2500));
}

// Keyspace notifications under "KEA", as redis-server 7.0 publishes them:
// "sortstore" (a list event, whatever was sorted) on the destination, "del"
// when an empty result deleted it, nothing when nothing was stored.
BOOST_AUTO_TEST_CASE(store_notifies_sortstore_or_del,
                     *boost::unit_test::precondition(families_present)) {
  CommandFixture f;
  f.run({"rpush", "l", "3", "1", "2"});
  f.run({"sadd", "s", "b", "a"});
  f.run({"set", "str", "v"});
  f.set_notify_flags(kNotifyKEA);
  BOOST_TEST(f.run({"sort", "l", "store", "d"}) == integer(3));
  BOOST_TEST(f.run({"sort", "s", "alpha", "store", "str"}) == integer(2));
  BOOST_TEST(f.run({"sort", "l", "store", "l"}) == integer(3));
  BOOST_TEST(f.take_notifications() ==
             kea_events({{"sortstore", "d"}, {"sortstore", "str"}, {"sortstore", "l"}}));
  f.set_notify_flags(vireo::notify::kKeyspace | vireo::notify::kList);
  BOOST_TEST(f.run({"sort", "s", "by", "nosort", "store", "d"}) == integer(2));
  BOOST_TEST(f.take_notifications() ==
             (std::vector<std::pair<std::string, std::string>>{{"__keyspace@0__:d", "sortstore"}}));
  f.set_notify_flags(kNotifyKEA);
  BOOST_TEST(f.run({"sort", "l", "limit", "5", "5", "store", "d"}) == integer(0));
  BOOST_TEST(f.take_notifications() == kea_events({{"del", "d"}}));
  BOOST_TEST(f.run({"sort", "l", "limit", "5", "5", "store", "d"}) == integer(0));
  BOOST_TEST(f.run({"sort", "nokey", "store", "d"}) == integer(0));
  BOOST_TEST(f.run({"sort", "l"}) == bulks({"1", "2", "3"}));
  BOOST_TEST(f.run({"set", "str", "v"}) == kOk);
  f.take_notifications();
  BOOST_TEST(f.run({"sort", "str", "store", "d"}) == kWrongType);
  BOOST_TEST(f.take_notifications().empty());
}

// A destination past its deadline expires before the group that rewrites
// it: replayed, the effects leave the stored list.
BOOST_AUTO_TEST_CASE(a_stale_destination_expires_before_the_store,
                     *boost::unit_test::precondition(families_present)) {
  CommandFixture f;
  f.run({"rpush", "l", "1"});
  f.run({"set", "dst", "v", "px", "10"});
  f.take_effects();
  f.advance_time(20);
  f.set_notify_flags(kNotifyKEA | vireo::notify::kNew);
  BOOST_TEST(f.run({"sort", "l", "store", "dst"}) == integer(1));
  BOOST_TEST(f.take_notifications() ==
             kea_events({{"expired", "dst"}, {"new", "dst"}, {"sortstore", "dst"}}));
  Effects effects = f.take_effects();
  BOOST_TEST((effects ==
              Effects{{"DEL", "dst"}, {"MULTI"}, {"DEL", "dst"}, {"RPUSH", "dst", "1"}, {"EXEC"}}));
  CommandFixture replica;
  replica.run({"set", "dst", "v"});
  for (const auto& argv : effects)
    replica.run(argv);
  BOOST_TEST(replica.run({"lrange", "dst", "0", "-1"}) == bulks({"1"}));
}

// "new" (n, outside "A") only for a destination that did not exist.
BOOST_AUTO_TEST_CASE(store_announces_only_destinations_that_did_not_exist,
                     *boost::unit_test::precondition(families_present)) {
  CommandFixture f;
  f.run({"rpush", "l", "1"});
  f.run({"set", "old", "v"});
  f.set_notify_flags(kNotifyKEA | vireo::notify::kNew);
  f.run({"sort", "l", "store", "old"});
  f.run({"sort", "l", "store", "fresh"});
  BOOST_TEST(f.take_notifications() ==
             kea_events({{"sortstore", "old"}, {"new", "fresh"}, {"sortstore", "fresh"}}));
}

BOOST_AUTO_TEST_SUITE_END()
