#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/command_table.h"
#include "core/context.h"
#include "core/effects.h"
#include "core/isolated_transaction.h"
#include "core/keyspace.h"
#include "core/resp/reply_buffer.h"
#include "core/resp/reply_writer.h"
#include "core/watched_keys.h"

namespace vireo::test {

// Runs commands in process against a fresh keyspace with all core command
// families, and returns their replies as raw RESP, the way Dragonfly's tests
// call Run({"set", "k", "v"}).
class CommandFixture {
 public:
  explicit CommandFixture(int databases = 16);

  // Runs one command; returns the exact reply bytes.
  std::string run(std::initializer_list<std::string_view> args);
  std::string run(const std::vector<std::string>& args);
  // Runs one command inside `txn`, as a connection in BEGIN would; the
  // transaction's refusals are replied as the server replies them.
  std::string run_in(IsolatedTransaction& txn, std::initializer_list<std::string_view> args);
  // Keys watched by WATCH or transactions: effects of every command go
  // through a WatchInvalidator, as in the server.
  WatchedKeys& watched() { return watched_; }
  // Where commands' effects go (what COMMIT applies to).
  EffectSink& effect_sink() { return tap_; }

  // Sets the clock the keyspace sees (ms since the epoch); it stays put
  // until changed, so TTL arithmetic in tests is exact.
  void set_time(int64_t now_ms) { now_ms_ = now_ms; }
  void advance_time(int64_t ms) { now_ms_ += ms; }
  int64_t now() const { return now_ms_; }

  // The effects emitted since the last call, one RESP-decoded argv each,
  // SELECT included.
  std::vector<std::vector<std::string>> take_effects();
  // The raw effect stream since the last take_effects().
  std::string_view effect_bytes() const { return effects_.bytes(); }
  // The effects since the last call as one log record, as the server hands
  // its batches to the log: the next record starts with its own SELECT.
  std::string take_record() {
    std::string record(effects_.bytes());
    effects_.clear();
    effects_.reset_selected_db();
    return record;
  }

  Keyspace& keyspace() { return keyspace_; }
  ClientState& client() { return client_; }
  CommandTable& table() { return table_; }
  // The limits later commands see (e.g. a small proto-max-bulk-len).
  CommandLimits& limits() { return limits_; }

  // Switches the reply protocol (RESP2 or RESP3) for later commands.
  void set_protocol(int protocol) { client_.protocol = protocol; }

  // Turns keyspace notifications on for later commands: `flags` are
  // notify:: bits, as notify-keyspace-events sets them (e.g. "KEA").
  void set_notify_flags(uint32_t flags) { keyspace_.events().set_flags(flags); }
  // The notifications published since the last call, as (channel, message).
  std::vector<std::pair<std::string, std::string>> take_notifications();

  // Whether later commands may block (ctx.can_block; false by default, as
  // inside MULTI), and the block request the last command left, if any.
  void set_can_block(bool can_block) { can_block_ = can_block; }
  const std::optional<BlockRequest>& last_block_request() const { return last_block_request_; }

 private:
  Keyspace keyspace_;
  CommandTable table_;
  ClientState client_;
  CommandLimits limits_;
  // Runs `views` (inside `txn` when given) and returns the reply bytes.
  std::string capture(const std::vector<std::string_view>& views, IsolatedTransaction* txn);

  RespEffectEncoder effects_;
  WatchedKeys watched_;
  WatchInvalidator tap_{&effects_, &watched_, &table_};
  // Records what KeyspaceEvents publishes.
  struct RecordingPublisher : EventPublisher {
    void publish(std::string_view channel, std::string_view message) override {
      messages.emplace_back(channel, message);
    }
    std::vector<std::pair<std::string, std::string>> messages;
  } published_;
  ExpiryEffects expiry_effects_{&tap_, &keyspace_.events()};
  int64_t now_ms_ = 1700000000000;  // a fixed, realistic instant
  bool can_block_ = false;
  std::optional<BlockRequest> last_block_request_;
};

// RESP spellings, to keep expectations readable.
std::string bulk(std::string_view s);
std::string integer(int64_t v);
std::string simple(std::string_view s);
std::string error(std::string_view s);
inline const std::string kNull = "$-1\r\n";
inline const std::string kOk = "+OK\r\n";
// Errors many families share.
inline const std::string kWrongType =
    error("WRONGTYPE Operation against a key holding the wrong kind of value");
inline const std::string kNotInteger = error("ERR value is not an integer or out of range");
inline const std::string kSyntax = error("ERR syntax error");

// What take_effects() returns.
using Effects = std::vector<std::vector<std::string>>;
// An array header followed by already-encoded elements.
std::string array(std::initializer_list<std::string> elements);

// Decodes a stream of RESP multibulk commands (the effect stream) into argvs.
std::vector<std::vector<std::string>> decode_commands(std::string_view stream);

// Keyspace notifications: notify-keyspace-events "KEA", and what a fixture so
// configured publishes for `events`, in order, each on its keyspace channel
// and then its keyevent channel, as Redis does.
inline constexpr uint32_t kNotifyKEA = notify::kKeyspace | notify::kKeyevent | notify::kAll;
struct KeyEvent {
  std::string_view event, key;
  int db = 0;
};
inline std::vector<std::pair<std::string, std::string>> kea_events(
    std::initializer_list<KeyEvent> events) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const KeyEvent& e : events) {
    const std::string db = std::to_string(e.db);
    out.emplace_back("__keyspace@" + db + "__:" + std::string(e.key), std::string(e.event));
    out.emplace_back("__keyevent@" + db + "__:" + std::string(e.event), std::string(e.key));
  }
  return out;
}

}  // namespace vireo::test
