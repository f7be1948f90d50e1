#pragma once

#include <cstdint>
#include <string_view>

namespace vireo {

// Classes of keyspace notifications (notify-keyspace-events), as bit flags.
namespace notify {
inline constexpr uint32_t kKeyspace = 1u << 0;  // K: publish on __keyspace@<db>__:<key>
inline constexpr uint32_t kKeyevent = 1u << 1;  // E: publish on __keyevent@<db>__:<event>
inline constexpr uint32_t kGeneric = 1u << 2;   // g: DEL, EXPIRE, RENAME...
inline constexpr uint32_t kString = 1u << 3;    // $
inline constexpr uint32_t kList = 1u << 4;      // l
inline constexpr uint32_t kSet = 1u << 5;       // s
inline constexpr uint32_t kHash = 1u << 6;      // h
inline constexpr uint32_t kZset = 1u << 7;      // z
inline constexpr uint32_t kExpired = 1u << 8;   // x: a key reached its deadline
inline constexpr uint32_t kEvicted = 1u << 9;   // e: a key evicted for maxmemory
inline constexpr uint32_t kStream = 1u << 10;   // t
inline constexpr uint32_t kKeyMiss = 1u << 11;  // m: a read lookup found nothing (not part of A)
inline constexpr uint32_t kModule = 1u << 12;   // d
inline constexpr uint32_t kNew = 1u << 13;      // n: a key was added (not part of A)
// A: every class except key-miss and new-key events.
inline constexpr uint32_t kAll =
    kGeneric | kString | kList | kSet | kHash | kZset | kExpired | kEvicted | kStream | kModule;
}  // namespace notify

// Where notifications go: the pub/sub registry in the server, a buffer while
// a BEGIN transaction runs (its events are published only at COMMIT).
class EventPublisher {
 public:
  virtual ~EventPublisher() = default;
  // Publishes `message` on `channel`, as PUBLISH does.
  virtual void publish(std::string_view channel, std::string_view message) = 0;
};

// Keyspace notifications: turns "event `event` of class `cls` happened to
// `key` in `db`" into the pub/sub messages notify-keyspace-events asks for.
// Costs one test of a flag word when notifications are off (the default).
class KeyspaceEvents {
 public:
  // notify-keyspace-events, as notify:: bits.
  void set_flags(uint32_t flags) { flags_ = flags; }
  uint32_t flags() const { return flags_; }
  // Where messages go; nullptr drops them. Returns the previous publisher so
  // that a caller redirecting them for a while can restore it.
  EventPublisher* set_publisher(EventPublisher* publisher) {
    EventPublisher* previous = publisher_;
    publisher_ = publisher;
    return previous;
  }

  // Whether an event of class `cls` would publish anything.
  bool wants(uint32_t cls) const {
    return (flags_ & cls) && (flags_ & (notify::kKeyspace | notify::kKeyevent)) && publisher_;
  }
  // Publishes the event if its class is enabled: on __keyspace@<db>__:<key>
  // with the event name as message (K), and on __keyevent@<db>__:<event>
  // with the key as message (E).
  void notify(uint32_t cls, std::string_view event, int db, std::string_view key) const {
    if (wants(cls)) publish(event, db, key);
  }

 private:
  void publish(std::string_view event, int db, std::string_view key) const;

  uint32_t flags_ = 0;
  EventPublisher* publisher_ = nullptr;
};

}  // namespace vireo
