#pragma once

#include <tsl/robin_map.h>

#include <cstdint>
#include <deque>
#include <string_view>
#include <utility>
#include <vector>

#include "core/command.h"
#include "core/effects.h"

namespace vireo {

class CommandTable;
struct Command;

// Under appendfsync always, which keys have writes that are not durable yet:
// a read of other keys is answered at once, while a read of one of them
// waits for the fsync that covers its last write (its reply could otherwise
// show a value a crash would take back). An EffectSink tap: it forwards
// every effect and notes the keys it changes.
//
// Keys are noted by a 64-bit fingerprint of (database, key), not by name: a
// write then costs no allocation. Two keys that share a fingerprint only make
// a read of one wait for the other's fsync — a needless wait, never a reply
// that shows un-synced data — and with 64 bits that is as rare as a cosmic ray.
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
  // A key of a database, as this class remembers it.
  static uint64_t fingerprint(int db, std::string_view key);
  void note(int db, std::string_view key);
  uint64_t newest() const;
  // The command an effect names: the last one again, mostly (effects come in
  // runs of one command), without a table lookup.
  const Command* command_of(std::string_view name);

  EffectSink* next_;
  const CommandTable* commands_;
  bool enabled_ = false;
  struct Identity {  // fingerprints are hashes already
    size_t operator()(uint64_t h) const { return h; }
  };
  // un-synced key -> where its last write ends, or kOpenBatch
  tsl::robin_map<uint64_t, uint64_t, Identity> keys_;
  std::vector<uint64_t> open_;  // keys written in the open batch
  std::deque<std::pair<uint64_t, std::vector<uint64_t>>> written_;  // not yet durable
  static constexpr size_t kSpareLists = 64;
  std::vector<std::vector<uint64_t>> spare_;  // emptied key lists, kept for reuse
  const Command* last_command_ = nullptr;
  // A change no key list describes (FLUSHALL, SWAPDB...): every read waits
  // for it. 0 when none is pending.
  uint64_t whole_keyspace_ = 0;
  std::vector<KeyRef> refs_;
};

}  // namespace vireo
