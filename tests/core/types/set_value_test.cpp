// SetValue: encodings and their one-way conversions at Redis's thresholds, a
// random comparison with std::set, SSCAN's guarantee, sampling and clone.
#include "core/types/set_value.h"

#include <boost/test/unit_test.hpp>

#include <random>
#include <set>
#include <string>
#include <vector>

#include "core/strconv.h"

using vireo::ContainerLimits;
using vireo::SetValue;
using Encoding = SetValue::Encoding;

namespace {

std::set<std::string> members_of(const SetValue& s) {
  std::set<std::string> out;
  size_t visits = 0;
  s.for_each([&](std::string_view m) {
    out.emplace(m);
    ++visits;
  });
  BOOST_TEST(visits == out.size());  // no member visited twice
  return out;
}

ContainerLimits small_limits() {
  ContainerLimits limits;
  limits.set_max_intset_entries = 4;
  limits.set_max_listpack_entries = 3;
  limits.set_max_listpack_value = 5;
  return limits;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(set_value)

BOOST_AUTO_TEST_CASE(integers_stay_an_intset_up_to_the_limit) {
  ContainerLimits limits = small_limits();
  SetValue s(limits);
  BOOST_TEST(s.encoding() == "intset");
  for (std::string m : {"3", "-1", "9223372036854775807", "-9223372036854775808"})
    BOOST_TEST(s.add(m, limits));
  BOOST_TEST(!s.add("3", limits));
  BOOST_TEST(s.encoding() == "intset");
  BOOST_TEST(s.size() == 4u);
  std::vector<std::string> order;
  s.for_each([&](std::string_view m) { order.emplace_back(m); });
  BOOST_TEST((order ==
              std::vector<std::string>{"-9223372036854775808", "-1", "3", "9223372036854775807"}));
  BOOST_TEST(s.add("4", limits));  // the fifth
  BOOST_TEST(s.encoding() == "hashtable");
  BOOST_TEST(s.size() == 5u);
  BOOST_TEST(s.contains("-9223372036854775808"));
}

BOOST_AUTO_TEST_CASE(non_canonical_integers_are_strings) {
  ContainerLimits limits;
  for (std::string m : {"007", "+1", "-0", " 1", "1 ", "9223372036854775808", "1.0", ""}) {
    SetValue s(limits);
    BOOST_TEST(s.add(m, limits));
    BOOST_TEST(s.encoding() == "listpack", m);
    BOOST_TEST(s.contains(m));
  }
  SetValue s(limits);
  s.add("1", limits);
  BOOST_TEST(!s.contains("01"));
  BOOST_TEST(!s.remove("+1"));
  BOOST_TEST(s.remove("1"));
  BOOST_TEST(s.size() == 0u);
}

BOOST_AUTO_TEST_CASE(intset_gaining_a_string_becomes_listpack_when_small) {
  ContainerLimits limits = small_limits();
  SetValue s(limits);
  s.add("1", limits);
  s.add("22", limits);
  BOOST_TEST(s.add("abc", limits));
  BOOST_TEST(s.encoding() == "listpack");
  BOOST_TEST((members_of(s) == std::set<std::string>{"1", "22", "abc"}));
  // A listpack stays one even when only integers remain.
  s.remove("abc");
  s.add("5", limits);
  BOOST_TEST(s.encoding() == "listpack");
}

BOOST_AUTO_TEST_CASE(intset_gaining_a_string_becomes_hashtable_past_listpack_limits) {
  ContainerLimits limits = small_limits();
  {  // as many integers as the listpack may hold: one more would not fit
    SetValue s(limits);
    for (std::string m : {"1", "2", "3"})
      s.add(m, limits);
    s.add("x", limits);
    BOOST_TEST(s.encoding() == "hashtable");
    BOOST_TEST((members_of(s) == std::set<std::string>{"1", "2", "3", "x"}));
  }
  {  // the new member is too long
    SetValue s(limits);
    s.add("1", limits);
    s.add("abcdef", limits);
    BOOST_TEST(s.encoding() == "hashtable");
  }
  {  // an integer is too long as text
    SetValue s(limits);
    s.add("-123456", limits);
    s.add("x", limits);
    BOOST_TEST(s.encoding() == "hashtable");
  }
  {  // exactly at the value limit
    SetValue s(limits);
    s.add("12345", limits);
    s.add("abcde", limits);
    BOOST_TEST(s.encoding() == "listpack");
  }
  {  // no listpacks at all
    limits.set_max_listpack_entries = 0;
    SetValue s(limits);
    s.add("x", limits);
    BOOST_TEST(s.encoding() == "hashtable");
  }
}

BOOST_AUTO_TEST_CASE(listpack_becomes_hashtable_past_its_limits) {
  ContainerLimits limits = small_limits();
  SetValue s(limits);
  for (std::string m : {"a", "b", "c"})
    s.add(m, limits);
  BOOST_TEST(!s.add("a", limits));
  BOOST_TEST(s.encoding() == "listpack");
  BOOST_TEST(s.add("d", limits));
  BOOST_TEST(s.encoding() == "hashtable");
  BOOST_TEST((members_of(s) == std::set<std::string>{"a", "b", "c", "d"}));

  SetValue t(limits);
  t.add("a", limits);
  t.add("abcdef", limits);
  BOOST_TEST(t.encoding() == "hashtable");
  // One way: shrinking does not convert back.
  t.remove("abcdef");
  t.remove("a");
  t.add("1", limits);
  BOOST_TEST(t.encoding() == "hashtable");
}

BOOST_AUTO_TEST_CASE(random_operations_match_std_set) {
  std::mt19937_64 rng(7);
  for (int round = 0; round < 20; ++round) {
    ContainerLimits limits = round % 2 ? small_limits() : ContainerLimits{};
    SetValue s(limits);
    std::set<std::string> model;
    const bool strings = round % 4 >= 2;
    for (int i = 0; i < 3000; ++i) {
      std::string m = std::to_string(static_cast<int64_t>(rng() % 400) - 200);
      if (strings && rng() % 50 == 0) m += "x";
      switch (rng() % 3) {
        case 0:
        case 1:
          BOOST_TEST(s.add(m, limits) == model.insert(m).second);
          break;
        case 2:
          BOOST_TEST(s.remove(m) == (model.erase(m) == 1));
          break;
      }
      BOOST_TEST(s.contains(m) == (model.count(m) == 1));
    }
    BOOST_TEST(s.size() == model.size());
    BOOST_TEST((members_of(s) == model));
  }
}

BOOST_AUTO_TEST_CASE(scan_returns_every_member_present_throughout_while_growing) {
  ContainerLimits limits;
  SetValue s(limits);
  std::set<std::string> original;
  for (int i = 0; i < 2000; ++i) {
    std::string m = "m" + std::to_string(i);
    s.add(m, limits);
    original.insert(m);
  }
  BOOST_TEST(s.encoding() == "hashtable");
  std::set<std::string> seen;
  uint64_t cursor = 0;
  int added = 0;
  int calls = 0;
  do {
    cursor = s.scan(cursor, 10, [&](std::string_view m) { seen.emplace(m); });
    for (int j = 0; j < 50; ++j)
      s.add("new" + std::to_string(added++), limits);
    ++calls;
  } while (cursor != 0 && calls < 100000);
  BOOST_TEST(cursor == 0u);
  for (const std::string& m : original)
    BOOST_TEST(seen.count(m) == 1u, m);
}

BOOST_AUTO_TEST_CASE(compact_encodings_scan_everything_at_once) {
  ContainerLimits limits;
  SetValue s(limits);
  for (std::string m : {"1", "2", "3"})
    s.add(m, limits);
  std::set<std::string> seen;
  BOOST_TEST(s.scan(12345, 1, [&](std::string_view m) { seen.emplace(m); }) == 0u);
  BOOST_TEST(seen.size() == 3u);
}

BOOST_AUTO_TEST_CASE(sampling) {
  std::mt19937_64 rng(1);
  ContainerLimits limits = small_limits();
  for (int n : {3, 4, 10, 1000}) {
    SetValue s(limits);
    for (int i = 0; i < n; ++i)
      // 3: a listpack, 4: an intset, more: a hashtable
      s.add(n == 4 || (n == 3 && i % 2) ? std::to_string(i) : "m" + std::to_string(i), limits);
    BOOST_TEST(s.encoding() == (n == 3 ? "listpack" : n == 4 ? "intset" : "hashtable"));
    std::set<std::string> all = members_of(s);
    for (size_t k : {size_t{1}, size_t{2}, static_cast<size_t>(n) / 2, static_cast<size_t>(n)}) {
      std::set<std::string> got;
      size_t visits = 0;
      s.random_distinct(k, rng, [&](std::string_view m) {
        got.emplace(m);
        ++visits;
      });
      BOOST_TEST(visits == k);
      BOOST_TEST(got.size() == k);
      for (const auto& m : got)
        BOOST_TEST(all.count(m) == 1u);
    }
    size_t visits = 0;
    std::set<std::string> drawn;
    s.random_with_repeats(5 * n, rng, [&](std::string_view m) {
      BOOST_TEST(all.count(std::string(m)) == 1u);
      drawn.emplace(m);
      ++visits;
    });
    BOOST_TEST(visits == 5u * n);
    BOOST_TEST(drawn.size() > 1u);
    char buf[vireo::kInt64Chars];
    BOOST_TEST(all.count(std::string(s.random_member(rng, buf))) == 1u);
  }
}

BOOST_AUTO_TEST_CASE(clone_is_a_deep_copy_in_the_same_encoding) {
  ContainerLimits limits = small_limits();
  std::vector<std::vector<std::string>> cases = {{"1", "2"}, {"a", "1"}, {"a", "b", "c", "d", "e"}};
  for (const auto& members : cases) {
    SetValue s(limits);
    for (const auto& m : members)
      s.add(m, limits);
    auto copy = s.clone();
    auto& c = static_cast<SetValue&>(*copy);
    BOOST_TEST(c.encoding() == s.encoding());
    BOOST_TEST((members_of(c) == members_of(s)));
    c.add("zz", limits);
    s.remove(members[0]);
    BOOST_TEST(!s.contains("zz"));
    BOOST_TEST(c.contains(members[0]));
    BOOST_TEST(c.memory_usage() > 0u);
  }
}

BOOST_AUTO_TEST_SUITE_END()
