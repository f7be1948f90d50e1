// CLIENT and its subcommands: the calling connection's own settings (name,
// library, reply mode, eviction) and the registry of every connection (LIST,
// KILL, PAUSE).
#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "core/ascii.h"
#include "core/commands/arguments.h"
#include "core/commands/help.h"
#include "core/errors.h"
#include "core/strconv.h"
#include "server/commands/families.h"
#include "server/commands/session.h"
#include "server/connection.h"
#include "server/server.h"

namespace vireo {
namespace {

constexpr std::string_view kErrNoSuchClient = "ERR No such client";

// The kinds CLIENT LIST TYPE and CLIENT KILL TYPE select.
enum class ClientType { kNormal, kReplica, kMaster, kPubsub };

std::optional<ClientType> parse_client_type(std::string_view name) {
  if (iequals(name, "normal")) return ClientType::kNormal;
  if (iequals(name, "replica") || iequals(name, "slave")) return ClientType::kReplica;
  if (iequals(name, "master")) return ClientType::kMaster;
  if (iequals(name, "pubsub")) return ClientType::kPubsub;
  return std::nullopt;
}

// Replies the error for an unknown type name and returns nullopt.
std::optional<ClientType> client_type_arg(ServerContext& ctx, std::string_view name) {
  auto type = parse_client_type(name);
  if (!type) ctx.reply.error(fmt::format("ERR Unknown client type '{}'", name));
  return type;
}

// Monitors count as normal, as in Redis.
ClientType client_type(const Connection& c) {
  if (c.is_replica()) return ClientType::kReplica;
  return c.state().pubsub ? ClientType::kPubsub : ClientType::kNormal;
}

// Connections that have not been closed, oldest first (Redis lists clients in
// connection order; ids grow with it).
std::vector<Connection*> live_clients(Server& server) {
  std::vector<Connection*> out;
  out.reserve(server.clients().size());
  for (const auto& [id, c] : server.clients()) {
    if (!c->closing()) out.push_back(c);
  }
  std::sort(out.begin(), out.end(),
            [](Connection* a, Connection* b) { return a->state().id < b->state().id; });
  return out;
}

Connection* find_client(Server& server, uint64_t id) {
  auto it = server.clients().find(id);
  return it == server.clients().end() || it->second->closing() ? nullptr : it->second;
}

void append_description(std::string& out, const Connection& c, int64_t now_ms) {
  out += c.describe(now_ms);
  out.push_back('\n');
}

void id_command(CommandContext& base, Args) {
  ServerContext& ctx = server_context(base);
  ctx.reply.integer(static_cast<int64_t>(ctx.client.id));
}

void setname_command(CommandContext& base, Args args) {
  ServerContext& ctx = server_context(base);
  if (!valid_client_name(args[2])) {
    ctx.reply.error(kErrClientName);
    return;
  }
  ctx.client.name = std::string(args[2]);
  ctx.reply.ok();
}

void getname_command(CommandContext& base, Args) {
  ServerContext& ctx = server_context(base);
  if (ctx.client.name.empty()) {
    ctx.reply.null();
  } else {
    ctx.reply.bulk(ctx.client.name);
  }
}

// CLIENT SETINFO LIB-NAME|LIB-VER value (Redis 7.2; Redis 7.0 has no such
// subcommand). An empty value clears the attribute.
void setinfo_command(CommandContext& base, Args args) {
  ServerContext& ctx = server_context(base);
  std::string_view attr = args[2], value = args[3];
  std::string* dest = nullptr;
  if (iequals(attr, "lib-name")) {
    dest = &ctx.conn.lib_name;
  } else if (iequals(attr, "lib-ver")) {
    dest = &ctx.conn.lib_version;
  } else {
    ctx.reply.error(fmt::format("ERR Unrecognized option '{}'", attr));
    return;
  }
  if (!valid_client_name(value)) {
    ctx.reply.error(
        fmt::format("ERR {} cannot contain spaces, newlines or special characters.", attr));
    return;
  }
  dest->assign(value);
  ctx.reply.ok();
}

void info_command(CommandContext& base, Args) {
  ServerContext& ctx = server_context(base);
  std::string text;
  append_description(text, ctx.conn, ctx.now_ms());
  ctx.reply.verbatim(text);
}

// CLIENT LIST [TYPE type | ID id [id ...]]: one option at most, as Redis.
void list_command(CommandContext& base, Args args) {
  ServerContext& ctx = server_context(base);
  std::vector<Connection*> listed;
  if (args.size() == 2) {
    listed = live_clients(ctx.server);
  } else if (args.size() == 4 && iequals(args[2], "type")) {
    auto type = client_type_arg(ctx, args[3]);
    if (!type) return;
    for (Connection* c : live_clients(ctx.server)) {
      if (client_type(*c) == *type) listed.push_back(c);
    }
  } else if (args.size() > 3 && iequals(args[2], "id")) {
    // In the order asked, repeats included, as Redis.
    for (size_t i = 3; i < args.size(); ++i) {
      auto id = parse_int64(args[i]);
      if (!id) {
        ctx.reply.error("ERR Invalid client ID");
        return;
      }
      Connection* c = *id > 0 ? find_client(ctx.server, static_cast<uint64_t>(*id)) : nullptr;
      if (c) listed.push_back(c);
    }
  } else {
    ctx.reply.error(kErrSyntax);
    return;
  }
  std::string text;
  for (Connection* c : listed)
    append_description(text, *c, ctx.now_ms());
  ctx.reply.verbatim(text);
}

// The clients CLIENT KILL's filters select; unset filters match everyone.
struct KillFilter {
  uint64_t id = 0;
  std::optional<ClientType> type;
  std::optional<std::string_view> addr, laddr;
  bool skip_caller = true;

  bool matches(const Connection& c, const Connection& caller) const {
    if (skip_caller && &c == &caller) return false;
    if (id != 0 && c.state().id != id) return false;
    if (type && client_type(c) != *type) return false;
    if (addr && c.peer() != *addr) return false;
    if (laddr && c.local() != *laddr) return false;
    return true;
  }
};

// Parses CLIENT KILL's `option value` pairs; replies the error and returns
// false on the first bad one, as Redis does.
bool parse_kill_filter(ServerContext& ctx, Args args, KillFilter* filter) {
  for (size_t i = 2; i < args.size(); i += 2) {
    if (i + 1 >= args.size()) {
      ctx.reply.error(kErrSyntax);
      return false;
    }
    std::string_view option = args[i], value = args[i + 1];
    if (iequals(option, "id")) {
      auto id = parse_int64(value);
      if (!id || *id <= 0) {
        ctx.reply.error("ERR client-id should be greater than 0");
        return false;
      }
      filter->id = static_cast<uint64_t>(*id);
    } else if (iequals(option, "type")) {
      filter->type = client_type_arg(ctx, value);
      if (!filter->type) return false;
    } else if (iequals(option, "addr")) {
      filter->addr = value;
    } else if (iequals(option, "laddr")) {
      filter->laddr = value;
    } else if (iequals(option, "user")) {
      // "default" is the only user, and every client is logged in as it.
      if (value != "default") {
        ctx.reply.error(fmt::format("ERR No such user '{}'", value));
        return false;
      }
    } else if (iequals(option, "skipme")) {
      if (iequals(value, "yes")) {
        filter->skip_caller = true;
      } else if (iequals(value, "no")) {
        filter->skip_caller = false;
      } else {
        ctx.reply.error(kErrSyntax);
        return false;
      }
    } else {
      ctx.reply.error(kErrSyntax);
      return false;
    }
  }
  return true;
}

// Closes `victim`; the caller itself goes only after this reply is sent.
void kill_client(ServerContext& ctx, Connection* victim) {
  if (victim == &ctx.conn) {
    ctx.conn.close_after_reply();
  } else {
    victim->close();
  }
}

// CLIENT KILL addr:port (the old form: +OK or an error, and it may kill the
// caller) or CLIENT KILL <filter value>... (the count of clients killed).
void kill_command(CommandContext& base, Args args) {
  ServerContext& ctx = server_context(base);
  if (args.size() == 3) {
    for (Connection* c : live_clients(ctx.server)) {
      if (c->peer() == args[2]) {
        kill_client(ctx, c);
        ctx.reply.ok();
        return;
      }
    }
    ctx.reply.error(kErrNoSuchClient);
    return;
  }
  KillFilter filter;
  if (!parse_kill_filter(ctx, args, &filter)) return;
  int64_t killed = 0;
  for (Connection* c : live_clients(ctx.server)) {
    if (!filter.matches(*c, ctx.conn)) continue;
    kill_client(ctx, c);
    ++killed;
  }
  ctx.reply.integer(killed);
}

// CLIENT PAUSE milliseconds [WRITE|ALL]
void pause_command(CommandContext& base, Args args) {
  ServerContext& ctx = server_context(base);
  if (args.size() > 4) {
    reply_bad_subcommand(ctx.reply, args[1], "CLIENT");
    return;
  }
  // The mode is checked before the timeout, as Redis does.
  PauseMode mode = PauseMode::kAll;
  if (args.size() == 4) {
    if (iequals(args[3], "write")) {
      mode = PauseMode::kWrite;
    } else if (!iequals(args[3], "all")) {
      ctx.reply.error("ERR CLIENT PAUSE mode must be WRITE or ALL");
      return;
    }
  }
  int64_t timeout;
  if (!ms_timeout_arg(ctx, args[2], &timeout)) return;
  int64_t now = ctx.now_ms();
  int64_t until = timeout > INT64_MAX - now ? INT64_MAX : now + timeout;
  ctx.server.pause(mode, until);
  ctx.reply.ok();
}

void unpause_command(CommandContext& base, Args) {
  ServerContext& ctx = server_context(base);
  ctx.server.unpause();
  ctx.reply.ok();
}

// Parses ON/OFF; replies a syntax error otherwise.
std::optional<bool> on_off_arg(ServerContext& ctx, std::string_view arg) {
  if (iequals(arg, "on")) return true;
  if (iequals(arg, "off")) return false;
  ctx.reply.error(kErrSyntax);
  return std::nullopt;
}

void no_evict_command(CommandContext& base, Args args) {
  ServerContext& ctx = server_context(base);
  auto on = on_off_arg(ctx, args[2]);
  if (!on) return;
  ctx.conn.no_evict = *on;
  ctx.reply.ok();
}

// CLIENT REPLY ON|OFF|SKIP. Only ON answers (+OK); OFF and SKIP are silent
// themselves. The server mutes replies while the mode is not ON, and turns a
// SKIP into "mute the next command" (Connection::run_request).
void reply_command(CommandContext& base, Args args) {
  ServerContext& ctx = server_context(base);
  std::string_view mode = args[2];
  if (iequals(mode, "on")) {
    ctx.conn.reply_mode = ReplyMode::kOn;
    ctx.reply.set_muted(false);
    ctx.reply.ok();
  } else if (iequals(mode, "off")) {
    ctx.conn.reply_mode = ReplyMode::kOff;
    ctx.reply.set_muted(true);
  } else if (iequals(mode, "skip")) {
    // SKIP does nothing while replies are off, as in Redis.
    if (ctx.conn.reply_mode != ReplyMode::kOff) ctx.conn.reply_mode = ReplyMode::kSkipNext;
    ctx.reply.set_muted(true);
  } else {
    ctx.reply.error(kErrSyntax);
  }
}

// Ends a blocking command's wait as a timeout (its null reply) or with an
// UNBLOCKED error. Only clients parked by blocking commands qualify: a client
// held by CLIENT PAUSE is not blocked in this sense, as in Redis.
void unblock_command(CommandContext& base, Args args) {
  ServerContext& ctx = server_context(base);
  if (args.size() > 4) {
    reply_bad_subcommand(ctx.reply, args[1], "CLIENT");
    return;
  }
  auto id = parse_int64(args[2]);
  if (!id) {
    ctx.reply.error(kErrNotInteger);
    return;
  }
  Connection::Wake how = Connection::Wake::kTimeout;
  if (args.size() == 4) {
    if (iequals(args[3], "error")) {
      how = Connection::Wake::kError;
    } else if (!iequals(args[3], "timeout")) {
      ctx.reply.error("ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR");
      return;
    }
  }
  Connection* c = *id > 0 ? find_client(ctx.server, static_cast<uint64_t>(*id)) : nullptr;
  ctx.reply.integer(c && ctx.server.unblock(c, how) ? 1 : 0);
}

// Vireo has no client-side caching: nothing to redirect to, tracking off.
void getredir_command(CommandContext& base, Args) {
  server_context(base).reply.integer(-1);
}

void trackinginfo_command(CommandContext& base, Args) {
  ServerContext& ctx = server_context(base);
  ctx.reply.map(3);
  ctx.reply.bulk("flags");
  ctx.reply.set(1);
  ctx.reply.bulk("off");
  ctx.reply.bulk("redirect");
  ctx.reply.integer(-1);
  ctx.reply.bulk("prefixes");
  ctx.reply.array(0);
}

void help_command(CommandContext& base, Args) {
  ServerContext& ctx = server_context(base);
  reply_help(ctx.reply, "CLIENT",
             {
                 "GETNAME",
                 "    Return the name of this connection.",
                 "GETREDIR",
                 "    Return the id tracking invalidations are redirected to (-1: none).",
                 "ID",
                 "    Return the id of this connection.",
                 "INFO",
                 "    Describe this connection, in the format of LIST.",
                 "KILL <ip:port>",
                 "    Close the connection from <ip:port>.",
                 "KILL <filter> <value> [<filter> <value> ...]",
                 "    Close every connection matching all the filters, which are:",
                 "    * ID <client-id>",
                 "    * ADDR <ip:port>       the connection's remote address",
                 "    * LADDR <ip:port>      the connection's local address",
                 "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
                 "    * USER <username>",
                 "    * SKIPME (YES|NO)      whether to spare this connection (default: YES)",
                 "LIST [TYPE (NORMAL|MASTER|REPLICA|PUBSUB) | ID <client-id> [<client-id> ...]]",
                 "    Describe connections, one line each.",
                 "NO-EVICT (ON|OFF)",
                 "    Exempt this connection from client eviction, or not.",
                 "PAUSE <timeout> [WRITE|ALL]",
                 "    Hold all commands, or only writes, of every client for <timeout> ms.",
                 "REPLY (ON|OFF|SKIP)",
                 "    Send replies, send none, or skip the reply to the next command.",
                 "SETINFO (LIB-NAME|LIB-VER) <value>",
                 "    Record the client library's name or version on this connection.",
                 "SETNAME <name>",
                 "    Name this connection.",
                 "TRACKINGINFO",
                 "    Report the client-side caching state of this connection.",
                 "UNBLOCK <client-id> [TIMEOUT|ERROR]",
                 "    End the wait of a client blocked by a blocking command, as a timeout",
                 "    (the default) or with an UNBLOCKED error.",
                 "UNPAUSE",
                 "    End a pause started by CLIENT PAUSE.",
             });
}

constexpr uint32_t kConnFlags = kNoscript | kLoading | kStale;
constexpr uint32_t kConnAcl = kAclSlow | kAclConnection;
constexpr uint32_t kAdminFlags = kAdmin | kNoscript | kLoading | kStale;
constexpr uint32_t kAdminAcl = kAclAdmin | kAclSlow | kAclDangerous | kAclConnection;

constexpr std::string_view kTipsNondeterministic[] = {"nondeterministic_output"};

const CommandSpec kClientSubcommands[] = {
    {.name = "getname",
     .arity = 2,
     .flags = kConnFlags,
     .acl = kConnAcl,
     .handler = getname_command,
     .group = "connection",
     .summary = "Returns the name of the connection.",
     .since = "2.6.9",
     .complexity = "O(1)"},
    {.name = "getredir",
     .arity = 2,
     .flags = kConnFlags,
     .acl = kConnAcl,
     .handler = getredir_command,
     .group = "connection",
     .summary = "Returns the client id tracking notifications are redirected to.",
     .since = "6.0.0",
     .complexity = "O(1)"},
    {.name = "help",
     .arity = 2,
     .flags = kLoading | kStale,
     .acl = kConnAcl,
     .handler = help_command,
     .group = "connection",
     .summary = "Describes the CLIENT subcommands.",
     .since = "5.0.0",
     .complexity = "O(1)"},
    {.name = "id",
     .arity = 2,
     .flags = kConnFlags,
     .acl = kConnAcl,
     .handler = id_command,
     .group = "connection",
     .summary = "Returns the unique id of the connection.",
     .since = "5.0.0",
     .complexity = "O(1)"},
    {.name = "info",
     .arity = 2,
     .flags = kConnFlags,
     .acl = kConnAcl,
     .tips = kTipsNondeterministic,
     .handler = info_command,
     .group = "connection",
     .summary = "Describes the connection, as one CLIENT LIST line.",
     .since = "6.2.0",
     .complexity = "O(1)"},
    {.name = "kill",
     .arity = -3,
     .flags = kAdminFlags,
     .acl = kAdminAcl,
     .handler = kill_command,
     .group = "connection",
     .summary = "Closes the connections that match the given filters.",
     .since = "2.4.0",
     .complexity = "O(N) where N is the number of client connections"},
    {.name = "list",
     .arity = -2,
     .flags = kAdminFlags,
     .acl = kAdminAcl,
     .tips = kTipsNondeterministic,
     .handler = list_command,
     .group = "connection",
     .summary = "Describes every connection, or those of a type or with given ids.",
     .since = "2.4.0",
     .complexity = "O(N) where N is the number of client connections"},
    {.name = "no-evict",
     .arity = 3,
     .flags = kAdminFlags,
     .acl = kAdminAcl,
     .handler = no_evict_command,
     .group = "connection",
     .summary = "Exempts the connection from client eviction, or not.",
     .since = "7.0.0",
     .complexity = "O(1)"},
    {.name = "pause",
     .arity = -3,
     .flags = kAdminFlags,
     .acl = kAdminAcl,
     .handler = pause_command,
     .group = "connection",
     .summary = "Holds the commands of all clients, or only writes, for a while.",
     .since = "2.9.50",
     .complexity = "O(1)"},
    {.name = "reply",
     .arity = 3,
     .flags = kConnFlags,
     .acl = kConnAcl,
     .handler = reply_command,
     .group = "connection",
     .summary = "Turns the replies to this connection on or off, or skips the next one.",
     .since = "3.2.0",
     .complexity = "O(1)"},
    {.name = "setinfo",
     .arity = 4,
     .flags = kConnFlags,
     .acl = kConnAcl,
     .handler = setinfo_command,
     .group = "connection",
     .summary = "Records the client library's name or version on the connection.",
     .since = "7.2.0",
     .complexity = "O(1)"},
    {.name = "setname",
     .arity = 3,
     .flags = kConnFlags,
     .acl = kConnAcl,
     .handler = setname_command,
     .group = "connection",
     .summary = "Names the connection.",
     .since = "2.6.9",
     .complexity = "O(1)"},
    {.name = "trackinginfo",
     .arity = 2,
     .flags = kConnFlags,
     .acl = kConnAcl,
     .handler = trackinginfo_command,
     .group = "connection",
     .summary = "Reports the client-side caching state of the connection.",
     .since = "6.2.0",
     .complexity = "O(1)"},
    {.name = "unblock",
     .arity = -3,
     .flags = kAdminFlags,
     .acl = kAdminAcl,
     .handler = unblock_command,
     .group = "connection",
     .summary = "Ends the wait of a client blocked by a blocking command.",
     .since = "5.0.0",
     .complexity = "O(log N) where N is the number of client connections"},
    {.name = "unpause",
     .arity = 2,
     .flags = kAdminFlags,
     .acl = kAdminAcl,
     .handler = unpause_command,
     .group = "connection",
     .summary = "Ends a pause started by CLIENT PAUSE.",
     .since = "6.2.0",
     .complexity = "O(N) Where N is the number of paused clients"},
};

const CommandSpec kClientCommands[] = {
    {.name = "client",
     .arity = -2,
     .acl = kAclSlow,
     .subcommands = kClientSubcommands,
     .group = "connection",
     .summary = "A container for client connection commands.",
     .since = "2.4.0",
     .complexity = "Depends on subcommand."},
};

}  // namespace

std::span<const CommandSpec> client_commands() {
  return kClientCommands;
}

}  // namespace vireo
