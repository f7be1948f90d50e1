#pragma once

#include <cstdint>
#include <functional>
#include <random>
#include <string_view>
#include <vector>

#include "core/entry.h"
#include "core/expiry_index.h"
#include "core/fn_ref.h"
#include "core/notifications.h"
#include "core/scan_table.h"

namespace vireo {

// Told about keys the keyspace removes on its own (expiry), so the server can
// propagate a DEL, notify subscribers and invalidate WATCHes.
class KeyspaceListener {
 public:
  virtual ~KeyspaceListener() = default;
  virtual void on_expired(int db, std::string_view key) = 0;
  // A list or sorted set was just added under `key`: clients blocked on it
  // may now be served.
  virtual void on_key_ready(int /*db*/, std::string_view /*key*/) {}
  // Databases `a` and `b` exchanged contents (SWAPDB): any key of either may
  // now hold what a blocked client waits for.
  virtual void on_swapped(int /*a*/, int /*b*/) {}
  // Database `db` is about to be emptied (FLUSHDB, FLUSHALL): its keys are
  // still there to look at.
  virtual void on_flushing(int /*db*/) {}
};

// What a key past its deadline is.
enum class Deadlines : uint8_t {
  // Gone: deleted when a command meets it, and by active expiry.
  kEnforced,
  // Still there, to reads and writes: while replaying effects (recovery, a
  // replica applying its primary's records) a key's deletion arrives as a DEL
  // effect, so the result cannot depend on when the replay runs.
  kIgnored,
  // On a replica serving its clients: invisible to reads but not deleted,
  // since its primary's records may still count on it until the primary's
  // DEL arrives (as on Redis's replicas). A client's write to it (a writable
  // replica) deletes it first.
  kHiddenFromReads,
};

// What all databases share: the cached command clock, the listener, and the
// lookup counters behind INFO keyspace_hits/keyspace_misses.
struct KeyspaceEnv {
  int64_t now_ms = 0;
  KeyspaceListener* listener = nullptr;
  Deadlines deadlines = Deadlines::kEnforced;
  // An LFU eviction policy is configured: entries' access fields count
  // accesses (OBJECT FREQ) instead of stamping them (OBJECT IDLETIME).
  bool lfu = false;
  // Small integers count as shared objects (OBJECT REFCOUNT): false when keys
  // need their own access clocks (maxmemory with an LRU or LFU policy).
  bool shared_integers = true;
  // Keyspace notifications; the database itself reports new keys (n) and
  // read misses (m), its listener expiries (x).
  KeyspaceEvents events;
  // Read lookups (Database::find_for_read) that found their key, and that did not.
  mutable uint64_t hits = 0;
  mutable uint64_t misses = 0;
};

// A deadline argument that means "no expiry".
inline constexpr int64_t kNoExpiry = -1;

// One numbered database: keys, their entries and their deadlines.
//
// An Entry pointer returned here stays valid until its own key is written,
// deleted or expired (or the database is flushed or swapped): each entry is
// its own heap block, and inserting or erasing other keys moves only table
// slots, never entries. Functions that may move an entry return its new
// address. A lookup expires only the key it looks up, so holding one entry
// while looking up other keys is safe.
class Database {
 public:
  Database(int index, const KeyspaceEnv* env) : index_(index), env_(env) {}
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  int index() const { return index_; }
  // Keys, including expired ones not yet reclaimed (as Redis's DBSIZE).
  size_t size() const { return table_.size(); }
  // Prepares an empty database for `keys` keys (a checkpoint load), so that
  // filling it does not grow its table step by step.
  void reserve(size_t keys) { table_.presize(keys); }
  // A hint that `key` is about to be looked up or added: starts fetching the
  // memory that will need, so a bulk load overlaps several keys' cache misses.
  void prefetch(std::string_view key) const { table_.prefetch(key); }
  // Keys with a deadline.
  size_t volatile_count() const { return expiry_.size(); }

  // Every lookup returns the live entry for `key`, or nullptr: a key past its
  // deadline is deleted there and reported to the listener, so no caller ever
  // sees it (on a replica a read lookup skips it instead: see
  // Deadlines::kHiddenFromReads). As in Redis, a lookup is either a read (the
  // command reports the key's value or metadata: GET, EXISTS, TTL, SET ... GET, COPY's source),
  // which counts a keyspace hit or miss (INFO stats), or a write-side lookup
  // (the command is about to modify or replace the key: INCR, EXPIRE,
  // SET NX, RENAME), which counts nothing, whatever the command's flags.
  enum class Touch : bool { kNo, kYes };
  // A read lookup. It records an access (OBJECT IDLETIME, or FREQ under LFU)
  // unless the command only inspects the key (EXISTS, TYPE, TTL, OBJECT).
  Entry* find_for_read(std::string_view key, Touch touch = Touch::kYes);
  // A write-side or internal lookup: counts nothing, records no access.
  Entry* find(std::string_view key);
  // A read lookup that counts nothing and records no access (KEYS with a
  // literal pattern).
  Entry* find_visible(std::string_view key);
  // The entry stored under `key`, even past its deadline, deleting nothing
  // (DEBUG OBJECT, which shows it as Redis does).
  const Entry* find_stored(std::string_view key) {
    Entry** slot = table_.find(key);
    return slot ? *slot : nullptr;
  }
  // Deletes `key` now if it is past its deadline and deadlines are enforced,
  // so that only a change made from here on counts (WATCH, EXEC).
  void settle(std::string_view key) {
    if (enforced()) find(key);
  }
  // A write-side lookup that records an access, as Redis's write lookups do.
  Entry* find_and_touch(std::string_view key);
  // The access field a new or rewritten entry starts with.
  uint32_t fresh_access() const;
  // OBJECT FREQ: the entry's logarithmic access counter, decayed to now (LFU only).
  uint32_t access_frequency(const Entry* e) const;
  // OBJECT IDLETIME: seconds since the entry's last access (not under LFU).
  uint32_t idle_seconds(const Entry* e) const;
  bool contains(std::string_view key) { return find(key) != nullptr; }
  // Whether `key` is stored, even past its deadline; never expires anything.
  bool present(std::string_view key) { return table_.find(key) != nullptr; }

  // Sets `key` to a string, replacing any value. `deadline_ms` is absolute, or
  // kNoExpiry; with keep_deadline an existing deadline survives.
  Entry* put_string(std::string_view key, std::string_view value, int64_t deadline_ms,
                    bool keep_deadline = false);
  // Replaces the value of a string entry found here, keeping its deadline.
  Entry* replace_string(Entry* e, std::string_view value);
  // Appends to the value of a string entry found here, keeping its deadline.
  Entry* append_string(Entry* e, std::string_view tail);
  // Inserts an entry this database will own; `key` must be absent.
  Entry* adopt(Entry* e, int64_t deadline_ms);
  // Removes `key` and hands its entry to the caller, with its deadline.
  Entry* detach(std::string_view key, int64_t* deadline_ms);
  // Deletes `key`; false when absent. A large collection is freed off the
  // loop thread (see core/lazy_free.h).
  bool erase(std::string_view key);

  // The absolute deadline of an entry found here, or kNoExpiry.
  int64_t deadline(const Entry* e) const {
    return e->has_expiry() ? expiry_.deadline(e) : kNoExpiry;
  }
  // Sets (or with kNoExpiry removes) the deadline of an entry found here.
  Entry* set_deadline(Entry* e, int64_t deadline_ms);

  // SCAN over the keys; see ScanTable::scan. Expired keys are skipped.
  uint64_t scan(uint64_t cursor, size_t count, const std::function<void(const Entry*)>& visit);
  // Every live key, in no particular order.
  void for_each(const std::function<void(const Entry*)>& visit) const;
  // Every stored key, those past their deadline but not yet reclaimed
  // included (size() of them), in no particular order: a checkpoint is the
  // state at its log position, where their DEL has not been logged yet.
  void for_each_stored(const std::function<void(const Entry*)>& visit) const;
  // A random live key, or nullptr when there is none.
  const Entry* random_entry(std::mt19937_64& rng);
  // Passes up to `n` live keys from one random spot of the table (neighbours,
  // as Redis samples) to `visit`; keys found past their deadline are
  // reclaimed instead (and count towards `n`). Returns how many keys it drew.
  size_t sample(std::mt19937_64& rng, size_t n, FnRef<void(const Entry*)> visit);
  // A random live key that has a deadline, or nullptr when there is none.
  // Like random_entry, it reclaims keys past their deadline as it draws them.
  const Entry* random_volatile_entry(std::mt19937_64& rng);
  // The key whose deadline comes first (possibly already past), or nullptr
  // when no key has one.
  const Entry* earliest_deadline_entry() const { return expiry_.empty() ? nullptr : expiry_.top(); }

  // Removes everything (the listener hears of it first), returning the entries so the caller can
  // free them where it likes (possibly off the loop thread).
  std::vector<Entry*> release_all();
  // Exchanges contents with another database (SWAPDB); indices stay.
  void swap_contents(Database& other);

  // Deletes keys whose deadline is at or before `now_ms`, at most `limit` of
  // them; returns how many.
  size_t expire_due(int64_t now_ms, size_t limit);
  int64_t average_ttl() const { return expiry_.average_ttl(env_->now_ms); }

  // Bytes held by the table, entries and index (entries measured, not estimated).
  size_t memory_usage() const;

 private:
  // Past its deadline, where deadlines count (a write deletes it; a read
  // does too where they are enforced, and only skips it on a replica).
  bool expired(const Entry* e) const {
    return e->has_expiry() && env_->deadlines != Deadlines::kIgnored &&
           expiry_.deadline(e) <= env_->now_ms;
  }
  bool enforced() const { return env_->deadlines == Deadlines::kEnforced; }
  void expire_now(Entry* e);
  void touch(Entry* e);
  // The table slot holding `e`. The last lookup's slot is remembered until the
  // table's next insert or erase (which may move slots), so a write right
  // after its lookup (INCR, APPEND, EXPIRE) hashes the key once, not twice.
  Entry** slot_of(const Entry* e);
  // Points the table slot for `e`'s key (and its expiry node) at `moved`.
  void repoint(Entry** slot, Entry* moved);

  int index_;
  const KeyspaceEnv* env_;
  ScanTable<Entry*, EntryKey> table_;
  Entry** last_slot_ = nullptr;  // see slot_of()
  ExpiryIndex expiry_;
};

}  // namespace vireo
