#pragma once

#include <sys/types.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "core/effects.h"
#include "core/keyspace.h"
#include "core/types/container.h"
#include "server/config.h"

namespace vireo {

class DurableLog;

// What asked for a background checkpoint: BGSAVE (and `save` rules), or
// BGREWRITEAOF (and the log's automatic rewrite). The work is the same; INFO
// and the replies tell them apart as Redis does.
enum class CheckpointKind { kBgsave, kRewrite };

// Checkpoints as the server takes them: SAVE in the loop, BGSAVE /
// BGREWRITEAOF / `save` rules / the log's automatic rewrite in a forked child
// that writes the copy-on-write image while the loop goes on, and start-up's
// choice of the newest valid one. When one lands, the log it covers goes.
//
// Files live beside the log, `checkpoint-<20-digit LSN>.vck` in
// appenddirname, written as `<name>.tmp` and renamed (persistence/checkpoint.h).
class Checkpoints {
 public:
  // `effects`: the server's encoder, whose effect count is Redis's `dirty`
  // counter (changes since the last checkpoint).
  Checkpoints(const Settings& settings, Keyspace& keyspace, RespEffectEncoder& effects);
  ~Checkpoints();
  Checkpoints(const Checkpoints&) = delete;
  Checkpoints& operator=(const Checkpoints&) = delete;

  // The log, when appendonly is on (its position stamps checkpoints, and
  // what a checkpoint covers is removed from it). Null: checkpoints only.
  void attach_log(DurableLog* log) { log_ = log; }
  // How a checkpoint learns its position: `commit` makes the iteration's
  // effects a record of the stream (the log and replicas) and returns the
  // position after it. Unset: checkpoints keep the loaded one's position.
  void attach_stream(std::function<uint64_t()> commit) { commit_ = std::move(commit); }
  // Called whenever a background checkpoint ends: whether it landed, its
  // position and its file (replicas waiting for a full sync load it).
  using EndFn = std::function<void(bool ok, uint64_t lsn, const std::string& path)>;
  void on_background_end(EndFn fn) { on_end_ = std::move(fn); }

  // Loads the newest checkpoint that loads, dropping damaged ones with a
  // warning (an older one may still do, if the log still reaches back to
  // it). Sets *lsn to its position (0 with none). `progress` runs every few
  // thousand keys. Returns an error text for the operator, or "".
  std::string load(const ContainerLimits& limits, const std::function<void()>& progress,
                   uint64_t* lsn);

  // Where a replica writes its primary's checkpoint while it arrives: one
  // fixed name beside the checkpoints (adopt() renames it into place), which
  // start-up removes if a crash left it.
  std::string incoming_path() const;
  // A replica's full sync: the file at `path` (its primary's checkpoint at
  // `lsn`, already loaded) becomes the only checkpoint, after every other
  // one is removed (they hold another history). Returns "" or why not.
  std::string adopt(const std::string& path, uint64_t lsn);
  // Removes every checkpoint file (a replica's full sync without a log).
  void remove_all();

  // SAVE: writes a checkpoint now, in the loop. Returns "" or why not.
  std::string save();
  // BGSAVE / BGREWRITEAOF: forks a child that writes one. Returns "" or why
  // not (one is already being written).
  std::string start_background(CheckpointKind kind);
  // Asks for a background checkpoint as soon as the running one ends
  // (BGSAVE SCHEDULE, BGREWRITEAOF during a BGSAVE).
  void schedule(CheckpointKind kind) { scheduled_ = kind; }
  bool in_progress() const { return child_ > 0; }
  // The position of the running background checkpoint.
  uint64_t running_lsn() const { return child_lsn_; }
  CheckpointKind running_kind() const { return child_kind_; }
  // A checkpoint of `kind` is running, or scheduled.
  bool in_progress(CheckpointKind kind) const { return child_ > 0 && child_kind_ == kind; }
  bool scheduled(CheckpointKind kind) const { return scheduled_ == kind; }

  // Timer work: collects a finished child, starts a scheduled checkpoint,
  // and applies the `save` rules and auto-aof-rewrite-*.
  void tick(int64_t now_ms);

  // Kills a running child (shutdown); its temporary file is removed at the
  // next start.
  void abort_background();

  // INFO persistence.
  uint64_t changes_since_save() const { return effects_.effect_count() - dirty_at_save_; }
  int64_t last_save_time_s() const { return last_save_ms_ / 1000; }
  bool last_background_ok() const { return last_background_ok_; }
  int64_t last_background_seconds() const { return last_background_seconds_; }
  int64_t current_background_seconds(int64_t now_ms) const {
    return child_ > 0 ? (now_ms - child_started_ms_) / 1000 : -1;
  }
  uint64_t saves() const { return saves_; }
  // Memory the last background checkpoint of `kind` copied on write: the
  // child's private dirty bytes when it finished (INFO rdb_last_cow_size,
  // aof_last_cow_size). 0 before the first.
  uint64_t last_cow_bytes(CheckpointKind kind) const {
    return kind == CheckpointKind::kBgsave ? last_cow_bytes_[0] : last_cow_bytes_[1];
  }
  uint64_t rewrites() const { return rewrites_; }
  uint64_t consecutive_failures() const { return consecutive_failures_; }
  uint64_t loaded_keys() const { return loaded_keys_; }
  uint64_t loaded_expired_keys() const { return loaded_expired_; }
  // The size of the newest checkpoint (aof_base_size) and its position.
  uint64_t base_bytes() const { return base_bytes_; }
  uint64_t base_lsn() const { return base_lsn_; }
  // Whether writes are refused (stop-writes-on-bgsave-error).
  bool refuses_writes() const;

 private:
  // Where the next checkpoint stands in the log: its end, after this
  // iteration's effects are written and a new segment begun.
  uint64_t checkpoint_lsn();
  // After a checkpoint at `lsn` landed: bookkeeping, and removal of the
  // older checkpoints and of the log it covers.
  void landed(uint64_t lsn, uint64_t dirty_at_start, int64_t started_ms);
  // Records how the child ended (its wait status).
  void reaped(int status);
  std::string path_of(uint64_t lsn) const;

  std::function<uint64_t()> commit_;
  EndFn on_end_;
  const Settings& settings_;
  Keyspace& keyspace_;
  RespEffectEncoder& effects_;
  DurableLog* log_ = nullptr;
  std::string dir_;

  pid_t child_ = 0;
  int child_report_fd_ = -1;  // the child writes its copy-on-write size here
  CheckpointKind child_kind_ = CheckpointKind::kBgsave;
  std::optional<CheckpointKind> scheduled_;
  uint64_t rewrites_ = 0, consecutive_failures_ = 0;
  uint64_t child_lsn_ = 0;
  uint64_t child_dirty_ = 0;
  int64_t child_started_ms_ = 0;
  int64_t last_failure_ms_ = 0;

  uint64_t dirty_at_save_ = 0;
  int64_t last_save_ms_ = 0;
  bool last_background_ok_ = true;
  int64_t last_background_seconds_ = -1;
  uint64_t saves_ = 0;
  uint64_t last_cow_bytes_[2] = {0, 0};  // kBgsave, kRewrite
  uint64_t loaded_keys_ = 0, loaded_expired_ = 0;
  uint64_t base_bytes_ = 0, base_lsn_ = 0;
};

}  // namespace vireo
