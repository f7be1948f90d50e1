// MULTI / EXEC / DISCARD / WATCH / UNWATCH, and Vireo's BEGIN / COMMIT /
// ROLLBACK. For MULTI the server queues the commands (Server::execute) and
// runs them (Server::exec_transaction); for BEGIN it runs each command in the
// transaction's view (core/isolated_transaction.h). These handlers open, end
// and guard the transactions.
#include <memory>

#include "core/command_table.h"
#include "core/isolated_transaction.h"
#include "server/commands/families.h"
#include "server/connection.h"
#include "server/server.h"

namespace vireo {
namespace {

void multi_command(CommandContext& base, Args) {
  ServerContext& ctx = server_context(base);
  // Refused without dooming the transaction already open, as in Redis.
  if (ctx.conn.multi) {
    ctx.reply.error("ERR MULTI calls can not be nested");
    return;
  }
  ctx.conn.multi.emplace();
  ctx.reply.ok();
}

void exec_command(CommandContext& base, Args) {
  ServerContext& ctx = server_context(base);
  if (!ctx.conn.multi) {
    ctx.reply.error("ERR EXEC without MULTI");
    return;
  }
  ctx.server.exec_transaction(ctx.conn, ctx.reply);
}

void discard_command(CommandContext& base, Args) {
  ServerContext& ctx = server_context(base);
  if (!ctx.conn.multi) {
    ctx.reply.error("ERR DISCARD without MULTI");
    return;
  }
  ctx.server.discard_transaction(ctx.conn);
  ctx.server.unwatch_all(ctx.conn);
  ctx.reply.ok();
}

void watch_command(CommandContext& base, Args args) {
  ServerContext& ctx = server_context(base);
  if (ctx.conn.multi) {
    ctx.reply.error("ERR WATCH inside MULTI is not allowed");
    return;
  }
  Database& db = ctx.db();
  for (std::string_view key : args.subspan(1)) {
    // A key already past its deadline goes now, so that only a change made
    // from here on can fail the EXEC.
    db.settle(key);
    ctx.server.watched_keys().watch(&ctx.conn.watch, db.index(), key);
  }
  ctx.reply.ok();
}

void unwatch_command(CommandContext& base, Args) {
  ServerContext& ctx = server_context(base);
  ctx.server.unwatch_all(ctx.conn);
  ctx.reply.ok();
}

void begin_command(CommandContext& base, Args) {
  ServerContext& ctx = server_context(base);
  if (ctx.conn.txn) {
    ctx.conn.txn->begin();
  } else {
    ctx.conn.txn = std::make_unique<IsolatedTransaction>(ctx.keyspace, ctx.client.db,
                                                         ctx.server.watched_keys());
  }
  ctx.reply.ok();
}

void commit_command(CommandContext& base, Args) {
  ServerContext& ctx = server_context(base);
  if (!ctx.conn.txn) {
    ctx.reply.error("ERR COMMIT without BEGIN");
    return;
  }
  switch (ctx.conn.txn->commit(ctx.effects)) {
    case IsolatedTransaction::Outcome::kMerged:
      ctx.reply.ok();
      return;
    case IsolatedTransaction::Outcome::kApplied:
      ctx.conn.txn.reset();
      ctx.reply.ok();
      return;
    case IsolatedTransaction::Outcome::kConflict:
      ctx.conn.txn.reset();
      ctx.reply.error(
          "CONFLICT Transaction rolled back: another client changed a key it read or wrote. "
          "Nothing was applied; retry from BEGIN.");
      return;
  }
}

void rollback_command(CommandContext& base, Args) {
  ServerContext& ctx = server_context(base);
  if (!ctx.conn.txn) {
    ctx.reply.error("ERR ROLLBACK without BEGIN");
    return;
  }
  if (ctx.conn.txn->depth() == 1) {
    ctx.conn.txn.reset();
  } else {
    ctx.conn.txn->rollback();
  }
  ctx.reply.ok();
}

constexpr uint32_t kSteering = kNoscript | kLoading | kStale | kFast | kAllowBusy;
constexpr uint32_t kAcl = kAclFast | kAclTransaction;
constexpr KeySpec kWatchKeys[] = {key_range(kKeyRO, 1, -1)};

const CommandSpec kTransactionCommands[] = {
    {.name = "multi",
     .arity = 1,
     .flags = kSteering,
     .acl = kAcl,
     .handler = multi_command,
     .group = "transactions",
     .summary = "Starts a transaction: later commands are queued until EXEC.",
     .since = "1.2.0",
     .complexity = "O(1)"},
    {.name = "exec",
     .arity = 1,
     .flags = kNoscript | kLoading | kStale | kSkipSlowlog,
     .acl = kAclSlow | kAclTransaction,
     .handler = exec_command,
     .group = "transactions",
     .summary = "Runs the queued commands atomically, unless a watched key changed.",
     .since = "1.2.0",
     .complexity = "The sum of the queued commands' complexities."},
    {.name = "discard",
     .arity = 1,
     .flags = kSteering,
     .acl = kAcl,
     .handler = discard_command,
     .group = "transactions",
     .summary = "Drops the queued commands and the watched keys.",
     .since = "2.0.0",
     .complexity = "O(N) where N is the number of queued commands"},
    {.name = "watch",
     .arity = -2,
     .flags = kSteering,
     .acl = kAcl,
     .key_specs = kWatchKeys,
     .handler = watch_command,
     .group = "transactions",
     .summary = "Makes the next EXEC fail if any of the keys changes before it.",
     .since = "2.2.0",
     .complexity = "O(1) for every key."},
    {.name = "unwatch",
     .arity = 1,
     .flags = kSteering,
     .acl = kAcl,
     .handler = unwatch_command,
     .group = "transactions",
     .summary = "Forgets every watched key.",
     .since = "2.2.0",
     .complexity = "O(1)"},
    // Vireo's isolated transactions. Never queued in MULTI; COMMIT may
    // write, so CLIENT PAUSE WRITE holds it.
    {.name = "begin",
     .arity = 1,
     .flags = kNoscript | kFast | kNoMulti,
     .acl = kAcl,
     .handler = begin_command,
     .group = "transactions",
     .summary = "Opens an isolated transaction, or a savepoint inside the open one.",
     .since = "0.1.0",
     .complexity = "O(1)"},
    {.name = "commit",
     .arity = 1,
     .flags = kNoscript | kNoMulti | kMayReplicate,
     .acl = kAclSlow | kAclTransaction,
     .handler = commit_command,
     .group = "transactions",
     .summary = "Closes the innermost savepoint; the outermost applies the transaction.",
     .since = "0.1.0",
     .complexity = "O(N) where N is the number of keys the transaction wrote"},
    {.name = "rollback",
     .arity = 1,
     .flags = kNoscript | kFast | kNoMulti,
     .acl = kAcl,
     .handler = rollback_command,
     .group = "transactions",
     .summary = "Discards the changes of the innermost savepoint, or of the transaction.",
     .since = "0.1.0",
     .complexity = "O(N) where N is the number of keys the savepoint wrote"},
};

}  // namespace

std::span<const CommandSpec> transaction_commands() {
  return kTransactionCommands;
}

}  // namespace vireo
