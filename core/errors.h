#pragma once

#include <string_view>

namespace vireo {

// Error replies shared by many commands, worded exactly as Redis 7.0 words them.
inline constexpr std::string_view kErrSyntax = "ERR syntax error";
inline constexpr std::string_view kErrWrongType =
    "WRONGTYPE Operation against a key holding the wrong kind of value";
inline constexpr std::string_view kErrNoSuchKey = "ERR no such key";
inline constexpr std::string_view kErrDbIndex = "ERR DB index is out of range";
inline constexpr std::string_view kErrStringTooLong =
    "ERR string exceeds maximum allowed size (proto-max-bulk-len)";

// Number handling (verified against Redis 7.0 with the strconv tests).
// INCR/DECR/INCRBY/DECRBY (value or argument), HINCRBY argument, EXPIRE, SETEX, LRANGE,
// GETRANGE, SETRANGE, ZRANGE indexes, SRANDMEMBER count: any parse_int64 failure.
inline constexpr std::string_view kErrNotInteger = "ERR value is not an integer or out of range";
// INCRBYFLOAT (value or argument), HINCRBYFLOAT argument, ZADD score, ZINCRBY increment.
inline constexpr std::string_view kErrNotFloat = "ERR value is not a valid float";
// INCR/DECR/INCRBY/DECRBY/HINCRBY when the result leaves int64.
inline constexpr std::string_view kErrOverflow = "ERR increment or decrement would overflow";
// DECRBY with -9223372036854775808 (it cannot be negated), whatever the value.
inline constexpr std::string_view kErrDecrOverflow = "ERR decrement would overflow";
// INCRBYFLOAT/HINCRBYFLOAT whose result is inf or NaN; INCRBYFLOAT k inf says this too.
inline constexpr std::string_view kErrIncrNanOrInf = "ERR increment would produce NaN or Infinity";
// HINCRBYFLOAT h f inf: the increment itself is checked first.
inline constexpr std::string_view kErrNanOrInf = "ERR value is NaN or Infinity";
// HINCRBY / HINCRBYFLOAT when the field's current value does not parse.
inline constexpr std::string_view kErrHashNotInteger = "ERR hash value is not an integer";
inline constexpr std::string_view kErrHashNotFloat = "ERR hash value is not a float";
// ZINCRBY / ZADD INCR when the new score is NaN (inf + -inf).
inline constexpr std::string_view kErrScoreNaN = "ERR resulting score is not a number (NaN)";
// ZCOUNT / ZRANGEBYSCORE etc. when parse_score_bound fails.
inline constexpr std::string_view kErrMinMaxNotFloat = "ERR min or max is not a float";
// SPOP/LPOP count that is negative, and also (sic) one that is not an integer.
inline constexpr std::string_view kErrMustBePositive =
    "ERR value is out of range, must be positive";
// SCAN family when parse_scan_cursor fails.
inline constexpr std::string_view kErrInvalidCursor = "ERR invalid cursor";
// BLPOP etc. timeouts (parsed with parse_long_double).
inline constexpr std::string_view kErrTimeoutNotFloat =
    "ERR timeout is not a float or out of range";
inline constexpr std::string_view kErrTimeoutNegative = "ERR timeout is negative";

// SRANDMEMBER / HRANDFIELD / ZRANDMEMBER count of INT64_MIN (it must be negatable).
inline constexpr std::string_view kErrRandomCountRange =
    "ERR value is out of range, value must between -9223372036854775807 and "
    "9223372036854775807";
// HRANDFIELD / ZRANDMEMBER WITH* counts that would overflow doubled, and
// negative counts past kMaxRandomPicks (core/commands/arguments.h).
inline constexpr std::string_view kErrOutOfRange = "ERR value is out of range";
// SINTERCARD / ZINTERCARD / LMPOP / ZMPOP numkeys.
inline constexpr std::string_view kErrNumkeys = "ERR numkeys should be greater than 0";

}  // namespace vireo
