// Sorted-set algebra: ZUNION ZINTER ZDIFF, their STORE forms, and ZINTERCARD.
#include <algorithm>
#include <cmath>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/ascii.h"
#include "core/commands/arguments.h"
#include "core/commands/typed_lookup.h"
#include "core/commands/zset_shared.h"
#include "core/errors.h"
#include "core/strconv.h"
#include "core/types/set_value.h"

namespace vireo::zset_detail {
namespace {

constexpr std::string_view kErrWeightNotFloat = "ERR weight value is not a float";
constexpr std::string_view kErrLimitNegative = "ERR LIMIT can't be negative";

// Calls `visit` for every member of the set held by `e` and returns true;
// false means `e` is not a set (the caller replies WRONGTYPE). Sets count as
// sorted sets of score 1.
bool for_each_set_member(const Entry& e, FnRef<void(std::string_view)> visit) {
  if (e.type() != ValueType::kSet) return false;
  e.value_as<SetValue>()->for_each(visit);
  return true;
}

enum class Op { kUnion, kInter, kDiff };
enum class Aggregate { kSum, kMin, kMax };

struct Source {
  const ZSetValue* z = nullptr;  // null: absent key
  double weight = 1;
  size_t size() const { return z ? z->size() : 0; }
};

// One weighted score; a NaN product (0 * inf) counts as 0, as in Redis.
double weighted(double score, double weight) {
  double v = score * weight;
  return std::isnan(v) ? 0 : v;
}

void aggregate(double* target, double v, Aggregate how) {
  switch (how) {
    case Aggregate::kSum:
      *target += v;
      if (std::isnan(*target)) *target = 0;
      break;
    case Aggregate::kMin:
      *target = v < *target ? v : *target;
      break;
    case Aggregate::kMax:
      *target = v > *target ? v : *target;
      break;
  }
}

struct Request {
  Op op;
  bool store;      // the destination is args[1]
  bool card_only;  // ZINTERCARD
};

// The event a STORE form publishes about its destination.
std::string_view store_event(Op op) {
  switch (op) {
    case Op::kUnion:
      return "zunionstore";
    case Op::kInter:
      return "zinterstore";
    case Op::kDiff:
      return "zdiffstore";
  }
  return {};
}

// Looks the sources up: a zset as it is, a set as a temporary zset of score 1
// (kept in `owned`). Replies WRONGTYPE for anything else and returns false.
bool lookup_sources(CommandContext& ctx, Args keys, bool store, std::vector<Source>* sources,
                    std::vector<std::unique_ptr<ZSetValue>>* owned) {
  for (std::string_view key : keys) {
    Entry* e = store ? ctx.db().find_and_touch(key) : ctx.db().find_for_read(key);
    Source src;
    if (e && e->type() == ValueType::kZSet) {
      src.z = e->value_as<ZSetValue>();
    } else if (e) {
      auto temp = std::make_unique<ZSetValue>(ctx.limits.containers);
      ContainerLimits unlimited;
      unlimited.zset_max_listpack_entries = 0;
      ZSetValue* z = temp.get();
      if (!for_each_set_member(*e, [&](std::string_view m) { z->set(m, 1, unlimited); })) {
        ctx.reply.error(kErrWrongType);
        return false;
      }
      src.z = z;
      owned->push_back(std::move(temp));
    }
    sources->push_back(src);
  }
  return true;
}

// Member -> score of the result, before sorting.
using Accumulator = std::unordered_map<std::string_view, double>;

void compute_union(const std::vector<Source>& sources, Aggregate how, Accumulator* acc) {
  for (const Source& src : sources) {
    if (!src.z) continue;
    src.z->visit_all([&](std::string_view m, double s) {
      double v = weighted(s, src.weight);
      auto [it, fresh] = acc->try_emplace(m, v);
      if (!fresh) aggregate(&it->second, v, how);
    });
  }
}

// Visits the intersection (sources sorted smallest first), stopping after
// `limit` members when limit > 0.
template <class Visit>
void visit_inter(const std::vector<Source>& sources, Aggregate how, size_t limit, Visit visit) {
  for (const Source& src : sources) {
    if (src.size() == 0) return;
  }
  size_t found = 0;
  sources[0].z->visit_all([&](std::string_view m, double s) {
    if (limit > 0 && found >= limit) return;
    double score = weighted(s, sources[0].weight);
    for (size_t j = 1; j < sources.size(); ++j) {
      auto other = sources[j].z->score(m);
      if (!other) return;
      aggregate(&score, weighted(*other, sources[j].weight), how);
    }
    ++found;
    visit(m, score);
  });
}

void compute_diff(const std::vector<Source>& sources, Accumulator* acc) {
  if (sources[0].size() == 0) return;
  sources[0].z->visit_all([&](std::string_view m, double s) {
    for (size_t j = 1; j < sources.size(); ++j) {
      if (sources[j].z && sources[j].z->score(m)) return;
    }
    acc->emplace(m, s);
  });
}

void setop_generic(CommandContext& ctx, Args args, Request req) {
  const size_t numkeys_at = req.store ? 2 : 1;
  int64_t numkeys;
  if (!int_arg(ctx, args[numkeys_at], &numkeys)) return;
  if (numkeys < 1) {
    const std::string name = ascii_lower(args[0]);
    return ctx.reply.error("ERR at least 1 input key is needed for '" + name + "' command");
  }
  if (static_cast<uint64_t>(numkeys) > args.size() - numkeys_at - 1) {
    return ctx.reply.error(kErrSyntax);
  }
  const auto n = static_cast<size_t>(numkeys);
  std::vector<Source> sources;
  std::vector<std::unique_ptr<ZSetValue>> owned;
  sources.reserve(n);
  if (!lookup_sources(ctx, args.subspan(numkeys_at + 1, n), req.store, &sources, &owned)) return;

  Aggregate how = Aggregate::kSum;
  bool withscores = false;
  int64_t limit = 0;
  for (size_t j = numkeys_at + 1 + n; j < args.size(); ++j) {
    const size_t remaining = args.size() - j;
    if (req.card_only) {
      if (remaining >= 2 && iequals(args[j], "limit")) {
        auto parsed = parse_int64(args[++j]);
        if (!parsed || *parsed < 0) return ctx.reply.error(kErrLimitNegative);
        limit = *parsed;
        continue;
      }
      return ctx.reply.error(kErrSyntax);
    }
    if (req.op != Op::kDiff && remaining >= n + 1 && iequals(args[j], "weights")) {
      for (size_t i = 0; i < n; ++i) {
        auto w = parse_double(args[++j]);
        if (!w) return ctx.reply.error(kErrWeightNotFloat);
        sources[i].weight = *w;
      }
    } else if (req.op != Op::kDiff && remaining >= 2 && iequals(args[j], "aggregate")) {
      std::string_view a = args[++j];
      if (iequals(a, "sum")) {
        how = Aggregate::kSum;
      } else if (iequals(a, "min")) {
        how = Aggregate::kMin;
      } else if (iequals(a, "max")) {
        how = Aggregate::kMax;
      } else {
        return ctx.reply.error(kErrSyntax);
      }
    } else if (!req.store && iequals(args[j], "withscores")) {
      withscores = true;
    } else {
      return ctx.reply.error(kErrSyntax);
    }
  }

  // Smallest first, as Redis orders them: it bounds the intersection's work
  // and fixes the order in which float scores are summed.
  if (req.op != Op::kDiff) {
    std::stable_sort(sources.begin(), sources.end(),
                     [](const Source& a, const Source& b) { return a.size() < b.size(); });
  }
  if (req.card_only) {
    size_t count = 0;
    visit_inter(sources, how, static_cast<size_t>(limit),
                [&](std::string_view, double) { ++count; });
    return ctx.reply.integer(static_cast<int64_t>(count));
  }
  Accumulator acc;
  switch (req.op) {
    case Op::kUnion:
      compute_union(sources, how, &acc);
      break;
    case Op::kInter:
      visit_inter(sources, how, 0, [&](std::string_view m, double s) { acc.emplace(m, s); });
      break;
    case Op::kDiff:
      compute_diff(sources, &acc);
      break;
  }
  const ContainerLimits& limits = ctx.limits.containers;
  auto result = std::make_unique<ZSetValue>(limits);
  size_t longest = 0;
  for (const auto& [m, s] : acc)
    longest = std::max(longest, m.size());
  result->presize(acc.size(), longest, limits);
  for (const auto& [m, s] : acc)
    result->set(m, s, limits);
  owned.clear();
  if (req.store) {
    ctx.reply.integer(static_cast<int64_t>(result->size()));
    return store_result(ctx, args, args[1], std::move(result), store_event(req.op));
  }
  if (withscores) {
    begin_pairs(ctx, result->size());
  } else {
    ctx.reply.array(result->size());
  }
  result->visit_all([&](std::string_view m, double s) {
    if (withscores) {
      reply_pair(ctx, m, s);
    } else {
      ctx.reply.bulk(m);
    }
  });
}

void zunion_command(CommandContext& ctx, Args args) {
  setop_generic(ctx, args, {Op::kUnion, false, false});
}
void zunionstore_command(CommandContext& ctx, Args args) {
  setop_generic(ctx, args, {Op::kUnion, true, false});
}
void zinter_command(CommandContext& ctx, Args args) {
  setop_generic(ctx, args, {Op::kInter, false, false});
}
void zinterstore_command(CommandContext& ctx, Args args) {
  setop_generic(ctx, args, {Op::kInter, true, false});
}
void zintercard_command(CommandContext& ctx, Args args) {
  setop_generic(ctx, args, {Op::kInter, false, true});
}
void zdiff_command(CommandContext& ctx, Args args) {
  setop_generic(ctx, args, {Op::kDiff, false, false});
}
void zdiffstore_command(CommandContext& ctx, Args args) {
  setop_generic(ctx, args, {Op::kDiff, true, false});
}

constexpr uint32_t kReadSlow = kAclRead | kAclSortedSet | kAclSlow;
constexpr uint32_t kWriteSlow = kAclWrite | kAclSortedSet | kAclSlow;

constexpr KeySpec kReadKeys[] = {{.flags = kKeyRO | kKeyAccess,
                                  .begin_search = begin_index(1),
                                  .find_keys = find_keynum(0, 1, 1)}};
constexpr KeySpec kStoreKeys[] = {key_range(kKeyOW | kKeyUpdate, 1),
                                  {.flags = kKeyRO | kKeyAccess,
                                   .begin_search = begin_index(2),
                                   .find_keys = find_keynum(0, 1, 1)}};

// clang-format off
const CommandSpec kStoreCommands[] = {
    {.name = "zunion", .arity = -3, .flags = kReadonly, .acl = kReadSlow,
     .key_specs = kReadKeys, .handler = zunion_command, .group = "sorted_set",
     .summary = "Returns the union of sorted sets.", .since = "6.2.0",
     .complexity = "O(N)+O(M*log(M)) for N input members and M result members"},
    {.name = "zunionstore", .arity = -4, .flags = kWrite | kDenyOom, .acl = kWriteSlow,
     .key_specs = kStoreKeys, .handler = zunionstore_command, .group = "sorted_set",
     .summary = "Stores the union of sorted sets in a key.", .since = "2.0.0",
     .complexity = "O(N)+O(M*log(M)) for N input members and M result members"},
    {.name = "zinter", .arity = -3, .flags = kReadonly, .acl = kReadSlow,
     .key_specs = kReadKeys, .handler = zinter_command, .group = "sorted_set",
     .summary = "Returns the intersection of sorted sets.", .since = "6.2.0",
     .complexity = "O(N*K)+O(M*log(M)) for the smallest input N, K inputs, M results"},
    {.name = "zinterstore", .arity = -4, .flags = kWrite | kDenyOom, .acl = kWriteSlow,
     .key_specs = kStoreKeys, .handler = zinterstore_command, .group = "sorted_set",
     .summary = "Stores the intersection of sorted sets in a key.", .since = "2.0.0",
     .complexity = "O(N*K)+O(M*log(M)) for the smallest input N, K inputs, M results"},
    {.name = "zintercard", .arity = -3, .flags = kReadonly, .acl = kReadSlow,
     .key_specs = kReadKeys, .handler = zintercard_command, .group = "sorted_set",
     .summary = "Counts the members of the intersection of sorted sets.", .since = "7.0.0",
     .complexity = "O(N*K) for the smallest input N and K inputs"},
    {.name = "zdiff", .arity = -3, .flags = kReadonly, .acl = kReadSlow,
     .key_specs = kReadKeys, .handler = zdiff_command, .group = "sorted_set",
     .summary = "Returns the difference between the first sorted set and the others.",
     .since = "6.2.0", .complexity = "O(L + (N-K)log(N)) worst case"},
    {.name = "zdiffstore", .arity = -4, .flags = kWrite | kDenyOom, .acl = kWriteSlow,
     .key_specs = kStoreKeys, .handler = zdiffstore_command, .group = "sorted_set",
     .summary = "Stores the difference of sorted sets in a key.", .since = "6.2.0",
     .complexity = "O(L + (N-K)log(N)) worst case"},
};
// clang-format on

}  // namespace

std::span<const CommandSpec> store_commands() {
  return kStoreCommands;
}

}  // namespace vireo::zset_detail
