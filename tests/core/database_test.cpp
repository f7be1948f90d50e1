// The keyspace machinery under the commands: Entry, ExpiryIndex, Database and
// Keyspace's active expiry.
#include <boost/test/unit_test.hpp>

#include <map>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "core/database.h"
#include "core/effects.h"
#include "core/entry.h"
#include "core/expiry_index.h"
#include "core/keyspace.h"
#include "core/lazy_free.h"
#include "tests/core/command_fixture.h"

using namespace vireo;
namespace {

// Records what the keyspace reclaims on its own.
struct RecordingListener : KeyspaceListener {
  void on_expired(int db, std::string_view key) override { expired.emplace_back(db, key); }
  std::vector<std::pair<int, std::string>> expired;
};

// A database on its own clock, with a listener.
struct DbFixture {
  DbFixture() { env.listener = &listener; }
  RecordingListener listener;
  KeyspaceEnv env{.now_ms = 1000000};
  Database db{0, &env};
};

// Entries registered in an index, freed at the end.
struct Entries {
  ~Entries() {
    for (Entry* e : all)
      Entry::destroy(e);
  }
  Entry* make(std::string_view key) {
    all.push_back(Entry::make_string(key, "v", true));
    return all.back();
  }
  std::vector<Entry*> all;
};

// `n` fresh entries for a LazyFree to free.
std::vector<Entry*> make_batch(size_t n) {
  std::vector<Entry*> batch;
  for (size_t i = 0; i < n; ++i)
    batch.push_back(Entry::make_string("k", "v", false));
  return batch;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(database)

BOOST_AUTO_TEST_CASE(entry_layout_round_trips) {
  Entry* e = Entry::make_string("key", "value", false);
  BOOST_TEST((e->type() == ValueType::kString));
  BOOST_TEST(!e->has_expiry());
  BOOST_TEST(e->key() == "key");
  BOOST_TEST(e->string_value() == "value");
  e->set_access_clock(0xabcdef);
  e->set_raw_flag(true);
  e = Entry::set_has_expiry(e, true);
  e->set_expiry_slot(123456);
  BOOST_TEST(e->has_expiry());
  BOOST_TEST(e->raw_flag());
  BOOST_TEST(e->access_clock() == 0xabcdefu);
  BOOST_TEST(e->expiry_slot() == 123456u);
  BOOST_TEST(e->key() == "key");
  std::string big(300, 'x');  // a two-byte length varint
  e = Entry::set_string(e, big);
  BOOST_TEST(e->string_value() == big);
  BOOST_TEST(e->expiry_slot() == 123456u);
  BOOST_TEST(e->access_clock() == 0xabcdefu);
  e = Entry::set_has_expiry(e, false);
  BOOST_TEST(e->string_value() == big);
  BOOST_TEST(e->key() == "key");
  Entry* copy = Entry::clone(e, "other", true);
  BOOST_TEST(copy->key() == "other");
  BOOST_TEST(copy->string_value() == big);
  BOOST_TEST(copy->raw_flag());
  BOOST_TEST(copy->has_expiry());
  BOOST_TEST(e->allocation_size() > big.size());
  Entry::destroy(copy);
  Entry::destroy(e);
}

// The heap against a reference multimap, through random adds, updates and
// removals, checking the minimum and every deadline as it goes, then draining
// in order.
BOOST_AUTO_TEST_CASE(expiry_heap_matches_a_reference_under_random_updates) {
  ExpiryIndex index;
  Entries entries;
  std::mt19937_64 rng(1234);
  std::vector<Entry*> registered;
  std::map<Entry*, int64_t> deadline_of;
  std::multimap<int64_t, Entry*> by_deadline;
  auto forget = [&](Entry* e) {
    auto range = by_deadline.equal_range(deadline_of[e]);
    for (auto it = range.first; it != range.second; ++it) {
      if (it->second == e) {
        by_deadline.erase(it);
        break;
      }
    }
    deadline_of.erase(e);
  };
  for (int step = 0; step < 20000; ++step) {
    const int op = static_cast<int>(rng() % 10);
    // Deadlines from a small range, so that ties are common.
    const int64_t deadline = static_cast<int64_t>(rng() % 5000);
    if (op < 4 || registered.empty()) {
      Entry* e = entries.make("k" + std::to_string(step));
      index.add(e, deadline);
      registered.push_back(e);
      deadline_of[e] = deadline;
      by_deadline.emplace(deadline, e);
    } else if (op < 7) {
      Entry* e = registered[rng() % registered.size()];
      forget(e);
      index.update(e, deadline);
      deadline_of[e] = deadline;
      by_deadline.emplace(deadline, e);
    } else {
      size_t j = rng() % registered.size();
      Entry* e = registered[j];
      index.remove(e);
      forget(e);
      registered[j] = registered.back();
      registered.pop_back();
    }
    BOOST_TEST_REQUIRE(index.size() == by_deadline.size());
    if (!by_deadline.empty()) {
      BOOST_TEST_REQUIRE(index.top_deadline() == by_deadline.begin()->first);
      BOOST_TEST_REQUIRE(deadline_of.at(index.top()) == index.top_deadline());
    }
    if (!registered.empty()) {
      Entry* probe = registered[rng() % registered.size()];
      BOOST_TEST_REQUIRE(index.deadline(probe) == deadline_of.at(probe));
    }
  }
  // Every registered entry still reads its own deadline.
  for (Entry* e : registered)
    BOOST_TEST_REQUIRE(index.deadline(e) == deadline_of.at(e));
  // Draining pops deadlines in order.
  std::vector<int64_t> drained, expected;
  for (const auto& [d, e] : by_deadline)
    expected.push_back(d);
  while (!index.empty()) {
    drained.push_back(index.top_deadline());
    index.remove(index.top());
  }
  BOOST_TEST(drained == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(expiry_index_follows_a_relocated_entry) {
  ExpiryIndex index;
  Entries entries;
  Entry* other = entries.make("other");
  index.add(other, 500);
  Entry* e = entries.make("k");
  index.add(e, 100);
  entries.all.pop_back();  // `e` is about to move
  Entry* moved = Entry::set_string(e, std::string(1000, 'x'));
  BOOST_TEST_REQUIRE(moved != e);
  entries.all.push_back(moved);
  index.relocate(moved);
  BOOST_TEST(index.top() == moved);
  BOOST_TEST(index.deadline(moved) == 100);
  index.update(moved, 1000);
  BOOST_TEST(index.top() == other);
  BOOST_TEST(index.deadline(moved) == 1000);
  index.remove(other);
  BOOST_TEST(index.top() == moved);
}

BOOST_AUTO_TEST_CASE(database_keeps_the_index_on_entries_that_move) {
  DbFixture f;
  Database& db = f.db;
  for (int i = 0; i < 100; ++i)
    db.put_string("k" + std::to_string(i), "v", 2000000 + i);
  // Growing a value moves its entry; the index must follow.
  Entry* e = db.find("k0");
  e = db.replace_string(e, std::string(500, 'x'));
  BOOST_TEST(db.deadline(e) == 2000000);
  e = db.put_string("k1", std::string(700, 'y'), kNoExpiry, true);
  BOOST_TEST(db.deadline(e) == 2000001);
  // Adding and dropping the expiry slot moves the entry too.
  e = db.put_string("plain", "v", kNoExpiry);
  e = db.set_deadline(e, 1999999);
  BOOST_TEST(db.deadline(e) == 1999999);
  BOOST_TEST(db.volatile_count() == 101u);
  e = db.set_deadline(db.find("k2"), kNoExpiry);
  BOOST_TEST(db.deadline(e) == kNoExpiry);
  BOOST_TEST(!e->has_expiry());
  BOOST_TEST(db.volatile_count() == 100u);
  // Expire in deadline order: "plain" first, then k0, k1, k3...
  f.env.now_ms = 2000001;
  BOOST_TEST(db.expire_due(f.env.now_ms, 1000) == 3u);
  using Expired = std::vector<std::pair<int, std::string>>;
  BOOST_TEST((f.listener.expired == Expired{{0, "plain"}, {0, "k0"}, {0, "k1"}}));
  BOOST_TEST(db.find("k2") != nullptr);
  BOOST_TEST(db.find("k3") != nullptr);
}

BOOST_AUTO_TEST_CASE(put_string_deadlines) {
  DbFixture f;
  Database& db = f.db;
  Entry* e = db.put_string("k", "v", 2000000);
  BOOST_TEST(db.deadline(e) == 2000000);
  e = db.put_string("k", "w", kNoExpiry, true);  // KEEPTTL
  BOOST_TEST(db.deadline(e) == 2000000);
  BOOST_TEST(e->string_value() == "w");
  e = db.put_string("k", "x", kNoExpiry);
  BOOST_TEST(db.deadline(e) == kNoExpiry);
  BOOST_TEST(db.volatile_count() == 0u);
  e = db.put_string("k", "y", 3000000);
  BOOST_TEST(db.deadline(e) == 3000000);
  BOOST_TEST(db.size() == 1u);
}

BOOST_AUTO_TEST_CASE(lookups_reclaim_expired_keys) {
  DbFixture f;
  Database& db = f.db;
  db.put_string("k", "v", 1000500);
  BOOST_TEST(db.find("k") != nullptr);
  f.env.now_ms = 1000500;
  BOOST_TEST(db.size() == 1u);  // reclaimed lazily, not yet
  BOOST_TEST(db.find("k") == nullptr);
  BOOST_TEST(db.size() == 0u);
  BOOST_TEST(db.volatile_count() == 0u);
  BOOST_TEST(f.listener.expired.size() == 1u);
  // Writing over an expired key starts afresh without its deadline.
  db.put_string("j", "v", 1000600);
  f.env.now_ms = 1000600;
  Entry* e = db.put_string("j", "w", kNoExpiry, true);
  BOOST_TEST(db.deadline(e) == kNoExpiry);
  BOOST_TEST(f.listener.expired.size() == 2u);
}

BOOST_AUTO_TEST_CASE(detach_and_adopt_carry_the_deadline) {
  DbFixture f;
  Database other{1, &f.env};
  f.db.put_string("a", "v", 2000000);
  f.db.put_string("b", "w", kNoExpiry);
  int64_t deadline = 0;
  Entry* a = f.db.detach("a", &deadline);
  BOOST_TEST(deadline == 2000000);
  Entry* b = f.db.detach("b", &deadline);
  BOOST_TEST(deadline == kNoExpiry);
  BOOST_TEST(f.db.detach("a", &deadline) == nullptr);
  BOOST_TEST(f.db.size() == 0u);
  BOOST_TEST(f.db.volatile_count() == 0u);
  a = other.adopt(a, 2000000);
  b = other.adopt(b, 2500000);  // gains an expiry slot
  BOOST_TEST(other.deadline(other.find("a")) == 2000000);
  BOOST_TEST(other.deadline(other.find("b")) == 2500000);
  BOOST_TEST(other.find("b")->string_value() == "w");
  BOOST_TEST(other.volatile_count() == 2u);
  BOOST_TEST(f.db.erase("nokey") == false);
  BOOST_TEST(other.erase("a"));
  BOOST_TEST(other.volatile_count() == 1u);
}

BOOST_AUTO_TEST_CASE(random_entry_never_returns_an_expired_key) {
  DbFixture f;
  for (int i = 0; i < 5000; ++i)
    f.db.put_string("dead" + std::to_string(i), "v", 1000100);
  f.db.put_string("live", "v", kNoExpiry);
  f.env.now_ms = 1000100;
  std::mt19937_64 rng(3);
  const Entry* e = f.db.random_entry(rng);
  BOOST_TEST_REQUIRE(e != nullptr);  // a live key exists, so one is returned
  BOOST_TEST(e->key() == "live");
  BOOST_TEST(f.db.random_entry(rng)->key() == "live");
  f.db.erase("live");
  BOOST_TEST(f.db.random_entry(rng) == nullptr);
  BOOST_TEST(f.db.size() == 0u);
  BOOST_TEST(f.listener.expired.size() == 5000u);
}

BOOST_AUTO_TEST_CASE(scan_and_for_each_skip_expired_keys) {
  DbFixture f;
  for (int i = 0; i < 100; ++i) {
    f.db.put_string("k" + std::to_string(i), "v", i % 2 ? 1000100 : kNoExpiry);
  }
  f.env.now_ms = 1000100;
  size_t each = 0;
  f.db.for_each([&](const Entry* e) {
    BOOST_TEST(e->key().back() % 2 == 0);
    ++each;
  });
  BOOST_TEST(each == 50u);
  BOOST_TEST(f.listener.expired.empty());  // for_each only reads
  std::set<std::string> seen;
  uint64_t cursor = 0;
  do {
    cursor = f.db.scan(cursor, 7, [&](const Entry* e) { seen.emplace(e->key()); });
  } while (cursor != 0);
  BOOST_TEST(seen.size() == 50u);
  BOOST_TEST(f.listener.expired.size() == 50u);  // SCAN reclaims what it passes
  BOOST_TEST(f.db.size() == 50u);
}

BOOST_AUTO_TEST_CASE(swap_contents_exchanges_keys_and_deadlines) {
  DbFixture f;
  Database other{1, &f.env};
  f.db.put_string("a", "v", 2000000);
  other.put_string("b", "w", kNoExpiry);
  other.put_string("c", "x", 3000000);
  f.db.swap_contents(other);
  BOOST_TEST(f.db.index() == 0);
  BOOST_TEST(f.db.size() == 2u);
  BOOST_TEST(other.size() == 1u);
  BOOST_TEST(other.deadline(other.find("a")) == 2000000);
  BOOST_TEST(f.db.deadline(f.db.find("c")) == 3000000);
  BOOST_TEST(f.db.find("a") == nullptr);
  f.env.now_ms = 3000000;
  BOOST_TEST(f.db.expire_due(f.env.now_ms, 10) == 1u);
  BOOST_TEST(other.expire_due(f.env.now_ms, 10) == 1u);
  using Expired = std::vector<std::pair<int, std::string>>;
  BOOST_TEST((f.listener.expired == Expired{{0, "c"}, {1, "a"}}));
}

BOOST_AUTO_TEST_CASE(release_all_hands_over_every_entry) {
  DbFixture f;
  for (int i = 0; i < 1000; ++i)
    f.db.put_string("k" + std::to_string(i), "v", 2000000 + i);
  const size_t full = f.db.memory_usage();
  BOOST_TEST(full > 1000u * 8);
  std::vector<Entry*> entries = f.db.release_all();
  BOOST_TEST(entries.size() == 1000u);
  BOOST_TEST(f.db.size() == 0u);
  BOOST_TEST(f.db.volatile_count() == 0u);
  BOOST_TEST(f.db.memory_usage() < full);
  for (Entry* e : entries)
    Entry::destroy(e);
  f.env.now_ms = 3000000;
  BOOST_TEST(f.db.expire_due(f.env.now_ms, 10) == 0u);
  f.db.put_string("k1", "v", kNoExpiry);
  BOOST_TEST(f.db.find("k1") != nullptr);
}

BOOST_AUTO_TEST_CASE(expire_due_removes_exactly_the_due_keys) {
  DbFixture f;
  std::mt19937_64 rng(5);
  std::multimap<int64_t, std::string> reference;
  for (int i = 0; i < 3000; ++i) {
    int64_t deadline = 1000000 + static_cast<int64_t>(rng() % 10000);
    std::string key = "k" + std::to_string(i);
    f.db.put_string(key, "v", deadline);
    reference.emplace(deadline, key);
  }
  f.db.put_string("persistent", "v", kNoExpiry);
  for (int64_t now : {1000000, 1002500, 1002500, 1007000, 1020000}) {
    f.env.now_ms = now;
    f.listener.expired.clear();
    size_t removed = f.db.expire_due(now, SIZE_MAX);
    std::set<std::string> due, got;
    while (!reference.empty() && reference.begin()->first <= now) {
      due.insert(reference.begin()->second);
      reference.erase(reference.begin());
    }
    for (const auto& [db, key] : f.listener.expired)
      got.insert(key);
    BOOST_TEST(removed == due.size());
    BOOST_TEST((got == due));
    BOOST_TEST(f.db.size() == reference.size() + 1);
  }
  // The limit stops early; the rest waits for the next call.
  f.db.put_string("x", "v", 1030000);
  f.db.put_string("y", "v", 1030000);
  BOOST_TEST(f.db.expire_due(1030000, 1) == 1u);
  BOOST_TEST(f.db.expire_due(1030000, 1) == 1u);
  BOOST_TEST(f.db.expire_due(1030000, 1) == 0u);
}

BOOST_AUTO_TEST_CASE(expire_cycle_removes_due_keys_and_emits_del) {
  vireo::test::CommandFixture f;
  Keyspace& ks = f.keyspace();
  const int64_t now = 1700000000000;
  ks.set_now(now);
  ks.db(0).put_string("due0", "v", now + 10);
  ks.db(0).put_string("later0", "v", now + 1000);
  ks.db(0).put_string("plain", "v", kNoExpiry);
  ks.db(5).put_string("due5a", "v", now + 5);
  ks.db(5).put_string("due5b", "v", now + 10);
  ks.db(5).put_string("later5", "v", now + 11);
  ks.set_now(now + 10);
  BOOST_TEST(ks.expire_cycle(1000) == 3u);
  auto effects = f.take_effects();
  std::set<std::vector<std::string>> dels;
  for (const auto& argv : effects) {
    if (argv[0] == "DEL") dels.insert(argv);
  }
  BOOST_TEST((dels == std::set<std::vector<std::string>>{
                          {"DEL", "due0"}, {"DEL", "due5a"}, {"DEL", "due5b"}}));
  // Each DEL is preceded by the SELECT of its own database.
  for (size_t i = 0; i < effects.size(); ++i) {
    if (effects[i][0] == "DEL") {
      std::string want = effects[i][1] == "due0" ? "0" : "5";
      size_t j = i;
      while (effects[j][0] != "SELECT")
        --j;
      BOOST_TEST(effects[j][1] == want);
    }
  }
  BOOST_TEST(ks.total_keys() == 3u);
  BOOST_TEST(ks.expire_cycle(1000) == 0u);
  BOOST_TEST(f.take_effects().empty());
}

BOOST_AUTO_TEST_CASE(expire_cycle_respects_its_budget) {
  vireo::test::CommandFixture f;
  Keyspace& ks = f.keyspace();
  const int64_t now = 1700000000000;
  ks.set_now(now);
  for (int i = 0; i < 1000; ++i)
    ks.db(0).put_string("k" + std::to_string(i), "v", now + 1);
  ks.set_now(now + 1);
  BOOST_TEST(ks.expire_cycle(300) == 300u);
  BOOST_TEST(ks.expire_cycle(300) == 300u);
  BOOST_TEST(ks.expire_cycle(10000) == 400u);
  BOOST_TEST(ks.total_keys() == 0u);
}

// One database full of due keys must not starve the others: the cycle goes
// round robin, a slice at a time.
BOOST_AUTO_TEST_CASE(expire_cycle_is_fair_across_databases) {
  vireo::test::CommandFixture f;
  Keyspace& ks = f.keyspace();
  const int64_t now = 1700000000000;
  ks.set_now(now);
  for (int i = 0; i < 100000; ++i)
    ks.db(0).put_string("k" + std::to_string(i), "v", now + 1);
  for (int i = 0; i < 100; ++i)
    ks.db(1).put_string("k" + std::to_string(i), "v", now + 1);
  ks.set_now(now + 1);
  // A budget that is a whole number of slices, so no slice ends short.
  for (int cycle = 0; cycle < 3; ++cycle)
    BOOST_TEST(ks.expire_cycle(2048) == 2048u);
  BOOST_TEST(ks.db(1).volatile_count() == 0u);
  BOOST_TEST(ks.db(0).volatile_count() > 90000u);
}

BOOST_AUTO_TEST_CASE(lazy_free_frees_every_batch) {
  LazyFree freer(2);
  for (int i = 0; i < 50; ++i)
    freer.submit(make_batch(100));  // some overflow and go inline
  freer.submit({});
  freer.drain();
  BOOST_TEST(freer.freed_entries() == 5000u);
  BOOST_TEST(freer.pending_entries() == 0u);
}

// Destruction frees what is still queued (LeakSanitizer checks it) and joins.
BOOST_AUTO_TEST_CASE(lazy_free_destructor_frees_the_queue) {
  auto freer = std::make_unique<LazyFree>(1000);
  for (int i = 0; i < 20; ++i)
    freer->submit(make_batch(1000));
  freer.reset();
}

BOOST_AUTO_TEST_CASE(free_entries_lazily_keeps_small_batches_inline) {
  lazy_free().drain();
  const uint64_t before = lazy_free().freed_entries();
  free_entries_lazily(make_batch(kLazyFreeMinBatch - 1));
  lazy_free().drain();
  BOOST_TEST(lazy_free().freed_entries() == before);
  free_entries_lazily(make_batch(kLazyFreeMinBatch));
  lazy_free().drain();
  BOOST_TEST(lazy_free().freed_entries() == before + kLazyFreeMinBatch);
}

// DEL, UNLINK, a SET over it, expiry and FLUSHALL ASYNC hand a collection of
// kLazyFreeMinBatch elements or more to the background freer; a smaller one
// is freed inline.
BOOST_AUTO_TEST_CASE(large_collections_are_freed_off_the_loop_by_every_path) {
  vireo::test::CommandFixture f;
  auto fill = [&](const std::string& key, size_t n) {
    std::vector<std::string> cmd{"rpush", key};
    for (size_t i = 0; i < n; ++i)
      cmd.push_back(std::to_string(i));
    f.run(cmd);
  };
  auto freed_in_background = [&](const std::vector<std::string>& cmd) {
    lazy_free().drain();
    const uint64_t before = lazy_free().freed_entries();
    f.run(cmd);
    lazy_free().drain();
    return lazy_free().freed_entries() - before;
  };
  fill("small", kLazyFreeMinBatch - 1);
  BOOST_TEST(freed_in_background({"del", "small"}) == 0u);
  fill("big", kLazyFreeMinBatch);
  BOOST_TEST(freed_in_background({"del", "big"}) == 1u);
  fill("big", 1000);
  BOOST_TEST(freed_in_background({"unlink", "big"}) == 1u);
  fill("big", 1000);
  BOOST_TEST(freed_in_background({"set", "big", "string"}) == 1u);
  f.run({"del", "big"});
  fill("big", 1000);
  f.run({"pexpire", "big", "10"});
  f.advance_time(10);
  BOOST_TEST(freed_in_background({"exists", "big"}) == 1u);
  fill("big", 1000);
  BOOST_TEST(freed_in_background({"flushall", "async"}) == 1u);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(large_values)

// Values from Entry::kOutOfLineBytes on live in their own buffer: every path
// that builds, grows, re-heads or re-keys an entry must keep the bytes intact.
BOOST_AUTO_TEST_CASE(large_values_survive_every_entry_path) {
  vireo::test::CommandFixture f;
  const size_t big = vireo::Entry::kOutOfLineBytes;
  std::string a(big + 10, 'a'), b(big * 3, 'b');
  BOOST_TEST(f.run({"set", "k", a}) == vireo::test::kOk);
  BOOST_TEST(f.run({"get", "k"}) == vireo::test::bulk(a));
  BOOST_TEST(f.run({"set", "k", b}) == vireo::test::kOk);                    // bigger: a new buffer
  BOOST_TEST(f.run({"pexpire", "k", "100000"}) == vireo::test::integer(1));  // header grows
  BOOST_TEST(f.run({"get", "k"}) == vireo::test::bulk(b));
  BOOST_TEST(f.run({"set", "k", "small", "keepttl"}) == vireo::test::kOk);  // back inline
  BOOST_TEST(f.run({"pttl", "k"}) == vireo::test::integer(100000));
  // Appends cross the threshold and keep growing in the buffer.
  std::string grown = "small";
  for (int i = 0; i < 40; ++i) {
    std::string piece(1000, static_cast<char>('0' + i % 10));
    f.run({"append", "k", piece});
    grown += piece;
  }
  BOOST_TEST(f.run({"get", "k"}) == vireo::test::bulk(grown));
  BOOST_TEST(f.run({"pttl", "k"}) == vireo::test::integer(100000));
  BOOST_TEST(f.run({"persist", "k"}) == vireo::test::integer(1));    // header shrinks
  BOOST_TEST(f.run({"rename", "k", "r"}) == vireo::test::kOk);       // the buffer moves
  BOOST_TEST(f.run({"copy", "r", "c"}) == vireo::test::integer(1));  // the buffer is copied
  BOOST_TEST(f.run({"append", "r", "!"}) ==
             vireo::test::integer(static_cast<int64_t>(grown.size() + 1)));
  BOOST_TEST(f.run({"get", "c"}) == vireo::test::bulk(grown));
  BOOST_TEST(f.run({"get", "r"}) == vireo::test::bulk(grown + "!"));
  BOOST_TEST(f.run({"setrange", "c", "1", "xyz"}) ==
             vireo::test::integer(static_cast<int64_t>(grown.size())));
  BOOST_TEST(f.run({"getrange", "c", "0", "4"}) == vireo::test::bulk("sxyzl"));
  BOOST_TEST(f.run({"del", "r", "c"}) == vireo::test::integer(2));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(put_string_ttl_changes)

// SET over an existing key that gains or loses a TTL rebuilds the entry in one
// step; the value, the TTL and the expiry heap must all agree afterwards.
BOOST_AUTO_TEST_CASE(gaining_and_losing_a_ttl_on_overwrite) {
  vireo::test::CommandFixture f;
  for (int i = 0; i < 50; ++i)
    f.run({"set", "k" + std::to_string(i), "v", "px", "5000"});
  BOOST_TEST(f.run({"set", "k", "plain"}) == vireo::test::kOk);
  BOOST_TEST(f.run({"set", "k", "timed", "px", "1000"}) == vireo::test::kOk);  // gains a TTL
  BOOST_TEST(f.run({"get", "k"}) == vireo::test::bulk("timed"));
  BOOST_TEST(f.run({"pttl", "k"}) == vireo::test::integer(1000));
  BOOST_TEST(f.run({"set", "k7", "untimed"}) == vireo::test::kOk);  // loses its TTL
  BOOST_TEST(f.run({"pttl", "k7"}) == vireo::test::integer(-1));
  f.advance_time(1000);  // "k" expires; the heap must still be consistent for the rest
  BOOST_TEST(f.run({"exists", "k"}) == vireo::test::integer(0));
  BOOST_TEST(f.keyspace().expire_cycle(100) == 0u);
  f.advance_time(4000);
  f.keyspace().set_now(f.now());
  BOOST_TEST(f.keyspace().expire_cycle(100) == 49u);  // all but the untimed k7
  BOOST_TEST(f.run({"get", "k7"}) == vireo::test::bulk("untimed"));
}

BOOST_AUTO_TEST_SUITE_END()
