#include "core/types/list_value.h"

#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <deque>
#include <random>
#include <string>
#include <vector>

using vireo::ContainerLimits;
using vireo::ListValue;
using End = ListValue::End;

namespace {

ContainerLimits fill(int list_max_listpack_size) {
  ContainerLimits limits;
  limits.list_max_listpack_size = list_max_listpack_size;
  return limits;
}

std::vector<std::string> forward(const ListValue& list) {
  std::vector<std::string> out;
  for (std::string_view s : list)
    out.emplace_back(s);
  return out;
}

std::vector<std::string> backward(const ListValue& list) {
  std::vector<std::string> out;
  if (list.size() == 0) return out;
  for (auto it = list.cursor_at(list.size() - 1); it != list.end(); --it)
    out.emplace_back(*it);
  return {out.rbegin(), out.rend()};
}

std::vector<std::string> items(const std::deque<std::string>& model) {
  return {model.begin(), model.end()};
}

// Checks every way of reading the list against the model.
void check(const ListValue& list, const std::deque<std::string>& model) {
  BOOST_REQUIRE_EQUAL(list.size(), model.size());
  BOOST_REQUIRE(forward(list) == items(model));
  BOOST_REQUIRE(backward(list) == items(model));
  for (size_t i = 0; i < model.size(); i += 1 + model.size() / 7) {
    BOOST_REQUIRE(list.at(static_cast<int64_t>(i)) == std::optional<std::string_view>(model[i]));
    BOOST_REQUIRE(*list.cursor_at(i) == model[i]);
    auto from_tail = -static_cast<int64_t>(model.size() - i);
    BOOST_REQUIRE(list.at(from_tail) == std::optional<std::string_view>(model[i]));
  }
  BOOST_REQUIRE(!list.at(static_cast<int64_t>(model.size())));
  BOOST_REQUIRE(!list.at(-static_cast<int64_t>(model.size()) - 1));
  // No node is ever empty.
  BOOST_REQUIRE(list.node_count() <= model.size());
  BOOST_REQUIRE(list.node_count() > 0 || model.empty());
}

}  // namespace

BOOST_AUTO_TEST_SUITE(list_value)

BOOST_AUTO_TEST_CASE(push_peek_pop_both_ends) {
  ListValue list(fill(-2));
  BOOST_TEST(list.encoding() == "quicklist");
  list.push_back("b");
  list.push_front("a");
  list.push_back("c");
  BOOST_TEST(list.size() == 3u);
  BOOST_TEST(list.peek(End::kHead) == "a");
  BOOST_TEST(list.peek(End::kTail) == "c");
  list.pop(End::kHead);
  BOOST_TEST(list.peek(End::kHead) == "b");
  list.pop(End::kTail, 5);  // more than there are
  BOOST_TEST(list.size() == 0u);
  BOOST_TEST(forward(list).empty());
}

BOOST_AUTO_TEST_CASE(count_fill_splits_nodes_by_element_count) {
  // With 3 per node, 10 pushes make 4 nodes; the walks must cross them all.
  ListValue list(fill(3));
  std::deque<std::string> model;
  for (int i = 0; i < 10; ++i) {
    list.push_back(std::to_string(i));
    model.push_back(std::to_string(i));
  }
  check(list, model);
  BOOST_TEST(list.node_count() == 4u);
  // Inserting into a full middle node splits it.
  BOOST_TEST(list.insert("4", "x", false));
  model.insert(model.begin() + 4, "x");
  BOOST_TEST(list.insert("4", "y", true));
  model.insert(model.begin() + 6, "y");
  check(list, model);
  BOOST_TEST(list.node_count() == 5u);  // [0 1 2] [3 x] [4 y 5] [6 7 8] [9]
  size_t one_node = ListValue(fill(3)).memory_usage();
  BOOST_TEST(list.memory_usage() > one_node);
}

BOOST_AUTO_TEST_CASE(size_classes_bound_node_bytes) {
  // -1 = 4 KiB nodes, -5 = 64 KiB: the same 100 KiB of data needs more memory
  // blocks in the small class but reads the same.
  ListValue small(fill(-1)), large(fill(-5));
  std::deque<std::string> model;
  for (int i = 0; i < 1000; ++i) {
    std::string value(100, static_cast<char>('a' + i % 26));
    small.push_back(value);
    large.push_front(value);
    model.push_back(value);
  }
  check(small, model);
  std::deque<std::string> reversed(model.rbegin(), model.rend());
  check(large, reversed);
  // A 100-byte element takes 102 bytes: 40 fit in 4 KiB, 642 in 64 KiB.
  BOOST_TEST(small.node_count() == 25u);
  BOOST_TEST(large.node_count() == 2u);
  BOOST_TEST(small.memory_usage() >= 100000u);
  BOOST_TEST(large.memory_usage() >= 100000u);
}

BOOST_AUTO_TEST_CASE(oversized_elements_get_nodes_of_their_own) {
  ListValue list(fill(-1));
  std::deque<std::string> model = {"a", std::string(10000, 'x'), "b", std::string(5000, 'y')};
  for (const auto& s : model)
    list.push_back(s);
  check(list, model);
  BOOST_TEST(list.node_count() == 4u);
  // Into the middle of a full node and next to a huge one.
  BOOST_TEST(list.insert("b", std::string(9000, 'z'), true));
  model.insert(model.begin() + 3, std::string(9000, 'z'));
  BOOST_TEST(list.set(0, std::string(8000, 'w')));
  model[0] = std::string(8000, 'w');
  check(list, model);
}

BOOST_AUTO_TEST_CASE(set_grows_an_element_beyond_its_node) {
  ListValue list(fill(-1));
  std::deque<std::string> model;
  for (int i = 0; i < 60; ++i) {
    model.push_back(std::string(60, static_cast<char>('a' + i % 26)));
    list.push_back(model.back());
  }
  BOOST_TEST(list.set(30, std::string(3000, 'Q')));
  model[30] = std::string(3000, 'Q');
  BOOST_TEST(list.set(-1, "short"));
  model.back() = "short";
  BOOST_TEST(!list.set(60, "x"));
  BOOST_TEST(!list.set(-61, "x"));
  check(list, model);
}

BOOST_AUTO_TEST_CASE(insert_missing_pivot_and_remove_both_ways) {
  ListValue list(fill(2));
  for (std::string_view s : {"a", "b", "a", "c", "a", "b", "a"})
    list.push_back(s);
  BOOST_TEST(!list.insert("zz", "x", true));
  BOOST_TEST(list.remove("a", -2) == 2u);
  BOOST_TEST((forward(list) == std::vector<std::string>{"a", "b", "a", "c", "b"}));
  BOOST_TEST(list.remove("a", 1) == 1u);
  BOOST_TEST((forward(list) == std::vector<std::string>{"b", "a", "c", "b"}));
  BOOST_TEST(list.remove("b", 0) == 2u);
  BOOST_TEST(list.remove("a", INT64_MIN) == 1u);
  BOOST_TEST((forward(list) == std::vector<std::string>{"c"}));
  BOOST_TEST(list.remove("c", 0) == 1u);
  BOOST_TEST(list.size() == 0u);
}

BOOST_AUTO_TEST_CASE(keep_trims_both_ends) {
  ListValue list(fill(3));
  std::deque<std::string> model;
  for (int i = 0; i < 20; ++i) {
    list.push_back(std::to_string(i));
    model.push_back(std::to_string(i));
  }
  list.keep(4, 9);
  model.erase(model.begin(), model.begin() + 4);
  model.resize(9);
  check(list, model);
  list.keep(100, 1);
  BOOST_TEST(list.size() == 0u);
}

BOOST_AUTO_TEST_CASE(clone_is_deep) {
  ListValue list(fill(2));
  for (std::string_view s : {"a", "b", "c", "d", "e"})
    list.push_back(s);
  auto copy = list.clone();
  auto& other = static_cast<ListValue&>(*copy);
  list.set(0, "changed");
  list.pop(End::kTail, 2);
  BOOST_TEST((forward(other) == std::vector<std::string>{"a", "b", "c", "d", "e"}));
  BOOST_TEST((forward(list) == std::vector<std::string>{"changed", "b", "c"}));
  BOOST_TEST(other.memory_usage() > 0u);
}

BOOST_AUTO_TEST_CASE(random_operations_match_a_deque, *boost::unit_test::timeout(120)) {
  std::mt19937 rng(12345);
  for (int fill_value : {-1, -2, 1, 4, 128}) {
    ListValue list(fill(fill_value));
    std::deque<std::string> model;
    auto random_value = [&] {
      // Mostly small, sometimes beyond a 4 KiB node.
      size_t len = rng() % 20 == 0 ? 1000 + rng() % 6000 : rng() % 40;
      return std::string(len, static_cast<char>('a' + rng() % 4));
    };
    for (int step = 0; step < 4000; ++step) {
      int op = static_cast<int>(rng() % 10);
      if (op <= 2 || model.empty()) {
        std::string v = random_value();
        if (rng() % 2) {
          list.push_front(v);
          model.push_front(v);
        } else {
          list.push_back(v);
          model.push_back(v);
        }
      } else if (op == 3) {
        size_t n = rng() % 5;
        if (rng() % 2) {
          list.pop(End::kHead, n);
          model.erase(model.begin(), model.begin() + static_cast<long>(std::min(n, model.size())));
        } else {
          list.pop(End::kTail, n);
          model.resize(model.size() - std::min(n, model.size()));
        }
      } else if (op == 4) {
        size_t i = rng() % model.size();
        std::string v = random_value();
        BOOST_REQUIRE(list.set(static_cast<int64_t>(i), v));
        model[i] = v;
      } else if (op == 5) {
        const std::string pivot = model[rng() % model.size()];
        std::string v = random_value();
        bool after = rng() % 2;
        BOOST_REQUIRE(list.insert(pivot, v, after));
        auto it = std::find(model.begin(), model.end(), pivot);
        model.insert(after ? it + 1 : it, v);
      } else if (op == 6) {
        const std::string value = model[rng() % model.size()];
        int64_t count = static_cast<int64_t>(rng() % 5) - 2;
        size_t removed = 0;
        if (count >= 0) {
          for (auto it = model.begin(); it != model.end();) {
            if (*it == value && (count == 0 || removed < static_cast<size_t>(count))) {
              it = model.erase(it);
              ++removed;
            } else {
              ++it;
            }
          }
        } else {
          for (size_t i = model.size(); i-- > 0 && removed < static_cast<size_t>(-count);) {
            if (model[i] == value) {
              model.erase(model.begin() + static_cast<long>(i));
              ++removed;
            }
          }
        }
        BOOST_REQUIRE_EQUAL(list.remove(value, count), removed);
      } else if (op == 7 && rng() % 20 == 0) {
        size_t first = rng() % (model.size() + 2), n = rng() % (model.size() + 2);
        list.keep(first, n);
        if (first >= model.size()) {
          model.clear();
        } else {
          model.erase(model.begin(), model.begin() + static_cast<long>(first));
          model.resize(std::min(n, model.size()));
        }
      } else {
        size_t i = rng() % model.size();
        BOOST_REQUIRE(list.at(static_cast<int64_t>(i)) ==
                      std::optional<std::string_view>(model[i]));
      }
      if (step % 97 == 0) check(list, model);
    }
    check(list, model);
  }
}

BOOST_AUTO_TEST_SUITE_END()
