#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/effects.h"
#include "core/keyspace.h"

namespace vireo {

// maxmemory-policy: which keys eviction may remove (all, or only those with a
// deadline) and which of them it removes first.
enum class EvictionPolicy : uint8_t {
  kNoEviction,
  kAllKeysLru,
  kAllKeysLfu,
  kAllKeysRandom,
  kVolatileLru,
  kVolatileLfu,
  kVolatileRandom,
  kVolatileTtl,
};

// A key eviction chose: its database and name. The name stays valid until
// the next choice.
struct EvictionChoice {
  int db;
  std::string_view key;
};

// Chooses the keys maxmemory eviction removes, approximating Redis 7:
//
// - LRU and LFU policies sample `samples` random keys of every database
//   (only keys with a deadline for volatile-*) and keep the best candidates
//   seen so far in a small pool, ranked by idle time (LRU) or by how rarely
//   the key is used (LFU, the decayed logarithmic counter). The best pooled
//   key that still exists goes first. The pool outlives each choice, so
//   successive evictions draw on more samples than one round takes.
// - Random policies take a random key, visiting databases in turn.
// - volatile-ttl takes the key whose deadline comes first. Redis samples here
//   too; the expiry index knows the earliest deadline of each database, so
//   this choice is exact, and costs less than sampling.
//
// Keys found past their deadline on the way are reclaimed as expired (the
// keyspace listener hears of them), never chosen.
class EvictionSampler {
 public:
  // Candidates the LRU/LFU pool keeps (Redis: 16).
  static constexpr size_t kPoolSize = 16;

  explicit EvictionSampler(Keyspace* keyspace) : keyspace_(keyspace) {}

  // The key `policy` evicts next, or nullopt when none qualifies (no keys,
  // no keys with a deadline for volatile-*, or noeviction). `samples` is
  // maxmemory-samples (at least 1).
  std::optional<EvictionChoice> choose(EvictionPolicy policy, int samples);

 private:
  struct Candidate {
    uint64_t score = 0;  // higher: evicted sooner
    int db = 0;
    std::string key;
  };

  std::optional<EvictionChoice> choose_from_pool(EvictionPolicy policy, int samples);
  std::optional<EvictionChoice> choose_random(bool volatile_only);
  std::optional<EvictionChoice> choose_earliest_deadline();
  // Samples every database into the pool; false when no database had a key
  // the policy may take.
  bool fill_pool(EvictionPolicy policy, int samples);
  void offer(uint64_t score, int db, std::string_view key);
  EvictionChoice chosen(int db, std::string_view key);

  Keyspace* keyspace_;
  std::vector<Candidate> pool_;                // ascending score: the best candidate last
  std::vector<Candidate> spare_;               // dropped candidates, kept for their key buffers
  std::optional<EvictionPolicy> pool_policy_;  // what the pool's scores measure
  int next_random_db_ = 0;
  std::string chosen_key_;
};

// Removes keys for maxmemory as Redis does: each evicted key is deleted (a
// large value freed off the loop thread, as DEL frees it), propagated as a
// `DEL` effect (which also invalidates WATCHes, through the server's sink)
// and announced as an `evicted` keyspace notification (class e).
class Evictor {
 public:
  Evictor(Keyspace* keyspace, EffectSink* sink)
      : keyspace_(keyspace), sink_(sink), sampler_(keyspace) {}

  // Evicts the key `policy` chooses; false when no key qualifies.
  bool evict_one(EvictionPolicy policy, int samples);
  // Whether a value this evictor handed to the background freer is still
  // being freed: memory the heap will get back without further evictions.
  bool freeing_in_background() const;

 private:
  Keyspace* keyspace_;
  EffectSink* sink_;
  EvictionSampler sampler_;
  uint64_t last_lazy_ticket_ = 0;
};

}  // namespace vireo
