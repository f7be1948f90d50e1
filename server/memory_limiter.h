#pragma once

#include <uv.h>

#include <cstdint>
#include <string_view>

#include "core/effects.h"
#include "core/eviction.h"
#include "persistence/wal_writer.h"
#include "server/config.h"
#include "server/heap_counter.h"

namespace vireo {

class Server;

// Redis's refusal of a command that may grow memory past maxmemory.
inline constexpr std::string_view kOomError =
    "OOM command not allowed when used memory > 'maxmemory'.";

// The eviction policy a maxmemory-policy setting names.
EvictionPolicy eviction_policy(MaxmemoryPolicy policy);

// Enforces maxmemory, as Redis 7 does before every command: while the
// counted memory is over the limit, evicts keys by the policy, for at most a
// time budget per call (maxmemory-eviction-tenacity), and says whether the
// command may grow memory. Eviction the budget cut short goes on from the
// loop, one budget per iteration (as Redis's eviction timer does), so memory
// comes down even when no command arrives while clients are still served.
//
// Counted memory is the heap (heap_allocated_bytes) less the buffer of
// effects waiting for the log, which evictions themselves fill with DELs,
// and the log's own buffers (Redis likewise leaves its AOF buffer out).
class MemoryLimiter {
 public:
  enum class State {
    kWithinLimit,  // no limit, or memory at or under it
    // Still over the limit, but eviction is under way: its time budget ran
    // out, or a large evicted value is being freed in the background. As in
    // Redis, commands are not refused meanwhile.
    kEvicting,
    kOverLimit,  // over the limit with nothing (more) to evict
  };

  // Evicts from `server`'s keyspace and sends the effects to its effect
  // sink; the server's keyspace and effect sink must already exist.
  explicit MemoryLimiter(Server& server);
  ~MemoryLimiter();
  MemoryLimiter(const MemoryLimiter&) = delete;
  MemoryLimiter& operator=(const MemoryLimiter&) = delete;

  // Takes the maxmemory settings, and starts evicting at once (from the
  // loop) if memory is over the limit they set.
  void configure(const Settings& settings);

  // Whether there is nothing to do: no limit, or memory under it and no
  // stretch over it to close. Inline: the check before every command.
  bool within_limit() const {
    return maxmemory_ == 0 || (exceeded_since_us_ == 0 && counted_bytes() <= maxmemory_);
  }
  // Evicts as needed (see State). The keyspace clock must be current.
  State enforce();

  // Memory that counts against maxmemory, and the memory left out.
  uint64_t counted_bytes() const {
    const int64_t heap = heap_allocated_bytes();
    const auto left_out = static_cast<int64_t>(not_counted_bytes());
    return heap > left_out ? static_cast<uint64_t>(heap - left_out) : 0;
  }
  uint64_t not_counted_bytes() const {
    return effects_->buffer_capacity() + (log_ ? log_->buffered_bytes() : 0);
  }
  // Leaves the log's in-memory bytes out too, once it runs.
  void leave_out(const WalWriter* log) { log_ = log; }

  // INFO stats: evicted_keys, total_eviction_exceeded_time and
  // current_eviction_exceeded_time (milliseconds over the limit, in total
  // and in the current stretch; the total includes the current one).
  uint64_t evicted_keys() const { return evicted_keys_; }
  uint64_t total_exceeded_ms() const;
  uint64_t current_exceeded_ms() const;
  // CONFIG RESETSTAT.
  void reset_stats();

 private:
  static void on_idle(uv_idle_t* idle);
  static void on_timer(uv_timer_t* timer);
  // Runs enforce() again in the loop's next iteration, or once the
  // background freer had a moment.
  void continue_next_iteration();
  void continue_after_background_free();
  // Initialises the handles on first use; false once the loop is closing.
  bool handles_usable();
  // The loop callbacks' common part.
  void resume();
  // Notes whether this call left memory over the limit.
  void track_exceeded(State state);
  // The wall time one call may spend evicting.
  int64_t budget_us() const;

  Server& server_;
  const RespEffectEncoder* effects_;
  const WalWriter* log_ = nullptr;
  Evictor evictor_;
  uv_idle_t idle_;    // an idle handle runs once per loop iteration
  uv_timer_t timer_;  // a 0 ms timer re-armed from its own callback would not:
                      // libuv runs it again before polling, starving clients
  bool handles_ready_ = false;

  uint64_t maxmemory_ = 0;
  EvictionPolicy policy_ = EvictionPolicy::kNoEviction;
  int samples_ = 5;
  int tenacity_ = 10;

  uint64_t evicted_keys_ = 0;
  uint64_t exceeded_total_us_ = 0;  // finished stretches over the limit
  int64_t exceeded_since_us_ = 0;   // start of the current stretch; 0: none
};

}  // namespace vireo
