// SAVE BGSAVE BGREWRITEAOF LASTSAVE: checkpoints on request (server/checkpoints.h).
// Vireo's BGSAVE and BGREWRITEAOF are one operation, a checkpoint after
// which the log it covers is dropped; each answers in its own Redis words.
#include "core/commands/arguments.h"
#include "core/errors.h"
#include "server/commands/families.h"
#include "server/server.h"

namespace vireo {
namespace {

constexpr uint32_t kAdminAcl = kAclAdmin | kAclSlow | kAclDangerous;

void save_command(CommandContext& base, Args) {
  ServerContext& ctx = server_context(base);
  if (std::string error = ctx.server.checkpoints().save(); !error.empty()) {
    ctx.reply.error(error);
    return;
  }
  ctx.reply.ok();
}

// Starts a background checkpoint of `kind` and replies `started` or the error.
void start_and_reply(ServerContext& ctx, CheckpointKind kind, std::string_view started) {
  if (std::string error = ctx.server.checkpoints().start_background(kind); !error.empty()) {
    ctx.reply.error(error);
    return;
  }
  ctx.reply.simple(started);
}

void bgsave_command(CommandContext& base, Args args) {
  ServerContext& ctx = server_context(base);
  bool schedule = false;
  if (args.size() == 2) {
    if (!iequals(args[1], "schedule")) {
      ctx.reply.error(kErrSyntax);
      return;
    }
    schedule = true;
  } else if (args.size() > 2) {
    ctx.reply.error(kErrSyntax);
    return;
  }
  Checkpoints& checkpoints = ctx.server.checkpoints();
  if (checkpoints.in_progress()) {
    if (schedule) {
      checkpoints.schedule(CheckpointKind::kBgsave);
      ctx.reply.simple("Background saving scheduled");
    } else if (checkpoints.running_kind() == CheckpointKind::kBgsave) {
      ctx.reply.error("ERR Background save already in progress");
    } else {
      ctx.reply.error(
          "ERR Another child process is active (AOF?): can't BGSAVE right now. Use BGSAVE "
          "SCHEDULE in order to schedule a BGSAVE whenever possible.");
    }
    return;
  }
  start_and_reply(ctx, CheckpointKind::kBgsave, "Background saving started");
}

void bgrewriteaof_command(CommandContext& base, Args) {
  ServerContext& ctx = server_context(base);
  Checkpoints& checkpoints = ctx.server.checkpoints();
  if (checkpoints.in_progress()) {
    if (checkpoints.running_kind() == CheckpointKind::kRewrite) {
      ctx.reply.error("ERR Background append only file rewriting already in progress");
    } else {
      checkpoints.schedule(CheckpointKind::kRewrite);
      ctx.reply.simple("Background append only file rewriting scheduled");
    }
    return;
  }
  start_and_reply(ctx, CheckpointKind::kRewrite, "Background append only file rewriting started");
}

void lastsave_command(CommandContext& base, Args) {
  ServerContext& ctx = server_context(base);
  ctx.reply.integer(ctx.server.checkpoints().last_save_time_s());
}

constexpr std::string_view kTipsNondeterministic[] = {"nondeterministic_output"};

constexpr CommandSpec kPersistenceCommands[] = {
    {.name = "save",
     .arity = 1,
     .flags = kAdmin | kNoscript | kNoAsyncLoading | kNoMulti,
     .acl = kAdminAcl,
     .handler = save_command,
     .group = "server",
     .summary = "Writes a checkpoint of every database now, blocking the server meanwhile.",
     .since = "1.0.0",
     .complexity = "O(N) where N is the total number of keys in all databases"},
    {.name = "bgsave",
     .arity = -1,
     .flags = kAdmin | kNoscript | kNoAsyncLoading,
     .acl = kAdminAcl,
     .handler = bgsave_command,
     .group = "server",
     .summary = "Writes a checkpoint of every database in a background process.",
     .since = "1.0.0",
     .complexity = "O(1)"},
    {.name = "bgrewriteaof",
     .arity = 1,
     .flags = kAdmin | kNoscript | kNoAsyncLoading,
     .acl = kAdminAcl,
     .handler = bgrewriteaof_command,
     .group = "server",
     .summary = "Writes a checkpoint in a background process, then drops the log it covers.",
     .since = "1.0.0",
     .complexity = "O(1)"},
    {.name = "lastsave",
     .arity = 1,
     .flags = kLoading | kStale | kFast,
     .acl = kAclAdmin | kAclFast | kAclDangerous,
     .tips = kTipsNondeterministic,
     .handler = lastsave_command,
     .group = "server",
     .summary = "Returns the Unix time of the last successful checkpoint.",
     .since = "1.0.0",
     .complexity = "O(1)"},
};

}  // namespace

std::span<const CommandSpec> persistence_commands() {
  return kPersistenceCommands;
}

}  // namespace vireo
