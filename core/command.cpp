#include "core/command.h"

#include <algorithm>
#include <array>
#include <climits>

#include "core/ascii.h"
#include "core/strconv.h"

namespace vireo {

std::span<const std::string_view> flag_names() {
  static constexpr std::array<std::string_view, 18> kNames = {
      "write",        "readonly",      "denyoom",  "admin",      "pubsub",      "noscript",
      "loading",      "stale",         "fast",     "no_auth",    "blocking",    "skip_monitor",
      "skip_slowlog", "may_replicate", "no_multi", "allow_busy", "movablekeys", "no_async_loading"};
  return kNames;
}

std::span<const std::string_view> acl_names() {
  static constexpr std::array<std::string_view, 21> kNames = {
      "keyspace", "read",   "write",       "set",       "sortedset",  "list",        "hash",
      "string",   "bitmap", "hyperloglog", "geo",       "stream",     "pubsub",      "admin",
      "fast",     "slow",   "blocking",    "dangerous", "connection", "transaction", "scripting"};
  return kNames;
}

std::span<const std::string_view> key_spec_flag_names() {
  static constexpr std::array<std::string_view, 11> kNames = {
      "RO",     "RW",     "OW",      "RM",         "access",        "update",
      "insert", "delete", "not_key", "incomplete", "variable_flags"};
  return kNames;
}

namespace {

bool is_index_range(const KeySpec& ks) {
  return ks.begin_search.type == BeginSearch::kIndex && ks.find_keys.type == FindKeys::kRange;
}

// Bits set in any of the spec's key specs.
uint32_t any_key_spec_flags(const CommandSpec& spec) {
  uint32_t flags = 0;
  for (const KeySpec& ks : spec.key_specs)
    flags |= ks.flags;
  return flags;
}

// True when some key spec names real keys, not channels.
bool has_real_key_spec(const CommandSpec& spec) {
  return std::any_of(spec.key_specs.begin(), spec.key_specs.end(),
                     [](const KeySpec& ks) { return !(ks.flags & kKeyNotKey); });
}

// The position after the spec's keyword, searched for forwards from
// `startfrom` (never the last argument, which could not be followed by a key)
// or backwards from the end (never the command name); 0 when absent.
size_t keyword_begin(const BeginSearch& bs, Args args) {
  auto argc = static_cast<int64_t>(args.size());
  auto matches = [&](int64_t i) { return iequals(args[static_cast<size_t>(i)], bs.keyword); };
  if (bs.startfrom > 0) {
    for (int64_t i = bs.startfrom; i < argc - 1; ++i) {
      if (matches(i)) return static_cast<size_t>(i + 1);
    }
    return 0;
  }
  int64_t start = argc + bs.startfrom;
  if (start >= argc) return 0;
  for (int64_t i = start; i > 1; --i) {
    if (matches(i)) return static_cast<size_t>(i + 1);
  }
  return 0;
}

// Appends the keys one spec finds in `args`; false when the spec cannot tell
// (unknown parts, an incomplete spec) or the arguments cannot hold its keys.
// A keyword that is absent is not an error: that spec just has no keys.
bool append_spec_keys(const KeySpec& ks, Args args, std::vector<KeyRef>& keys) {
  auto argc = static_cast<int64_t>(args.size());
  int64_t first = 0;
  switch (ks.begin_search.type) {
    case BeginSearch::kIndex:
      first = ks.begin_search.index;
      break;
    case BeginSearch::kKeyword:
      first = static_cast<int64_t>(keyword_begin(ks.begin_search, args));
      if (first == 0) return true;
      break;
    case BeginSearch::kUnknown:
      return false;
  }
  const FindKeys& fk = ks.find_keys;
  int64_t last = 0;
  switch (fk.type) {
    case FindKeys::kRange:
      if (fk.lastkey >= 0) {
        last = first + fk.lastkey;
      } else if (fk.limit == 0) {
        last = argc + fk.lastkey;
      } else {
        last = first + (argc - first) / fk.limit + fk.lastkey;
      }
      break;
    case FindKeys::kKeynum: {
      int64_t count_at = first + fk.keynumidx;
      if (count_at >= argc) return false;
      std::optional<int64_t> count = parse_int64(args[static_cast<size_t>(count_at)]);
      if (!count || *count < 0 || *count > argc) return false;
      first += fk.firstkey;
      last = first + *count - 1;
      break;
    }
    case FindKeys::kUnknown:
      return false;
  }
  if (first >= argc || last >= argc || last < first) return false;
  int64_t step = fk.keystep > 0 ? fk.keystep : 1;
  for (int64_t i = first; i <= last; i += step) {
    keys.push_back({static_cast<size_t>(i), ks.flags});
  }
  return (ks.flags & kKeyIncomplete) == 0;
}

// Every real key's position, spec after spec; false as soon as one spec
// cannot tell.
bool append_keys_of_specs(const CommandSpec& spec, Args args, std::vector<KeyRef>& keys) {
  for (const KeySpec& ks : spec.key_specs) {
    if (!(ks.flags & kKeyNotKey) && !append_spec_keys(ks, args, keys)) return false;
  }
  return true;
}

}  // namespace

LegacyKeyRange legacy_key_range(const CommandSpec& spec) {
  std::span<const KeySpec> specs = spec.key_specs;
  if (specs.empty()) return {};
  if (specs.size() == 1 && is_index_range(specs[0])) {
    const KeySpec& ks = specs[0];
    int last = ks.find_keys.lastkey >= 0 ? ks.begin_search.index + ks.find_keys.lastkey
                                         : ks.find_keys.lastkey;
    return {ks.begin_search.index, last, ks.find_keys.keystep, (ks.flags & kKeyIncomplete) != 0};
  }
  // Several specs merge into one step-1 range while each starts right after
  // the previous one ends; any other spec only makes the command movable.
  // Positions are compared as unsigned so that a range to the end (negative)
  // counts as the farthest.
  LegacyKeyRange range;
  int first = INT_MAX;
  unsigned last = 0;
  for (const KeySpec& ks : specs) {
    bool follows = last == 0 || last == static_cast<unsigned>(ks.begin_search.index - 1);
    if (!is_index_range(ks) || ks.find_keys.keystep != 1 || !follows) {
      range.movable = true;
      continue;
    }
    range.movable |= (ks.flags & kKeyIncomplete) != 0;
    first = std::min(first, ks.begin_search.index);
    int spec_last = ks.find_keys.lastkey >= 0 ? ks.begin_search.index + ks.find_keys.lastkey
                                              : ks.find_keys.lastkey;
    last = std::max(last, static_cast<unsigned>(spec_last));
  }
  if (first == INT_MAX) {
    range.movable = true;
    return range;
  }
  range.first = first;
  range.last = static_cast<int>(last);
  range.step = 1;
  return range;
}

bool has_key_arguments(const CommandSpec& spec) {
  return spec.getkeys != nullptr || has_real_key_spec(spec);
}

void find_request_keys(const CommandSpec& spec, Args args, std::vector<KeyRef>& keys) {
  keys.clear();
  // Specs are trusted unless their flags vary with the arguments; when one
  // cannot tell, the whole answer comes from the command's getkeys instead.
  if (has_real_key_spec(spec) && !(any_key_spec_flags(spec) & kKeyVariableFlags)) {
    if (append_keys_of_specs(spec, args, keys)) return;
    keys.clear();
  }
  if (spec.getkeys) spec.getkeys(args, keys);
}

}  // namespace vireo
