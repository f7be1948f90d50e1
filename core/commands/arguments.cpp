#include "core/commands/arguments.h"

#include <fmt/format.h>

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
