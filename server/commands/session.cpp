// Session commands: HELLO AUTH QUIT RESET. They change the connection itself
// (protocol, authentication, lifetime), so they live in the server layer.
#include "server/commands/session.h"

#include <fmt/format.h>

#include "core/ascii.h"
#include "core/errors.h"
#include "core/strconv.h"
#include "core/version.h"
#include "server/commands/families.h"
#include "server/commands/pubsub.h"
#include "server/connection.h"
#include "server/server.h"

namespace vireo {
namespace {

constexpr std::string_view kErrWrongPass =
    "WRONGPASS invalid username-password pair or user is disabled.";

// Checks credentials against requirepass (the only user is "default").
// Replies the error and returns false when they are wrong.
bool authenticate(ServerContext& ctx, std::string_view user, std::string_view pass) {
  const std::string& required = ctx.server.settings().requirepass;
  if (user != "default" || (!required.empty() && pass != required)) {
    ctx.reply.error(kErrWrongPass);
    return false;
  }
  ctx.client.authenticated = true;
  return true;
}

void auth_command(CommandContext& base, Args args) {
  ServerContext& ctx = server_context(base);
  if (args.size() > 3) {
    ctx.reply.error(kErrSyntax);
    return;
  }
  // Hidden from SLOWLOG and MONITOR even when wrong, as Redis hides them.
  for (size_t i = 1; i < args.size(); ++i)
    ctx.conn.redacted_args.push_back(i);
  if (args.size() == 2 && ctx.server.settings().requirepass.empty()) {
    ctx.reply.error(
        "ERR AUTH <password> called without any password configured for the default user. "
        "Are you sure your configuration is correct?");
    return;
  }
  std::string_view user = args.size() == 3 ? args[1] : "default";
  if (authenticate(ctx, user, args.back())) ctx.reply.ok();
}

// HELLO [protover [AUTH user pass] [SETNAME name]]
void hello_command(CommandContext& base, Args args) {
  ServerContext& ctx = server_context(base);
  int protocol = ctx.client.protocol;
  if (args.size() >= 2) {
    auto version = parse_int64(args[1]);
    if (!version) {
      ctx.reply.error("ERR Protocol version is not an integer or out of range");
      return;
    }
    if (*version != 2 && *version != 3) {
      ctx.reply.error("NOPROTO unsupported protocol version");
      return;
    }
    protocol = static_cast<int>(*version);
  }
  std::string_view user, pass, name;
  bool has_auth = false, has_name = false;
  for (size_t i = 2; i < args.size(); ++i) {
    size_t left = args.size() - i - 1;
    if (iequals(args[i], "auth") && left >= 2) {
      has_auth = true;
      ctx.conn.redacted_args.push_back(i + 1);
      ctx.conn.redacted_args.push_back(i + 2);
      user = args[i + 1];
      pass = args[i + 2];
      i += 2;
    } else if (iequals(args[i], "setname") && left >= 1) {
      has_name = true;
      name = args[++i];
      if (!valid_client_name(name)) {
        ctx.reply.error(kErrClientName);
        return;
      }
    } else {
      ctx.reply.error(fmt::format("ERR Syntax error in HELLO option '{}'", args[i]));
      return;
    }
  }
  if (has_auth && !authenticate(ctx, user, pass)) return;
  if (!ctx.client.authenticated) {
    ctx.reply.error(
        "NOAUTH HELLO must be called with the client already authenticated, otherwise the "
        "HELLO AUTH <user> <pass> option can be used to authenticate the client and select "
        "the RESP protocol version at the same time");
    return;
  }
  if (has_name) ctx.client.name = std::string(name);
  ctx.client.protocol = protocol;
  ctx.reply.set_protocol(protocol);
  ctx.reply.map(7);
  ctx.reply.bulk("server");
  ctx.reply.bulk("redis");
  ctx.reply.bulk("version");
  ctx.reply.bulk(kRedisCompatVersion);
  ctx.reply.bulk("proto");
  ctx.reply.integer(protocol);
  ctx.reply.bulk("id");
  ctx.reply.integer(static_cast<int64_t>(ctx.client.id));
  ctx.reply.bulk("mode");
  ctx.reply.bulk("standalone");
  ctx.reply.bulk("role");
  ctx.reply.bulk("master");
  ctx.reply.bulk("modules");
  ctx.reply.array(0);
}

void quit_command(CommandContext& base, Args) {
  ServerContext& ctx = server_context(base);
  ctx.reply.ok();
  ctx.conn.close_after_reply();
}

void reset_command(CommandContext& base, Args) {
  ServerContext& ctx = server_context(base);
  ctx.server.discard_transaction(ctx.conn);
  ctx.server.unwatch_all(ctx.conn);
  ctx.conn.txn.reset();
  ctx.client.db = 0;
  ctx.client.protocol = 2;
  ctx.client.name.clear();
  ctx.client.authenticated = ctx.server.settings().requirepass.empty();
  ctx.conn.reply_mode = ReplyMode::kOn;
  ctx.conn.no_evict = false;
  if (ctx.conn.monitor) ctx.server.remove_monitor(&ctx.conn);
  drop_subscriptions(ctx.server, ctx.conn);
  ctx.reply.set_muted(false);
  ctx.reply.set_protocol(2);
  ctx.reply.simple("RESET");
}

constexpr uint32_t kSessionFlags = kNoscript | kLoading | kStale | kFast | kNoAuth | kAllowBusy;

const CommandSpec kSessionCommands[] = {
    {.name = "auth",
     .arity = -2,
     .flags = kSessionFlags,
     .acl = kAclFast | kAclConnection,
     .handler = auth_command,
     .group = "connection",
     .summary = "Authenticates the connection.",
     .since = "1.0.0",
     .complexity = "O(N)"},
    {.name = "hello",
     .arity = -1,
     .flags = kSessionFlags,
     .acl = kAclFast | kAclConnection,
     .handler = hello_command,
     .group = "connection",
     .summary = "Chooses the protocol version, optionally authenticating and naming the client.",
     .since = "6.0.0",
     .complexity = "O(1)"},
    {.name = "quit",
     .arity = -1,
     .flags = kSessionFlags,
     .acl = kAclFast | kAclConnection,
     .handler = quit_command,
     .group = "connection",
     .summary = "Closes the connection after replying.",
     .since = "1.0.0",
     .complexity = "O(1)"},
    {.name = "reset",
     .arity = 1,
     .flags = kSessionFlags,
     .acl = kAclFast | kAclConnection,
     .handler = reset_command,
     .group = "connection",
     .summary = "Resets the connection to its initial state.",
     .since = "6.2.0",
     .complexity = "O(1)"},
};

}  // namespace

bool valid_client_name(std::string_view name) {
  for (char c : name) {
    if (c < '!' || c > '~') return false;
  }
  return true;
}

std::span<const CommandSpec> session_commands() {
  return kSessionCommands;
}

}  // namespace vireo
