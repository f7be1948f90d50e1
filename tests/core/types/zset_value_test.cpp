#include "core/types/zset_value.h"

#include <boost/test/unit_test.hpp>
#include <cmath>
#include <iterator>
#include <limits>
#include <random>
#include <set>
#include <string>
#include <utility>
#include <vector>

using vireo::ContainerLimits;
using vireo::ZSetValue;

namespace {

using Pair = std::pair<double, std::string>;
using Model = std::set<Pair>;

std::vector<Pair> contents(const ZSetValue& z, size_t from, size_t to, bool reverse) {
  std::vector<Pair> out;
  z.visit(from, to, reverse, [&](std::string_view m, double s) { out.emplace_back(s, m); });
  return out;
}

std::vector<Pair> model_range(const Model& m, size_t from, size_t to, bool reverse) {
  std::vector<Pair> out(std::next(m.begin(), static_cast<long>(from)),
                        std::next(m.begin(), static_cast<long>(to)));
  if (reverse) return {out.rbegin(), out.rend()};
  return out;
}

// Checks every query against the model.
void check(const ZSetValue& z, const Model& m, std::mt19937_64& rng) {
  BOOST_REQUIRE_EQUAL(z.size(), m.size());
  BOOST_REQUIRE(contents(z, 0, z.size(), false) == model_range(m, 0, m.size(), false));
  size_t rank = 0;
  for (const auto& [score, member] : m) {
    BOOST_REQUIRE(z.score(member) == score);
    BOOST_REQUIRE(z.rank(member) == rank);
    auto [am, as] = z.at_rank(rank);
    BOOST_REQUIRE(am == member);
    BOOST_REQUIRE(as == score);
    ++rank;
  }
  BOOST_REQUIRE(!z.score("absent"));
  if (m.empty()) return;
  size_t a = rng() % (m.size() + 1), b = rng() % (m.size() + 1);
  if (a > b) std::swap(a, b);
  bool reverse = rng() & 1;
  BOOST_REQUIRE(contents(z, a, b, reverse) == model_range(m, a, b, reverse));
  double probe = static_cast<double>(static_cast<int>(rng() % 40)) - 20;
  for (bool or_equal : {false, true}) {
    size_t expected = 0;
    for (const auto& p : m)
      expected += p.first < probe || (or_equal && p.first == probe);
    BOOST_REQUIRE_EQUAL(z.count_below(probe, or_equal), expected);
  }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(zset_value)

BOOST_AUTO_TEST_CASE(packed_until_limits_then_skiplist) {
  ContainerLimits limits;
  limits.zset_max_listpack_entries = 3;
  limits.zset_max_listpack_value = 5;
  ZSetValue z(limits);
  BOOST_TEST(z.encoding() == "listpack");
  BOOST_TEST(z.set("a", 1, limits));
  BOOST_TEST(z.set("b", 2, limits));
  BOOST_TEST(!z.set("b", 3, limits));  // an update is not an add
  BOOST_TEST(z.set("c", 0, limits));
  BOOST_TEST(z.encoding() == "listpack");
  BOOST_TEST(z.set("d", 0, limits));
  BOOST_TEST(z.encoding() == "skiplist");
  BOOST_TEST(z.erase("d"));
  BOOST_TEST(z.erase("c"));
  BOOST_TEST(z.encoding() == "skiplist");  // one way, as Redis

  ZSetValue longer(limits);
  longer.set("123456", 1, limits);
  BOOST_TEST(longer.encoding() == "skiplist");

  ZSetValue sized(limits);
  sized.presize(4, 1, limits);
  BOOST_TEST(sized.encoding() == "skiplist");
}

BOOST_AUTO_TEST_CASE(scores_round_trip_in_packed_form) {
  ContainerLimits limits;
  ZSetValue z(limits);
  const double scores[] = {0.0,
                           -0.0,
                           1,
                           -120,
                           119,
                           120,
                           -121,
                           9007199254740992.0,
                           -9007199254740992.0,
                           9007199254740994.0,
                           1.5,
                           1e300,
                           5e-324,
                           std::numeric_limits<double>::infinity(),
                           -std::numeric_limits<double>::infinity()};
  int i = 0;
  for (double s : scores)
    z.set("m" + std::to_string(i++), s, limits);
  i = 0;
  for (double s : scores) {
    auto got = z.score("m" + std::to_string(i++));
    BOOST_REQUIRE(got);
    BOOST_TEST(*got == s);
    BOOST_TEST(std::signbit(*got) == (std::signbit(s) && s != 0));  // packed -0 reads 0
  }
  // Each head form: short (1 byte), mid (length byte + score code), long (varint length).
  limits.zset_max_listpack_value = 1000;
  const std::string long_member(300, 'x');
  z.set(long_member, 7, limits);
  z.set("short", 15, limits);
  z.set("sixteen", 16, limits);
  BOOST_TEST(z.encoding() == "listpack");
  BOOST_TEST(*z.score(long_member) == 7);
  BOOST_TEST(*z.score("short") == 15);
  BOOST_TEST(*z.score("sixteen") == 16);
  BOOST_TEST(z.at_rank(z.size() - 1).first == "m13");  // inf still sorts last
  ContainerLimits full;
  full.zset_max_listpack_entries = 0;
  ZSetValue big(full);
  big.set("z", -0.0, full);
  BOOST_TEST(std::signbit(*big.score("z")));  // the skiplist keeps -0, as Redis's
}

BOOST_AUTO_TEST_CASE(lex_counts) {
  ContainerLimits limits;
  for (int64_t entries : {128, 0}) {
    limits.zset_max_listpack_entries = entries;
    ZSetValue z(limits);
    for (const char* m : {"a", "b", "c", "d"})
      z.set(m, 0, limits);
    BOOST_TEST(z.count_below_member("b", false) == 1u);
    BOOST_TEST(z.count_below_member("b", true) == 2u);
    BOOST_TEST(z.count_below_member("bb", false) == 2u);
    BOOST_TEST(z.count_below_member("z", true) == 4u);
  }
}

BOOST_AUTO_TEST_CASE(random_operations_match_a_model) {
  std::mt19937_64 rng(42);
  for (int64_t entries : {8, 128, 0}) {
    ContainerLimits limits;
    limits.zset_max_listpack_entries = entries;
    ZSetValue z(limits);
    Model m;
    for (int step = 0; step < 3000; ++step) {
      std::string member = "m" + std::to_string(rng() % 60);
      double score = static_cast<double>(static_cast<int>(rng() % 30)) - 15;
      if (rng() % 7 == 0) score += 0.25;
      int op = static_cast<int>(rng() % 10);
      auto old = z.score(member);
      if (op < 6) {
        bool added = z.set(member, score, limits);
        BOOST_REQUIRE_EQUAL(added, !old.has_value());
        if (old) m.erase({*old, member});
        m.insert({score, member});
      } else if (op < 8) {
        BOOST_REQUIRE_EQUAL(z.erase(member), old.has_value());
        if (old) m.erase({*old, member});
      } else if (!m.empty()) {
        size_t a = rng() % m.size(), b = a + rng() % 3;
        if (b > m.size()) b = m.size();
        z.erase_ranks(a, b);
        m.erase(std::next(m.begin(), static_cast<long>(a)),
                std::next(m.begin(), static_cast<long>(b)));
      }
      if (step % 50 == 0) check(z, m, rng);
    }
    check(z, m, rng);
    auto copy = z.clone();
    auto& c = static_cast<ZSetValue&>(*copy);
    BOOST_TEST(c.encoding() == z.encoding());
    check(c, m, rng);
    z.set("m_new", 1000, limits);
    BOOST_TEST(c.size() == m.size());  // independent
    BOOST_TEST(z.memory_usage() > 0u);
  }
}

BOOST_AUTO_TEST_CASE(scan_covers_every_member) {
  ContainerLimits limits;
  limits.zset_max_listpack_entries = 0;
  ZSetValue z(limits);
  for (int i = 0; i < 2000; ++i)
    z.set("m" + std::to_string(i), i, limits);
  std::set<std::string> seen;
  uint64_t cursor = 0;
  do {
    cursor = z.scan(cursor, 10, [&](std::string_view m, double) { seen.emplace(m); });
  } while (cursor != 0);
  BOOST_TEST(seen.size() == 2000u);
}

BOOST_AUTO_TEST_CASE(upsert_decides_from_the_current_score_in_both_encodings) {
  for (int64_t entries : {128, 0}) {
    ContainerLimits limits;
    limits.zset_max_listpack_entries = entries;
    ZSetValue z(limits);
    int calls = 0;
    std::optional<double> seen = 42;
    auto keep_and_record = [&](std::optional<double> cur) -> std::optional<double> {
      ++calls;
      seen = cur;
      return std::nullopt;
    };
    // Absent, and declined: nothing is added.
    BOOST_TEST(!z.upsert("a", keep_and_record, limits));
    BOOST_TEST(calls == 1);
    BOOST_TEST(!seen.has_value());
    BOOST_TEST(z.size() == 0u);
    // Absent, and accepted: added.
    BOOST_TEST(z.upsert(
        "a", [](std::optional<double>) { return std::optional(2.0); }, limits));
    z.set("b", 3, limits);
    // Present: the current score is passed; declining keeps it.
    BOOST_TEST(!z.upsert("a", keep_and_record, limits));
    BOOST_TEST(calls == 2);
    BOOST_TEST((seen == std::optional(2.0)));
    BOOST_TEST(*z.score("a") == 2.0);
    // Present, moved past "b": the order follows the new score.
    BOOST_TEST(!z.upsert(
        "a", [](std::optional<double> cur) { return std::optional(*cur + 5); }, limits));
    BOOST_TEST(*z.score("a") == 7.0);
    BOOST_TEST(*z.rank("a") == 1u);
    BOOST_TEST(*z.rank("b") == 0u);
  }
}

BOOST_AUTO_TEST_SUITE_END()
