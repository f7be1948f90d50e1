// ScanTable: lookups, and the SCAN guarantee under growth and shrinkage.
#include <boost/test/unit_test.hpp>

#include <random>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/scan_table.h"

using namespace vireo;

namespace {

struct StringKey {
  std::string_view operator()(const std::string* s) const { return *s; }
};
using Table = ScanTable<const std::string*, StringKey>;

// Owns the strings the table points to; addresses never move.
struct Keys {
  explicit Keys(size_t n, std::string_view prefix) {
    storage.reserve(n);
    for (size_t i = 0; i < n; ++i)
      storage.push_back(std::string(prefix) + std::to_string(i));
  }
  std::vector<std::string> storage;
};

// One full SCAN pass; returns every item visited, in visiting order.
std::vector<const std::string*> scan_all(const Table& table, size_t count) {
  std::vector<const std::string*> out;
  uint64_t cursor = 0;
  do {
    cursor = table.scan(cursor, count, [&](const std::string* s) { out.push_back(s); });
  } while (cursor != 0);
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(scan_table)

BOOST_AUTO_TEST_CASE(insert_find_extract) {
  Table table;
  Keys keys(5000, "key:");
  for (const std::string& k : keys.storage)
    table.insert(&k);
  BOOST_TEST(table.size() == 5000u);
  for (const std::string& k : keys.storage) {
    const std::string* const* slot = table.find(k);
    BOOST_TEST_REQUIRE(slot != nullptr);
    BOOST_TEST(*slot == &k);
  }
  BOOST_TEST(table.find("absent") == nullptr);
  const std::string* out = nullptr;
  BOOST_TEST(table.extract("key:17", &out));
  BOOST_TEST(out == &keys.storage[17]);
  BOOST_TEST(!table.extract("key:17", &out));
  BOOST_TEST(table.find("key:17") == nullptr);
  BOOST_TEST(table.size() == 4999u);
}

BOOST_AUTO_TEST_CASE(find_slot_can_be_overwritten_with_the_same_key) {
  Table table;
  std::string a = "same", b = "same";
  table.insert(&a);
  *table.find("same") = &b;
  BOOST_TEST(*table.find("same") == &b);
}

BOOST_AUTO_TEST_CASE(empty_table) {
  Table table;
  std::mt19937_64 rng(1);
  BOOST_TEST(table.size() == 0u);
  BOOST_TEST(table.random(rng) == nullptr);
  int visits = 0;
  BOOST_TEST(table.scan(0, 10, [&](const std::string*) { ++visits; }) == 0u);
  BOOST_TEST(visits == 0);
  BOOST_TEST(table.release_all().empty());
}

BOOST_AUTO_TEST_CASE(full_scan_visits_each_item_once_in_hash_order) {
  // Small counts on a smaller table: each call sorts a whole segment.
  for (auto [items, count] :
       {std::pair<size_t, size_t>{5000, 1}, {120000, 10}, {120000, 1000}, {120000, 1000000}}) {
    Table table;
    Keys keys(items, "k");
    for (const std::string& k : keys.storage)
      table.insert(&k);
    auto seen = scan_all(table, count);
    BOOST_TEST(seen.size() == keys.storage.size());
    BOOST_TEST(std::set<const std::string*>(seen.begin(), seen.end()).size() == seen.size());
    for (size_t i = 1; i < seen.size(); ++i) {
      BOOST_TEST_REQUIRE(hash_bytes(*seen[i - 1]) <= hash_bytes(*seen[i]));
    }
  }
}

BOOST_AUTO_TEST_CASE(count_bounds_each_call) {
  for (auto [items, count] :
       {std::pair<size_t, size_t>{5000, 1}, {100000, 10}, {100000, 100}, {100000, 5000}}) {
    Table table;
    Keys keys(items, "k");
    for (const std::string& k : keys.storage)
      table.insert(&k);
    uint64_t cursor = 0;
    do {
      size_t visited = 0;
      uint64_t next = table.scan(cursor, count, [&](const std::string*) { ++visited; });
      // Exactly `count` (items sharing a full 64-bit hash could add a few),
      // except for the last call.
      BOOST_TEST_REQUIRE(visited <= count);
      if (next != 0) BOOST_TEST_REQUIRE(visited == count);
      if (next != 0) BOOST_TEST_REQUIRE(next > cursor);
      cursor = next;
    } while (cursor != 0);
  }
  // Count 0 is treated as 1.
  Table table;
  Keys keys(100, "k");
  for (const std::string& k : keys.storage)
    table.insert(&k);
  size_t visited = 0;
  table.scan(0, 0, [&](const std::string*) { ++visited; });
  BOOST_TEST(visited == 1u);
}

// The SCAN guarantee: an item present for the whole iteration is returned at
// least once (here: exactly once) even though between calls the table grows
// to five times its size, splitting segments again and again, and then
// shrinks back below where it started.
BOOST_AUTO_TEST_CASE(stable_items_survive_growth_and_shrinkage_between_calls) {
  Table table;
  Keys stable(100000, "stable:");
  Keys churn(500000, "churn:");
  // Some stable items go away during the scan; they may or may not be seen.
  Keys doomed(20000, "doomed:");
  for (const std::string& k : stable.storage)
    table.insert(&k);
  for (const std::string& k : doomed.storage)
    table.insert(&k);
  std::multiset<const std::string*> seen;
  uint64_t cursor = 0;
  size_t inserted = 0, removed = 0, doomed_removed = 0, calls = 0;
  do {
    cursor = table.scan(cursor, 100, [&](const std::string* s) { seen.insert(s); });
    ++calls;
    if (inserted < churn.storage.size()) {
      for (int i = 0; i < 5000; ++i)
        table.insert(&churn.storage[inserted++]);
    } else if (removed < inserted) {
      for (int i = 0; i < 10000 && removed < inserted; ++i) {
        const std::string* out;
        BOOST_TEST_REQUIRE(table.extract(churn.storage[removed++], &out));
      }
    }
    for (int i = 0; i < 100 && doomed_removed < doomed.storage.size(); ++i) {
      const std::string* out;
      BOOST_TEST_REQUIRE(table.extract(doomed.storage[doomed_removed++], &out));
    }
  } while (cursor != 0);
  BOOST_TEST(removed == churn.storage.size());  // both phases happened mid-scan
  BOOST_TEST(calls > 150u);
  size_t missing = 0, repeated = 0;
  for (const std::string& k : stable.storage) {
    size_t n = seen.count(&k);
    missing += n == 0;
    repeated += n > 1;
  }
  BOOST_TEST(missing == 0u);
  BOOST_TEST(repeated == 0u);
  BOOST_TEST(table.size() == stable.storage.size());
}

// Items added in random order between calls with keys interleaving the
// scanned range: still, nothing stable is lost.
BOOST_AUTO_TEST_CASE(random_interleaved_churn) {
  Table table;
  Keys stable(30000, "s");
  Keys churn(200000, "c");
  for (const std::string& k : stable.storage)
    table.insert(&k);
  std::mt19937_64 rng(42);
  std::vector<const std::string*> live;
  size_t next_churn = 0;
  std::set<const std::string*> seen;
  uint64_t cursor = 0;
  do {
    cursor = table.scan(cursor, 1 + rng() % 300, [&](const std::string* s) { seen.insert(s); });
    int ops = static_cast<int>(rng() % 4000);
    for (int i = 0; i < ops; ++i) {
      const bool can_grow = next_churn < churn.storage.size();
      if (!can_grow && live.empty()) break;
      const bool grow = can_grow && (live.empty() || rng() % 3 != 0);
      if (grow) {
        live.push_back(&churn.storage[next_churn++]);
        table.insert(live.back());
      } else {
        size_t j = rng() % live.size();
        const std::string* out;
        BOOST_TEST_REQUIRE(table.extract(*live[j], &out));
        live[j] = live.back();
        live.pop_back();
      }
    }
  } while (cursor != 0);
  for (const std::string& k : stable.storage)
    BOOST_TEST_REQUIRE(seen.count(&k) == 1u);
}

BOOST_AUTO_TEST_CASE(scan_after_mass_deletion_still_terminates) {
  Table table;
  Keys keys(200000, "k");
  for (const std::string& k : keys.storage)
    table.insert(&k);
  const std::string* out;
  for (size_t i = 1; i < keys.storage.size(); ++i)
    table.extract(keys.storage[i], &out);
  BOOST_TEST(table.size() == 1u);
  // Segments do not merge: most are empty now, and a call visits a bounded
  // number of them, so an iteration takes several calls.
  auto seen = scan_all(table, 10);
  BOOST_TEST(seen.size() == 1u);
  BOOST_TEST(seen[0] == &keys.storage[0]);
}

BOOST_AUTO_TEST_CASE(random_reaches_every_item) {
  Table table;
  Keys keys(20, "k");
  for (const std::string& k : keys.storage)
    table.insert(&k);
  std::mt19937_64 rng(7);
  std::set<const std::string*> drawn;
  for (int i = 0; i < 2000; ++i) {
    const std::string* const* item = table.random(rng);
    BOOST_TEST_REQUIRE(item != nullptr);
    drawn.insert(*item);
  }
  BOOST_TEST(drawn.size() == keys.storage.size());
}

BOOST_AUTO_TEST_CASE(random_in_a_large_sparse_table) {
  Table table;
  Keys keys(100000, "k");
  for (const std::string& k : keys.storage)
    table.insert(&k);
  const std::string* out;
  for (size_t i = 0; i + 3 < keys.storage.size(); ++i)
    table.extract(keys.storage[i], &out);
  std::mt19937_64 rng(9);
  std::set<const std::string*> drawn;
  for (int i = 0; i < 200; ++i) {
    const std::string* const* item = table.random(rng);
    BOOST_TEST_REQUIRE(item != nullptr);
    drawn.insert(*item);
  }
  BOOST_TEST(drawn.size() <= 3u);
  for (const std::string* s : drawn)
    BOOST_TEST(table.find(*s) != nullptr);
}

BOOST_AUTO_TEST_CASE(release_all_empties_and_the_table_is_reusable) {
  Table table;
  Keys keys(3000, "k");
  for (const std::string& k : keys.storage)
    table.insert(&k);
  const size_t grown = table.memory_usage();
  auto items = table.release_all();
  BOOST_TEST(items.size() == 3000u);
  BOOST_TEST(std::set<const std::string*>(items.begin(), items.end()).size() == 3000u);
  BOOST_TEST(table.size() == 0u);
  BOOST_TEST(table.find("k1") == nullptr);
  BOOST_TEST(table.memory_usage() < grown);
  table.insert(&keys.storage[1]);
  BOOST_TEST(*table.find("k1") == &keys.storage[1]);
  BOOST_TEST(scan_all(table, 10).size() == 1u);
}

BOOST_AUTO_TEST_CASE(moved_table_keeps_its_items) {
  Table a;
  Keys keys(2000, "k");
  for (const std::string& k : keys.storage)
    a.insert(&k);
  Table b(std::move(a));
  BOOST_TEST(b.size() == 2000u);
  BOOST_TEST(scan_all(b, 100).size() == 2000u);
  Table c;
  std::swap(b, c);
  BOOST_TEST(c.size() == 2000u);
  BOOST_TEST(b.size() == 0u);
  BOOST_TEST(*c.find("k5") == &keys.storage[5]);
  b.insert(&keys.storage[0]);  // the swapped-out table still works
  BOOST_TEST(b.size() == 1u);
}

// A table sized up front for a load holds the same items, answers the same
// lookups and scans, and costs about what growing into them would.
BOOST_AUTO_TEST_CASE(presized_for_a_load) {
  Keys keys(100000, "load:");
  Table grown, presized;
  presized.presize(keys.storage.size());
  for (const std::string& k : keys.storage) {
    grown.insert(&k);
    presized.insert(&k);
  }
  BOOST_TEST(presized.size() == keys.storage.size());
  for (const std::string& k : keys.storage)
    BOOST_TEST_REQUIRE(presized.find(k) != nullptr);
  std::vector<const std::string*> scanned = scan_all(presized, 100);
  BOOST_TEST(std::set<const std::string*>(scanned.begin(), scanned.end()).size() ==
             keys.storage.size());
  BOOST_TEST(presized.memory_usage() <= grown.memory_usage() * 3 / 2);
  // A table that already holds items is left as it is.
  presized.presize(1u << 24);
  BOOST_TEST(presized.size() == keys.storage.size());
  BOOST_TEST(presized.find(keys.storage[7]) != nullptr);
}

// Prefetching is a hint: on an empty, a presized, a grown and a shrunk
// table it changes nothing anyone can observe.
BOOST_AUTO_TEST_CASE(prefetch_changes_nothing) {
  Keys keys(20000, "pf:");
  Table empty, presized, grown;
  empty.prefetch("anything");
  BOOST_TEST(empty.size() == 0u);
  presized.presize(keys.storage.size());
  for (const std::string& k : keys.storage) {
    presized.prefetch(k);
    grown.prefetch(k);
    presized.insert(&k);
    grown.insert(&k);
  }
  for (size_t i = 0; i < keys.storage.size(); i += 2) {
    const std::string* out = nullptr;
    grown.prefetch(keys.storage[i]);
    BOOST_TEST_REQUIRE(grown.extract(keys.storage[i], &out));
  }
  for (size_t i = 0; i < keys.storage.size(); ++i) {
    grown.prefetch(keys.storage[i]);
    BOOST_TEST_REQUIRE((grown.find(keys.storage[i]) != nullptr) == (i % 2 == 1));
    BOOST_TEST_REQUIRE(presized.find(keys.storage[i]) != nullptr);
  }
  BOOST_TEST(scan_all(grown, 100).size() == keys.storage.size() / 2);
}

BOOST_AUTO_TEST_SUITE_END()
