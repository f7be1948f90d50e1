#include "core/commands/scan_args.h"

#include "core/commands/arguments.h"
#include "core/errors.h"
#include "core/glob.h"
#include "core/strconv.h"

namespace vireo {

bool ScanOptions::matches(std::string_view name) const {
  return pattern.empty() || glob_match(pattern, name);
}

bool scan_cursor_arg(CommandContext& ctx, std::string_view arg, uint64_t* cursor) {
  auto parsed = parse_scan_cursor(arg);
  if (!parsed) {
    ctx.reply.error(kErrInvalidCursor);
    return false;
  }
  *cursor = *parsed;
  return true;
}

bool scan_options_arg(CommandContext& ctx, Args args, size_t first, bool allow_type,
                      ScanOptions* opts) {
  for (size_t i = first; i < args.size(); i += 2) {
    if (i + 1 >= args.size()) {
      ctx.reply.error(kErrSyntax);
      return false;
    }
    std::string_view value = args[i + 1];
    if (iequals(args[i], "count")) {
      int64_t count;
      if (!int_arg(ctx, value, &count)) return false;
      if (count < 1) {
        ctx.reply.error(kErrSyntax);
        return false;
      }
      opts->count = static_cast<size_t>(count);
    } else if (iequals(args[i], "match")) {
      opts->pattern = value == "*" ? std::string_view() : value;
    } else if (allow_type && iequals(args[i], "type")) {
      opts->type = value;
    } else {
      ctx.reply.error(kErrSyntax);
      return false;
    }
  }
  return true;
}

void reply_scan_start(CommandContext& ctx, uint64_t next, size_t n) {
  char buf[kInt64Chars];
  ctx.reply.array(2);
  ctx.reply.bulk({buf, static_cast<size_t>(format_uint64(next, buf) - buf)});
  ctx.reply.array(n);
}

}  // namespace vireo
