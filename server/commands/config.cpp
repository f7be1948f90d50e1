// CONFIG GET|SET|RESETSTAT|REWRITE|HELP over the configuration layer (server/config.h).
#include <fmt/format.h>

#include <string>
#include <utility>
#include <vector>

#include "core/command_table.h"
#include "core/commands/help.h"
#include "core/errors.h"
#include "server/commands/families.h"
#include "server/connection.h"
#include "server/server.h"

namespace vireo {
namespace {

void config_get(CommandContext& base, Args args) {
  ServerContext& ctx = server_context(base);
  std::vector<std::string> patterns(args.begin() + 2, args.end());
  auto pairs = ctx.server.config().get(patterns);
  ctx.reply.map(pairs.size());
  for (const auto& [name, value] : pairs) {
    ctx.reply.bulk(name);
    ctx.reply.bulk(value);
  }
}

void config_set(CommandContext& base, Args args) {
  ServerContext& ctx = server_context(base);
  if (args.size() % 2 != 0) {
    ctx.reply.error(kErrSyntax);  // an odd count past the arity check, as Redis words it
    return;
  }
  std::vector<std::pair<std::string, std::string>> pairs;
  for (size_t i = 2; i + 1 < args.size(); i += 2) {
    pairs.emplace_back(args[i], args[i + 1]);
    // SLOWLOG and MONITOR must not show a password.
    if (ctx.server.config().is_sensitive(args[i])) ctx.conn.redacted_args.push_back(i + 1);
  }
  if (auto error = ctx.server.config().set(pairs, ctx.conn.from_loopback())) {
    ctx.reply.error(*error);
    return;
  }
  ctx.server.apply_settings();
  ctx.reply.ok();
}

void config_resetstat(CommandContext& base, Args) {
  ServerContext& ctx = server_context(base);
  ctx.server.reset_stats();
  ctx.reply.ok();
}

void config_rewrite(CommandContext& base, Args) {
  ServerContext& ctx = server_context(base);
  if (auto error = ctx.server.config().rewrite()) {
    ctx.reply.error(*error);
    return;
  }
  ctx.reply.ok();
}

void config_help(CommandContext& ctx, Args) {
  reply_help(ctx.reply, "CONFIG",
             {"GET <pattern> [<pattern> ...]",
              "    Settings whose names match any glob pattern, with their values.",
              "SET <name> <value> [<name> <value> ...]",
              "    Changes settings; all of them or, on any error, none.", "RESETSTAT",
              "    Zeroes the counters INFO reports.", "REWRITE",
              "    Writes the running settings into the configuration file."});
}

constexpr uint32_t kConfigFlags = kAdmin | kNoscript | kLoading | kStale;
constexpr uint32_t kConfigAcl = kAclAdmin | kAclSlow | kAclDangerous;
constexpr std::string_view kTipsAllNodesSucceed[] = {"request_policy:all_nodes",
                                                     "response_policy:all_succeeded"};

const CommandSpec kConfigSubcommands[] = {
    {.name = "get",
     .arity = -3,
     .flags = kConfigFlags,
     .acl = kConfigAcl,
     .handler = config_get,
     .group = "server",
     .summary = "Returns the values of settings whose names match patterns.",
     .since = "2.0.0",
     .complexity = "O(N) when N is the number of configuration parameters"},
    {.name = "set",
     .arity = -4,
     .flags = kConfigFlags,
     .acl = kConfigAcl,
     .tips = kTipsAllNodesSucceed,
     .handler = config_set,
     .group = "server",
     .summary = "Changes settings at run time; several pairs apply all or none.",
     .since = "2.0.0",
     .complexity = "O(N) when N is the number of parameters"},
    {.name = "resetstat",
     .arity = 2,
     .flags = kConfigFlags,
     .acl = kConfigAcl,
     .handler = config_resetstat,
     .group = "server",
     .summary = "Zeroes the statistics INFO reports.",
     .since = "2.0.0",
     .complexity = "O(1)"},
    {.name = "rewrite",
     .arity = 2,
     .flags = kConfigFlags,
     .acl = kConfigAcl,
     .handler = config_rewrite,
     .group = "server",
     .summary = "Writes the running settings back to the configuration file.",
     .since = "2.8.0",
     .complexity = "O(1)"},
    {.name = "help",
     .arity = 2,
     .flags = kLoading | kStale,
     .acl = kAclSlow,
     .handler = config_help,
     .group = "server",
     .summary = "Lists the CONFIG subcommands.",
     .since = "5.0.0",
     .complexity = "O(1)"},
};

const CommandSpec kConfigCommands[] = {
    {.name = "config",
     .arity = -2,
     .acl = kAclSlow,
     .subcommands = kConfigSubcommands,
     .group = "server",
     .summary = "Reads and changes the server's settings.",
     .since = "2.0.0",
     .complexity = "Depends on subcommand."},
};

}  // namespace

std::span<const CommandSpec> config_commands() {
  return kConfigCommands;
}

}  // namespace vireo
