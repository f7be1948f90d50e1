// List commands (Redis's t_list.c family): pushes and pops at both ends, indexed
// access, LINSERT/LREM/LTRIM/LPOS, moves between lists, and the blocking pops,
// which serve at once when they can and otherwise ask the server to park them.
#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "core/command_table.h"
#include "core/commands/arguments.h"
#include "core/commands/families.h"
#include "core/commands/typed_lookup.h"
#include "core/errors.h"
#include "core/strconv.h"
#include "core/types/list_value.h"

namespace vireo {
namespace {

// Error texts only this family uses, worded as Redis 7.0 words them.
constexpr std::string_view kErrIndexRange = "ERR index out of range";
constexpr std::string_view kErrRankZero =
    "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use "
    "negative to start from the end of the list";
constexpr std::string_view kErrCountNegative = "ERR COUNT can't be negative";
constexpr std::string_view kErrMaxlenNegative = "ERR MAXLEN can't be negative";
constexpr std::string_view kErrCountPositive = "ERR count should be greater than 0";

using End = ListValue::End;

std::string_view end_name(End end) {
  return end == End::kHead ? "LEFT" : "RIGHT";
}

// The keyspace events of a push or a pop at `end`, whatever the command
// (LPUSHX, LMOVE, BLMPOP...).
std::string_view push_event(End end) {
  return end == End::kHead ? "lpush" : "rpush";
}
std::string_view pop_event(End end) {
  return end == End::kHead ? "lpop" : "rpop";
}

// LEFT or RIGHT, in any case; replies a syntax error otherwise.
bool end_arg(CommandContext& ctx, std::string_view arg, End* end) {
  if (iequals(arg, "left")) {
    *end = End::kHead;
  } else if (iequals(arg, "right")) {
    *end = End::kTail;
  } else {
    ctx.reply.error(kErrSyntax);
    return false;
  }
  return true;
}

// An integer in [1, INT64_MAX]; anything else replies `error` (Redis's range
// check for numkeys and COUNT says the same for a non-number).
bool positive_arg(CommandContext& ctx, std::string_view arg, std::string_view error, int64_t* out) {
  auto v = parse_int64(arg);
  if (!v || *v < 1) {
    ctx.reply.error(error);
    return false;
  }
  *out = *v;
  return true;
}

// Propagates a pop of `n` elements, or of one without a count.
void propagate_pop(CommandContext& ctx, End end, std::string_view key, std::optional<size_t> n) {
  std::string_view name = end == End::kHead ? "LPOP" : "RPOP";
  if (!n) {
    ctx.propagate({name, key});
    return;
  }
  char buf[24];
  ctx.propagate({name, key, int_text(static_cast<int64_t>(*n), buf)});
}

// Replies up to `count` elements taken from `end` as an array (in the order
// they leave the list) and removes them; returns how many.
size_t reply_and_pop(CommandContext& ctx, ListValue& list, End end, uint64_t count) {
  size_t n = static_cast<size_t>(std::min<uint64_t>(count, list.size()));
  ctx.reply.array(n);
  if (end == End::kHead) {
    auto it = list.begin();
    for (size_t i = 0; i < n; ++i, ++it)
      ctx.reply.bulk(*it);
  } else {
    auto it = list.cursor_at(list.size() - 1);
    for (size_t i = 0; i < n; ++i, --it)
      ctx.reply.bulk(*it);
  }
  list.pop(end, n);
  return n;
}

// Redis's normalisation of a [start, stop] index pair against a list of
// `len` elements: negative counts from the tail, the result is clamped, and
// an empty range gives n == 0.
struct Range {
  size_t first = 0, n = 0;
};
Range normalize_range(int64_t start, int64_t stop, size_t len) {
  const auto slen = static_cast<int64_t>(len);
  if (start < 0) start += slen;
  if (stop < 0) stop += slen;
  if (start < 0) start = 0;
  if (start > stop || start >= slen) return {};
  if (stop >= slen) stop = slen - 1;
  return {static_cast<size_t>(start), static_cast<size_t>(stop - start + 1)};
}

// ---------------------------------------------------------------------------
// Pushes

// LPUSH/RPUSH and, with `existing_only`, LPUSHX/RPUSHX.
void push_command(CommandContext& ctx, Args args, End end, bool existing_only) {
  std::string_view key = args[1];
  ListValue* list;
  if (existing_only) {
    auto found = write_value<ListValue>(ctx, key);
    if (found.wrong_type) return;
    if (!found.value) {
      ctx.reply.integer(0);
      return;
    }
    list = found.value;
  } else {
    list = value_or_create<ListValue>(ctx, key);
    if (!list) return;
  }
  for (std::string_view value : args.subspan(2))
    list->push(end, value);
  ctx.reply.integer(static_cast<int64_t>(list->size()));
  std::string_view name = end == End::kHead ? (existing_only ? "LPUSHX" : "LPUSH")
                                            : (existing_only ? "RPUSHX" : "RPUSH");
  ctx.propagate_as(name, args);
  ctx.notify(notify::kList, push_event(end), key);
}

void lpush_command(CommandContext& ctx, Args args) {
  push_command(ctx, args, End::kHead, false);
}
void rpush_command(CommandContext& ctx, Args args) {
  push_command(ctx, args, End::kTail, false);
}
void lpushx_command(CommandContext& ctx, Args args) {
  push_command(ctx, args, End::kHead, true);
}
void rpushx_command(CommandContext& ctx, Args args) {
  push_command(ctx, args, End::kTail, true);
}

// ---------------------------------------------------------------------------
// Pops

// LPOP/RPOP key [count]: one element as a bulk string, or with a count an
// array of up to count (a missing key is a null array then).
void pop_command(CommandContext& ctx, Args args, End end, std::string_view name) {
  if (args.size() > 3) {
    ctx.reply.error(fmt::format("ERR wrong number of arguments for '{}' command", name));
    return;
  }
  std::string_view key = args[1];
  const bool has_count = args.size() == 3;
  int64_t count = 1;
  if (has_count) {
    auto v = parse_int64(args[2]);
    if (!v || *v < 0) {
      ctx.reply.error(kErrMustBePositive);
      return;
    }
    count = *v;
  }
  auto found = write_value<ListValue>(ctx, key);
  if (found.wrong_type) return;
  if (!found.value) {
    if (has_count) {
      ctx.reply.null_array();
    } else {
      ctx.reply.null();
    }
    return;
  }
  ListValue& list = *found.value;
  if (!has_count) {
    ctx.reply.bulk(list.peek(end));
    list.pop(end);
    propagate_pop(ctx, end, key, std::nullopt);
  } else {
    size_t n = reply_and_pop(ctx, list, end, static_cast<uint64_t>(count));
    if (n == 0) return;  // COUNT 0 changes nothing
    propagate_pop(ctx, end, key, n);
  }
  ctx.notify(notify::kList, pop_event(end), key);
  erase_if_empty_notify(ctx, key, list);
}

void lpop_command(CommandContext& ctx, Args args) {
  pop_command(ctx, args, End::kHead, "lpop");
}
void rpop_command(CommandContext& ctx, Args args) {
  pop_command(ctx, args, End::kTail, "rpop");
}

// ---------------------------------------------------------------------------
// Reads

void llen_command(CommandContext& ctx, Args args) {
  auto found = read_value<ListValue>(ctx, args[1]);
  if (found.wrong_type) return;
  ctx.reply.integer(found.value ? static_cast<int64_t>(found.value->size()) : 0);
}

void lrange_command(CommandContext& ctx, Args args) {
  int64_t start, stop;
  if (!int_arg(ctx, args[2], &start) || !int_arg(ctx, args[3], &stop)) return;
  auto found = read_value<ListValue>(ctx, args[1]);
  if (found.wrong_type) return;
  if (!found.value) {
    ctx.reply.array(0);
    return;
  }
  const ListValue& list = *found.value;
  Range r = normalize_range(start, stop, list.size());
  ctx.reply.array(r.n);
  if (r.n == 0) return;
  auto it = list.cursor_at(r.first);
  for (size_t i = 0; i < r.n; ++i, ++it)
    ctx.reply.bulk(*it);
}

void lindex_command(CommandContext& ctx, Args args) {
  auto found = read_value<ListValue>(ctx, args[1]);
  if (found.wrong_type) return;
  if (!found.value) {
    ctx.reply.null();
    return;
  }
  int64_t index;
  if (!int_arg(ctx, args[2], &index)) return;
  if (auto value = found.value->at(index)) {
    ctx.reply.bulk(*value);
  } else {
    ctx.reply.null();
  }
}

// LPOS key element [RANK rank] [COUNT count] [MAXLEN len]
struct LposOptions {
  int64_t rank = 1;
  int64_t count = 0;
  int64_t maxlen = 0;
  bool has_count = false;
};

bool parse_lpos_options(CommandContext& ctx, Args args, LposOptions* o) {
  for (size_t i = 3; i < args.size(); i += 2) {
    std::string_view opt = args[i];
    if (i + 1 >= args.size()) {
      ctx.reply.error(kErrSyntax);
      return false;
    }
    std::string_view value = args[i + 1];
    if (iequals(opt, "rank")) {
      if (!int_arg(ctx, value, &o->rank)) return false;
      if (o->rank == 0) {
        ctx.reply.error(kErrRankZero);
        return false;
      }
    } else if (iequals(opt, "count") || iequals(opt, "maxlen")) {
      const bool is_count = opt.size() == 5;
      auto v = parse_int64(value);
      if (!v || *v < 0) {
        ctx.reply.error(is_count ? kErrCountNegative : kErrMaxlenNegative);
        return false;
      }
      (is_count ? o->count : o->maxlen) = *v;
      o->has_count |= is_count;
    } else {
      ctx.reply.error(kErrSyntax);
      return false;
    }
  }
  return true;
}

// Calls on_match(index) for each match LPOS reports, in walk order (a COUNT
// of 0 or none at all is decided by the caller: without COUNT it stops after
// the first). Redis negates a negative rank in 64-bit arithmetic, so RANK
// -9223372036854775808 stays negative: every match qualifies and the COUNT
// test (which subtracts the rank) never stops the walk. Unsigned arithmetic
// reproduces that without overflowing.
template <class OnMatch>
void lpos_walk(const ListValue& list, std::string_view element, const LposOptions& o,
               OnMatch on_match) {
  const bool from_tail = o.rank < 0;
  const auto rank = static_cast<int64_t>(from_tail ? 0 - static_cast<uint64_t>(o.rank)
                                                   : static_cast<uint64_t>(o.rank));
  const size_t len = list.size();
  const size_t limit =
      o.maxlen == 0 ? len : std::min(len, static_cast<size_t>(static_cast<uint64_t>(o.maxlen)));
  if (limit == 0) return;
  auto it = from_tail ? list.cursor_at(len - 1) : list.begin();
  int64_t matches = 0;
  for (size_t i = 0; i < limit; ++i) {
    if (*it == element && ++matches >= rank) {
      on_match(static_cast<int64_t>(from_tail ? len - 1 - i : i));
      if (!o.has_count) return;
      auto taken =
          static_cast<int64_t>(static_cast<uint64_t>(matches) - static_cast<uint64_t>(rank) + 1);
      if (o.count != 0 && taken >= o.count) return;
    }
    if (from_tail) {
      --it;
    } else {
      ++it;
    }
  }
}

void lpos_command(CommandContext& ctx, Args args) {
  LposOptions o;
  if (!parse_lpos_options(ctx, args, &o)) return;
  auto found = read_value<ListValue>(ctx, args[1]);
  if (found.wrong_type) return;
  if (!o.has_count) {
    std::optional<int64_t> first;
    if (found.value) lpos_walk(*found.value, args[2], o, [&](int64_t i) { first = i; });
    if (first) {
      ctx.reply.integer(*first);
    } else {
      ctx.reply.null();
    }
    return;
  }
  // The reply's length is known only after the walk.
  std::vector<int64_t> matches;
  if (found.value) {
    lpos_walk(*found.value, args[2], o, [&](int64_t i) { matches.push_back(i); });
  }
  ctx.reply.array(matches.size());
  for (int64_t index : matches)
    ctx.reply.integer(index);
}

// ---------------------------------------------------------------------------
// In-place changes

void lset_command(CommandContext& ctx, Args args) {
  auto found = write_value<ListValue>(ctx, args[1]);
  if (found.wrong_type) return;
  if (!found.value) {
    ctx.reply.error(kErrNoSuchKey);
    return;
  }
  int64_t index;
  if (!int_arg(ctx, args[2], &index)) return;
  if (!found.value->set(index, args[3])) {
    ctx.reply.error(kErrIndexRange);
    return;
  }
  ctx.reply.ok();
  ctx.propagate_as("LSET", args);
  ctx.notify(notify::kList, "lset", args[1]);
}

void linsert_command(CommandContext& ctx, Args args) {
  bool after;
  if (iequals(args[2], "after")) {
    after = true;
  } else if (iequals(args[2], "before")) {
    after = false;
  } else {
    ctx.reply.error(kErrSyntax);
    return;
  }
  auto found = write_value<ListValue>(ctx, args[1]);
  if (found.wrong_type) return;
  if (!found.value) {
    ctx.reply.integer(0);
    return;
  }
  if (!found.value->insert(args[3], args[4], after)) {
    ctx.reply.integer(-1);
    return;
  }
  ctx.reply.integer(static_cast<int64_t>(found.value->size()));
  ctx.propagate_as("LINSERT", args);
  ctx.notify(notify::kList, "linsert", args[1]);
}

void lrem_command(CommandContext& ctx, Args args) {
  int64_t count;
  if (!int_arg(ctx, args[2], &count)) return;
  std::string_view key = args[1];
  auto found = write_value<ListValue>(ctx, key);
  if (found.wrong_type) return;
  size_t removed = found.value ? found.value->remove(args[3], count) : 0;
  ctx.reply.integer(static_cast<int64_t>(removed));
  if (removed == 0) return;
  ctx.propagate_as("LREM", args);
  ctx.notify(notify::kList, "lrem", key);
  erase_if_empty_notify(ctx, key, *found.value);
}

void ltrim_command(CommandContext& ctx, Args args) {
  int64_t start, stop;
  if (!int_arg(ctx, args[2], &start) || !int_arg(ctx, args[3], &stop)) return;
  std::string_view key = args[1];
  auto found = write_value<ListValue>(ctx, key);
  if (found.wrong_type) return;
  ctx.reply.ok();
  if (!found.value) return;
  // Redis publishes "ltrim" even when the range keeps everything.
  ctx.notify(notify::kList, "ltrim", key);
  ListValue& list = *found.value;
  Range r = normalize_range(start, stop, list.size());
  if (r.n == list.size()) return;  // keeps everything
  list.keep(r.first, r.n);
  ctx.propagate_as("LTRIM", args);
  erase_if_empty_notify(ctx, key, list);
}

// ---------------------------------------------------------------------------
// Moves

// Moves one element from `from` of `src` to `to` of `dst` and replies it.
// Returns false when `src` has nothing to move (nothing replied) or after a
// WRONGTYPE reply (`*failed` set).
bool move_element(CommandContext& ctx, std::string_view src, std::string_view dst, End from, End to,
                  bool* failed) {
  *failed = false;
  auto source = write_value<ListValue>(ctx, src);
  if (source.wrong_type || !source.value) {
    *failed = source.wrong_type;
    return false;
  }
  ListValue* target = source.value;
  if (dst != src) {
    if (write_value<ListValue>(ctx, dst).wrong_type) {
      *failed = true;
      return false;
    }
    target = value_or_create<ListValue>(ctx, dst);
  }
  // A copy: within one list the element's bytes move while it is pushed.
  std::string value(source.value->peek(from));
  source.value->pop(from);
  target->push(to, value);
  ctx.reply.bulk(value);
  // As in Redis, the push is published before the pop.
  ctx.notify(notify::kList, push_event(to), dst);
  ctx.notify(notify::kList, pop_event(from), src);
  if (dst != src) erase_if_empty_notify(ctx, src, *source.value);
  return true;
}

void propagate_lmove(CommandContext& ctx, std::string_view src, std::string_view dst, End from,
                     End to) {
  ctx.propagate({"LMOVE", src, dst, end_name(from), end_name(to)});
}

void lmove_command(CommandContext& ctx, Args args) {
  End from, to;
  if (!end_arg(ctx, args[3], &from) || !end_arg(ctx, args[4], &to)) return;
  bool failed;
  if (move_element(ctx, args[1], args[2], from, to, &failed)) {
    propagate_lmove(ctx, args[1], args[2], from, to);
  } else if (!failed) {
    ctx.reply.null();
  }
}

void rpoplpush_command(CommandContext& ctx, Args args) {
  bool failed;
  if (move_element(ctx, args[1], args[2], End::kTail, End::kHead, &failed)) {
    ctx.propagate({"RPOPLPUSH", args[1], args[2]});
  } else if (!failed) {
    ctx.reply.null();
  }
}

// ---------------------------------------------------------------------------
// LMPOP and the blocking pops

// What a pop from several keys found: served, nothing to pop, or an error replied.
enum class Served { kYes, kEmpty, kFailed };

// Pops up to `count` elements from `end` of the first non-empty list among
// `keys`, replying [key, [elements...]] (or, for BLPOP/BRPOP, [key, element]
// when `count` is absent).
Served pop_first_nonempty(CommandContext& ctx, Args keys, End end, std::optional<uint64_t> count) {
  for (std::string_view key : keys) {
    auto found = write_value<ListValue>(ctx, key);
    if (found.wrong_type) return Served::kFailed;
    if (!found.value) continue;
    ListValue& list = *found.value;
    ctx.reply.array(2);
    ctx.reply.bulk(key);
    if (count) {
      size_t n = reply_and_pop(ctx, list, end, *count);
      propagate_pop(ctx, end, key, n);
    } else {
      ctx.reply.bulk(list.peek(end));
      list.pop(end);
      propagate_pop(ctx, end, key, std::nullopt);
    }
    ctx.notify(notify::kList, pop_event(end), key);
    erase_if_empty_notify(ctx, key, list);
    return Served::kYes;
  }
  return Served::kEmpty;
}

// Parks the client on `keys` when it may wait, else replies what a timeout would.
void block_or_null_array(CommandContext& ctx, Args keys, int64_t deadline) {
  if (ctx.can_block) {
    ctx.block_on(keys, ValueType::kList, deadline);
  } else {
    ctx.reply.null_array();
  }
}

// LMPOP numkeys key... LEFT|RIGHT [COUNT n], and BLMPOP (timeout first).
void mpop_command(CommandContext& ctx, Args args, bool blocking) {
  const size_t numkeys_at = blocking ? 2 : 1;
  int64_t numkeys;
  if (!positive_arg(ctx, args[numkeys_at], kErrNumkeys, &numkeys)) return;
  const size_t end_at = numkeys_at + 1;
  if (static_cast<uint64_t>(numkeys) >= args.size() - end_at) {
    ctx.reply.error(kErrSyntax);
    return;
  }
  Args keys = args.subspan(end_at, static_cast<size_t>(numkeys));
  End end;
  if (!end_arg(ctx, args[end_at + keys.size()], &end)) return;
  int64_t count = 0;
  for (size_t i = end_at + keys.size() + 1; i < args.size(); ++i) {
    if (count == 0 && iequals(args[i], "count") && i + 1 < args.size()) {
      if (!positive_arg(ctx, args[++i], kErrCountPositive, &count)) return;
    } else {
      ctx.reply.error(kErrSyntax);
      return;
    }
  }
  int64_t deadline = 0;
  if (blocking && !timeout_arg(ctx, args[1], &deadline)) return;
  auto n = static_cast<uint64_t>(count == 0 ? 1 : count);
  if (pop_first_nonempty(ctx, keys, end, n) != Served::kEmpty) return;
  if (blocking) {
    block_or_null_array(ctx, keys, deadline);
  } else {
    ctx.reply.null_array();
  }
}

void lmpop_command(CommandContext& ctx, Args args) {
  mpop_command(ctx, args, false);
}
void blmpop_command(CommandContext& ctx, Args args) {
  mpop_command(ctx, args, true);
}

// BLPOP/BRPOP key... timeout
void blocking_pop_command(CommandContext& ctx, Args args, End end) {
  int64_t deadline;
  if (!timeout_arg(ctx, args.back(), &deadline)) return;
  Args keys = args.subspan(1, args.size() - 2);
  if (pop_first_nonempty(ctx, keys, end, std::nullopt) != Served::kEmpty) return;
  block_or_null_array(ctx, keys, deadline);
}

void blpop_command(CommandContext& ctx, Args args) {
  blocking_pop_command(ctx, args, End::kHead);
}
void brpop_command(CommandContext& ctx, Args args) {
  blocking_pop_command(ctx, args, End::kTail);
}

// BLMOVE and BRPOPLPUSH: served as LMOVE, propagated as LMOVE.
void blocking_move(CommandContext& ctx, std::string_view src, std::string_view dst, End from,
                   End to, std::string_view timeout) {
  int64_t deadline;
  if (!timeout_arg(ctx, timeout, &deadline)) return;
  bool failed;
  if (move_element(ctx, src, dst, from, to, &failed)) {
    propagate_lmove(ctx, src, dst, from, to);
  } else if (!failed && ctx.can_block) {
    // Redis 7.0 answers a timed-out BLMOVE with a null array, although inside
    // MULTI, where it cannot wait, it replies a null bulk string like LMOVE.
    std::string_view keys[] = {src};
    ctx.block_on(keys, ValueType::kList, deadline);
  } else if (!failed) {
    ctx.reply.null();
  }
}

void blmove_command(CommandContext& ctx, Args args) {
  End from, to;
  if (!end_arg(ctx, args[3], &from) || !end_arg(ctx, args[4], &to)) return;
  blocking_move(ctx, args[1], args[2], from, to, args[5]);
}

void brpoplpush_command(CommandContext& ctx, Args args) {
  blocking_move(ctx, args[1], args[2], End::kTail, End::kHead, args[3]);
}

// ---------------------------------------------------------------------------
// The table, with flags, ACL categories and key specs as Redis 7.0's COMMAND INFO
// reports them.

constexpr uint32_t kReadFast = kAclRead | kAclList | kAclFast;
constexpr uint32_t kReadSlow = kAclRead | kAclList | kAclSlow;
constexpr uint32_t kWriteFast = kAclWrite | kAclList | kAclFast;
constexpr uint32_t kWriteSlow = kAclWrite | kAclList | kAclSlow;
constexpr uint32_t kWriteBlocking = kWriteSlow | kAclBlocking;

constexpr KeySpec kPopKeysButLast[] = {key_range(kKeyRW | kKeyAccess | kKeyDelete, 1, -2)};
constexpr KeySpec kMoveKeys[] = {key_range(kKeyRW | kKeyAccess | kKeyDelete, 1),
                                 key_range(kKeyRW | kKeyInsert, 2)};
constexpr KeySpec kMpopKeys[] = {{.flags = kKeyRW | kKeyAccess | kKeyDelete,
                                  .begin_search = begin_index(1),
                                  .find_keys = find_keynum(0, 1, 1)}};
constexpr KeySpec kBlmpopKeys[] = {{.flags = kKeyRW | kKeyAccess | kKeyDelete,
                                    .begin_search = begin_index(2),
                                    .find_keys = find_keynum(0, 1, 1)}};

// One row per command reads better than one field per line.
// clang-format off
const CommandSpec kListCommands[] = {
    {.name = "lpush", .arity = -3, .flags = kWrite | kDenyOom | kFast, .acl = kWriteFast,
     .key_specs = one_key::kInsert, .handler = lpush_command, .group = "list",
     .summary = "Prepends elements to a list, creating it if needed.", .since = "1.0.0",
     .complexity = "O(1) per element"},
    {.name = "rpush", .arity = -3, .flags = kWrite | kDenyOom | kFast, .acl = kWriteFast,
     .key_specs = one_key::kInsert, .handler = rpush_command, .group = "list",
     .summary = "Appends elements to a list, creating it if needed.", .since = "1.0.0",
     .complexity = "O(1) per element"},
    {.name = "lpushx", .arity = -3, .flags = kWrite | kDenyOom | kFast, .acl = kWriteFast,
     .key_specs = one_key::kInsert, .handler = lpushx_command, .group = "list",
     .summary = "Prepends elements to a list only when the list exists.", .since = "2.2.0",
     .complexity = "O(1) per element"},
    {.name = "rpushx", .arity = -3, .flags = kWrite | kDenyOom | kFast, .acl = kWriteFast,
     .key_specs = one_key::kInsert, .handler = rpushx_command, .group = "list",
     .summary = "Appends elements to a list only when the list exists.", .since = "2.2.0",
     .complexity = "O(1) per element"},
    {.name = "lpop", .arity = -2, .flags = kWrite | kFast, .acl = kWriteFast,
     .key_specs = one_key::kAccessDelete, .handler = lpop_command, .group = "list",
     .summary = "Removes and returns the first elements of a list.", .since = "1.0.0",
     .complexity = "O(N) for N elements returned"},
    {.name = "rpop", .arity = -2, .flags = kWrite | kFast, .acl = kWriteFast,
     .key_specs = one_key::kAccessDelete, .handler = rpop_command, .group = "list",
     .summary = "Removes and returns the last elements of a list.", .since = "1.0.0",
     .complexity = "O(N) for N elements returned"},
    {.name = "llen", .arity = 2, .flags = kReadonly | kFast, .acl = kReadFast,
     .key_specs = one_key::kRead, .handler = llen_command, .group = "list",
     .summary = "Returns the number of elements in a list.", .since = "1.0.0",
     .complexity = "O(1)"},
    {.name = "lrange", .arity = 4, .flags = kReadonly, .acl = kReadSlow,
     .key_specs = one_key::kReadAccess, .handler = lrange_command, .group = "list",
     .summary = "Returns a range of elements of a list.", .since = "1.0.0",
     .complexity = "O(S+N): S to reach the start, N elements returned"},
    {.name = "lindex", .arity = 3, .flags = kReadonly, .acl = kReadSlow,
     .key_specs = one_key::kReadAccess, .handler = lindex_command, .group = "list",
     .summary = "Returns the element of a list at an index.", .since = "1.0.0",
     .complexity = "O(N) for the elements walked to reach the index"},
    {.name = "lset", .arity = 4, .flags = kWrite | kDenyOom, .acl = kWriteSlow,
     .key_specs = one_key::kUpdate, .handler = lset_command, .group = "list",
     .summary = "Replaces the element of a list at an index.", .since = "1.0.0",
     .complexity = "O(N) for the elements walked to reach the index"},
    {.name = "linsert", .arity = 5, .flags = kWrite | kDenyOom, .acl = kWriteSlow,
     .key_specs = one_key::kInsert, .handler = linsert_command, .group = "list",
     .summary = "Inserts an element before or after another one in a list.", .since = "2.2.0",
     .complexity = "O(N) for the elements walked to find the pivot"},
    {.name = "lrem", .arity = 4, .flags = kWrite, .acl = kWriteSlow,
     .key_specs = one_key::kDelete, .handler = lrem_command, .group = "list",
     .summary = "Removes elements equal to a value from a list.", .since = "1.0.0",
     .complexity = "O(N+M): N elements walked, M removed"},
    {.name = "ltrim", .arity = 4, .flags = kWrite, .acl = kWriteSlow,
     .key_specs = one_key::kDelete, .handler = ltrim_command, .group = "list",
     .summary = "Keeps only a range of elements of a list.", .since = "1.0.0",
     .complexity = "O(N) for N elements removed"},
    {.name = "lpos", .arity = -3, .flags = kReadonly, .acl = kReadSlow,
     .key_specs = one_key::kReadAccess, .handler = lpos_command, .group = "list",
     .summary = "Returns the indexes of elements equal to a value in a list.", .since = "6.0.6",
     .complexity = "O(N) for the elements compared"},
    {.name = "lmove", .arity = 5, .flags = kWrite | kDenyOom, .acl = kWriteSlow,
     .key_specs = kMoveKeys, .handler = lmove_command, .group = "list",
     .summary = "Moves an element from one end of a list to an end of another.",
     .since = "6.2.0", .complexity = "O(1)"},
    {.name = "rpoplpush", .arity = 3, .flags = kWrite | kDenyOom, .acl = kWriteSlow,
     .key_specs = kMoveKeys, .handler = rpoplpush_command, .group = "list",
     .summary = "Moves the last element of a list to the head of another.", .since = "1.2.0",
     .complexity = "O(1)"},
    {.name = "lmpop", .arity = -4, .flags = kWrite, .acl = kWriteSlow,
     .key_specs = kMpopKeys, .handler = lmpop_command, .group = "list",
     .summary = "Pops elements from the first non-empty list of several.", .since = "7.0.0",
     .complexity = "O(N+M): N keys tried, M elements returned"},
    {.name = "blpop", .arity = -3, .flags = kWrite | kNoscript | kBlocking,
     .acl = kWriteBlocking, .key_specs = kPopKeysButLast, .handler = blpop_command,
     .group = "list",
     .summary = "Pops the first element of the first non-empty list, waiting for one if none.",
     .since = "2.0.0", .complexity = "O(N) for N keys"},
    {.name = "brpop", .arity = -3, .flags = kWrite | kNoscript | kBlocking,
     .acl = kWriteBlocking, .key_specs = kPopKeysButLast, .handler = brpop_command,
     .group = "list",
     .summary = "Pops the last element of the first non-empty list, waiting for one if none.",
     .since = "2.0.0", .complexity = "O(N) for N keys"},
    {.name = "blmove", .arity = 6, .flags = kWrite | kDenyOom | kNoscript | kBlocking,
     .acl = kWriteBlocking, .key_specs = kMoveKeys, .handler = blmove_command,
     .group = "list",
     .summary = "Moves an element between lists, waiting for one if the source is empty.",
     .since = "6.2.0", .complexity = "O(1)"},
    {.name = "brpoplpush", .arity = 4, .flags = kWrite | kDenyOom | kNoscript | kBlocking,
     .acl = kWriteBlocking, .key_specs = kMoveKeys, .handler = brpoplpush_command,
     .group = "list",
     .summary = "Moves the last element of a list to the head of another, waiting if empty.",
     .since = "2.2.0", .complexity = "O(1)"},
    {.name = "blmpop", .arity = -5, .flags = kWrite | kBlocking, .acl = kWriteBlocking,
     .key_specs = kBlmpopKeys, .handler = blmpop_command, .group = "list",
     .summary = "Pops elements from the first non-empty list of several, waiting if none.",
     .since = "7.0.0", .complexity = "O(N+M): N keys tried, M elements returned"},
};
// clang-format on

}  // namespace

std::span<const CommandSpec> list_commands() {
  return kListCommands;
}

}  // namespace vireo
