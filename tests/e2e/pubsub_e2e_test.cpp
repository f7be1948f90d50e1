// Pub/sub fan-out end to end: a real vireo-server and a thousand raw
// subscriber sockets, RESP2 and RESP3 (frames checked on Redis 7.0.15).
#include <boost/test/unit_test.hpp>
#include <string>
#include <vector>

#include "tests/e2e/server_process.h"

using namespace vireo::e2e;

namespace {

std::string message_frame(char type, std::string_view channel, std::string_view message) {
  return std::string(1, type) + "3\r\n$7\r\nmessage\r\n$" + std::to_string(channel.size()) +
         "\r\n" + std::string(channel) + "\r\n$" + std::to_string(message.size()) + "\r\n" +
         std::string(message) + "\r\n";
}

}  // namespace

BOOST_AUTO_TEST_SUITE(pubsub_e2e)

BOOST_AUTO_TEST_CASE(publish_reaches_a_thousand_subscribers_in_order) {
  ServerProcess server;
  constexpr int kSubscribers = 1000;
  std::vector<RawConnection> subs;
  subs.reserve(kSubscribers);
  for (int i = 0; i < kSubscribers; ++i) {
    subs.push_back(server.raw());
    bool resp3 = i % 2 == 1;
    if (resp3) subs.back().exchange(encode_command({"HELLO", "3"}), 1);
    std::string confirmation = subs.back().exchange(encode_command({"SUBSCRIBE", "fan"}), 1);
    BOOST_TEST(confirmation ==
               std::string(resp3 ? ">" : "*") + "3\r\n$9\r\nsubscribe\r\n$3\r\nfan\r\n:1\r\n");
  }
  RawConnection publisher = server.raw();
  const std::string big(20000, 'b');
  std::string pipeline = encode_command({"PUBLISH", "fan", "one"}) +
                         encode_command({"PUBLISH", "fan", big}) +
                         encode_command({"PUBLISH", "nobody", "x"});
  BOOST_TEST(publisher.exchange(pipeline, 3) == ":1000\r\n:1000\r\n:0\r\n");
  for (int i = 0; i < kSubscribers; ++i) {
    char type = i % 2 == 1 ? '>' : '*';
    std::string got = subs[i].read_replies(2);
    BOOST_TEST(got == message_frame(type, "fan", "one") + message_frame(type, "fan", big),
               "subscriber " << i);
  }
  std::string numsub = publisher.exchange(encode_command({"PUBSUB", "NUMSUB", "fan"}), 1);
  BOOST_TEST(numsub == "*2\r\n$3\r\nfan\r\n:1000\r\n");
  subs.clear();  // closes every subscriber: the server forgets them
  const auto deadline = Clock::now() + kIoDeadline;
  while (Clock::now() < deadline) {
    numsub = publisher.exchange(encode_command({"PUBSUB", "NUMSUB", "fan"}), 1);
    if (numsub == "*2\r\n$3\r\nfan\r\n:0\r\n") break;
  }
  BOOST_TEST(numsub == "*2\r\n$3\r\nfan\r\n:0\r\n");
}

BOOST_AUTO_TEST_SUITE_END()
