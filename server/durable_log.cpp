#include "server/durable_log.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>

#include "core/log.h"
#include "persistence/effect_replay.h"
#include "persistence/wal_scan.h"
#include "server/connection.h"

namespace vireo {
namespace {

FsyncPolicy policy_of(AppendFsync setting) {
  switch (setting) {
    case AppendFsync::kAlways:
      return FsyncPolicy::kAlways;
    case AppendFsync::kNo:
      return FsyncPolicy::kNo;
    default:
      return FsyncPolicy::kEverysec;
  }
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

DurableLog::DurableLog(uv_loop_t* loop, const Settings& settings, UnsyncedKeys* unsynced)
    : unsynced_(unsynced), dir_(settings.appenddirname) {
  uv_async_init(loop, &synced_, on_synced);
  synced_.data = this;
  writer_ = std::make_unique<WalWriter>(WalWriter::Options{dir_, policy_of(settings.appendfsync)},
                                        [this] { uv_async_send(&synced_); });
}

DurableLog::~DurableLog() {
  writer_.reset();  // joins the sync thread before the handle goes
  if (!uv_is_closing(reinterpret_cast<uv_handle_t*>(&synced_))) {
    uv_close(reinterpret_cast<uv_handle_t*>(&synced_), nullptr);
  }
}

std::string DurableLog::recover(Keyspace& keyspace, const CommandTable& commands,
                                const CommandLimits& limits, uint64_t from_lsn,
                                const std::function<bool()>& progress, RecoveryReport* report) {
  if (mkdir(dir_.c_str(), 0755) != 0 && errno != EEXIST) {
    return fmt::format("Can't create the log directory {}: {}", dir_, std::strerror(errno));
  }
  const auto start = std::chrono::steady_clock::now();
  std::string error;
  std::vector<wal::SegmentFile> segments = wal::list_segments(dir_, &error);
  if (!error.empty()) return error;
  EffectReplayer replayer(keyspace, commands, limits);
  wal::LogScanResult scan = [&] {
    DeadlinesScope replaying(keyspace, Deadlines::kIgnored);
    return wal::scan_log(segments, from_lsn, [&](uint64_t, std::string_view payload) {
      if (!progress()) return std::string("stopped");
      return replayer.apply(payload);
    });
  }();
  if (!scan.error.empty()) return fmt::format("Can't replay the log: {}", scan.error);
  for (const wal::LogProblem& p : scan.problems) {
    if (p.kind == wal::LogProblem::Kind::kCorrupt) {
      return fmt::format(
          "The log is damaged: {} at offset {} of {} (log position {}; {} bytes follow in that "
          "file). Nothing was dropped. Inspect it with `vireo-check-wal {}`; to keep every record "
          "before the damage and drop the rest, run `vireo-check-wal --truncate {}`.",
          p.what, p.offset, p.path, p.lsn, p.bytes_after, dir_, dir_);
    }
    log_warning(
        "The log ends with an incomplete write ({}): dropping its {} bytes at offset {} "
        "of {} (log position {}); they were never acknowledged.",
        p.what, p.bytes_after, p.offset, p.path, p.lsn);
    if (std::string e = wal::truncate_log(segments, p); !e.empty()) {
      return "Can't truncate the torn tail of the log: " + e;
    }
    report->torn_bytes_dropped += p.bytes_after;
  }
  if (scan.end_lsn < from_lsn) {
    // The checkpoint is newer than the end of the log: a machine crash took
    // the last un-synced records (everysec), which the checkpoint still
    // holds. The old segments are all covered; the log goes on from there.
    log_warning(
        "The log ends at position {}, before the checkpoint's {}: continuing from the "
        "checkpoint.",
        scan.end_lsn, from_lsn);
    for (const wal::SegmentFile& s : segments)
      unlink(s.path.c_str());
    scan.end_lsn = scan.start_lsn = from_lsn;
  }
  report->start_lsn = base_lsn_ = std::max(scan.start_lsn, from_lsn);
  report->records = scan.records;
  report->effects = replayer.applied();
  report->end_lsn = scan.end_lsn;
  report->seconds = seconds_since(start);
  recovered_end_ = scan.end_lsn;
  return "";
}

std::string DurableLog::start() {
  std::string error = writer_->open(recovered_end_);
  started_ = error.empty();
  return error;
}

void DurableLog::end_iteration() {
  const uint64_t lsn = writer_->appended_lsn();
  unsynced_->batch_written(lsn);
  if (batch_waiters_.empty()) {
    // Under always, records no reply waits for (a replica's, keepalives)
    // are made durable as promptly.
    if (writer_->policy() == FsyncPolicy::kAlways && writer_->durable_lsn() < lsn) {
      writer_->request_sync();
    }
    return;
  }
  for (Connection* c : batch_waiters_) {
    if (c->log_wait == Connection::kAwaitingBatch) c->log_wait = lsn;
  }
  batch_waiters_.clear();
  writer_->request_sync();
}

void DurableLog::hold_until(Connection& c, uint64_t lsn) {
  if (lsn == UnsyncedKeys::kOpenBatch) {
    hold_for_batch(c);
  } else if (c.log_wait != Connection::kAwaitingBatch && lsn > writer_->durable_lsn()) {
    c.log_wait = std::max(c.log_wait, lsn);
  }
}

void DurableLog::hold_for_batch(Connection& c) {
  if (writer_->policy() != FsyncPolicy::kAlways || c.log_wait == Connection::kAwaitingBatch) {
    return;
  }
  c.log_wait = Connection::kAwaitingBatch;
  batch_waiters_.push_back(&c);
}

bool DurableLog::holds(Connection& c) {
  if (c.log_wait <= writer_->durable_lsn()) return false;
  if (!c.log_held) {
    c.log_held = true;
    held_.push_back(&c);
  }
  return true;
}

void DurableLog::forget(Connection* c) {
  if (c->log_wait == Connection::kAwaitingBatch) std::erase(batch_waiters_, c);
  if (c->log_held) std::erase(held_, c);
}

void DurableLog::on_synced(uv_async_t* h) {
  auto* log = static_cast<DurableLog*>(h->data);
  const bool was_healthy = log->writer_->healthy();
  log->writer_->sync_done();
  if (!log->writer_->healthy()) {
    if (was_healthy) {
      log_warning("Can't fsync the log: {}. Writes are refused until it succeeds.",
                  std::strerror(log->writer_->last_errno()));
    }
    return;
  }
  log->release_durable();
  // Writes that arrived during the fsync: the next group.
  if (log->writer_->policy() == FsyncPolicy::kAlways) log->writer_->request_sync();
}

void DurableLog::release_durable() {
  const uint64_t durable = writer_->durable_lsn();
  unsynced_->durable(durable);
  std::vector<Connection*> ready;
  std::erase_if(held_, [&](Connection* c) {
    if (c->log_wait > durable) return false;
    c->log_held = false;
    ready.push_back(c);
    return true;
  });
  for (Connection* c : ready)
    c->flush();
}

void DurableLog::tick(int64_t now_ms) {
  if (!started_) return;
  if (!writer_->healthy()) {
    // Once a second, as a failing disk deserves no more.
    if (now_ms - last_retry_ms_ < 1000) return;
    last_retry_ms_ = now_ms;
    if (writer_->retry()) {
      log_notice("The log is being written again: writes are accepted.");
      reported_error_ = false;
    } else if (!reported_error_) {
      log_warning("Can't write the log: {}. Writes are refused until it succeeds.",
                  std::strerror(writer_->last_errno()));
      reported_error_ = true;
    }
    return;
  }
  if (writer_->policy() == FsyncPolicy::kEverysec &&
      writer_->durable_lsn() < writer_->written_lsn() &&
      now_ms - writer_->last_sync_start_ms() >= 1000) {
    writer_->request_sync();
  }
}

std::string DurableLog::close() {
  if (!started_) return "";
  end_iteration();
  std::string error = writer_->sync_all();
  release_durable();
  return error;
}

uint64_t DurableLog::prepare_checkpoint() {
  writer_->roll();
  return writer_->appended_lsn();
}

std::string DurableLog::restart_at(uint64_t lsn) {
  // What was appended belongs to the old history; it is made durable only
  // so that the writer holds nothing back when it goes.
  writer_->sync_all();
  release_durable();
  const FsyncPolicy policy = writer_->policy();
  writer_ = std::make_unique<WalWriter>(WalWriter::Options{dir_, policy},
                                        [this] { uv_async_send(&synced_); });
  std::string error;
  for (const wal::SegmentFile& s : wal::list_segments(dir_, &error))
    unlink(s.path.c_str());
  if (!error.empty()) return error;
  base_lsn_ = recovered_end_ = lsn;
  error = writer_->open(lsn);
  started_ = error.empty();
  return error;
}

void DurableLog::covered_by_checkpoint(uint64_t lsn) {
  const int removed = writer_->remove_segments_before(lsn);
  base_lsn_ = lsn;
  if (removed > 0) log_verbose("Removed {} log segments the checkpoint covers", removed);
}

void DurableLog::set_policy(AppendFsync setting) {
  writer_->set_policy(policy_of(setting));
}

std::string DurableLog::write_refusal() const {
  if (writer_->healthy()) return "";
  return fmt::format("MISCONF Errors writing to the AOF file: {}",
                     std::strerror(writer_->last_errno()));
}

}  // namespace vireo
