#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/context.h"

namespace vireo {

// The shared parts of SCAN, HSCAN, SSCAN and ZSCAN.

// [MATCH pattern] [COUNT count] [TYPE type] after the cursor.
struct ScanOptions {
  size_t count = 10;
  std::string_view pattern;  // empty: no MATCH, or MATCH *
  std::string_view type;     // empty: no TYPE (SCAN only)

  bool matches(std::string_view name) const;
};

// Parses the cursor; on failure replies "invalid cursor" and returns false.
bool scan_cursor_arg(CommandContext& ctx, std::string_view arg, uint64_t* cursor);

// Parses the options from args[first] on, in any order, the last one
// winning; TYPE only when `allow_type` (SCAN). Replies Redis's error and
// returns false on a bad one.
bool scan_options_arg(CommandContext& ctx, Args args, size_t first, bool allow_type,
                      ScanOptions* opts);

// Starts a SCAN-family reply: [next cursor, array header of `n` elements],
// after which the caller writes the n elements.
void reply_scan_start(CommandContext& ctx, uint64_t next, size_t n);

}  // namespace vireo
