#include "core/commands/arguments.h"

#include <fmt/format.h>

#include <cmath>
#include <cstdint>

#include "core/errors.h"
#include "core/strconv.h"

namespace vireo {

bool int_arg(CommandContext& ctx, std::string_view arg, int64_t* out) {
  auto v = parse_int64(arg);
  if (!v) {
    ctx.reply.error(kErrNotInteger);
    return false;
  }
  *out = *v;
  return true;
}

bool ms_timeout_arg(CommandContext& ctx, std::string_view arg, int64_t* ms) {
  auto v = parse_int64(arg);
  if (!v) {
    ctx.reply.error("ERR timeout is not an integer or out of range");
    return false;
  }
  if (*v < 0) {
    ctx.reply.error(kErrTimeoutNegative);
    return false;
  }
  *ms = *v;
  return true;
}

bool timeout_arg(CommandContext& ctx, std::string_view arg, int64_t* deadline_ms) {
  auto seconds = parse_long_double(arg);
  if (!seconds) {
    ctx.reply.error(kErrTimeoutNotFloat);
    return false;
  }
  // Redis rounds up to whole milliseconds, and reports any timeout it cannot
  // hold in 64-bit milliseconds (inf, 1e300) as negative: its conversion
  // wraps them there. Matching that keeps the errors identical.
  const long double ms = std::ceil(*seconds * 1000.0L);
  if (!(ms >= 0) || ms >= 9223372036854775807.0L) {
    ctx.reply.error(kErrTimeoutNegative);
    return false;
  }
  const auto wait = static_cast<int64_t>(ms);
  if (wait == 0) {
    *deadline_ms = 0;
  } else {
    // A wait too long to add to now is as good as for ever.
    *deadline_ms = wait > INT64_MAX - ctx.now_ms() ? 0 : ctx.now_ms() + wait;
  }
  return true;
}

bool db_index_arg(CommandContext& ctx, std::string_view arg, int* out) {
  int64_t index;
  if (!int_arg(ctx, arg, &index)) return false;
  if (index < INT32_MIN || index > INT32_MAX) {
    // Redis reads a database index as a C int first.
    ctx.reply.error("ERR value is out of range, value must between -2147483648 and 2147483647");
    return false;
  }
  if (index < 0 || index >= ctx.keyspace.count()) {
    ctx.reply.error(kErrDbIndex);
    return false;
  }
  *out = static_cast<int>(index);
  return true;
}

bool expiry_arg(CommandContext& ctx, std::string_view command, std::string_view arg, bool in_ms,
                bool absolute, int64_t* deadline_ms) {
  int64_t v;
  if (!int_arg(ctx, arg, &v)) return false;
  bool ok = v > 0 && (in_ms || v <= INT64_MAX / 1000);
  if (ok) {
    int64_t ms = in_ms ? v : v * 1000;
    if (!absolute) {
      if (ms > INT64_MAX - ctx.now_ms()) {
        ok = false;
      } else {
        ms += ctx.now_ms();
      }
    }
    *deadline_ms = ms;
  }
  if (!ok) {
    ctx.reply.error(fmt::format("ERR invalid expire time in '{}' command", command));
    return false;
  }
  return true;
}

std::string_view int_text(int64_t v, char* buf) {
  return {buf, static_cast<size_t>(format_int64(v, buf) - buf)};
}

}  // namespace vireo
