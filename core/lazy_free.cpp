#include "core/lazy_free.h"

#include "core/database.h"
#include "core/entry.h"

namespace vireo {

LazyFree::LazyFree(size_t max_batches)
    : max_batches_(max_batches == 0 ? 1 : max_batches), thread_([this] { run(); }) {}

LazyFree::~LazyFree() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  work_.notify_one();
  thread_.join();
}

uint64_t LazyFree::submit(std::vector<Entry*> entries) {
  if (entries.empty()) return 0;
  const size_t n = entries.size();
  uint64_t ticket = 0;
  {
    std::lock_guard lock(mu_);
    if (queue_.size() < max_batches_ && !stopping_) {
      pending_.fetch_add(n, std::memory_order_relaxed);
      queue_.push_back(std::move(entries));
      entries.clear();
      ticket = ++queued_batches_;
    }
  }
  if (ticket) {
    work_.notify_one();
  } else {
    destroy_batch(entries);  // the queue is full: the caller pays, as a sync free would
  }
  return ticket;
}

void LazyFree::drain() {
  std::unique_lock lock(mu_);
  idle_.wait(lock, [this] { return queue_.empty() && !busy_; });
}

void LazyFree::destroy_batch(const std::vector<Entry*>& batch) {
  for (Entry* e : batch)
    Entry::destroy(e);
  freed_.fetch_add(batch.size(), std::memory_order_relaxed);
}

void LazyFree::run() {
  std::unique_lock lock(mu_);
  for (;;) {
    work_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) return;  // stopping, and nothing left to free
    std::vector<Entry*> batch = std::move(queue_.front());
    queue_.pop_front();
    busy_ = true;
    lock.unlock();
    destroy_batch(batch);
    pending_.fetch_sub(batch.size(), std::memory_order_relaxed);
    batch = {};  // the vector itself is garbage too
    finished_batches_.fetch_add(1, std::memory_order_release);
    lock.lock();
    busy_ = false;
    if (queue_.empty()) idle_.notify_all();
  }
}

LazyFree& lazy_free() {
  static LazyFree instance;
  return instance;
}

namespace {

bool worth_handing_over(const std::vector<Entry*>& entries) {
  size_t elements = 0;
  for (const Entry* e : entries) {
    elements += e->element_count();
    if (elements >= kLazyFreeMinBatch) return true;
  }
  return false;
}

}  // namespace

uint64_t free_entry_lazily(Entry* e) {
  if (e->element_count() < kLazyFreeMinBatch) {
    Entry::destroy(e);
    return 0;
  }
  return lazy_free().submit({e});
}

uint64_t free_entries_lazily(std::vector<Entry*> entries) {
  if (!worth_handing_over(entries)) {
    for (Entry* e : entries)
      Entry::destroy(e);
    return 0;
  }
  return lazy_free().submit(std::move(entries));
}

void flush_database(Database& db, bool async) {
  std::vector<Entry*> entries = db.release_all();
  if (async) {
    free_entries_lazily(std::move(entries));
  } else {
    for (Entry* e : entries)
      Entry::destroy(e);
  }
}

}  // namespace vireo
