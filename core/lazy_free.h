#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

namespace vireo {

class Database;
class Entry;

// Frees batches of detached entries on one background thread, so that
// FLUSHALL ASYNC, FLUSHDB ASYNC or an UNLINK of very many keys costs the loop
// thread a hand-off instead of millions of free() calls.
//
// Why freeing elsewhere is safe: an entry handed over here is already
// unreachable from the keyspace (detached from its table and expiry index) and
// no reply refers to its bytes (the reply writer copies). The mutex hand-off
// orders the loop thread's last writes to the entries before the freer's
// reads. glibc malloc lets any thread free any chunk: a chunk goes to the
// freeing thread's tcache or back to the arena it came from under that arena's
// lock, so the loop thread's later malloc calls see consistent arenas, at the
// cost of brief lock contention while a batch is freed. glibc also takes every
// arena lock around fork(), so a checkpoint child that forks mid-batch gets a
// consistent heap (it must not use this object: the thread does not exist there).
class LazyFree {
 public:
  // At most `max_batches` batches wait at once; beyond that submit() frees
  // inline, which bounds the garbage waiting without ever blocking the loop
  // on this thread.
  explicit LazyFree(size_t max_batches = 64);
  // Frees whatever is still queued, then joins the thread.
  ~LazyFree();
  LazyFree(const LazyFree&) = delete;
  LazyFree& operator=(const LazyFree&) = delete;

  // Takes ownership of `entries` and frees them on the background thread.
  // Returns a ticket for finished(), or 0 when the entries were freed inline
  // (nothing to submit, or the queue was full).
  uint64_t submit(std::vector<Entry*> entries);
  // Whether the batch that `ticket` names has been freed (batches are freed
  // in the order they were submitted). True for ticket 0.
  bool finished(uint64_t ticket) const {
    return finished_batches_.load(std::memory_order_acquire) >= ticket;
  }
  // Blocks until every entry submitted so far has been freed.
  void drain();

  // Entries submitted but not yet freed (INFO lazyfree_pending_objects).
  size_t pending_entries() const { return pending_.load(std::memory_order_relaxed); }
  // Entries this object has freed, on either thread (INFO lazyfreed_objects).
  uint64_t freed_entries() const { return freed_.load(std::memory_order_relaxed); }

 private:
  void run();
  void destroy_batch(const std::vector<Entry*>& batch);

  const size_t max_batches_;
  std::mutex mu_;
  std::condition_variable work_;  // a batch arrived, or stopping
  std::condition_variable idle_;  // the queue emptied
  std::deque<std::vector<Entry*>> queue_;
  bool busy_ = false;  // the thread holds a batch outside the queue
  bool stopping_ = false;
  std::atomic<size_t> pending_{0};
  std::atomic<uint64_t> freed_{0};
  uint64_t queued_batches_ = 0;  // under mu_; the last ticket handed out
  std::atomic<uint64_t> finished_batches_{0};
  std::thread thread_;  // last: started once every member above exists
};

// Below this many elements (a string counts one, a collection its size) a
// batch is freed inline: handing it over would cost more than it saves.
inline constexpr size_t kLazyFreeMinBatch = 64;

// The process's background freer, started on first use.
LazyFree& lazy_free();

// Frees `entries`: inline when they hold few elements in all, otherwise
// through lazy_free(). Returns lazy_free()'s ticket, 0 when freed inline.
uint64_t free_entries_lazily(std::vector<Entry*> entries);

// Empties `db`, freeing its entries now or (`async`) on the background freer:
// FLUSHDB, FLUSHALL, and a replica's full sync.
void flush_database(Database& db, bool async);
// The same for one entry: a large collection goes to the background thread.
uint64_t free_entry_lazily(Entry* e);

}  // namespace vireo
