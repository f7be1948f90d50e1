#include "core/eviction.h"

#include <algorithm>
#include <limits>

#include "core/lazy_free.h"

namespace vireo {
namespace {

bool volatile_only(EvictionPolicy policy) {
  return policy == EvictionPolicy::kVolatileLru || policy == EvictionPolicy::kVolatileLfu ||
         policy == EvictionPolicy::kVolatileRandom || policy == EvictionPolicy::kVolatileTtl;
}

bool ranks_by_frequency(EvictionPolicy policy) {
  return policy == EvictionPolicy::kAllKeysLfu || policy == EvictionPolicy::kVolatileLfu;
}

// Higher for the key to evict sooner: the longer idle, or the less used.
uint64_t eviction_score(const Database& db, const Entry* e, bool by_frequency) {
  if (by_frequency) return 255 - std::min<uint32_t>(db.access_frequency(e), 255);
  return db.idle_seconds(e);
}

}  // namespace

std::optional<EvictionChoice> EvictionSampler::choose(EvictionPolicy policy, int samples) {
  switch (policy) {
    case EvictionPolicy::kNoEviction:
      return std::nullopt;
    case EvictionPolicy::kAllKeysRandom:
      return choose_random(false);
    case EvictionPolicy::kVolatileRandom:
      return choose_random(true);
    case EvictionPolicy::kVolatileTtl:
      return choose_earliest_deadline();
    default:
      return choose_from_pool(policy, std::max(samples, 1));
  }
}

std::optional<EvictionChoice> EvictionSampler::choose_from_pool(EvictionPolicy policy,
                                                                int samples) {
  if (pool_policy_ != policy) {
    // Scores of another policy (idle seconds against frequencies, or keys
    // without a deadline) mean nothing to this one.
    for (Candidate& c : pool_)
      spare_.push_back(std::move(c));
    pool_.clear();
    pool_policy_ = policy;
  }
  const bool needs_deadline = volatile_only(policy);
  for (;;) {
    if (!fill_pool(policy, samples)) return std::nullopt;
    // Best first; a pooled key may have gone (deleted, or its deadline passed
    // and the lookup reclaims it) or lost its deadline since it was sampled.
    while (!pool_.empty()) {
      Candidate best = std::move(pool_.back());
      pool_.pop_back();
      const Entry* e = keyspace_->db(best.db).find(best.key);
      const bool qualifies = e && (!needs_deadline || e->has_expiry());
      std::optional<EvictionChoice> choice;
      if (qualifies) choice = chosen(best.db, best.key);
      spare_.push_back(std::move(best));
      if (choice) return choice;
    }
  }
}

bool EvictionSampler::fill_pool(EvictionPolicy policy, int samples) {
  const bool needs_deadline = volatile_only(policy);
  const bool by_frequency = ranks_by_frequency(policy);
  std::mt19937_64& rng = keyspace_->rng();
  bool any_candidates = false;
  for (int i = 0; i < keyspace_->count(); ++i) {
    Database& db = keyspace_->db(i);
    if ((needs_deadline ? db.volatile_count() : db.size()) == 0) continue;
    any_candidates = true;
    auto consider = [&](const Entry* e) {
      offer(eviction_score(db, e, by_frequency), i, e->key());
    };
    if (!needs_deadline) {
      db.sample(rng, static_cast<size_t>(samples), consider);
      continue;
    }
    // The expiry index draws any volatile key in O(1): independent draws.
    for (int n = 0; n < samples; ++n) {
      const Entry* e = db.random_volatile_entry(rng);
      if (!e) break;
      consider(e);
    }
  }
  // Draws that found only keys past their deadline reclaimed them: the next
  // round has fewer keys to draw from, so the caller's retries end.
  return any_candidates;
}

void EvictionSampler::offer(uint64_t score, int db, std::string_view key) {
  if (pool_.size() == kPoolSize && score <= pool_.front().score) return;
  // Before its equals, as Redis places it: among equal scores the longest
  // pooled goes first.
  auto at = std::lower_bound(pool_.begin(), pool_.end(), score,
                             [](const Candidate& a, uint64_t s) { return a.score < s; });
  // A key drawn twice in one round scores the same: look for it among its
  // equals only. From an earlier round it may score otherwise; that stale
  // copy is skipped once the key is gone.
  for (auto same = at; same != pool_.end() && same->score == score; ++same) {
    if (same->db == db && same->key == key) return;
  }
  Candidate c;
  if (!spare_.empty()) {
    c = std::move(spare_.back());
    spare_.pop_back();
  }
  c.score = score;
  c.db = db;
  c.key.assign(key);
  pool_.insert(at, std::move(c));
  if (pool_.size() > kPoolSize) {
    spare_.push_back(std::move(pool_.front()));
    pool_.erase(pool_.begin());
  }
}

std::optional<EvictionChoice> EvictionSampler::choose_random(bool needs_deadline) {
  const int dbs = keyspace_->count();
  for (int tried = 0; tried < dbs; ++tried) {
    const int i = next_random_db_;
    next_random_db_ = (next_random_db_ + 1) % dbs;
    Database& db = keyspace_->db(i);
    const Entry* e = needs_deadline ? db.random_volatile_entry(keyspace_->rng())
                                    : db.random_entry(keyspace_->rng());
    if (e) return chosen(i, e->key());
  }
  return std::nullopt;
}

std::optional<EvictionChoice> EvictionSampler::choose_earliest_deadline() {
  for (;;) {
    int best_db = -1;
    int64_t best_deadline = std::numeric_limits<int64_t>::max();
    for (int i = 0; i < keyspace_->count(); ++i) {
      const Database& db = keyspace_->db(i);
      const Entry* e = db.earliest_deadline_entry();
      if (e && db.deadline(e) < best_deadline) {
        best_deadline = db.deadline(e);
        best_db = i;
      }
    }
    if (best_db < 0) return std::nullopt;
    Database& db = keyspace_->db(best_db);
    EvictionChoice choice = chosen(best_db, db.earliest_deadline_entry()->key());
    // A key already past its deadline is reclaimed as expired; then look again.
    if (db.find(choice.key)) return choice;
  }
}

EvictionChoice EvictionSampler::chosen(int db, std::string_view key) {
  chosen_key_.assign(key);
  return {db, chosen_key_};
}

bool Evictor::evict_one(EvictionPolicy policy, int samples) {
  std::optional<EvictionChoice> choice = sampler_.choose(policy, samples);
  if (!choice) return false;
  int64_t deadline;
  Entry* e = keyspace_->db(choice->db).detach(choice->key, &deadline);
  if (!e) return false;  // cannot happen: the sampler chooses live keys
  if (uint64_t ticket = free_entry_lazily(e)) last_lazy_ticket_ = ticket;
  keyspace_->events().notify(notify::kEvicted, "evicted", choice->db, choice->key);
  std::string_view argv[] = {"DEL", choice->key};
  sink_->emit(choice->db, argv);
  return true;
}

bool Evictor::freeing_in_background() const {
  return !lazy_free().finished(last_lazy_ticket_);
}

}  // namespace vireo
