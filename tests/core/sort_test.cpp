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

BOOST_AUTO_TEST_SUITE_END()
