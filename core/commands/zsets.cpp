// Sorted-set commands (Redis's t_zset.c family): adds and removals, scores and
// ranks, the ZRANGE family, pops (blocking ones too), ZRANDMEMBER and ZSCAN.
// The multi-key set algebra lives in zset_store.cpp.
#include <algorithm>
#include <climits>
#include <cmath>
#include <unordered_set>
#include <vector>

#include "core/command_table.h"
#include "core/commands/arguments.h"
#include "core/commands/families.h"
#include "core/commands/scan_args.h"
#include "core/commands/store_destination.h"
#include "core/commands/typed_lookup.h"
#include "core/commands/zset_shared.h"
#include "core/errors.h"
#include "core/glob.h"
#include "core/strconv.h"

namespace vireo {

namespace zset_detail {

void begin_pairs(CommandContext& ctx, size_t n) {
  ctx.reply.array(ctx.reply.protocol() >= 3 ? n : 2 * n);
}

void reply_pair(CommandContext& ctx, std::string_view member, double score) {
  if (ctx.reply.protocol() >= 3) ctx.reply.array(2);
  ctx.reply.bulk(member);
  ctx.reply.dbl(score);
}

void store_result(CommandContext& ctx, Args args, std::string_view dst,
                  std::unique_ptr<ZSetValue> result, std::string_view event) {
  if (result->size() == 0) {
    if (!ctx.db().erase(dst)) return;
    ctx.propagate(args);
    ctx.notify(notify::kGeneric, "del", dst);
    return;
  }
  store_container(ctx, dst, ValueType::kZSet, std::move(result));
  ctx.propagate(args);
  ctx.notify(notify::kZset, event, dst);
}

}  // namespace zset_detail

namespace {

using zset_detail::begin_pairs;
using zset_detail::reply_pair;

// Error texts only this family uses, worded as Redis 7.0 words them.
constexpr std::string_view kErrXxAndNx =
    "ERR XX and NX options at the same time are not compatible";
constexpr std::string_view kErrGtLtNx =
    "ERR GT, LT, and/or NX options at the same time are not compatible";
constexpr std::string_view kErrIncrPair =
    "ERR INCR option supports a single increment-element pair";
constexpr std::string_view kErrLexRange = "ERR min or max not valid string range item";
constexpr std::string_view kErrLimitNeedsBy =
    "ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX";
constexpr std::string_view kErrWithscoresLex =
    "ERR syntax error, WITHSCORES not supported in combination with BYLEX";
constexpr std::string_view kErrCount = "ERR count should be greater than 0";

std::string_view score_text(double score, std::span<char, kDoubleChars> buf) {
  return format_double(score, buf);
}

// ---------------------------------------------------------------------------
// Ranges

enum class RangeBy { kAuto, kRank, kScore, kLex };
enum class Direction { kAuto, kForward, kReverse };

// A ZRANGEBYLEX bound: '-', '+', "[member" or "(member".
struct LexBound {
  enum Kind { kMin, kMax, kInclusive, kExclusive } kind;
  std::string_view member;
};

std::optional<LexBound> parse_lex_bound(std::string_view s) {
  if (s == "-") return LexBound{LexBound::kMin, {}};
  if (s == "+") return LexBound{LexBound::kMax, {}};
  if (!s.empty() && s[0] == '[') return LexBound{LexBound::kInclusive, s.substr(1)};
  if (!s.empty() && s[0] == '(') return LexBound{LexBound::kExclusive, s.substr(1)};
  return std::nullopt;
}

// Ranks before the first member a lower (`is_max` false) or upper bound admits
// past... i.e. the rank where the bound cuts the set.
size_t lex_cut(const ZSetValue& z, const LexBound& b, bool is_max) {
  switch (b.kind) {
    case LexBound::kMin:
      return 0;
    case LexBound::kMax:
      return z.size();
    case LexBound::kInclusive:
      return z.count_below_member(b.member, is_max);
    case LexBound::kExclusive:
      return z.count_below_member(b.member, !is_max);
  }
  return 0;
}

size_t score_cut(const ZSetValue& z, const ScoreBound& b, bool is_max) {
  return z.count_below(b.value, is_max ? !b.exclusive : b.exclusive);
}

// A parsed ZRANGE-family request; the bounds are checked before the key is
// looked up, as Redis does.
struct RangeRequest {
  RangeBy by = RangeBy::kRank;
  bool reverse = false;
  bool withscores = false;
  int64_t offset = 0;
  int64_t limit = -1;
  int64_t start = 0, end = 0;  // kRank
  ScoreBound min_score{}, max_score{};
  LexBound min_lex{}, max_lex{};
};

bool parse_score_range(CommandContext& ctx, std::string_view min, std::string_view max,
                       ScoreBound* lo, ScoreBound* hi) {
  auto a = parse_score_bound(min), b = parse_score_bound(max);
  if (!a || !b) {
    ctx.reply.error(kErrMinMaxNotFloat);
    return false;
  }
  *lo = *a;
  *hi = *b;
  return true;
}

bool parse_lex_range(CommandContext& ctx, std::string_view min, std::string_view max, LexBound* lo,
                     LexBound* hi) {
  auto a = parse_lex_bound(min), b = parse_lex_bound(max);
  if (!a || !b) {
    ctx.reply.error(kErrLexRange);
    return false;
  }
  *lo = *a;
  *hi = *b;
  return true;
}

// Parses args[src+1..] (min, max, options) of a ZRANGE-family command.
bool parse_range(CommandContext& ctx, Args args, size_t src, bool store, RangeBy by, Direction dir,
                 RangeRequest* req) {
  bool has_limit = false;
  for (size_t j = src + 3; j < args.size(); ++j) {
    const size_t left = args.size() - j - 1;
    if (!store && iequals(args[j], "withscores")) {
      req->withscores = true;
    } else if (iequals(args[j], "limit") && left >= 2) {
      if (!int_arg(ctx, args[j + 1], &req->offset) || !int_arg(ctx, args[j + 2], &req->limit)) {
        return false;
      }
      has_limit = true;
      j += 2;
    } else if (dir == Direction::kAuto && iequals(args[j], "rev")) {
      dir = Direction::kReverse;
    } else if (by == RangeBy::kAuto && iequals(args[j], "bylex")) {
      by = RangeBy::kLex;
    } else if (by == RangeBy::kAuto && iequals(args[j], "byscore")) {
      by = RangeBy::kScore;
    } else {
      ctx.reply.error(kErrSyntax);
      return false;
    }
  }
  req->by = by == RangeBy::kAuto ? RangeBy::kRank : by;
  req->reverse = dir == Direction::kReverse;
  if (has_limit && req->limit != -1 && req->by == RangeBy::kRank) {
    ctx.reply.error(kErrLimitNeedsBy);
    return false;
  }
  if (req->withscores && req->by == RangeBy::kLex) {
    ctx.reply.error(kErrWithscoresLex);
    return false;
  }
  std::string_view min = args[src + 1], max = args[src + 2];
  // Reverse score and lex ranges are written max first.
  if (req->reverse && req->by != RangeBy::kRank) std::swap(min, max);
  switch (req->by) {
    case RangeBy::kScore:
      return parse_score_range(ctx, min, max, &req->min_score, &req->max_score);
    case RangeBy::kLex:
      return parse_lex_range(ctx, min, max, &req->min_lex, &req->max_lex);
    default:
      return int_arg(ctx, min, &req->start) && int_arg(ctx, max, &req->end);
  }
}

// Ascending ranks [from, to) that a rank range start..end (inclusive, negative
// from the end) covers.
std::pair<size_t, size_t> rank_span(int64_t start, int64_t end, size_t size) {
  const auto n = static_cast<int64_t>(size);
  if (start < 0) start += n;
  if (end < 0) end += n;
  if (start < 0) start = 0;
  if (start > end || start >= n) return {0, 0};
  if (end >= n) end = n - 1;
  return {static_cast<size_t>(start), static_cast<size_t>(end) + 1};
}

// The ascending ranks [from, to) a request selects, visited backwards when
// req.reverse.
std::pair<size_t, size_t> resolve(const RangeRequest& req, const ZSetValue& z) {
  if (req.by == RangeBy::kRank) {
    auto [from, to] = rank_span(req.start, req.end, z.size());
    if (!req.reverse || from == to) return {from, to};
    return {z.size() - to, z.size() - from};
  }
  size_t lo, hi;
  if (req.by == RangeBy::kScore) {
    lo = score_cut(z, req.min_score, false);
    hi = score_cut(z, req.max_score, true);
  } else {
    lo = lex_cut(z, req.min_lex, false);
    hi = lex_cut(z, req.max_lex, true);
  }
  const size_t total = hi > lo ? hi - lo : 0;
  if (req.offset < 0 || static_cast<uint64_t>(req.offset) >= total) return {0, 0};
  const size_t offset = static_cast<size_t>(req.offset), rest = total - offset;
  const size_t count =
      req.limit < 0 ? rest : std::min(rest, static_cast<size_t>(static_cast<uint64_t>(req.limit)));
  if (!req.reverse) return {lo + offset, lo + offset + count};
  return {hi - offset - count, hi - offset};
}

void reply_range(CommandContext& ctx, const ZSetValue& z, size_t from, size_t to, bool reverse,
                 bool withscores) {
  if (withscores) {
    begin_pairs(ctx, to - from);
  } else {
    ctx.reply.array(to - from);
  }
  z.visit(from, to, reverse, [&](std::string_view m, double s) {
    if (withscores) {
      reply_pair(ctx, m, s);
    } else {
      ctx.reply.bulk(m);
    }
  });
}

void range_generic(CommandContext& ctx, Args args, size_t src, bool store, RangeBy by,
                   Direction dir) {
  RangeRequest req;
  if (!parse_range(ctx, args, src, store, by, dir, &req)) return;
  Typed<ZSetValue> found = read_value<ZSetValue>(ctx, args[src]);
  if (found.wrong_type) return;
  if (!store) {
    if (!found.value) {
      ctx.reply.array(0);
      return;
    }
    auto [from, to] = resolve(req, *found.value);
    reply_range(ctx, *found.value, from, to, req.reverse, req.withscores);
    return;
  }
  const ContainerLimits& limits = ctx.limits.containers;
  auto result = std::make_unique<ZSetValue>(limits);
  if (found.value) {
    auto [from, to] = resolve(req, *found.value);
    size_t longest = 0;
    found.value->visit(from, to, false,
                       [&](std::string_view m, double) { longest = std::max(longest, m.size()); });
    result->presize(to - from, longest, limits);
    found.value->visit(from, to, false,
                       [&](std::string_view m, double s) { result->set(m, s, limits); });
  }
  ctx.reply.integer(static_cast<int64_t>(result->size()));
  zset_detail::store_result(ctx, args, args[1], std::move(result), "zrangestore");
}

void zrange_command(CommandContext& ctx, Args args) {
  range_generic(ctx, args, 1, false, RangeBy::kAuto, Direction::kAuto);
}
void zrangestore_command(CommandContext& ctx, Args args) {
  range_generic(ctx, args, 2, true, RangeBy::kAuto, Direction::kAuto);
}
void zrevrange_command(CommandContext& ctx, Args args) {
  range_generic(ctx, args, 1, false, RangeBy::kRank, Direction::kReverse);
}
void zrangebyscore_command(CommandContext& ctx, Args args) {
  range_generic(ctx, args, 1, false, RangeBy::kScore, Direction::kForward);
}
void zrevrangebyscore_command(CommandContext& ctx, Args args) {
  range_generic(ctx, args, 1, false, RangeBy::kScore, Direction::kReverse);
}
void zrangebylex_command(CommandContext& ctx, Args args) {
  range_generic(ctx, args, 1, false, RangeBy::kLex, Direction::kForward);
}
void zrevrangebylex_command(CommandContext& ctx, Args args) {
  range_generic(ctx, args, 1, false, RangeBy::kLex, Direction::kReverse);
}

void zcount_command(CommandContext& ctx, Args args) {
  ScoreBound lo, hi;
  if (!parse_score_range(ctx, args[2], args[3], &lo, &hi)) return;
  Typed<ZSetValue> found = read_value<ZSetValue>(ctx, args[1]);
  if (found.wrong_type) return;
  size_t a = found.value ? score_cut(*found.value, lo, false) : 0;
  size_t b = found.value ? score_cut(*found.value, hi, true) : 0;
  ctx.reply.integer(b > a ? static_cast<int64_t>(b - a) : 0);
}

void zlexcount_command(CommandContext& ctx, Args args) {
  LexBound lo, hi;
  if (!parse_lex_range(ctx, args[2], args[3], &lo, &hi)) return;
  Typed<ZSetValue> found = read_value<ZSetValue>(ctx, args[1]);
  if (found.wrong_type) return;
  size_t a = found.value ? lex_cut(*found.value, lo, false) : 0;
  size_t b = found.value ? lex_cut(*found.value, hi, true) : 0;
  ctx.reply.integer(b > a ? static_cast<int64_t>(b - a) : 0);
}

// ZREMRANGEBYRANK / BYSCORE / BYLEX: removes what the parsed range selects.
void remove_range(CommandContext& ctx, Args args, const RangeRequest& req, std::string_view event) {
  Typed<ZSetValue> found = write_value<ZSetValue>(ctx, args[1]);
  if (found.wrong_type) return;
  if (!found.value) {
    ctx.reply.integer(0);
    return;
  }
  auto [from, to] = resolve(req, *found.value);
  found.value->erase_ranks(from, to);
  ctx.reply.integer(static_cast<int64_t>(to - from));
  if (to == from) return;
  ctx.propagate(args);
  ctx.notify(notify::kZset, event, args[1]);
  if (erase_if_empty(ctx, args[1], *found.value)) ctx.notify(notify::kGeneric, "del", args[1]);
}

void zremrangebyrank_command(CommandContext& ctx, Args args) {
  RangeRequest req;
  if (!int_arg(ctx, args[2], &req.start) || !int_arg(ctx, args[3], &req.end)) return;
  remove_range(ctx, args, req, "zremrangebyrank");
}

void zremrangebyscore_command(CommandContext& ctx, Args args) {
  RangeRequest req;
  req.by = RangeBy::kScore;
  if (!parse_score_range(ctx, args[2], args[3], &req.min_score, &req.max_score)) return;
  remove_range(ctx, args, req, "zremrangebyscore");
}

void zremrangebylex_command(CommandContext& ctx, Args args) {
  RangeRequest req;
  req.by = RangeBy::kLex;
  if (!parse_lex_range(ctx, args[2], args[3], &req.min_lex, &req.max_lex)) return;
  remove_range(ctx, args, req, "zremrangebylex");
}

// ---------------------------------------------------------------------------
// Adding and removing

struct AddFlags {
  bool nx = false, xx = false, gt = false, lt = false, ch = false, incr = false;
};

enum class AddOutcome { kAdded, kUpdated, kSame, kSkipped, kNaN };

// Applies one ZADD pair as Redis's zsetAdd; `*score` becomes the new score.
AddOutcome add_one(ZSetValue& z, std::string_view member, double* score, const AddFlags& f,
                   const ContainerLimits& limits) {
  AddOutcome outcome = AddOutcome::kSkipped;
  z.upsert(
      member,
      [&](std::optional<double> cur) -> std::optional<double> {
        if (!cur) {
          if (f.xx) return std::nullopt;
          outcome = AddOutcome::kAdded;
          return *score;
        }
        if (f.nx) return std::nullopt;
        if (f.incr) {
          *score += *cur;
          if (std::isnan(*score)) {
            outcome = AddOutcome::kNaN;
            return std::nullopt;
          }
        }
        if ((f.lt && *score >= *cur) || (f.gt && *score <= *cur)) return std::nullopt;
        if (*score == *cur) {  // -0 over 0 included: Redis keeps the stored score
          outcome = AddOutcome::kSame;
          return std::nullopt;
        }
        outcome = AddOutcome::kUpdated;
        return *score;
      },
      limits);
  return outcome;
}

// The effect of an increment: the resulting score, exactly (format_double
// round-trips), so a replay never repeats float arithmetic.
void propagate_score(CommandContext& ctx, std::string_view key, double score,
                     std::string_view member) {
  char buf[kDoubleChars];
  ctx.propagate({"ZADD", key, score_text(score, buf), member});
}

void zadd_command(CommandContext& ctx, Args args) {
  AddFlags f;
  size_t first = 2;
  for (; first < args.size(); ++first) {
    std::string_view opt = args[first];
    if (iequals(opt, "nx")) {
      f.nx = true;
    } else if (iequals(opt, "xx")) {
      f.xx = true;
    } else if (iequals(opt, "ch")) {
      f.ch = true;
    } else if (iequals(opt, "incr")) {
      f.incr = true;
    } else if (iequals(opt, "gt")) {
      f.gt = true;
    } else if (iequals(opt, "lt")) {
      f.lt = true;
    } else {
      break;
    }
  }
  const size_t elements = args.size() - first;
  if (elements == 0 || elements % 2 != 0) return ctx.reply.error(kErrSyntax);
  if (f.nx && f.xx) return ctx.reply.error(kErrXxAndNx);
  if ((f.gt && f.nx) || (f.lt && f.nx) || (f.gt && f.lt)) return ctx.reply.error(kErrGtLtNx);
  if (f.incr && elements > 2) return ctx.reply.error(kErrIncrPair);
  for (size_t i = first; i < args.size(); i += 2) {
    if (!parse_double(args[i])) return ctx.reply.error(kErrNotFloat);
  }
  Typed<ZSetValue> found = write_value<ZSetValue>(ctx, args[1]);
  if (found.wrong_type) return;
  ZSetValue* z = found.value;
  if (!z) {
    if (f.xx) return f.incr ? ctx.reply.null() : ctx.reply.integer(0);
    z = value_or_create<ZSetValue>(ctx, args[1]);
    // Redis 7.0 sizes a new set by its first member alone.
    z->presize(1, args[first + 1].size(), ctx.limits.containers);
  }
  int64_t added = 0, updated = 0;
  bool processed = false;
  double score = 0;
  for (size_t i = first; i < args.size(); i += 2) {
    score = *parse_double(args[i]);
    switch (add_one(*z, args[i + 1], &score, f, ctx.limits.containers)) {
      case AddOutcome::kNaN:
        return ctx.reply.error(kErrScoreNaN);
      case AddOutcome::kAdded:
        ++added;
        processed = true;
        break;
      case AddOutcome::kUpdated:
        ++updated;
        processed = true;
        break;
      case AddOutcome::kSame:
        processed = true;
        break;
      case AddOutcome::kSkipped:
        break;
    }
  }
  if (added + updated > 0) {
    if (f.incr) {
      propagate_score(ctx, args[1], score, args[first + 1]);
    } else {
      ctx.propagate(args);
    }
    ctx.notify(notify::kZset, f.incr ? "zincr" : "zadd", args[1]);
  }
  if (!f.incr) return ctx.reply.integer(f.ch ? added + updated : added);
  if (processed) return ctx.reply.dbl(score);
  ctx.reply.null();
}

void zincrby_command(CommandContext& ctx, Args args) {
  auto incr = parse_double(args[2]);
  if (!incr) return ctx.reply.error(kErrNotFloat);
  ZSetValue* z = value_or_create<ZSetValue>(ctx, args[1]);
  if (!z) return;
  z->presize(1, args[3].size(), ctx.limits.containers);
  double score = *incr;
  AddFlags f;
  f.incr = true;
  AddOutcome outcome = add_one(*z, args[3], &score, f, ctx.limits.containers);
  if (outcome == AddOutcome::kNaN) return ctx.reply.error(kErrScoreNaN);
  if (outcome != AddOutcome::kSame) {
    propagate_score(ctx, args[1], score, args[3]);
    ctx.notify(notify::kZset, "zincr", args[1]);
  }
  ctx.reply.dbl(score);
}

void zrem_command(CommandContext& ctx, Args args) {
  Typed<ZSetValue> found = write_value<ZSetValue>(ctx, args[1]);
  if (found.wrong_type) return;
  int64_t removed = 0;
  if (found.value) {
    for (size_t i = 2; i < args.size() && found.value->size() > 0; ++i)
      removed += found.value->erase(args[i]);
  }
  ctx.reply.integer(removed);
  if (removed == 0) return;
  ctx.propagate(args);
  ctx.notify(notify::kZset, "zrem", args[1]);
  if (erase_if_empty(ctx, args[1], *found.value)) ctx.notify(notify::kGeneric, "del", args[1]);
}

// ---------------------------------------------------------------------------
// Point reads

void zcard_command(CommandContext& ctx, Args args) {
  Typed<ZSetValue> found = read_value<ZSetValue>(ctx, args[1]);
  if (found.wrong_type) return;
  ctx.reply.integer(found.value ? static_cast<int64_t>(found.value->size()) : 0);
}

void reply_score_or_null(CommandContext& ctx, const ZSetValue* z, std::string_view member) {
  std::optional<double> s = z ? z->score(member) : std::nullopt;
  if (s) {
    ctx.reply.dbl(*s);
  } else {
    ctx.reply.null();
  }
}

void zscore_command(CommandContext& ctx, Args args) {
  Typed<ZSetValue> found = read_value<ZSetValue>(ctx, args[1]);
  if (found.wrong_type) return;
  reply_score_or_null(ctx, found.value, args[2]);
}

void zmscore_command(CommandContext& ctx, Args args) {
  Typed<ZSetValue> found = read_value<ZSetValue>(ctx, args[1]);
  if (found.wrong_type) return;
  ctx.reply.array(args.size() - 2);
  for (size_t i = 2; i < args.size(); ++i)
    reply_score_or_null(ctx, found.value, args[i]);
}

void rank_generic(CommandContext& ctx, Args args, bool reverse) {
  Typed<ZSetValue> found = read_value<ZSetValue>(ctx, args[1]);
  if (found.wrong_type) return;
  std::optional<size_t> rank = found.value ? found.value->rank(args[2]) : std::nullopt;
  if (!rank) return ctx.reply.null();
  ctx.reply.integer(static_cast<int64_t>(reverse ? found.value->size() - 1 - *rank : *rank));
}

void zrank_command(CommandContext& ctx, Args args) {
  rank_generic(ctx, args, false);
}
void zrevrank_command(CommandContext& ctx, Args args) {
  rank_generic(ctx, args, true);
}

// ---------------------------------------------------------------------------
// Pops

enum class PopShape {
  kFlat,   // ZPOPMIN key: [member, score]
  kPairs,  // ZPOPMIN key count: as WITHSCORES
  kKeyed,  // BZPOPMIN: [key, member, score]
  kMulti,  // ZMPOP/BZMPOP: [key, [[member, score]...]]
};

// Pops up to `count` (>= 1) members of the non-empty `z` at `key`, replies
// them in `shape`, and propagates ZPOPMIN/ZPOPMAX key n: pops follow the
// set's total order, so the same pop on the same state removes the same
// members, and naming a count is shorter than naming every member.
void pop_and_reply(CommandContext& ctx, std::string_view key, ZSetValue& z, bool max, size_t count,
                   PopShape shape) {
  const size_t n = std::min(count, z.size());
  const size_t from = max ? z.size() - n : 0, to = from + n;
  switch (shape) {
    case PopShape::kFlat:
      ctx.reply.array(2 * n);
      break;
    case PopShape::kPairs:
      begin_pairs(ctx, n);
      break;
    case PopShape::kKeyed:
      ctx.reply.array(3);
      ctx.reply.bulk(key);
      break;
    case PopShape::kMulti:
      ctx.reply.array(2);
      ctx.reply.bulk(key);
      ctx.reply.array(n);
      break;
  }
  z.visit(from, to, max, [&](std::string_view m, double s) {
    if (shape == PopShape::kPairs) return reply_pair(ctx, m, s);
    if (shape == PopShape::kMulti) ctx.reply.array(2);
    ctx.reply.bulk(m);
    ctx.reply.dbl(s);
  });
  z.erase_ranks(from, to);
  char buf[24];
  ctx.propagate({max ? "ZPOPMAX" : "ZPOPMIN", key, int_text(static_cast<int64_t>(n), buf)});
  ctx.notify(notify::kZset, max ? "zpopmax" : "zpopmin", key);
  if (erase_if_empty(ctx, key, z)) ctx.notify(notify::kGeneric, "del", key);
}

void pop_generic(CommandContext& ctx, Args args, bool max) {
  if (args.size() > 3) return ctx.reply.error(kErrSyntax);
  int64_t count = 1;
  if (args.size() == 3) {
    auto parsed = parse_int64(args[2]);
    if (!parsed || *parsed < 0) return ctx.reply.error(kErrMustBePositive);
    count = *parsed;
  }
  Typed<ZSetValue> found = write_value<ZSetValue>(ctx, args[1]);
  if (found.wrong_type) return;
  if (!found.value || count == 0) return ctx.reply.array(0);
  pop_and_reply(ctx, args[1], *found.value, max, static_cast<size_t>(count),
                args.size() == 3 ? PopShape::kPairs : PopShape::kFlat);
}

void zpopmin_command(CommandContext& ctx, Args args) {
  pop_generic(ctx, args, false);
}
void zpopmax_command(CommandContext& ctx, Args args) {
  pop_generic(ctx, args, true);
}

// Pops from the first non-empty key of `keys`; returns false (having replied
// nothing) when all are empty, or true after a reply (a pop or WRONGTYPE).
bool pop_first(CommandContext& ctx, Args keys, bool max, size_t count, PopShape shape) {
  for (std::string_view key : keys) {
    Typed<ZSetValue> found = write_value<ZSetValue>(ctx, key);
    if (found.wrong_type) return true;
    if (found.value) {
      pop_and_reply(ctx, key, *found.value, max, count, shape);
      return true;
    }
  }
  return false;
}

void bpop_generic(CommandContext& ctx, Args args, bool max) {
  int64_t deadline;
  if (!timeout_arg(ctx, args.back(), &deadline)) return;
  Args keys = args.subspan(1, args.size() - 2);
  if (pop_first(ctx, keys, max, 1, PopShape::kKeyed)) return;
  if (!ctx.can_block) return ctx.reply.null_array();
  ctx.block_on(keys, ValueType::kZSet, deadline);
}

void bzpopmin_command(CommandContext& ctx, Args args) {
  bpop_generic(ctx, args, false);
}
void bzpopmax_command(CommandContext& ctx, Args args) {
  bpop_generic(ctx, args, true);
}

// ZMPOP/BZMPOP: numkeys at args[at], then the keys, MIN|MAX, [COUNT n].
void mpop_generic(CommandContext& ctx, Args args, size_t at, int64_t deadline, bool blocking) {
  auto numkeys = parse_int64(args[at]);
  if (!numkeys || *numkeys < 1) return ctx.reply.error(kErrNumkeys);
  if (static_cast<uint64_t>(*numkeys) >= args.size() - at - 1) return ctx.reply.error(kErrSyntax);
  const size_t where = at + 1 + static_cast<size_t>(*numkeys);
  bool max;
  if (iequals(args[where], "min")) {
    max = false;
  } else if (iequals(args[where], "max")) {
    max = true;
  } else {
    return ctx.reply.error(kErrSyntax);
  }
  int64_t count = -1;
  for (size_t j = where + 1; j < args.size(); ++j) {
    if (count == -1 && iequals(args[j], "count") && j + 1 < args.size()) {
      auto parsed = parse_int64(args[++j]);
      if (!parsed || *parsed < 1) return ctx.reply.error(kErrCount);
      count = *parsed;
    } else {
      return ctx.reply.error(kErrSyntax);
    }
  }
  Args keys = args.subspan(at + 1, static_cast<size_t>(*numkeys));
  if (pop_first(ctx, keys, max, count == -1 ? 1 : static_cast<size_t>(count), PopShape::kMulti)) {
    return;
  }
  if (!blocking || !ctx.can_block) return ctx.reply.null_array();
  ctx.block_on(keys, ValueType::kZSet, deadline);
}

void zmpop_command(CommandContext& ctx, Args args) {
  mpop_generic(ctx, args, 1, 0, false);
}

void bzmpop_command(CommandContext& ctx, Args args) {
  int64_t deadline;
  if (!timeout_arg(ctx, args[1], &deadline)) return;
  mpop_generic(ctx, args, 2, deadline, true);
}

// ---------------------------------------------------------------------------
// ZRANDMEMBER and ZSCAN

void zrandmember_command(CommandContext& ctx, Args args) {
  auto& rng = ctx.keyspace.rng();
  if (args.size() == 2) {
    Typed<ZSetValue> found = read_value<ZSetValue>(ctx, args[1]);
    if (found.wrong_type) return;
    if (!found.value) return ctx.reply.null();
    ctx.reply.bulk(found.value->at_rank(rng() % found.value->size()).first);
    return;
  }
  int64_t l;
  if (!int_arg(ctx, args[2], &l)) return;
  if (l == INT64_MIN) return ctx.reply.error(kErrRandomCountRange);
  if (args.size() > 4 || (args.size() == 4 && !iequals(args[3], "withscores"))) {
    return ctx.reply.error(kErrSyntax);
  }
  const bool withscores = args.size() == 4;
  if ((withscores && (l < -INT64_MAX / 2 || l > INT64_MAX / 2)) || too_many_random_picks(l)) {
    return ctx.reply.error(kErrOutOfRange);
  }
  Typed<ZSetValue> found = read_value<ZSetValue>(ctx, args[1]);
  if (found.wrong_type) return;
  if (!found.value || l == 0) return ctx.reply.array(0);
  const ZSetValue& z = *found.value;
  const size_t size = z.size();
  const bool unique = l > 0;
  const auto count = static_cast<uint64_t>(l > 0 ? l : -l);
  auto emit = [&](std::string_view m, double s) {
    if (withscores) {
      reply_pair(ctx, m, s);
    } else {
      ctx.reply.bulk(m);
    }
  };
  auto begin = [&](size_t n) { withscores ? begin_pairs(ctx, n) : ctx.reply.array(n); };
  if (unique && count >= size) {
    begin(size);
    z.visit_all(emit);
    return;
  }
  // Picks by rank; the packed encoding is walked once into a table first.
  std::vector<std::pair<std::string_view, double>> table;
  if (z.packed()) {
    table.reserve(size);
    z.visit_all([&](std::string_view m, double s) { table.emplace_back(m, s); });
  }
  auto pick = [&](size_t rank) {
    if (z.packed()) return emit(table[rank].first, table[rank].second);
    auto [m, s] = z.at_rank(rank);
    emit(m, s);
  };
  begin(static_cast<size_t>(count));
  if (!unique) {
    for (uint64_t i = 0; i < count; ++i)
      pick(rng() % size);
    return;
  }
  // Floyd's sampling: `count` distinct ranks in O(count).
  std::unordered_set<size_t> chosen;
  for (size_t j = size - count; j < size; ++j) {
    size_t r = rng() % (j + 1);
    if (!chosen.insert(r).second) {
      chosen.insert(j);
      r = j;
    }
    pick(r);
  }
}

void zscan_command(CommandContext& ctx, Args args) {
  uint64_t cursor;
  if (!scan_cursor_arg(ctx, args[2], &cursor)) return;
  Typed<ZSetValue> found = read_value<ZSetValue>(ctx, args[1]);
  if (found.wrong_type) return;
  if (!found.value) return reply_scan_start(ctx, 0, 0);
  ScanOptions opts;
  if (!scan_options_arg(ctx, args, 3, false, &opts)) return;
  std::vector<std::pair<std::string_view, double>> items;
  uint64_t next = found.value->scan(cursor, opts.count, [&](std::string_view m, double s) {
    if (opts.matches(m)) items.emplace_back(m, s);
  });
  reply_scan_start(ctx, next, 2 * items.size());
  char score_buf[kDoubleChars];
  for (const auto& [m, s] : items) {
    ctx.reply.bulk(m);
    ctx.reply.bulk(score_text(s, score_buf));
  }
}

// ---------------------------------------------------------------------------
// The table, with flags, ACL categories and key specs as Redis 7.0's COMMAND
// INFO reports them.

constexpr uint32_t kReadFast = kAclRead | kAclSortedSet | kAclFast;
constexpr uint32_t kReadSlow = kAclRead | kAclSortedSet | kAclSlow;
constexpr uint32_t kWriteFast = kAclWrite | kAclSortedSet | kAclFast;
constexpr uint32_t kWriteSlow = kAclWrite | kAclSortedSet | kAclSlow;

constexpr KeySpec kBlockingPop[] = {key_range(kKeyRW | kKeyAccess | kKeyDelete, 1, -2)};
constexpr KeySpec kStoreFromOne[] = {key_range(kKeyOW | kKeyUpdate, 1),
                                     key_range(kKeyRO | kKeyAccess, 2)};
constexpr KeySpec kMultiPop[] = {{.flags = kKeyRW | kKeyAccess | kKeyDelete,
                                  .begin_search = begin_index(1),
                                  .find_keys = find_keynum(0, 1, 1)}};
constexpr KeySpec kBlockingMultiPop[] = {{.flags = kKeyRW | kKeyAccess | kKeyDelete,
                                          .begin_search = begin_index(2),
                                          .find_keys = find_keynum(0, 1, 1)}};
constexpr std::string_view kTipsRandom[] = {"nondeterministic_output"};

// One row per command reads better than one field per line.
// clang-format off
const CommandSpec kZSetCommands[] = {
    {.name = "zadd", .arity = -4, .flags = kWrite | kDenyOom | kFast, .acl = kWriteFast,
     .key_specs = one_key::kUpdate, .handler = zadd_command, .group = "sorted_set",
     .summary = "Adds members to a sorted set, or updates their scores.", .since = "1.2.0",
     .complexity = "O(log(N)) for each member added"},
    {.name = "zincrby", .arity = 4, .flags = kWrite | kDenyOom | kFast, .acl = kWriteFast,
     .key_specs = one_key::kAccessUpdate, .handler = zincrby_command, .group = "sorted_set",
     .summary = "Adds to the score of a member of a sorted set.", .since = "1.2.0",
     .complexity = "O(log(N))"},
    {.name = "zrem", .arity = -3, .flags = kWrite | kFast, .acl = kWriteFast,
     .key_specs = one_key::kDelete, .handler = zrem_command, .group = "sorted_set",
     .summary = "Removes members from a sorted set.", .since = "1.2.0",
     .complexity = "O(M*log(N)) for M members removed"},
    {.name = "zcard", .arity = 2, .flags = kReadonly | kFast, .acl = kReadFast,
     .key_specs = one_key::kRead, .handler = zcard_command, .group = "sorted_set",
     .summary = "Returns the number of members of a sorted set.", .since = "1.2.0",
     .complexity = "O(1)"},
    {.name = "zcount", .arity = 4, .flags = kReadonly | kFast, .acl = kReadFast,
     .key_specs = one_key::kReadAccess, .handler = zcount_command, .group = "sorted_set",
     .summary = "Counts the members of a sorted set within a score range.", .since = "2.0.0",
     .complexity = "O(log(N))"},
    {.name = "zlexcount", .arity = 4, .flags = kReadonly | kFast, .acl = kReadFast,
     .key_specs = one_key::kReadAccess, .handler = zlexcount_command, .group = "sorted_set",
     .summary = "Counts the members of a sorted set within a lexicographical range.",
     .since = "2.8.9", .complexity = "O(log(N))"},
    {.name = "zscore", .arity = 3, .flags = kReadonly | kFast, .acl = kReadFast,
     .key_specs = one_key::kReadAccess, .handler = zscore_command, .group = "sorted_set",
     .summary = "Returns the score of a member of a sorted set.", .since = "1.2.0",
     .complexity = "O(1)"},
    {.name = "zmscore", .arity = -3, .flags = kReadonly | kFast, .acl = kReadFast,
     .key_specs = one_key::kReadAccess, .handler = zmscore_command, .group = "sorted_set",
     .summary = "Returns the scores of several members of a sorted set.", .since = "6.2.0",
     .complexity = "O(N) for N members"},
    {.name = "zrank", .arity = 3, .flags = kReadonly | kFast, .acl = kReadFast,
     .key_specs = one_key::kReadAccess, .handler = zrank_command, .group = "sorted_set",
     .summary = "Returns the rank of a member of a sorted set, by ascending score.",
     .since = "2.0.0", .complexity = "O(log(N))"},
    {.name = "zrevrank", .arity = 3, .flags = kReadonly | kFast, .acl = kReadFast,
     .key_specs = one_key::kReadAccess, .handler = zrevrank_command, .group = "sorted_set",
     .summary = "Returns the rank of a member of a sorted set, by descending score.",
     .since = "2.0.0", .complexity = "O(log(N))"},
    {.name = "zrange", .arity = -4, .flags = kReadonly, .acl = kReadSlow,
     .key_specs = one_key::kReadAccess, .handler = zrange_command, .group = "sorted_set",
     .summary = "Returns members of a sorted set by rank, score or lexicographical range.",
     .since = "1.2.0", .complexity = "O(log(N)+M) for M members returned"},
    {.name = "zrangestore", .arity = -5, .flags = kWrite | kDenyOom, .acl = kWriteSlow,
     .key_specs = kStoreFromOne, .handler = zrangestore_command, .group = "sorted_set",
     .summary = "Stores a range of a sorted set in another key.", .since = "6.2.0",
     .complexity = "O(log(N)+M) for M members stored"},
    {.name = "zrevrange", .arity = -4, .flags = kReadonly, .acl = kReadSlow,
     .key_specs = one_key::kReadAccess, .handler = zrevrange_command, .group = "sorted_set",
     .summary = "Returns members of a sorted set by rank, highest first.", .since = "1.2.0",
     .complexity = "O(log(N)+M) for M members returned"},
    {.name = "zrangebyscore", .arity = -4, .flags = kReadonly, .acl = kReadSlow,
     .key_specs = one_key::kReadAccess, .handler = zrangebyscore_command, .group = "sorted_set",
     .summary = "Returns members of a sorted set within a score range.", .since = "1.0.5",
     .complexity = "O(log(N)+M) for M members returned"},
    {.name = "zrevrangebyscore", .arity = -4, .flags = kReadonly, .acl = kReadSlow,
     .key_specs = one_key::kReadAccess, .handler = zrevrangebyscore_command, .group = "sorted_set",
     .summary = "Returns members of a sorted set within a score range, highest first.",
     .since = "2.2.0", .complexity = "O(log(N)+M) for M members returned"},
    {.name = "zrangebylex", .arity = -4, .flags = kReadonly, .acl = kReadSlow,
     .key_specs = one_key::kReadAccess, .handler = zrangebylex_command, .group = "sorted_set",
     .summary = "Returns members of a sorted set within a lexicographical range.",
     .since = "2.8.9", .complexity = "O(log(N)+M) for M members returned"},
    {.name = "zrevrangebylex", .arity = -4, .flags = kReadonly, .acl = kReadSlow,
     .key_specs = one_key::kReadAccess, .handler = zrevrangebylex_command, .group = "sorted_set",
     .summary = "Returns members of a sorted set within a lexicographical range, reversed.",
     .since = "2.8.9", .complexity = "O(log(N)+M) for M members returned"},
    {.name = "zremrangebyrank", .arity = 4, .flags = kWrite, .acl = kWriteSlow,
     .key_specs = one_key::kDelete, .handler = zremrangebyrank_command, .group = "sorted_set",
     .summary = "Removes the members of a sorted set within a rank range.", .since = "2.0.0",
     .complexity = "O(log(N)+M) for M members removed"},
    {.name = "zremrangebyscore", .arity = 4, .flags = kWrite, .acl = kWriteSlow,
     .key_specs = one_key::kDelete, .handler = zremrangebyscore_command, .group = "sorted_set",
     .summary = "Removes the members of a sorted set within a score range.", .since = "1.2.0",
     .complexity = "O(log(N)+M) for M members removed"},
    {.name = "zremrangebylex", .arity = 4, .flags = kWrite, .acl = kWriteSlow,
     .key_specs = one_key::kDelete, .handler = zremrangebylex_command, .group = "sorted_set",
     .summary = "Removes the members of a sorted set within a lexicographical range.",
     .since = "2.8.9", .complexity = "O(log(N)+M) for M members removed"},
    {.name = "zpopmin", .arity = -2, .flags = kWrite | kFast, .acl = kWriteFast,
     .key_specs = one_key::kAccessDelete, .handler = zpopmin_command, .group = "sorted_set",
     .summary = "Removes and returns the lowest-scored members of a sorted set.",
     .since = "5.0.0", .complexity = "O(log(N)*M) for M members popped"},
    {.name = "zpopmax", .arity = -2, .flags = kWrite | kFast, .acl = kWriteFast,
     .key_specs = one_key::kAccessDelete, .handler = zpopmax_command, .group = "sorted_set",
     .summary = "Removes and returns the highest-scored members of a sorted set.",
     .since = "5.0.0", .complexity = "O(log(N)*M) for M members popped"},
    {.name = "zmpop", .arity = -4, .flags = kWrite, .acl = kWriteSlow,
     .key_specs = kMultiPop, .handler = zmpop_command, .group = "sorted_set",
     .summary = "Pops members from the first non-empty sorted set of several keys.",
     .since = "7.0.0", .complexity = "O(K)+O(M*log(N)) for K keys and M members popped"},
    {.name = "bzpopmin", .arity = -3, .flags = kWrite | kNoscript | kBlocking | kFast,
     .acl = kWriteFast | kAclBlocking, .key_specs = kBlockingPop, .handler = bzpopmin_command,
     .group = "sorted_set",
     .summary = "Pops the lowest-scored member of the first non-empty sorted set, or blocks.",
     .since = "5.0.0", .complexity = "O(log(N))"},
    {.name = "bzpopmax", .arity = -3, .flags = kWrite | kNoscript | kBlocking | kFast,
     .acl = kWriteFast | kAclBlocking, .key_specs = kBlockingPop, .handler = bzpopmax_command,
     .group = "sorted_set",
     .summary = "Pops the highest-scored member of the first non-empty sorted set, or blocks.",
     .since = "5.0.0", .complexity = "O(log(N))"},
    {.name = "bzmpop", .arity = -5, .flags = kWrite | kBlocking, .acl = kWriteSlow | kAclBlocking,
     .key_specs = kBlockingMultiPop, .handler = bzmpop_command, .group = "sorted_set",
     .summary = "Pops members from the first non-empty sorted set of several keys, or blocks.",
     .since = "7.0.0", .complexity = "O(K)+O(M*log(N)) for K keys and M members popped"},
    {.name = "zrandmember", .arity = -2, .flags = kReadonly, .acl = kReadSlow,
     .tips = kTipsRandom, .key_specs = one_key::kReadAccess, .handler = zrandmember_command,
     .group = "sorted_set", .summary = "Returns random members of a sorted set.",
     .since = "6.2.0", .complexity = "O(N) for N members returned"},
    {.name = "zscan", .arity = -3, .flags = kReadonly, .acl = kReadSlow,
     .tips = kTipsRandom, .key_specs = one_key::kReadAccess, .handler = zscan_command,
     .group = "sorted_set", .summary = "Iterates over the members and scores of a sorted set.",
     .since = "2.8.0", .complexity = "O(1) per call, O(N) for a complete iteration"},
};
// clang-format on

}  // namespace

std::span<const CommandSpec> zset_commands() {
  static const std::vector<CommandSpec> all = [] {
    std::vector<CommandSpec> rows(std::begin(kZSetCommands), std::end(kZSetCommands));
    auto more = zset_detail::store_commands();
    rows.insert(rows.end(), more.begin(), more.end());
    return rows;
  }();
  return all;
}

}  // namespace vireo
