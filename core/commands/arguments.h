#pragma once

#include <cstdint>
#include <string_view>

#include "core/ascii.h"  // iequals: argument parsers match keywords too
#include "core/context.h"

namespace vireo {

// Parses an integer argument; on failure replies Redis's "not an integer"
// error and returns false.
bool int_arg(CommandContext& ctx, std::string_view arg, int64_t* out);

// Parses a database index (SELECT, MOVE, COPY DB); on failure replies the
// error Redis gives (not an integer, beyond a C int, or no such database) and
// returns false.
bool db_index_arg(CommandContext& ctx, std::string_view arg, int* out);

// Parses an expiry argument of `command` in seconds (or milliseconds when
// `in_ms`), relative to now unless `absolute`, into an absolute deadline in
// milliseconds. Replies "invalid expire time in '<command>' command" for
// values Redis rejects (<= 0, or overflowing), and returns false.
bool expiry_arg(CommandContext& ctx, std::string_view command, std::string_view arg, bool in_ms,
                bool absolute, int64_t* deadline_ms);

// Parses a blocking command's timeout in seconds (fractions allowed, 0 = for
// ever) into an absolute deadline in milliseconds (0 = for ever). Replies
// Redis's error for a non-number or a negative timeout and returns false.
bool timeout_arg(CommandContext& ctx, std::string_view arg, int64_t* deadline_ms);

// Parses a timeout in whole milliseconds (CLIENT PAUSE, WAIT). Replies
// Redis's error for a non-integer or a negative one and returns false.
bool ms_timeout_arg(CommandContext& ctx, std::string_view arg, int64_t* ms);

// A negative count of SRANDMEMBER, HRANDFIELD or ZRANDMEMBER repeats
// elements, so its reply is not bounded by the collection: Redis 7.0 builds
// it whatever its size, and dies of one near -2^62. Vireo refuses more picks
// than this with kErrOutOfRange, the error Redis gives for a WITH* count
// that would overflow.
inline constexpr uint64_t kMaxRandomPicks = uint64_t{1} << 29;
inline bool too_many_random_picks(int64_t count) {
  return count < 0 && static_cast<uint64_t>(0) - static_cast<uint64_t>(count) > kMaxRandomPicks;
}

// Formats `v` in decimal into `buf` (24 bytes) and returns the view.
std::string_view int_text(int64_t v, char* buf);

}  // namespace vireo
