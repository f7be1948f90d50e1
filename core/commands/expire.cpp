// The TTL commands (Redis's expire.c): EXPIRE PEXPIRE EXPIREAT PEXPIREAT TTL
// PTTL EXPIRETIME PEXPIRETIME PERSIST.
#include <fmt/format.h>

#include "core/command_table.h"
#include "core/commands/arguments.h"
#include "core/commands/families.h"
#include "core/strconv.h"

namespace vireo {
namespace {

enum class Unit { kSeconds, kMilliseconds };
enum class Base { kNow, kEpoch };

// NX XX GT LT of the EXPIRE family.
struct ExpireConditions {
  bool nx = false, xx = false, gt = false, lt = false;

  // Whether a key whose deadline is `current` (kNoExpiry: none) may get `when`.
  // A key without a deadline counts as expiring never: GT can never raise it,
  // LT always lowers it.
  bool allow(int64_t current, int64_t when) const {
    const bool volatile_key = current != kNoExpiry;
    if (nx && volatile_key) return false;
    if (xx && !volatile_key) return false;
    if (gt && (!volatile_key || when <= current)) return false;
    if (lt && volatile_key && when >= current) return false;
    return true;
  }
};

// Parses the options after the time. Redis checks them before the time
// itself, so a bad option wins over a bad number.
bool expire_conditions_arg(CommandContext& ctx, Args args, ExpireConditions* c) {
  for (std::string_view opt : args.subspan(3)) {
    if (iequals(opt, "nx")) {
      c->nx = true;
    } else if (iequals(opt, "xx")) {
      c->xx = true;
    } else if (iequals(opt, "gt")) {
      c->gt = true;
    } else if (iequals(opt, "lt")) {
      c->lt = true;
    } else {
      ctx.reply.error(fmt::format("ERR Unsupported option {}", opt));
      return false;
    }
  }
  if (c->nx && (c->xx || c->gt || c->lt)) {
    ctx.reply.error("ERR NX and XX, GT or LT options at the same time are not compatible");
    return false;
  }
  if (c->gt && c->lt) {
    ctx.reply.error("ERR GT and LT options at the same time are not compatible");
    return false;
  }
  return true;
}

// The absolute deadline in ms that `arg` names. Unlike SET's EX/PX, any value
// that does not overflow is accepted: zero or negative means "already past".
bool deadline_arg(CommandContext& ctx, std::string_view command, std::string_view arg, Unit unit,
                  Base base, int64_t* deadline_ms) {
  int64_t when;
  if (!int_arg(ctx, arg, &when)) return false;
  bool ok = true;
  if (unit == Unit::kSeconds) {
    ok = when <= INT64_MAX / 1000 && when >= INT64_MIN / 1000;
    if (ok) when *= 1000;
  }
  if (ok && base == Base::kNow) {
    ok = when <= INT64_MAX - ctx.now_ms();
    if (ok) when += ctx.now_ms();
  }
  if (!ok) {
    ctx.reply.error(fmt::format("ERR invalid expire time in '{}' command", command));
    return false;
  }
  *deadline_ms = when;
  return true;
}

// EXPIRE key time [NX|XX|GT|LT ...] and its three siblings. The effect is
// always the absolute `PEXPIREAT key ms`, or `DEL key` when the deadline has
// already passed (the key goes at once).
void expire_generic(CommandContext& ctx, Args args, std::string_view command, Unit unit,
                    Base base) {
  ExpireConditions conditions;
  if (!expire_conditions_arg(ctx, args, &conditions)) return;
  int64_t when;
  if (!deadline_arg(ctx, command, args[2], unit, base, &when)) return;
  Database& db = ctx.db();
  std::string_view key = args[1];
  Entry* e = db.find_and_touch(key);
  if (!e || !conditions.allow(db.deadline(e), when)) {
    ctx.reply.integer(0);
    return;
  }
  if (ctx.deadline_passed(when)) {
    db.erase(key);
    ctx.reply.integer(1);
    ctx.propagate({"DEL", key});
    ctx.notify(notify::kGeneric, "del", key);
    return;
  }
  db.set_deadline(e, when);
  ctx.reply.integer(1);
  char buf[kInt64Chars];
  ctx.propagate({"PEXPIREAT", key, int_text(when, buf)});
  ctx.notify(notify::kGeneric, "expire", key);
}

void expire_command(CommandContext& ctx, Args args) {
  expire_generic(ctx, args, "expire", Unit::kSeconds, Base::kNow);
}
void pexpire_command(CommandContext& ctx, Args args) {
  expire_generic(ctx, args, "pexpire", Unit::kMilliseconds, Base::kNow);
}
void expireat_command(CommandContext& ctx, Args args) {
  expire_generic(ctx, args, "expireat", Unit::kSeconds, Base::kEpoch);
}
void pexpireat_command(CommandContext& ctx, Args args) {
  expire_generic(ctx, args, "pexpireat", Unit::kMilliseconds, Base::kEpoch);
}

// TTL PTTL EXPIRETIME PEXPIRETIME: -2 for a missing key, -1 without a deadline.
// Seconds are rounded to the nearest, as Redis does; the sum is taken unsigned
// because a deadline near INT64_MAX would overflow it (Redis's build gives the
// unsigned result there too).
void ttl_generic(CommandContext& ctx, Args args, Unit unit, Base base) {
  Database& db = ctx.db();
  const Entry* e = db.find_for_read(args[1], Database::Touch::kNo);
  if (!e) {
    ctx.reply.integer(-2);
    return;
  }
  const int64_t deadline = db.deadline(e);
  if (deadline == kNoExpiry) {
    ctx.reply.integer(-1);
    return;
  }
  const int64_t ms = std::max<int64_t>(0, base == Base::kNow ? deadline - ctx.now_ms() : deadline);
  if (unit == Unit::kMilliseconds) {
    ctx.reply.integer(ms);
  } else {
    ctx.reply.integer(static_cast<int64_t>((static_cast<uint64_t>(ms) + 500) / 1000));
  }
}

void ttl_command(CommandContext& ctx, Args args) {
  ttl_generic(ctx, args, Unit::kSeconds, Base::kNow);
}
void pttl_command(CommandContext& ctx, Args args) {
  ttl_generic(ctx, args, Unit::kMilliseconds, Base::kNow);
}
void expiretime_command(CommandContext& ctx, Args args) {
  ttl_generic(ctx, args, Unit::kSeconds, Base::kEpoch);
}
void pexpiretime_command(CommandContext& ctx, Args args) {
  ttl_generic(ctx, args, Unit::kMilliseconds, Base::kEpoch);
}

void persist_command(CommandContext& ctx, Args args) {
  Database& db = ctx.db();
  std::string_view key = args[1];
  Entry* e = db.find_and_touch(key);
  if (!e || db.deadline(e) == kNoExpiry) {
    ctx.reply.integer(0);
    return;
  }
  db.set_deadline(e, kNoExpiry);
  ctx.reply.integer(1);
  ctx.propagate({"PERSIST", key});
  ctx.notify(notify::kGeneric, "persist", key);
}

constexpr uint32_t kReadFast = kAclKeyspace | kAclRead | kAclFast;
constexpr uint32_t kWriteFast = kAclKeyspace | kAclWrite | kAclFast;

// Key specs and tips as Redis 7.0's COMMAND INFO gives them.
constexpr std::string_view kTipsNondeterministic[] = {"nondeterministic_output"};

// One row per command, packed as in strings.cpp.
// clang-format off
const CommandSpec kExpireCommands[] = {
    {.name = "expire", .arity = -3, .flags = kWrite | kFast, .acl = kWriteFast,
     .key_specs = one_key::kUpdate, .handler = expire_command, .group = "generic",
     .summary = "Sets a key's time to live in seconds.", .since = "1.0.0", .complexity = "O(1)"},
    {.name = "pexpire", .arity = -3, .flags = kWrite | kFast, .acl = kWriteFast,
     .key_specs = one_key::kUpdate, .handler = pexpire_command, .group = "generic",
     .summary = "Sets a key's time to live in milliseconds.", .since = "2.6.0",
     .complexity = "O(1)"},
    {.name = "expireat", .arity = -3, .flags = kWrite | kFast, .acl = kWriteFast,
     .key_specs = one_key::kUpdate, .handler = expireat_command, .group = "generic",
     .summary = "Sets a key's expiry to a Unix time in seconds.", .since = "1.2.0",
     .complexity = "O(1)"},
    {.name = "pexpireat", .arity = -3, .flags = kWrite | kFast, .acl = kWriteFast,
     .key_specs = one_key::kUpdate, .handler = pexpireat_command, .group = "generic",
     .summary = "Sets a key's expiry to a Unix time in milliseconds.", .since = "2.6.0",
     .complexity = "O(1)"},
    {.name = "ttl", .arity = 2, .flags = kReadonly | kFast, .acl = kReadFast,
     .tips = kTipsNondeterministic, .key_specs = one_key::kReadAccess, .handler = ttl_command,
     .group = "generic", .summary = "Returns a key's remaining time to live in seconds.",
     .since = "1.0.0", .complexity = "O(1)"},
    {.name = "pttl", .arity = 2, .flags = kReadonly | kFast, .acl = kReadFast,
     .tips = kTipsNondeterministic, .key_specs = one_key::kReadAccess, .handler = pttl_command,
     .group = "generic", .summary = "Returns a key's remaining time to live in milliseconds.",
     .since = "2.6.0", .complexity = "O(1)"},
    {.name = "expiretime", .arity = 2, .flags = kReadonly | kFast, .acl = kReadFast,
     .key_specs = one_key::kReadAccess, .handler = expiretime_command, .group = "generic",
     .summary = "Returns a key's expiry as a Unix time in seconds.", .since = "7.0.0",
     .complexity = "O(1)"},
    {.name = "pexpiretime", .arity = 2, .flags = kReadonly | kFast, .acl = kReadFast,
     .key_specs = one_key::kReadAccess, .handler = pexpiretime_command, .group = "generic",
     .summary = "Returns a key's expiry as a Unix time in milliseconds.", .since = "7.0.0",
     .complexity = "O(1)"},
    {.name = "persist", .arity = 2, .flags = kWrite | kFast, .acl = kWriteFast,
     .key_specs = one_key::kUpdate, .handler = persist_command, .group = "generic",
     .summary = "Removes a key's expiry.", .since = "2.2.0", .complexity = "O(1)"},
};
// clang-format on

}  // namespace

std::span<const CommandSpec> expire_commands() {
  return kExpireCommands;
}

}  // namespace vireo
