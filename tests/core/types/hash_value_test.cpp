// HashValue: both encodings, the one-way conversion at each threshold, a
// random workload against a model, the HSCAN guarantee, random picks, clone.
#include "core/types/hash_value.h"

#include <boost/test/unit_test.hpp>

#include <map>
#include <random>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

using namespace vireo;

namespace {

using Model = std::map<std::string, std::string>;

Model contents(const HashValue& h) {
  Model out;
  h.for_each([&](std::string_view f, std::string_view v) {
    BOOST_TEST(out.emplace(std::string(f), std::string(v)).second);
  });
  return out;
}

ContainerLimits limits(int64_t entries, int64_t value) {
  ContainerLimits l;
  l.hash_max_listpack_entries = entries;
  l.hash_max_listpack_value = value;
  return l;
}

// Every field seen by one full HSCAN iteration with `count`, calling
// `between` after each step (to change the hash mid-iteration).
template <class Between>
std::multiset<std::string> scan_all(const HashValue& h, size_t count, Between&& between) {
  std::multiset<std::string> seen;
  uint64_t cursor = 0;
  do {
    cursor = h.scan(cursor, count, [&](std::string_view f, std::string_view) { seen.emplace(f); });
    between();
  } while (cursor != 0);
  return seen;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(hash_value)

BOOST_AUTO_TEST_CASE(the_object_is_three_words) {
  // Millions of small hashes: the object must fit the allocator's smallest
  // chunk next to its listpack.
  BOOST_TEST(sizeof(HashValue) <= 3 * sizeof(void*));
}

BOOST_AUTO_TEST_CASE(set_get_erase_in_listpack) {
  const ContainerLimits l;
  HashValue h(l);
  BOOST_TEST(h.size() == 0u);
  BOOST_TEST(h.encoding() == "listpack");
  BOOST_TEST(!h.get("a").has_value());
  BOOST_TEST(h.set("a", "1", l));
  BOOST_TEST(h.set("b", "", l));
  BOOST_TEST(!h.set("a", "longer value", l));
  BOOST_TEST(h.size() == 2u);
  BOOST_TEST(*h.get("a") == "longer value");
  BOOST_TEST(*h.get("b") == "");
  // A field equal to some value is not confused with it.
  BOOST_TEST(h.set("longer value", "x", l));
  BOOST_TEST(*h.get("longer value") == "x");
  BOOST_TEST(h.contains("b"));
  BOOST_TEST(h.erase("b"));
  BOOST_TEST(!h.erase("b"));
  BOOST_TEST(!h.contains("b"));
  BOOST_TEST((contents(h) == Model{{"a", "longer value"}, {"longer value", "x"}}));
  BOOST_TEST(h.erase("a"));
  BOOST_TEST(h.erase("longer value"));
  BOOST_TEST(h.size() == 0u);
  BOOST_TEST(h.encoding() == "listpack");
}

BOOST_AUTO_TEST_CASE(converts_past_the_entry_limit_and_stays_converted) {
  const ContainerLimits l = limits(4, 64);
  HashValue h(l);
  for (int i = 0; i < 4; ++i)
    h.set("f" + std::to_string(i), "v", l);
  BOOST_TEST(h.encoding() == "listpack");
  BOOST_TEST(h.is_listpack());
  // Updating an existing field at the limit does not convert.
  BOOST_TEST(!h.set("f0", "w", l));
  BOOST_TEST(h.encoding() == "listpack");
  BOOST_TEST(h.set("f4", "v", l));
  BOOST_TEST(h.encoding() == "hashtable");
  BOOST_TEST(h.size() == 5u);
  BOOST_TEST(*h.get("f0") == "w");
  for (int i = 0; i < 5; ++i)
    BOOST_TEST(h.erase("f" + std::to_string(i)));
  BOOST_TEST(h.size() == 0u);
  BOOST_TEST(h.encoding() == "hashtable");
}

BOOST_AUTO_TEST_CASE(converts_for_a_long_field_or_value) {
  const ContainerLimits l = limits(128, 8);
  HashValue a(l);
  a.set("f", std::string(8, 'v'), l);
  a.set(std::string(8, 'f'), "v", l);
  BOOST_TEST(a.encoding() == "listpack");
  a.set("g", std::string(9, 'v'), l);
  BOOST_TEST(a.encoding() == "hashtable");
  BOOST_TEST((contents(a) == Model{{"f", "vvvvvvvv"}, {"ffffffff", "v"}, {"g", "vvvvvvvvv"}}));

  HashValue b(l);
  b.set("f", "v", l);
  b.set(std::string(9, 'f'), "v", l);
  BOOST_TEST(b.encoding() == "hashtable");

  // Even an update of an existing field converts when the new value is long.
  HashValue c(l);
  c.set("f", "v", l);
  BOOST_TEST(!c.set("f", std::string(9, 'v'), l));
  BOOST_TEST(c.encoding() == "hashtable");
  BOOST_TEST(*c.get("f") == std::string(9, 'v'));
}

BOOST_AUTO_TEST_CASE(limits_are_read_at_each_insert) {
  // CONFIG SET may lower or raise a limit while a hash lives.
  const ContainerLimits wide = limits(128, 64), zero = limits(0, 64);
  HashValue h(wide);
  h.set("a", "1", wide);
  BOOST_TEST(h.encoding() == "listpack");
  h.set("a", "2", zero);  // an update never converts on count
  BOOST_TEST(h.encoding() == "listpack");
  h.set("b", "1", zero);
  BOOST_TEST(h.encoding() == "hashtable");
  HashValue g(zero);
  g.set("only", "1", zero);
  BOOST_TEST(g.encoding() == "hashtable");
}

BOOST_AUTO_TEST_CASE(hashtable_values_grow_and_shrink_in_place) {
  const ContainerLimits l = limits(0, 64);
  HashValue h(l);
  h.set("f", "short", l);
  const std::string big(10000, 'x');
  BOOST_TEST(!h.set("f", big, l));
  BOOST_TEST(*h.get("f") == big);
  BOOST_TEST(!h.set("f", "", l));
  BOOST_TEST(*h.get("f") == "");
  // Field lengths that need a two-byte length prefix.
  const std::string long_field(300, 'k');
  h.set(long_field, big, l);
  BOOST_TEST(*h.get(long_field) == big);
  BOOST_TEST(h.memory_usage() > big.size());
}

BOOST_AUTO_TEST_CASE(random_operations_match_a_model) {
  std::mt19937_64 rng(42);
  for (int round = 0; round < 4; ++round) {
    const ContainerLimits l = limits(round * 20, 10 + round * 5);
    HashValue h(l);
    std::unordered_map<std::string, std::string> model;
    for (int op = 0; op < 4000; ++op) {
      std::string field = "f" + std::to_string(rng() % 150);
      if (rng() % 8 == 0) field += std::string(rng() % 20, 'x');
      switch (rng() % 4) {
        case 0:
        case 1: {
          std::string value(rng() % 24, static_cast<char>('a' + rng() % 26));
          bool added = h.set(field, value, l);
          BOOST_TEST(added == !model.contains(field));
          model[field] = value;
          break;
        }
        case 2:
          BOOST_TEST(h.erase(field) == (model.erase(field) == 1));
          break;
        default: {
          auto it = model.find(field);
          auto got = h.get(field);
          BOOST_TEST(got.has_value() == (it != model.end()));
          if (got && it != model.end()) BOOST_TEST(*got == it->second);
        }
      }
      BOOST_TEST_REQUIRE(h.size() == model.size());
    }
    Model expected(model.begin(), model.end());
    BOOST_TEST((contents(h) == expected));
  }
}

BOOST_AUTO_TEST_CASE(listpack_scan_replies_whole_with_cursor_zero) {
  const ContainerLimits l;
  HashValue h(l);
  for (int i = 0; i < 20; ++i)
    h.set("f" + std::to_string(i), "v", l);
  size_t seen = 0;
  // Any cursor: Redis ignores it for a compact encoding.
  BOOST_TEST(h.scan(12345, 1, [&](std::string_view, std::string_view) { ++seen; }) == 0u);
  BOOST_TEST(seen == 20u);
}

BOOST_AUTO_TEST_CASE(hscan_returns_every_stable_field_under_growth_and_shrinkage) {
  const ContainerLimits l = limits(0, 64);
  HashValue h(l);
  std::set<std::string> stable;
  for (int i = 0; i < 3000; ++i) {
    std::string f = "stable:" + std::to_string(i);
    h.set(f, "v", l);
    stable.insert(f);
  }
  int step = 0;
  // Grows it tenfold while iterating: segments split under the cursor. The
  // growth stops there: adding 500 fields per 50 scanned for ever would
  // keep a hash-threshold cursor from reaching the end for millions of steps.
  constexpr int kGrowthSteps = 54;  // 27,000 new fields
  auto seen = scan_all(h, 50, [&] {
    if (step >= kGrowthSteps) return;
    for (int i = 0; i < 500; ++i)
      h.set("new:" + std::to_string(step * 500 + i), "v", l);
    ++step;
  });
  for (const std::string& f : stable)
    BOOST_TEST_REQUIRE(seen.count(f) >= 1u);

  // And shrinks it back meanwhile.
  step = 0;
  seen = scan_all(h, 50, [&] {
    if (step >= kGrowthSteps) return;
    for (int i = 0; i < 500; ++i)
      h.erase("new:" + std::to_string(step * 500 + i));
    ++step;
  });
  for (const std::string& f : stable)
    BOOST_TEST_REQUIRE(seen.count(f) >= 1u);

  // Without changes, a full iteration returns each field exactly once.
  seen = scan_all(h, 7, [] {});
  BOOST_TEST(seen.size() == h.size());
  BOOST_TEST(std::set<std::string>(seen.begin(), seen.end()).size() == h.size());
}

BOOST_AUTO_TEST_CASE(random_picks) {
  std::mt19937_64 rng(7);
  for (int64_t entries : {128, 0}) {
    const ContainerLimits l = limits(entries, 64);
    HashValue h(l);
    for (int i = 0; i < 100; ++i)
      h.set("f" + std::to_string(i), "v" + std::to_string(i), l);
    std::set<std::string> seen;
    for (int i = 0; i < 3000; ++i) {
      auto [f, v] = h.random_pair(rng);
      BOOST_TEST(*h.get(f) == v);
      seen.emplace(f);
    }
    BOOST_TEST(seen.size() == 100u);  // every field is reachable
    for (size_t count : {0, 1, 10, 40, 99, 100, 1000}) {
      auto picked = h.random_distinct(count, rng);
      BOOST_TEST(picked.size() == std::min<size_t>(count, 100));
      std::set<std::string_view> distinct;
      for (auto [f, v] : picked) {
        BOOST_TEST(*h.get(f) == v);
        distinct.insert(f);
      }
      BOOST_TEST(distinct.size() == picked.size());
    }
  }
}

BOOST_AUTO_TEST_CASE(clone_is_deep_and_keeps_the_encoding) {
  for (int64_t entries : {128, 2}) {
    const ContainerLimits l = limits(entries, 64);
    HashValue h(l);
    h.set("a", "1", l);
    h.set("b", "2", l);
    h.set("c", "3", l);
    std::unique_ptr<Container> copy = h.clone();
    auto* c = static_cast<HashValue*>(copy.get());
    BOOST_TEST(c->encoding() == h.encoding());
    BOOST_TEST((contents(*c) == contents(h)));
    h.set("a", "changed", l);
    h.erase("b");
    BOOST_TEST(*c->get("a") == "1");
    BOOST_TEST(*c->get("b") == "2");
  }
}

BOOST_AUTO_TEST_SUITE_END()
