#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

// Number parsing and formatting with Redis 7.0's exact rules. Each function names
// the Redis routine it reproduces; the behaviour was checked against redis-server 7.0.15.

namespace vireo {

// Buffer sizes. kInt64Chars fits any int64/uint64 ("-9223372036854775808" is 20 bytes).
// kLongDoubleChars is Redis's MAX_LONG_DOUBLE_CHARS: the longest long double argument
// INCRBYFLOAT accepts is one byte shorter, and it fits any long double in "human" form.
inline constexpr std::size_t kInt64Chars = 21;
inline constexpr std::size_t kDoubleChars = 32;
inline constexpr std::size_t kLongDoubleChars = 5 * 1024;

// Returns the value when `s` is exactly a canonical decimal int64 (Redis string2ll): an
// optional '-', then "0" alone or a digit 1-9 followed by digits. Rejects '+', "-0",
// leading zeros, spaces anywhere, the empty string and out-of-range values. Never allocates.
std::optional<int64_t> parse_int64(std::string_view s);

// Returns the value of `s` as Redis string2ull reads it (stream ID halves): `s` is cut at its
// first NUL, then a canonical string2ll integer must be >= 0, and anything else goes to
// strtoull(,,10), which accepts leading whitespace, '+', leading zeros, and '-' with wrap
// around (" 7" -> 7, "-05" -> 2^64-5) but rejects overflow and trailing bytes. Never
// allocates.
std::optional<uint64_t> parse_uint64(std::string_view s);

// Returns the cursor of a SCAN/SSCAN/HSCAN/ZSCAN argument as Redis 7.0 parses it
// (strtoul, parseScanCursorOrReply); nullopt means "invalid cursor". `s` is cut at its first
// NUL; "" is 0, '+'/'-' and leading zeros are allowed ("-1" wraps to 2^64-1), a leading
// space, a trailing byte or a value above 2^64-1 is rejected. Never allocates.
std::optional<uint64_t> parse_scan_cursor(std::string_view s);

// Returns the value of `s` as Redis parses a double argument (string2d, used by ZADD and
// ZINCRBY): the whole of `s` must be a strtod number in the C locale, so "1e5", "+5", ".5",
// "5.", "0x10", "inf", "+inf", "-inf", "infinity" are accepted; "", a leading or trailing
// space, an embedded NUL, any NaN, and values that overflow ("1e400") or underflow to zero
// ("1e-400") are rejected; subnormals ("1e-310") are kept. Allocates only for inputs longer
// than 256 bytes.
std::optional<double> parse_double(std::string_view s);

// A min or max of ZCOUNT / ZRANGEBYSCORE / ZRANGE BYSCORE / ZREMRANGEBYSCORE.
struct ScoreBound {
  double value;
  bool exclusive;  // written with a leading '('
};

// Returns the bound as Redis zslParseRange reads it; nullopt means "min or max is not a
// float". An optional '(' marks it exclusive, and the rest goes to a bare strtod that is
// more lenient than parse_double: `s` is cut at its first NUL, "" and "(" are 0, leading
// whitespace is skipped, and overflow/underflow give +-inf/0. Only NaN or an unparsed
// trailing byte fail. Allocates only for inputs longer than 256 bytes.
std::optional<ScoreBound> parse_score_bound(std::string_view s);

// Returns the value of `s` as INCRBYFLOAT / HINCRBYFLOAT parse both the increment and the
// stored value (string2ld): like parse_double but in long double (x87 80-bit on x86-64),
// so "1e400" is accepted, "1e5000" is not; and `s` must be 1 to kLongDoubleChars-1 bytes.
// The caller rejects an infinite result itself ("inf" parses). Never allocates.
std::optional<long double> parse_long_double(std::string_view s);

// Writes `v` in decimal ("-" for negatives, no padding) to `out`, which must have room for
// kInt64Chars bytes, and returns the end of what it wrote (no NUL). Never allocates.
char* format_int64(int64_t v, char* out);

// As format_int64, for unsigned values (SCAN cursors, stream IDs).
char* format_uint64(uint64_t v, char* out);

// Returns the text Redis 7.0 replies for a double (addReplyDouble: the RESP2 bulk payload
// and the RESP3 ',' payload are the same): printf "%.17g", so 1.1 -> "1.1000000000000001",
// 3 -> "3", 1e17 -> "1e+17", 2.5e-5 -> "2.5000000000000001e-05", -0.0 -> "-0", and
// "inf"/"-inf". NaN (never replied by Redis) gives "nan"/"-nan". The view points into
// `buf`. Never allocates.
std::string_view format_double(double v, std::span<char, kDoubleChars> buf);

// Returns the text INCRBYFLOAT / HINCRBYFLOAT reply and store (ld2string LD_STR_HUMAN):
// printf "%.17Lf" with trailing zeros and then a trailing '.' removed, and "-0" turned into
// "0": 10.5 -> "10.5", 5000 -> "5000", 0.1L+0.1L -> "0.2", 1e100L -> its 101 exact digits,
// "inf"/"-inf". The view points into `buf`, which fits every long double.
std::string_view format_long_double(long double v, std::span<char, kLongDoubleChars> buf);

}  // namespace vireo
