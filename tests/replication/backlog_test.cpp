#include "replication/backlog.h"

#include <boost/test/unit_test.hpp>
#include <random>
#include <string>

using namespace vireo;

namespace {

std::string read_all(const ReplicationBacklog& b, uint64_t offset) {
  std::string out;
  b.read_from(offset, [&](std::string_view piece) { out += piece; });
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(replication_backlog)

BOOST_AUTO_TEST_CASE(starts_empty_at_its_offset) {
  ReplicationBacklog b(16, 100);
  BOOST_TEST(b.start_offset() == 100u);
  BOOST_TEST(b.end_offset() == 100u);
  BOOST_TEST(b.covers(100));
  BOOST_TEST(!b.covers(99));
  BOOST_TEST(!b.covers(101));
  BOOST_TEST(read_all(b, 100).empty());
}

BOOST_AUTO_TEST_CASE(keeps_the_newest_bytes_across_the_wrap) {
  ReplicationBacklog b(8, 0);
  b.append("abcde");
  b.append("fghij");  // wraps; "ab" dropped
  BOOST_TEST(b.start_offset() == 2u);
  BOOST_TEST(b.end_offset() == 10u);
  BOOST_TEST(!b.covers(1));
  BOOST_TEST(read_all(b, 2) == "cdefghij");
  BOOST_TEST(read_all(b, 7) == "hij");
  BOOST_TEST(read_all(b, 10).empty());
}

BOOST_AUTO_TEST_CASE(an_append_larger_than_the_ring_keeps_its_tail) {
  ReplicationBacklog b(4, 0);
  b.append("x");
  b.append("0123456789");
  BOOST_TEST(b.end_offset() == 11u);
  BOOST_TEST(b.start_offset() == 7u);
  BOOST_TEST(read_all(b, 7) == "6789");
}

BOOST_AUTO_TEST_CASE(resizing_keeps_what_fits) {
  ReplicationBacklog b(8, 0);
  b.append("abcdefghij");
  b.resize(4);
  BOOST_TEST(read_all(b, b.start_offset()) == "ghij");
  b.resize(16);
  BOOST_TEST(read_all(b, 6) == "ghij");
  b.append("klmnopqrstuv");
  BOOST_TEST(b.start_offset() == 6u);
  BOOST_TEST(read_all(b, 6) == "ghijklmnopqrstuv");
}

BOOST_AUTO_TEST_CASE(matches_a_model_under_random_appends) {
  std::mt19937 rng(7);
  ReplicationBacklog b(97, 1000);
  std::string model;
  for (int i = 0; i < 2000; ++i) {
    std::string piece(rng() % 150, 'a' + static_cast<char>(rng() % 26));
    b.append(piece);
    model += piece;
    const size_t kept = std::min<size_t>(model.size(), 97);
    BOOST_REQUIRE(b.end_offset() == 1000 + model.size());
    BOOST_REQUIRE(b.start_offset() == b.end_offset() - kept);
    const uint64_t from = b.start_offset() + rng() % (kept + 1);
    BOOST_REQUIRE(read_all(b, from) == model.substr(model.size() - (b.end_offset() - from)));
  }
}

BOOST_AUTO_TEST_SUITE_END()
