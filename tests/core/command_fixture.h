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
#include "core/keyspace.h"
#include "core/resp/reply_buffer.h"
#include "core/resp/reply_writer.h"

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
  RespEffectEncoder effects_;
  // Records what KeyspaceEvents publishes.
  struct RecordingPublisher : EventPublisher {
    void publish(std::string_view channel, std::string_view message) override {
      messages.emplace_back(channel, message);
    }
    std::vector<std::pair<std::string, std::string>> messages;
  } published_;
  ExpiryEffects expiry_effects_{&effects_};
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

// notify-keyspace-events "KEA", for set_notify_flags().
inline constexpr uint32_t kNotifyKEA = notify::kKeyspace | notify::kKeyevent | notify::kAll;

// The notifications "KEA" publishes for `key_events`, (key, event) pairs in
// database 0: each on its keyspace channel, then on its keyevent channel.
inline std::vector<std::pair<std::string, std::string>> kea_notifications(
    std::initializer_list<std::pair<std::string_view, std::string_view>> key_events) {
  std::vector<std::pair<std::string, std::string>> published;
  for (auto [key, event] : key_events) {
    published.emplace_back("__keyspace@0__:" + std::string(key), std::string(event));
    published.emplace_back("__keyevent@0__:" + std::string(event), std::string(key));
  }
  return published;
}

}  // namespace vireo::test
