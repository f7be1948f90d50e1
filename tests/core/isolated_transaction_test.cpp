// BEGIN / COMMIT / ROLLBACK in process: the transaction's view, what others
// see, savepoints, effects and notifications held back until COMMIT, and
// conflicts. `f.run` is another client; `f.run_in(t, ...)` the transaction's.
#include <boost/test/unit_test.hpp>

#include <string>
#include <utility>
#include <vector>

#include "core/isolated_transaction.h"
#include "tests/core/command_fixture.h"

using namespace vireo;
using namespace vireo::test;
namespace {

using Outcome = IsolatedTransaction::Outcome;
using Published = std::vector<std::pair<std::string, std::string>>;

// A fixture with a transaction open on database 0 and the effect log empty
// (database 0 already selected in it).
struct InTransaction : CommandFixture {
  InTransaction() {
    run({"set", "base", "1"});
    take_effects();
  }
  IsolatedTransaction t{keyspace(), 0, watched()};
};

}  // namespace

BOOST_AUTO_TEST_SUITE(isolated_transaction)

BOOST_FIXTURE_TEST_CASE(reads_see_own_writes_others_do_not, InTransaction) {
  BOOST_TEST(run_in(t, {"set", "k", "mine"}) == kOk);
  BOOST_TEST(run_in(t, {"get", "k"}) == bulk("mine"));
  BOOST_TEST(run({"get", "k"}) == kNull);
  BOOST_TEST(run_in(t, {"dbsize"}) == integer(2));
  BOOST_TEST(run({"dbsize"}) == integer(1));
  BOOST_TEST(run_in(t, {"exists", "k", "base"}) == integer(2));
  BOOST_TEST(run_in(t, {"mget", "k", "base", "nokey"}) == array({bulk("mine"), bulk("1"), kNull}));
}

BOOST_FIXTURE_TEST_CASE(every_type_and_ttls_are_isolated, InTransaction) {
  run({"rpush", "l", "a"});
  run_in(t, {"rpush", "l", "b"});
  run_in(t, {"hset", "h", "f", "v"});
  run_in(t, {"sadd", "s", "m"});
  run_in(t, {"zadd", "z", "1", "m"});
  run_in(t, {"pexpire", "base", "5000"});
  BOOST_TEST(run_in(t, {"lrange", "l", "0", "-1"}) == array({bulk("a"), bulk("b")}));
  BOOST_TEST(run({"lrange", "l", "0", "-1"}) == array({bulk("a")}));
  BOOST_TEST(run_in(t, {"pttl", "base"}) == integer(5000));
  BOOST_TEST(run({"pttl", "base"}) == integer(-1));
  BOOST_TEST(run({"exists", "h", "s", "z"}) == integer(0));
  BOOST_TEST(run_in(t, {"exists", "h", "s", "z"}) == integer(3));
}

BOOST_FIXTURE_TEST_CASE(deletions_are_isolated_too, InTransaction) {
  BOOST_TEST(run_in(t, {"del", "base"}) == integer(1));
  BOOST_TEST(run_in(t, {"get", "base"}) == kNull);
  BOOST_TEST(run_in(t, {"keys", "*"}) == array({}));
  BOOST_TEST(run({"get", "base"}) == bulk("1"));
}

BOOST_FIXTURE_TEST_CASE(outermost_commit_applies_and_emits_one_group, InTransaction) {
  run_in(t, {"set", "k", "v"});
  run_in(t, {"incr", "base"});
  BOOST_TEST(take_effects().empty());  // nothing leaves before COMMIT
  BOOST_TEST((t.commit(effect_sink()) == Outcome::kApplied));
  BOOST_TEST(t.depth() == 0u);
  BOOST_TEST(run({"get", "k"}) == bulk("v"));
  BOOST_TEST(run({"get", "base"}) == bulk("2"));
  BOOST_TEST(take_effects() ==
             (Effects{{"MULTI"}, {"SET", "k", "v"}, {"SET", "base", "2", "KEEPTTL"}, {"EXEC"}}));
}

BOOST_FIXTURE_TEST_CASE(a_commit_without_writes_emits_nothing, InTransaction) {
  run_in(t, {"get", "base"});
  BOOST_TEST((t.commit(effect_sink()) == Outcome::kApplied));
  BOOST_TEST(take_effects().empty());
}

BOOST_FIXTURE_TEST_CASE(nested_commit_merges_and_outer_rollback_discards_it, InTransaction) {
  run_in(t, {"set", "a", "1"});
  t.begin();
  run_in(t, {"set", "b", "2"});
  BOOST_TEST((t.commit(effect_sink()) == Outcome::kMerged));
  BOOST_TEST(t.depth() == 1u);
  BOOST_TEST(run_in(t, {"get", "b"}) == bulk("2"));
  BOOST_TEST(run({"get", "b"}) == kNull);
  t.rollback();
  BOOST_TEST(t.depth() == 0u);
  BOOST_TEST(run({"exists", "a", "b"}) == integer(0));
  BOOST_TEST(take_effects().empty());
}

BOOST_FIXTURE_TEST_CASE(rollback_discards_the_innermost_level_only, InTransaction) {
  run_in(t, {"set", "a", "outer"});
  t.begin();
  run_in(t, {"set", "a", "inner"});
  run_in(t, {"set", "b", "inner"});
  run_in(t, {"del", "base"});
  t.begin();
  run_in(t, {"append", "a", "+deeper"});
  t.rollback();
  BOOST_TEST(run_in(t, {"get", "a"}) == bulk("inner"));
  t.rollback();
  BOOST_TEST(t.depth() == 1u);
  BOOST_TEST(run_in(t, {"get", "a"}) == bulk("outer"));
  BOOST_TEST(run_in(t, {"exists", "b"}) == integer(0));
  BOOST_TEST(run_in(t, {"get", "base"}) == bulk("1"));
  BOOST_TEST((t.commit(effect_sink()) == Outcome::kApplied));
  // Only the surviving writes reach the stream.
  BOOST_TEST(take_effects() == (Effects{{"MULTI"}, {"SET", "a", "outer"}, {"EXEC"}}));
}

BOOST_FIXTURE_TEST_CASE(a_change_by_another_client_fails_the_commit, InTransaction) {
  run_in(t, {"get", "base"});  // a read counts
  run_in(t, {"set", "k", "v"});
  run({"set", "base", "changed"});
  take_effects();
  BOOST_TEST((t.commit(effect_sink()) == Outcome::kConflict));
  BOOST_TEST(t.depth() == 0u);
  BOOST_TEST(run({"get", "k"}) == kNull);
  BOOST_TEST(run({"get", "base"}) == bulk("changed"));
  BOOST_TEST(take_effects().empty());
}

BOOST_FIXTURE_TEST_CASE(changes_before_the_first_touch_do_not_conflict, InTransaction) {
  run_in(t, {"set", "k", "v"});
  run({"set", "base", "changed"});  // not yet touched by the transaction
  BOOST_TEST(run_in(t, {"get", "base"}) == bulk("changed"));
  BOOST_TEST((t.commit(effect_sink()) == Outcome::kApplied));
}

BOOST_FIXTURE_TEST_CASE(a_touched_key_reaching_its_deadline_conflicts, InTransaction) {
  run({"set", "t", "v", "px", "100"});
  run_in(t, {"get", "t"});
  advance_time(200);
  keyspace().set_now(now());
  BOOST_TEST((t.commit(effect_sink()) == Outcome::kConflict));
}

BOOST_FIXTURE_TEST_CASE(own_keys_expire_inside_the_view_only, InTransaction) {
  run_in(t, {"set", "e", "v", "px", "100"});
  advance_time(200);
  BOOST_TEST(run_in(t, {"get", "e"}) == kNull);
  BOOST_TEST((t.commit(effect_sink()) == Outcome::kApplied));
  // The expiry inside the view became part of the group.
  auto effects = take_effects();
  BOOST_TEST(effects.size() == 4u);
  BOOST_TEST(effects[2] == (std::vector<std::string>{"DEL", "e"}));
  BOOST_TEST(run({"exists", "e"}) == integer(0));
}

BOOST_FIXTURE_TEST_CASE(notifications_wait_for_the_outermost_commit, InTransaction) {
  set_notify_flags(notify::kKeyevent | notify::kNew);
  run_in(t, {"set", "fresh", "v"});
  t.begin();
  run_in(t, {"set", "dropped", "v"});
  t.rollback();
  BOOST_TEST(take_notifications().empty());
  BOOST_TEST((t.commit(effect_sink()) == Outcome::kApplied));
  BOOST_TEST(take_notifications() == (Published{{"__keyevent@0__:new", "fresh"}}));
}

BOOST_FIXTURE_TEST_CASE(refusals_name_what_is_not_allowed, InTransaction) {
  BOOST_TEST(run_in(t, {"select", "1"}) == error("ERR SELECT is not allowed inside BEGIN"));
  BOOST_TEST(run_in(t, {"blpop", "q", "0"}) ==
             error("ERR blocking commands are not allowed inside BEGIN"));
  BOOST_TEST(run_in(t, {"flushdb"}) ==
             error("ERR FLUSHDB, FLUSHALL, SWAPDB and MOVE are not allowed inside BEGIN"));
  BOOST_TEST(run_in(t, {"copy", "base", "b2", "db", "3"}) ==
             error("ERR COPY ... DB is not allowed inside BEGIN"));
  BOOST_TEST(run_in(t, {"copy", "base", "b2"}) == integer(1));
}

BOOST_FIXTURE_TEST_CASE(rename_and_sort_store_work_in_the_view, InTransaction) {
  run_in(t, {"rpush", "src", "3", "1", "2"});
  BOOST_TEST(run_in(t, {"sort", "src", "store", "dst"}) == integer(3));
  BOOST_TEST(run_in(t, {"rename", "dst", "sorted"}) == kOk);
  BOOST_TEST(run_in(t, {"lrange", "sorted", "0", "-1"}) ==
             array({bulk("1"), bulk("2"), bulk("3")}));
  BOOST_TEST(run({"exists", "src", "dst", "sorted"}) == integer(0));
  BOOST_TEST((t.commit(effect_sink()) == Outcome::kApplied));
  BOOST_TEST(run({"lrange", "sorted", "0", "-1"}) == array({bulk("1"), bulk("2"), bulk("3")}));
  BOOST_TEST(run({"exists", "src", "dst"}) == integer(1));
}

BOOST_AUTO_TEST_CASE(destroying_an_open_transaction_rolls_back_and_unwatches) {
  CommandFixture f;
  {
    IsolatedTransaction t(f.keyspace(), 0, f.watched());
    f.run_in(t, {"set", "k", "v"});
    t.begin();
    f.run_in(t, {"set", "k", "w"});
    BOOST_TEST(!f.watched().empty());
  }
  BOOST_TEST(f.watched().empty());
  BOOST_TEST(f.run({"exists", "k"}) == integer(0));
}

BOOST_AUTO_TEST_SUITE_END()
