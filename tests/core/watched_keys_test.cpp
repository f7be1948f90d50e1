// WatchedKeys and the WatchInvalidator: which effects mark which watchers.
#include "core/watched_keys.h"

#include <boost/test/unit_test.hpp>

#include "tests/core/command_fixture.h"

using namespace vireo;
using namespace vireo::test;

BOOST_AUTO_TEST_SUITE(watched_keys)

BOOST_AUTO_TEST_CASE(a_write_marks_every_watcher_of_its_keys_only) {
  CommandFixture f;
  KeyWatch a, b, c;
  f.watched().watch(&a, 0, "k");
  f.watched().watch(&b, 0, "k");
  f.watched().watch(&c, 0, "other");
  f.run({"set", "k", "v"});
  BOOST_TEST(a.dirty);
  BOOST_TEST(b.dirty);
  BOOST_TEST(!c.dirty);
}

BOOST_AUTO_TEST_CASE(the_database_is_part_of_the_key) {
  CommandFixture f;
  KeyWatch w;
  f.watched().watch(&w, 1, "k");
  f.run({"set", "k", "v"});
  BOOST_TEST(!w.dirty);
  f.run({"select", "1"});
  f.run({"del", "k", "nokey"});  // nothing deleted: no effect, no change
  BOOST_TEST(!w.dirty);
  f.run({"set", "k", "v"});
  BOOST_TEST(w.dirty);
}

BOOST_AUTO_TEST_CASE(every_key_of_a_multi_key_effect_counts) {
  CommandFixture f;
  KeyWatch from, to;
  f.run({"set", "a", "1"});
  f.watched().watch(&from, 0, "a");
  f.watched().watch(&to, 0, "b");
  f.run({"rename", "a", "b"});
  BOOST_TEST(from.dirty);
  BOOST_TEST(to.dirty);
}

BOOST_AUTO_TEST_CASE(move_and_copy_db_mark_the_target_database) {
  CommandFixture f;
  KeyWatch moved, copied;
  f.run({"set", "m", "1"});
  f.run({"set", "c", "1"});
  f.watched().watch(&moved, 3, "m");
  f.watched().watch(&copied, 4, "c2");
  f.run({"move", "m", "3"});
  f.run({"copy", "c", "c2", "db", "4"});
  BOOST_TEST(moved.dirty);
  BOOST_TEST(copied.dirty);
}

// What the server's flush and SWAPDB listeners call (their end-to-end rules
// are in differential/transactions.txt).
BOOST_AUTO_TEST_CASE(touch_where_marks_only_keys_the_predicate_accepts) {
  CommandFixture f;
  KeyWatch present, absent, elsewhere;
  f.run({"set", "here", "1"});
  f.watched().watch(&present, 0, "here");
  f.watched().watch(&absent, 0, "nowhere");
  f.watched().watch(&elsewhere, 1, "here");
  f.watched().touch_where(0, [&](std::string_view key) { return f.keyspace().db(0).present(key); });
  BOOST_TEST(present.dirty);
  BOOST_TEST(!absent.dirty);
  BOOST_TEST(!elsewhere.dirty);
}

BOOST_AUTO_TEST_CASE(expiry_marks_watchers_through_its_del_effect) {
  CommandFixture f;
  KeyWatch w;
  f.run({"set", "t", "v", "px", "10"});
  f.watched().watch(&w, 0, "t");
  f.advance_time(20);
  f.run({"get", "t"});
  BOOST_TEST(w.dirty);
}

BOOST_AUTO_TEST_CASE(unwatch_all_forgets_keys_and_the_mark) {
  CommandFixture f;
  KeyWatch w;
  f.watched().watch(&w, 0, "k");
  f.watched().watch(&w, 0, "k");  // once
  BOOST_TEST(w.keys.size() == 1u);
  f.run({"set", "k", "v"});
  f.watched().unwatch_all(&w);
  BOOST_TEST(!w.dirty);
  BOOST_TEST(f.watched().empty());
  f.run({"set", "k", "w"});
  BOOST_TEST(!w.dirty);
}

BOOST_AUTO_TEST_SUITE_END()
