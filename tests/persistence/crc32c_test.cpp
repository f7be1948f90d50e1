#include "persistence/crc32c.h"

#include <boost/test/unit_test.hpp>

#include <random>
#include <string>

using vireo::crc32c;
using vireo::crc32c_portable;

BOOST_AUTO_TEST_SUITE(crc32c_suite)

// Published check values of CRC-32C (RFC 3720 appendix B.4 and the usual "123456789").
BOOST_AUTO_TEST_CASE(known_vectors) {
  BOOST_TEST(crc32c(0, "123456789", 9) == 0xE3069283u);
  std::string zeros(32, '\0'), ones(32, '\xff');
  BOOST_TEST(crc32c(0, zeros.data(), zeros.size()) == 0x8A9136AAu);
  BOOST_TEST(crc32c(0, ones.data(), ones.size()) == 0x62A8AB43u);
  std::string ascending;
  for (int i = 0; i < 32; ++i)
    ascending.push_back(static_cast<char>(i));
  BOOST_TEST(crc32c(0, ascending.data(), ascending.size()) == 0x46DD794Eu);
  BOOST_TEST(crc32c(0, "", 0) == 0u);
}

BOOST_AUTO_TEST_CASE(hardware_and_table_agree_and_chain) {
  std::mt19937 rng(7);
  std::string data(4099, '\0');
  for (char& c : data)
    c = static_cast<char>(rng());
  for (size_t n : {0u, 1u, 7u, 8u, 9u, 63u, 4099u}) {
    BOOST_TEST(crc32c(0, data.data(), n) == crc32c_portable(0, data.data(), n));
    for (size_t split : {size_t{0}, n / 3, n}) {
      uint32_t chained = crc32c(crc32c(0, data.data(), split), data.data() + split, n - split);
      BOOST_TEST(chained == crc32c(0, data.data(), n));
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
