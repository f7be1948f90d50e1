#include "core/split_args.h"

#include <boost/test/unit_test.hpp>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

using namespace std::string_literals;

namespace {

std::string printable(std::string_view s) {
  std::string out;
  for (unsigned char c : s) {
    if (c >= 0x20 && c < 0x7f) {
      out += static_cast<char>(c);
    } else {
      char hex[5];
      std::snprintf(hex, sizeof hex, "\\x%02x", c);
      out += hex;
    }
  }
  return out;
}

// The arguments as "<a><b c>", bytes outside printable ASCII as \xHH; "!" for
// unbalanced quotes.
std::string render(std::string_view line) {
  std::string scratch;
  std::vector<std::string_view> args;
  if (!vireo::split_args(line, &scratch, &args)) return "!";
  std::string out;
  for (std::string_view a : args)
    out += '<' + printable(a) + '>';
  return out;
}

struct Case {
  std::string line;
  std::string_view expected;
};

}  // namespace

BOOST_AUTO_TEST_SUITE(split_args)

// Every line without NUL or LF was checked against redis-server 7.0 as an
// inline `RPUSH l <line>` followed by LRANGE.
BOOST_AUTO_TEST_CASE(table) {
  const Case cases[] = {
      // Blanks.
      {"", ""},
      {" \t\r\v\f", ""},
      {"a", "<a>"},
      {"  a  b\tc\rd  ", "<a><b><c><d>"},
      {"a\nb", "<a><b>"},
      // \v and \f separate arguments but do not end an unquoted one.
      {"\va\fb\f", "<a\\x0cb\\x0c>"},
      {"a\v b", "<a\\x0b><b>"},
      // No escapes outside quotes.
      {"a\\nb \\x41", "<a\\nb><\\x41>"},
      {"\\\"a", "!"},  // the backslash does not stop the quote opening
      // Double quotes.
      {"\"a b\"  c", "<a b><c>"},
      {"\"\" ''", "<><>"},
      {"\"\\n\\r\\t\\b\\a\\\\\\\"\\z\\'\"", "<\\x0a\\x0d\\x09\\x08\\x07\\\"z'>"},
      {"\"\\x41\\xfF\\x00\\x4\\xg1\\x\"", "<A\\xff\\x00x4xg1x>"},
      {"\"a'b\"", "<a'b>"},
      // Single quotes: only \' is an escape.
      {"'it\\'s' 'a\\nb' 'a\"b' '\\x41'", "<it's><a\\nb><a\"b><\\x41>"},
      // A quote may open mid-argument; the closing quote ends the argument.
      {"a\"b c\" d", "<ab c><d>"},
      {"x'y z'", "<xy z>"},
      {"a\"\\x41\"", "<aA>"},
      // Any blank may follow a closing quote, \v and \f included.
      {"\"a\"\vb '\x63'\fd", "<a><b><c><d>"},
      {"\"a\"\tb", "<a><b>"},
      // Unbalanced.
      {"\"abc", "!"},
      {"'abc", "!"},
      {"a'", "!"},
      {"\"a\"b", "!"},
      {"'a'b", "!"},
      {"a\"b c\"d", "!"},
      {"\"a\"\"b\"", "!"},
      {"\"a\\\"", "!"},
      {"\"a\\", "!"},
      {"x\"\\", "!"},
      {"'a\\\\'", "!"},  // \\ is no escape in single quotes: \' then eats the quote
      {"ok \"bad", "!"},
      // A NUL ends the line, as it ends Redis's C string.
      {"a\0b c"s, "<a>"},
      {"a \0 b"s, "<a>"},
      {"\"a\"\0b"s, "<a>"},
      {"\"a\0\""s, "!"},
  };
  for (const Case& c : cases) {
    BOOST_TEST_CONTEXT("line: " << printable(c.line)) {
      BOOST_TEST(render(c.line) == c.expected);
    }
  }
}

BOOST_AUTO_TEST_CASE(plain_arguments_view_the_line_and_quoted_ones_the_scratch) {
  const std::string line = "SET \"k k\" plain 'v' x\"y\"";
  std::string scratch;
  std::vector<std::string_view> args;
  BOOST_TEST_REQUIRE(vireo::split_args(line, &scratch, &args));
  BOOST_TEST_REQUIRE(args.size() == 5u);
  BOOST_TEST(args[0].data() == line.data());
  BOOST_TEST(args[2].data() == line.data() + line.find("plain"));
  BOOST_TEST(args[1].data() == scratch.data());
  BOOST_TEST(args[3].data() == scratch.data() + 3);
  BOOST_TEST(args[4].data() == scratch.data() + 4);
  BOOST_TEST(scratch == "k kvxy");
  // Reserved for the whole line up front: appending never moved it.
  BOOST_TEST(scratch.capacity() >= line.size());
}

BOOST_AUTO_TEST_CASE(outputs_are_replaced_and_reused) {
  std::string scratch = "stale";
  std::vector<std::string_view> args = {"stale"};
  BOOST_TEST_REQUIRE(vireo::split_args("'a' b", &scratch, &args));
  BOOST_TEST(args.size() == 2u);
  BOOST_TEST(scratch == "a");
  const char* scratch_data = scratch.data();
  const std::string_view* args_data = args.data();
  for (int i = 0; i < 10; ++i) {
    BOOST_TEST_REQUIRE(vireo::split_args("'a' b", &scratch, &args));
    BOOST_TEST_REQUIRE(scratch.data() == scratch_data);
    BOOST_TEST_REQUIRE(args.data() == args_data);
  }
  // A line without quotes leaves the scratch empty.
  BOOST_TEST_REQUIRE(vireo::split_args("x y", &scratch, &args));
  BOOST_TEST(scratch.empty());
  BOOST_TEST(args.size() == 2u);
}

BOOST_AUTO_TEST_CASE(failure_leaves_no_arguments) {
  std::string scratch;
  std::vector<std::string_view> args;
  BOOST_TEST(!vireo::split_args("a 'b' \"c", &scratch, &args));
  BOOST_TEST(args.empty());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(append_quoted_suite)

// Quoting is the inverse of splitting: every byte value survives the round trip.
BOOST_AUTO_TEST_CASE(quoted_arguments_split_back_to_themselves) {
  std::string all;
  for (int c = 0; c < 256; ++c)
    all.push_back(static_cast<char>(c));
  for (std::string_view arg :
       {std::string_view("plain"), std::string_view("a \"b\" \\c\n"), std::string_view(all)}) {
    std::string line;
    vireo::append_quoted(&line, arg);
    std::string scratch;
    std::vector<std::string_view> out;
    BOOST_TEST_REQUIRE(vireo::split_args(line, &scratch, &out));
    BOOST_TEST_REQUIRE(out.size() == 1u);
    BOOST_TEST(out[0] == arg);
  }
  std::string line;
  vireo::append_quoted(&line, std::string_view("\x01"
                                               "ok\t",
                                               4));
  BOOST_TEST(line == "\"\\x01ok\\t\"");
}

BOOST_AUTO_TEST_SUITE_END()
