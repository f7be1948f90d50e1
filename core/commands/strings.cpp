// String commands (Redis's t_string.c family): GET/SET and their variants, the counters,
// APPEND, STRLEN, GETRANGE/SETRANGE and LCS.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <memory>
#include <new>
#include <string>
#include <vector>

#include "core/command_table.h"
#include "core/commands/arguments.h"
#include "core/commands/families.h"
#include "core/errors.h"
#include "core/strconv.h"

namespace vireo {
namespace {

// Error texts only this family uses, worded as Redis 7.0 words them.
constexpr std::string_view kErrOffsetRange = "ERR offset is out of range";
constexpr std::string_view kErrMsetArity = "ERR wrong number of arguments for 'mset' command";
constexpr std::string_view kErrMsetnxArity = "ERR wrong number of arguments for 'msetnx' command";
constexpr std::string_view kErrLcsNotStrings = "ERR The specified keys must contain string values";
constexpr std::string_view kErrLcsLenAndIdx =
    "ERR If you want both the length and indexes, please just use IDX.";
constexpr std::string_view kErrLcsTooLong = "ERR String too long for LCS";
constexpr std::string_view kErrLcsNoMemory =
    "ERR Insufficient memory, failed allocating transient memory for LCS";

// ---------------------------------------------------------------------------
// Shared pieces

// Whether a command reads the key (a keyspace hit or miss) or is about to modify it.
enum class Lookup { kRead, kWrite };

// The string entry at `key`; nullptr when absent. Replies WRONGTYPE and sets
// `*wrong_type` when the key holds another type.
Entry* find_string(CommandContext& ctx, std::string_view key, Lookup lookup, bool* wrong_type) {
  Database& db = ctx.db();
  Entry* e = lookup == Lookup::kRead ? db.find_for_read(key) : db.find_and_touch(key);
  *wrong_type = e && e->type() != ValueType::kString;
  if (*wrong_type) ctx.reply.error(kErrWrongType);
  return *wrong_type ? nullptr : e;
}

void reply_value_or_null(CommandContext& ctx, const Entry* e) {
  if (e) {
    ctx.reply.bulk(e->string_value());
  } else {
    ctx.reply.null();
  }
}

// Whether a string of `size + extra` bytes may be built; replies the error otherwise.
bool within_bulk_limit(CommandContext& ctx, uint64_t size, uint64_t extra) {
  auto max = static_cast<uint64_t>(ctx.limits.proto_max_bulk_len);
  if (extra > max || size > max - extra) {
    ctx.reply.error(kErrStringTooLong);
    return false;
  }
  return true;
}

// ---------------------------------------------------------------------------
// GET, SET and the commands that are SET with fixed options

enum class ExpiryKind : uint8_t { kNone, kEx, kPx, kExat, kPxat };

ExpiryKind expiry_kind(std::string_view opt) {
  if (iequals(opt, "ex")) return ExpiryKind::kEx;
  if (iequals(opt, "px")) return ExpiryKind::kPx;
  if (iequals(opt, "exat")) return ExpiryKind::kExat;
  if (iequals(opt, "pxat")) return ExpiryKind::kPxat;
  return ExpiryKind::kNone;
}

// The options of SET (NX XX GET KEEPTTL and an expiry) or of GETEX (an expiry or PERSIST).
struct StringOptions {
  bool nx = false;
  bool xx = false;
  bool get = false;
  bool keep_ttl = false;
  bool persist = false;
  ExpiryKind expiry = ExpiryKind::kNone;
  std::string_view expiry_value;
};

enum class OptionsOf { kSet, kGetex };

// Parses the options from args[first] on. As in Redis only the syntax is checked here:
// the same expiry option may repeat (the last one counts, the others are never
// validated) while two different ones conflict, and the expiry value is validated
// later, after every option was read (and for GETEX after the key lookup).
bool parse_string_options(CommandContext& ctx, Args args, size_t first, OptionsOf command,
                          StringOptions* o) {
  bool for_set = command == OptionsOf::kSet;
  for (size_t i = first; i < args.size(); ++i) {
    std::string_view opt = args[i];
    ExpiryKind kind = expiry_kind(opt);
    if (for_set && iequals(opt, "nx") && !o->xx) {
      o->nx = true;
    } else if (for_set && iequals(opt, "xx") && !o->nx) {
      o->xx = true;
    } else if (for_set && iequals(opt, "get")) {
      o->get = true;
    } else if (for_set && iequals(opt, "keepttl") && o->expiry == ExpiryKind::kNone) {
      o->keep_ttl = true;
    } else if (!for_set && iequals(opt, "persist") && o->expiry == ExpiryKind::kNone) {
      o->persist = true;
    } else if (kind != ExpiryKind::kNone && i + 1 < args.size() && !o->keep_ttl && !o->persist &&
               (o->expiry == ExpiryKind::kNone || o->expiry == kind)) {
      o->expiry = kind;
      o->expiry_value = args[++i];
    } else {
      ctx.reply.error(kErrSyntax);
      return false;
    }
  }
  return true;
}

// The absolute deadline the parsed expiry option asks for (kNoExpiry without one).
// Replies "invalid expire time in '<command>' command" and returns false when invalid.
bool resolve_deadline(CommandContext& ctx, std::string_view command, const StringOptions& o,
                      int64_t* deadline) {
  *deadline = kNoExpiry;
  if (o.expiry == ExpiryKind::kNone) return true;
  bool in_ms = o.expiry == ExpiryKind::kPx || o.expiry == ExpiryKind::kPxat;
  bool absolute = o.expiry == ExpiryKind::kExat || o.expiry == ExpiryKind::kPxat;
  return expiry_arg(ctx, command, o.expiry_value, in_ms, absolute, deadline);
}

// How a SET-like command reports a write and a refused NX/XX condition.
enum class SetReply { kOkOrNull, kOneOrZero };

void propagate_set(CommandContext& ctx, std::string_view key, std::string_view value,
                   const StringOptions& o, int64_t deadline) {
  if (deadline != kNoExpiry) {
    char buf[24];
    ctx.propagate({"SET", key, value, "PXAT", int_text(deadline, buf)});
  } else if (o.keep_ttl) {
    ctx.propagate({"SET", key, value, "KEEPTTL"});
  } else {
    ctx.propagate({"SET", key, value});
  }
}

// The events of a SET-like write that stored its value: "set", then "expire"
// when it also set a deadline.
void notify_set(CommandContext& ctx, std::string_view key, int64_t deadline) {
  ctx.notify(notify::kString, "set", key);
  if (deadline != kNoExpiry) ctx.notify(notify::kGeneric, "expire", key);
}

// Stores `value` at `key` as SET does once its options are valid: checks NX/XX, replies
// (the previous value with GET), writes and propagates.
void store_string(CommandContext& ctx, std::string_view key, std::string_view value,
                  const StringOptions& o, int64_t deadline, SetReply style) {
  Database& db = ctx.db();
  bool dead_on_arrival = deadline != kNoExpiry && ctx.deadline_passed(deadline);
  // A plain SET needs no lookup: put_string replaces any value (and reclaims an
  // expired one) itself.
  Entry* old = nullptr;
  // Only GET reads the old value; NX, XX and a past deadline look it up to replace it.
  if (o.get) {
    old = db.find_for_read(key);
  } else if (o.nx || o.xx || dead_on_arrival) {
    old = db.find_and_touch(key);
  }
  if (o.get && old && old->type() != ValueType::kString) {
    ctx.reply.error(kErrWrongType);
    return;
  }
  bool refused = (o.nx && old) || (o.xx && !old);
  // Replies come first: with GET they show the bytes about to be overwritten.
  if (o.get) {
    reply_value_or_null(ctx, old);
  } else if (style == SetReply::kOneOrZero) {
    ctx.reply.integer(refused ? 0 : 1);
  } else if (refused) {
    ctx.reply.null();
  } else {
    ctx.reply.ok();
  }
  if (refused) return;
  if (dead_on_arrival) {
    // Redis stores such a key and lets the next lookup reclaim it; no reader can tell
    // the difference, and deleting now keeps dead values out of the effect stream.
    if (old) {
      db.erase(key);
      ctx.propagate({"DEL", key});
    }
    // Subscribers see what Redis publishes for the key it stores and then
    // reclaims: the store, and the expiry, at once rather than later.
    if (!old) ctx.notify(notify::kNew, "new", key);
    notify_set(ctx, key, deadline);
    ctx.notify(notify::kExpired, "expired", key);
    return;
  }
  db.put_string(key, value, deadline, o.keep_ttl);
  propagate_set(ctx, key, value, o, deadline);
  notify_set(ctx, key, deadline);
}

void get_command(CommandContext& ctx, Args args) {
  bool wrong_type;
  Entry* e = find_string(ctx, args[1], Lookup::kRead, &wrong_type);
  if (!wrong_type) reply_value_or_null(ctx, e);
}

// SET key value [NX|XX] [GET] [EX s|PX ms|EXAT ts|PXAT ms-ts|KEEPTTL]
void set_command(CommandContext& ctx, Args args) {
  StringOptions o;
  if (!parse_string_options(ctx, args, 3, OptionsOf::kSet, &o)) return;
  int64_t deadline;
  if (!resolve_deadline(ctx, "set", o, &deadline)) return;
  store_string(ctx, args[1], args[2], o, deadline, SetReply::kOkOrNull);
}

void setnx_command(CommandContext& ctx, Args args) {
  store_string(ctx, args[1], args[2], {.nx = true}, kNoExpiry, SetReply::kOneOrZero);
}

// SETEX key seconds value / PSETEX key milliseconds value
void set_with_ttl(CommandContext& ctx, Args args, std::string_view command, bool in_ms) {
  int64_t deadline;
  if (!expiry_arg(ctx, command, args[2], in_ms, false, &deadline)) return;
  store_string(ctx, args[1], args[3], {}, deadline, SetReply::kOkOrNull);
}

void setex_command(CommandContext& ctx, Args args) {
  set_with_ttl(ctx, args, "setex", false);
}
void psetex_command(CommandContext& ctx, Args args) {
  set_with_ttl(ctx, args, "psetex", true);
}

// COMMAND GETKEYS for SET: like Redis, any argument after the value spelled
// GET counts, even one that is really an option's value.
void set_keys(Args args, std::vector<KeyRef>& keys) {
  bool get = std::any_of(args.begin() + 3, args.end(),
                         [](std::string_view arg) { return iequals(arg, "get"); });
  keys.push_back({1, get ? kKeyRW | kKeyAccess | kKeyUpdate : kKeyOW | kKeyUpdate});
}

void getset_command(CommandContext& ctx, Args args) {
  store_string(ctx, args[1], args[2], {.get = true}, kNoExpiry, SetReply::kOkOrNull);
}

void getdel_command(CommandContext& ctx, Args args) {
  std::string_view key = args[1];
  bool wrong_type;
  Entry* e = find_string(ctx, key, Lookup::kRead, &wrong_type);
  if (wrong_type) return;
  reply_value_or_null(ctx, e);
  if (!e) return;
  ctx.db().erase(key);
  ctx.propagate({"DEL", key});
  ctx.notify(notify::kGeneric, "del", key);
}

// GETEX key [EX s|PX ms|EXAT ts|PXAT ms-ts|PERSIST]
void getex_command(CommandContext& ctx, Args args) {
  std::string_view key = args[1];
  StringOptions o;
  if (!parse_string_options(ctx, args, 2, OptionsOf::kGetex, &o)) return;
  bool wrong_type;
  Entry* e = find_string(ctx, key, Lookup::kRead, &wrong_type);
  if (wrong_type) return;
  // Redis looks the key up before validating the expiry: a missing key is nil
  // even with "EX 0".
  if (!e) {
    ctx.reply.null();
    return;
  }
  int64_t deadline;
  if (!resolve_deadline(ctx, "getex", o, &deadline)) return;
  ctx.reply.bulk(e->string_value());
  Database& db = ctx.db();
  if (deadline != kNoExpiry && ctx.deadline_passed(deadline)) {
    db.erase(key);
    ctx.propagate({"DEL", key});
    ctx.notify(notify::kGeneric, "del", key);
  } else if (deadline != kNoExpiry) {
    db.set_deadline(e, deadline);
    char buf[24];
    ctx.propagate({"PEXPIREAT", key, int_text(deadline, buf)});
    ctx.notify(notify::kGeneric, "expire", key);
  } else if (o.persist && db.deadline(e) != kNoExpiry) {
    db.set_deadline(e, kNoExpiry);
    ctx.propagate({"PERSIST", key});
    ctx.notify(notify::kGeneric, "persist", key);
  }
}

// ---------------------------------------------------------------------------
// MGET, MSET, MSETNX

void mget_command(CommandContext& ctx, Args args) {
  Database& db = ctx.db();
  ctx.reply.array(args.size() - 1);
  for (size_t i = 1; i < args.size(); ++i) {
    // Keys of other types read as nil here, not as WRONGTYPE.
    const Entry* e = db.find_for_read(args[i]);
    reply_value_or_null(ctx, e && e->type() == ValueType::kString ? e : nullptr);
  }
}

// Sets every key/value pair of args[1..], replacing values of any type and their TTLs.
void set_pairs(CommandContext& ctx, Args args) {
  Database& db = ctx.db();
  for (size_t i = 1; i < args.size(); i += 2) {
    db.put_string(args[i], args[i + 1], kNoExpiry);
    ctx.notify(notify::kString, "set", args[i]);
  }
  ctx.propagate_as("MSET", args);
}

void mset_command(CommandContext& ctx, Args args) {
  if (args.size() % 2 == 0) {
    ctx.reply.error(kErrMsetArity);
    return;
  }
  set_pairs(ctx, args);
  ctx.reply.ok();
}

void msetnx_command(CommandContext& ctx, Args args) {
  if (args.size() % 2 == 0) {
    ctx.reply.error(kErrMsetnxArity);
    return;
  }
  Database& db = ctx.db();
  // Stops at the first existing key (of any type), as Redis does, so expired keys
  // after it are left for later.
  for (size_t i = 1; i < args.size(); i += 2) {
    if (db.find_and_touch(args[i])) {
      ctx.reply.integer(0);
      return;
    }
  }
  set_pairs(ctx, args);
  ctx.reply.integer(1);
}

// ---------------------------------------------------------------------------
// Counters: INCR DECR INCRBY DECRBY INCRBYFLOAT

// Stores a counter's new value at `key` (found as `e`, or absent), keeping any TTL,
// and propagates it as `SET key value KEEPTTL`, so that replay never depends on the
// value it starts from. `event` is the notification: "incrby" or "incrbyfloat".
void store_counter(CommandContext& ctx, std::string_view key, Entry* e, std::string_view text,
                   std::string_view event) {
  if (e) {
    // A number is stored in Redis's compact encodings again, even after APPEND.
    e = ctx.db().replace_string(e, text);
    e->set_raw_flag(false);
  } else {
    ctx.db().put_string(key, text, kNoExpiry);
  }
  ctx.propagate({"SET", key, text, "KEEPTTL"});
  ctx.notify(notify::kString, event, key);
}

// Adds `delta` to the integer at `key` (0 when absent) and replies the result.
void add_to_integer(CommandContext& ctx, std::string_view key, int64_t delta) {
  bool wrong_type;
  Entry* e = find_string(ctx, key, Lookup::kWrite, &wrong_type);
  if (wrong_type) return;
  int64_t value = 0;
  if (e) {
    auto current = parse_int64(e->string_value());
    if (!current) {
      ctx.reply.error(kErrNotInteger);
      return;
    }
    value = *current;
  }
  if ((delta < 0 && value < 0 && delta < INT64_MIN - value) ||
      (delta > 0 && value > 0 && delta > INT64_MAX - value)) {
    ctx.reply.error(kErrOverflow);
    return;
  }
  value += delta;
  char buf[24];
  // INCR, DECR and DECRBY are all INCRBY to subscribers.
  store_counter(ctx, key, e, int_text(value, buf), "incrby");
  ctx.reply.integer(value);
}

void incr_command(CommandContext& ctx, Args args) {
  add_to_integer(ctx, args[1], 1);
}
void decr_command(CommandContext& ctx, Args args) {
  add_to_integer(ctx, args[1], -1);
}

// The increment is parsed before the key is looked up: a bad one wins over WRONGTYPE.
void incrby_command(CommandContext& ctx, Args args) {
  int64_t delta;
  if (int_arg(ctx, args[2], &delta)) add_to_integer(ctx, args[1], delta);
}

void decrby_command(CommandContext& ctx, Args args) {
  int64_t delta;
  if (!int_arg(ctx, args[2], &delta)) return;
  if (delta == INT64_MIN) {
    ctx.reply.error(kErrDecrOverflow);
    return;
  }
  add_to_integer(ctx, args[1], -delta);
}

// Unlike INCRBY, the key's type and value are checked before the increment.
void incrbyfloat_command(CommandContext& ctx, Args args) {
  std::string_view key = args[1];
  bool wrong_type;
  Entry* e = find_string(ctx, key, Lookup::kWrite, &wrong_type);
  if (wrong_type) return;
  long double value = 0;
  if (e) {
    auto current = parse_long_double(e->string_value());
    if (!current) {
      ctx.reply.error(kErrNotFloat);
      return;
    }
    value = *current;
  }
  auto increment = parse_long_double(args[2]);
  if (!increment) {
    ctx.reply.error(kErrNotFloat);
    return;
  }
  value += *increment;
  if (std::isnan(value) || std::isinf(value)) {
    ctx.reply.error(kErrIncrNanOrInf);
    return;
  }
  char buf[kLongDoubleChars];
  std::string_view text = format_long_double(value, buf);
  store_counter(ctx, key, e, text, "incrbyfloat");
  ctx.reply.bulk(text);
}

// ---------------------------------------------------------------------------
// APPEND, STRLEN, GETRANGE/SUBSTR, SETRANGE

// Stores a value APPEND or SETRANGE built, keeping any TTL. Redis reports such
// values as encoding "raw".
void store_edited(CommandContext& ctx, std::string_view key, Entry* e, std::string_view value) {
  e = e ? ctx.db().replace_string(e, value) : ctx.db().put_string(key, value, kNoExpiry);
  e->set_raw_flag(true);
}

void append_command(CommandContext& ctx, Args args) {
  std::string_view key = args[1], tail = args[2];
  bool wrong_type;
  Entry* e = find_string(ctx, key, Lookup::kWrite, &wrong_type);
  if (wrong_type) return;
  if (!e) {
    // A new key is stored as SET would store it (not "raw").
    ctx.db().put_string(key, tail, kNoExpiry);
    ctx.reply.integer(static_cast<int64_t>(tail.size()));
    ctx.propagate({"APPEND", key, tail});
    ctx.notify(notify::kString, "append", key);
    return;
  }
  std::string_view old = e->string_value();
  if (!within_bulk_limit(ctx, old.size(), tail.size())) return;
  if (tail.empty()) {
    // Redis still converts the value to "raw" and publishes "append"; the content
    // is unchanged, so there is nothing to propagate.
    e->set_raw_flag(true);
    ctx.reply.integer(static_cast<int64_t>(old.size()));
    ctx.notify(notify::kString, "append", key);
    return;
  }
  e = ctx.db().append_string(e, tail);
  e->set_raw_flag(true);
  ctx.reply.integer(static_cast<int64_t>(e->string_value().size()));
  ctx.propagate({"APPEND", key, tail});
  ctx.notify(notify::kString, "append", key);
}

void strlen_command(CommandContext& ctx, Args args) {
  bool wrong_type;
  const Entry* e = find_string(ctx, args[1], Lookup::kRead, &wrong_type);
  if (!wrong_type) ctx.reply.integer(e ? static_cast<int64_t>(e->string_value().size()) : 0);
}

// The bytes of `value` from `start` to `end` inclusive, negative indexes counting from
// the end, clamped as Redis 7.0 clamps them (so "0 -100" of "Hello" is "H").
std::string_view string_range(std::string_view value, int64_t start, int64_t end) {
  auto len = static_cast<int64_t>(value.size());
  std::string_view none = value.substr(0, 0);
  if (start < 0 && end < 0 && start > end) return none;
  if (start < 0) start += len;
  if (end < 0) end += len;
  start = std::max<int64_t>(start, 0);
  end = std::min(std::max<int64_t>(end, 0), len - 1);
  if (start > end) return none;
  return value.substr(static_cast<size_t>(start), static_cast<size_t>(end - start + 1));
}

// GETRANGE key start end (and SUBSTR, its old name). The indexes are checked first;
// a missing key is an empty string.
void getrange_command(CommandContext& ctx, Args args) {
  int64_t start, end;
  if (!int_arg(ctx, args[2], &start) || !int_arg(ctx, args[3], &end)) return;
  bool wrong_type;
  const Entry* e = find_string(ctx, args[1], Lookup::kRead, &wrong_type);
  if (wrong_type) return;
  ctx.reply.bulk(e ? string_range(e->string_value(), start, end) : std::string_view(""));
}

// SETRANGE key offset value
void setrange_command(CommandContext& ctx, Args args) {
  std::string_view key = args[1], offset_text = args[2], patch = args[3];
  int64_t offset;
  if (!int_arg(ctx, offset_text, &offset)) return;
  if (offset < 0) {
    ctx.reply.error(kErrOffsetRange);
    return;
  }
  bool wrong_type;
  Entry* e = find_string(ctx, key, Lookup::kWrite, &wrong_type);
  if (wrong_type) return;
  std::string_view old = e ? e->string_value() : std::string_view("");
  // Writing nothing changes nothing, and creates no key.
  if (patch.empty()) {
    ctx.reply.integer(static_cast<int64_t>(old.size()));
    return;
  }
  if (!within_bulk_limit(ctx, static_cast<uint64_t>(offset), patch.size())) return;
  auto at = static_cast<size_t>(offset);
  std::string updated(std::max(old.size(), at + patch.size()), '\0');
  std::memcpy(updated.data(), old.data(), old.size());
  std::memcpy(updated.data() + at, patch.data(), patch.size());
  store_edited(ctx, key, e, updated);
  ctx.reply.integer(static_cast<int64_t>(updated.size()));
  ctx.propagate({"SETRANGE", key, offset_text, patch});
  ctx.notify(notify::kString, "setrange", key);
}

// ---------------------------------------------------------------------------
// LCS key1 key2 [LEN] [IDX] [MINMATCHLEN n] [WITHMATCHLEN]

struct LcsOptions {
  bool len = false;
  bool idx = false;
  bool with_match_len = false;
  int64_t min_match_len = 0;
};

bool parse_lcs_options(CommandContext& ctx, Args args, LcsOptions* o) {
  for (size_t i = 3; i < args.size(); ++i) {
    std::string_view opt = args[i];
    if (iequals(opt, "len")) {
      o->len = true;
    } else if (iequals(opt, "idx")) {
      o->idx = true;
    } else if (iequals(opt, "withmatchlen")) {
      o->with_match_len = true;
    } else if (iequals(opt, "minmatchlen") && i + 1 < args.size()) {
      if (!int_arg(ctx, args[++i], &o->min_match_len)) return false;
    } else {
      ctx.reply.error(kErrSyntax);
      return false;
    }
  }
  if (o->len && o->idx) {
    ctx.reply.error(kErrLcsLenAndIdx);
    return false;
  }
  return true;
}

// The dynamic-programming table of LCS lengths: at(i, j) is the length of the longest
// common subsequence of a[0, i) and b[0, j). Like Redis, it is built whole, and a table
// that cannot be allocated is an error rather than a crash.
class LcsTable {
 public:
  LcsTable(std::string_view a, std::string_view b) : cols_(b.size() + 1) {
    size_t rows = a.size() + 1;
    if (rows > SIZE_MAX / sizeof(uint32_t) / cols_) return;
    cells_.reset(new (std::nothrow) uint32_t[rows * cols_]);
    if (!cells_) return;
    for (size_t j = 0; j < cols_; ++j)
      cell(0, j) = 0;
    for (size_t i = 1; i < rows; ++i) {
      cell(i, 0) = 0;
      for (size_t j = 1; j < cols_; ++j) {
        cell(i, j) = a[i - 1] == b[j - 1] ? cell(i - 1, j - 1) + 1
                                          : std::max(cell(i - 1, j), cell(i, j - 1));
      }
    }
  }

  bool allocated() const { return cells_ != nullptr; }
  uint32_t at(size_t i, size_t j) const { return cells_[i * cols_ + j]; }

 private:
  uint32_t& cell(size_t i, size_t j) { return cells_[i * cols_ + j]; }

  size_t cols_;
  std::unique_ptr<uint32_t[]> cells_;
};

// A run of consecutive matching bytes: a[a_start..a_end] == b[b_start..b_end].
struct LcsMatch {
  size_t a_start, a_end, b_start, b_end;
  size_t length() const { return a_end - a_start + 1; }
};

// Walks the table back from its last cell, writing the common subsequence into
// `common` (sized to its length) and collecting every run of matches as the walk
// leaves it, last run first. Off a match the walk moves along `a` only when that
// keeps a strictly longer LCS, otherwise along `b`: this tie rule decides which of
// several equally long answers is reported, and it is the one Redis uses.
void walk_lcs(std::string_view a, std::string_view b, const LcsTable& table, std::string* common,
              std::vector<LcsMatch>* matches) {
  size_t i = a.size(), j = b.size(), k = common->size();
  bool in_run = false;
  LcsMatch run{};
  auto close_run = [&] {
    if (in_run && matches) matches->push_back(run);
    in_run = false;
  };
  while (i > 0 && j > 0) {
    if (a[i - 1] == b[j - 1]) {
      (*common)[--k] = a[i - 1];
      --i;
      --j;
      if (in_run) {
        run.a_start = i;
        run.b_start = j;
      } else {
        run = {i, i, j, j};
        in_run = true;
      }
      if (i == 0 || j == 0) close_run();
    } else {
      if (table.at(i - 1, j) > table.at(i, j - 1)) {
        --i;
      } else {
        --j;
      }
      close_run();
    }
  }
}

void reply_lcs_matches(CommandContext& ctx, const std::vector<LcsMatch>& matches,
                       const LcsOptions& o, uint32_t length) {
  ReplyWriter& r = ctx.reply;
  r.map(2);
  r.bulk("matches");
  r.array(matches.size());
  for (const LcsMatch& m : matches) {
    r.array(o.with_match_len ? 3 : 2);
    r.array(2);
    r.integer(static_cast<int64_t>(m.a_start));
    r.integer(static_cast<int64_t>(m.a_end));
    r.array(2);
    r.integer(static_cast<int64_t>(m.b_start));
    r.integer(static_cast<int64_t>(m.b_end));
    if (o.with_match_len) r.integer(static_cast<int64_t>(m.length()));
  }
  r.bulk("len");
  r.integer(length);
}

void lcs_command(CommandContext& ctx, Args args) {
  Database& db = ctx.db();
  // The values stay valid: nothing below writes to the database.
  const Entry* ea = db.find_for_read(args[1]);
  const Entry* eb = db.find_for_read(args[2]);
  // Redis checks the types before it reads any option.
  if ((ea && ea->type() != ValueType::kString) || (eb && eb->type() != ValueType::kString)) {
    ctx.reply.error(kErrLcsNotStrings);
    return;
  }
  LcsOptions o;
  if (!parse_lcs_options(ctx, args, &o)) return;
  std::string_view a = ea ? ea->string_value() : std::string_view("");
  std::string_view b = eb ? eb->string_value() : std::string_view("");
  if (a.size() >= UINT32_MAX - 1 || b.size() >= UINT32_MAX - 1) {
    ctx.reply.error(kErrLcsTooLong);
    return;
  }
  LcsTable table(a, b);
  if (!table.allocated()) {
    ctx.reply.error(kErrLcsNoMemory);
    return;
  }
  uint32_t length = table.at(a.size(), b.size());
  if (o.len) {
    ctx.reply.integer(length);
    return;
  }
  std::string common(length, '\0');
  std::vector<LcsMatch> matches;
  walk_lcs(a, b, table, &common, o.idx ? &matches : nullptr);
  if (o.idx) {
    // A negative MINMATCHLEN means none, like 0.
    std::erase_if(matches, [&](const LcsMatch& m) {
      return static_cast<int64_t>(m.length()) < o.min_match_len;
    });
    reply_lcs_matches(ctx, matches, o, length);
  } else {
    ctx.reply.bulk(common);
  }
}

// ---------------------------------------------------------------------------
// The table, with flags and ACL categories as Redis 7.0's COMMAND INFO reports them.

constexpr uint32_t kReadFast = kAclRead | kAclString | kAclFast;
constexpr uint32_t kReadSlow = kAclRead | kAclString | kAclSlow;
constexpr uint32_t kWriteFast = kAclWrite | kAclString | kAclFast;
constexpr uint32_t kWriteSlow = kAclWrite | kAclString | kAclSlow;

// Key specs and tips as Redis 7.0's COMMAND INFO gives them.
constexpr KeySpec kReadAccessKeys[] = {key_range(kKeyRO | kKeyAccess, 1, -1)};
constexpr KeySpec kReadAccessTwoKeys[] = {key_range(kKeyRO | kKeyAccess, 1, 1)};
constexpr KeySpec kOverwriteKey[] = {key_range(kKeyOW | kKeyUpdate, 1)};
constexpr KeySpec kInsertKey[] = {key_range(kKeyOW | kKeyInsert, 1)};
constexpr KeySpec kOverwritePairs[] = {key_range(kKeyOW | kKeyUpdate, 1, -1, 2)};
constexpr KeySpec kInsertPairs[] = {key_range(kKeyOW | kKeyInsert, 1, -1, 2)};
// SET reads the old value only with GET: set_keys says which.
constexpr KeySpec kSetKey[] = {key_range(kKeyRW | kKeyAccess | kKeyUpdate | kKeyVariableFlags, 1)};
constexpr std::string_view kTipsMultiShard[] = {"request_policy:multi_shard"};
constexpr std::string_view kTipsMultiShardSucceed[] = {"request_policy:multi_shard",
                                                       "response_policy:all_succeeded"};
constexpr std::string_view kTipsMultiShardMin[] = {"request_policy:multi_shard",
                                                   "response_policy:agg_min"};

// One row per command reads better than one field per line.
// clang-format off
const CommandSpec kStringCommands[] = {
    {.name = "get", .arity = 2, .flags = kReadonly | kFast, .acl = kReadFast,
     .key_specs = one_key::kReadAccess, .handler = get_command, .group = "string",
     .summary = "Returns the string value of a key.", .since = "1.0.0", .complexity = "O(1)"},
    {.name = "set", .arity = -3, .flags = kWrite | kDenyOom, .acl = kWriteSlow,
     .key_specs = kSetKey, .getkeys = set_keys, .handler = set_command, .group = "string",
     .summary = "Sets a key to a string value, with optional expiry and conditions.",
     .since = "1.0.0", .complexity = "O(1)"},
    {.name = "setnx", .arity = 3, .flags = kWrite | kDenyOom | kFast, .acl = kWriteFast,
     .key_specs = kInsertKey, .handler = setnx_command, .group = "string",
     .summary = "Sets a string value only when the key does not exist.", .since = "1.0.0",
     .complexity = "O(1)"},
    {.name = "setex", .arity = 4, .flags = kWrite | kDenyOom, .acl = kWriteSlow,
     .key_specs = kOverwriteKey, .handler = setex_command, .group = "string",
     .summary = "Sets a string value with a time to live in seconds.", .since = "2.0.0",
     .complexity = "O(1)"},
    {.name = "psetex", .arity = 4, .flags = kWrite | kDenyOom, .acl = kWriteSlow,
     .key_specs = kOverwriteKey, .handler = psetex_command, .group = "string",
     .summary = "Sets a string value with a time to live in milliseconds.", .since = "2.6.0",
     .complexity = "O(1)"},
    {.name = "mget", .arity = -2, .flags = kReadonly | kFast, .acl = kReadFast,
     .tips = kTipsMultiShard, .key_specs = kReadAccessKeys, .handler = mget_command,
     .group = "string", .summary = "Returns the string values of several keys.", .since = "1.0.0",
     .complexity = "O(N) for N keys"},
    {.name = "mset", .arity = -3, .flags = kWrite | kDenyOom, .acl = kWriteSlow,
     .tips = kTipsMultiShardSucceed, .key_specs = kOverwritePairs, .handler = mset_command,
     .group = "string", .summary = "Sets several keys to string values at once.", .since = "1.0.1",
     .complexity = "O(N) for N keys"},
    {.name = "msetnx", .arity = -3, .flags = kWrite | kDenyOom, .acl = kWriteSlow,
     .tips = kTipsMultiShardMin, .key_specs = kInsertPairs, .handler = msetnx_command,
     .group = "string",
     .summary = "Sets several keys to string values only when none of them exists.",
     .since = "1.0.1", .complexity = "O(N) for N keys"},
    {.name = "getset", .arity = 3, .flags = kWrite | kDenyOom | kFast, .acl = kWriteFast,
     .key_specs = one_key::kAccessUpdate, .handler = getset_command, .group = "string",
     .summary = "Sets a string value and returns the previous one.", .since = "1.0.0",
     .complexity = "O(1)"},
    {.name = "getdel", .arity = 2, .flags = kWrite | kFast, .acl = kWriteFast,
     .key_specs = one_key::kAccessDelete, .handler = getdel_command, .group = "string",
     .summary = "Returns a string value and deletes the key.", .since = "6.2.0",
     .complexity = "O(1)"},
    {.name = "getex", .arity = -2, .flags = kWrite | kFast, .acl = kWriteFast,
     .key_specs = one_key::kAccessUpdate, .handler = getex_command, .group = "string",
     .summary = "Returns a string value and sets or removes its time to live.", .since = "6.2.0",
     .complexity = "O(1)"},
    {.name = "append", .arity = 3, .flags = kWrite | kDenyOom | kFast, .acl = kWriteFast,
     .key_specs = one_key::kInsert, .handler = append_command, .group = "string",
     .summary = "Appends bytes to a string value, creating it if needed.", .since = "2.0.0",
     .complexity = "O(N) for the resulting length N"},
    {.name = "strlen", .arity = 2, .flags = kReadonly | kFast, .acl = kReadFast,
     .key_specs = one_key::kRead, .handler = strlen_command, .group = "string",
     .summary = "Returns the length of a string value.", .since = "2.2.0", .complexity = "O(1)"},
    {.name = "incr", .arity = 2, .flags = kWrite | kDenyOom | kFast, .acl = kWriteFast,
     .key_specs = one_key::kAccessUpdate, .handler = incr_command, .group = "string",
     .summary = "Adds one to the integer value of a key.", .since = "1.0.0", .complexity = "O(1)"},
    {.name = "decr", .arity = 2, .flags = kWrite | kDenyOom | kFast, .acl = kWriteFast,
     .key_specs = one_key::kAccessUpdate, .handler = decr_command, .group = "string",
     .summary = "Subtracts one from the integer value of a key.", .since = "1.0.0",
     .complexity = "O(1)"},
    {.name = "incrby", .arity = 3, .flags = kWrite | kDenyOom | kFast, .acl = kWriteFast,
     .key_specs = one_key::kAccessUpdate, .handler = incrby_command, .group = "string",
     .summary = "Adds an integer to the integer value of a key.", .since = "1.0.0",
     .complexity = "O(1)"},
    {.name = "decrby", .arity = 3, .flags = kWrite | kDenyOom | kFast, .acl = kWriteFast,
     .key_specs = one_key::kAccessUpdate, .handler = decrby_command, .group = "string",
     .summary = "Subtracts an integer from the integer value of a key.", .since = "1.0.0",
     .complexity = "O(1)"},
    {.name = "incrbyfloat", .arity = 3, .flags = kWrite | kDenyOom | kFast, .acl = kWriteFast,
     .key_specs = one_key::kAccessUpdate, .handler = incrbyfloat_command, .group = "string",
     .summary = "Adds a floating point number to the value of a key.", .since = "2.6.0",
     .complexity = "O(1)"},
    {.name = "getrange", .arity = 4, .flags = kReadonly, .acl = kReadSlow,
     .key_specs = one_key::kReadAccess, .handler = getrange_command, .group = "string",
     .summary = "Returns a substring of a string value.", .since = "2.4.0",
     .complexity = "O(N) for the returned length N"},
    {.name = "setrange", .arity = 4, .flags = kWrite | kDenyOom, .acl = kWriteSlow,
     .key_specs = one_key::kUpdate, .handler = setrange_command, .group = "string",
     .summary = "Overwrites part of a string value at an offset, padding with zero bytes.",
     .since = "2.2.0", .complexity = "O(1) plus the copy of the written bytes"},
    {.name = "substr", .arity = 4, .flags = kReadonly, .acl = kReadSlow,
     .key_specs = one_key::kReadAccess, .handler = getrange_command, .group = "string",
     .summary = "Returns a substring of a string value (old name of GETRANGE).", .since = "1.0.0",
     .complexity = "O(N) for the returned length N"},
    {.name = "lcs", .arity = -3, .flags = kReadonly, .acl = kReadSlow,
     .key_specs = kReadAccessTwoKeys, .handler = lcs_command, .group = "string",
     .summary = "Finds the longest common subsequence of two string values.", .since = "7.0.0",
     .complexity = "O(N*M) for values of lengths N and M"},
};
// clang-format on

}  // namespace

std::span<const CommandSpec> string_commands() {
  return kStringCommands;
}

}  // namespace vireo
