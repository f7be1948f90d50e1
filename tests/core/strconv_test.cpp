#include "core/strconv.h"
#include "core/errors.h"

#include <array>
#include <bit>
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <limits>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

// Every table row below is what redis-server 7.0.15 replied for that input (the command
// used is named above each table). A row's expected text is the reply payload, or one of
// the error texts of core/errors.h, or kRejected for a parse that Redis refused.

using namespace std::literals;
using namespace vireo;

namespace {

constexpr std::string_view kRejected = "<rejected>";

struct Case {
  std::string_view input;
  std::string_view expected;
};

std::string int_text(int64_t v) {
  char buf[vireo::kInt64Chars];
  return std::string(buf, vireo::format_int64(v, buf));
}

std::string uint_text(uint64_t v) {
  char buf[vireo::kInt64Chars];
  return std::string(buf, vireo::format_uint64(v, buf));
}

std::string double_text(double v) {
  std::array<char, vireo::kDoubleChars> buf;
  return std::string(vireo::format_double(v, buf));
}

std::string long_double_text(long double v) {
  static std::array<char, vireo::kLongDoubleChars> buf;
  return std::string(vireo::format_long_double(v, buf));
}

// What INCRBY k 0 replies when k holds `input`, and what INCRBY k `input` replies on a
// missing k.
std::string incrby_reply(std::string_view input) {
  auto v = vireo::parse_int64(input);
  return v ? int_text(*v) : std::string(kErrNotInteger);
}

// What ZADD z `input` m followed by ZSCORE z m replies (skiplist encoding, which keeps -0).
std::string zadd_reply(std::string_view input) {
  auto v = vireo::parse_double(input);
  return v ? double_text(*v) : std::string(kErrNotFloat);
}

// What INCRBYFLOAT k `input` replies on a missing k.
std::string incrbyfloat_reply(std::string_view input) {
  auto v = vireo::parse_long_double(input);
  if (!v) return std::string(kErrNotFloat);
  if (std::isinf(*v)) return std::string(kErrIncrNanOrInf);
  return long_double_text(*v);
}

// Redis's own ld2string(LD_STR_HUMAN) algorithm on top of snprintf, as a reference.
std::string reference_human(long double v) {
  std::vector<char> buf(vireo::kLongDoubleChars);
  int l = std::snprintf(buf.data(), buf.size(), "%.17Lf", v);
  if (std::strchr(buf.data(), '.') != nullptr) {
    while (buf[l - 1] == '0')
      --l;
    if (buf[l - 1] == '.') --l;
  }
  if (l == 2 && buf[0] == '-' && buf[1] == '0') return "0";
  return std::string(buf.data(), l);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(strconv)

// SET k <input>; INCRBY k 0 (and INCRBY missing <input>, which agrees on every row).
constexpr Case kInt64Cases[] = {
    {"0"sv, "0"},
    {"-1"sv, "-1"},
    {"42"sv, "42"},
    {"-42"sv, "-42"},
    {"9223372036854775807"sv, "9223372036854775807"},
    {"-9223372036854775808"sv, "-9223372036854775808"},
    {"9223372036854775808"sv, kErrNotInteger},
    {"-9223372036854775809"sv, kErrNotInteger},
    {"1000000000000000000"sv, "1000000000000000000"},
    {"-1000000000000000000"sv, "-1000000000000000000"},
    {"1234567890123456789"sv, "1234567890123456789"},
    {"99999999999999999999"sv, kErrNotInteger},
    {"18446744073709551615"sv, kErrNotInteger},
    {"18446744073709551616"sv, kErrNotInteger},
    {"-12345678901234567890"sv, kErrNotInteger},
    {"000000000000000000001"sv, kErrNotInteger},
    {""sv, kErrNotInteger},
    {" 1"sv, kErrNotInteger},
    {"1 "sv, kErrNotInteger},
    {"\t1"sv, kErrNotInteger},
    {"+1"sv, kErrNotInteger},
    {"01"sv, kErrNotInteger},
    {"00"sv, kErrNotInteger},
    {"-0"sv, kErrNotInteger},
    {"-00"sv, kErrNotInteger},
    {"-"sv, kErrNotInteger},
    {"+"sv, kErrNotInteger},
    {"0x10"sv, kErrNotInteger},
    {"1e3"sv, kErrNotInteger},
    {"1.0"sv, kErrNotInteger},
    {"12a"sv, kErrNotInteger},
    {"1\0"sv, kErrNotInteger},
};

BOOST_AUTO_TEST_CASE(parse_int64_matches_incrby) {
  for (const auto& c : kInt64Cases) {
    BOOST_TEST_CONTEXT("input \"" << c.input << "\"") {
      BOOST_TEST(incrby_reply(c.input) == c.expected);
    }
  }
}

BOOST_AUTO_TEST_CASE(int64_boundaries_and_round_trip) {
  constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  BOOST_TEST(vireo::parse_int64("-9223372036854775808").value() == kMin);
  BOOST_TEST(vireo::parse_int64("9223372036854775807").value() == kMax);
  BOOST_TEST(int_text(kMin) == "-9223372036854775808");
  BOOST_TEST(int_text(kMax) == "9223372036854775807");
  BOOST_TEST(int_text(0) == "0");
  BOOST_TEST(uint_text(std::numeric_limits<uint64_t>::max()) == "18446744073709551615");

  std::mt19937_64 rng(20240501);
  for (int i = 0; i < 100000; ++i) {
    const uint64_t bits = rng();
    const int64_t v = static_cast<int64_t>(bits >> (rng() % 64));  // all magnitudes
    const int64_t s = (i % 2) ? v : ~v;  // ~ reaches INT64_MIN without overflow
    BOOST_TEST_REQUIRE((vireo::parse_int64(int_text(s)) == std::optional<int64_t>(s)));
    BOOST_TEST_REQUIRE((vireo::parse_uint64(uint_text(bits)) == std::optional<uint64_t>(bits)));
    BOOST_TEST_REQUIRE(
        (vireo::parse_scan_cursor(uint_text(bits)) == std::optional<uint64_t>(bits)));
  }
}

// XADD <fresh stream> 1-<input> f v: the sequence half goes through string2ull. The reply
// is 1-<expected>, or "Invalid stream ID specified as stream command argument".
constexpr Case kUint64Cases[] = {
    {"0"sv, "0"},
    {"7"sv, "7"},
    {"9223372036854775808"sv, "9223372036854775808"},
    {"18446744073709551615"sv, "18446744073709551615"},
    {"18446744073709551616"sv, kRejected},
    {"99999999999999999999"sv, kRejected},
    {" 7"sv, "7"},
    {"\t7"sv, "7"},
    {"+7"sv, "7"},
    {"007"sv, "7"},
    {"-0"sv, "0"},
    {"-5"sv, kRejected},
    {"-05"sv, "18446744073709551611"},
    {" -5"sv, "18446744073709551611"},
    {"-18446744073709551615"sv, "1"},
    {"-18446744073709551616"sv, kRejected},
    {""sv, kRejected},
    {" "sv, kRejected},
    {"+"sv, kRejected},
    {"7 "sv, kRejected},
    {"7x"sv, kRejected},
    {"0x10"sv, kRejected},
    {"7\0x"sv, "7"},
};

BOOST_AUTO_TEST_CASE(parse_uint64_matches_stream_ids) {
  for (const auto& c : kUint64Cases) {
    BOOST_TEST_CONTEXT("input \"" << c.input << "\"") {
      auto v = vireo::parse_uint64(c.input);
      BOOST_TEST((v ? uint_text(*v) : std::string(kRejected)) == c.expected);
    }
  }
}

// SCAN <input> COUNT 1 over 1000 keys replies exactly as SCAN <expected> does, or
// "invalid cursor".
constexpr Case kScanCursorCases[] = {
    {"0"sv, "0"},
    {"17"sv, "17"},
    {"+17"sv, "17"},
    {"0017"sv, "17"},
    {""sv, "0"},
    {"00"sv, "0"},
    {"+0"sv, "0"},
    {"-0"sv, "0"},
    {"-1"sv, "18446744073709551615"},
    {"18446744073709551615"sv, "18446744073709551615"},
    {"18446744073709551616"sv, kRejected},
    {"-18446744073709551615"sv, "1"},
    {"-18446744073709551616"sv, kRejected},
    {" 0"sv, kRejected},
    {"\t0"sv, kRejected},
    {"0 "sv, kRejected},
    {"1x"sv, kRejected},
    {"0x10"sv, kRejected},
    {"+"sv, kRejected},
    {"-"sv, kRejected},
    {"- 1"sv, kRejected},
    {"0\0x"sv, "0"},
    {"5\0"sv, "5"},
};

BOOST_AUTO_TEST_CASE(parse_scan_cursor_matches_scan) {
  for (const auto& c : kScanCursorCases) {
    BOOST_TEST_CONTEXT("input \"" << c.input << "\"") {
      auto v = vireo::parse_scan_cursor(c.input);
      BOOST_TEST((v ? uint_text(*v) : std::string(kRejected)) == c.expected);
    }
  }
}

// ZADD z <input> m; ZSCORE z m (skiplist encoding), in RESP2; RESP3 sends the same text
// after ','.
constexpr Case kDoubleCases[] = {
    {"0"sv, "0"},
    {"+0"sv, "0"},
    {"-0"sv, "-0"},
    {"3"sv, "3"},
    {"3.0"sv, "3"},
    {"+5"sv, "5"},
    {".5"sv, "0.5"},
    {"5."sv, "5"},
    {"0.5e+1"sv, "5"},
    {"1e5"sv, "100000"},
    {"1E5"sv, "100000"},
    {"1.1"sv, "1.1000000000000001"},
    {"0.1"sv, "0.10000000000000001"},
    {"0.30000000000000004"sv, "0.30000000000000004"},
    {"123.456"sv, "123.456"},
    {"-123.456"sv, "-123.456"},
    {"0.0001"sv, "0.0001"},
    {"1e-5"sv, "1.0000000000000001e-05"},
    {"2.5e-5"sv, "2.5000000000000001e-05"},
    {"1e15"sv, "1000000000000000"},
    {"1e16"sv, "10000000000000000"},
    {"1e17"sv, "1e+17"},
    {"9007199254740993"sv, "9007199254740992"},
    {"123456789012345678"sv, "1.2345678901234568e+17"},
    {"100000000000000000000"sv, "1e+20"},
    {"1e300"sv, "1.0000000000000001e+300"},
    {"1.7976931348623157e308"sv, "1.7976931348623157e+308"},
    {"1.8e308"sv, kErrNotFloat},
    {"1e400"sv, kErrNotFloat},
    {"-1e400"sv, kErrNotFloat},
    {"2.2250738585072014e-308"sv, "2.2250738585072014e-308"},
    {"1e-310"sv, "9.9999999999999694e-311"},
    {"1e-320"sv, "9.9998886718268301e-321"},
    {"4.9e-324"sv, "4.9406564584124654e-324"},
    {"3e-324"sv, "4.9406564584124654e-324"},
    {"2e-324"sv, kErrNotFloat},
    {"1e-400"sv, kErrNotFloat},
    {"-1e-400"sv, kErrNotFloat},
    {"0x10"sv, "16"},
    {"0x1p3"sv, "8"},
    {"0X1.8p1"sv, "3"},
    {"inf"sv, "inf"},
    {"+inf"sv, "inf"},
    {"-inf"sv, "-inf"},
    {"INF"sv, "inf"},
    {"infinity"sv, "inf"},
    {"-Infinity"sv, "-inf"},
    {"nan"sv, kErrNotFloat},
    {"NaN"sv, kErrNotFloat},
    {"-nan"sv, kErrNotFloat},
    {"nan(1)"sv, kErrNotFloat},
    {""sv, kErrNotFloat},
    {" 1"sv, kErrNotFloat},
    {"\t1"sv, kErrNotFloat},
    {"1 "sv, kErrNotFloat},
    {"1\n"sv, kErrNotFloat},
    {"1\0"sv, kErrNotFloat},
    {"abc"sv, kErrNotFloat},
    {"1e"sv, kErrNotFloat},
    {"0x"sv, kErrNotFloat},
    {"-"sv, kErrNotFloat},
    {"."sv, kErrNotFloat},
    {"1,5"sv, kErrNotFloat},
    {"1_000"sv, kErrNotFloat},
};

BOOST_AUTO_TEST_CASE(parse_and_format_double_match_zadd_zscore) {
  for (const auto& c : kDoubleCases) {
    BOOST_TEST_CONTEXT("input \"" << c.input << "\"") {
      BOOST_TEST(zadd_reply(c.input) == c.expected);
    }
  }
}

BOOST_AUTO_TEST_CASE(parse_double_has_no_length_limit) {
  // Verified: ZADD z 000...0001 (10001 bytes) m, then ZSCORE replies 1; 0.000...0001 with
  // 10000 zeros underflows to 0 and is refused.
  BOOST_TEST(zadd_reply(std::string(10000, '0') + "1") == "1");
  BOOST_TEST(zadd_reply("0." + std::string(10000, '0') + "1") == kErrNotFloat);
  BOOST_TEST(zadd_reply(std::string(10000, '0') + "1 ") == kErrNotFloat);
}

// ZADD z <a> m; ZINCRBY z <b> m (skiplist encoding).
struct SumCase {
  std::string_view a, b, expected;
};
constexpr SumCase kZincrbyCases[] = {
    {"0.1", "0.2", "0.30000000000000004"},
    {"1", "inf", "inf"},
    {"inf", "-inf", kErrScoreNaN},
    {"-0", "-0", "-0"},
    {"1e308", "1e308", "inf"},
    {"1", "nan", kErrNotFloat},
};

BOOST_AUTO_TEST_CASE(double_sums_match_zincrby) {
  for (const auto& c : kZincrbyCases) {
    BOOST_TEST_CONTEXT(c.a << " + " << c.b) {
      auto a = vireo::parse_double(c.a);
      auto b = vireo::parse_double(c.b);
      BOOST_TEST_REQUIRE(a.has_value());
      std::string reply;
      if (!b) {
        reply = kErrNotFloat;
      } else if (std::isnan(*a + *b)) {
        reply = kErrScoreNaN;
      } else {
        reply = double_text(*a + *b);
      }
      BOOST_TEST(reply == c.expected);
    }
  }
}

BOOST_AUTO_TEST_CASE(format_double_values) {
  BOOST_TEST(double_text(-0.0) == "-0");
  BOOST_TEST(double_text(0.0) == "0");
  BOOST_TEST(double_text(std::numeric_limits<double>::infinity()) == "inf");
  BOOST_TEST(double_text(-std::numeric_limits<double>::infinity()) == "-inf");
  BOOST_TEST(double_text(std::numeric_limits<double>::max()) == "1.7976931348623157e+308");
  BOOST_TEST(double_text(-std::numeric_limits<double>::denorm_min()) == "-4.9406564584124654e-324");
  BOOST_TEST(double_text(1.0 / 3) == "0.33333333333333331");
  BOOST_TEST(double_text(-1.0 / 3 * 1e-300) == "-3.3333333333333334e-301");  // longest form
}

BOOST_AUTO_TEST_CASE(double_round_trip_and_printf_agreement) {
  std::mt19937_64 rng(7);
  char ref[64];
  for (int i = 0; i < 200000; ++i) {
    const double v = std::bit_cast<double>(rng());
    if (std::isnan(v)) continue;
    const std::string text = double_text(v);
    std::snprintf(ref, sizeof(ref), "%.17g", v);
    BOOST_TEST_REQUIRE(text == ref);
    const auto back = vireo::parse_double(text);
    BOOST_TEST_REQUIRE(back.has_value());
    BOOST_TEST_REQUIRE(std::bit_cast<uint64_t>(*back) == std::bit_cast<uint64_t>(v));
  }
}

// INCRBYFLOAT <missing key> <input>.
constexpr Case kLongDoubleCases[] = {
    {"1e3"sv, "1000"},
    {"5.0e3"sv, "5000"},
    {"3.0"sv, "3"},
    {"1."sv, "1"},
    {".5"sv, "0.5"},
    {"10.5"sv, "10.5"},
    {"-1.5"sv, "-1.5"},
    {"-3.25"sv, "-3.25"},
    {"99.99"sv, "99.99"},
    {"3.0e-5"sv, "0.00003"},
    {"1e-17"sv, "0.00000000000000001"},
    {"0.000000000000000015"sv, "0.00000000000000002"},
    {"0.000000000000000005"sv, "0"},
    {"-0.000000000000000005"sv, "0"},
    {"-0.00000000000000000001"sv, "0"},
    {"-0"sv, "0"},
    {"1.0000000000000000001"sv, "1"},
    {"123456789.123456789"sv, "123456789.12345678899873747"},
    {"1e18"sv, "1000000000000000000"},
    {"1e100"sv,
     "9999999999999999999669353532207342619498699019828496079271391541752018669482644324418977"
     "840117055488"},
    {"0x10"sv, "16"},
    {"0x1p3"sv, "8"},
    {"1e-400"sv, "0"},
    {"1e-4940"sv, "0"},
    {"1e5000"sv, kErrNotFloat},
    {"1e-5000"sv, kErrNotFloat},
    {"inf"sv, kErrIncrNanOrInf},
    {"+inf"sv, kErrIncrNanOrInf},
    {"-inf"sv, kErrIncrNanOrInf},
    {"infinity"sv, kErrIncrNanOrInf},
    {"nan"sv, kErrNotFloat},
    {""sv, kErrNotFloat},
    {" 1"sv, kErrNotFloat},
    {"1 "sv, kErrNotFloat},
    {"1\0abc"sv, kErrNotFloat},
};

BOOST_AUTO_TEST_CASE(long_double_matches_incrbyfloat) {
  for (const auto& c : kLongDoubleCases) {
    BOOST_TEST_CONTEXT("input \"" << c.input << "\"") {
      BOOST_TEST(incrbyfloat_reply(c.input) == c.expected);
    }
  }
}

BOOST_AUTO_TEST_CASE(long_double_length_limit) {
  // Verified: 5119 bytes ("0"*5118 + "1") is accepted, 5120 bytes refused.
  BOOST_TEST(incrbyfloat_reply(std::string(5118, '0') + "1") == "1");
  BOOST_TEST(incrbyfloat_reply(std::string(5119, '0') + "1") == kErrNotFloat);
  // 1e400 and the largest long doubles print in full: 401 and 4933 digits.
  BOOST_TEST(incrbyfloat_reply("1e400").size() == 401u);
  BOOST_TEST(incrbyfloat_reply("1e400").starts_with("10000000000000000000281880683947586514"));
  BOOST_TEST(incrbyfloat_reply("1e4932").size() == 4933u);
  BOOST_TEST(incrbyfloat_reply("1e4933") == kErrNotFloat);
  const long double max = std::numeric_limits<long double>::max();
  BOOST_TEST(long_double_text(-max).size() == 4934u);
}

// SET k <a>; INCRBYFLOAT k <b> [; INCRBYFLOAT k <c>]. The value lives as its text between
// calls, so each step re-parses what the previous one printed.
struct IncrCase {
  std::vector<std::string_view> steps;
  std::string_view expected;
};

BOOST_AUTO_TEST_CASE(incrbyfloat_sequences) {
  const IncrCase cases[] = {
      {{"0.1", "0.1"}, "0.2"},
      {{"0.1", "0.1", "0.1"}, "0.3"},
      {{"0.1", "0.2"}, "0.3"},
      {{"10.5", "-5.5"}, "5"},
      {{"1.5", "-1.5"}, "0"},
      {{"5", "-5"}, "0"},
      {{"2.5", "-2.4999999"}, "0.0000001"},
      {{"1e18", "1e-18"}, "1000000000000000000"},
      {{"111111111111111111111111111111", "1"}, "111111111111111111110991806464"},
      {{"1e4932", "1e4932"}, kErrIncrNanOrInf},
      {{"inf", "1"}, kErrIncrNanOrInf},
      {{"1.", "1"}, "2"},
      {{"nan", "1"}, kErrNotFloat},
  };
  for (const auto& c : cases) {
    BOOST_TEST_CONTEXT("steps starting " << c.steps[0]) {
      std::string stored(c.steps[0]);
      std::string reply;
      for (std::size_t i = 1; i < c.steps.size(); ++i) {
        auto cur = vireo::parse_long_double(stored);
        auto incr = vireo::parse_long_double(c.steps[i]);
        if (!cur || !incr) {
          reply = kErrNotFloat;
          break;
        }
        const long double sum = *cur + *incr;
        if (std::isinf(sum) || std::isnan(sum)) {
          reply = kErrIncrNanOrInf;
          break;
        }
        stored = reply = long_double_text(sum);
      }
      BOOST_TEST(reply == c.expected);
    }
  }
}

BOOST_AUTO_TEST_CASE(format_long_double_agrees_with_printf) {
  std::mt19937_64 rng(11);
  std::uniform_int_distribution<int> exp(-80, 80);
  for (int i = 0; i < 20000; ++i) {
    const long double m = static_cast<long double>(rng()) / 18446744073709551616.0L;
    long double v = std::ldexp(m, exp(rng));
    if (i % 2) v = -v;
    BOOST_TEST_REQUIRE(long_double_text(v) == reference_human(v));
  }
  for (int e = -16445; e <= 16383; e += 97) {
    const long double v = std::ldexp(1.0L + static_cast<long double>(e) / 1e6L, e);
    BOOST_TEST_REQUIRE(long_double_text(v) == reference_human(v));
  }
}

BOOST_AUTO_TEST_CASE(long_double_round_trip_of_doubles) {
  // Every double whose magnitude is in [1, 1e15) survives INCRBYFLOAT's print + parse
  // to double precision: 17 fractional digits give >= 18 significant ones there. (Smaller values
  // lose digits: 0.0033496545295283934 prints as 0.00334965452952839.)
  std::mt19937_64 rng(3);
  std::uniform_real_distribution<double> mant(1, 10);
  std::uniform_int_distribution<int> exp(0, 14);
  for (int i = 0; i < 20000; ++i) {
    const double v = mant(rng) * std::pow(10.0, exp(rng)) * ((i % 2) ? -1 : 1);
    const auto back = vireo::parse_long_double(long_double_text(v));
    BOOST_TEST_REQUIRE(back.has_value());
    BOOST_TEST_REQUIRE(static_cast<double>(*back) == v);
  }
}

// ZCOUNT z <input> +inf over members at -inf -1 0 0.5 1 2 16 inf: the count matches the
// bound below (written as "%.17g", with '(' when exclusive), or "min or max is not a float".
constexpr Case kScoreBoundCases[] = {
    {"1"sv, "1"},
    {"(1"sv, "(1"},
    {"0.5"sv, "0.5"},
    {"(0.5"sv, "(0.5"},
    {""sv, "0"},
    {"("sv, "(0"},
    {" 1"sv, "1"},
    {"( 1"sv, "(1"},
    {"1e400"sv, "inf"},
    {"-1e400"sv, "-inf"},
    {"1e-400"sv, "0"},
    {"inf"sv, "inf"},
    {"+inf"sv, "inf"},
    {"(inf"sv, "(inf"},
    {"-inf"sv, "-inf"},
    {"(-inf"sv, "(-inf"},
    {"0x10"sv, "16"},
    {"1\0x"sv, "1"},
    {"1 "sv, kErrMinMaxNotFloat},
    {"\t(1"sv, kErrMinMaxNotFloat},
    {"((1"sv, kErrMinMaxNotFloat},
    {"nan"sv, kErrMinMaxNotFloat},
    {"(nan"sv, kErrMinMaxNotFloat},
    {"abc"sv, kErrMinMaxNotFloat},
};

BOOST_AUTO_TEST_CASE(parse_score_bound_matches_zcount) {
  for (const auto& c : kScoreBoundCases) {
    BOOST_TEST_CONTEXT("input \"" << c.input << "\"") {
      auto b = vireo::parse_score_bound(c.input);
      const std::string got =
          b ? (b->exclusive ? "(" : "") + double_text(b->value) : std::string(kErrMinMaxNotFloat);
      BOOST_TEST(got == c.expected);
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
