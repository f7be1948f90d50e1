#pragma once

#include <cstdint>
#include <memory>
#include <random>
#include <vector>

#include "core/database.h"

namespace vireo {

// All numbered databases, the command clock they share, and active expiry.
class Keyspace {
 public:
  explicit Keyspace(int databases);

  int count() const { return static_cast<int>(dbs_.size()); }
  Database& db(int index) { return *dbs_[index]; }
  const Database& db(int index) const { return *dbs_[index]; }

  // The clock every lookup compares deadlines with; the server sets it once
  // per command so that a command sees one consistent instant.
  void set_now(int64_t now_ms) { env_.now_ms = now_ms; }
  int64_t now() const { return env_.now_ms; }
  void set_listener(KeyspaceListener* listener) { env_.listener = listener; }
  KeyspaceListener* listener() const { return env_.listener; }
  // What a key past its deadline is (see Deadlines).
  void set_deadlines(Deadlines deadlines) { env_.deadlines = deadlines; }
  Deadlines deadlines() const { return env_.deadlines; }
  // See KeyspaceEnv::lfu (set from maxmemory-policy).
  void set_lfu(bool lfu) { env_.lfu = lfu; }
  bool lfu() const { return env_.lfu; }
  // See KeyspaceEnv::shared_integers.
  void set_shared_integers(bool shared) { env_.shared_integers = shared; }
  bool shared_integers() const { return env_.shared_integers; }

  // Keyspace notifications (notify-keyspace-events), for every database.
  KeyspaceEvents& events() { return env_.events; }
  const KeyspaceEvents& events() const { return env_.events; }

  // Exchanges the contents of two databases (SWAPDB).
  void swap(int a, int b) {
    dbs_[a]->swap_contents(*dbs_[b]);
    if (env_.listener) env_.listener->on_swapped(a, b);
  }

  // Removes due keys across all databases, round robin, stopping after
  // `max_keys`. Returns how many were removed. Does nothing unless deadlines
  // are enforced.
  size_t expire_cycle(size_t max_keys);

  // Total keys in all databases.
  size_t total_keys() const;

  // Read lookups that found their key, and that did not (INFO stats); see
  // Database::find_for_read.
  uint64_t hits() const { return env_.hits; }
  uint64_t misses() const { return env_.misses; }
  void reset_lookup_stats() { env_.hits = env_.misses = 0; }

  std::mt19937_64& rng() { return rng_; }

 private:
  KeyspaceEnv env_;
  std::vector<std::unique_ptr<Database>> dbs_;
  int next_expire_db_ = 0;
  std::mt19937_64 rng_{std::random_device{}()};
};

// Treats deadlines as `deadlines` for its lifetime, then as before (replaying
// effects within a replica's or a recovering server's life).
class DeadlinesScope {
 public:
  DeadlinesScope(Keyspace& keyspace, Deadlines deadlines)
      : keyspace_(keyspace), before_(keyspace.deadlines()) {
    keyspace.set_deadlines(deadlines);
  }
  ~DeadlinesScope() { keyspace_.set_deadlines(before_); }
  DeadlinesScope(const DeadlinesScope&) = delete;
  DeadlinesScope& operator=(const DeadlinesScope&) = delete;

 private:
  Keyspace& keyspace_;
  Deadlines before_;
};

}  // namespace vireo
