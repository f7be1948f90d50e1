// The TTL commands. Every expected reply was checked byte for byte against
// redis-server 7.0.15.
#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

#include "core/keyspace.h"
#include "tests/core/command_fixture.h"

using namespace vireo;
using namespace vireo::test;
namespace {

std::string ms(int64_t v) {
  return std::to_string(v);
}

// A fixture holding plain key "k" with an empty effect log (and database 0
// already selected in it, so effects come without SELECT).
struct WithKey : CommandFixture {
  WithKey() {
    run({"set", "k", "v"});
    take_effects();
  }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(expire)

BOOST_AUTO_TEST_CASE(each_form_sets_an_absolute_deadline) {
  WithKey f;
  const int64_t now = f.now();
  BOOST_TEST(f.run({"expire", "k", "100"}) == integer(1));
  BOOST_TEST(f.run({"pexpiretime", "k"}) == integer(now + 100000));
  BOOST_TEST(f.run({"pexpire", "k", "1500"}) == integer(1));
  BOOST_TEST(f.run({"pexpiretime", "k"}) == integer(now + 1500));
  BOOST_TEST(f.run({"expireat", "k", "2000000000"}) == integer(1));
  BOOST_TEST(f.run({"pexpiretime", "k"}) == integer(2000000000000));
  BOOST_TEST(f.run({"pexpireat", "k", "2000000000123"}) == integer(1));
  BOOST_TEST(f.run({"pexpiretime", "k"}) == integer(2000000000123));
  BOOST_TEST((f.take_effects() == Effects{{"PEXPIREAT", "k", ms(now + 100000)},
                                          {"PEXPIREAT", "k", ms(now + 1500)},
                                          {"PEXPIREAT", "k", "2000000000000"},
                                          {"PEXPIREAT", "k", "2000000000123"}}));
  BOOST_TEST(f.run({"get", "k"}) == bulk("v"));
}

BOOST_AUTO_TEST_CASE(the_key_expires_at_its_deadline) {
  WithKey f;
  f.run({"pexpire", "k", "100"});
  f.take_effects();
  f.advance_time(99);
  BOOST_TEST(f.run({"pttl", "k"}) == integer(1));
  f.advance_time(1);
  BOOST_TEST(f.run({"pttl", "k"}) == integer(-2));
  BOOST_TEST((f.take_effects() == Effects{{"DEL", "k"}}));
}

BOOST_AUTO_TEST_CASE(a_deadline_not_in_the_future_deletes_and_propagates_del) {
  for (std::vector<std::string> cmd : {std::vector<std::string>{"expire", "k", "0"},
                                       {"expire", "k", "-5"},
                                       {"pexpire", "k", "0"},
                                       {"expireat", "k", "1"},
                                       {"pexpireat", "k", "-1"},
                                       {"expire", "k", "-9223372036854775"}}) {
    WithKey f;
    BOOST_TEST(f.run(cmd) == integer(1));
    BOOST_TEST(f.run({"exists", "k"}) == integer(0));
    BOOST_TEST((f.take_effects() == Effects{{"DEL", "k"}}));
  }
  WithKey f;  // exactly now is already past
  BOOST_TEST(f.run({"pexpireat", "k", ms(f.now())}) == integer(1));
  BOOST_TEST(f.run({"exists", "k"}) == integer(0));
}

BOOST_AUTO_TEST_CASE(missing_key_changes_nothing) {
  CommandFixture f;
  BOOST_TEST(f.run({"expire", "nokey", "100"}) == integer(0));
  BOOST_TEST(f.run({"expire", "nokey", "-1"}) == integer(0));
  BOOST_TEST(f.run({"pexpireat", "nokey", "1", "nx"}) == integer(0));
  BOOST_TEST(f.take_effects().empty());
}

BOOST_AUTO_TEST_CASE(nx_xx_gt_lt_conditions) {
  WithKey f;
  // Without a deadline, GT fails (never is the largest) and LT succeeds.
  BOOST_TEST(f.run({"expire", "k", "100", "xx"}) == integer(0));
  BOOST_TEST(f.run({"expire", "k", "100", "gt"}) == integer(0));
  BOOST_TEST(f.run({"expire", "k", "100", "xx", "gt"}) == integer(0));
  BOOST_TEST(f.run({"expire", "k", "-5", "gt"}) == integer(0));
  BOOST_TEST(f.run({"exists", "k"}) == integer(1));
  BOOST_TEST(f.run({"expire", "k", "100", "lt"}) == integer(1));
  BOOST_TEST(f.run({"ttl", "k"}) == integer(100));
  BOOST_TEST(f.run({"expire", "k", "50", "gt"}) == integer(0));
  BOOST_TEST(f.run({"expire", "k", "100", "gt"}) == integer(0));  // equal is not greater
  BOOST_TEST(f.run({"expire", "k", "200", "gt"}) == integer(1));
  BOOST_TEST(f.run({"expire", "k", "300", "nx"}) == integer(0));
  BOOST_TEST(f.run({"expire", "k", "200", "lt"}) == integer(0));  // equal is not less
  BOOST_TEST(f.run({"expire", "k", "50", "lt"}) == integer(1));
  BOOST_TEST(f.run({"expire", "k", "60", "xx"}) == integer(1));
  BOOST_TEST(f.run({"expire", "k", "70", "XX", "GT"}) == integer(1));
  BOOST_TEST(f.run({"ttl", "k"}) == integer(70));
  BOOST_TEST(f.run({"expire", "k", "100", "nx", "nx"}) == integer(0));  // repeats are fine
  const int64_t now = f.now();
  BOOST_TEST((f.take_effects() == Effects{{"PEXPIREAT", "k", ms(now + 100000)},
                                          {"PEXPIREAT", "k", ms(now + 200000)},
                                          {"PEXPIREAT", "k", ms(now + 50000)},
                                          {"PEXPIREAT", "k", ms(now + 60000)},
                                          {"PEXPIREAT", "k", ms(now + 70000)}}));
  BOOST_TEST(f.run({"expire", "k", "0", "lt"}) == integer(1));
  BOOST_TEST((f.take_effects() == Effects{{"DEL", "k"}}));
  WithKey g;
  BOOST_TEST(g.run({"expire", "k", "100", "nx"}) == integer(1));
  BOOST_TEST(g.run({"pexpire", "k", "100000", "NX"}) == integer(0));
}

BOOST_AUTO_TEST_CASE(option_errors) {
  WithKey f;
  const std::string nx_error =
      error("ERR NX and XX, GT or LT options at the same time are not compatible");
  BOOST_TEST(f.run({"expire", "k", "100", "nx", "xx"}) == nx_error);
  BOOST_TEST(f.run({"expire", "k", "100", "nx", "gt"}) == nx_error);
  BOOST_TEST(f.run({"expire", "k", "100", "lt", "nx"}) == nx_error);
  BOOST_TEST(f.run({"expire", "k", "100", "nx", "gt", "lt"}) == nx_error);
  BOOST_TEST(f.run({"expire", "k", "100", "gt", "lt"}) ==
             error("ERR GT and LT options at the same time are not compatible"));
  BOOST_TEST(f.run({"expire", "k", "100", "foo"}) == error("ERR Unsupported option foo"));
  // Options are checked before the time.
  BOOST_TEST(f.run({"expire", "k", "x", "nx", "xx"}) == nx_error);
  BOOST_TEST(f.run({"expire", "k", "0", "foo"}) == error("ERR Unsupported option foo"));
  BOOST_TEST(f.run({"expire", "nokey", "x"}) ==
             error("ERR value is not an integer or out of range"));
  BOOST_TEST(f.run({"expire", "k"}) == error("ERR wrong number of arguments for 'expire' command"));
  BOOST_TEST(f.take_effects().empty());
  BOOST_TEST(f.run({"ttl", "k"}) == integer(-1));
}

BOOST_AUTO_TEST_CASE(invalid_expire_times) {
  WithKey f;
  BOOST_TEST(f.run({"expire", "k", "9223372036854775807"}) ==
             error("ERR invalid expire time in 'expire' command"));
  BOOST_TEST(f.run({"expire", "k", "9223372036854775"}) ==  // * 1000 fits, + now does not
             error("ERR invalid expire time in 'expire' command"));
  BOOST_TEST(f.run({"expire", "k", "-9223372036854776"}) ==
             error("ERR invalid expire time in 'expire' command"));
  BOOST_TEST(f.run({"expire", "k", "-9223372036854775808"}) ==
             error("ERR invalid expire time in 'expire' command"));
  BOOST_TEST(f.run({"pexpire", "k", "9223372036854775807"}) ==
             error("ERR invalid expire time in 'pexpire' command"));
  BOOST_TEST(f.run({"expireat", "k", "9223372036854776"}) ==
             error("ERR invalid expire time in 'expireat' command"));
  BOOST_TEST(f.run({"expire", "nokey", "9223372036854775807"}) ==
             error("ERR invalid expire time in 'expire' command"));
  BOOST_TEST(f.take_effects().empty());
  // The largest deadlines that fit.
  BOOST_TEST(f.run({"expireat", "k", "9223372036854775"}) == integer(1));
  BOOST_TEST(f.run({"pexpireat", "k", "9223372036854775807"}) == integer(1));
  BOOST_TEST(f.run({"pexpiretime", "k"}) == integer(9223372036854775807));
  BOOST_TEST(f.run({"expiretime", "k"}) == integer(9223372036854776));
}

BOOST_AUTO_TEST_CASE(ttl_family_replies) {
  CommandFixture f;
  for (const char* cmd : {"ttl", "pttl", "expiretime", "pexpiretime"}) {
    BOOST_TEST(f.run({cmd, "nokey"}) == integer(-2));
  }
  f.run({"set", "k", "v"});
  for (const char* cmd : {"ttl", "pttl", "expiretime", "pexpiretime"}) {
    BOOST_TEST(f.run({cmd, "k"}) == integer(-1));
  }
  f.run({"pexpire", "k", "1499"});
  BOOST_TEST(f.run({"ttl", "k"}) == integer(1));  // rounded to the nearest second
  f.run({"pexpire", "k", "1500"});
  BOOST_TEST(f.run({"ttl", "k"}) == integer(2));
  BOOST_TEST(f.run({"pttl", "k"}) == integer(1500));
  f.run({"pexpireat", "k", "99999999999499"});
  BOOST_TEST(f.run({"expiretime", "k"}) == integer(99999999999));
  f.run({"pexpireat", "k", "99999999999500"});
  BOOST_TEST(f.run({"expiretime", "k"}) == integer(100000000000));
  BOOST_TEST(f.run({"pexpiretime", "k"}) == integer(99999999999500));
  BOOST_TEST(f.run({"ttl"}) == error("ERR wrong number of arguments for 'ttl' command"));
}

BOOST_AUTO_TEST_CASE(persist_propagates_only_a_removed_deadline) {
  CommandFixture f;
  BOOST_TEST(f.run({"persist", "nokey"}) == integer(0));
  f.run({"set", "k", "v"});
  f.take_effects();
  BOOST_TEST(f.run({"persist", "k"}) == integer(0));
  BOOST_TEST(f.take_effects().empty());
  f.run({"expire", "k", "100"});
  f.take_effects();
  BOOST_TEST(f.run({"persist", "k"}) == integer(1));
  BOOST_TEST((f.take_effects() == Effects{{"PERSIST", "k"}}));
  BOOST_TEST(f.run({"ttl", "k"}) == integer(-1));
  f.advance_time(200000);
  BOOST_TEST(f.run({"get", "k"}) == bulk("v"));
}

BOOST_AUTO_TEST_CASE(expired_keys_look_missing_to_every_command) {
  CommandFixture f;
  f.run({"set", "k", "v", "px", "10"});
  f.take_effects();
  f.advance_time(10);
  BOOST_TEST(f.run({"persist", "k"}) == integer(0));
  BOOST_TEST(f.run({"ttl", "k"}) == integer(-2));
  BOOST_TEST(f.run({"expire", "k", "100"}) == integer(0));
  BOOST_TEST((f.take_effects() == Effects{{"DEL", "k"}}));
}

// A replica's clients do not see a key past its deadline, but nothing of the
// replica's deletes it: its primary's records may still count on it (they
// are replayed with deadlines ignored) until the primary's DEL arrives.
BOOST_AUTO_TEST_CASE(on_a_replica_a_key_past_its_deadline_is_hidden_not_deleted) {
  CommandFixture f;
  f.keyspace().set_deadlines(Deadlines::kHiddenFromReads);
  f.run({"set", "k", "v", "px", "10"});
  f.run({"set", "other", "1"});
  f.run({"sadd", "gone-set", "m"});
  f.run({"pexpire", "gone-set", "10"});
  f.take_effects();
  f.advance_time(10);
  BOOST_TEST(f.run({"get", "k"}) == kNull);
  BOOST_TEST(f.run({"exists", "k", "gone-set"}) == integer(0));
  BOOST_TEST(f.run({"ttl", "k"}) == integer(-2));
  BOOST_TEST(f.run({"type", "k"}) == simple("none"));
  BOOST_TEST(f.run({"smembers", "gone-set"}) == array({}));
  BOOST_TEST(f.run({"keys", "*"}) == array({bulk("other")}));
  BOOST_TEST(f.run({"keys", "k"}) == array({}));
  BOOST_TEST(f.run({"scan", "0"}) == array({bulk("0"), array({bulk("other")})}));
  BOOST_TEST(f.run({"dbsize"}) == integer(3));  // counted, as Redis's replicas count them
  BOOST_TEST(f.keyspace().expire_cycle(100) == 0u);
  BOOST_TEST(f.run({"dbsize"}) == integer(3));
  BOOST_TEST(f.take_effects().empty());
  {
    // The primary's records still see them.
    DeadlinesScope replaying(f.keyspace(), Deadlines::kIgnored);
    BOOST_TEST(f.run({"append", "k", "w"}) == integer(2));
    BOOST_TEST(f.run({"del", "gone-set"}) == integer(1));
  }
  BOOST_TEST((f.keyspace().deadlines() == Deadlines::kHiddenFromReads));
  BOOST_TEST(f.run({"dbsize"}) == integer(2));
  BOOST_TEST(f.run({"get", "k"}) == kNull);
  // A client's write (a writable replica) deletes it first, as in Redis.
  BOOST_TEST(f.run({"incr", "k"}) == integer(1));
  BOOST_TEST(f.run({"get", "k"}) == bulk("1"));
}

BOOST_AUTO_TEST_CASE(command_table_rows_match_redis) {
  CommandFixture f;
  for (const char* name : {"expire", "pexpire", "expireat", "pexpireat"}) {
    const Command* cmd = f.table().find(name);
    BOOST_TEST_REQUIRE(cmd != nullptr);
    BOOST_TEST(cmd->spec->arity == -3);
    BOOST_TEST(cmd->spec->flags == (kWrite | kFast));
    BOOST_TEST(cmd->spec->acl == (kAclKeyspace | kAclWrite | kAclFast));
    BOOST_TEST(legacy_key_range(*cmd->spec).first == 1);
  }
  for (const char* name : {"ttl", "pttl", "expiretime", "pexpiretime"}) {
    const Command* cmd = f.table().find(name);
    BOOST_TEST_REQUIRE(cmd != nullptr);
    BOOST_TEST(cmd->spec->arity == 2);
    BOOST_TEST(cmd->spec->flags == (kReadonly | kFast));
    BOOST_TEST(cmd->spec->acl == (kAclKeyspace | kAclRead | kAclFast));
  }
  const Command* persist = f.table().find("persist");
  BOOST_TEST_REQUIRE(persist != nullptr);
  BOOST_TEST(persist->spec->flags == (kWrite | kFast));
  BOOST_TEST(persist->spec->arity == 2);
}

// ---------------------------------------------------------------------------
// Keyspace notifications, as redis-server 7.0.15 publishes them with
// notify-keyspace-events KEA

BOOST_AUTO_TEST_CASE(each_form_publishes_expire_and_a_refused_one_nothing) {
  WithKey f;
  f.set_notify_flags(kNotifyKEA);
  BOOST_TEST(f.run({"expire", "k", "100"}) == integer(1));
  BOOST_TEST(f.run({"pexpire", "k", "100000"}) == integer(1));
  BOOST_TEST(f.run({"expireat", "k", "99999999999"}) == integer(1));
  BOOST_TEST(f.run({"pexpireat", "k", "99999999999000"}) == integer(1));
  BOOST_TEST(f.take_notifications() ==
             kea_events({{"expire", "k"}, {"expire", "k"}, {"expire", "k"}, {"expire", "k"}}));
  BOOST_TEST(f.run({"expire", "k", "100", "nx"}) == integer(0));
  BOOST_TEST(f.run({"expire", "nokey", "100"}) == integer(0));
  BOOST_TEST(f.run({"expire", "k", "x"}) == kNotInteger);
  BOOST_TEST(f.take_notifications().empty());
}

// A deadline already past deletes the key: "del", not "expire" or "expired".
BOOST_AUTO_TEST_CASE(a_past_deadline_publishes_del) {
  WithKey f;
  f.run({"set", "j", "v"});
  f.run({"set", "i", "v"});
  f.set_notify_flags(kNotifyKEA);
  BOOST_TEST(f.run({"expire", "k", "0"}) == integer(1));
  BOOST_TEST(f.run({"pexpireat", "j", "1"}) == integer(1));
  BOOST_TEST(f.run({"expire", "i", "-5", "xx"}) == integer(0));
  BOOST_TEST(f.take_notifications() == kea_events({{"del", "k"}, {"del", "j"}}));
}

BOOST_AUTO_TEST_CASE(persist_publishes_persist_only_when_it_removes_a_deadline) {
  WithKey f;
  f.run({"expire", "k", "100"});
  f.set_notify_flags(kNotifyKEA);
  BOOST_TEST(f.run({"persist", "k"}) == integer(1));
  BOOST_TEST(f.run({"persist", "k"}) == integer(0));
  BOOST_TEST(f.run({"persist", "nokey"}) == integer(0));
  BOOST_TEST(f.take_notifications() == kea_events({{"persist", "k"}}));
}

BOOST_AUTO_TEST_SUITE_END()
