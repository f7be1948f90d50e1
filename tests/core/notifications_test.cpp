// Keyspace notifications published by the keyspace itself (new keys, read
// misses, expiry) and the channel spelling. Command families test their own
// events in their suites.
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "tests/core/command_fixture.h"

using namespace vireo;
using namespace vireo::test;
namespace {

using Published = std::vector<std::pair<std::string, std::string>>;

}  // namespace

BOOST_AUTO_TEST_SUITE(notifications)

BOOST_AUTO_TEST_CASE(nothing_is_published_while_notifications_are_off) {
  CommandFixture f;
  f.run({"set", "k", "v", "px", "10"});
  f.run({"get", "nope"});
  f.advance_time(20);
  f.run({"get", "k"});
  BOOST_TEST(f.take_notifications().empty());
}

BOOST_AUTO_TEST_CASE(a_class_without_K_or_E_publishes_nothing) {
  CommandFixture f;
  f.set_notify_flags(notify::kAll | notify::kNew | notify::kKeyMiss);
  f.run({"set", "k", "v"});
  f.run({"get", "nope"});
  BOOST_TEST(f.take_notifications().empty());
}

BOOST_AUTO_TEST_CASE(keyspace_and_keyevent_channels_name_the_database) {
  CommandFixture f;
  f.set_notify_flags(notify::kKeyspace | notify::kKeyevent | notify::kNew);
  f.run({"select", "3"});
  f.run({"set", "k", "v"});
  f.run({"set", "k", "w"});  // not new: nothing
  BOOST_TEST(f.take_notifications() ==
             (Published{{"__keyspace@3__:k", "new"}, {"__keyevent@3__:new", "k"}}));
}

BOOST_AUTO_TEST_CASE(read_misses_publish_keymiss_only_when_asked) {
  CommandFixture f;
  f.set_notify_flags(notify::kKeyevent | notify::kAll);
  f.run({"get", "nope"});
  BOOST_TEST(f.take_notifications().empty());
  f.set_notify_flags(notify::kKeyevent | notify::kKeyMiss);
  f.run({"get", "nope"});
  f.run({"set", "nope", "v"});  // a write-side lookup misses silently
  BOOST_TEST(f.take_notifications() == (Published{{"__keyevent@0__:keymiss", "nope"}}));
}

BOOST_AUTO_TEST_CASE(a_key_found_past_its_deadline_publishes_expired) {
  CommandFixture f;
  f.run({"set", "k", "v", "px", "10"});
  f.set_notify_flags(notify::kKeyspace | notify::kExpired);
  f.advance_time(20);
  f.run({"exists", "k"});
  BOOST_TEST(f.take_notifications() == (Published{{"__keyspace@0__:k", "expired"}}));
}

BOOST_AUTO_TEST_CASE(the_active_cycle_publishes_expired) {
  CommandFixture f;
  f.run({"set", "a", "1", "px", "10"});
  f.run({"set", "b", "2", "px", "10"});
  f.set_notify_flags(notify::kKeyevent | notify::kExpired);
  f.advance_time(20);
  f.keyspace().set_now(f.now());
  BOOST_TEST(f.keyspace().expire_cycle(10) == 2u);
  Published got = f.take_notifications();
  std::sort(got.begin(), got.end());
  BOOST_TEST(got == (Published{{"__keyevent@0__:expired", "a"}, {"__keyevent@0__:expired", "b"}}));
}

BOOST_AUTO_TEST_SUITE_END()
