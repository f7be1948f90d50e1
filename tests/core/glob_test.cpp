#include "core/glob.h"

#include <boost/test/unit_test.hpp>
#include <string>

using vireo::glob_match;

BOOST_AUTO_TEST_SUITE(glob)

BOOST_AUTO_TEST_CASE(literals_and_wildcards) {
  BOOST_TEST(glob_match("hello", "hello"));
  BOOST_TEST(!glob_match("hello", "hell"));
  BOOST_TEST(glob_match("*", ""));
  BOOST_TEST(glob_match("h*o", "hello"));
  BOOST_TEST(glob_match("h*l*o", "hello"));
  BOOST_TEST(!glob_match("h*x", "hello"));
  BOOST_TEST(glob_match("h?llo", "hallo"));
  BOOST_TEST(!glob_match("h?llo", "hllo"));
  BOOST_TEST(glob_match("***a", "bba"));
  BOOST_TEST(glob_match("a*b*c", "axxbyyc"));
  BOOST_TEST(!glob_match("a*b*c", "axxbyy"));
}

BOOST_AUTO_TEST_CASE(classes) {
  BOOST_TEST(glob_match("h[ae]llo", "hello"));
  BOOST_TEST(!glob_match("h[ae]llo", "hillo"));
  BOOST_TEST(glob_match("h[^e]llo", "hallo"));
  BOOST_TEST(!glob_match("h[^e]llo", "hello"));
  BOOST_TEST(glob_match("h[a-b]llo", "hbllo"));
  BOOST_TEST(glob_match("h[b-a]llo", "hallo"));  // reversed range
  BOOST_TEST(!glob_match("h[a-b]llo", "hcllo"));
  BOOST_TEST(glob_match("[\\]]", "]"));
  BOOST_TEST(glob_match("x[abc", "xb"));  // unterminated class ends with the pattern
}

BOOST_AUTO_TEST_CASE(escapes_and_case) {
  BOOST_TEST(glob_match("a\\*b", "a*b"));
  BOOST_TEST(!glob_match("a\\*b", "axb"));
  BOOST_TEST(glob_match("a\\?", "a?"));
  BOOST_TEST(glob_match("HeLLo", "hello", true));
  BOOST_TEST(glob_match("[A-C]x", "bx", true));
  BOOST_TEST(!glob_match("HeLLo", "hello"));
}

BOOST_AUTO_TEST_CASE(pathological_pattern_is_fast) {
  std::string text(10000, 'a');
  std::string pattern;
  for (int i = 0; i < 50; ++i)
    pattern += "*a";
  pattern += "b";
  BOOST_TEST(!glob_match(pattern, text));
}

BOOST_AUTO_TEST_CASE(literal_detection) {
  std::string lit;
  BOOST_TEST(vireo::glob_is_literal("a\\*b", &lit));
  BOOST_TEST(lit == "a*b");
  BOOST_TEST(!vireo::glob_is_literal("a*", &lit));
}

BOOST_AUTO_TEST_SUITE_END()
