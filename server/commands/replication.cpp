// Replication commands: SYNC and PSYNC (which turn the calling connection
// into a replica of this server), REPLCONF, REPLICAOF (which makes this
// server a replica of another), and ROLE.

#include <fmt/format.h>

#include "core/commands/arguments.h"
#include "core/strconv.h"
#include "server/commands/families.h"
#include "server/connection.h"
#include "server/server.h"

namespace vireo {
namespace {

constexpr uint32_t kAdminAcl = kAclAdmin | kAclSlow | kAclDangerous;

// A replica serves its own replicas only while it follows its primary, as
// Redis: otherwise its data may be any age.
bool refused_without_primary_link(ServerContext& ctx) {
  const ReplicaRole* role = ctx.server.replica_role();
  if (!role || role->link().state() == ReplicaLink::State::kConnected) return false;
  ctx.reply.error("NOMASTERLINK Can't SYNC while not connected with my master");
  return true;
}

void psync_command(CommandContext& base, Args args) {
  ServerContext& ctx = server_context(base);
  if (refused_without_primary_link(ctx)) return;
  // An offset that is not a number cannot be continued from: a full sync.
  ctx.server.replicas().attach(ctx.conn, true, args[1], parse_uint64(args[2]));
}

void sync_command(CommandContext& base, Args) {
  ServerContext& ctx = server_context(base);
  if (refused_without_primary_link(ctx)) return;
  ctx.server.replicas().attach(ctx.conn, false, "?", std::nullopt);
}

// REPLCONF <option> <value> ...: what a replica tells its primary before
// PSYNC (after it, replicas' REPLCONF ACKs go to Replicas::replica_command).
void replconf_command(CommandContext& base, Args args) {
  ServerContext& ctx = server_context(base);
  if (args.size() % 2 == 0) {
    ctx.reply.error("ERR syntax error");
    return;
  }
  if (!ctx.conn.replica) ctx.conn.replica = std::make_unique<ReplicaState>();
  ReplicaState& r = *ctx.conn.replica;
  for (size_t i = 1; i < args.size(); i += 2) {
    const std::string_view option = args[i], value = args[i + 1];
    if (iequals(option, "listening-port")) {
      auto port = parse_int64(value);
      if (!port) {
        ctx.reply.error("ERR value is not an integer or out of range");
        return;
      }
      r.listening_port = static_cast<int>(*port);
    } else if (iequals(option, "ip-address")) {
      r.announced_ip = std::string(value.substr(0, 46));  // NET_HOST_STR_LEN, as Redis
    } else if (iequals(option, "ack") || iequals(option, "getack")) {
      // Meaningful only on a replica link: no reply, as Redis.
      return;
    } else if (!iequals(option, "capa") && !iequals(option, "rdb-only") &&
               !iequals(option, "rdb-filter-only")) {
      ctx.reply.error(fmt::format("ERR Unrecognized REPLCONF option: {}", option));
      return;
    }
  }
  ctx.reply.ok();
}

// REPLICAOF host port | NO ONE (and SLAVEOF).
void replicaof_command(CommandContext& base, Args args) {
  ServerContext& ctx = server_context(base);
  if (iequals(args[1], "no") && iequals(args[2], "one")) {
    ctx.server.stop_following();
    ctx.reply.ok();
    return;
  }
  auto port = parse_int64(args[2]);
  if (!port || *port < 0 || *port > 65535) {
    ctx.reply.error("ERR Invalid master port");
    return;
  }
  if (ctx.conn.is_replica()) {
    ctx.reply.error("ERR Command is not valid when client is a replica.");
    return;
  }
  const ReplicaRole* role = ctx.server.replica_role();
  if (role && role->host() == args[1] && role->port() == *port) {
    ctx.reply.simple("OK Already connected to specified master");
    return;
  }
  ctx.server.follow(std::string(args[1]), static_cast<int>(*port));
  ctx.reply.ok();
}

// WAIT numreplicas timeout: until that many replicas acknowledged this
// client's writes (the stream up to the record holding its last one), or the
// timeout (milliseconds; 0: for ever); replies how many did.
void wait_command(CommandContext& base, Args args) {
  ServerContext& ctx = server_context(base);
  if (ctx.server.replica_role()) {
    ctx.reply.error(
        "ERR WAIT cannot be used with replica instances. Please also note that writes to a "
        "writable replica are local and are not propagated.");
    return;
  }
  int64_t wanted, timeout;
  if (!int_arg(ctx, args[1], &wanted) || !ms_timeout_arg(ctx, args[2], &timeout)) return;
  Connection& c = ctx.conn;
  Replicas& replicas = ctx.server.replicas();
  const bool first = !c.parked;
  const size_t acked = replicas.acknowledged(c.write_offset);
  const bool timed_out = !first && c.waking == Connection::Wake::kTimeout;
  if (static_cast<int64_t>(acked) >= wanted || timed_out || !ctx.can_block) {
    replicas.remove_waiter(&c);
    ctx.reply.integer(static_cast<int64_t>(acked));
    return;
  }
  BlockRequest request;
  const int64_t now = ctx.now_ms();
  if (timeout > 0) request.deadline_ms = timeout > INT64_MAX - now ? INT64_MAX : now + timeout;
  request.rerun_on_timeout = true;
  ctx.block_request = std::move(request);
  replicas.add_waiter(&c);
}

// ROLE's name for a link's state.
std::string_view link_state_name(ReplicaLink::State state) {
  switch (state) {
    case ReplicaLink::State::kConnect:
      return "connect";
    case ReplicaLink::State::kConnecting:
      return "connecting";
    case ReplicaLink::State::kHandshake:
      return "handshake";
    case ReplicaLink::State::kTransfer:
      return "sync";
    case ReplicaLink::State::kConnected:
      return "connected";
  }
  return "connect";
}

// ROLE: as a replica, its primary, the link's state and its offset; as a
// primary, its offset and each online replica's address and acknowledged
// offset.
void role_command(CommandContext& base, Args) {
  ServerContext& ctx = server_context(base);
  if (const ReplicaRole* role = ctx.server.replica_role()) {
    const ReplicaLink& link = role->link();
    ctx.reply.array(5);
    ctx.reply.bulk("slave");
    ctx.reply.bulk(role->host());
    ctx.reply.integer(role->port());
    ctx.reply.bulk(link_state_name(link.state()));
    ctx.reply.integer(
        link.state() == ReplicaLink::State::kConnected ? static_cast<int64_t>(link.offset()) : -1);
    return;
  }
  const Replicas& replicas = ctx.server.replicas();
  ctx.reply.array(3);
  ctx.reply.bulk("master");
  ctx.reply.integer(static_cast<int64_t>(replicas.offset()));
  size_t online = 0;
  for (const Connection* c : replicas.replicas()) {
    if (!c->closing() && c->replica->online()) ++online;
  }
  ctx.reply.array(online);
  for (const Connection* c : replicas.replicas()) {
    if (c->closing() || !c->replica->online()) continue;
    ctx.reply.array(3);
    ctx.reply.bulk(replica_address(*c));
    ctx.reply.bulk(fmt::format("{}", c->replica->listening_port));
    ctx.reply.bulk(fmt::format("{}", c->replica->ack_offset));
  }
}

constexpr CommandSpec kReplicaof = {
    .name = "replicaof",
    .arity = 3,
    .flags = kAdmin | kNoscript | kStale | kNoAsyncLoading,
    .acl = kAdminAcl,
    .handler = replicaof_command,
    .group = "server",
    .summary = "Makes the server a replica of another, or (NO ONE) a primary again.",
    .since = "5.0.0",
    .complexity = "O(1)"};

// The same command under its older name (SLAVEOF).
constexpr CommandSpec renamed(CommandSpec spec, std::string_view name, std::string_view since) {
  spec.name = name;
  spec.since = since;
  return spec;
}

constexpr CommandSpec kReplicationCommands[] = {
    {.name = "psync",
     .arity = -3,
     .flags = kAdmin | kNoscript | kNoAsyncLoading | kNoMulti,
     .acl = kAdminAcl,
     .handler = psync_command,
     .group = "server",
     .summary = "Makes the connection a replica: continues it from its offset, or sends a "
                "checkpoint first, then the stream.",
     .since = "2.8.0",
     .complexity = "O(1) to continue; a background checkpoint otherwise"},
    {.name = "sync",
     .arity = 1,
     .flags = kAdmin | kNoscript | kNoAsyncLoading | kNoMulti,
     .acl = kAdminAcl,
     .handler = sync_command,
     .group = "server",
     .summary = "Makes the connection a replica: a checkpoint, then the stream.",
     .since = "1.0.0",
     .complexity = "A background checkpoint"},
    {.name = "replconf",
     .arity = -1,
     .flags = kAdmin | kNoscript | kLoading | kStale | kAllowBusy,
     .acl = kAdminAcl,
     .handler = replconf_command,
     .group = "server",
     .summary = "What a replica tells its primary about itself before it syncs.",
     .since = "3.0.0",
     .complexity = "O(1)"},
    kReplicaof,
    renamed(kReplicaof, "slaveof", "1.0.0"),
    {.name = "wait",
     .arity = 3,
     .flags = kNoscript,
     .acl = kAclSlow | kAclConnection,
     .handler = wait_command,
     .group = "generic",
     .summary = "Waits until replicas acknowledged every write this connection made, or a "
                "timeout; returns how many did.",
     .since = "3.0.0",
     .complexity = "O(1)"},
    {.name = "role",
     .arity = 1,
     .flags = kNoscript | kLoading | kStale | kFast,
     .acl = kAclAdmin | kAclFast | kAclDangerous,
     .handler = role_command,
     .group = "server",
     .summary = "Returns the server's replication role, offset and replicas.",
     .since = "2.8.12",
     .complexity = "O(1)"},
};

}  // namespace

std::span<const CommandSpec> replication_commands() {
  return kReplicationCommands;
}

}  // namespace vireo
