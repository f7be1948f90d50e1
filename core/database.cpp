#include "core/database.h"

namespace vireo {

Database::~Database() {
  for (Entry* e : table_.release_all()) Entry::destroy(e);
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
  if (expired(*slot)) {
    expire_now(*slot);
    return nullptr;
  }
  return *slot;
}

Entry* Database::find_and_touch(std::string_view key) {
  Entry* e = find(key);
  if (e) e->set_access_clock(access_clock_now(env_->now_ms));
  return e;
}

Entry* Database::put_string(std::string_view key, std::string_view value, int64_t deadline_ms,
                            bool keep_deadline) {
  Entry** slot = table_.find(key);
  if (slot && expired(*slot)) {
    expire_now(*slot);
    slot = nullptr;
  }
  if (!slot) {
    Entry* e = Entry::make_string(key, value, deadline_ms != kNoExpiry);
    e->set_access_clock(access_clock_now(env_->now_ms));
    table_.insert(e);
    if (deadline_ms != kNoExpiry) expiry_.add(e, deadline_ms);
    return e;
  }
  Entry* e = *slot;
  if (e->type() != ValueType::kString) {
    // Replacing another type: start from a fresh entry.
    int64_t old_deadline = deadline(e);
    Entry* detached = detach(key, &old_deadline);
    Entry::destroy(detached);
    return put_string(key, value, keep_deadline ? old_deadline : deadline_ms);
  }
  e = Entry::set_string(e, value);
  e->set_raw_flag(false);
  e->set_access_clock(access_clock_now(env_->now_ms));
  repoint(slot, e);
  return keep_deadline ? e : set_deadline(e, deadline_ms);
}

Entry* Database::replace_string(Entry* e, std::string_view value) {
  Entry** slot = table_.find(e->key());
  Entry* moved = Entry::set_string(e, value);
  repoint(slot, moved);
  return moved;
}

Entry* Database::append_string(Entry* e, std::string_view tail) {
  Entry** slot = table_.find(e->key());
  Entry* moved = Entry::append_string(e, tail);
  repoint(slot, moved);
  return moved;
}

Entry* Database::adopt(Entry* e, int64_t deadline_ms) {
  e = Entry::set_has_expiry(e, deadline_ms != kNoExpiry);
  table_.insert(e);
  if (deadline_ms != kNoExpiry) expiry_.add(e, deadline_ms);
  return e;
}

Entry* Database::detach(std::string_view key, int64_t* deadline_ms) {
  Entry* e;
  if (!table_.extract(key, &e)) return nullptr;
  *deadline_ms = deadline(e);
  if (e->has_expiry()) expiry_.remove(e);
  return e;
}

bool Database::erase(std::string_view key) {
  int64_t unused;
  Entry* e = detach(key, &unused);
  if (!e) return false;
  Entry::destroy(e);
  return true;
}

Entry* Database::set_deadline(Entry* e, int64_t deadline_ms) {
  if (deadline_ms == kNoExpiry) {
    if (!e->has_expiry()) return e;
    expiry_.remove(e);
    Entry** slot = table_.find(e->key());
    Entry* moved = Entry::set_has_expiry(e, false);
    *slot = moved;
    return moved;
  }
  if (e->has_expiry()) {
    expiry_.update(e, deadline_ms);
    return e;
  }
  Entry** slot = table_.find(e->key());
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
      dead.emplace_back(e->key());
    } else {
      visit(e);
    }
  }
  for (const std::string& key : dead) find(key);  // reclaims and reports it
  return next;
}

void Database::for_each(const std::function<void(const Entry*)>& visit) const {
  table_.for_each([&](Entry* e) {
    if (!expired(e)) visit(e);
  });
}

const Entry* Database::random_entry(std::mt19937_64& rng) {
  // Expired keys are reclaimed as they are drawn. When draws keep hitting
  // them, most of the table is due: reclaim all of it through the index (in
  // deadline order, without further draws), after which every key is live.
  for (int attempt = 0; attempt < 100; ++attempt) {
    Entry* const* item = table_.random(rng);
    if (!item) return nullptr;
    if (!expired(*item)) return *item;
    expire_now(*item);
  }
  expire_due(env_->now_ms, SIZE_MAX);
  Entry* const* item = table_.random(rng);
  return item ? *item : nullptr;
}

std::vector<Entry*> Database::release_all() {
  expiry_.clear();
  return table_.release_all();
}

void Database::swap_contents(Database& other) {
  std::swap(table_, other.table_);
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
