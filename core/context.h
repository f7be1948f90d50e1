#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/command.h"
#include "core/effects.h"
#include "core/keyspace.h"
#include "core/resp/reply_writer.h"

namespace vireo {

class CommandTable;

// What a command may know and change about the client that sent it.
struct ClientState {
  uint64_t id = 0;
  int db = 0;
  int protocol = 2;
  bool authenticated = true;
  std::string name;
  // Subscribed to anything (Redis's CLIENT_PUBSUB): in RESP2, PING answers
  // ["pong", message] and the server refuses most commands.
  bool pubsub = false;
};

// Engine settings that commands consult (kept in sync with the server's config).
struct CommandLimits {
  int64_t proto_max_bulk_len = 512LL * 1024 * 1024;  // largest string a command may build
  ContainerLimits containers;                        // compact-encoding thresholds
};

// What a blocking command (BLPOP, BZPOPMIN, BLMOVE...) leaves behind when it
// found nothing to take and may wait: the server parks the client on `keys`
// and runs the same command again, in the order clients blocked, each time
// one of them gains a value of `type`.
//
// A wait that ends without a value (timeout, CLIENT UNBLOCK TIMEOUT) replies
// a null array, whatever the command: Redis 7.0 does so even for BLMOVE,
// whose non-blocking form replies a null bulk string.
struct BlockRequest {
  std::vector<std::string> keys;
  ValueType type = ValueType::kList;
  int64_t deadline_ms = 0;  // absolute; 0 waits for ever
  // At its deadline (or CLIENT UNBLOCK ... TIMEOUT) the command runs once
  // more to answer for itself (WAIT replies its count), instead of a null.
  bool rerun_on_timeout = false;
};

// Everything a command handler sees: the keyspace, the client, a reply
// writer in the client's protocol, the cached clock, and the effect sink.
// Server-level handlers receive a subclass that also carries the server.
class CommandContext {
 public:
  CommandContext(Keyspace& keyspace, ClientState& client, ReplyWriter& reply, EffectSink& effects,
                 const CommandTable& commands, const CommandLimits& limits)
      : keyspace(keyspace),
        client(client),
        reply(reply),
        effects(effects),
        commands(commands),
        limits(limits) {}
  virtual ~CommandContext() = default;

  // The client's selected database.
  Database& db() { return keyspace.db(client.db); }
  // The command's clock: one instant for the whole command.
  int64_t now_ms() const { return keyspace.now(); }

  // Whether a write that sets the absolute `deadline_ms` (any value: EXPIREAT
  // accepts negative ones) should delete the key at once. Never while
  // replaying effects: there a past deadline means only that the replay runs
  // late, and the key's deletion will arrive as its own DEL effect.
  bool deadline_passed(int64_t deadline_ms) const {
    return keyspace.deadlines() != Deadlines::kIgnored && deadline_ms <= now_ms();
  }

  // Asks to block instead of replying (see BlockRequest); only when
  // can_block, and the handler must not have replied.
  void block_on(std::span<const std::string_view> keys, ValueType type, int64_t deadline_ms) {
    block_request.emplace(BlockRequest{{keys.begin(), keys.end()}, type, deadline_ms});
  }

  // Publishes keyspace notification `event` of class `cls` (notify::) about
  // `key` in the selected database, if notify-keyspace-events asks for it.
  void notify(uint32_t cls, std::string_view event, std::string_view key) const {
    keyspace.events().notify(cls, event, client.db, key);
  }

  // Emits an effect on the selected database.
  void propagate(std::initializer_list<std::string_view> argv) { propagate(Args(argv)); }
  void propagate(Args argv) { effects.emit(client.db, argv); }
  // Emits the command's own arguments under its canonical upper-case `name`
  // (the client may have spelled it "lpush", or used an alias like HMSET).
  void propagate_as(std::string_view name, Args args) {
    EffectArgv argv(args.size());
    argv.push(name);
    for (std::string_view arg : args.subspan(1))
      argv.push(arg);
    propagate(argv.args());
  }

  Keyspace& keyspace;
  ClientState& client;
  ReplyWriter& reply;
  EffectSink& effects;
  const CommandTable& commands;
  const CommandLimits& limits;

  // Whether a blocking command may wait. False inside MULTI/EXEC (where, as
  // in Redis, blocking commands act as their non-blocking forms and reply a
  // null when there is nothing to take) and wherever nobody could wake it.
  bool can_block = false;
  // Set by block_on(); the server takes it after the command returns.
  std::optional<BlockRequest> block_request;
};

}  // namespace vireo
