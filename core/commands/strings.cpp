// String commands: GET SET and the family around them (Redis's t_string.c).
#include <fmt/format.h>

#include "core/command_table.h"
#include "core/commands/arguments.h"
#include "core/commands/families.h"
#include "core/errors.h"
#include "core/strconv.h"

namespace vireo {
namespace {

// The string entry at `key`; nullptr when absent. Replies WRONGTYPE and sets
// `*wrong_type` when the key holds another type.
Entry* find_string(CommandContext& ctx, std::string_view key, bool* wrong_type) {
  Entry* e = ctx.db().find_and_touch(key);
  *wrong_type = e && e->type() != ValueType::kString;
  if (*wrong_type) ctx.reply.error(kErrWrongType);
  return *wrong_type ? nullptr : e;
}

void get_command(CommandContext& ctx, Args args) {
  bool wrong_type;
  Entry* e = find_string(ctx, args[1], &wrong_type);
  if (wrong_type) return;
  if (e) {
    ctx.reply.bulk(e->string_value());
  } else {
    ctx.reply.null();
  }
}

// SET key value [NX|XX] [GET] [EX s|PX ms|EXAT ts|PXAT ms-ts|KEEPTTL]
void set_command(CommandContext& ctx, Args args) {
  bool nx = false, xx = false, get = false, keep_ttl = false;
  bool has_expiry = false;
  int64_t deadline = kNoExpiry;
  for (size_t i = 3; i < args.size(); ++i) {
    std::string_view opt = args[i];
    bool more = i + 1 < args.size();
    if (iequals(opt, "nx") && !xx) {
      nx = true;
    } else if (iequals(opt, "xx") && !nx) {
      xx = true;
    } else if (iequals(opt, "get")) {
      get = true;
    } else if (iequals(opt, "keepttl") && !has_expiry) {
      keep_ttl = true;
    } else if (!keep_ttl && !has_expiry && more &&
               (iequals(opt, "ex") || iequals(opt, "px") || iequals(opt, "exat") ||
                iequals(opt, "pxat"))) {
      bool in_ms = opt[0] == 'p' || opt[0] == 'P';
      bool absolute = opt.size() == 4;
      // Redis parses every option before validating the expiry value.
      has_expiry = true;
      ++i;
      if (!parse_int64(args[i])) {
        ctx.reply.error(kErrNotInteger);
        return;
      }
      if (!expiry_arg(ctx, "set", args[i], in_ms, absolute, &deadline)) return;
    } else {
      ctx.reply.error(kErrSyntax);
      return;
    }
  }
  std::string_view key = args[1], value = args[2];
  Database& db = ctx.db();
  Entry* old = db.find(key);
  if (get && old && old->type() != ValueType::kString) {
    ctx.reply.error(kErrWrongType);
    return;
  }
  if ((nx && old) || (xx && !old)) {
    if (get) {
      old ? ctx.reply.bulk(old->string_value()) : ctx.reply.null();
    } else {
      ctx.reply.null();
    }
    return;
  }
  if (get) {
    // The reply must be written before the old value is overwritten.
    old ? ctx.reply.bulk(old->string_value()) : ctx.reply.null();
  }
  db.put_string(key, value, deadline, keep_ttl);
  if (!get) ctx.reply.ok();
  char buf[24];
  if (has_expiry) {
    ctx.propagate({"SET", key, value, "PXAT", int_text(deadline, buf)});
  } else if (keep_ttl) {
    ctx.propagate({"SET", key, value, "KEEPTTL"});
  } else {
    ctx.propagate({"SET", key, value});
  }
}

constexpr uint32_t kReadFast = kAclRead | kAclString | kAclFast;
constexpr uint32_t kWriteSlow = kAclWrite | kAclString | kAclSlow;

const CommandSpec kStringCommands[] = {
    {.name = "get", .arity = 2, .flags = kReadonly | kFast, .first_key = 1, .last_key = 1,
     .key_step = 1, .acl = kReadFast, .handler = get_command, .group = "string",
     .summary = "Returns the string value of a key.", .since = "1.0.0", .complexity = "O(1)"},
    {.name = "set", .arity = -3, .flags = kWrite | kDenyOom, .first_key = 1, .last_key = 1,
     .key_step = 1, .acl = kWriteSlow, .handler = set_command, .group = "string",
     .summary = "Sets a key to a string value, with optional expiry and conditions.",
     .since = "1.0.0", .complexity = "O(1)"},
};

}  // namespace

std::span<const CommandSpec> string_commands() { return kStringCommands; }

}  // namespace vireo
