// COMMAND, which describes the command table in Redis 7.0's shapes, and TIME.
#include <algorithm>
#include <bit>
#include <chrono>
#include <cstring>
#include <vector>

#include "core/ascii.h"
#include "core/command_table.h"
#include "core/commands/families.h"
#include "core/commands/help.h"
#include "core/context.h"
#include "core/errors.h"
#include "core/glob.h"

namespace vireo {
namespace {

// COMMAND GETKEYS / GETKEYSANDFLAGS, worded as Redis 7.0 words them.
constexpr std::string_view kErrInvalidCommand = "ERR Invalid command specified";
constexpr std::string_view kErrNoKeyArguments = "ERR The command has no key arguments";
constexpr std::string_view kErrInvalidArgumentCount =
    "ERR Invalid number of arguments specified for command";
constexpr std::string_view kErrInvalidArguments = "ERR Invalid arguments specified for command";

// --- Looking commands up -------------------------------------------------

// COMMAND INFO and DOCS name subcommands by their full name, "config|get".
const Command* find_by_full_name(const CommandTable& table, std::string_view name) {
  size_t bar = name.find('|');
  if (bar == std::string_view::npos) return table.find(name);
  std::string_view sub = name.substr(bar + 1);
  const Command* parent = table.find(name.substr(0, bar));
  if (!parent || sub.find('|') != std::string_view::npos) return nullptr;
  return parent->find_subcommand(sub);
}

// COMMAND GETKEYS names a command the way a request does: a container's
// subcommand is the argument after it.
const Command* find_by_request(const CommandTable& table, Args argv) {
  const Command* cmd = table.find(argv[0]);
  if (cmd && !cmd->subcommands.empty() && argv.size() >= 2) {
    cmd = cmd->find_subcommand(argv[1]);
  }
  return cmd;
}

// --- Flags and categories ---------------------------------------------------

// The order COMMAND INFO lists flags in, which is not their bit order.
// may_replicate is missing on purpose: Redis never shows it.
constexpr CommandFlag kFlagReplyOrder[] = {
    kWrite,    kReadonly,       kDenyOom, kAdmin,       kPubsub,      kNoscript,
    kBlocking, kLoading,        kStale,   kSkipMonitor, kSkipSlowlog, kFast,
    kNoAuth,   kNoAsyncLoading, kNoMulti, kMovableKeys, kAllowBusy};

void reply_flags(ReplyWriter& reply, uint32_t flags) {
  size_t n = 0;
  for (CommandFlag flag : kFlagReplyOrder) {
    n += (flags & flag) != 0;
  }
  reply.set(n);
  for (CommandFlag flag : kFlagReplyOrder) {
    if (flags & flag) reply.simple(flag_names()[std::countr_zero(static_cast<uint32_t>(flag))]);
  }
}

// Categories go out as "@name" status strings, in bit order (Redis's order).
void reply_acl_categories(ReplyWriter& reply, uint32_t acl) {
  std::span<const std::string_view> names = acl_names();
  size_t n = 0;
  for (size_t i = 0; i < names.size(); ++i) {
    n += (acl >> i) & 1u;
  }
  reply.set(n);
  char buf[64];
  buf[0] = '@';
  for (size_t i = 0; i < names.size(); ++i) {
    if (!((acl >> i) & 1u)) continue;
    std::memcpy(buf + 1, names[i].data(), names[i].size());
    reply.simple({buf, names[i].size() + 1});
  }
}

// The category COMMAND LIST FILTERBY ACLCAT names (any case), or 0.
uint32_t acl_category_bit(std::string_view name) {
  std::span<const std::string_view> names = acl_names();
  for (size_t i = 0; i < names.size(); ++i) {
    if (iequals(names[i], name)) return 1u << i;
  }
  return 0;
}

// --- Key specs ----------------------------------------------------------------

void reply_key_spec_flags(ReplyWriter& reply, uint32_t flags) {
  std::span<const std::string_view> names = key_spec_flag_names();
  reply.set(static_cast<size_t>(std::popcount(flags)));
  for (size_t i = 0; i < names.size(); ++i) {
    if ((flags >> i) & 1u) reply.simple(names[i]);
  }
}

void reply_begin_search(ReplyWriter& reply, const BeginSearch& bs) {
  reply.map(2);
  reply.bulk("type");
  switch (bs.type) {
    case BeginSearch::kIndex:
      reply.bulk("index");
      reply.bulk("spec");
      reply.map(1);
      reply.bulk("index");
      reply.integer(bs.index);
      return;
    case BeginSearch::kKeyword:
      reply.bulk("keyword");
      reply.bulk("spec");
      reply.map(2);
      reply.bulk("keyword");
      reply.bulk(bs.keyword);
      reply.bulk("startfrom");
      reply.integer(bs.startfrom);
      return;
    case BeginSearch::kUnknown:
      break;
  }
  reply.bulk("unknown");
  reply.bulk("spec");
  reply.map(0);
}

void reply_find_keys(ReplyWriter& reply, const FindKeys& fk) {
  reply.map(2);
  reply.bulk("type");
  switch (fk.type) {
    case FindKeys::kRange:
      reply.bulk("range");
      reply.bulk("spec");
      reply.map(3);
      reply.bulk("lastkey");
      reply.integer(fk.lastkey);
      reply.bulk("keystep");
      reply.integer(fk.keystep);
      reply.bulk("limit");
      reply.integer(fk.limit);
      return;
    case FindKeys::kKeynum:
      reply.bulk("keynum");
      reply.bulk("spec");
      reply.map(3);
      reply.bulk("keynumidx");
      reply.integer(fk.keynumidx);
      reply.bulk("firstkey");
      reply.integer(fk.firstkey);
      reply.bulk("keystep");
      reply.integer(fk.keystep);
      return;
    case FindKeys::kUnknown:
      break;
  }
  reply.bulk("unknown");
  reply.bulk("spec");
  reply.map(0);
}

void reply_key_specs(ReplyWriter& reply, std::span<const KeySpec> specs) {
  reply.set(specs.size());
  for (const KeySpec& ks : specs) {
    reply.map(3 + !ks.notes.empty());
    if (!ks.notes.empty()) {
      reply.bulk("notes");
      reply.bulk(ks.notes);
    }
    reply.bulk("flags");
    reply_key_spec_flags(reply, ks.flags);
    reply.bulk("begin_search");
    reply_begin_search(reply, ks.begin_search);
    reply.bulk("find_keys");
    reply_find_keys(reply, ks.find_keys);
  }
}

void reply_tips(ReplyWriter& reply, std::span<const std::string_view> tips) {
  reply.set(tips.size());
  for (std::string_view tip : tips) {
    reply.bulk(tip);
  }
}

// --- COMMAND INFO and DOCS entries ------------------------------------------

// Redis 7's ten-element description of one command.
void reply_info(ReplyWriter& reply, const Command& cmd) {
  const CommandSpec& spec = *cmd.spec;
  LegacyKeyRange legacy = legacy_key_range(spec);
  reply.array(10);
  reply.bulk(cmd.full_name);
  reply.integer(spec.arity);
  reply_flags(reply, spec.flags | (legacy.movable ? kMovableKeys : 0u));
  reply.integer(legacy.first);
  reply.integer(legacy.last);
  reply.integer(legacy.step);
  reply_acl_categories(reply, spec.acl);
  reply_tips(reply, spec.tips);
  reply_key_specs(reply, spec.key_specs);
  if (cmd.subcommands.empty()) {
    reply.set(0);  // Redis's choice: an empty set, but an array when there are some
    return;
  }
  reply.array(cmd.subcommands.size());
  for (const auto& sub : cmd.subcommands) {
    reply_info(reply, *sub);
  }
}

void reply_info_of_all(CommandContext& ctx) {
  ctx.reply.array(ctx.commands.size());
  for (const auto& cmd : ctx.commands.all()) {
    reply_info(ctx.reply, *cmd);
  }
}

// A subcommand whose spec leaves its group or version empty shares its
// container's (redis-cli expects both).
std::string_view doc_field(const Command& cmd, std::string_view CommandSpec::*field) {
  std::string_view value = cmd.spec->*field;
  if (value.empty() && cmd.parent) return cmd.parent->spec->*field;
  return value;
}

// redis-cli reads this at start-up: summary, since and group must always be
// there, and subcommands are keyed by their full name.
void reply_docs(ReplyWriter& reply, const Command& cmd) {
  std::string_view complexity = cmd.spec->complexity;
  bool has_subcommands = !cmd.subcommands.empty();
  reply.map(3 + !complexity.empty() + has_subcommands);
  reply.bulk("summary");
  reply.bulk(cmd.spec->summary);
  reply.bulk("since");
  reply.bulk(doc_field(cmd, &CommandSpec::since));
  reply.bulk("group");
  reply.bulk(doc_field(cmd, &CommandSpec::group));
  if (!complexity.empty()) {
    reply.bulk("complexity");
    reply.bulk(complexity);
  }
  if (has_subcommands) {
    reply.bulk("subcommands");
    reply.map(cmd.subcommands.size());
    for (const auto& sub : cmd.subcommands) {
      reply.bulk(sub->full_name);
      reply_docs(reply, *sub);
    }
  }
}

// --- COMMAND LIST filters -----------------------------------------------------

struct ListFilter {
  enum Kind { kNone, kModule, kAclCategory, kPattern } kind = kNone;
  std::string_view pattern;
  uint32_t acl = 0;

  bool matches(const Command& cmd) const {
    switch (kind) {
      case kNone:
        return true;
      case kModule:
        return false;  // no module commands exist
      case kAclCategory:
        return (cmd.spec->acl & acl) != 0;
      case kPattern:
        return glob_match(pattern, cmd.full_name, true);
    }
    return false;
  }
};

// Parses COMMAND LIST's optional FILTERBY clause; replies the syntax error
// Redis gives for anything else.
bool parse_list_filter(CommandContext& ctx, Args args, ListFilter* filter) {
  if (args.size() == 2) return true;
  if (args.size() != 5 || !iequals(args[2], "filterby")) {
    ctx.reply.error(kErrSyntax);
    return false;
  }
  std::string_view kind = args[3], value = args[4];
  if (iequals(kind, "module")) {
    filter->kind = ListFilter::kModule;
  } else if (iequals(kind, "aclcat")) {
    filter->kind = ListFilter::kAclCategory;
    filter->acl = acl_category_bit(value);
  } else if (iequals(kind, "pattern")) {
    filter->kind = ListFilter::kPattern;
    filter->pattern = value;
  } else {
    ctx.reply.error(kErrSyntax);
    return false;
  }
  return true;
}

// Calls fn on every command and subcommand, each container before its own.
template <typename Fn>
void for_each_command(const CommandTable& table, Fn&& fn) {
  for (const auto& cmd : table.all()) {
    fn(*cmd);
    for (const auto& sub : cmd->subcommands) {
      fn(*sub);
    }
  }
}

// --- Handlers ---------------------------------------------------------------

void command_command(CommandContext& ctx, Args) {
  reply_info_of_all(ctx);
}

void command_count(CommandContext& ctx, Args) {
  ctx.reply.integer(static_cast<int64_t>(ctx.commands.size()));
}

void command_list(CommandContext& ctx, Args args) {
  ListFilter filter;
  if (!parse_list_filter(ctx, args, &filter)) return;
  size_t n = 0;
  for_each_command(ctx.commands, [&](const Command& cmd) { n += filter.matches(cmd); });
  ctx.reply.array(n);
  for_each_command(ctx.commands, [&](const Command& cmd) {
    if (filter.matches(cmd)) ctx.reply.bulk(cmd.full_name);
  });
}

// Unknown names get a null entry, in place.
void command_info(CommandContext& ctx, Args args) {
  if (args.size() == 2) {
    reply_info_of_all(ctx);
    return;
  }
  ctx.reply.array(args.size() - 2);
  for (std::string_view name : args.subspan(2)) {
    if (const Command* cmd = find_by_full_name(ctx.commands, name)) {
      reply_info(ctx.reply, *cmd);
    } else {
      ctx.reply.null();
    }
  }
}

// Unknown names are left out of the map.
void command_docs(CommandContext& ctx, Args args) {
  if (args.size() == 2) {
    ctx.reply.map(ctx.commands.size());
    for (const auto& cmd : ctx.commands.all()) {
      ctx.reply.bulk(cmd->full_name);
      reply_docs(ctx.reply, *cmd);
    }
    return;
  }
  Args names = args.subspan(2);
  size_t found = 0;
  for (std::string_view name : names) {
    found += find_by_full_name(ctx.commands, name) != nullptr;
  }
  ctx.reply.map(found);
  for (std::string_view name : names) {
    if (const Command* cmd = find_by_full_name(ctx.commands, name)) {
      ctx.reply.bulk(cmd->full_name);
      reply_docs(ctx.reply, *cmd);
    }
  }
}

// COMMAND GETKEYS and GETKEYSANDFLAGS: the keys of the request that follows,
// as its key specs (or getkeys) find them, with their key-spec flags when asked.
void reply_keys(CommandContext& ctx, Args args, bool with_flags) {
  Args argv = args.subspan(2);
  const Command* cmd = find_by_request(ctx.commands, argv);
  if (!cmd) {
    ctx.reply.error(kErrInvalidCommand);
    return;
  }
  if (!has_key_arguments(*cmd->spec)) {
    ctx.reply.error(kErrNoKeyArguments);
    return;
  }
  if (!arity_ok(cmd->spec->arity, argv.size())) {
    ctx.reply.error(kErrInvalidArgumentCount);
    return;
  }
  std::vector<KeyRef> keys;
  find_request_keys(*cmd->spec, argv, keys);
  if (keys.empty()) {
    ctx.reply.error(kErrInvalidArguments);
    return;
  }
  ctx.reply.array(keys.size());
  for (const KeyRef& key : keys) {
    if (with_flags) {
      ctx.reply.array(2);
      ctx.reply.bulk(argv[key.pos]);
      reply_key_spec_flags(ctx.reply, key.flags);
    } else {
      ctx.reply.bulk(argv[key.pos]);
    }
  }
}

void command_getkeys(CommandContext& ctx, Args args) {
  reply_keys(ctx, args, false);
}
void command_getkeysandflags(CommandContext& ctx, Args args) {
  reply_keys(ctx, args, true);
}

constexpr std::string_view kCommandHelp[] = {
    "(no subcommand)",
    "    Describe every command, as INFO does with no names.",
    "COUNT",
    "    Count the top-level commands.",
    "LIST [FILTERBY (MODULE <module-name>|ACLCAT <category>|PATTERN <pattern>)]",
    "    Name every command and subcommand, or those the filter selects.",
    "INFO [<command-name> ...]",
    "    Describe the named commands (name, arity, flags, key positions,",
    "    ACL categories, tips, key specs, subcommands); all of them when none",
    "    are named.",
    "DOCS [<command-name> ...]",
    "    Give the documentation of the named commands (summary, version",
    "    introduced, group, complexity); all of them when none are named.",
    "GETKEYS <full-command>",
    "    Extract the keys from a full command line.",
    "GETKEYSANDFLAGS <full-command>",
    "    Extract the keys from a full command line, with how each is accessed.",
};

void command_help(CommandContext& ctx, Args) {
  reply_help(ctx.reply, "COMMAND", kCommandHelp);
}

// Redis reads the wall clock here, not the command's cached instant, so the
// microseconds are real.
void time_command(CommandContext& ctx, Args) {
  using namespace std::chrono;
  int64_t us = duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
  ctx.reply.array(2);
  ctx.reply.bulk_integer(us / 1000000);
  ctx.reply.bulk_integer(us % 1000000);
}

// --- Tables -------------------------------------------------------------------

constexpr uint32_t kIntrospectionFlags = kLoading | kStale;
constexpr uint32_t kIntrospectionAcl = kAclSlow | kAclConnection;
constexpr std::string_view kTipsAnyOrder[] = {"nondeterministic_output_order"};
constexpr std::string_view kTipsNondeterministic[] = {"nondeterministic_output"};

const CommandSpec kCommandSubcommands[] = {
    {.name = "count",
     .arity = 2,
     .flags = kIntrospectionFlags,
     .acl = kIntrospectionAcl,
     .handler = command_count,
     .group = "server",
     .summary = "Counts the commands this server knows.",
     .since = "2.8.13",
     .complexity = "O(1)"},
    {.name = "docs",
     .arity = -2,
     .flags = kIntrospectionFlags,
     .acl = kIntrospectionAcl,
     .tips = kTipsAnyOrder,
     .handler = command_docs,
     .group = "server",
     .summary = "Documents the named commands, or every command.",
     .since = "7.0.0",
     .complexity = "O(N) for N commands described"},
    {.name = "getkeys",
     .arity = -4,
     .flags = kIntrospectionFlags,
     .acl = kIntrospectionAcl,
     .handler = command_getkeys,
     .group = "server",
     .summary = "Extracts the key names from a full command line.",
     .since = "2.8.13",
     .complexity = "O(N) for N arguments of the command"},
    {.name = "getkeysandflags",
     .arity = -4,
     .flags = kIntrospectionFlags,
     .acl = kIntrospectionAcl,
     .handler = command_getkeysandflags,
     .group = "server",
     .summary = "Extracts the key names from a full command line, with their access flags.",
     .since = "7.0.0",
     .complexity = "O(N) for N arguments of the command"},
    {.name = "help",
     .arity = 2,
     .flags = kIntrospectionFlags,
     .acl = kIntrospectionAcl,
     .handler = command_help,
     .group = "server",
     .summary = "Lists the COMMAND subcommands.",
     .since = "5.0.0",
     .complexity = "O(1)"},
    {.name = "info",
     .arity = -2,
     .flags = kIntrospectionFlags,
     .acl = kIntrospectionAcl,
     .tips = kTipsAnyOrder,
     .handler = command_info,
     .group = "server",
     .summary = "Describes the named commands, or every command.",
     .since = "2.8.13",
     .complexity = "O(N) for N commands described"},
    {.name = "list",
     .arity = -2,
     .flags = kIntrospectionFlags,
     .acl = kIntrospectionAcl,
     .tips = kTipsAnyOrder,
     .handler = command_list,
     .group = "server",
     .summary = "Names the commands, optionally filtered.",
     .since = "7.0.0",
     .complexity = "O(N) for N commands known"},
};

const CommandSpec kIntrospectionCommands[] = {
    {.name = "command",
     .arity = -1,
     .flags = kIntrospectionFlags,
     .acl = kIntrospectionAcl,
     .tips = kTipsAnyOrder,
     .handler = command_command,
     .subcommands = kCommandSubcommands,
     .group = "server",
     .summary = "Describes every command this server knows.",
     .since = "2.8.13",
     .complexity = "O(N) for N commands known"},
    {.name = "time",
     .arity = 1,
     .flags = kLoading | kStale | kFast,
     .acl = kAclFast,
     .tips = kTipsNondeterministic,
     .handler = time_command,
     .group = "server",
     .summary = "Returns the server's clock as seconds and microseconds.",
     .since = "2.6.0",
     .complexity = "O(1)"},
};

}  // namespace

std::span<const CommandSpec> introspection_commands() {
  return kIntrospectionCommands;
}

}  // namespace vireo
