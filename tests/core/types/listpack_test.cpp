#include "core/types/listpack.h"

#include <boost/test/unit_test.hpp>
#include <random>
#include <string>
#include <vector>

using vireo::Listpack;

namespace {

std::vector<std::string> forward(const Listpack& lp) {
  std::vector<std::string> out;
  for (std::string_view s : lp)
    out.emplace_back(s);
  return out;
}

std::vector<std::string> backward(const Listpack& lp) {
  std::vector<std::string> out;
  if (lp.empty()) return out;
  for (Listpack::Pos p = lp.last_pos();; p = lp.prev(p)) {
    out.emplace_back(lp.at(p));
    if (p == lp.first_pos()) break;
  }
  return {out.rbegin(), out.rend()};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(listpack)

BOOST_AUTO_TEST_CASE(push_walk_both_ways_and_seek) {
  Listpack lp;
  BOOST_TEST(lp.empty());
  BOOST_TEST(lp.seek(0) == lp.end_pos());
  lp.push_back("b");
  lp.push_front("a");
  lp.push_back("");
  lp.push_back(std::string(300, 'x'));  // a two-byte length and back-length
  std::vector<std::string> expected{"a", "b", "", std::string(300, 'x')};
  BOOST_TEST(forward(lp) == expected);
  BOOST_TEST(backward(lp) == expected);
  BOOST_TEST(lp.size() == 4u);
  BOOST_TEST(lp.at(lp.seek(1)) == "b");
  BOOST_TEST(lp.at(lp.seek(-1)) == std::string(300, 'x'));
  BOOST_TEST(lp.at(lp.seek(-4)) == "a");
  BOOST_TEST(lp.seek(4) == lp.end_pos());
  BOOST_TEST(lp.seek(-5) == lp.end_pos());
}

BOOST_AUTO_TEST_CASE(find_with_stride_skips_values) {
  Listpack lp;
  for (const char* s : {"f1", "v", "f2", "f1", "f3", "v3"})
    lp.push_back(s);
  // As a hash (field, value pairs), "f1" is only a field at index 0, and
  // "v" never is.
  BOOST_TEST(lp.find("f1", lp.first_pos(), 2) == lp.first_pos());
  BOOST_TEST(lp.find("v", lp.first_pos(), 2) == lp.end_pos());
  BOOST_TEST(lp.at(lp.find("f3", lp.first_pos(), 2)) == "f3");
  BOOST_TEST(lp.find("f1", lp.next(lp.first_pos())) == lp.seek(3));
}

BOOST_AUTO_TEST_CASE(replace_erase_and_copy) {
  Listpack lp;
  for (const char* s : {"a", "b", "c", "d"})
    lp.push_back(s);
  lp.replace(lp.seek(1), std::string(200, 'B'));
  lp.replace(lp.seek(2), "");
  BOOST_TEST(forward(lp) == (std::vector<std::string>{"a", std::string(200, 'B'), "", "d"}));
  Listpack copy(lp);
  Listpack::Pos p = lp.erase(lp.seek(1), 2);
  BOOST_TEST(lp.at(p) == "d");
  BOOST_TEST(forward(lp) == (std::vector<std::string>{"a", "d"}));
  BOOST_TEST(backward(lp) == (std::vector<std::string>{"a", "d"}));
  BOOST_TEST(copy.size() == 4u);  // deep copy
  lp.erase(lp.first_pos(), 10);   // more than there are
  BOOST_TEST(lp.empty());
  BOOST_TEST(lp.data_bytes() == 0u);
  Listpack moved(std::move(copy));
  BOOST_TEST(moved.size() == 4u);
}

// Random operations against a vector model, with element sizes around the
// one- and two-byte length boundaries.
BOOST_AUTO_TEST_CASE(matches_a_vector_under_random_edits) {
  std::mt19937 rng(7);
  Listpack lp;
  std::vector<std::string> model;
  for (int step = 0; step < 5000; ++step) {
    int op = static_cast<int>(rng() % 4);
    size_t len = std::vector<size_t>{0, 1, 125, 126, 127, 128, 129, 16383, 16384}[rng() % 9];
    std::string value(len, static_cast<char>('a' + rng() % 26));
    size_t index = model.empty() ? 0 : rng() % (model.size() + 1);
    if (op <= 1 || model.empty()) {
      lp.insert(index == model.size() ? lp.end_pos() : lp.seek(static_cast<int64_t>(index)), value);
      model.insert(model.begin() + static_cast<ptrdiff_t>(index), value);
    } else if (op == 2) {
      index %= model.size();
      lp.replace(lp.seek(static_cast<int64_t>(index)), value);
      model[index] = value;
    } else {
      index %= model.size();
      size_t n = 1 + rng() % 3;
      lp.erase(lp.seek(static_cast<int64_t>(index)), n);
      model.erase(model.begin() + static_cast<ptrdiff_t>(index),
                  model.begin() + static_cast<ptrdiff_t>(std::min(model.size(), index + n)));
    }
    BOOST_REQUIRE(lp.size() == model.size());
  }
  BOOST_TEST(forward(lp) == model);
  BOOST_TEST(backward(lp) == model);
}

BOOST_AUTO_TEST_SUITE_END()
