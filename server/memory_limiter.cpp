#include "server/memory_limiter.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>

#include "core/log.h"
#include "server/heap_counter.h"
#include "server/server.h"

namespace vireo {
namespace {

int64_t monotonic_us() {
  using namespace std::chrono;
  return duration_cast<microseconds>(steady_clock::now().time_since_epoch()).count();
}

// Redis checks its time budget once per this many evictions.
constexpr uint64_t kEvictionsPerClockRead = 16;
// How soon to look again while an evicted value is freed in the background.
constexpr uint64_t kBackgroundFreePollMs = 1;

}  // namespace

EvictionPolicy eviction_policy(MaxmemoryPolicy policy) {
  switch (policy) {
    case MaxmemoryPolicy::kVolatileLru:
      return EvictionPolicy::kVolatileLru;
    case MaxmemoryPolicy::kVolatileLfu:
      return EvictionPolicy::kVolatileLfu;
    case MaxmemoryPolicy::kVolatileRandom:
      return EvictionPolicy::kVolatileRandom;
    case MaxmemoryPolicy::kVolatileTtl:
      return EvictionPolicy::kVolatileTtl;
    case MaxmemoryPolicy::kAllkeysLru:
      return EvictionPolicy::kAllKeysLru;
    case MaxmemoryPolicy::kAllkeysLfu:
      return EvictionPolicy::kAllKeysLfu;
    case MaxmemoryPolicy::kAllkeysRandom:
      return EvictionPolicy::kAllKeysRandom;
    case MaxmemoryPolicy::kNoeviction:
      break;
  }
  return EvictionPolicy::kNoEviction;
}

MemoryLimiter::MemoryLimiter(Server& server)
    : server_(server),
      effects_(&server.effects()),
      evictor_(&server.keyspace(), &server.effect_sink()) {}

MemoryLimiter::~MemoryLimiter() {
  // The loop closes every handle when it ends; one that never ran still has
  // these open, and they must at least not fire.
  if (handles_ready_ && !uv_is_closing(reinterpret_cast<uv_handle_t*>(&timer_))) {
    uv_timer_stop(&timer_);
    uv_idle_stop(&idle_);
  }
}

void MemoryLimiter::configure(const Settings& s) {
  const bool lowered = s.maxmemory > 0 && (maxmemory_ == 0 || s.maxmemory < maxmemory_);
  maxmemory_ = s.maxmemory;
  policy_ = eviction_policy(s.maxmemory_policy);
  samples_ = s.maxmemory_samples;
  tenacity_ = s.maxmemory_eviction_tenacity;
  if (maxmemory_ == 0) {
    track_exceeded(State::kWithinLimit);  // no limit: nothing is exceeded any more
    return;
  }
  if (counted_bytes() <= maxmemory_) return;
  if (lowered) {
    log_warning(
        "The new maxmemory ({} bytes) is below the memory in use ({} bytes): keys will be "
        "evicted, or commands that need memory refused, as maxmemory-policy says",
        maxmemory_, counted_bytes());
  }
  // Evict now, not at the next command (a new policy may allow it).
  continue_next_iteration();
}

int64_t MemoryLimiter::budget_us() const {
  // Redis's curve: 50 µs per step up to 10 (500 µs, the default), then 15%
  // more per step, to about two minutes at 99; 100 means no limit.
  if (tenacity_ <= 10) return 50LL * tenacity_;
  if (tenacity_ < 100) return static_cast<int64_t>(500.0 * std::pow(1.15, tenacity_ - 10.0));
  return std::numeric_limits<int64_t>::max();
}

MemoryLimiter::State MemoryLimiter::enforce() {
  // Replaying the log, or following a primary (Redis's replica-ignore-maxmemory),
  // keys come and go only as the stream says.
  if (maxmemory_ == 0 || server_.keyspace().deadlines() != Deadlines::kEnforced ||
      counted_bytes() <= maxmemory_) {
    track_exceeded(State::kWithinLimit);
    return State::kWithinLimit;
  }
  State state = State::kOverLimit;
  const int64_t start = monotonic_us();
  const int64_t budget = budget_us();
  for (uint64_t evicted = 0;;) {
    // Memory the background freer is about to give back must not be paid
    // for twice: wait for it before choosing more victims.
    if (evictor_.freeing_in_background()) {
      state = State::kEvicting;
      continue_after_background_free();
      break;
    }
    if (!evictor_.evict_one(policy_, samples_)) {
      // Looking for victims may have reclaimed keys past their deadline.
      if (counted_bytes() <= maxmemory_) state = State::kWithinLimit;
      break;
    }
    ++evicted_keys_;
    if (counted_bytes() <= maxmemory_) {
      state = State::kWithinLimit;
      break;
    }
    if (++evicted % kEvictionsPerClockRead == 0 && monotonic_us() - start > budget) {
      state = State::kEvicting;
      continue_next_iteration();
      break;
    }
  }
  track_exceeded(state);
  return state;
}

void MemoryLimiter::track_exceeded(State state) {
  if (state == State::kWithinLimit) {
    if (exceeded_since_us_ != 0) {
      exceeded_total_us_ += static_cast<uint64_t>(monotonic_us() - exceeded_since_us_);
      exceeded_since_us_ = 0;
    }
  } else if (exceeded_since_us_ == 0) {
    exceeded_since_us_ = monotonic_us();
  }
}

uint64_t MemoryLimiter::current_exceeded_ms() const {
  if (exceeded_since_us_ == 0) return 0;
  return static_cast<uint64_t>(monotonic_us() - exceeded_since_us_) / 1000;
}

uint64_t MemoryLimiter::total_exceeded_ms() const {
  return exceeded_total_us_ / 1000 + current_exceeded_ms();
}

void MemoryLimiter::reset_stats() {
  evicted_keys_ = 0;
  exceeded_total_us_ = 0;
  exceeded_since_us_ = 0;
}

bool MemoryLimiter::handles_usable() {
  if (!handles_ready_) {
    uv_idle_init(server_.loop(), &idle_);
    idle_.data = this;
    uv_timer_init(server_.loop(), &timer_);
    timer_.data = this;
    handles_ready_ = true;
  }
  return !uv_is_closing(reinterpret_cast<uv_handle_t*>(&timer_));
}

void MemoryLimiter::continue_next_iteration() {
  if (handles_usable()) uv_idle_start(&idle_, on_idle);
}

void MemoryLimiter::continue_after_background_free() {
  if (handles_usable() && !uv_is_active(reinterpret_cast<uv_handle_t*>(&timer_))) {
    uv_timer_start(&timer_, on_timer, kBackgroundFreePollMs, 0);
  }
}

void MemoryLimiter::on_idle(uv_idle_t* idle) {
  uv_idle_stop(idle);
  static_cast<MemoryLimiter*>(idle->data)->resume();
}

void MemoryLimiter::on_timer(uv_timer_t* timer) {
  static_cast<MemoryLimiter*>(timer->data)->resume();
}

void MemoryLimiter::resume() {
  // Redis neither evicts nor refuses while clients are paused: the dataset
  // holds still. The first command after the pause takes over.
  if (server_.pause_mode() != PauseMode::kNone) return;
  server_.keyspace().set_now(wall_clock_ms());
  enforce();
}

}  // namespace vireo
