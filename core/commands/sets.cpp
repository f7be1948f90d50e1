// Set commands (Redis's t_set.c family): SADD SREM SISMEMBER SMISMEMBER SMEMBERS SCARD SPOP
// SRANDMEMBER SMOVE, the algebra (SINTER SINTERCARD SUNION SDIFF and their STORE forms) and
// SSCAN. Values are SetValue (core/types/set_value.h).
#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "core/command_table.h"
#include "core/commands/arguments.h"
#include "core/commands/families.h"
#include "core/commands/scan_args.h"
#include "core/commands/store_destination.h"
#include "core/commands/typed_lookup.h"
#include "core/errors.h"
#include "core/glob.h"
#include "core/strconv.h"
#include "core/types/set_value.h"

namespace vireo {
namespace {

// Error texts only this family uses, worded as Redis 7.0 words them.
constexpr std::string_view kErrTooManyKeys =
    "ERR Number of keys can't be greater than number of args";
constexpr std::string_view kErrLimitNegative = "ERR LIMIT can't be negative";

// ---------------------------------------------------------------------------
// Shared pieces

// Members copied out of a set before it changes (SPOP) or while their views
// are transient (intset members, SSCAN): one byte arena, not a string each.
class MemberList {
 public:
  void push(std::string_view member) {
    bytes_.append(member);
    ends_.push_back(bytes_.size());
  }
  size_t size() const { return ends_.size(); }
  std::string_view operator[](size_t i) const {
    size_t begin = i == 0 ? 0 : ends_[i - 1];
    return std::string_view(bytes_).substr(begin, ends_[i] - begin);
  }

 private:
  std::string bytes_;
  std::vector<size_t> ends_;
};

// Replies every member of `set` as a RESP3 set (an array in RESP2).
void reply_members(CommandContext& ctx, const SetValue& set) {
  ctx.reply.set(set.size());
  set.for_each([&](std::string_view member) { ctx.reply.bulk(member); });
}

// ---------------------------------------------------------------------------
// One set

void sadd_command(CommandContext& ctx, Args args) {
  SetValue* set = value_or_create<SetValue>(ctx, args[1]);
  if (!set) return;
  int64_t added = 0;
  for (std::string_view member : args.subspan(2))
    added += set->add(member, ctx.limits.containers) ? 1 : 0;
  ctx.reply.integer(added);
  if (added == 0) return;
  ctx.propagate_as("SADD", args);
  ctx.notify(notify::kSet, "sadd", args[1]);
}

void srem_command(CommandContext& ctx, Args args) {
  Typed<SetValue> found = write_value<SetValue>(ctx, args[1]);
  if (found.wrong_type) return;
  int64_t removed = 0;
  if (found.value) {
    for (std::string_view member : args.subspan(2)) {
      removed += found.value->remove(member) ? 1 : 0;
      if (found.value->size() == 0) break;
    }
  }
  ctx.reply.integer(removed);
  if (removed == 0) return;
  ctx.propagate_as("SREM", args);
  ctx.notify(notify::kSet, "srem", args[1]);
  if (erase_if_empty(ctx, args[1], *found.value)) ctx.notify(notify::kGeneric, "del", args[1]);
}

void sismember_command(CommandContext& ctx, Args args) {
  Typed<SetValue> found = read_value<SetValue>(ctx, args[1]);
  if (found.wrong_type) return;
  ctx.reply.integer(found.value && found.value->contains(args[2]) ? 1 : 0);
}

void smismember_command(CommandContext& ctx, Args args) {
  Typed<SetValue> found = read_value<SetValue>(ctx, args[1]);
  if (found.wrong_type) return;
  Args members = args.subspan(2);
  ctx.reply.array(members.size());
  for (std::string_view member : members)
    ctx.reply.integer(found.value && found.value->contains(member) ? 1 : 0);
}

void smembers_command(CommandContext& ctx, Args args) {
  Typed<SetValue> found = read_value<SetValue>(ctx, args[1]);
  if (found.wrong_type) return;
  if (!found.value) {
    ctx.reply.set(0);
    return;
  }
  reply_members(ctx, *found.value);
}

void scard_command(CommandContext& ctx, Args args) {
  Typed<SetValue> found = read_value<SetValue>(ctx, args[1]);
  if (found.wrong_type) return;
  ctx.reply.integer(found.value ? static_cast<int64_t>(found.value->size()) : 0);
}

// ---------------------------------------------------------------------------
// SPOP and SRANDMEMBER

// SPOP key: one random member, propagated as the SREM of it.
void spop_one(CommandContext& ctx, std::string_view key) {
  Typed<SetValue> found = write_value<SetValue>(ctx, key);
  if (found.wrong_type) return;
  if (!found.value) {
    ctx.reply.null();
    return;
  }
  char buf[kInt64Chars];
  std::string_view member = found.value->random_member(ctx.keyspace.rng(), buf);
  ctx.reply.bulk(member);
  ctx.propagate({"SREM", key, member});
  found.value->remove(member);
  ctx.notify(notify::kSet, "spop", key);
  if (erase_if_empty(ctx, key, *found.value)) ctx.notify(notify::kGeneric, "del", key);
}

// SPOP key count: the members taken are propagated as one SREM, or as DEL
// when they are the whole set (as Redis 7.0 does).
void spop_count(CommandContext& ctx, std::string_view key, std::string_view count_arg) {
  auto count = parse_int64(count_arg);
  if (!count || *count < 0) {
    ctx.reply.error(kErrMustBePositive);
    return;
  }
  Typed<SetValue> found = write_value<SetValue>(ctx, key);
  if (found.wrong_type) return;
  if (!found.value || *count == 0) {
    ctx.reply.set(0);
    return;
  }
  SetValue& set = *found.value;
  if (static_cast<uint64_t>(*count) >= set.size()) {
    reply_members(ctx, set);
    ctx.db().erase(key);
    ctx.propagate({"DEL", key});
    ctx.notify(notify::kSet, "spop", key);
    ctx.notify(notify::kGeneric, "del", key);
    return;
  }
  const auto k = static_cast<size_t>(*count);
  MemberList taken;
  set.random_distinct(k, ctx.keyspace.rng(), [&](std::string_view m) { taken.push(m); });
  EffectArgv effect(k + 2);
  effect.push("SREM");
  effect.push(key);
  ctx.reply.set(k);
  for (size_t i = 0; i < k; ++i) {
    ctx.reply.bulk(taken[i]);
    effect.push(taken[i]);
  }
  ctx.propagate(effect.args());
  for (size_t i = 0; i < k; ++i)
    set.remove(taken[i]);
  ctx.notify(notify::kSet, "spop", key);
}

void spop_command(CommandContext& ctx, Args args) {
  if (args.size() > 3) {
    ctx.reply.error(kErrSyntax);
  } else if (args.size() == 3) {
    spop_count(ctx, args[1], args[2]);
  } else {
    spop_one(ctx, args[1]);
  }
}

// SRANDMEMBER key count: distinct members for a positive count, independent
// draws for a negative one; always an array, even in RESP3.
void srandmember_count(CommandContext& ctx, std::string_view key, std::string_view count_arg) {
  auto count = parse_int64(count_arg);
  if (!count) {
    ctx.reply.error(kErrNotInteger);
    return;
  }
  if (*count == INT64_MIN) {
    ctx.reply.error(kErrRandomCountRange);
    return;
  }
  if (too_many_random_picks(*count)) {
    ctx.reply.error(kErrOutOfRange);
    return;
  }
  Typed<SetValue> found = read_value<SetValue>(ctx, key);
  if (found.wrong_type) return;
  if (!found.value || *count == 0) {
    ctx.reply.array(0);
    return;
  }
  const SetValue& set = *found.value;
  auto bulk = [&](std::string_view m) { ctx.reply.bulk(m); };
  if (*count < 0) {
    const auto k = static_cast<size_t>(-*count);
    ctx.reply.array(k);
    set.random_with_repeats(k, ctx.keyspace.rng(), bulk);
  } else if (static_cast<uint64_t>(*count) >= set.size()) {
    ctx.reply.array(set.size());
    set.for_each(bulk);
  } else {
    const auto k = static_cast<size_t>(*count);
    ctx.reply.array(k);
    set.random_distinct(k, ctx.keyspace.rng(), bulk);
  }
}

void srandmember_command(CommandContext& ctx, Args args) {
  if (args.size() > 3) {
    ctx.reply.error(kErrSyntax);
    return;
  }
  if (args.size() == 3) {
    srandmember_count(ctx, args[1], args[2]);
    return;
  }
  Typed<SetValue> found = read_value<SetValue>(ctx, args[1]);
  if (found.wrong_type) return;
  if (!found.value) {
    ctx.reply.null();
    return;
  }
  char buf[kInt64Chars];
  ctx.reply.bulk(found.value->random_member(ctx.keyspace.rng(), buf));
}

// ---------------------------------------------------------------------------
// SMOVE

void smove_command(CommandContext& ctx, Args args) {
  std::string_view source = args[1], destination = args[2], member = args[3];
  Database& db = ctx.db();
  // Both keys are looked up (and expired) before anything is decided, as in
  // Redis; the source again afterwards since the second lookup may write.
  db.find_and_touch(source);
  Entry* dst = db.find_and_touch(destination);
  Entry* src = db.find(source);
  if (!src) {
    ctx.reply.integer(0);
    return;
  }
  if (src->type() != ValueType::kSet || (dst && dst->type() != ValueType::kSet)) {
    ctx.reply.error(kErrWrongType);
    return;
  }
  SetValue* from = src->value_as<SetValue>();
  if (source == destination) {
    ctx.reply.integer(from->contains(member) ? 1 : 0);
    return;
  }
  if (!from->remove(member)) {
    ctx.reply.integer(0);
    return;
  }
  ctx.notify(notify::kSet, "srem", source);
  if (erase_if_empty(ctx, source, *from)) ctx.notify(notify::kGeneric, "del", source);
  // A destination that already had the member changes nothing: no "sadd".
  if (value_or_create<SetValue>(ctx, destination)->add(member, ctx.limits.containers)) {
    ctx.notify(notify::kSet, "sadd", destination);
  }
  ctx.reply.integer(1);
  ctx.propagate({"SMOVE", source, destination, member});
}

// ---------------------------------------------------------------------------
// SINTER SUNION SDIFF, SINTERCARD and the STORE forms

enum class SetOp { kInter, kUnion, kDiff };

// The sets under `keys` (nullptr for an absent key), looked up for reading or,
// for the STORE forms, for writing. False after a WRONGTYPE reply.
bool lookup_sets(CommandContext& ctx, Args keys, bool for_store,
                 std::vector<const SetValue*>* sets) {
  sets->reserve(keys.size());
  for (std::string_view key : keys) {
    Typed<SetValue> found =
        for_store ? write_value<SetValue>(ctx, key) : read_value<SetValue>(ctx, key);
    if (found.wrong_type) return false;
    // The value object outlives later lookups: only its own key's deletion frees it.
    sets->push_back(found.value);
  }
  return true;
}

// Calls visit(member) for each member of the intersection (which has no
// repeats), smallest set first, until visit returns false.
template <class Visit>
void for_each_common(std::vector<const SetValue*> sets, Visit&& visit) {
  if (std::find(sets.begin(), sets.end(), nullptr) != sets.end()) return;
  std::sort(sets.begin(), sets.end(),
            [](const SetValue* a, const SetValue* b) { return a->size() < b->size(); });
  bool more = true;
  sets[0]->for_each([&](std::string_view member) {
    if (!more) return;
    for (size_t i = 1; i < sets.size(); ++i) {
      if (sets[i] != sets[0] && !sets[i]->contains(member)) return;
    }
    more = visit(member);
  });
}

std::unique_ptr<SetValue> compute(CommandContext& ctx, SetOp op,
                                  const std::vector<const SetValue*>& sets) {
  const ContainerLimits& limits = ctx.limits.containers;
  auto result = std::make_unique<SetValue>(limits);
  auto add = [&](std::string_view member) { result->add(member, limits); };
  switch (op) {
    case SetOp::kInter:
      for_each_common(sets, [&](std::string_view member) {
        add(member);
        return true;
      });
      break;
    case SetOp::kUnion:
      for (const SetValue* set : sets) {
        if (set) set->for_each(add);
      }
      break;
    case SetOp::kDiff:
      if (!sets[0]) break;
      sets[0]->for_each([&](std::string_view member) {
        for (size_t i = 1; i < sets.size(); ++i) {
          if (sets[i] && sets[i]->contains(member)) return;
        }
        add(member);
      });
      break;
  }
  return result;
}

// SINTER / SUNION / SDIFF key [key ...]
void set_op_reply(CommandContext& ctx, Args args, SetOp op) {
  std::vector<const SetValue*> sets;
  if (!lookup_sets(ctx, args.subspan(1), false, &sets)) return;
  reply_members(ctx, *compute(ctx, op, sets));
}

// The spellings of a STORE form: its effect's name and its event's.
struct StoreNames {
  std::string_view command;
  std::string_view event;
};

// SINTERSTORE / SUNIONSTORE / SDIFFSTORE destination key [key ...]: the
// destination is replaced whatever it held, and deleted when the result is
// empty. The effect is the command itself (its sources are part of the state
// it replays onto, so it rebuilds the same set), or DEL for an empty result.
void set_op_store(CommandContext& ctx, Args args, SetOp op, StoreNames names) {
  std::string_view destination = args[1];
  std::vector<const SetValue*> sets;
  if (!lookup_sets(ctx, args.subspan(2), true, &sets)) return;
  std::unique_ptr<SetValue> result = compute(ctx, op, sets);
  const auto size = static_cast<int64_t>(result->size());
  ctx.reply.integer(size);
  if (size == 0) {
    if (ctx.db().erase(destination)) {
      ctx.propagate({"DEL", destination});
      ctx.notify(notify::kGeneric, "del", destination);
    }
    return;
  }
  store_container(ctx, destination, ValueType::kSet, std::move(result));
  ctx.propagate_as(names.command, args);
  ctx.notify(notify::kSet, names.event, destination);
}

void sinter_command(CommandContext& ctx, Args args) {
  set_op_reply(ctx, args, SetOp::kInter);
}
void sunion_command(CommandContext& ctx, Args args) {
  set_op_reply(ctx, args, SetOp::kUnion);
}
void sdiff_command(CommandContext& ctx, Args args) {
  set_op_reply(ctx, args, SetOp::kDiff);
}
void sinterstore_command(CommandContext& ctx, Args args) {
  set_op_store(ctx, args, SetOp::kInter, {"SINTERSTORE", "sinterstore"});
}
void sunionstore_command(CommandContext& ctx, Args args) {
  set_op_store(ctx, args, SetOp::kUnion, {"SUNIONSTORE", "sunionstore"});
}
void sdiffstore_command(CommandContext& ctx, Args args) {
  set_op_store(ctx, args, SetOp::kDiff, {"SDIFFSTORE", "sdiffstore"});
}

// SINTERCARD numkeys key [key ...] [LIMIT limit]; LIMIT 0 means none.
void sintercard_command(CommandContext& ctx, Args args) {
  auto numkeys = parse_int64(args[1]);
  if (!numkeys || *numkeys <= 0) {
    ctx.reply.error(kErrNumkeys);
    return;
  }
  if (static_cast<uint64_t>(*numkeys) > args.size() - 2) {
    ctx.reply.error(kErrTooManyKeys);
    return;
  }
  const auto keys_end = static_cast<size_t>(*numkeys) + 2;
  int64_t limit = 0;
  for (size_t i = keys_end; i < args.size(); i += 2) {
    if (!iequals(args[i], "limit") || i + 1 >= args.size()) {
      ctx.reply.error(kErrSyntax);
      return;
    }
    auto parsed = parse_int64(args[i + 1]);
    if (!parsed || *parsed < 0) {
      ctx.reply.error(kErrLimitNegative);
      return;
    }
    limit = *parsed;
  }
  std::vector<const SetValue*> sets;
  if (!lookup_sets(ctx, args.subspan(2, keys_end - 2), false, &sets)) return;
  int64_t count = 0;
  for_each_common(sets, [&](std::string_view) { return ++count != limit; });
  ctx.reply.integer(count);
}

// ---------------------------------------------------------------------------
// SSCAN key cursor [MATCH pattern] [COUNT count]

void sscan_command(CommandContext& ctx, Args args) {
  uint64_t cursor;
  if (!scan_cursor_arg(ctx, args[2], &cursor)) return;
  Typed<SetValue> found = read_value<SetValue>(ctx, args[1]);
  if (found.wrong_type) return;
  if (!found.value) return reply_scan_start(ctx, 0, 0);
  // Options are read only for a set that exists, as in Redis.
  ScanOptions opts;
  if (!scan_options_arg(ctx, args, 3, false, &opts)) return;
  MemberList members;
  uint64_t next = found.value->scan(cursor, opts.count, [&](std::string_view member) {
    if (opts.matches(member)) members.push(member);
  });
  reply_scan_start(ctx, next, members.size());
  for (size_t i = 0; i < members.size(); ++i)
    ctx.reply.bulk(members[i]);
}

// ---------------------------------------------------------------------------
// The table, with flags, ACL categories, key specs and tips as Redis 7.0's
// COMMAND INFO reports them.

constexpr uint32_t kReadFast = kAclRead | kAclSet | kAclFast;
constexpr uint32_t kReadSlow = kAclRead | kAclSet | kAclSlow;
constexpr uint32_t kWriteFast = kAclWrite | kAclSet | kAclFast;
constexpr uint32_t kWriteSlow = kAclWrite | kAclSet | kAclSlow;

constexpr KeySpec kReadAccessKeys[] = {key_range(kKeyRO | kKeyAccess, 1, -1)};
constexpr KeySpec kMoveKeys[] = {key_range(kKeyRW | kKeyAccess | kKeyDelete, 1),
                                 key_range(kKeyRW | kKeyInsert, 2)};
// Redis 7.0 flags SINTERSTORE's destination RW, the other two OW.
constexpr KeySpec kInterStoreKeys[] = {key_range(kKeyRW | kKeyUpdate, 1),
                                       key_range(kKeyRO | kKeyAccess, 2, -1)};
constexpr KeySpec kStoreKeys[] = {key_range(kKeyOW | kKeyUpdate, 1),
                                  key_range(kKeyRO | kKeyAccess, 2, -1)};
constexpr KeySpec kNumkeysKeys[] = {{.flags = kKeyRO | kKeyAccess,
                                     .begin_search = begin_index(1),
                                     .find_keys = find_keynum(0, 1, 1)}};
constexpr std::string_view kTipsOrder[] = {"nondeterministic_output_order"};
constexpr std::string_view kTipsRandom[] = {"nondeterministic_output"};

constexpr std::string_view kAlgebraComplexity =
    "O(N*M) worst case where N is the cardinality of the smallest set and M is the number of "
    "sets.";
constexpr std::string_view kTotalComplexity =
    "O(N) where N is the total number of elements in all given sets.";

// One row per command reads better than one field per line.
// clang-format off
const CommandSpec kSetCommands[] = {
    {.name = "sadd", .arity = -3, .flags = kWrite | kDenyOom | kFast, .acl = kWriteFast,
     .key_specs = one_key::kInsert, .handler = sadd_command, .group = "set",
     .summary = "Adds members to a set, creating it when absent.", .since = "1.0.0",
     .complexity = "O(1) for each element added."},
    {.name = "srem", .arity = -3, .flags = kWrite | kFast, .acl = kWriteFast,
     .key_specs = one_key::kDelete, .handler = srem_command, .group = "set",
     .summary = "Removes members from a set; deletes it when emptied.", .since = "1.0.0",
     .complexity = "O(N) where N is the number of members to be removed."},
    {.name = "sismember", .arity = 3, .flags = kReadonly | kFast, .acl = kReadFast,
     .key_specs = one_key::kRead, .handler = sismember_command, .group = "set",
     .summary = "Tells whether a member belongs to a set.", .since = "1.0.0",
     .complexity = "O(1)"},
    {.name = "smismember", .arity = -3, .flags = kReadonly | kFast, .acl = kReadFast,
     .key_specs = one_key::kReadAccess, .handler = smismember_command, .group = "set",
     .summary = "Tells, for each of several members, whether it belongs to a set.",
     .since = "6.2.0", .complexity = "O(N) where N is the number of elements being checked."},
    {.name = "smembers", .arity = 2, .flags = kReadonly, .acl = kReadSlow, .tips = kTipsOrder,
     .key_specs = one_key::kReadAccess, .handler = smembers_command, .group = "set",
     .summary = "Returns every member of a set.", .since = "1.0.0",
     .complexity = "O(N) where N is the set cardinality."},
    {.name = "scard", .arity = 2, .flags = kReadonly | kFast, .acl = kReadFast,
     .key_specs = one_key::kRead, .handler = scard_command, .group = "set",
     .summary = "Returns the number of members of a set.", .since = "1.0.0",
     .complexity = "O(1)"},
    {.name = "spop", .arity = -2, .flags = kWrite | kFast, .acl = kWriteFast,
     .tips = kTipsRandom, .key_specs = one_key::kAccessDelete, .handler = spop_command,
     .group = "set",
     .summary = "Removes and returns random members of a set.", .since = "1.0.0",
     .complexity = "O(1) without count, else O(N) where N is count."},
    {.name = "srandmember", .arity = -2, .flags = kReadonly, .acl = kReadSlow,
     .tips = kTipsRandom, .key_specs = one_key::kReadAccess, .handler = srandmember_command,
     .group = "set", .summary = "Returns random members of a set, distinct or not.",
     .since = "1.0.0", .complexity = "O(1) without count, else O(N) where N is |count|."},
    {.name = "smove", .arity = 4, .flags = kWrite | kFast, .acl = kWriteFast,
     .key_specs = kMoveKeys, .handler = smove_command, .group = "set",
     .summary = "Moves a member from one set to another.", .since = "1.0.0",
     .complexity = "O(1)"},
    {.name = "sinter", .arity = -2, .flags = kReadonly, .acl = kReadSlow, .tips = kTipsOrder,
     .key_specs = kReadAccessKeys, .handler = sinter_command, .group = "set",
     .summary = "Returns the intersection of sets.", .since = "1.0.0",
     .complexity = kAlgebraComplexity},
    {.name = "sintercard", .arity = -3, .flags = kReadonly, .acl = kReadSlow,
     .key_specs = kNumkeysKeys, .handler = sintercard_command, .group = "set",
     .summary = "Returns the size of the intersection of sets, optionally capped.",
     .since = "7.0.0", .complexity = kAlgebraComplexity},
    {.name = "sinterstore", .arity = -3, .flags = kWrite | kDenyOom, .acl = kWriteSlow,
     .key_specs = kInterStoreKeys, .handler = sinterstore_command, .group = "set",
     .summary = "Stores the intersection of sets in a key.", .since = "1.0.0",
     .complexity = kAlgebraComplexity},
    {.name = "sunion", .arity = -2, .flags = kReadonly, .acl = kReadSlow, .tips = kTipsOrder,
     .key_specs = kReadAccessKeys, .handler = sunion_command, .group = "set",
     .summary = "Returns the union of sets.", .since = "1.0.0",
     .complexity = kTotalComplexity},
    {.name = "sunionstore", .arity = -3, .flags = kWrite | kDenyOom, .acl = kWriteSlow,
     .key_specs = kStoreKeys, .handler = sunionstore_command, .group = "set",
     .summary = "Stores the union of sets in a key.", .since = "1.0.0",
     .complexity = kTotalComplexity},
    {.name = "sdiff", .arity = -2, .flags = kReadonly, .acl = kReadSlow, .tips = kTipsOrder,
     .key_specs = kReadAccessKeys, .handler = sdiff_command, .group = "set",
     .summary = "Returns the members of the first set that no other set has.",
     .since = "1.0.0", .complexity = kTotalComplexity},
    {.name = "sdiffstore", .arity = -3, .flags = kWrite | kDenyOom, .acl = kWriteSlow,
     .key_specs = kStoreKeys, .handler = sdiffstore_command, .group = "set",
     .summary = "Stores the difference of sets in a key.", .since = "1.0.0",
     .complexity = kTotalComplexity},
    {.name = "sscan", .arity = -3, .flags = kReadonly, .acl = kReadSlow, .tips = kTipsRandom,
     .key_specs = one_key::kReadAccess, .handler = sscan_command, .group = "set",
     .summary = "Iterates over the members of a set.", .since = "2.8.0",
     .complexity = "O(1) for every call. O(N) for a complete iteration."},
};
// clang-format on

}  // namespace

std::span<const CommandSpec> set_commands() {
  return kSetCommands;
}

}  // namespace vireo
