// Which keys maxmemory eviction picks under each policy, and what evicting
// one does (deletion, DEL effect, `evicted` notification, WATCH). Clocks,
// access counters and deadlines are set through commands on a fixed clock.
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "core/eviction.h"
#include "core/lazy_free.h"
#include "tests/core/command_fixture.h"

using namespace vireo;
using namespace vireo::test;

namespace {

// So many samples per round that every one of a handful of keys is drawn
// (missing one of 3 keys in 200 draws: about 1e-35).
constexpr int kAllSamples = 200;

struct EvictionFixture {
  CommandFixture f;
  Evictor evictor{&f.keyspace(), &f.effect_sink()};

  EvictionFixture() {
    f.run({"set", "warm-up", "v"});
    f.run({"del", "warm-up"});
    f.take_effects();
  }
  // Evicts one key on the fixture's clock; returns the DEL effects it made
  // (without SELECTs), empty when nothing was evicted.
  std::vector<std::string> evict(EvictionPolicy policy, int samples = kAllSamples) {
    f.keyspace().set_now(f.now());
    std::vector<std::string> deleted;
    if (!evictor.evict_one(policy, samples)) return deleted;
    for (const auto& argv : f.take_effects()) {
      if (argv[0] == "DEL") deleted.push_back(argv[1]);
    }
    return deleted;
  }
  // Evicts until nothing qualifies; returns the keys in eviction order.
  std::vector<std::string> evict_all(EvictionPolicy policy) {
    std::vector<std::string> order;
    for (auto keys = evict(policy); !keys.empty(); keys = evict(policy))
      order.insert(order.end(), keys.begin(), keys.end());
    return order;
  }
  bool exists(std::string_view key) { return f.run({"exists", key}) == integer(1); }
};

using Keys = std::vector<std::string>;

}  // namespace

BOOST_AUTO_TEST_SUITE(eviction)

BOOST_AUTO_TEST_CASE(noeviction_evicts_nothing) {
  EvictionFixture e;
  e.f.run({"set", "k", "v"});
  BOOST_TEST(e.evict(EvictionPolicy::kNoEviction).empty());
  BOOST_TEST(e.exists("k"));
}

BOOST_AUTO_TEST_CASE(allkeys_lru_evicts_the_longest_idle_key_first) {
  EvictionFixture e;
  for (const char* key : {"a", "b", "c"})
    e.f.run({"set", key, "v"});
  e.f.advance_time(100'000);
  e.f.run({"get", "c"});
  e.f.advance_time(100'000);
  e.f.run({"get", "b"});  // idle: a 200 s, c 100 s, b 0 s
  BOOST_TEST(e.evict_all(EvictionPolicy::kAllKeysLru) == (Keys{"a", "c", "b"}));
}

BOOST_AUTO_TEST_CASE(lru_with_one_sample_still_evicts_every_key) {
  EvictionFixture e;
  for (int i = 0; i < 50; ++i)
    e.f.run({"set", "k" + std::to_string(i), "v"});
  size_t evicted = 0;
  while (!e.evict(EvictionPolicy::kAllKeysLru, 1).empty())
    ++evicted;
  BOOST_TEST(evicted == 50u);
  BOOST_TEST(e.f.run({"dbsize"}) == integer(0));
}

BOOST_AUTO_TEST_CASE(a_pooled_key_deleted_meanwhile_is_skipped) {
  EvictionFixture e;
  for (const char* key : {"a", "b", "c"})
    e.f.run({"set", key, "v"});
  e.f.advance_time(10'000);
  e.f.run({"get", "b"});
  e.f.advance_time(10'000);
  e.f.run({"get", "c"});  // idle: a 20 s, b 10 s, c 0 s
  BOOST_TEST(e.evict(EvictionPolicy::kAllKeysLru) == (Keys{"a"}));
  e.f.run({"del", "b"});  // still in the pool from the first round
  e.f.take_effects();
  BOOST_TEST(e.evict(EvictionPolicy::kAllKeysLru) == (Keys{"c"}));
  BOOST_TEST(e.evict(EvictionPolicy::kAllKeysLru).empty());
}

BOOST_AUTO_TEST_CASE(volatile_lru_never_evicts_a_key_without_deadline) {
  EvictionFixture e;
  e.f.run({"set", "persistent", "v"});  // the idlest, but never a candidate
  e.f.advance_time(50'000);
  e.f.run({"set", "v1", "v", "ex", "1000"});
  e.f.run({"set", "v2", "v", "ex", "1000"});
  e.f.advance_time(50'000);
  e.f.run({"get", "v1"});
  BOOST_TEST(e.evict_all(EvictionPolicy::kVolatileLru) == (Keys{"v2", "v1"}));
  BOOST_TEST(e.exists("persistent"));
}

BOOST_AUTO_TEST_CASE(a_pooled_key_that_lost_its_deadline_is_not_evicted_by_volatile_policies) {
  EvictionFixture e;
  e.f.run({"set", "a", "v", "ex", "1000"});
  e.f.advance_time(10'000);
  e.f.run({"set", "b", "v", "ex", "1000"});
  e.f.advance_time(10'000);
  e.f.run({"set", "c", "v", "ex", "1000"});
  BOOST_TEST(e.evict(EvictionPolicy::kVolatileLru) == (Keys{"a"}));  // b and c pooled
  e.f.run({"persist", "b"});
  e.f.take_effects();
  BOOST_TEST(e.evict_all(EvictionPolicy::kVolatileLru) == (Keys{"c"}));
  BOOST_TEST(e.exists("b"));
}

BOOST_AUTO_TEST_CASE(allkeys_lfu_evicts_the_least_used_key_first) {
  EvictionFixture e;
  e.f.keyspace().set_lfu(true);
  for (const char* key : {"rare", "often", "sometimes"})
    e.f.run({"set", key, "v"});
  // A new key's counter is 5; its first access always counts (6), later
  // ones only now and then: touch enough for "often" to pass "sometimes".
  e.f.run({"get", "sometimes"});
  for (int i = 0; i < 2000; ++i)
    e.f.run({"get", "often"});
  BOOST_TEST(e.f.run({"object", "freq", "rare"}) == integer(5));
  BOOST_TEST(e.f.run({"object", "freq", "sometimes"}) == integer(6));
  BOOST_TEST(e.f.run({"object", "freq", "often"}) != integer(6));
  BOOST_TEST(e.evict_all(EvictionPolicy::kAllKeysLfu) == (Keys{"rare", "sometimes", "often"}));
}

BOOST_AUTO_TEST_CASE(volatile_lfu_never_evicts_a_key_without_deadline) {
  EvictionFixture e;
  e.f.keyspace().set_lfu(true);
  e.f.run({"set", "persistent", "v"});
  e.f.run({"set", "hot", "v", "px", "900000"});
  e.f.run({"set", "cold", "v", "px", "900000"});
  e.f.run({"get", "hot"});
  BOOST_TEST(e.evict_all(EvictionPolicy::kVolatileLfu) == (Keys{"cold", "hot"}));
  BOOST_TEST(e.exists("persistent"));
}

BOOST_AUTO_TEST_CASE(volatile_ttl_evicts_the_nearest_deadline_across_databases) {
  EvictionFixture e;
  e.f.run({"select", "5"});
  e.f.run({"set", "soonest", "v", "ex", "100"});
  e.f.run({"set", "middle", "v", "ex", "200"});
  e.f.run({"select", "0"});
  e.f.run({"set", "later", "v", "ex", "300"});
  e.f.run({"set", "persistent", "v"});
  e.f.take_effects();
  e.f.keyspace().set_now(e.f.now());
  BOOST_TEST(e.evictor.evict_one(EvictionPolicy::kVolatileTtl, 5));
  BOOST_TEST(e.f.take_effects() == (Effects{{"SELECT", "5"}, {"DEL", "soonest"}}));
  BOOST_TEST(e.evict_all(EvictionPolicy::kVolatileTtl) == (Keys{"middle", "later"}));
  BOOST_TEST(e.exists("persistent"));
}

BOOST_AUTO_TEST_CASE(random_policies_respect_their_key_sets) {
  EvictionFixture e;
  for (int i = 0; i < 20; ++i) {
    e.f.run({"set", "p" + std::to_string(i), "v"});
    e.f.run({"set", "v" + std::to_string(i), "v", "ex", "100"});
  }
  Keys gone = e.evict_all(EvictionPolicy::kVolatileRandom);
  BOOST_TEST(gone.size() == 20u);
  for (const std::string& key : gone)
    BOOST_TEST(key[0] == 'v');
  BOOST_TEST(e.f.run({"dbsize"}) == integer(20));
  BOOST_TEST(e.evict_all(EvictionPolicy::kAllKeysRandom).size() == 20u);
  BOOST_TEST(e.f.run({"dbsize"}) == integer(0));
}

BOOST_AUTO_TEST_CASE(random_eviction_visits_every_database) {
  EvictionFixture e;
  e.f.run({"set", "in0", "v"});
  e.f.run({"select", "9"});
  e.f.run({"set", "in9", "v"});
  e.f.run({"select", "0"});
  e.f.take_effects();
  Keys gone = e.evict_all(EvictionPolicy::kAllKeysRandom);
  std::sort(gone.begin(), gone.end());
  BOOST_TEST(gone == (Keys{"in0", "in9"}));
}

BOOST_AUTO_TEST_CASE(an_evicted_key_propagates_del_notifies_and_invalidates_watch) {
  EvictionFixture e;
  e.f.set_notify_flags(kNotifyKEA);
  e.f.run({"select", "2"});
  e.f.run({"set", "k", "v"});
  e.f.take_effects();
  e.f.take_notifications();
  KeyWatch watch;
  e.f.watched().watch(&watch, 2, "k");
  e.f.keyspace().set_now(e.f.now());
  BOOST_TEST(e.evictor.evict_one(EvictionPolicy::kAllKeysLru, 5));
  BOOST_TEST(e.f.take_effects() == (Effects{{"DEL", "k"}}));  // db 2 already selected
  BOOST_TEST(e.f.take_notifications() == kea_events({{"evicted", "k", 2}}));
  BOOST_TEST(watch.dirty);
  BOOST_TEST(e.f.run({"exists", "k"}) == integer(0));
  e.f.watched().unwatch_all(&watch);
}

BOOST_AUTO_TEST_CASE(only_class_e_announces_evictions) {
  EvictionFixture e;
  e.f.set_notify_flags(notify::kKeyevent | (notify::kAll & ~notify::kEvicted));
  e.f.run({"set", "k", "v"});
  e.f.take_notifications();
  BOOST_TEST(e.evict(EvictionPolicy::kAllKeysRandom) == (Keys{"k"}));
  BOOST_TEST(e.f.take_notifications().empty());
  e.f.set_notify_flags(notify::kKeyevent | notify::kEvicted);
  e.f.run({"set", "k", "v"});
  BOOST_TEST(e.evict(EvictionPolicy::kAllKeysRandom) == (Keys{"k"}));
  BOOST_TEST(e.f.take_notifications() ==
             (std::vector<std::pair<std::string, std::string>>{{"__keyevent@0__:evicted", "k"}}));
}

BOOST_AUTO_TEST_CASE(keys_past_their_deadline_expire_instead_of_being_evicted) {
  EvictionFixture e;
  e.f.set_notify_flags(notify::kKeyevent | notify::kExpired | notify::kEvicted);
  e.f.run({"set", "dead", "v", "px", "10"});
  e.f.run({"set", "live", "v", "ex", "100"});
  e.f.take_effects();
  e.f.advance_time(1000);
  BOOST_TEST(e.evict(EvictionPolicy::kVolatileTtl) == (Keys{"dead", "live"}));
  using Published = std::vector<std::pair<std::string, std::string>>;
  BOOST_TEST(e.f.take_notifications() ==
             (Published{{"__keyevent@0__:expired", "dead"}, {"__keyevent@0__:evicted", "live"}}));
}

BOOST_AUTO_TEST_CASE(lru_sampling_reclaims_keys_past_their_deadline) {
  EvictionFixture e;
  e.f.set_notify_flags(notify::kKeyevent | notify::kExpired | notify::kEvicted);
  e.f.run({"set", "dead", "v", "px", "10"});
  e.f.run({"set", "live", "v"});
  e.f.take_effects();
  e.f.advance_time(1000);
  BOOST_TEST(e.evict(EvictionPolicy::kAllKeysLru) == (Keys{"dead", "live"}));
  using Published = std::vector<std::pair<std::string, std::string>>;
  BOOST_TEST(e.f.take_notifications() ==
             (Published{{"__keyevent@0__:expired", "dead"}, {"__keyevent@0__:evicted", "live"}}));
  BOOST_TEST(e.evict(EvictionPolicy::kAllKeysLru).empty());
}

BOOST_AUTO_TEST_CASE(a_large_value_is_freed_in_the_background) {
  EvictionFixture e;
  lazy_free().drain();
  std::vector<std::string> rpush = {"rpush", "big"};
  for (size_t i = 0; i < kLazyFreeMinBatch * 4; ++i)
    rpush.push_back(std::to_string(i));
  e.f.run(rpush);
  e.f.take_effects();
  BOOST_TEST(!e.evictor.freeing_in_background());
  const uint64_t freed_before = lazy_free().freed_entries();
  BOOST_TEST(e.evict(EvictionPolicy::kAllKeysLru) == (Keys{"big"}));
  lazy_free().drain();
  BOOST_TEST(lazy_free().freed_entries() == freed_before + 1);
  BOOST_TEST(!e.evictor.freeing_in_background());
  BOOST_TEST(e.exists("big") == false);
}

BOOST_AUTO_TEST_SUITE_END()
