#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <utility>
#include <vector>

#include "core/command.h"
#include "core/effects.h"
#include "core/string_map.h"

namespace vireo {

class CommandTable;

// Under appendfsync always, which keys have writes that are not durable yet:
// a read of other keys is answered at once, while a read of one of them
// waits for the fsync that covers its last write (its reply could otherwise
// show a value a crash would take back). An EffectSink tap: it forwards
// every effect and notes the keys it changes.
class UnsyncedKeys : public EffectSink {
 public:
  // The open batch (this loop iteration's effects) has no log position yet.
  static constexpr uint64_t kOpenBatch = UINT64_MAX;

  UnsyncedKeys(EffectSink* next, const CommandTable* commands) : next_(next), commands_(commands) {}

  // Noting keys costs a map insert per written key: only under always.
  void set_enabled(bool enabled);

  void emit(int db, Args argv) override;
  void begin_group() override { next_->begin_group(); }
  void end_group() override { next_->end_group(); }

  // The open batch was appended to the log and ends at `lsn`.
  void batch_written(uint64_t lsn);
  // The log is durable up to `lsn`: writes it covers are forgotten.
  void durable(uint64_t lsn);

  // The log position a read must wait for before its reply may go: 0 when
  // it touches nothing un-synced, kOpenBatch for this iteration's batch. A
  // read of named keys looks at those; a read of the whole keyspace (KEYS,
  // SCAN, DBSIZE, EXEC...) waits for everything pending.
  uint64_t wait_for_read(const CommandSpec& spec, Args args, int db);

 private:
  void note(int db, std::string_view key);
  uint64_t newest() const;

  EffectSink* next_;
  const CommandTable* commands_;
  bool enabled_ = false;
  StringMap<uint64_t> keys_;       // un-synced key -> where its last write ends, or kOpenBatch
  std::vector<std::string> open_;  // keys written in the open batch
  std::deque<std::pair<uint64_t, std::vector<std::string>>> written_;  // not yet durable
  // A change no key list describes (FLUSHALL, SWAPDB...): every read waits
  // for it. 0 when none is pending.
  uint64_t whole_keyspace_ = 0;
  std::vector<KeyRef> refs_;
  std::string scratch_;
};

}  // namespace vireo
