#include "core/types/int_set.h"

#include <boost/test/unit_test.hpp>
#include <cstdint>
#include <random>
#include <set>
#include <vector>

using namespace vireo;

namespace {

std::vector<int64_t> contents(const IntSet& s) {
  std::vector<int64_t> out;
  for (size_t i = 0; i < s.size(); ++i)
    out.push_back(s.at(i));
  return out;
}

std::vector<int64_t> contents(const std::set<int64_t>& m) {
  return {m.begin(), m.end()};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(int_set)

BOOST_AUTO_TEST_CASE(widens_for_a_member_beyond_either_end_and_keeps_order) {
  IntSet s;
  BOOST_TEST(s.insert(5));
  BOOST_TEST(s.insert(-3));
  BOOST_TEST(!s.insert(5));
  IntSet narrow;
  for (int i = 0; i < 100; ++i)
    narrow.insert(i);
  // 2 bytes a member: 8 + 200 bytes, where 8-byte members would take 808.
  BOOST_TEST(narrow.memory_usage() < 8u + 100 * 4);
  BOOST_TEST(s.insert(int64_t{1} << 40));  // past int32: last
  BOOST_TEST(s.insert(INT64_MIN));         // first
  BOOST_TEST(s.insert(70000));             // fits the current width
  BOOST_TEST((contents(s) == std::vector<int64_t>{INT64_MIN, -3, 5, 70000, int64_t{1} << 40}));
  BOOST_TEST(s.contains(70000));
  BOOST_TEST(!s.contains(70001));
  BOOST_TEST(s.erase(INT64_MIN));
  BOOST_TEST(!s.erase(INT64_MIN));
  BOOST_TEST(s.front() == -3);
  BOOST_TEST(s.back() == int64_t{1} << 40);
}

BOOST_AUTO_TEST_CASE(a_narrow_set_never_holds_a_wide_value) {
  IntSet s;
  s.insert(1);
  // 65537 truncated to 2 bytes is 1: the width check must come first.
  BOOST_TEST(!s.contains(65537));
  BOOST_TEST(!s.erase(65537));
  BOOST_TEST(s.size() == 1u);
}

BOOST_AUTO_TEST_CASE(random_operations_match_a_model) {
  std::mt19937_64 rng(7);
  const int64_t ranges[] = {100, 40000, int64_t{1} << 35, INT64_MAX};
  for (int64_t range : ranges) {
    IntSet s;
    std::set<int64_t> m;
    for (int step = 0; step < 4000; ++step) {
      int64_t v = static_cast<int64_t>(rng() % static_cast<uint64_t>(range));
      if (rng() % 2) v = -v;
      if (rng() % 3) {
        BOOST_REQUIRE_EQUAL(s.insert(v), m.insert(v).second);
      } else {
        BOOST_REQUIRE_EQUAL(s.erase(v), m.erase(v) == 1);
      }
      BOOST_REQUIRE_EQUAL(s.contains(v), m.count(v) == 1);
      if (step % 100 == 0) BOOST_REQUIRE(contents(s) == contents(m));
    }
    BOOST_REQUIRE(contents(s) == contents(m));
    IntSet copy(s);
    IntSet moved(std::move(s));
    BOOST_TEST(s.empty());  // NOLINT(bugprone-use-after-move): moved-from is empty
    BOOST_TEST((contents(copy) == contents(m)));
    BOOST_TEST((contents(moved) == contents(m)));
  }
}

BOOST_AUTO_TEST_CASE(emptied_it_frees_its_block) {
  IntSet s;
  s.insert(1);
  s.insert(2);
  s.erase(1);
  s.erase(2);
  BOOST_TEST(s.empty());
  BOOST_TEST(s.memory_usage() == 0u);
}

BOOST_AUTO_TEST_SUITE_END()
