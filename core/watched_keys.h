#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/effects.h"
#include "core/string_map.h"

namespace vireo {

class CommandTable;

// One client's optimistic lock over a set of keys: WATCH's keys, and the keys
// a BEGIN transaction has touched. Any change to one of them by anyone marks
// it dirty; EXEC and COMMIT then refuse to apply.
struct KeyWatch {
  bool dirty = false;
  std::vector<std::pair<int, std::string>> keys;  // (db, key), each once
};

// Which KeyWatch watches which key. Empty, as it is unless some client
// watches, it costs the write path one test per effect.
class WatchedKeys {
 public:
  WatchedKeys() = default;
  WatchedKeys(const WatchedKeys&) = delete;
  WatchedKeys& operator=(const WatchedKeys&) = delete;

  // Adds `key` of database `db` to `w` (once).
  void watch(KeyWatch* w, int db, std::string_view key);
  // Removes every key of `w` and clears its dirty mark (UNWATCH, EXEC, a
  // closed connection).
  void unwatch_all(KeyWatch* w);
  // Marks every watcher of `key` in `db` dirty.
  void touch(int db, std::string_view key);
  // Marks dirty the watchers of every key in `db` for which `present` holds
  // (a flush or SWAPDB changes only the keys that were there).
  void touch_where(int db, const std::function<bool(std::string_view)>& present);
  bool empty() const { return by_key_.empty(); }
  // Keys watched by at least one client.
  size_t size() const { return by_key_.size(); }

 private:
  StringMap<std::vector<KeyWatch*>> by_key_;
  std::string scratch_;
};

// The sink commands write effects to while any client watches: forwards
// every effect unchanged and marks the watchers of the keys it changes
// (found from the effect command's key specs, as COMMAND GETKEYS would).
// FLUSHDB, FLUSHALL and SWAPDB are left to the keyspace listener, which can
// still see which keys existed.
class WatchInvalidator : public EffectSink {
 public:
  WatchInvalidator(EffectSink* next, WatchedKeys* watched, const CommandTable* commands)
      : next_(next), watched_(watched), commands_(commands) {}
  void emit(int db, Args argv) override {
    next_->emit(db, argv);
    if (!watched_->empty()) touch_keys(db, argv);
  }
  void begin_group() override { next_->begin_group(); }
  void end_group() override { next_->end_group(); }

 private:
  void touch_keys(int db, Args argv);

  EffectSink* next_;
  WatchedKeys* watched_;
  const CommandTable* commands_;
  std::vector<KeyRef> keys_;  // reused by touch_keys
};

}  // namespace vireo
