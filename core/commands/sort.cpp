// SORT and SORT_RO (Redis's sort.c): sorting the elements of a list, set or
// sorted set, numerically or as byte strings, optionally by weights found in
// other keys (BY), projecting other keys' values (GET), and storing the
// result as a list (STORE).
#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/commands/arguments.h"
#include "core/commands/families.h"
#include "core/commands/store_destination.h"
#include "core/errors.h"

#include "core/types/hash_value.h"
#include "core/types/list_value.h"
#include "core/types/set_value.h"
#include "core/types/zset_value.h"

namespace vireo {
namespace {

constexpr std::string_view kErrBadScore = "ERR One or more scores can't be converted into double";

// ---------------------------------------------------------------------------
// Adapter over the container families: the only place that knows their types.

bool is_sortable(ValueType type) {
  return type == ValueType::kList || type == ValueType::kSet || type == ValueType::kZSet;
}

// Appends every element of a list, set or sorted set in its native order
// (list head to tail, set iteration order, sorted set by rank). Set members
// are copied into `arena` (an intset formats them into a scratch buffer);
// the other views point into the value and stay valid while it is unchanged.
void collect_elements(const Entry& e, std::string& arena, std::vector<std::string_view>& out) {
  switch (e.type()) {
    case ValueType::kList:
      for (std::string_view item : *e.value_as<ListValue>())
        out.push_back(item);
      break;
    case ValueType::kZSet:
      e.value_as<ZSetValue>()->visit_all(
          [&](std::string_view member, double) { out.push_back(member); });
      break;
    case ValueType::kSet: {
      std::vector<size_t> ends;
      ends.reserve(e.container()->size());
      e.value_as<SetValue>()->for_each([&](std::string_view member) {
        arena.append(member);
        ends.push_back(arena.size());
      });
      size_t begin = 0;
      for (size_t end : ends) {
        out.push_back(std::string_view(arena).substr(begin, end - begin));
        begin = end;
      }
      break;
    }
    default:
      break;
  }
}

// Appends `n` elements of a list or sorted set from position `start` of its
// native order, or of its reverse order when `reverse` (BY nosort).
void collect_range(const Entry& e, size_t start, size_t n, bool reverse,
                   std::vector<std::string_view>& out) {
  if (n == 0) return;
  size_t size = e.container()->size();
  if (e.type() == ValueType::kZSet) {
    size_t from = reverse ? size - start - n : start;
    e.value_as<ZSetValue>()->visit(from, from + n, reverse,
                                   [&](std::string_view member, double) { out.push_back(member); });
    return;
  }
  const auto& list = *e.value_as<ListValue>();
  auto it = list.cursor_at(reverse ? size - 1 - start : start);
  for (size_t i = 0; i < n; ++i) {
    out.push_back(*it);
    if (reverse) {
      --it;
    } else {
      ++it;
    }
  }
}

// The value of `field` in a hash entry; nullopt when absent.
std::optional<std::string_view> hash_field(const Entry& e, std::string_view field) {
  return e.value_as<HashValue>()->get(field);
}

// A new list value holding copies of `items` (not empty), in order.
std::unique_ptr<Container> make_list(const ContainerLimits& limits,
                                     std::span<const std::string_view> items) {
  auto list = std::make_unique<ListValue>(limits);
  for (std::string_view item : items)
    list->push_back(item);
  return list;
}

// ---------------------------------------------------------------------------
// Patterns: "prefix*postfix" names a string key, "prefix*postfix->field" a
// hash field, with the element put in place of the first '*'; "#" is the
// element itself. Like Redis (which searches with C string functions), the
// '*' and "->" are only looked for before the pattern's first NUL byte.

class Pattern {
 public:
  explicit Pattern(std::string_view text) : text_(text) {
    self_ = text == "#";
    std::string_view searchable = text.substr(0, text.find('\0'));
    star_ = searchable.find('*');
    if (star_ == std::string_view::npos) return;
    size_t arrow = searchable.find("->", star_ + 1);
    // A trailing "->" names no field: it is then part of the key name.
    if (arrow != std::string_view::npos && arrow + 2 < text.size()) {
      field_ = text.substr(arrow + 2);
      key_end_ = arrow;
    } else {
      key_end_ = text.size();
    }
  }

  // The string the pattern points at for `element`: nullopt when the key or
  // field is absent or the key holds another type. `key_buffer` is scratch
  // space reused across calls. The view lives until the next write.
  std::optional<std::string_view> resolve(CommandContext& ctx, std::string_view element,
                                          std::string& key_buffer) const {
    if (self_) return element;
    if (star_ == std::string_view::npos) return std::nullopt;
    key_buffer.assign(text_.substr(0, star_));
    key_buffer.append(element);
    key_buffer.append(text_.substr(star_ + 1, key_end_ - star_ - 1));
    const Entry* e = ctx.db().find_for_read(key_buffer);
    if (!e) return std::nullopt;
    if (!field_.empty()) {
      if (e->type() != ValueType::kHash) return std::nullopt;
      return hash_field(*e, field_);
    }
    if (e->type() != ValueType::kString) return std::nullopt;
    return e->string_value();
  }

 private:
  std::string_view text_;
  bool self_ = false;
  size_t star_ = std::string_view::npos;
  size_t key_end_ = 0;
  std::string_view field_;
};

// ---------------------------------------------------------------------------
// Options

struct SortOptions {
  std::optional<std::string_view> by;
  bool dontsort = false;  // a BY pattern without '*' (sticky, as in Redis)
  bool desc = false;
  bool alpha = false;
  int64_t limit_start = 0;
  int64_t limit_count = -1;
  std::optional<std::string_view> store;
  std::vector<std::string_view> gets;
};

// Parses the options after the key; replies the error and returns false on a
// bad one. SORT_RO (`readonly`) does not know STORE.
bool parse_options(CommandContext& ctx, Args args, bool readonly, SortOptions& opts) {
  for (size_t i = 2; i < args.size(); ++i) {
    std::string_view word = args[i];
    size_t left = args.size() - i - 1;
    if (iequals(word, "asc")) {
      opts.desc = false;
    } else if (iequals(word, "desc")) {
      opts.desc = true;
    } else if (iequals(word, "alpha")) {
      opts.alpha = true;
    } else if (iequals(word, "limit") && left >= 2) {
      if (!int_arg(ctx, args[i + 1], &opts.limit_start) ||
          !int_arg(ctx, args[i + 2], &opts.limit_count)) {
        return false;
      }
      i += 2;
    } else if (iequals(word, "store") && left >= 1 && !readonly) {
      opts.store = args[++i];
    } else if (iequals(word, "by") && left >= 1) {
      opts.by = args[++i];
      std::string_view searchable = opts.by->substr(0, opts.by->find('\0'));
      opts.dontsort |= searchable.find('*') == std::string_view::npos;
    } else if (iequals(word, "get") && left >= 1) {
      opts.gets.push_back(args[++i]);
    } else {
      ctx.reply.error(kErrSyntax);
      return false;
    }
  }
  return true;
}

// The window LIMIT selects out of `size` elements, clamped as Redis clamps
// it (a negative offset is 0, a negative count means "to the end").
struct Window {
  size_t start = 0;
  size_t count = 0;
};

Window limit_window(const SortOptions& opts, size_t size) {
  auto n = static_cast<int64_t>(size);
  int64_t start = std::max<int64_t>(opts.limit_start, 0);
  if (start >= n) return {};
  int64_t room = n - start;
  int64_t count = opts.limit_count < 0 ? room : std::min(opts.limit_count, room);
  return {static_cast<size_t>(start), static_cast<size_t>(count)};
}

// ---------------------------------------------------------------------------
// Sorting

struct SortItem {
  std::string_view element;
  double score = 0;                        // numeric sorts
  std::optional<std::string_view> weight;  // ALPHA with BY: nullopt sorts first
};

// Byte-wise comparison (memcmp, then length), as Redis compares for STORE
// and to break numeric ties.
int compare_binary(std::string_view a, std::string_view b) {
  int c = a.compare(b);
  return c < 0 ? -1 : c > 0 ? 1 : 0;
}

// Redis compares ALPHA results it replies with strcoll() in the C.UTF-8
// locale it runs in: byte order up to each string's first NUL.
int compare_collated(std::string_view a, std::string_view b) {
  return compare_binary(a.substr(0, a.find('\0')), b.substr(0, b.find('\0')));
}

// A weight as Redis reads it with strtod: leading spaces, hex and "inf" are
// accepted and the text ends at a NUL byte; trailing bytes, NaN, overflow and
// underflow (subnormals included) are not. "" is 0.
std::optional<double> parse_weight(std::string_view text) {
  text = text.substr(0, text.find('\0'));
  char stack[128];
  std::string heap;
  const char* cstr;
  if (text.size() < sizeof(stack)) {
    std::memcpy(stack, text.data(), text.size());
    stack[text.size()] = '\0';
    cstr = stack;
  } else {
    heap.assign(text);
    cstr = heap.c_str();
  }
  char* end = nullptr;
  errno = 0;
  double v = std::strtod(cstr, &end);
  if (*end != '\0' || errno == ERANGE || std::isnan(v)) return std::nullopt;
  return v;
}

// Loads each item's sort key; false when a numeric weight does not parse
// (every lookup is still made, as in Redis).
bool load_weights(CommandContext& ctx, const SortOptions& opts, const std::optional<Pattern>& by,
                  std::vector<SortItem>& items) {
  std::string key_buffer;
  bool all_parsed = true;
  for (SortItem& item : items) {
    std::optional<std::string_view> source = item.element;
    if (by) source = by->resolve(ctx, item.element, key_buffer);
    if (!source) continue;
    if (opts.alpha) {
      if (by) item.weight = source;
    } else if (std::optional<double> v = parse_weight(*source)) {
      item.score = *v;
    } else {
      all_parsed = false;
    }
  }
  return all_parsed;
}

void sort_items(const SortOptions& opts, bool has_by, bool binary, std::vector<SortItem>& items) {
  auto compare = [&](const SortItem& a, const SortItem& b) {
    if (!opts.alpha) {
      if (a.score != b.score) return a.score < b.score ? -1 : 1;
      return compare_binary(a.element, b.element);
    }
    std::optional<std::string_view> x = has_by ? a.weight : a.element;
    std::optional<std::string_view> y = has_by ? b.weight : b.element;
    if (!x || !y) return x ? 1 : y ? -1 : 0;
    return binary ? compare_binary(*x, *y) : compare_collated(*x, *y);
  };
  // Stable, as glibc's qsort (a merge sort) that Redis calls is in practice.
  std::stable_sort(items.begin(), items.end(), [&](const SortItem& a, const SortItem& b) {
    int c = compare(a, b);
    return opts.desc ? c > 0 : c < 0;
  });
}

// ---------------------------------------------------------------------------
// STORE

// Arguments per RPUSH effect, so that a huge result replays in commands of a
// reasonable size.
constexpr size_t kItemsPerPush = 1024;

// Replaces `dest` with a list of `items` (without a TTL), or deletes it when
// there are none. `items` may point into any value, `dest`'s included: they
// are copied and propagated before `dest` goes. The effect is DEL then RPUSH
// (in chunks), as one group.
void store_list(CommandContext& ctx, std::string_view dest,
                std::span<const std::string_view> items) {
  if (items.empty()) {
    if (!ctx.db().erase(dest)) return;
    ctx.propagate({"DEL", dest});
    ctx.notify(notify::kGeneric, "del", dest);
    return;
  }
  // A stale destination expires now, its DEL effect ahead of the group: found
  // later, by store_container, that DEL would follow and undo the RPUSH.
  // (No item points into it: its lookups as source or GET key expired it.)
  ctx.db().find(dest);
  std::unique_ptr<Container> list = make_list(ctx.limits.containers, items);
  ctx.effects.begin_group();
  ctx.propagate({"DEL", dest});
  for (size_t done = 0; done < items.size(); done += kItemsPerPush) {
    std::span<const std::string_view> chunk =
        items.subspan(done, std::min(kItemsPerPush, items.size() - done));
    EffectArgv argv(chunk.size() + 2);
    argv.push("RPUSH");
    argv.push(dest);
    for (std::string_view item : chunk)
      argv.push(item);
    ctx.propagate(argv.args());
  }
  ctx.effects.end_group();
  store_container(ctx, dest, ValueType::kList, std::move(list));
  ctx.notify(notify::kList, "sortstore", dest);
}

// ---------------------------------------------------------------------------
// The command

void sort_generic(CommandContext& ctx, Args args, bool readonly) {
  SortOptions opts;
  if (!parse_options(ctx, args, readonly, opts)) return;

  const Entry* source = ctx.db().find_for_read(args[1]);
  if (source && !is_sortable(source->type())) {
    ctx.reply.error(kErrWrongType);
    return;
  }
  size_t size = source ? source->container()->size() : 0;
  bool storing = opts.store.has_value();

  // A set has no order of its own: stored unsorted, replicas could differ,
  // so Redis sorts it ALPHA instead (and ignores BY).
  std::optional<Pattern> by;
  if (opts.dontsort && source && source->type() == ValueType::kSet && storing) {
    opts.dontsort = false;
    opts.alpha = true;
    opts.by.reset();
  }
  if (opts.by && !opts.dontsort) by.emplace(*opts.by);
  // Redis converts a sorted set it sorts to the full encoding, for good
  // (OBJECT ENCODING says skiplist afterwards), even when the sort fails.
  if (source && source->type() == ValueType::kZSet) {
    source->value_as<ZSetValue>()->convert_to_skiplist();
  }

  // The elements, and which of them the reply covers.
  std::vector<std::string_view> elements;
  std::string arena;  // set members, which a set cannot lend as views
  Window window = limit_window(opts, size);
  bool ordered_source = source && source->type() != ValueType::kSet;
  if (opts.dontsort && ordered_source) {
    elements.reserve(window.count);
    collect_range(*source, window.start, window.count, opts.desc, elements);
    window.start = 0;
  } else if (source) {
    elements.reserve(size);
    collect_elements(*source, arena, elements);
  }

  std::vector<SortItem> items;
  items.reserve(elements.size());
  for (std::string_view e : elements)
    items.push_back({.element = e});
  if (!opts.dontsort) {
    if (!load_weights(ctx, opts, by, items)) {
      ctx.reply.error(kErrBadScore);
      return;
    }
    sort_items(opts, by.has_value(), storing, items);
  }

  std::span<const SortItem> chosen(items.data() + window.start, window.count);
  std::vector<Pattern> gets(opts.gets.begin(), opts.gets.end());
  std::string key_buffer;
  if (!storing) {
    ctx.reply.array(chosen.size() * std::max<size_t>(gets.size(), 1));
    for (const SortItem& item : chosen) {
      if (gets.empty()) ctx.reply.bulk(item.element);
      for (const Pattern& get : gets) {
        std::optional<std::string_view> v = get.resolve(ctx, item.element, key_buffer);
        if (v) {
          ctx.reply.bulk(*v);
        } else {
          ctx.reply.null();
        }
      }
    }
    return;
  }

  std::vector<std::string_view> output;
  output.reserve(chosen.size() * std::max<size_t>(gets.size(), 1));
  for (const SortItem& item : chosen) {
    if (gets.empty()) output.push_back(item.element);
    for (const Pattern& get : gets) {
      output.push_back(get.resolve(ctx, item.element, key_buffer).value_or(std::string_view()));
    }
  }
  store_list(ctx, *opts.store, output);
  ctx.reply.integer(static_cast<int64_t>(output.size()));
}

void sort_command(CommandContext& ctx, Args args) {
  sort_generic(ctx, args, false);
}

void sort_ro_command(CommandContext& ctx, Args args) {
  sort_generic(ctx, args, true);
}

// COMMAND GETKEYS: the sorted key, and the last STORE's destination, found by
// skipping the arguments of LIMIT, GET and BY as Redis's sortGetKeys does.
void sort_keys(Args args, std::vector<KeyRef>& keys) {
  keys.push_back({1, kKeyRO | kKeyAccess});
  size_t store_at = 0;
  for (size_t i = 2; i < args.size(); ++i) {
    if (iequals(args[i], "limit")) {
      i += 2;
    } else if (iequals(args[i], "get") || iequals(args[i], "by")) {
      i += 1;
    } else if (iequals(args[i], "store") && i + 1 < args.size()) {
      store_at = i + 1;
    }
  }
  if (store_at) keys.push_back({store_at, kKeyOW | kKeyUpdate});
}

void sort_ro_keys(Args, std::vector<KeyRef>& keys) {
  keys.push_back({1, kKeyRO | kKeyAccess});
}

constexpr std::string_view kPatternNotes =
    "For the optional BY/GET keyword. It is marked 'unknown' because the key names derive from "
    "the content of the key we sort";
constexpr std::string_view kStoreNotes =
    "For the optional STORE keyword. It is marked 'unknown' because the keyword can appear "
    "anywhere in the argument array";

constexpr KeySpec kSortKeySpecs[] = {
    key_range(kKeyRO | kKeyAccess, 1),
    {.notes = kPatternNotes, .flags = kKeyRO | kKeyAccess},
    {.notes = kStoreNotes, .flags = kKeyOW | kKeyUpdate},
};
constexpr KeySpec kSortRoKeySpecs[] = {
    key_range(kKeyRO | kKeyAccess, 1),
    {.notes = kPatternNotes, .flags = kKeyRO | kKeyAccess},
};

constexpr uint32_t kSortAcl = kAclSet | kAclSortedSet | kAclList | kAclSlow | kAclDangerous;

constexpr CommandSpec kSortCommands[] = {
    {.name = "sort",
     .arity = -2,
     .flags = kWrite | kDenyOom,
     .acl = kAclWrite | kSortAcl,
     .key_specs = kSortKeySpecs,
     .getkeys = sort_keys,
     .handler = sort_command,
     .group = "generic",
     .summary = "Sorts the elements of a list, set or sorted set, optionally storing the result.",
     .since = "1.0.0",
     .complexity = "O(N+M*log(M)) for N elements to sort and M returned; O(N) unsorted."},
    {.name = "sort_ro",
     .arity = -2,
     .flags = kReadonly,
     .acl = kAclRead | kSortAcl,
     .key_specs = kSortRoKeySpecs,
     .getkeys = sort_ro_keys,
     .handler = sort_ro_command,
     .group = "generic",
     .summary = "Sorts the elements of a list, set or sorted set (read-only SORT).",
     .since = "7.0.0",
     .complexity = "O(N+M*log(M)) for N elements to sort and M returned; O(N) unsorted."},
};

}  // namespace

std::span<const CommandSpec> sort_commands() {
  return kSortCommands;
}

}  // namespace vireo
