// The pub/sub registry on its own: subscriptions in three namespaces, fan-out
// order and counts, and the exact frames (checked on redis-server 7.0).
#include "core/pubsub.h"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

using namespace vireo;

namespace {

constexpr auto kChannel = Subscription::kChannel;
constexpr auto kPattern = Subscription::kPattern;
constexpr auto kShard = Subscription::kShard;

class Recorder : public Subscriber {
 public:
  explicit Recorder(int protocol = 2) : protocol_(protocol) {}
  ~Recorder() override = default;
  int delivery_protocol() const override { return protocol_; }
  void deliver(std::string_view frame) override {
    frames.emplace_back(frame);
    last_data = frame.data();
  }
  std::vector<std::string> frames;
  const char* last_data = nullptr;

 private:
  int protocol_;
};

using Frames = std::vector<std::string>;
using Names = std::vector<std::string>;

std::vector<std::string> sorted(std::vector<std::string_view> views) {
  std::vector<std::string> out(views.begin(), views.end());
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(pubsub)

BOOST_AUTO_TEST_CASE(publish_delivers_resp2_arrays_and_resp3_pushes) {
  PubSub ps;
  Recorder two(2), three(3);
  ps.subscribe(two, kChannel, "ch");
  ps.subscribe(three, kChannel, "ch");
  BOOST_TEST(ps.publish("ch", "hello") == 2u);
  BOOST_TEST(two.frames == Frames{"*3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$5\r\nhello\r\n"});
  BOOST_TEST(three.frames == Frames{">3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$5\r\nhello\r\n"});
}

BOOST_AUTO_TEST_CASE(pattern_subscribers_get_pmessage_after_channel_subscribers) {
  PubSub ps;
  Recorder a;
  ps.subscribe(a, kPattern, "c*");
  ps.subscribe(a, kChannel, "ch");
  // One delivery per subscription: a client both ways receives twice.
  BOOST_TEST(ps.publish("ch", "") == 2u);
  BOOST_TEST(a.frames == (Frames{"*3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$0\r\n\r\n",
                                 "*4\r\n$8\r\npmessage\r\n$2\r\nc*\r\n$2\r\nch\r\n$0\r\n\r\n"}));
  BOOST_TEST(ps.publish("other", "x") == 0u);
  BOOST_TEST(a.frames.size() == 2u);
}

BOOST_AUTO_TEST_CASE(every_matching_pattern_delivers) {
  PubSub ps;
  Recorder a, b;
  ps.subscribe(a, kPattern, "news.*");
  ps.subscribe(a, kPattern, "*");
  ps.subscribe(b, kPattern, "news.[ab]*");
  ps.subscribe(b, kPattern, "sports.*");
  BOOST_TEST(ps.publish("news.art", "m") == 3u);
  BOOST_TEST(a.frames.size() == 2u);
  BOOST_TEST(b.frames == Frames{"*4\r\n$8\r\npmessage\r\n$10\r\nnews.[ab]*\r\n$8\r\nnews.art\r\n"
                                "$1\r\nm\r\n"});
}

BOOST_AUTO_TEST_CASE(subscribers_receive_in_subscription_order) {
  PubSub ps;
  std::vector<std::string> order;
  struct Named : Subscriber {
    Named(std::string n, std::vector<std::string>& log) : name(std::move(n)), log(log) {}
    int delivery_protocol() const override { return 2; }
    void deliver(std::string_view) override { log.push_back(name); }
    std::string name;
    std::vector<std::string>& log;
  };
  Named x("x", order), y("y", order), z("z", order);
  ps.subscribe(y, kChannel, "c");
  ps.subscribe(z, kChannel, "c");
  ps.subscribe(x, kChannel, "c");
  ps.unsubscribe(z, kChannel, "c");
  ps.subscribe(z, kChannel, "c");
  ps.publish("c", "m");
  BOOST_TEST(order == (std::vector<std::string>{"y", "x", "z"}));
  ps.unsubscribe_all(x);
  ps.unsubscribe_all(y);
  ps.unsubscribe_all(z);
}

BOOST_AUTO_TEST_CASE(shard_channels_are_a_separate_namespace) {
  PubSub ps;
  Recorder a, b;
  ps.subscribe(a, kShard, "s");
  ps.subscribe(b, kChannel, "s");
  ps.subscribe(b, kPattern, "*");
  BOOST_TEST(ps.publish_shard("s", "hi") == 1u);
  BOOST_TEST(a.frames == Frames{"*3\r\n$8\r\nsmessage\r\n$1\r\ns\r\n$2\r\nhi\r\n"});
  BOOST_TEST(b.frames.empty());  // patterns never see shard messages
  BOOST_TEST(ps.publish("s", "hi") == 2u);
  BOOST_TEST(a.frames.size() == 1u);
  BOOST_TEST(ps.publish_shard("nobody", "hi") == 0u);
}

BOOST_AUTO_TEST_CASE(subscribe_twice_is_one_subscription) {
  PubSub ps;
  Recorder a;
  BOOST_TEST(ps.subscribe(a, kChannel, "c"));
  BOOST_TEST(!ps.subscribe(a, kChannel, "c"));
  BOOST_TEST(ps.subscribe(a, kPattern, "c"));  // same name, other namespace
  BOOST_TEST(ps.subscribe(a, kShard, "c"));
  BOOST_TEST(a.subscription_count(kChannel) == 1u);
  BOOST_TEST(a.channel_and_pattern_count() == 2u);
  BOOST_TEST(a.subscribed());
  BOOST_TEST(ps.subscriber_count(kChannel, "c") == 1u);
  BOOST_TEST(ps.publish("c", "m") == 2u);
}

BOOST_AUTO_TEST_CASE(unsubscribe_forgets_empty_names) {
  PubSub ps;
  Recorder a, b;
  ps.subscribe(a, kChannel, "c");
  ps.subscribe(b, kChannel, "c");
  BOOST_TEST(!ps.unsubscribe(a, kChannel, "other"));
  BOOST_TEST(!ps.unsubscribe(a, kPattern, "c"));
  BOOST_TEST(ps.unsubscribe(a, kChannel, "c"));
  BOOST_TEST(!ps.unsubscribe(a, kChannel, "c"));
  BOOST_TEST(ps.size(kChannel) == 1u);
  BOOST_TEST(ps.subscriber_count(kChannel, "c") == 1u);
  BOOST_TEST(!a.subscribed());
  BOOST_TEST(ps.publish("c", "m") == 1u);
  BOOST_TEST(a.frames.empty());
  ps.unsubscribe(b, kChannel, "c");
  BOOST_TEST(ps.size(kChannel) == 0u);
  BOOST_TEST(ps.subscriber_count(kChannel, "c") == 0u);
}

BOOST_AUTO_TEST_CASE(subscriptions_are_listed_oldest_first) {
  PubSub ps;
  Recorder a;
  for (const char* name : {"m", "b", "z", "a", "q"})
    ps.subscribe(a, kChannel, name);
  ps.unsubscribe(a, kChannel, "z");
  ps.subscribe(a, kChannel, "z");
  ps.subscribe(a, kPattern, "p2");
  ps.subscribe(a, kPattern, "p1");
  BOOST_TEST(ps.subscriptions_of(a, kChannel) == (Names{"m", "b", "a", "q", "z"}));
  BOOST_TEST(ps.subscriptions_of(a, kPattern) == (Names{"p2", "p1"}));
  BOOST_TEST(ps.subscriptions_of(a, kShard).empty());
  ps.unsubscribe_all(a);
}

BOOST_AUTO_TEST_CASE(unsubscribe_all_leaves_the_others) {
  PubSub ps;
  Recorder a, b;
  for (auto kind : {kChannel, kPattern, kShard}) {
    ps.subscribe(a, kind, "x");
    ps.subscribe(a, kind, "y");
    ps.subscribe(b, kind, "y");
  }
  ps.unsubscribe_all(a);
  BOOST_TEST(!a.subscribed());
  for (auto kind : {kChannel, kPattern, kShard}) {
    BOOST_TEST(ps.size(kind) == 1u);
    BOOST_TEST(ps.subscriber_count(kind, "y") == 1u);
  }
  BOOST_TEST(ps.publish("y", "m") == 2u);  // b's channel and pattern
  BOOST_TEST(a.frames.empty());
  ps.unsubscribe_all(b);
  BOOST_TEST(ps.size(kChannel) + ps.size(kPattern) + ps.size(kShard) == 0u);
}

BOOST_AUTO_TEST_CASE(names_filter_by_glob) {
  PubSub ps;
  Recorder a, b;
  ps.subscribe(a, kChannel, "news.art");
  ps.subscribe(b, kChannel, "news.art");
  ps.subscribe(a, kChannel, "news.sport");
  ps.subscribe(a, kChannel, "weather");
  ps.subscribe(a, kShard, "news.shard");
  ps.subscribe(a, kPattern, "news.*");
  BOOST_TEST(sorted(ps.names(kChannel)) == (Names{"news.art", "news.sport", "weather"}));
  BOOST_TEST(sorted(ps.names(kChannel, "news.*")) == (Names{"news.art", "news.sport"}));
  BOOST_TEST(ps.names(kChannel, "").empty());  // an empty pattern matches only ""
  BOOST_TEST(sorted(ps.names(kShard, "*")) == Names{"news.shard"});
  // PUBSUB NUMPAT counts distinct patterns.
  ps.subscribe(b, kPattern, "news.*");
  BOOST_TEST(ps.size(kPattern) == 1u);
  ps.unsubscribe_all(a);
  ps.unsubscribe_all(b);
}

BOOST_AUTO_TEST_CASE(fan_out_encodes_once_and_hands_every_subscriber_the_same_bytes) {
  PubSub ps;
  std::vector<std::unique_ptr<Recorder>> subs;
  for (int i = 0; i < 1000; ++i) {
    subs.push_back(std::make_unique<Recorder>(i % 2 ? 3 : 2));
    ps.subscribe(*subs.back(), kChannel, "c");
  }
  BOOST_TEST(ps.publish("c", std::string(100, 'x')) == 1000u);
  for (const auto& s : subs) {
    BOOST_TEST(s->frames.size() == 1u);
    BOOST_TEST(s->last_data == subs[0]->last_data);
  }
  BOOST_TEST(subs[0]->frames[0].substr(1) == subs[1]->frames[0].substr(1));
  for (auto& s : subs)
    ps.unsubscribe_all(*s);
}

BOOST_AUTO_TEST_CASE(large_and_binary_messages_are_framed_by_length) {
  PubSub ps;
  Recorder a;
  ps.subscribe(a, kChannel, std::string_view("c\0\r\n", 4));
  std::string big(200000, 'b');
  big[7] = '\0';
  ps.publish(std::string_view("c\0\r\n", 4), big);
  ps.publish(std::string_view("c\0\r\n", 4), "small");
  BOOST_TEST(a.frames.size() == 2u);
  BOOST_TEST(a.frames[0] == "*3\r\n$7\r\nmessage\r\n$4\r\n" + std::string("c\0\r\n", 4) +
                                "\r\n$200000\r\n" + big + "\r\n");
  BOOST_TEST(a.frames[1].ends_with("$5\r\nsmall\r\n"));
  ps.unsubscribe_all(a);
}

BOOST_AUTO_TEST_CASE(keyspace_events_publish_through_the_registry) {
  PubSub ps;
  PubSubEventPublisher publisher(ps);
  KeyspaceEvents events;
  events.set_flags(notify::kKeyevent | notify::kGeneric);
  events.set_publisher(&publisher);
  Recorder a;
  ps.subscribe(a, kChannel, "__keyevent@2__:del");
  events.notify(notify::kGeneric, "del", 2, "k");
  BOOST_TEST(a.frames == Frames{"*3\r\n$7\r\nmessage\r\n$18\r\n__keyevent@2__:del\r\n$1\r\nk\r\n"});
  ps.unsubscribe_all(a);
}

BOOST_AUTO_TEST_SUITE_END()
