#include "persistence/wal_writer.h"

#include <fcntl.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>

#include "persistence/wal_format.h"
#include "persistence/wal_scan.h"

namespace vireo {
namespace {

// Unsynced bytes are kept in chunks of about this size: one allocation per
// chunk rather than per record.
constexpr size_t kChunkBytes = 1 << 20;

int64_t wall_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

constexpr int kMaxParts = 16;

// Writes all of `iov` (at most kMaxParts parts) at `offset`; returns 0 or an
// errno. After a short write the rest is tried again, so that the error
// reported is the kernel's reason (ENOSPC, EFBIG, EIO...).
int pwrite_all(int fd, const iovec* parts, int count, uint64_t offset) {
  iovec iov[kMaxParts];
  std::copy(parts, parts + count, iov);
  iovec* next = iov;
  while (count > 0) {
    ssize_t n = pwritev(fd, next, count, static_cast<off_t>(offset));
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    if (n == 0) return ENOSPC;
    offset += static_cast<uint64_t>(n);
    auto done = static_cast<size_t>(n);
    while (count > 0 && done >= next->iov_len) {
      done -= next->iov_len;
      ++next;
      --count;
    }
    if (count > 0) {
      next->iov_base = static_cast<char*>(next->iov_base) + done;
      next->iov_len -= done;
    }
  }
  return 0;
}

int pwrite_all(int fd, std::string_view bytes, uint64_t offset) {
  iovec iov{const_cast<char*>(bytes.data()), bytes.size()};
  return pwrite_all(fd, &iov, 1, offset);
}

// Writes `length` zero bytes at `offset`, up to 1 MiB per pwritev from one
// 64 KiB buffer; returns 0 or an errno.
int write_zeros(int fd, uint64_t offset, uint64_t length) {
  static const char zeros[64 * 1024] = {};
  iovec iov[kMaxParts];
  while (length > 0) {
    int parts = 0;
    uint64_t bytes = 0;
    for (; parts < kMaxParts && bytes < length; ++parts) {
      iov[parts].iov_base = const_cast<char*>(zeros);
      iov[parts].iov_len = static_cast<size_t>(std::min<uint64_t>(sizeof zeros, length - bytes));
      bytes += iov[parts].iov_len;
    }
    if (int err = pwrite_all(fd, iov, parts, offset)) return err;
    offset += bytes;
    length -= bytes;
  }
  return 0;
}

}  // namespace

WalWriter::WalWriter(Options options, std::function<void()> wake)
    : options_(std::move(options)), wake_(std::move(wake)) {
  thread_ = std::thread([this] { sync_thread_main(); });
}

WalWriter::~WalWriter() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  thread_.join();
  for (const Segment& s : retired_)
    ::close(s.fd);
  if (current_.fd >= 0) ::close(current_.fd);
  if (dir_fd_ >= 0) ::close(dir_fd_);
}

std::string WalWriter::open(uint64_t lsn) {
  dir_fd_ = ::open(options_.dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd_ < 0) return "can't open " + options_.dir + ": " + std::strerror(errno);
  appended_ = written_ = durable_ = lsn;
  if (int err = start_segment()) {
    return "can't create a log segment in " + options_.dir + ": " + std::strerror(err);
  }
  return "";
}

int WalWriter::start_segment() {
  std::string path = options_.dir + "/" + wal::segment_name(written_);
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return errno;
  std::string header = wal::segment_header(written_);
  if (int err = pwrite_all(fd, header, 0)) {
    ::close(fd);
    unlink(path.c_str());
    return err;
  }
  if (current_.fd >= 0) {
    if (options_.policy == FsyncPolicy::kNo) {
      ::close(current_.fd);
    } else {
      retired_.push_back(current_);
    }
  }
  current_ = {fd, written_, written_, header.size(), header.size(), true};
  ++dir_changes_;
  roll_requested_ = false;
  return 0;
}

void WalWriter::append(std::string_view payload) {
  unsigned char header[wal::kRecordHeaderSize];
  wal::record_header(payload, header);
  appended_ += sizeof(header) + payload.size();
  ++records_;
  if (!pending_.empty() || write_errno_) {
    // Behind a failed write: keep the order, write both on retry().
    pending_.append(reinterpret_cast<const char*>(header), sizeof(header));
    pending_.append(payload);
    return;
  }
  if (roll_requested_ || current_.size >= options_.segment_bytes) {
    if (int err = start_segment()) write_errno_ = err;
  }
  iovec iov[2] = {{header, sizeof(header)}, {const_cast<char*>(payload.data()), payload.size()}};
  if (!write_errno_) {
    // (Not when the new segment could not be created: current_ is the old one.)
    extend_zeroed(current_.size + sizeof(header) + payload.size());
    write_errno_ = pwrite_all(current_.fd, iov, 2, current_.size);
  }
  if (write_errno_) {
    pending_.append(reinterpret_cast<const char*>(header), sizeof(header));
    pending_.append(payload);
    return;
  }
  const uint64_t offset = current_.size;
  current_.size += sizeof(header) + payload.size();
  written_ = current_.end_lsn = appended_;
  if (options_.policy == FsyncPolicy::kNo) return;
  if (unsynced_.empty() || unsynced_.back().fd != current_.fd ||
      unsynced_.back().bytes.size() >= kChunkBytes) {
    unsynced_.push_back({current_.fd, offset, written_, {}});
  }
  Unsynced& chunk = unsynced_.back();
  chunk.bytes.append(reinterpret_cast<const char*>(header), sizeof(header));
  chunk.bytes.append(payload);
  chunk.end_lsn = written_;
  unsynced_bytes_ += sizeof(header) + payload.size();
}

bool WalWriter::write_pending() {
  if (current_.fd < 0 || roll_requested_) {
    if ((write_errno_ = start_segment())) return false;
  }
  extend_zeroed(current_.size + pending_.size());
  if ((write_errno_ = pwrite_all(current_.fd, pending_, current_.size))) return false;
  const uint64_t offset = current_.size;
  current_.size += pending_.size();
  written_ = current_.end_lsn = appended_;
  if (options_.policy != FsyncPolicy::kNo) {
    unsynced_bytes_ += pending_.size();
    unsynced_.push_back({current_.fd, offset, written_, std::move(pending_)});
  }
  pending_.clear();
  return true;
}

void WalWriter::extend_zeroed(uint64_t end) {
  // Under `no` nothing is fsynced: the space would only cost writes.
  Segment& s = current_;
  const uint64_t ahead = options_.preallocate_bytes;
  if (ahead == 0 || options_.policy == FsyncPolicy::kNo || !s.preallocating) return;
  // A write past the zeroed end extends the file by itself; zeros go after it.
  s.zeroed = std::max(s.zeroed, end);
  if (s.zeroed >= end + ahead / 2) return;
  // Not past the size at which the segment is closed (nor in one write).
  const uint64_t to = std::min(end + ahead, std::max(options_.segment_bytes, s.zeroed));
  if (to <= s.zeroed) return;
  if (write_zeros(s.fd, s.zeroed, to - s.zeroed) != 0) {
    // Not an error of the log: its own writes will meet a full disk, if
    // that is the cause, and are reported then.
    s.preallocating = false;
    return;
  }
  s.zeroed = to;
}

void WalWriter::roll() {
  if (current_.size <= wal::kSegmentHeaderSize) return;
  // At once rather than at the next append: the segment just closed is then
  // wholly before the checkpoint, and removable when that lands.
  if (!pending_.empty() || write_errno_) {
    roll_requested_ = true;
  } else if (int err = start_segment()) {
    write_errno_ = err;
    roll_requested_ = true;
  }
}

void WalWriter::request_sync() {
  if (options_.policy == FsyncPolicy::kNo || job_running_ || rewrite_needed_) return;
  if (written_ == durable_ && dir_synced_ == dir_changes_) return;
  SyncJob job;
  for (const Segment& s : retired_) {
    if (s.end_lsn > durable_) job.fds.push_back(s.fd);
  }
  job.fds.push_back(current_.fd);
  if (dir_synced_ != dir_changes_) job.dir_fd = dir_fd_;
  job.dir_changes = dir_changes_;
  job.lsn = written_;
  last_sync_start_ms_ = wall_ms();
  job_running_ = true;
  {
    std::lock_guard lock(mu_);
    job_ = std::move(job);
    job_ready_ = true;
  }
  cv_.notify_all();
}

void WalWriter::sync_thread_main() {
  std::unique_lock lock(mu_);
  while (true) {
    cv_.wait(lock, [this] { return job_ready_ || stopping_; });
    if (!job_ready_) return;
    job_ready_ = false;
    const SyncJob job = job_;
    lock.unlock();
    int err = 0;
    for (int fd : job.fds) {
      if (fdatasync(fd) != 0 && !err) err = errno;
    }
    if (job.dir_fd >= 0 && fsync(job.dir_fd) != 0 && !err) err = errno;
    lock.lock();
    job_errno_ = err;
    job_finished_ = true;
    lock.unlock();
    cv_.notify_all();
    wake_();
    lock.lock();
  }
}

bool WalWriter::sync_done() {
  SyncJob job;
  int err;
  {
    std::lock_guard lock(mu_);
    if (!job_finished_) return false;
    job_finished_ = false;
    job = job_;
    err = job_errno_;
  }
  job_running_ = false;
  if (err) {
    // The kernel may have dropped the pages it failed to write: write them
    // again from memory before trusting another fsync.
    sync_errno_ = err;
    rewrite_needed_ = true;
    return false;
  }
  sync_errno_ = 0;
  ++syncs_;
  dir_synced_ = job.dir_changes;
  if (job.lsn <= durable_) return false;
  durable_ = job.lsn;
  while (!unsynced_.empty() && unsynced_.front().end_lsn <= durable_) {
    unsynced_bytes_ -= unsynced_.front().bytes.size();
    unsynced_.pop_front();
  }
  close_synced_segments();
  return true;
}

void WalWriter::close_synced_segments() {
  std::erase_if(retired_, [this](const Segment& s) {
    if (s.end_lsn > durable_) return false;
    ::close(s.fd);
    return true;
  });
}

bool WalWriter::retry() {
  if (job_running_) return healthy();
  if (rewrite_needed_) {
    int err = 0;
    for (const Unsynced& chunk : unsynced_) {
      if ((err = pwrite_all(chunk.fd, chunk.bytes, chunk.offset))) break;
    }
    if (err) {
      sync_errno_ = err;
      return false;
    }
    rewrite_needed_ = false;
  }
  if (write_errno_ && !write_pending()) return false;
  write_errno_ = 0;
  request_sync();
  return healthy();
}

void WalWriter::wait_for_sync() {
  if (!job_running_) return;
  {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [this] { return job_finished_; });
  }
  sync_done();
}

std::string WalWriter::sync_all() {
  wait_for_sync();
  if (!healthy()) {
    retry();
    wait_for_sync();
  }
  if (options_.policy == FsyncPolicy::kNo && healthy() && current_.fd >= 0 &&
      fdatasync(current_.fd) != 0) {
    sync_errno_ = errno;
  }
  request_sync();
  wait_for_sync();
  if (healthy()) return "";
  return std::string("the log could not be made durable: ") + std::strerror(last_errno());
}

void WalWriter::set_policy(FsyncPolicy policy) {
  if (policy == options_.policy) return;
  const FsyncPolicy old = options_.policy;
  options_.policy = policy;
  // Under `no` nothing was kept to write again: make it durable now.
  if (old == FsyncPolicy::kNo) sync_all();
}

int WalWriter::remove_segments_before(uint64_t lsn) {
  std::string error;
  std::vector<wal::SegmentFile> files = wal::list_segments(options_.dir, &error);
  int removed = 0;
  // A segment ends where the next begins: it is wholly before `lsn` when
  // its successor starts at or before it.
  for (size_t i = 0; i + 1 < files.size(); ++i) {
    if (files[i + 1].start_lsn > lsn) break;
    if (unlink(files[i].path.c_str()) == 0) ++removed;
  }
  return removed;
}

}  // namespace vireo
