#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/notifications.h"
#include "core/string_map.h"

namespace vireo {

// The three namespaces a client can subscribe in: channels (SUBSCRIBE), glob
// patterns over channel names (PSUBSCRIBE) and shard channels (SSUBSCRIBE),
// which PUBLISH never reaches and SPUBLISH alone does.
enum class Subscription : uint8_t { kChannel = 0, kPattern = 1, kShard = 2 };

// Whoever receives pub/sub deliveries (a client connection, in the server).
// It also carries its own subscriptions, which only PubSub changes, so that
// counting them or dropping them all needs no lookup.
class Subscriber {
 public:
  Subscriber() = default;
  Subscriber(const Subscriber&) = delete;
  Subscriber& operator=(const Subscriber&) = delete;
  // The owner must have called PubSub::unsubscribe_all first.
  virtual ~Subscriber() = default;

  // 3 for RESP3 push frames (`>`), else 2 (`*` arrays).
  virtual int delivery_protocol() const = 0;
  // Takes one complete frame ("message", "pmessage" or "smessage"). Must not
  // subscribe or unsubscribe anyone: the registry is being walked.
  virtual void deliver(std::string_view frame) = 0;

  size_t subscription_count(Subscription kind) const { return names_[index(kind)].size(); }
  // What SUBSCRIBE, PSUBSCRIBE and their unsubscribes reply as the count:
  // channels and patterns together (shard channels are counted apart).
  size_t channel_and_pattern_count() const {
    return subscription_count(Subscription::kChannel) + subscription_count(Subscription::kPattern);
  }
  // Any subscription at all: Redis's pub/sub mode (CLIENT LIST flag P).
  bool subscribed() const {
    return channel_and_pattern_count() + subscription_count(Subscription::kShard) > 0;
  }

 private:
  friend class PubSub;
  static size_t index(Subscription kind) { return static_cast<size_t>(kind); }
  // Name -> when it was subscribed, so that "unsubscribe from everything"
  // answers in subscription order (Redis's order is its hash table's).
  using Names = StringMap<uint64_t>;
  std::array<Names, 3> names_;
};

// The pub/sub registry: who listens to what, and delivery. Knows nothing of
// sockets: deliveries go to Subscriber::deliver as encoded frames.
class PubSub {
 public:
  // Adds `s` to `name`; false when it was already subscribed to it. A name's
  // subscribers receive in the order they subscribed.
  bool subscribe(Subscriber& s, Subscription kind, std::string_view name);
  // Removes `s` from `name`; false when it was not subscribed to it.
  bool unsubscribe(Subscriber& s, Subscription kind, std::string_view name);
  // The names `s` is subscribed to in `kind`, oldest first.
  std::vector<std::string> subscriptions_of(const Subscriber& s, Subscription kind) const;
  // Drops every subscription of `s` (RESET, disconnection), silently.
  void unsubscribe_all(Subscriber& s);

  // PUBLISH: delivers `message` to the subscribers of `channel`, then to
  // those of every pattern matching it (one delivery per subscription: a
  // client subscribed twice receives twice). Returns the deliveries made.
  size_t publish(std::string_view channel, std::string_view message);
  // SPUBLISH: delivers to the subscribers of shard channel `channel`.
  size_t publish_shard(std::string_view channel, std::string_view message);

  // Names with at least one subscriber (INFO pubsub_*, PUBSUB NUMPAT).
  size_t size(Subscription kind) const { return tables_[index(kind)].size(); }
  // Subscribers of one name (PUBSUB NUMSUB, SHARDNUMSUB).
  size_t subscriber_count(Subscription kind, std::string_view name) const;
  // Active names matching the glob `pattern`, or all of them (PUBSUB
  // CHANNELS, SHARDCHANNELS). Views die with the next subscription change.
  std::vector<std::string_view> names(Subscription kind,
                                      std::optional<std::string_view> pattern = {}) const;

 private:
  using Subscribers = std::vector<Subscriber*>;
  using Table = StringMap<Subscribers>;
  static size_t index(Subscription kind) { return static_cast<size_t>(kind); }
  // Encodes [kind, extra..., payload] once into frame_, then hands the same
  // bytes to every subscriber, flipping only the type byte for RESP3.
  size_t fan_out(const Subscribers& to, std::string_view kind,
                 std::initializer_list<std::string_view> fields);

  std::array<Table, 3> tables_;
  uint64_t next_sequence_ = 0;
  std::string frame_;  // reused between deliveries: no allocation per publish
};

// Sends keyspace notifications into a registry as PUBLISH would.
class PubSubEventPublisher : public EventPublisher {
 public:
  explicit PubSubEventPublisher(PubSub& pubsub) : pubsub_(pubsub) {}
  void publish(std::string_view channel, std::string_view message) override {
    pubsub_.publish(channel, message);
  }

 private:
  PubSub& pubsub_;
};

}  // namespace vireo
