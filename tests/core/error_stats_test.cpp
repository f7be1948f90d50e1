#include "core/resp/error_stats.h"

#include <boost/test/unit_test.hpp>
#include <string>
#include <vector>

BOOST_AUTO_TEST_SUITE(error_stats)

BOOST_AUTO_TEST_CASE(counts_by_code_in_byte_order) {
  vireo::ErrorStats stats;
  stats.count("WRONGTYPE Operation against a key holding the wrong kind of value");
  stats.count("ERR syntax error");
  stats.count("ERR unknown command 'x'");
  stats.count("NOAUTH");  // a code alone, without text
  std::vector<std::string> seen;
  stats.for_each([&](std::string_view code, uint64_t n) {
    seen.push_back(std::string(code) + "=" + std::to_string(n));
  });
  BOOST_TEST((seen == std::vector<std::string>{"ERR=2", "NOAUTH=1", "WRONGTYPE=1"}));
  BOOST_TEST(stats.total() == 4u);
  stats.clear();
  BOOST_TEST(stats.total() == 0u);
}

// Clients can invent codes (DEBUG ERROR), so distinct codes are capped; the
// total keeps counting past the cap.
BOOST_AUTO_TEST_CASE(distinct_codes_are_capped) {
  vireo::ErrorStats stats;
  for (size_t i = 0; i < vireo::ErrorStats::kMaxCodes + 50; ++i) {
    stats.count("CODE" + std::to_string(i) + " text");
  }
  size_t codes = 0;
  stats.for_each([&](std::string_view, uint64_t) { ++codes; });
  BOOST_TEST(codes == vireo::ErrorStats::kMaxCodes);
  BOOST_TEST(stats.total() == vireo::ErrorStats::kMaxCodes + 50);
}

BOOST_AUTO_TEST_SUITE_END()
