#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace vireo {

// When the log is made durable (appendfsync).
enum class FsyncPolicy { kAlways, kEverysec, kNo };

// Appends records to the write-ahead log's segment files (persistence/
// wal_format.h) and makes them durable with fsyncs that run on a thread of
// their own, so the thread that appends never waits for the disk.
//
// Each append() is one pwritev(2) into the page cache. request_sync() hands
// "everything written so far" to the sync thread, which fdatasyncs and then
// calls the `wake` function given at construction (from its own thread); the
// owner then calls sync_done() on its thread to learn the new durable_lsn().
// Appends made while a sync runs are covered by the next one: that is the
// group commit.
//
// Errors are never dropped: a failed write keeps its bytes in memory, a
// failed fsync keeps the bytes it covered (the kernel may have discarded the
// dirty pages), and retry() writes them again. Until then healthy() is false
// and the owner refuses new writes. Not thread-safe except where noted.
class WalWriter {
 public:
  struct Options {
    std::string dir;  // holds the segment files; must exist
    FsyncPolicy policy = FsyncPolicy::kEverysec;
    uint64_t segment_bytes = 64ull << 20;  // a segment is closed once it reaches this size
    // Zero-filled space kept ahead of the writes (see extend_zeroed); 0: none.
    uint64_t preallocate_bytes = 1ull << 20;
  };
  // `wake` is called from the sync thread after every sync, successful or not.
  WalWriter(Options options, std::function<void()> wake);
  // Waits for a running sync; does not start one (see sync_all).
  ~WalWriter();
  WalWriter(const WalWriter&) = delete;
  WalWriter& operator=(const WalWriter&) = delete;

  // Starts logging at `lsn` (the end of the recovered log) in a new segment.
  // Returns an error text, or "" on success.
  std::string open(uint64_t lsn);

  // Appends one record holding `payload` at appended_lsn(). The bytes reach
  // the file now, or, if the disk refuses them, on a later retry().
  void append(std::string_view payload);
  // Starts a new segment at the current position (now, or after a failed
  // write is retried), so that every record before it is in files no later
  // record shares (before a checkpoint).
  void roll();

  // Asks the sync thread to make everything written so far durable, unless
  // a sync is already running (its completion asks again if needed).
  void request_sync();
  // Takes the result of a finished sync (after `wake`); returns true when
  // durable_lsn() advanced.
  bool sync_done();
  // Writes again what failed to be written or synced, and asks for a sync.
  // Returns healthy().
  bool retry();
  // Writes and fsyncs everything now, on the calling thread (shutdown).
  // Returns an error text, or "" when everything appended is durable.
  std::string sync_all();

  // Removes segment files that hold only records before `lsn` (covered by a
  // checkpoint). Returns how many were removed.
  int remove_segments_before(uint64_t lsn);

  uint64_t appended_lsn() const { return appended_; }  // after the last record appended
  uint64_t written_lsn() const { return written_; }    // after the last record in the file
  uint64_t durable_lsn() const { return durable_; }    // after the last record fsynced
  // Bytes held in memory: records not yet written, and written ones kept
  // until an fsync covers them (maxmemory leaves them out, as Redis its AOF
  // buffer).
  uint64_t buffered_bytes() const { return pending_.size() + unsynced_bytes_; }
  bool sync_running() const { return job_running_; }
  // Records appended and fsyncs completed since open: their ratio is the
  // group-commit batch (INFO wal_records, wal_syncs).
  uint64_t records() const { return records_; }
  uint64_t syncs() const { return syncs_; }
  // No write or fsync failure is outstanding.
  bool healthy() const { return write_errno_ == 0 && sync_errno_ == 0; }
  // The errno of the outstanding failure (write first), or 0.
  int last_errno() const { return write_errno_ ? write_errno_ : sync_errno_; }
  int64_t last_sync_start_ms() const { return last_sync_start_ms_; }
  FsyncPolicy policy() const { return options_.policy; }
  // Changes the policy (CONFIG SET appendfsync); leaving `no` makes
  // everything written so far durable first, on the calling thread.
  void set_policy(FsyncPolicy policy);

 private:
  struct Segment {
    int fd = -1;
    uint64_t start_lsn = 0;
    uint64_t end_lsn = 0;       // after its last record written
    uint64_t size = 0;          // bytes written, header included
    uint64_t zeroed = 0;        // the file's length: `size` plus zero-filled space after it
    bool preallocating = true;  // false once zero-filling failed (the disk may be full)
  };
  // Bytes written but not yet known durable, kept to write again if an fsync
  // fails (not kept under appendfsync no, which never fsyncs).
  struct Unsynced {
    int fd;
    uint64_t offset;
    uint64_t end_lsn;
    std::string bytes;
  };
  struct SyncJob {
    std::vector<int> fds;
    int dir_fd = -1;  // fsynced too when a segment was created
    uint64_t dir_changes = 0;
    uint64_t lsn = 0;
  };

  // Creates the segment starting at written_; returns an errno or 0.
  int start_segment();
  // Writes pending_ to the current segment; returns false on failure.
  bool write_pending();
  // Before bytes are written up to `end` of the current segment: zero-fills
  // space ahead of them, so that most fdatasyncs find the file's size and
  // blocks unchanged and write only the data, not the inode (nor, on a
  // journalling filesystem, the journal commit) that a growing file needs.
  void extend_zeroed(uint64_t end);
  void sync_thread_main();
  // Waits for a running sync and takes its result.
  void wait_for_sync();
  void close_synced_segments();

  Options options_;
  std::function<void()> wake_;
  int dir_fd_ = -1;
  Segment current_;
  std::vector<Segment> retired_;  // earlier segments still open until synced
  // Segments created, and how many of those creations an fsync of the
  // directory covers: a new file's name is durable only after that.
  uint64_t dir_changes_ = 0, dir_synced_ = 0;
  bool roll_requested_ = false;

  uint64_t appended_ = 0, written_ = 0, durable_ = 0;
  uint64_t records_ = 0, syncs_ = 0;
  std::string pending_;  // framed records appended and not yet written
  std::deque<Unsynced> unsynced_;
  uint64_t unsynced_bytes_ = 0;
  int write_errno_ = 0, sync_errno_ = 0;
  bool rewrite_needed_ = false;  // an fsync failed: write unsynced_ again
  int64_t last_sync_start_ms_ = 0;

  // Shared with the sync thread.
  std::mutex mu_;
  std::condition_variable cv_;
  bool job_running_ = false;  // owner's view: a job was handed over and not collected
  bool job_ready_ = false, job_finished_ = false, stopping_ = false;
  SyncJob job_;
  int job_errno_ = 0;
  std::thread thread_;
};

}  // namespace vireo
