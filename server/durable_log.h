#pragma once

#include <uv.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/command_table.h"
#include "core/context.h"
#include "core/effects.h"
#include "core/keyspace.h"
#include "persistence/wal_writer.h"
#include "server/config.h"
#include "server/unsynced_keys.h"

namespace vireo {

class Connection;

// What the server learned from the log at start-up.
struct RecoveryReport {
  uint64_t start_lsn = 0;  // where the log on disk begins
  uint64_t records = 0;
  uint64_t effects = 0;
  uint64_t end_lsn = 0;
  uint64_t torn_bytes_dropped = 0;
  double seconds = 0;
};

// The server's side of the write-ahead log (appendonly yes): recovery at
// start-up, one record per loop iteration (group commit), and, under
// appendfsync always, holding back the replies that depend on writes until
// the fsync thread reports them durable. The loop never waits for the disk.
class DurableLog {
 public:
  // `unsynced` learns each batch's position and what became durable. Held
  // connections are flushed from the loop thread once their writes are.
  DurableLog(uv_loop_t* loop, const Settings& settings, UnsyncedKeys* unsynced);
  ~DurableLog();
  DurableLog(const DurableLog&) = delete;
  DurableLog& operator=(const DurableLog&) = delete;

  // Creates the log directory if needed and replays the log from
  // `from_lsn` (a checkpoint's position, or 0) into `keyspace` (truncating a
  // torn tail, refusing a damaged log), calling `progress` between records;
  // `progress` returns false to stop early. Returns an error text for the
  // operator, or "".
  std::string recover(Keyspace& keyspace, const CommandTable& commands, const CommandLimits& limits,
                      uint64_t from_lsn, const std::function<bool()>& progress,
                      RecoveryReport* report);
  // Starts appending, in a new segment at the end of the recovered log.
  std::string start();
  bool started() const { return started_; }

  // Appends one record: the effects of this loop iteration (group commit).
  void append(std::string_view payload) { writer_->append(payload); }
  // After the iteration's record (if any) was appended: under appendfsync
  // always, the replies that wait for this batch wait for its LSN from now
  // on, and a sync is requested.
  void end_iteration();

  // Under appendfsync always: `c`'s replies so far wait for the batch being
  // built (it wrote, or read what is not durable yet). No-op otherwise.
  void hold_for_batch(Connection& c);
  // Under appendfsync always: `c`'s replies so far wait until the log is
  // durable up to `lsn` (UnsyncedKeys::kOpenBatch: the batch being built).
  void hold_until(Connection& c, uint64_t lsn);
  // Whether `c`'s pending replies must wait; if so it is released later.
  bool holds(Connection& c);
  // Forgets `c` (closed).
  void forget(Connection* c);

  // Timer work: the once-a-second fsync of everysec, retries after errors.
  void tick(int64_t now_ms);
  // Writes and fsyncs everything appended (shutdown). Returns an error
  // text, or "".
  std::string close();

  // MISCONF: the reply to a write while the log cannot be written, or "".
  std::string write_refusal() const;
  // Before a checkpoint, once the iteration's effects are appended: starts a
  // new segment; returns the position the checkpoint stands for.
  uint64_t prepare_checkpoint();
  // A replica's full sync replaced the dataset with its primary's checkpoint
  // at `lsn`: every segment goes (they hold another history), and the log
  // begins again at `lsn`. Replies held for the old log are released.
  // Returns an error text, or "".
  std::string restart_at(uint64_t lsn);
  // A checkpoint at `lsn` landed: the segments it covers go.
  void covered_by_checkpoint(uint64_t lsn);
  // Where the log on disk begins (the last checkpoint's position, or the
  // oldest record): INFO aof_current_size counts from here.
  uint64_t base_lsn() const { return base_lsn_; }

  // CONFIG SET appendfsync.
  void set_policy(AppendFsync setting);

  const WalWriter& writer() const { return *writer_; }
  // The directory of the segment files.
  const std::string& dir() const { return dir_; }
  uint64_t held_connections() const { return held_.size(); }

 private:
  static void on_synced(uv_async_t* h);
  void release_durable();

  UnsyncedKeys* unsynced_;
  std::string dir_;
  uv_async_t synced_;
  std::unique_ptr<WalWriter> writer_;
  std::vector<Connection*> batch_waiters_;  // log_wait == kAwaitingBatch
  std::vector<Connection*> held_;           // replies held until durable
  bool started_ = false;
  uint64_t recovered_end_ = 0;
  uint64_t base_lsn_ = 0;
  bool reported_error_ = false;
  int64_t last_retry_ms_ = 0;
};

}  // namespace vireo
