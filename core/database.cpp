#include "core/database.h"

#include <algorithm>
#include <iterator>

#include "core/lazy_free.h"

namespace vireo {
namespace {

// The 24-bit access field holds either a clock (seconds, wrapping, as Redis's
// LRU clock) or, under an LFU policy, minutes since the last decay (16 bits)
// and a logarithmic access counter (8 bits), with Redis's default constants.
constexpr uint32_t kLfuInitial = 5;       // a new key is not evicted at once
constexpr uint32_t kLfuLogFactor = 10;    // lfu-log-factor
constexpr uint32_t kLfuDecayMinutes = 1;  // lfu-decay-time

uint32_t lru_clock(int64_t now_ms) {
  return static_cast<uint32_t>(now_ms / 1000) & 0xffffff;
}
uint32_t lfu_minutes(int64_t now_ms) {
  return static_cast<uint32_t>(now_ms / 60000) & 0xffff;
}

uint32_t lfu_decayed(uint32_t field, int64_t now_ms) {
  uint32_t stamp = field >> 8, counter = field & 0xff, now = lfu_minutes(now_ms);
  uint32_t elapsed = now >= stamp ? now - stamp : 0xffff - stamp + now;
  uint32_t periods = elapsed / kLfuDecayMinutes;
  return periods > counter ? 0 : counter - periods;
}

// Counts an access with probability 1 / ((counter - initial) * factor + 1), so
// the 8-bit counter covers millions of accesses.
uint32_t lfu_incremented(uint32_t counter) {
  static thread_local uint64_t state = 0x9e3779b97f4a7c15ull;
  if (counter == 255) return counter;
  state += 0x9e3779b97f4a7c15ull;
  uint64_t z = (state ^ (state >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  double r = static_cast<double>((z ^ (z >> 31)) >> 11) / static_cast<double>(1ull << 53);
  uint32_t base = counter > kLfuInitial ? counter - kLfuInitial : 0;
  return r < 1.0 / (base * kLfuLogFactor + 1) ? counter + 1 : counter;
}

}  // namespace

uint32_t Database::fresh_access() const {
  return env_->lfu ? (lfu_minutes(env_->now_ms) << 8) | kLfuInitial : lru_clock(env_->now_ms);
}

uint32_t Database::access_frequency(const Entry* e) const {
  return lfu_decayed(e->access_clock(), env_->now_ms);
}

uint32_t Database::idle_seconds(const Entry* e) const {
  return (lru_clock(env_->now_ms) - e->access_clock()) & 0xffffff;
}

Database::~Database() {
  for (Entry* e : table_.release_all())
    Entry::destroy(e);
}

Entry** Database::slot_of(const Entry* e) {
  if (last_slot_ && *last_slot_ == e) return last_slot_;
  return last_slot_ = table_.find(e->key());
}

void Database::repoint(Entry** slot, Entry* moved) {
  *slot = moved;
  if (moved->has_expiry()) expiry_.relocate(moved);
}

void Database::expire_now(Entry* e) {
  std::string key(e->key());
  erase(key);
  if (env_->listener) env_->listener->on_expired(index_, key);
}

Entry* Database::find(std::string_view key) {
  Entry** slot = table_.find(key);
  if (!slot) return nullptr;
  last_slot_ = slot;
  if (expired(*slot)) {
    expire_now(*slot);
    return nullptr;
  }
  return *slot;
}

Entry* Database::find_visible(std::string_view key) {
  if (enforced()) return find(key);
  Entry** slot = table_.find(key);
  if (!slot || expired(*slot)) return nullptr;
  last_slot_ = slot;
  return *slot;
}

Entry* Database::find_for_read(std::string_view key, Touch touch_it) {
  Entry* e = find_visible(key);
  ++(e ? env_->hits : env_->misses);
  if (!e) env_->events.notify(notify::kKeyMiss, "keymiss", index_, key);
  if (e && touch_it == Touch::kYes) touch(e);
  return e;
}

Entry* Database::find_and_touch(std::string_view key) {
  Entry* e = find(key);
  if (e) touch(e);
  return e;
}

void Database::touch(Entry* e) {
  if (env_->lfu) {
    uint32_t counter = lfu_incremented(lfu_decayed(e->access_clock(), env_->now_ms));
    e->set_access_clock((lfu_minutes(env_->now_ms) << 8) | counter);
  } else {
    e->set_access_clock(lru_clock(env_->now_ms));
  }
}

Entry* Database::put_string(std::string_view key, std::string_view value, int64_t deadline_ms,
                            bool keep_deadline) {
  Entry** slot = last_slot_ = table_.find(key);
  if (slot && expired(*slot)) {
    expire_now(*slot);
    slot = nullptr;
  }
  if (!slot) {
    Entry* e = Entry::make_string(key, value, deadline_ms != kNoExpiry);
    e->set_access_clock(fresh_access());
    table_.insert(e);
    last_slot_ = nullptr;
    if (deadline_ms != kNoExpiry) expiry_.add(e, deadline_ms);
    env_->events.notify(notify::kNew, "new", index_, key);
    return e;
  }
  Entry* e = *slot;
  const bool other_type = e->type() != ValueType::kString;
  const int64_t deadline_after = keep_deadline ? deadline(e) : deadline_ms;
  const bool with_expiry = deadline_after != kNoExpiry;
  if (other_type || with_expiry != e->has_expiry()) {
    // The value and the header both change, or the type does: build one new
    // block in the same slot. The key is overwritten, not added (no "new").
    if (e->has_expiry()) expiry_.remove(e);
    Entry* fresh =
        Entry::make_string(key, value, with_expiry);  // before `e` dies: `value` may be in it
    fresh->set_access_clock(fresh_access());
    *slot = fresh;
    if (with_expiry) expiry_.add(fresh, deadline_after);
    free_entry_lazily(e);  // a large collection is freed off the loop thread
    return fresh;
  }
  e = Entry::set_string(e, value);
  e->set_raw_flag(false);
  e->set_access_clock(fresh_access());
  repoint(slot, e);
  return keep_deadline ? e : set_deadline(e, deadline_ms);
}

Entry* Database::replace_string(Entry* e, std::string_view value) {
  Entry** slot = slot_of(e);
  Entry* moved = Entry::set_string(e, value);
  repoint(slot, moved);
  return moved;
}

Entry* Database::append_string(Entry* e, std::string_view tail) {
  Entry** slot = slot_of(e);
  Entry* moved = Entry::append_string(e, tail);
  repoint(slot, moved);
  return moved;
}

Entry* Database::adopt(Entry* e, int64_t deadline_ms) {
  e = Entry::set_has_expiry(e, deadline_ms != kNoExpiry);
  table_.insert(e);
  last_slot_ = nullptr;
  if (deadline_ms != kNoExpiry) expiry_.add(e, deadline_ms);
  env_->events.notify(notify::kNew, "new", index_, e->key());
  // A new list or sorted set may serve clients blocked on its key (BLPOP,
  // BZPOPMIN...): a key only gains elements from nothing by being added here.
  if ((e->type() == ValueType::kList || e->type() == ValueType::kZSet) && env_->listener) {
    env_->listener->on_key_ready(index_, e->key());
  }
  return e;
}

Entry* Database::detach(std::string_view key, int64_t* deadline_ms) {
  Entry* e;
  if (!table_.extract(key, &e)) return nullptr;
  last_slot_ = nullptr;
  *deadline_ms = deadline(e);
  if (e->has_expiry()) expiry_.remove(e);
  return e;
}

bool Database::erase(std::string_view key) {
  int64_t unused;
  Entry* e = detach(key, &unused);
  if (!e) return false;
  free_entry_lazily(e);
  return true;
}

Entry* Database::set_deadline(Entry* e, int64_t deadline_ms) {
  if (deadline_ms == kNoExpiry) {
    if (!e->has_expiry()) return e;
    expiry_.remove(e);
    Entry** slot = slot_of(e);
    Entry* moved = Entry::set_has_expiry(e, false);
    *slot = moved;
    return moved;
  }
  if (e->has_expiry()) {
    expiry_.update(e, deadline_ms);
    return e;
  }
  Entry** slot = slot_of(e);
  Entry* moved = Entry::set_has_expiry(e, true);
  *slot = moved;
  expiry_.add(moved, deadline_ms);
  return moved;
}

uint64_t Database::scan(uint64_t cursor, size_t count,
                        const std::function<void(const Entry*)>& visit) {
  // Collect first: expiring a key inside the visit would change the table
  // under the scan.
  std::vector<Entry*> seen;
  uint64_t next = table_.scan(cursor, count, [&](Entry* e) { seen.push_back(e); });
  std::vector<std::string> dead;
  for (Entry* e : seen) {
    if (expired(e)) {
      if (enforced()) dead.emplace_back(e->key());  // a replica only skips it
    } else {
      visit(e);
    }
  }
  for (const std::string& key : dead)
    find(key);  // reclaims and reports it
  return next;
}

void Database::for_each(const std::function<void(const Entry*)>& visit) const {
  table_.for_each([&](Entry* e) {
    if (!expired(e)) visit(e);
  });
}

void Database::for_each_stored(const std::function<void(const Entry*)>& visit) const {
  table_.for_each([&](Entry* e) { visit(e); });
}

const Entry* Database::random_entry(std::mt19937_64& rng) {
  // Expired keys are reclaimed as they are drawn. When draws keep hitting
  // them, most of the table is due: reclaim all of it through the index (in
  // deadline order, without further draws), after which every key is live.
  for (int attempt = 0; attempt < 100; ++attempt) {
    Entry* const* item = table_.random(rng);
    if (!item) return nullptr;
    if (!expired(*item)) return *item;
    if (enforced()) expire_now(*item);
  }
  // On a replica nothing is reclaimed: none found.
  if (!enforced()) return nullptr;
  expire_due(env_->now_ms, SIZE_MAX);
  Entry* const* item = table_.random(rng);
  return item ? *item : nullptr;
}

size_t Database::sample(std::mt19937_64& rng, size_t n, FnRef<void(const Entry*)> visit) {
  size_t drawn = 0;
  while (drawn < n) {
    // Collected before anything is reclaimed: reclaiming changes the table.
    Entry* run[32];
    size_t got = 0;
    table_.random_run(rng, std::min(n - drawn, std::size(run)), [&](Entry* e) { run[got++] = e; });
    if (got == 0) break;
    for (size_t i = 0; i < got; ++i) {
      if (expired(run[i])) {
        if (enforced()) expire_now(run[i]);
      } else {
        visit(run[i]);
      }
    }
    drawn += got;
  }
  return drawn;
}

const Entry* Database::random_volatile_entry(std::mt19937_64& rng) {
  // As random_entry: when draws keep finding due keys, reclaim them all.
  for (int attempt = 0; attempt < 100; ++attempt) {
    if (expiry_.empty()) return nullptr;
    Entry* e = expiry_.entry_at(rng() % expiry_.size());
    if (!expired(e)) return e;
    if (enforced()) expire_now(e);
  }
  if (!enforced()) return nullptr;
  expire_due(env_->now_ms, SIZE_MAX);
  return expiry_.empty() ? nullptr : expiry_.entry_at(rng() % expiry_.size());
}

std::vector<Entry*> Database::release_all() {
  if (env_->listener) env_->listener->on_flushing(index_);
  expiry_.clear();
  last_slot_ = nullptr;
  return table_.release_all();
}

void Database::swap_contents(Database& other) {
  std::swap(table_, other.table_);
  last_slot_ = other.last_slot_ = nullptr;
  std::swap(expiry_, other.expiry_);
}

size_t Database::expire_due(int64_t now_ms, size_t limit) {
  size_t removed = 0;
  while (removed < limit && !expiry_.empty() && expiry_.top_deadline() <= now_ms) {
    expire_now(expiry_.top());
    ++removed;
  }
  return removed;
}

size_t Database::memory_usage() const {
  size_t bytes = table_.memory_usage() + expiry_.memory_usage();
  table_.for_each([&](Entry* e) { bytes += e->allocation_size(); });
  return bytes;
}

}  // namespace vireo
