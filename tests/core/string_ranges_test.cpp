// String commands that work on byte ranges: APPEND, STRLEN, GETRANGE, SUBSTR,
// SETRANGE and LCS. Every expected reply was checked byte for byte against
// redis-server 7.0.15 (RESP2 and, where it differs, RESP3).
#include <boost/test/unit_test.hpp>

#include <string>
#include <string_view>
#include <vector>

#include "core/command_table.h"
#include "core/context.h"
#include "core/effects.h"
#include "core/resp/reply_buffer.h"
#include "core/resp/reply_writer.h"
#include "tests/core/command_fixture.h"
#include "tests/core/string_helpers.h"

using namespace vireo::test;

namespace {

const std::string kTooLong = error("ERR string exceeds maximum allowed size (proto-max-bulk-len)");

// Runs one command with another proto-max-bulk-len than the fixture's 512 MB, so the
// limit can be reached without building half a gigabyte. Effects go to `effects`.
// Runs `args` with proto-max-bulk-len set to `max_bulk`; `effects` gets what it emitted.
std::string run_limited(CommandFixture& f, int64_t max_bulk, std::vector<std::string> args,
                        Effects* effects) {
  f.take_effects();
  const int64_t saved = f.limits().proto_max_bulk_len;
  f.limits().proto_max_bulk_len = max_bulk;
  std::string reply = f.run(args);
  f.limits().proto_max_bulk_len = saved;
  *effects = f.take_effects();
  return reply;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(string_ranges)

// ---------------------------------------------------------------------------
// APPEND / STRLEN

BOOST_AUTO_TEST_CASE(append) {
  CommandFixture f;
  BOOST_TEST(f.run({"append", "a", "123"}) == integer(3));
  // A key APPEND creates is stored like SET's; APPEND to an existing one makes it raw.
  BOOST_TEST(!is_raw(f, "a"));
  BOOST_TEST(f.run({"append", "a", "4"}) == integer(4));
  BOOST_TEST(is_raw(f, "a"));
  BOOST_TEST(f.run({"get", "a"}) == bulk("1234"));
  BOOST_TEST(f.run({"append", "new", ""}) == integer(0));
  BOOST_TEST(f.run({"get", "new"}) == kEmpty);
  BOOST_TEST(
      (f.take_effects() ==
       Effects{
           {"SELECT", "0"}, {"APPEND", "a", "123"}, {"APPEND", "a", "4"}, {"APPEND", "new", ""}}));
}

BOOST_AUTO_TEST_CASE(append_nothing_to_existing) {
  CommandFixture f;
  BOOST_TEST(f.run({"set", "b", "1"}) == kOk);
  f.take_effects();
  BOOST_TEST(f.run({"append", "b", ""}) == integer(1));
  // Redis converts the encoding even so; the value is unchanged, so nothing propagates.
  BOOST_TEST(is_raw(f, "b"));
  BOOST_TEST(f.take_effects().empty());
}

BOOST_AUTO_TEST_CASE(append_keeps_ttl) {
  CommandFixture f;
  BOOST_TEST(f.run({"set", "k", "5", "ex", "100"}) == kOk);
  BOOST_TEST(f.run({"append", "k", std::string(1000, 'x')}) == integer(1001));
  BOOST_TEST(deadline_of(f, "k") == f.now() + 100000);
  BOOST_TEST(f.run({"strlen", "k"}) == integer(1001));
}

BOOST_AUTO_TEST_CASE(append_errors_and_limit) {
  CommandFixture f;
  put_list(f, "L");
  BOOST_TEST(f.run({"append", "L", "x"}) == kWrongType);
  BOOST_TEST(f.run({"append", "L"}) == error("ERR wrong number of arguments for 'append' command"));
  BOOST_TEST(f.run({"set", "k", "12345"}) == kOk);
  f.take_effects();
  Effects effects;
  BOOST_TEST(run_limited(f, 8, {"append", "k", "678"}, &effects) == integer(8));
  BOOST_TEST(run_limited(f, 8, {"append", "k", "9"}, &effects) == kTooLong);
  BOOST_TEST(effects.empty());
  BOOST_TEST(f.run({"get", "k"}) == bulk("12345678"));
  // Creating a key is not checked: the argument itself arrived within the limit.
  BOOST_TEST(run_limited(f, 8, {"append", "n", "0123456789"}, &effects) == integer(10));
}

BOOST_AUTO_TEST_CASE(strlen) {
  CommandFixture f;
  BOOST_TEST(f.run({"strlen", "nokey"}) == integer(0));
  BOOST_TEST(f.run({"set", "s", "Hello World"}) == kOk);
  BOOST_TEST(f.run({"strlen", "s"}) == integer(11));
  BOOST_TEST(f.run({"set", "n", "12345"}) == kOk);
  BOOST_TEST(f.run({"strlen", "n"}) == integer(5));
  put_list(f, "L");
  BOOST_TEST(f.run({"strlen", "L"}) == kWrongType);
}

// ---------------------------------------------------------------------------
// GETRANGE / SUBSTR / SETRANGE

BOOST_AUTO_TEST_CASE(getrange) {
  CommandFixture f;
  BOOST_TEST(f.run({"set", "s", "Hello World"}) == kOk);
  struct Case {
    const char* start;
    const char* end;
    std::string_view expected;
  };
  const Case cases[] = {
      {"0", "4", "Hello"},
      {"-3", "-1", "rld"},
      {"-1", "-3", ""},
      {"0", "-100", "H"},
      {"-100", "-100", "H"},
      {"-100", "-50", "H"},
      {"5", "3", ""},
      {"3", "3", "l"},
      {"100", "200", ""},
      {"10", "200", "d"},
      {"0", "-12", "H"},
      {"0", "-11", "H"},
      {"-1", "-1", "d"},
      {"-5", "-6", ""},
      {"0", "-1", "Hello World"},
      {"-9223372036854775808", "9223372036854775807", "Hello World"},
  };
  for (const Case& c : cases) {
    BOOST_TEST_CONTEXT(c.start << " " << c.end) {
      BOOST_TEST(f.run({"getrange", "s", c.start, c.end}) == bulk(c.expected));
    }
  }
  BOOST_TEST(f.run({"set", "n", "12345"}) == kOk);
  BOOST_TEST(f.run({"getrange", "n", "1", "2"}) == bulk("23"));
  BOOST_TEST(f.run({"substr", "s", "0", "2"}) == bulk("Hel"));
}

BOOST_AUTO_TEST_CASE(getrange_empty_and_missing) {
  CommandFixture f;
  BOOST_TEST(f.run({"getrange", "nokey", "0", "-1"}) == kEmpty);
  BOOST_TEST(f.run({"set", "e", ""}) == kOk);
  BOOST_TEST(f.run({"getrange", "e", "0", "-1"}) == kEmpty);
  BOOST_TEST(f.run({"getrange", "e", "0", "0"}) == kEmpty);
  BOOST_TEST(f.run({"getrange", "e", "-1", "0"}) == kEmpty);
  // An empty bulk string, not a null, in RESP3 too.
  f.set_protocol(3);
  BOOST_TEST(f.run({"getrange", "nokey", "0", "1"}) == kEmpty);
}

BOOST_AUTO_TEST_CASE(getrange_errors) {
  CommandFixture f;
  put_list(f, "L");
  BOOST_TEST(f.run({"getrange", "L", "0", "-1"}) == kWrongType);
  BOOST_TEST(f.run({"substr", "L", "0", "1"}) == kWrongType);
  // The indexes are checked before the key.
  BOOST_TEST(f.run({"getrange", "L", "x", "0"}) == kNotInteger);
  BOOST_TEST(f.run({"getrange", "nokey", "x", "0"}) == kNotInteger);
  BOOST_TEST(f.run({"getrange", "nokey", "0", "x"}) == kNotInteger);
  BOOST_TEST(f.run({"getrange", "nokey", "0"}) ==
             error("ERR wrong number of arguments for 'getrange' command"));
  BOOST_TEST(f.run({"substr", "nokey", "0"}) ==
             error("ERR wrong number of arguments for 'substr' command"));
}

BOOST_AUTO_TEST_CASE(setrange) {
  CommandFixture f;
  BOOST_TEST(f.run({"setrange", "k", "3", "abc"}) == integer(6));
  BOOST_TEST(f.run({"get", "k"}) == bulk(std::string("\0\0\0abc", 6)));
  // SETRANGE creates raw strings too.
  BOOST_TEST(is_raw(f, "k"));
  BOOST_TEST(f.run({"setrange", "k", "1", "Z"}) == integer(6));
  BOOST_TEST(f.run({"get", "k"}) == bulk(std::string("\0Z\0abc", 6)));
  BOOST_TEST(f.run({"setrange", "k", "4", "WXYZ"}) == integer(8));
  BOOST_TEST(f.run({"get", "k"}) == bulk(std::string("\0Z\0aWXYZ", 8)));
  BOOST_TEST(f.run({"setrange", "k", "10", "!"}) == integer(11));
  BOOST_TEST(f.run({"get", "k"}) == bulk(std::string("\0Z\0aWXYZ\0\0!", 11)));
  BOOST_TEST((f.take_effects() == Effects{{"SELECT", "0"},
                                          {"SETRANGE", "k", "3", "abc"},
                                          {"SETRANGE", "k", "1", "Z"},
                                          {"SETRANGE", "k", "4", "WXYZ"},
                                          {"SETRANGE", "k", "10", "!"}}));
}

BOOST_AUTO_TEST_CASE(setrange_writing_nothing) {
  CommandFixture f;
  BOOST_TEST(f.run({"setrange", "nokey", "5", ""}) == integer(0));
  BOOST_TEST(f.run({"setrange", "nokey", "536870911", ""}) == integer(0));
  BOOST_TEST(f.run({"get", "nokey"}) == kNull);
  BOOST_TEST(f.run({"set", "n", "123"}) == kOk);
  f.take_effects();
  BOOST_TEST(f.run({"setrange", "n", "10", ""}) == integer(3));
  // Unlike APPEND, nothing written leaves the encoding alone.
  BOOST_TEST(!is_raw(f, "n"));
  BOOST_TEST(f.take_effects().empty());
  BOOST_TEST(f.run({"setrange", "n", "0", "9"}) == integer(3));
  BOOST_TEST(is_raw(f, "n"));
  BOOST_TEST(f.run({"get", "n"}) == bulk("923"));
}

BOOST_AUTO_TEST_CASE(setrange_keeps_ttl) {
  CommandFixture f;
  BOOST_TEST(f.run({"set", "k", "hello", "ex", "100"}) == kOk);
  BOOST_TEST(f.run({"setrange", "k", "0", "J"}) == integer(5));
  BOOST_TEST(f.run({"setrange", "k", "5", "!!"}) == integer(7));
  BOOST_TEST(f.run({"get", "k"}) == bulk("Jello!!"));
  BOOST_TEST(deadline_of(f, "k") == f.now() + 100000);
}

BOOST_AUTO_TEST_CASE(setrange_errors_and_limit) {
  CommandFixture f;
  const std::string out_of_range = error("ERR offset is out of range");
  put_list(f, "L");
  BOOST_TEST(f.run({"setrange", "L", "0", "x"}) == kWrongType);
  BOOST_TEST(f.run({"setrange", "L", "0", ""}) == kWrongType);
  // The offset is checked before the key.
  BOOST_TEST(f.run({"setrange", "L", "-1", "x"}) == out_of_range);
  BOOST_TEST(f.run({"setrange", "L", "x", "x"}) == kNotInteger);
  BOOST_TEST(f.run({"setrange", "nokey", "-1", ""}) == out_of_range);
  BOOST_TEST(f.run({"setrange", "k", "1.5", "x"}) == kNotInteger);
  BOOST_TEST(f.run({"setrange", "k", "9223372036854775808", "x"}) == kNotInteger);
  // The default proto-max-bulk-len is 512 MB.
  BOOST_TEST(f.run({"setrange", "nokey", "536870912", "x"}) == kTooLong);
  BOOST_TEST(f.run({"setrange", "nokey", "536870911", "xy"}) == kTooLong);
  BOOST_TEST(f.run({"setrange", "nokey", "9223372036854775807", "x"}) == kTooLong);
  BOOST_TEST(f.run({"get", "nokey"}) == kNull);
  BOOST_TEST(f.take_effects().empty());
  BOOST_TEST(f.run({"set", "k", "abc"}) == kOk);
  Effects effects;
  BOOST_TEST(run_limited(f, 5, {"setrange", "k", "4", "xy"}, &effects) == kTooLong);
  BOOST_TEST(effects.empty());
  BOOST_TEST(run_limited(f, 5, {"setrange", "k", "3", "xy"}, &effects) == integer(5));
  BOOST_TEST((effects == Effects{{"SETRANGE", "k", "3", "xy"}}));
  // The limit applies to offset + length even inside the current value.
  BOOST_TEST(run_limited(f, 3, {"setrange", "k", "3", "z"}, &effects) == kTooLong);
}

// ---------------------------------------------------------------------------
// LCS

BOOST_AUTO_TEST_CASE(lcs_plain_and_len) {
  CommandFixture f;
  BOOST_TEST(f.run({"mset", "a", "ohmytext", "b", "mynewtext"}) == kOk);
  BOOST_TEST(f.run({"lcs", "a", "b"}) == bulk("mytext"));
  BOOST_TEST(f.run({"lcs", "a", "b", "len"}) == integer(6));
  BOOST_TEST(f.run({"lcs", "a", "b", "LEN", "len"}) == integer(6));
  // WITHMATCHLEN and MINMATCHLEN only matter with IDX.
  BOOST_TEST(f.run({"lcs", "a", "b", "withmatchlen"}) == bulk("mytext"));
  BOOST_TEST(f.run({"lcs", "a", "b", "minmatchlen", "4"}) == bulk("mytext"));
  BOOST_TEST(f.run({"lcs", "a", "nokey"}) == kEmpty);
  BOOST_TEST(f.run({"lcs", "nokey", "nokey2", "len"}) == integer(0));
  BOOST_TEST(f.run({"lcs", "a", "a"}) == bulk("ohmytext"));
}

BOOST_AUTO_TEST_CASE(lcs_idx) {
  CommandFixture f;
  BOOST_TEST(f.run({"mset", "a", "ohmytext", "b", "mynewtext"}) == kOk);
  auto range = [](int from, int to) { return array({integer(from), integer(to)}); };
  const std::string text_match = array({range(4, 7), range(5, 8)});
  const std::string my_match = array({range(2, 3), range(0, 1)});
  BOOST_TEST(f.run({"lcs", "a", "b", "idx"}) ==
             array({bulk("matches"), array({text_match, my_match}), bulk("len"), integer(6)}));
  BOOST_TEST(f.run({"lcs", "a", "b", "idx", "minmatchlen", "4"}) ==
             array({bulk("matches"), array({text_match}), bulk("len"), integer(6)}));
  BOOST_TEST(f.run({"lcs", "a", "b", "minmatchlen", "-5", "idx"}) ==
             array({bulk("matches"), array({text_match, my_match}), bulk("len"), integer(6)}));
  const std::string text_match_len = array({range(4, 7), range(5, 8), integer(4)});
  const std::string my_match_len = array({range(2, 3), range(0, 1), integer(2)});
  BOOST_TEST(
      f.run({"lcs", "a", "b", "idx", "withmatchlen"}) ==
      array({bulk("matches"), array({text_match_len, my_match_len}), bulk("len"), integer(6)}));
  BOOST_TEST(f.run({"lcs", "a", "b", "idx", "minmatchlen", "4", "withmatchlen"}) ==
             array({bulk("matches"), array({text_match_len}), bulk("len"), integer(6)}));
  BOOST_TEST(f.run({"lcs", "a", "a", "idx", "withmatchlen"}) ==
             array({bulk("matches"), array({array({range(0, 7), range(0, 7), integer(8)})}),
                    bulk("len"), integer(8)}));
  BOOST_TEST(f.run({"lcs", "a", "nokey", "idx"}) ==
             array({bulk("matches"), array({}), bulk("len"), integer(0)}));
}

BOOST_AUTO_TEST_CASE(lcs_idx_resp3_is_a_map) {
  CommandFixture f;
  f.set_protocol(3);
  BOOST_TEST(f.run({"mset", "a", "ohmytext", "b", "mynewtext"}) == kOk);
  BOOST_TEST(f.run({"lcs", "a", "b", "idx", "withmatchlen"}) ==
             "%2\r\n$7\r\nmatches\r\n*2\r\n*3\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n:4\r\n"
             "*3\r\n*2\r\n:2\r\n:3\r\n*2\r\n:0\r\n:1\r\n:2\r\n$3\r\nlen\r\n:6\r\n");
  BOOST_TEST(f.run({"lcs", "a", "nokey", "idx"}) ==
             "%2\r\n$7\r\nmatches\r\n*0\r\n$3\r\nlen\r\n:0\r\n");
  BOOST_TEST(f.run({"lcs", "a", "b"}) == bulk("mytext"));
}

BOOST_AUTO_TEST_CASE(lcs_tie_breaking_matches_redis) {
  CommandFixture f;
  // Several LCSs of equal length exist for each pair; these are the ones Redis reports.
  BOOST_TEST(f.run({"mset", "a", "abcabc", "b", "cbacba", "c", "AGGTAB", "d", "GXTXAYB"}) == kOk);
  BOOST_TEST(f.run({"lcs", "a", "b"}) == bulk("cbc"));
  BOOST_TEST(f.run({"lcs", "b", "a"}) == bulk("aba"));
  BOOST_TEST(f.run({"lcs", "c", "d"}) == bulk("GTAB"));
  auto range = [](int from, int to) { return array({integer(from), integer(to)}); };
  BOOST_TEST(f.run({"lcs", "a", "b", "idx"}) ==
             array({bulk("matches"),
                    array({array({range(5, 5), range(3, 3)}), array({range(4, 4), range(1, 1)}),
                           array({range(2, 2), range(0, 0)})}),
                    bulk("len"), integer(3)}));
}

BOOST_AUTO_TEST_CASE(lcs_errors) {
  CommandFixture f;
  const std::string not_strings = error("ERR The specified keys must contain string values");
  BOOST_TEST(f.run({"mset", "a", "ohmytext", "b", "mynewtext"}) == kOk);
  BOOST_TEST(f.run({"lcs", "a", "b", "len", "idx"}) ==
             error("ERR If you want both the length and indexes, please just use IDX."));
  BOOST_TEST(f.run({"lcs", "a", "b", "idx", "len"}) ==
             error("ERR If you want both the length and indexes, please just use IDX."));
  BOOST_TEST(f.run({"lcs", "a", "b", "minmatchlen", "x"}) == kNotInteger);
  BOOST_TEST(f.run({"lcs", "a", "b", "minmatchlen"}) == kSyntax);
  BOOST_TEST(f.run({"lcs", "a", "b", "foo"}) == kSyntax);
  BOOST_TEST(f.run({"lcs", "a", "b", "len", "foo"}) == kSyntax);
  BOOST_TEST(f.run({"lcs", "a"}) == error("ERR wrong number of arguments for 'lcs' command"));
  put_list(f, "L");
  BOOST_TEST(f.run({"lcs", "L", "a"}) == not_strings);
  // The types are checked before the options.
  BOOST_TEST(f.run({"lcs", "a", "L", "foo"}) == not_strings);
  BOOST_TEST(f.run({"lcs", "nokey", "L", "len", "idx"}) == not_strings);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(strings_append_growth)

// Repeated appends grow the entry geometrically: a million one-byte appends
// must stay linear (the quadratic version copies ~500 GB and never finishes).
BOOST_AUTO_TEST_CASE(many_appends_are_amortised_and_keep_ttl) {
  vireo::test::CommandFixture f;
  BOOST_TEST(f.run({"set", "k", "x", "px", "100000"}) == vireo::test::kOk);
  for (int i = 0; i < 300000; ++i)
    f.run({"append", "k", std::string(i % 200 == 0 ? 130 : 1, 'y')});
  BOOST_TEST(f.run({"strlen", "k"}) == vireo::test::integer(1 + 1500 * 130 + 298500));
  BOOST_TEST(f.run({"pttl", "k"}) == vireo::test::integer(100000));
  BOOST_TEST(f.run({"getrange", "k", "0", "0"}) == vireo::test::bulk("x"));
}

BOOST_AUTO_TEST_SUITE_END()
