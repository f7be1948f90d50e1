#include <boost/test/unit_test.hpp>

#include "server/rate_sampler.h"

using vireo::RateSampler;

BOOST_AUTO_TEST_SUITE(rate_sampler)

BOOST_AUTO_TEST_CASE(averages_the_last_samples) {
  RateSampler r;
  BOOST_TEST(r.per_second() == 0.0);
  r.sample(1000, 0);  // the first sample only sets the baseline
  BOOST_TEST(r.per_second() == 0.0);
  // 100 events per 100 ms = 1000/s, for every slot of the window.
  for (size_t i = 1; i <= RateSampler::kSamples; ++i)
    r.sample(1000 + 100 * i, 100 * i);
  BOOST_TEST(r.per_second() == 1000.0);
  // Idle intervals push the old rates out.
  int64_t t = 1000 + 100 * RateSampler::kSamples;
  uint64_t total = 100 * RateSampler::kSamples;
  for (size_t i = 1; i <= RateSampler::kSamples / 2; ++i)
    r.sample(t + 100 * i, total);
  BOOST_TEST(r.per_second() == 500.0);
}

BOOST_AUTO_TEST_CASE(uses_the_real_interval_and_survives_a_reset) {
  RateSampler r;
  r.sample(1, 0);
  r.sample(501, 800);  // 800 in half a second: 1600/s in one slot of 16
  BOOST_TEST(r.per_second() == 100.0);
  r.sample(501, 900);  // no time passed: ignored, not a division by zero
  BOOST_TEST(r.per_second() == 100.0);
  r.reset();
  BOOST_TEST(r.per_second() == 0.0);
  r.sample(1000, 5);  // totals restart from zero after a stats reset
  r.sample(1100, 15);
  BOOST_TEST(r.per_second() == 100.0 / RateSampler::kSamples);
}

BOOST_AUTO_TEST_SUITE_END()
