#pragma once

#include <array>
#include <cstdint>

namespace vireo {

// The recent rate of a growing counter (INFO's instantaneous_* fields): the
// server tick feeds it the counter's total, and it averages the per-second
// rates of the last kSamples intervals, as Redis does.
class RateSampler {
 public:
  static constexpr size_t kSamples = 16;

  void sample(int64_t now_ms, uint64_t total) {
    if (last_ms_ != 0 && now_ms > last_ms_) {
      rates_[next_] = static_cast<double>(total - last_total_) * 1000.0 /
                      static_cast<double>(now_ms - last_ms_);
      next_ = (next_ + 1) % kSamples;
    }
    last_ms_ = now_ms;
    last_total_ = total;
  }

  double per_second() const {
    double sum = 0;
    for (double r : rates_)
      sum += r;
    return sum / kSamples;
  }

  // Forgets the history (CONFIG RESETSTAT); the next sample starts afresh.
  void reset() { *this = RateSampler(); }

 private:
  std::array<double, kSamples> rates_{};
  size_t next_ = 0;
  int64_t last_ms_ = 0;
  uint64_t last_total_ = 0;
};

// The rates INFO reports, sampled together on the server tick.
struct ServerRates {
  RateSampler commands;
  RateSampler net_input_bytes;
  RateSampler net_output_bytes;
};

}  // namespace vireo
