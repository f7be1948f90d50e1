// PING, ECHO, SELECT: the connection commands that need nothing but the
// client's own state. HELLO, AUTH, QUIT, RESET and CLIENT live in server/.
#include "core/commands/arguments.h"
#include "core/commands/families.h"
#include "core/context.h"

namespace vireo {
namespace {

// A RESP2 client in subscribed mode gets ["pong", message] instead, which it
// can tell from a published message.
void ping_command(CommandContext& ctx, Args args) {
  // PING's arity is -1 but it takes at most one message: Redis checks in the
  // handler, so this counts as a failed call rather than a rejected one.
  if (args.size() > 2) {
    ctx.reply.error("ERR wrong number of arguments for 'ping' command");
  } else if (ctx.client.pubsub && ctx.reply.protocol() == 2) {
    ctx.reply.array(2);
    ctx.reply.bulk("pong");
    ctx.reply.bulk(args.size() == 2 ? args[1] : "");
  } else if (args.size() == 1) {
    ctx.reply.simple("PONG");
  } else {
    ctx.reply.bulk(args[1]);
  }
}

void echo_command(CommandContext& ctx, Args args) {
  ctx.reply.bulk(args[1]);
}

// SELECT propagates nothing: every effect carries its own database.
void select_command(CommandContext& ctx, Args args) {
  int index;
  if (!db_index_arg(ctx, args[1], &index)) return;
  ctx.client.db = index;
  ctx.reply.ok();
}

constexpr uint32_t kAclFastConnection = kAclFast | kAclConnection;
constexpr std::string_view kTipsAllShardsSucceed[] = {"request_policy:all_shards",
                                                      "response_policy:all_succeeded"};

const CommandSpec kConnectionCommands[] = {
    {.name = "ping",
     .arity = -1,
     .flags = kFast,
     .acl = kAclFastConnection,
     .tips = kTipsAllShardsSucceed,
     .handler = ping_command,
     .group = "connection",
     .summary = "Answers PONG, or the given message, to check that the connection is alive.",
     .since = "1.0.0",
     .complexity = "O(1)"},
    {.name = "echo",
     .arity = 2,
     .flags = kLoading | kStale | kFast,
     .acl = kAclFastConnection,
     .handler = echo_command,
     .group = "connection",
     .summary = "Replies with the given message.",
     .since = "1.0.0",
     .complexity = "O(1)"},
    {.name = "select",
     .arity = 2,
     .flags = kLoading | kStale | kFast,
     .acl = kAclFastConnection,
     .handler = select_command,
     .group = "connection",
     .summary = "Switches the connection to another numbered database.",
     .since = "1.0.0",
     .complexity = "O(1)"},
};

}  // namespace

std::span<const CommandSpec> connection_commands() {
  return kConnectionCommands;
}

}  // namespace vireo
