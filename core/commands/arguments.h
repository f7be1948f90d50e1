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

// Formats `v` in decimal into `buf` (24 bytes) and returns the view.
std::string_view int_text(int64_t v, char* buf);

}  // namespace vireo
