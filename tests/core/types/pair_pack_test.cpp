// PairPack: the small hash's block of (key, value) pairs.
#include "core/types/pair_pack.h"

#include <boost/test/unit_test.hpp>

#include <map>
#include <random>
#include <string>

using vireo::PairPack;

namespace {

std::map<std::string, std::string> contents(const PairPack& pack) {
  std::map<std::string, std::string> out;
  for (PairPack::Pos p = pack.begin_pos(); p != pack.end_pos(); p = pack.next(p))
    out.emplace(pack.key_at(p), pack.value_at(p));
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(pair_pack)

BOOST_AUTO_TEST_CASE(append_find_set_erase) {
  PairPack pack;
  BOOST_TEST(pack.empty());
  BOOST_TEST(pack.memory_usage() == 0u);
  BOOST_TEST(pack.find("a") == pack.end_pos());
  pack.append("a", "1");
  pack.append("", "empty key");
  pack.append(std::string(200, 'k'), std::string(300, 'v'));  // two-byte lengths
  BOOST_TEST(pack.size() == 3u);
  BOOST_TEST(pack.value_at(pack.find("")) == "empty key");
  BOOST_TEST(pack.value_at(pack.find(std::string(200, 'k'))) == std::string(300, 'v'));
  // A value equal to a key is not found as one.
  BOOST_TEST(pack.find("1") == pack.end_pos());
  // Grow and shrink a value in the middle.
  pack.set_value(pack.find(""), std::string(1000, 'x'));
  BOOST_TEST(pack.value_at(pack.find("")) == std::string(1000, 'x'));
  pack.set_value(pack.find(""), "");
  BOOST_TEST(pack.value_at(pack.find("")) == "");
  BOOST_TEST(pack.value_at(pack.find("a")) == "1");
  BOOST_TEST(pack.value_at(pack.find(std::string(200, 'k'))) == std::string(300, 'v'));
  pack.erase(pack.find("a"));
  BOOST_TEST(pack.size() == 2u);
  BOOST_TEST(pack.find("a") == pack.end_pos());
  PairPack copy(pack);
  pack.erase(pack.find(""));
  pack.erase(pack.begin_pos());
  BOOST_TEST(pack.empty());
  BOOST_TEST(pack.memory_usage() == 0u);
  BOOST_TEST(copy.size() == 2u);
  BOOST_TEST(copy.value_at(copy.find("")) == "");
}

BOOST_AUTO_TEST_CASE(sized_to_fit) {
  PairPack pack;
  for (int i = 0; i < 10; ++i)
    pack.append("field" + std::to_string(i), "value" + std::to_string(i));
  // 8 header bytes and 20 strings of 6 bytes with one length byte each.
  BOOST_TEST(pack.end_pos() == 140u);
  BOOST_TEST(pack.memory_usage() < 148u + 32u);
  for (int i = 0; i < 9; ++i)
    pack.erase(pack.begin_pos());
  BOOST_TEST(pack.memory_usage() < 8u + 14u + 32u);
}

BOOST_AUTO_TEST_CASE(random_operations_match_a_model) {
  std::mt19937_64 rng(3);
  PairPack pack;
  std::map<std::string, std::string> model;
  for (int op = 0; op < 5000; ++op) {
    std::string key = "k" + std::to_string(rng() % 60);
    PairPack::Pos p = pack.find(key);
    BOOST_TEST_REQUIRE((p != pack.end_pos()) == model.contains(key));
    if (rng() % 3 == 0) {
      if (p != pack.end_pos()) pack.erase(p);
      model.erase(key);
    } else {
      std::string value(rng() % 200, static_cast<char>('a' + rng() % 26));
      if (p == pack.end_pos()) {
        pack.append(key, value);
      } else {
        pack.set_value(p, value);
      }
      model[key] = value;
    }
    BOOST_TEST_REQUIRE(pack.size() == model.size());
  }
  BOOST_TEST((contents(pack) == model));
}

BOOST_AUTO_TEST_SUITE_END()
