// The generic key commands (Redis's db.c and parts of object.c): DEL UNLINK
// EXISTS TYPE RENAME RENAMENX KEYS SCAN RANDOMKEY DBSIZE FLUSHDB FLUSHALL MOVE
// COPY SWAPDB TOUCH OBJECT.
#include <fmt/format.h>

#include <array>
#include <climits>
#include <string>
#include <vector>

#include "core/command_table.h"
#include "core/commands/arguments.h"
#include "core/commands/families.h"
#include "core/commands/help.h"
#include "core/commands/scan_args.h"
#include "core/errors.h"
#include "core/glob.h"
#include "core/lazy_free.h"
#include "core/object_info.h"
#include "core/strconv.h"

namespace vireo {
namespace {

constexpr std::string_view kErrSameObject = "ERR source and destination objects are the same";
constexpr std::string_view kErrNoLfu =
    "ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note "
    "that when switching between policies at runtime LRU and LFU data will take some time to "
    "adjust.";
constexpr std::string_view kErrLfu =
    "ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when "
    "switching between policies at runtime LRU and LFU data will take some time to adjust.";

// DEL and UNLINK. Only the keys that existed are propagated: replaying the
// effect then needs no knowledge of which keys were absent, the log stays
// small, and a key that had expired is not deleted twice (its lookup already
// emitted DEL for it).
void delete_keys(CommandContext& ctx, Args args, std::string_view effect_name, bool lazy) {
  Database& db = ctx.db();
  Args keys = args.subspan(1);
  EffectArgv effect(args.size());
  effect.push(effect_name);
  // UNLINK of many keys detaches them here and frees them off the loop thread.
  const bool batch = lazy && keys.size() >= kLazyFreeMinBatch;
  std::vector<Entry*> detached;
  if (batch) detached.reserve(keys.size());
  for (std::string_view key : keys) {
    if (!db.find(key)) continue;
    if (batch) {
      int64_t unused_deadline;
      detached.push_back(db.detach(key, &unused_deadline));
    } else {
      db.erase(key);
    }
    effect.push(key);
    ctx.notify(notify::kGeneric, "del", key);
  }
  if (batch) free_entries_lazily(std::move(detached));
  ctx.reply.integer(static_cast<int64_t>(effect.size() - 1));
  if (effect.size() > 1) ctx.propagate(effect.args());
}

void del_command(CommandContext& ctx, Args args) {
  delete_keys(ctx, args, "DEL", false);
}
void unlink_command(CommandContext& ctx, Args args) {
  delete_keys(ctx, args, "UNLINK", true);
}

// EXISTS counts a key named twice twice, as Redis does; it does not touch.
void exists_command(CommandContext& ctx, Args args) {
  Database& db = ctx.db();
  int64_t n = 0;
  for (std::string_view key : args.subspan(1))
    n += db.find_for_read(key, Database::Touch::kNo) != nullptr;
  ctx.reply.integer(n);
}

void touch_command(CommandContext& ctx, Args args) {
  Database& db = ctx.db();
  int64_t n = 0;
  for (std::string_view key : args.subspan(1))
    n += db.find_for_read(key) != nullptr;
  ctx.reply.integer(n);
}

void type_command(CommandContext& ctx, Args args) {
  const Entry* e = ctx.db().find_for_read(args[1], Database::Touch::kNo);
  ctx.reply.simple(e ? type_name(e->type()) : "none");
}

void dbsize_command(CommandContext& ctx, Args) {
  ctx.reply.integer(static_cast<int64_t>(ctx.db().size()));
}

void randomkey_command(CommandContext& ctx, Args) {
  const Entry* e = ctx.db().random_entry(ctx.keyspace.rng());
  e ? ctx.reply.bulk(e->key()) : ctx.reply.null();
}

// RENAME and RENAMENX. The entry keeps its value, deadline and encoding under
// the new name.
void rename_generic(CommandContext& ctx, Args args, bool nx) {
  Database& db = ctx.db();
  std::string_view from = args[1], to = args[2];
  if (!db.find_and_touch(from)) {
    ctx.reply.error(kErrNoSuchKey);
    return;
  }
  if (from == to) {
    nx ? ctx.reply.integer(0) : ctx.reply.ok();
    return;
  }
  // find() may reclaim an expired destination: a write, so no entry pointer
  // is held across it.
  const bool target_exists = db.find(to) != nullptr;
  if (target_exists && nx) {
    ctx.reply.integer(0);
    return;
  }
  int64_t deadline;
  Entry* old = db.detach(from, &deadline);
  if (target_exists) db.erase(to);
  // The key lives inside the entry's block, so a new name means a new block;
  // a large value moves to it without being copied.
  Entry* renamed = Entry::rekey(old, to, deadline != kNoExpiry);
  renamed->set_access_clock(db.fresh_access());
  db.adopt(renamed, deadline);
  nx ? ctx.reply.integer(1) : ctx.reply.ok();
  ctx.propagate({nx ? "RENAMENX" : "RENAME", from, to});
  // A replaced destination publishes no "del": only the rename itself.
  ctx.notify(notify::kGeneric, "rename_from", from);
  ctx.notify(notify::kGeneric, "rename_to", to);
}

void rename_command(CommandContext& ctx, Args args) {
  rename_generic(ctx, args, false);
}
void renamenx_command(CommandContext& ctx, Args args) {
  rename_generic(ctx, args, true);
}

// MOVE key db: the entry itself changes databases, deadline included.
void move_command(CommandContext& ctx, Args args) {
  int target;
  if (!db_index_arg(ctx, args[2], &target)) return;
  if (target == ctx.client.db) {
    ctx.reply.error(kErrSameObject);
    return;
  }
  Database& src = ctx.db();
  Database& dst = ctx.keyspace.db(target);
  std::string_view key = args[1];
  if (!src.find_and_touch(key) || dst.find(key)) {
    ctx.reply.integer(0);
    return;
  }
  int64_t deadline;
  Entry* e = src.detach(key, &deadline);
  dst.adopt(e, deadline);
  ctx.reply.integer(1);
  ctx.propagate({"MOVE", key, args[2]});
  ctx.notify(notify::kGeneric, "move_from", key);
  ctx.keyspace.events().notify(notify::kGeneric, "move_to", target, key);
}

// COPY source destination [DB index] [REPLACE]
void copy_command(CommandContext& ctx, Args args) {
  int target = ctx.client.db;
  bool replace = false;
  for (size_t i = 3; i < args.size(); ++i) {
    if (iequals(args[i], "replace")) {
      replace = true;
    } else if (iequals(args[i], "db") && i + 1 < args.size()) {
      if (!db_index_arg(ctx, args[++i], &target)) return;
    } else {
      ctx.reply.error(kErrSyntax);
      return;
    }
  }
  std::string_view from = args[1], to = args[2];
  if (target == ctx.client.db && from == to) {
    ctx.reply.error(kErrSameObject);
    return;
  }
  Database& src = ctx.db();
  Database& dst = ctx.keyspace.db(target);
  const Entry* original = src.find_for_read(from);
  if (!original) {
    ctx.reply.integer(0);
    return;
  }
  if (dst.find(to)) {
    if (!replace) {
      ctx.reply.integer(0);
      return;
    }
    dst.erase(to);
  }
  // `original` survives the writes above only when they hit another
  // database; look it up again rather than rely on that.
  original = src.find(from);
  const int64_t deadline = src.deadline(original);
  Entry* copy = Entry::clone(original, to, deadline != kNoExpiry);
  copy->set_access_clock(dst.fresh_access());
  dst.adopt(copy, deadline);
  ctx.reply.integer(1);
  // Published in the destination's database; a replaced key publishes no "del".
  ctx.keyspace.events().notify(notify::kGeneric, "copy_to", target, to);
  char buf[kInt64Chars];
  std::string_view db_text = int_text(target, buf);
  if (replace) {
    ctx.propagate({"COPY", from, to, "DB", db_text, "REPLACE"});
  } else {
    ctx.propagate({"COPY", from, to, "DB", db_text});
  }
}

// FLUSHDB / FLUSHALL [ASYNC|SYNC]. Without an option the flush is synchronous,
// as with Redis's default lazyfree-lazy-user-flush no: the memory is back by the
// time the reply goes out. Returns false after replying an error.
bool flush_mode_arg(CommandContext& ctx, Args args, bool* async) {
  *async = false;
  if (args.size() == 1) return true;
  if (args.size() == 2 && iequals(args[1], "async")) {
    *async = true;
    return true;
  }
  if (args.size() == 2 && iequals(args[1], "sync")) return true;
  ctx.reply.error(kErrSyntax);
  return false;
}

// A flush is propagated even when nothing was there, as Redis does: it is
// idempotent, and it makes the log say plainly where the data ended.
void flushdb_command(CommandContext& ctx, Args args) {
  bool async;
  if (!flush_mode_arg(ctx, args, &async)) return;
  flush_database(ctx.db(), async);
  ctx.reply.ok();
  ctx.propagate({"FLUSHDB"});
}

void flushall_command(CommandContext& ctx, Args args) {
  bool async;
  if (!flush_mode_arg(ctx, args, &async)) return;
  for (int i = 0; i < ctx.keyspace.count(); ++i)
    flush_database(ctx.keyspace.db(i), async);
  ctx.reply.ok();
  ctx.propagate({"FLUSHALL"});
}

// SWAPDB names which index failed to parse, unlike the other DB arguments.
void swapdb_command(CommandContext& ctx, Args args) {
  auto a = parse_int64(args[1]);
  if (!a) {
    ctx.reply.error("ERR invalid first DB index");
    return;
  }
  auto b = parse_int64(args[2]);
  if (!b) {
    ctx.reply.error("ERR invalid second DB index");
    return;
  }
  const int64_t count = ctx.keyspace.count();
  if (*a < 0 || *a >= count || *b < 0 || *b >= count) {
    ctx.reply.error(kErrDbIndex);
    return;
  }
  ctx.reply.ok();
  if (*a == *b) return;
  ctx.keyspace.swap(static_cast<int>(*a), static_cast<int>(*b));
  ctx.propagate({"SWAPDB", args[1], args[2]});
}

// KEYS pattern. A pattern without wildcards is a lookup, not a walk.
void keys_command(CommandContext& ctx, Args args) {
  Database& db = ctx.db();
  std::string_view pattern = args[1];
  std::string literal;
  if (glob_is_literal(pattern, &literal)) {
    const Entry* e = db.find_visible(literal);
    ctx.reply.array(e ? 1 : 0);
    if (e) ctx.reply.bulk(e->key());
    return;
  }
  const bool all = pattern == "*";
  std::vector<std::string_view> found;
  db.for_each([&](const Entry* e) {
    if (all || glob_match(pattern, e->key())) found.push_back(e->key());
  });
  ctx.reply.array(found.size());
  for (std::string_view key : found)
    ctx.reply.bulk(key);
}

// SCAN cursor [MATCH pattern] [COUNT count] [TYPE type]. The cursor is a hash
// threshold (see ScanTable::scan): a key present for the whole iteration is
// returned at least once however the table grows or shrinks in between.
void scan_command(CommandContext& ctx, Args args) {
  uint64_t cursor;
  if (!scan_cursor_arg(ctx, args[1], &cursor)) return;
  ScanOptions opts;
  if (!scan_options_arg(ctx, args, 2, true, &opts)) return;
  std::vector<std::string_view> found;
  found.reserve(std::min<size_t>(opts.count, 1024));
  // The views point into live entries; the scan reclaims only expired ones.
  uint64_t next = ctx.db().scan(cursor, opts.count, [&](const Entry* e) {
    if (!opts.type.empty() && !iequals(type_name(e->type()), opts.type)) return;
    if (opts.matches(e->key())) found.push_back(e->key());
  });
  reply_scan_start(ctx, next, found.size());
  for (std::string_view key : found)
    ctx.reply.bulk(key);
}

// Looks up OBJECT's key without touching it; replies null when it is absent.
const Entry* object_key(CommandContext& ctx, Args args) {
  const Entry* e = ctx.db().find_for_read(args[2], Database::Touch::kNo);
  if (!e) ctx.reply.null();
  return e;
}

void object_encoding_command(CommandContext& ctx, Args args) {
  if (const Entry* e = object_key(ctx, args)) ctx.reply.bulk(encoding_name(*e));
}

// Frequency and idle time are two readings of one access field, so each is
// available only under the policy that maintains it.
void object_freq_command(CommandContext& ctx, Args args) {
  const Entry* e = object_key(ctx, args);
  if (!e) return;
  if (!ctx.keyspace.lfu()) {
    ctx.reply.error(kErrNoLfu);
    return;
  }
  ctx.reply.integer(ctx.db().access_frequency(e));
}

void object_idletime_command(CommandContext& ctx, Args args) {
  const Entry* e = object_key(ctx, args);
  if (!e) return;
  if (ctx.keyspace.lfu()) {
    ctx.reply.error(kErrLfu);
    return;
  }
  ctx.reply.integer(ctx.db().idle_seconds(e));
}

// Redis reports a shared object's count as INT_MAX; small integers are shared.
void object_refcount_command(CommandContext& ctx, Args args) {
  const Entry* e = object_key(ctx, args);
  if (e) ctx.reply.integer(is_shared_integer(*e, ctx.keyspace.shared_integers()) ? INT_MAX : 1);
}

void object_help_command(CommandContext& ctx, Args) {
  reply_help(
      ctx.reply, "OBJECT",
      {"ENCODING <key>", "    Return the internal representation of the value stored at <key>.",
       "FREQ <key>", "    Return the logarithmic access-frequency counter of <key> (needs an LFU",
       "    maxmemory-policy).", "IDLETIME <key>",
       "    Return how many seconds ago <key> was last read or written.", "REFCOUNT <key>",
       "    Return how many references the value stored at <key> has."});
}

constexpr uint32_t kReadFast = kAclKeyspace | kAclRead | kAclFast;
constexpr uint32_t kReadSlow = kAclKeyspace | kAclRead | kAclSlow;
constexpr uint32_t kWriteFast = kAclKeyspace | kAclWrite | kAclFast;
constexpr uint32_t kWriteSlow = kAclKeyspace | kAclWrite | kAclSlow;

// Key specs and tips as Redis 7.0's COMMAND INFO gives them.
constexpr KeySpec kReadKeys[] = {key_range(kKeyRO, 1, -1)};
constexpr KeySpec kObjectKey[] = {key_range(kKeyRO, 2)};
constexpr KeySpec kDeleteKeys[] = {key_range(kKeyRM | kKeyDelete, 1, -1)};
constexpr KeySpec kRenameKeys[] = {key_range(kKeyRW | kKeyAccess | kKeyDelete, 1),
                                   key_range(kKeyOW | kKeyUpdate, 2)};
constexpr KeySpec kRenamenxKeys[] = {key_range(kKeyRW | kKeyAccess | kKeyDelete, 1),
                                     key_range(kKeyOW | kKeyInsert, 2)};
constexpr KeySpec kCopyKeys[] = {key_range(kKeyRO | kKeyAccess, 1),
                                 key_range(kKeyOW | kKeyUpdate, 2)};
constexpr std::string_view kTipsNondeterministic[] = {"nondeterministic_output"};
constexpr std::string_view kTipsMultiShardSum[] = {"request_policy:multi_shard",
                                                   "response_policy:agg_sum"};
constexpr std::string_view kTipsAllShardsSum[] = {"request_policy:all_shards",
                                                  "response_policy:agg_sum"};
constexpr std::string_view kTipsAllShardsSucceed[] = {"request_policy:all_shards",
                                                      "response_policy:all_succeeded"};
constexpr std::string_view kTipsAllShardsAnyOrder[] = {"request_policy:all_shards",
                                                       "nondeterministic_output_order"};
constexpr std::string_view kTipsAllShardsRandom[] = {"request_policy:all_shards",
                                                     "nondeterministic_output"};
constexpr std::string_view kTipsScan[] = {"nondeterministic_output", "request_policy:special"};

// One row per command, packed as in strings.cpp.
// clang-format off
const CommandSpec kObjectSubcommands[] = {
    {.name = "encoding", .arity = 3, .flags = kReadonly, .acl = kReadSlow,
     .tips = kTipsNondeterministic, .key_specs = kObjectKey, .handler = object_encoding_command,
     .group = "generic", .summary = "Returns how the value of a key is represented internally.",
     .since = "2.2.3", .complexity = "O(1)"},
    {.name = "freq", .arity = 3, .flags = kReadonly, .acl = kReadSlow,
     .tips = kTipsNondeterministic, .key_specs = kObjectKey, .handler = object_freq_command,
     .group = "generic", .summary = "Returns the logarithmic access frequency counter of a key.",
     .since = "4.0.0", .complexity = "O(1)"},
    {.name = "help", .arity = 2, .flags = kLoading | kStale, .acl = kAclKeyspace | kAclSlow,
     .handler = object_help_command, .group = "generic",
     .summary = "Describes the OBJECT subcommands.", .since = "6.2.0", .complexity = "O(1)"},
    {.name = "idletime", .arity = 3, .flags = kReadonly, .acl = kReadSlow,
     .tips = kTipsNondeterministic, .key_specs = kObjectKey, .handler = object_idletime_command,
     .group = "generic", .summary = "Returns the seconds since a key was last accessed.",
     .since = "2.2.3", .complexity = "O(1)"},
    {.name = "refcount", .arity = 3, .flags = kReadonly, .acl = kReadSlow,
     .tips = kTipsNondeterministic, .key_specs = kObjectKey, .handler = object_refcount_command,
     .group = "generic", .summary = "Returns the reference count of the value of a key.",
     .since = "2.2.3", .complexity = "O(1)"},
};

const CommandSpec kKeyCommands[] = {
    {.name = "del", .arity = -2, .flags = kWrite, .acl = kWriteSlow, .tips = kTipsMultiShardSum,
     .key_specs = kDeleteKeys, .handler = del_command, .group = "generic",
     .summary = "Deletes keys.", .since = "1.0.0", .complexity = "O(N) in the keys removed"},
    {.name = "unlink", .arity = -2, .flags = kWrite | kFast, .acl = kWriteFast,
     .tips = kTipsMultiShardSum, .key_specs = kDeleteKeys, .handler = unlink_command,
     .group = "generic", .summary = "Deletes keys, reclaiming their memory in the background.",
     .since = "4.0.0", .complexity = "O(1) per key; freeing happens on another thread"},
    {.name = "exists", .arity = -2, .flags = kReadonly | kFast, .acl = kReadFast,
     .tips = kTipsMultiShardSum, .key_specs = kReadKeys, .handler = exists_command,
     .group = "generic", .summary = "Counts how many of the given keys exist.", .since = "1.0.0",
     .complexity = "O(N) in the keys given"},
    {.name = "type", .arity = 2, .flags = kReadonly | kFast, .acl = kReadFast,
     .key_specs = one_key::kRead, .handler = type_command, .group = "generic",
     .summary = "Returns the type of the value stored at a key.", .since = "1.0.0",
     .complexity = "O(1)"},
    {.name = "rename", .arity = 3, .flags = kWrite, .acl = kWriteSlow, .key_specs = kRenameKeys,
     .handler = rename_command, .group = "generic",
     .summary = "Renames a key, replacing any key with the new name.", .since = "1.0.0",
     .complexity = "O(1)"},
    {.name = "renamenx", .arity = 3, .flags = kWrite | kFast, .acl = kWriteFast,
     .key_specs = kRenamenxKeys, .handler = renamenx_command, .group = "generic",
     .summary = "Renames a key unless the new name is taken.", .since = "1.0.0",
     .complexity = "O(1)"},
    {.name = "keys", .arity = 2, .flags = kReadonly, .acl = kReadSlow | kAclDangerous,
     .tips = kTipsAllShardsAnyOrder, .handler = keys_command, .group = "generic",
     .summary = "Returns every key matching a glob pattern.", .since = "1.0.0",
     .complexity = "O(N) in the keys of the database"},
    {.name = "scan", .arity = -2, .flags = kReadonly, .acl = kReadSlow, .tips = kTipsScan,
     .handler = scan_command, .group = "generic",
     .summary = "Iterates over the keys of the database, a batch per call.", .since = "2.8.0",
     .complexity = "O(1) per call, O(N) for a full iteration"},
    {.name = "randomkey", .arity = 1, .flags = kReadonly, .acl = kReadSlow,
     .tips = kTipsAllShardsRandom, .handler = randomkey_command, .group = "generic",
     .summary = "Returns a random key of the database.", .since = "1.0.0", .complexity = "O(1)"},
    {.name = "dbsize", .arity = 1, .flags = kReadonly | kFast, .acl = kReadFast,
     .tips = kTipsAllShardsSum, .handler = dbsize_command, .group = "server",
     .summary = "Returns the number of keys in the database.", .since = "1.0.0",
     .complexity = "O(1)"},
    {.name = "flushdb", .arity = -1, .flags = kWrite, .acl = kWriteSlow | kAclDangerous,
     .tips = kTipsAllShardsSucceed, .handler = flushdb_command, .group = "server",
     .summary = "Removes every key of the selected database.", .since = "1.0.0",
     .complexity = "O(N) in the keys of the database"},
    {.name = "flushall", .arity = -1, .flags = kWrite, .acl = kWriteSlow | kAclDangerous,
     .tips = kTipsAllShardsSucceed, .handler = flushall_command, .group = "server",
     .summary = "Removes every key of every database.", .since = "1.0.0",
     .complexity = "O(N) in the keys of all databases"},
    {.name = "move", .arity = 3, .flags = kWrite | kFast, .acl = kWriteFast,
     .key_specs = one_key::kAccessUpdate,
     .handler = move_command, .group = "generic", .summary = "Moves a key to another database.",
     .since = "1.0.0", .complexity = "O(1)"},
    {.name = "copy", .arity = -3, .flags = kWrite | kDenyOom, .acl = kWriteSlow,
     .key_specs = kCopyKeys, .handler = copy_command, .group = "generic",
     .summary = "Copies the value of a key to another key.", .since = "6.2.0",
     .complexity = "O(N) in the elements of the value"},
    {.name = "swapdb", .arity = 3, .flags = kWrite | kFast, .acl = kWriteFast | kAclDangerous,
     .handler = swapdb_command, .group = "server",
     .summary = "Exchanges the contents of two databases.", .since = "4.0.0",
     .complexity = "O(N) in the clients watching or blocked on either database"},
    {.name = "touch", .arity = -2, .flags = kReadonly | kFast, .acl = kReadFast,
     .tips = kTipsMultiShardSum, .key_specs = kReadKeys, .handler = touch_command,
     .group = "generic", .summary = "Marks keys as accessed now; returns how many exist.",
     .since = "3.2.1", .complexity = "O(N) in the keys given"},
    {.name = "object", .arity = -2, .acl = kAclSlow, .subcommands = kObjectSubcommands,
     .group = "generic", .summary = "Inspects how a key's value is stored.", .since = "2.2.3",
     .complexity = "Depends on the subcommand"},
};
// clang-format on

}  // namespace

std::span<const CommandSpec> key_commands() {
  return kKeyCommands;
}

}  // namespace vireo
