// Pub/sub: SUBSCRIBE UNSUBSCRIBE PSUBSCRIBE PUNSUBSCRIBE SSUBSCRIBE
// SUNSUBSCRIBE PUBLISH SPUBLISH and the PUBSUB container. The registry is
// core/pubsub.h; the connection is the subscriber and delivers to its socket.
#include "server/commands/pubsub.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <vector>

#include "core/commands/help.h"
#include "core/pubsub.h"
#include "server/commands/families.h"
#include "server/connection.h"
#include "server/server.h"

namespace vireo {
namespace {

// How one namespace names itself in confirmations, and which count they carry.
struct Namespace {
  Subscription kind;
  std::string_view subscribe_reply;    // "subscribe", "psubscribe", "ssubscribe"
  std::string_view unsubscribe_reply;  // "unsubscribe", ...
};
constexpr Namespace kChannels{Subscription::kChannel, "subscribe", "unsubscribe"};
constexpr Namespace kPatterns{Subscription::kPattern, "psubscribe", "punsubscribe"};
constexpr Namespace kShards{Subscription::kShard, "ssubscribe", "sunsubscribe"};

// The count a confirmation carries: shard channels are counted on their own,
// channels and patterns together.
int64_t confirmation_count(const Connection& c, Subscription kind) {
  return static_cast<int64_t>(kind == Subscription::kShard
                                  ? c.subscription_count(Subscription::kShard)
                                  : c.channel_and_pattern_count());
}

// Confirmations are pushes: Redis 7.0 sends them (and messages) even under
// CLIENT REPLY OFF or SKIP.
class Unmuted {
 public:
  explicit Unmuted(ReplyWriter& w) : w_(w), was_(w.muted()) { w_.set_muted(false); }
  ~Unmuted() { w_.set_muted(was_); }
  Unmuted(const Unmuted&) = delete;
  Unmuted& operator=(const Unmuted&) = delete;

 private:
  ReplyWriter& w_;
  bool was_;
};

// [kind, name or nil, count], a push in RESP3.
void confirm(ServerContext& ctx, std::string_view what, const std::string_view* name,
             Subscription kind) {
  ctx.reply.push(3);
  ctx.reply.bulk(what);
  if (name) {
    ctx.reply.bulk(*name);
  } else {
    ctx.reply.null();
  }
  ctx.reply.integer(confirmation_count(ctx.conn, kind));
}

// Keeps the client's pub/sub mode (Redis's CLIENT_PUBSUB flag: the RESP2
// command filter, PING's reply form, the pubsub output-buffer class) in step
// with its subscriptions.
void update_mode(ServerContext& ctx) {
  ctx.client.pubsub = ctx.conn.subscribed();
}

void subscribe_each(ServerContext& ctx, const Namespace& ns, Args names) {
  Unmuted unmuted(ctx.reply);
  PubSub& registry = ctx.server.pubsub();
  for (std::string_view name : names) {
    registry.subscribe(ctx.conn, ns.kind, name);
    confirm(ctx, ns.subscribe_reply, &name, ns.kind);
  }
  update_mode(ctx);
}

// With no names, from everything in the namespace: one confirmation each, or
// a single one with a nil name when there was nothing.
void unsubscribe_each(ServerContext& ctx, const Namespace& ns, Args names) {
  Unmuted unmuted(ctx.reply);
  PubSub& registry = ctx.server.pubsub();
  if (names.empty()) {
    std::vector<std::string> mine = registry.subscriptions_of(ctx.conn, ns.kind);
    for (const std::string& name : mine) {
      registry.unsubscribe(ctx.conn, ns.kind, name);
      std::string_view view = name;
      confirm(ctx, ns.unsubscribe_reply, &view, ns.kind);
    }
    if (mine.empty()) confirm(ctx, ns.unsubscribe_reply, nullptr, ns.kind);
  } else {
    for (std::string_view name : names) {
      registry.unsubscribe(ctx.conn, ns.kind, name);
      confirm(ctx, ns.unsubscribe_reply, &name, ns.kind);
    }
  }
  update_mode(ctx);
}

void subscribe_command(CommandContext& base, Args args) {
  subscribe_each(server_context(base), kChannels, args.subspan(1));
}

void psubscribe_command(CommandContext& base, Args args) {
  subscribe_each(server_context(base), kPatterns, args.subspan(1));
}

void ssubscribe_command(CommandContext& base, Args args) {
  ServerContext& ctx = server_context(base);
  // Redis refuses it where a client must get one reply per command (inside
  // MULTI), though it lets SUBSCRIBE and PSUBSCRIBE through there.
  if (!ctx.can_block) {
    ctx.reply.error("ERR SSUBSCRIBE isn't allowed for a DENY BLOCKING client");
    return;
  }
  subscribe_each(ctx, kShards, args.subspan(1));
}

void unsubscribe_command(CommandContext& base, Args args) {
  unsubscribe_each(server_context(base), kChannels, args.subspan(1));
}

void punsubscribe_command(CommandContext& base, Args args) {
  unsubscribe_each(server_context(base), kPatterns, args.subspan(1));
}

void sunsubscribe_command(CommandContext& base, Args args) {
  unsubscribe_each(server_context(base), kShards, args.subspan(1));
}

// Not propagated: Redis sends PUBLISH and SPUBLISH to replicas, but Vireo's
// one effect stream also feeds the WAL, and recovery must not publish again.
void publish_command(CommandContext& base, Args args) {
  ServerContext& ctx = server_context(base);
  ctx.reply.integer(static_cast<int64_t>(ctx.server.pubsub().publish(args[1], args[2])));
}

void spublish_command(CommandContext& base, Args args) {
  ServerContext& ctx = server_context(base);
  ctx.reply.integer(static_cast<int64_t>(ctx.server.pubsub().publish_shard(args[1], args[2])));
}

// --- PUBSUB ------------------------------------------------------------------

// CHANNELS / SHARDCHANNELS [pattern]
void reply_names(ServerContext& ctx, Args args, Subscription kind) {
  if (args.size() > 3) {
    reply_bad_subcommand(ctx.reply, args[1], "PUBSUB");
    return;
  }
  std::optional<std::string_view> pattern;
  if (args.size() == 3) pattern = args[2];
  std::vector<std::string_view> names = ctx.server.pubsub().names(kind, pattern);
  ctx.reply.array(names.size());
  for (std::string_view name : names)
    ctx.reply.bulk(name);
}

// NUMSUB / SHARDNUMSUB [name ...]: a flat array of name, count pairs in
// either protocol, as Redis replies.
void reply_counts(ServerContext& ctx, Args names, Subscription kind) {
  ctx.reply.array(names.size() * 2);
  for (std::string_view name : names) {
    ctx.reply.bulk(name);
    ctx.reply.integer(static_cast<int64_t>(ctx.server.pubsub().subscriber_count(kind, name)));
  }
}

void channels_command(CommandContext& base, Args args) {
  reply_names(server_context(base), args, Subscription::kChannel);
}

void shardchannels_command(CommandContext& base, Args args) {
  reply_names(server_context(base), args, Subscription::kShard);
}

void numsub_command(CommandContext& base, Args args) {
  reply_counts(server_context(base), args.subspan(2), Subscription::kChannel);
}

void shardnumsub_command(CommandContext& base, Args args) {
  reply_counts(server_context(base), args.subspan(2), Subscription::kShard);
}

// Distinct patterns, not pattern subscriptions.
void numpat_command(CommandContext& base, Args) {
  ServerContext& ctx = server_context(base);
  ctx.reply.integer(static_cast<int64_t>(ctx.server.pubsub().size(Subscription::kPattern)));
}

void help_command(CommandContext& base, Args) {
  reply_help(
      server_context(base).reply, "PUBSUB",
      {
          "CHANNELS [<pattern>]",
          "    Return the channels that have subscribers, those matching <pattern> if given.",
          "NUMPAT",
          "    Return how many distinct patterns have subscribers.",
          "NUMSUB [<channel> ...]",
          "    Return each channel with its subscriber count (pattern subscribers aside).",
          "SHARDCHANNELS [<pattern>]",
          "    Return the shard channels that have subscribers, those matching <pattern>.",
          "SHARDNUMSUB [<shardchannel> ...]",
          "    Return each shard channel with its subscriber count.",
      });
}

// --- Command table -------------------------------------------------------------

constexpr uint32_t kSessionFlags = kPubsub | kNoscript | kLoading | kStale;
// Both publishes may replicate (Redis sends them to replicas), so a CLIENT
// PAUSE WRITE holds them.
constexpr uint32_t kPublishFlags = kPubsub | kLoading | kStale | kFast | kMayReplicate;
constexpr uint32_t kQueryFlags = kPubsub | kLoading | kStale;

// Shard channels are named like keys (so a cluster can route them) but are
// not keys.
constexpr KeySpec kShardChannels[] = {key_range(kKeyNotKey, 1, -1)};
constexpr KeySpec kShardChannel[] = {key_range(kKeyNotKey, 1)};

const CommandSpec kPubsubSubcommands[] = {
    {.name = "channels",
     .arity = -2,
     .flags = kQueryFlags,
     .acl = kAclPubsub | kAclSlow,
     .handler = channels_command,
     .summary = "Lists the channels that have subscribers.",
     .since = "2.8.0",
     .complexity = "O(N) where N is the number of active channels"},
    {.name = "numsub",
     .arity = -2,
     .flags = kQueryFlags,
     .acl = kAclPubsub | kAclSlow,
     .handler = numsub_command,
     .summary = "Counts the subscribers of channels.",
     .since = "2.8.0",
     .complexity = "O(N) for the N channels asked about"},
    {.name = "numpat",
     .arity = 2,
     .flags = kQueryFlags,
     .acl = kAclPubsub | kAclSlow,
     .handler = numpat_command,
     .summary = "Counts the patterns that have subscribers.",
     .since = "2.8.0",
     .complexity = "O(1)"},
    {.name = "shardchannels",
     .arity = -2,
     .flags = kQueryFlags,
     .acl = kAclPubsub | kAclSlow,
     .handler = shardchannels_command,
     .summary = "Lists the shard channels that have subscribers.",
     .since = "7.0.0",
     .complexity = "O(N) where N is the number of active shard channels"},
    {.name = "shardnumsub",
     .arity = -2,
     .flags = kQueryFlags,
     .acl = kAclPubsub | kAclSlow,
     .handler = shardnumsub_command,
     .summary = "Counts the subscribers of shard channels.",
     .since = "7.0.0",
     .complexity = "O(N) for the N shard channels asked about"},
    {.name = "help",
     .arity = 2,
     .flags = kLoading | kStale,
     .acl = kAclSlow,
     .handler = help_command,
     .summary = "Shows what PUBSUB's subcommands do.",
     .since = "6.2.0",
     .complexity = "O(1)"},
};

const CommandSpec kPubsubCommands[] = {
    {.name = "subscribe",
     .arity = -2,
     .flags = kSessionFlags,
     .acl = kAclPubsub | kAclSlow,
     .handler = subscribe_command,
     .group = "pubsub",
     .summary = "Receives the messages published to channels.",
     .since = "2.0.0",
     .complexity = "O(N) for N channels"},
    {.name = "unsubscribe",
     .arity = -1,
     .flags = kSessionFlags,
     .acl = kAclPubsub | kAclSlow,
     .handler = unsubscribe_command,
     .group = "pubsub",
     .summary = "Stops receiving the messages of channels, or of every channel.",
     .since = "2.0.0",
     .complexity = "O(N) for N channels"},
    {.name = "psubscribe",
     .arity = -2,
     .flags = kSessionFlags,
     .acl = kAclPubsub | kAclSlow,
     .handler = psubscribe_command,
     .group = "pubsub",
     .summary = "Receives the messages published to channels matching glob patterns.",
     .since = "2.0.0",
     .complexity = "O(N) for N patterns"},
    {.name = "punsubscribe",
     .arity = -1,
     .flags = kSessionFlags,
     .acl = kAclPubsub | kAclSlow,
     .handler = punsubscribe_command,
     .group = "pubsub",
     .summary = "Stops receiving through patterns, or through every pattern.",
     .since = "2.0.0",
     .complexity = "O(N+M) for N patterns and M pattern subscriptions in all"},
    {.name = "publish",
     .arity = 3,
     .flags = kPublishFlags,
     .acl = kAclPubsub | kAclFast,
     .handler = publish_command,
     .group = "pubsub",
     .summary = "Sends a message to a channel's subscribers; returns how many received it.",
     .since = "2.0.0",
     .complexity = "O(N+M) for N subscribers and M patterns"},
    {.name = "pubsub",
     .arity = -2,
     .acl = kAclSlow,
     .subcommands = kPubsubSubcommands,
     .group = "pubsub",
     .summary = "Inspects the pub/sub registry.",
     .since = "2.8.0",
     .complexity = "Depends on subcommand."},
    {.name = "ssubscribe",
     .arity = -2,
     .flags = kSessionFlags,
     .acl = kAclPubsub | kAclSlow,
     .key_specs = kShardChannels,
     .handler = ssubscribe_command,
     .group = "pubsub",
     .summary = "Receives the messages published to shard channels.",
     .since = "7.0.0",
     .complexity = "O(N) for N shard channels"},
    {.name = "sunsubscribe",
     .arity = -1,
     .flags = kSessionFlags,
     .acl = kAclPubsub | kAclSlow,
     .key_specs = kShardChannels,
     .handler = sunsubscribe_command,
     .group = "pubsub",
     .summary = "Stops receiving the messages of shard channels, or of all of them.",
     .since = "7.0.0",
     .complexity = "O(N) for N shard channels"},
    {.name = "spublish",
     .arity = 3,
     .flags = kPublishFlags,
     .acl = kAclPubsub | kAclFast,
     .key_specs = kShardChannel,
     .handler = spublish_command,
     .group = "pubsub",
     .summary = "Sends a message to a shard channel's subscribers; returns how many received it.",
     .since = "7.0.0",
     .complexity = "O(N) for N subscribers"},
};

// The commands a RESP2 subscriber may still run.
constexpr std::array<std::string_view, 9> kSubscribedModeCommands = {
    "subscribe",    "unsubscribe", "psubscribe", "punsubscribe", "ssubscribe",
    "sunsubscribe", "ping",        "quit",       "reset"};

}  // namespace

std::string subscribed_mode_refusal(const Connection& c, const Command& cmd) {
  if (!c.state().pubsub || c.state().protocol != 2) return {};
  if (!cmd.parent && std::find(kSubscribedModeCommands.begin(), kSubscribedModeCommands.end(),
                               cmd.spec->name) != kSubscribedModeCommands.end()) {
    return {};
  }
  return fmt::format(
      "ERR Can't execute '{}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are "
      "allowed in this context",
      cmd.full_name);
}

void drop_subscriptions(Server& server, Connection& c) {
  server.pubsub().unsubscribe_all(c);
  c.state().pubsub = false;
}

std::span<const CommandSpec> pubsub_commands() {
  return kPubsubCommands;
}

}  // namespace vireo
