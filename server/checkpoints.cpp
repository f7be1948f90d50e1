#include "server/checkpoints.h"

#include <dirent.h>
#include <fmt/format.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fcntl.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <vector>

#include "core/effects.h"
#include "core/log.h"
#include "persistence/checkpoint.h"
#include "persistence/durable_file.h"
#include "persistence/lsn_names.h"
#include "server/durable_log.h"
#include "server/server.h"

namespace vireo {
namespace {

// The calling process's private dirty memory in bytes (smaps_rollup), 0 when
// the kernel does not say. In a fork child this is what copy-on-write cost:
// pages the parent changed, and the child's own, are the child's alone.
uint64_t private_dirty_bytes() {
  FILE* f = std::fopen("/proc/self/smaps_rollup", "r");
  if (!f) return 0;
  char line[256];
  uint64_t kb = 0;
  while (std::fgets(line, sizeof line, f)) {
    unsigned long long v;
    if (std::sscanf(line, "Private_Dirty: %llu kB", &v) == 1) {
      kb = v;
      break;
    }
  }
  std::fclose(f);
  return kb * 1024;
}

constexpr std::string_view kPrefix = "checkpoint-";
constexpr std::string_view kSuffix = ".vck";
// After a failed background checkpoint, `save` rules wait this long before
// trying again (Redis: CONFIG_BGSAVE_RETRY_DELAY).
constexpr int64_t kRetryDelayMs = 5000;

std::string checkpoint_name(uint64_t lsn) {
  return lsn_file_name(kPrefix, lsn, kSuffix);
}

struct Found {
  uint64_t lsn;
  std::string path;
};

// The checkpoint files of `dir`, newest (highest LSN) first; removes the
// temporary files a crash during a write left behind.
std::vector<Found> list_checkpoints(const std::string& dir) {
  std::vector<Found> found;
  DIR* d = opendir(dir.c_str());
  if (!d) return found;
  while (dirent* e = readdir(d)) {
    std::string_view name = e->d_name;
    if (!name.starts_with(kPrefix)) continue;
    if (name.ends_with(".tmp")) {
      unlink((dir + "/" + e->d_name).c_str());
      continue;
    }
    if (auto lsn = parse_lsn_file_name(name, kPrefix, kSuffix)) {
      found.push_back({*lsn, dir + "/" + e->d_name});
    }
  }
  closedir(d);
  std::sort(found.begin(), found.end(),
            [](const Found& a, const Found& b) { return a.lsn > b.lsn; });
  return found;
}

uint64_t file_size(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0 ? static_cast<uint64_t>(st.st_size) : 0;
}

}  // namespace

Checkpoints::Checkpoints(const Settings& settings, Keyspace& keyspace, RespEffectEncoder& effects)
    : settings_(settings), keyspace_(keyspace), effects_(effects), dir_(settings.appenddirname) {
  last_save_ms_ = wall_clock_ms();
}

Checkpoints::~Checkpoints() {
  abort_background();
}

std::string Checkpoints::incoming_path() const {
  // Not under the checkpoints' prefix: their temporary files are removed
  // whenever old checkpoints are, which could be while this one arrives.
  return dir_ + "/replica-sync.tmp";
}

std::string Checkpoints::path_of(uint64_t lsn) const {
  return dir_ + "/" + checkpoint_name(lsn);
}

std::string Checkpoints::load(const ContainerLimits& limits, const std::function<void()>& progress,
                              uint64_t* lsn) {
  *lsn = 0;
  unlink(incoming_path().c_str());  // a crash during a full sync left it
  std::vector<Found> found = list_checkpoints(dir_);
  CheckpointLoadOptions options;
  options.limits = limits;
  options.progress = progress;
  for (const Found& f : found) {
    keyspace_.set_now(wall_clock_ms());
    CheckpointLoadResult r = load_checkpoint(f.path, keyspace_, options);
    if (!r.ok()) {
      log_warning("Skipping a damaged checkpoint: {}", r.error);
      continue;
    }
    *lsn = r.lsn;
    base_lsn_ = r.lsn;
    base_bytes_ = file_size(f.path);
    loaded_keys_ = r.keys_loaded;
    loaded_expired_ = r.keys_expired;
    last_save_ms_ = r.created_ms;
    log_notice("Loaded the checkpoint {}: {} keys ({} expired and dropped), log position {}",
               f.path, r.keys_loaded, r.keys_expired, r.lsn);
    return "";
  }
  if (!found.empty()) {
    return fmt::format(
        "No checkpoint in {} could be loaded (see above); nothing was dropped. "
        "Move the damaged files away to start from the log alone.",
        dir_);
  }
  return "";
}

uint64_t Checkpoints::checkpoint_lsn() {
  const uint64_t lsn = commit_ ? commit_() : base_lsn_;
  if (log_) log_->prepare_checkpoint();
  return lsn;
}

std::string Checkpoints::save() {
  if (child_ > 0) return "ERR Background save already in progress";
  if (mkdir(dir_.c_str(), 0755) != 0 && errno != EEXIST) {
    return fmt::format("ERR can't create {}: {}", dir_, std::strerror(errno));
  }
  const int64_t started = wall_clock_ms();
  const uint64_t lsn = checkpoint_lsn();
  CheckpointWriteResult r =
      write_checkpoint_file(dir_, checkpoint_name(lsn), keyspace_, lsn, started);
  if (!r.ok()) {
    log_warning("Checkpoint failed: {}", r.error);
    return "ERR " + r.error;
  }
  log_notice("DB saved on disk ({} keys, {} bytes, log position {})", r.keys, r.bytes, lsn);
  landed(lsn, effects_.effect_count(), started);
  return "";
}

std::string Checkpoints::start_background(CheckpointKind kind) {
  if (child_ > 0) return "ERR Background save already in progress";
  if (effects_.in_group()) {
    // Inside EXEC: the transaction's effects so far cannot be cut off as a
    // record of their own, and the child must see all of them or none. The
    // next tick starts it, after the transaction.
    scheduled_ = kind;
    return "";
  }
  if (mkdir(dir_.c_str(), 0755) != 0 && errno != EEXIST) {
    return fmt::format("ERR can't create {}: {}", dir_, std::strerror(errno));
  }
  const int64_t started = wall_clock_ms();
  const uint64_t lsn = checkpoint_lsn();
  const pid_t parent = getpid();
  // A missing report only leaves the COW figure at 0: no reason to refuse.
  int report[2] = {-1, -1};
  if (pipe2(report, O_CLOEXEC | O_NONBLOCK) != 0) report[0] = report[1] = -1;
  pid_t pid = fork();
  if (pid < 0) {
    for (int fd : report) {
      if (fd >= 0) close(fd);
    }
    last_background_ok_ = false;
    last_failure_ms_ = started;
    ++consecutive_failures_;
    return fmt::format("ERR can't fork: {}", std::strerror(errno));
  }
  if (pid == 0) {
    // The child: a copy-on-write image of the keyspace as of `lsn`. Signals
    // meant for it must not reach the loop's handlers (their pipe is shared
    // with the parent), and it must not outlive a parent that was killed.
    std::signal(SIGTERM, SIG_DFL);
    std::signal(SIGINT, SIG_DFL);
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(1);
    std::function<void()> pace;
    if (const int64_t delay = settings_.rdb_key_save_delay; delay > 0) {
      pace = [delay] { usleep(static_cast<useconds_t>(delay)); };
    }
    CheckpointWriteResult r =
        write_checkpoint_file(dir_, checkpoint_name(lsn), keyspace_, lsn, started, pace);
    if (!r.ok()) log_warning("Background checkpoint failed: {}", r.error);
    if (r.ok() && report[1] >= 0) {
      const uint64_t cow = private_dirty_bytes();
      if (write(report[1], &cow, sizeof cow) != sizeof cow) {
        // Nothing to do: the parent reports 0.
      }
    }
    _exit(r.ok() ? 0 : 1);
  }
  if (report[1] >= 0) close(report[1]);
  child_report_fd_ = report[0];
  child_ = pid;
  child_kind_ = kind;
  child_lsn_ = lsn;
  child_dirty_ = effects_.effect_count();
  child_started_ms_ = started;
  scheduled_.reset();
  log_notice("Background {} started by pid {} (log position {})",
             kind == CheckpointKind::kBgsave ? "saving" : "rewriting of the log", pid, lsn);
  return "";
}

void Checkpoints::landed(uint64_t lsn, uint64_t dirty_at_start, int64_t started_ms) {
  const int64_t now = wall_clock_ms();
  last_save_ms_ = now;
  dirty_at_save_ = dirty_at_start;
  last_background_seconds_ = (now - started_ms) / 1000;
  ++saves_;
  base_lsn_ = lsn;
  base_bytes_ = file_size(path_of(lsn));
  for (const Found& f : list_checkpoints(dir_)) {
    if (f.lsn < lsn) unlink(f.path.c_str());
  }
  if (log_) log_->covered_by_checkpoint(lsn);
}

void Checkpoints::remove_all() {
  for (const Found& f : list_checkpoints(dir_))
    unlink(f.path.c_str());
}

std::string Checkpoints::adopt(const std::string& path, uint64_t lsn) {
  // Old ones first: a crash before the rename then leaves no checkpoint
  // rather than one of another history that start-up would prefer.
  remove_all();
  if (int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC); fd >= 0) {
    const bool synced = fsync(fd) == 0;
    ::close(fd);
    if (!synced) return fmt::format("can't fsync {}: {}", path, std::strerror(errno));
  }
  const std::string target = path_of(lsn);
  if (rename(path.c_str(), target.c_str()) != 0) {
    return fmt::format("can't rename {} to {}: {}", path, target, std::strerror(errno));
  }
  if (std::string error = sync_directory(dir_); !error.empty()) return error;
  base_lsn_ = lsn;
  base_bytes_ = file_size(target);
  last_save_ms_ = wall_clock_ms();
  dirty_at_save_ = effects_.effect_count();
  return "";
}

void Checkpoints::abort_background() {
  if (child_ <= 0) return;
  kill(child_, SIGKILL);
  while (waitpid(child_, nullptr, 0) < 0 && errno == EINTR) {
  }
  if (child_report_fd_ >= 0) close(child_report_fd_);
  child_report_fd_ = -1;
  child_ = 0;
  scheduled_.reset();
}

void Checkpoints::reaped(int status) {
  const bool ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
  child_ = 0;
  if (child_report_fd_ >= 0) {
    // Written before the child exited, so it is in the pipe now.
    uint64_t cow = 0;
    if (ok && read(child_report_fd_, &cow, sizeof cow) == sizeof cow) {
      last_cow_bytes_[child_kind_ == CheckpointKind::kBgsave ? 0 : 1] = cow;
    }
    close(child_report_fd_);
    child_report_fd_ = -1;
  }
  last_background_ok_ = ok;
  if (child_kind_ == CheckpointKind::kRewrite) ++rewrites_;
  if (ok) {
    consecutive_failures_ = 0;
    log_notice("Background saving terminated with success");
    landed(child_lsn_, child_dirty_, child_started_ms_);
  } else {
    ++consecutive_failures_;
    last_failure_ms_ = wall_clock_ms();
    log_warning("Background saving error");
  }
  if (on_end_) on_end_(ok, child_lsn_, path_of(child_lsn_));
}

void Checkpoints::tick(int64_t now_ms) {
  if (child_ > 0) {
    int status = 0;
    if (waitpid(child_, &status, WNOHANG) == child_) reaped(status);
    return;
  }
  if (scheduled_) {
    start_background(*scheduled_);
    return;
  }
  const bool may_retry = last_background_ok_ || now_ms - last_failure_ms_ > kRetryDelayMs;
  for (const SavePoint& p : settings_.save) {
    if (may_retry && changes_since_save() >= static_cast<uint64_t>(p.changes) &&
        now_ms - last_save_ms_ >= p.seconds * 1000) {
      log_notice("{} changes in {} seconds. Saving...", p.changes, p.seconds);
      start_background(CheckpointKind::kBgsave);
      return;
    }
  }
  if (log_ && settings_.auto_aof_rewrite_percentage > 0 && may_retry) {
    const uint64_t grown = log_->writer().appended_lsn() - base_lsn_;
    const uint64_t threshold = std::max<uint64_t>(
        settings_.auto_aof_rewrite_min_size,
        base_bytes_ / 100 * static_cast<uint64_t>(settings_.auto_aof_rewrite_percentage));
    if (grown >= threshold) {
      log_notice("Starting automatic rewriting of the log: {} bytes since the last checkpoint",
                 grown);
      start_background(CheckpointKind::kRewrite);
    }
  }
}

bool Checkpoints::refuses_writes() const {
  return settings_.stop_writes_on_bgsave_error && !settings_.save.empty() && !last_background_ok_;
}

}  // namespace vireo
