// Hash commands (Redis's t_hash.c family): HSET and its variants, lookups,
// HDEL, the counters, whole-hash replies, HRANDFIELD and HSCAN.
#include <cmath>
#include <cstdint>
#include <limits>
#include <string_view>
#include <vector>

#include "core/command_table.h"
#include "core/commands/arguments.h"
#include "core/commands/families.h"
#include "core/commands/scan_args.h"
#include "core/commands/typed_lookup.h"
#include "core/effects.h"
#include "core/errors.h"
#include "core/glob.h"
#include "core/strconv.h"
#include "core/types/hash_value.h"

namespace vireo {
namespace {

// Error texts only this family uses, worded as Redis 7.0 words them.
constexpr std::string_view kErrHsetArity = "ERR wrong number of arguments for 'hset' command";
constexpr std::string_view kErrHmsetArity = "ERR wrong number of arguments for 'hmset' command";

// Propagates the request under its upper-case name, so any spelling replays alike.
void propagate_as(CommandContext& ctx, std::string_view name, Args args) {
  EffectArgv argv(args.size());
  argv.push(name);
  for (std::string_view arg : args.subspan(1))
    argv.push(arg);
  ctx.propagate(argv.args());
}

// ---------------------------------------------------------------------------
// Writes

// HSET/HMSET key field value [field value ...]; returns the fields added, or
// -1 after an error reply.
int64_t set_pairs(CommandContext& ctx, Args args, std::string_view arity_error) {
  if (args.size() % 2 != 0) {
    ctx.reply.error(arity_error);
    return -1;
  }
  HashValue* hash = value_or_create<HashValue>(ctx, args[1]);
  if (!hash) return -1;
  int64_t added = 0;
  for (size_t i = 2; i < args.size(); i += 2) {
    added += hash->set(args[i], args[i + 1], ctx.limits.containers);
  }
  return added;
}

void hset_command(CommandContext& ctx, Args args) {
  int64_t added = set_pairs(ctx, args, kErrHsetArity);
  if (added < 0) return;
  ctx.reply.integer(added);
  propagate_as(ctx, "HSET", args);
  ctx.notify(notify::kHash, "hset", args[1]);
}

void hmset_command(CommandContext& ctx, Args args) {
  if (set_pairs(ctx, args, kErrHmsetArity) < 0) return;
  ctx.reply.ok();
  propagate_as(ctx, "HMSET", args);
  ctx.notify(notify::kHash, "hset", args[1]);
}

void hsetnx_command(CommandContext& ctx, Args args) {
  Typed<HashValue> found = write_value<HashValue>(ctx, args[1]);
  if (found.wrong_type) return;
  if (found.value && found.value->contains(args[2])) {
    ctx.reply.integer(0);
    return;
  }
  HashValue* hash = found.value ? found.value : value_or_create<HashValue>(ctx, args[1]);
  hash->set(args[2], args[3], ctx.limits.containers);
  ctx.reply.integer(1);
  propagate_as(ctx, "HSETNX", args);
  ctx.notify(notify::kHash, "hset", args[1]);
}

void hdel_command(CommandContext& ctx, Args args) {
  Typed<HashValue> found = write_value<HashValue>(ctx, args[1]);
  if (found.wrong_type) return;
  int64_t removed = 0;
  if (found.value) {
    for (std::string_view field : args.subspan(2)) {
      removed += found.value->erase(field);
      if (found.value->size() == 0) break;
    }
  }
  ctx.reply.integer(removed);
  if (removed == 0) return;
  propagate_as(ctx, "HDEL", args);
  ctx.notify(notify::kHash, "hdel", args[1]);
  erase_if_empty_notify(ctx, args[1], *found.value);
}

// The hash a counter changes, created when absent; nullptr after WRONGTYPE.
// `current` is the field's value, empty when the field is absent.
HashValue* counter_hash(CommandContext& ctx, std::string_view key, std::string_view field,
                        std::optional<std::string_view>* current) {
  HashValue* hash = value_or_create<HashValue>(ctx, key);
  if (hash) *current = hash->get(field);
  return hash;
}

void hincrby_command(CommandContext& ctx, Args args) {
  int64_t incr;
  if (!int_arg(ctx, args[3], &incr)) return;
  std::optional<std::string_view> current;
  HashValue* hash = counter_hash(ctx, args[1], args[2], &current);
  if (!hash) return;
  int64_t old = 0;
  if (current) {
    auto parsed = parse_int64(*current);
    if (!parsed) {
      ctx.reply.error(kErrHashNotInteger);
      return;
    }
    old = *parsed;
  }
  int64_t result;
  if (__builtin_add_overflow(old, incr, &result)) {
    ctx.reply.error(kErrOverflow);
    return;
  }
  char buf[kInt64Chars];
  hash->set(args[2], int_text(result, buf), ctx.limits.containers);
  ctx.reply.integer(result);
  propagate_as(ctx, "HINCRBY", args);
  ctx.notify(notify::kHash, "hincrby", args[1]);
}

void hincrbyfloat_command(CommandContext& ctx, Args args) {
  auto incr = parse_long_double(args[3]);
  if (!incr) {
    ctx.reply.error(kErrNotFloat);
    return;
  }
  if (std::isnan(*incr) || std::isinf(*incr)) {
    ctx.reply.error(kErrNanOrInf);
    return;
  }
  std::optional<std::string_view> current;
  HashValue* hash = counter_hash(ctx, args[1], args[2], &current);
  if (!hash) return;
  long double old = 0;
  if (current) {
    auto parsed = parse_long_double(*current);
    if (!parsed) {
      ctx.reply.error(kErrHashNotFloat);
      return;
    }
    old = *parsed;
  }
  long double result = old + *incr;
  if (std::isnan(result) || std::isinf(result)) {
    ctx.reply.error(kErrIncrNanOrInf);
    return;
  }
  char buf[kLongDoubleChars];
  std::string_view text = format_long_double(result, buf);
  hash->set(args[2], text, ctx.limits.containers);
  ctx.reply.bulk(text);
  // The float's text, not the increment, so that replay cannot round differently.
  ctx.propagate({"HSET", args[1], args[2], text});
  ctx.notify(notify::kHash, "hincrbyfloat", args[1]);
}

// ---------------------------------------------------------------------------
// Reads

void hget_command(CommandContext& ctx, Args args) {
  Typed<HashValue> found = read_value<HashValue>(ctx, args[1]);
  if (found.wrong_type) return;
  std::optional<std::string_view> value;
  if (found.value) value = found.value->get(args[2]);
  if (value) {
    ctx.reply.bulk(*value);
  } else {
    ctx.reply.null();
  }
}

void hmget_command(CommandContext& ctx, Args args) {
  Typed<HashValue> found = read_value<HashValue>(ctx, args[1]);
  if (found.wrong_type) return;
  ctx.reply.array(args.size() - 2);
  for (std::string_view field : args.subspan(2)) {
    std::optional<std::string_view> value;
    if (found.value) value = found.value->get(field);
    if (value) {
      ctx.reply.bulk(*value);
    } else {
      ctx.reply.null();
    }
  }
}

void hexists_command(CommandContext& ctx, Args args) {
  Typed<HashValue> found = read_value<HashValue>(ctx, args[1]);
  if (found.wrong_type) return;
  ctx.reply.integer(found.value && found.value->contains(args[2]));
}

void hlen_command(CommandContext& ctx, Args args) {
  Typed<HashValue> found = read_value<HashValue>(ctx, args[1]);
  if (found.wrong_type) return;
  ctx.reply.integer(found.value ? static_cast<int64_t>(found.value->size()) : 0);
}

void hstrlen_command(CommandContext& ctx, Args args) {
  Typed<HashValue> found = read_value<HashValue>(ctx, args[1]);
  if (found.wrong_type) return;
  std::optional<std::string_view> value;
  if (found.value) value = found.value->get(args[2]);
  ctx.reply.integer(value ? static_cast<int64_t>(value->size()) : 0);
}

// What HKEYS, HVALS and HGETALL reply for each field.
enum class Parts : uint8_t { kFields, kValues, kBoth };

void reply_whole_hash(CommandContext& ctx, Args args, Parts parts) {
  Typed<HashValue> found = read_value<HashValue>(ctx, args[1]);
  if (found.wrong_type) return;
  const size_t n = found.value ? found.value->size() : 0;
  if (parts == Parts::kBoth) {
    ctx.reply.map(n);
  } else {
    ctx.reply.array(n);
  }
  if (!found.value) return;
  found.value->for_each([&](std::string_view field, std::string_view value) {
    if (parts != Parts::kValues) ctx.reply.bulk(field);
    if (parts != Parts::kFields) ctx.reply.bulk(value);
  });
}

void hkeys_command(CommandContext& ctx, Args args) {
  reply_whole_hash(ctx, args, Parts::kFields);
}

void hvals_command(CommandContext& ctx, Args args) {
  reply_whole_hash(ctx, args, Parts::kValues);
}

void hgetall_command(CommandContext& ctx, Args args) {
  reply_whole_hash(ctx, args, Parts::kBoth);
}

// ---------------------------------------------------------------------------
// HRANDFIELD key [count [WITHVALUES]]

void reply_random_pair(CommandContext& ctx, const HashValue::Pair& pair, bool with_values) {
  if (with_values && ctx.reply.protocol() >= 3) ctx.reply.array(2);
  ctx.reply.bulk(pair.first);
  if (with_values) ctx.reply.bulk(pair.second);
}

void hrandfield_with_count(CommandContext& ctx, Args args) {
  int64_t count;
  if (!int_arg(ctx, args[2], &count)) return;
  if (count == std::numeric_limits<int64_t>::min()) {
    ctx.reply.error(kErrRandomCountRange);
    return;
  }
  const bool with_values = args.size() == 4;
  if (args.size() > 4 || (with_values && !iequals(args[3], "withvalues"))) {
    ctx.reply.error(kErrSyntax);
    return;
  }
  const uint64_t magnitude = count < 0 ? static_cast<uint64_t>(-count) : count;
  if ((with_values && magnitude > std::numeric_limits<int64_t>::max() / 2) ||
      too_many_random_picks(count)) {
    ctx.reply.error(kErrOutOfRange);
    return;
  }
  Typed<HashValue> found = read_value<HashValue>(ctx, args[1]);
  if (found.wrong_type) return;
  if (!found.value || count == 0) {
    ctx.reply.array(0);
    return;
  }
  const HashValue& hash = *found.value;
  const size_t per_pick = with_values && ctx.reply.protocol() < 3 ? 2 : 1;
  std::mt19937_64& rng = ctx.keyspace.rng();
  if (count < 0) {
    ctx.reply.array(magnitude * per_pick);
    if (hash.is_listpack()) {
      // Index the listpack once rather than walking it for every pick.
      std::vector<HashValue::Pair> pairs;
      pairs.reserve(hash.size());
      hash.for_each([&](std::string_view f, std::string_view v) { pairs.emplace_back(f, v); });
      for (uint64_t i = 0; i < magnitude; ++i)
        reply_random_pair(ctx, pairs[rng() % pairs.size()], with_values);
      return;
    }
    for (uint64_t i = 0; i < magnitude; ++i)
      reply_random_pair(ctx, hash.random_pair(rng), with_values);
    return;
  }
  std::vector<HashValue::Pair> picked = hash.random_distinct(magnitude, rng);
  ctx.reply.array(picked.size() * per_pick);
  for (const HashValue::Pair& pair : picked)
    reply_random_pair(ctx, pair, with_values);
}

void hrandfield_command(CommandContext& ctx, Args args) {
  if (args.size() >= 3) {
    hrandfield_with_count(ctx, args);
    return;
  }
  Typed<HashValue> found = read_value<HashValue>(ctx, args[1]);
  if (found.wrong_type) return;
  if (!found.value) {
    ctx.reply.null();
    return;
  }
  ctx.reply.bulk(found.value->random_pair(ctx.keyspace.rng()).first);
}

// ---------------------------------------------------------------------------
// HSCAN key cursor [MATCH pattern] [COUNT count]

// The cursor is a hash threshold for a hashtable (see ScanTable::scan), so a
// field present for the whole iteration is returned at least once however
// the hash grows or shrinks in between; a listpack replies whole.
void hscan_command(CommandContext& ctx, Args args) {
  uint64_t cursor;
  if (!scan_cursor_arg(ctx, args[2], &cursor)) return;
  Typed<HashValue> found = read_value<HashValue>(ctx, args[1]);
  if (found.wrong_type) return;
  if (!found.value) return reply_scan_start(ctx, 0, 0);
  ScanOptions opts;
  if (!scan_options_arg(ctx, args, 3, false, &opts)) return;
  std::vector<HashValue::Pair> pairs;
  uint64_t next =
      found.value->scan(cursor, opts.count, [&](std::string_view f, std::string_view v) {
        if (opts.matches(f)) pairs.emplace_back(f, v);
      });
  reply_scan_start(ctx, next, pairs.size() * 2);
  for (const auto& [field, value] : pairs) {
    ctx.reply.bulk(field);
    ctx.reply.bulk(value);
  }
}

// ---------------------------------------------------------------------------
// The table, with flags, ACL categories, key specs and tips as Redis 7.0's
// COMMAND INFO reports them.

constexpr uint32_t kReadFast = kAclRead | kAclHash | kAclFast;
constexpr uint32_t kReadSlow = kAclRead | kAclHash | kAclSlow;
constexpr uint32_t kWriteFast = kAclWrite | kAclHash | kAclFast;

constexpr std::string_view kTipsOutputOrder[] = {"nondeterministic_output_order"};
constexpr std::string_view kTipsOutput[] = {"nondeterministic_output"};

// One row per command reads better than one field per line.
// clang-format off
const CommandSpec kHashCommands[] = {
    {.name = "hset", .arity = -4, .flags = kWrite | kDenyOom | kFast, .acl = kWriteFast,
     .key_specs = one_key::kUpdate, .handler = hset_command, .group = "hash",
     .summary = "Sets fields of a hash to values, creating the hash if needed.", .since = "2.0.0",
     .complexity = "O(1) per field/value pair, O(N) for N pairs"},
    {.name = "hsetnx", .arity = 4, .flags = kWrite | kDenyOom | kFast, .acl = kWriteFast,
     .key_specs = one_key::kInsert, .handler = hsetnx_command, .group = "hash",
     .summary = "Sets a field of a hash only when the field is absent.", .since = "2.0.0",
     .complexity = "O(1)"},
    {.name = "hget", .arity = 3, .flags = kReadonly | kFast, .acl = kReadFast,
     .key_specs = one_key::kReadAccess, .handler = hget_command, .group = "hash",
     .summary = "Returns the value of a field of a hash.", .since = "2.0.0", .complexity = "O(1)"},
    {.name = "hmget", .arity = -3, .flags = kReadonly | kFast, .acl = kReadFast,
     .key_specs = one_key::kReadAccess, .handler = hmget_command, .group = "hash",
     .summary = "Returns the values of several fields of a hash.", .since = "2.0.0",
     .complexity = "O(N) for N fields requested"},
    {.name = "hmset", .arity = -4, .flags = kWrite | kDenyOom | kFast, .acl = kWriteFast,
     .key_specs = one_key::kUpdate, .handler = hmset_command, .group = "hash",
     .summary = "Sets fields of a hash to values (deprecated: HSET does the same).",
     .since = "2.0.0", .complexity = "O(N) for N fields set"},
    {.name = "hdel", .arity = -3, .flags = kWrite | kFast, .acl = kWriteFast,
     .key_specs = one_key::kDelete, .handler = hdel_command, .group = "hash",
     .summary = "Removes fields from a hash, and the key once it is empty.", .since = "2.0.0",
     .complexity = "O(N) for N fields removed"},
    {.name = "hexists", .arity = 3, .flags = kReadonly | kFast, .acl = kReadFast,
     .key_specs = one_key::kRead, .handler = hexists_command, .group = "hash",
     .summary = "Tells whether a hash has a field.", .since = "2.0.0", .complexity = "O(1)"},
    {.name = "hlen", .arity = 2, .flags = kReadonly | kFast, .acl = kReadFast,
     .key_specs = one_key::kRead, .handler = hlen_command, .group = "hash",
     .summary = "Returns the number of fields of a hash.", .since = "2.0.0", .complexity = "O(1)"},
    {.name = "hstrlen", .arity = 3, .flags = kReadonly | kFast, .acl = kReadFast,
     .key_specs = one_key::kRead, .handler = hstrlen_command, .group = "hash",
     .summary = "Returns the length of the value of a field of a hash.", .since = "3.2.0",
     .complexity = "O(1)"},
    {.name = "hkeys", .arity = 2, .flags = kReadonly, .acl = kReadSlow, .tips = kTipsOutputOrder,
     .key_specs = one_key::kReadAccess, .handler = hkeys_command, .group = "hash",
     .summary = "Returns every field of a hash.", .since = "2.0.0",
     .complexity = "O(N) for a hash of N fields"},
    {.name = "hvals", .arity = 2, .flags = kReadonly, .acl = kReadSlow, .tips = kTipsOutputOrder,
     .key_specs = one_key::kReadAccess, .handler = hvals_command, .group = "hash",
     .summary = "Returns every value of a hash.", .since = "2.0.0",
     .complexity = "O(N) for a hash of N fields"},
    {.name = "hgetall", .arity = 2, .flags = kReadonly, .acl = kReadSlow,
     .tips = kTipsOutputOrder, .key_specs = one_key::kReadAccess, .handler = hgetall_command,
     .group = "hash", .summary = "Returns every field and value of a hash.", .since = "2.0.0",
     .complexity = "O(N) for a hash of N fields"},
    {.name = "hincrby", .arity = 4, .flags = kWrite | kDenyOom | kFast, .acl = kWriteFast,
     .key_specs = one_key::kAccessUpdate, .handler = hincrby_command, .group = "hash",
     .summary = "Adds an integer to the integer value of a field of a hash.", .since = "2.0.0",
     .complexity = "O(1)"},
    {.name = "hincrbyfloat", .arity = 4, .flags = kWrite | kDenyOom | kFast, .acl = kWriteFast,
     .key_specs = one_key::kAccessUpdate, .handler = hincrbyfloat_command, .group = "hash",
     .summary = "Adds a floating-point number to the value of a field of a hash.",
     .since = "2.6.0", .complexity = "O(1)"},
    {.name = "hrandfield", .arity = -2, .flags = kReadonly, .acl = kReadSlow, .tips = kTipsOutput,
     .key_specs = one_key::kReadAccess, .handler = hrandfield_command, .group = "hash",
     .summary = "Returns random fields of a hash, optionally with their values.",
     .since = "6.2.0", .complexity = "O(N) for N fields returned"},
    {.name = "hscan", .arity = -3, .flags = kReadonly, .acl = kReadSlow, .tips = kTipsOutput,
     .key_specs = one_key::kReadAccess, .handler = hscan_command, .group = "hash",
     .summary = "Iterates over the fields and values of a hash.", .since = "2.8.0",
     .complexity = "O(1) per call, O(N) for a whole iteration"},
};
// clang-format on

}  // namespace

std::span<const CommandSpec> hash_commands() {
  return kHashCommands;
}

}  // namespace vireo
