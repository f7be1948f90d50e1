#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "core/keyspace.h"
#include "core/types/container.h"

namespace vireo {

// A checkpoint is a binary snapshot of every database at a log position (LSN),
// so that recovery loads it and replays only the log after that position.
//
//   header, 36 bytes:
//     magic "VIREOCKP" | version u32 | LSN u64 | created unix ms i64 |
//     databases u32 | CRC-32C of the 32 bytes before it, u32
//   per non-empty database, in increasing index order:
//     0xFE | index varint | key count varint | that many entries
//   entry:
//     kind u8 (| 0x80 when the key has a deadline) | [deadline unix ms i64] |
//     key length varint | key bytes | value by kind
//   end: 0xFF | CRC-32C u32 of every byte before it
//
// Fixed-width integers are little-endian; varints as core/varint.h. Values
// carry content only, never their encoding: a loader rebuilds each one under
// its own ContainerLimits, as Redis does from an RDB file, so OBJECT ENCODING
// after a load is what Redis would report for that content and configuration.
//
//   kind 0 string    length varint | bytes
//   kind 1 integer   zigzag varint (a string that is a canonical int64)
//   kind 2 list      count varint | count x (length varint | bytes), head first
//   kind 3 set       count varint | count x (length varint | bytes)
//   kind 4 zset      count varint | count x (length varint | bytes | score f64),
//                    ascending
//   kind 5 hash      count varint | count x (field as a string | value as a string)
inline constexpr char kCheckpointMagic[8] = {'V', 'I', 'R', 'E', 'O', 'C', 'K', 'P'};
inline constexpr uint32_t kCheckpointVersion = 1;
inline constexpr size_t kCheckpointHeaderBytes = 36;

// What a successful write produced, or why it failed.
struct CheckpointWriteResult {
  std::string error;  // empty on success
  uint64_t bytes = 0;
  uint64_t keys = 0;
  bool ok() const { return error.empty(); }
};

// The writer's checksummed output buffer (checkpoint.cpp).
class CheckpointSink;

// Streams a keyspace to a file descriptor as one checkpoint.
//
// Meant for a fork()ed child working on a copy-on-write image of the server:
// it takes no locks, touches no event loop, allocates nothing but its buffer
// (whatever the size of the data) and writes with plain write(2), so it also
// works on pipes and sockets (a replica's full sync).
class CheckpointWriter {
 public:
  static constexpr size_t kDefaultBufferBytes = size_t{1} << 20;

  // Writes to `fd`, which stays the caller's to fsync and close.
  explicit CheckpointWriter(int fd, size_t buffer_bytes = kDefaultBufferBytes);
  ~CheckpointWriter();
  CheckpointWriter(const CheckpointWriter&) = delete;
  CheckpointWriter& operator=(const CheckpointWriter&) = delete;

  // Writes every key of every database of `keyspace`, expired ones not yet
  // reclaimed included (a loader drops them), stamped with `lsn` and
  // `created_ms`. Call once. On a write failure it stops and says why; the
  // bytes already written are then garbage.
  CheckpointWriteResult write(const Keyspace& keyspace, uint64_t lsn, int64_t created_ms);

  // Runs `after_key` after every key written (rdb-key-save-delay: tests
  // slow a checkpoint down to crash in the middle of one).
  void set_after_key(std::function<void()> after_key) { after_key_ = std::move(after_key); }

 private:
  std::unique_ptr<CheckpointSink> sink_;
  std::function<void()> after_key_;
};

// Writes a checkpoint durably as `dir`/`name`: to `dir`/`name`.tmp first,
// fsynced, renamed over `name`, then the directory fsynced, so that a crash at
// any point leaves either the previous file or the complete new one under
// `name`. On failure the temporary file is removed and the error names the
// step and the file.
// `after_key` as CheckpointWriter::set_after_key.
CheckpointWriteResult write_checkpoint_file(const std::string& dir, const std::string& name,
                                            const Keyspace& keyspace, uint64_t lsn,
                                            int64_t created_ms,
                                            const std::function<void()>& after_key = nullptr);

// How to rebuild values while loading.
struct CheckpointLoadOptions {
  // The compact-encoding thresholds the rebuilt containers respect.
  ContainerLimits limits;
  // Keys whose deadline is at or before the keyspace's clock (Keyspace::now(),
  // which the caller sets to the current time first) are dropped unless this
  // is set (a replica keeps them: its primary's DEL will follow). Loaded keys'
  // idle clocks start from that clock too.
  bool keep_expired = false;
  // Called every few thousand keys, so that the server can answer clients
  // (-LOADING) during a long load.
  std::function<void()> progress;
};

// What a load found, or why it failed.
struct CheckpointLoadResult {
  // Empty on success, else "<file>: at byte <offset>: <what is wrong>".
  std::string error;
  uint64_t lsn = 0;
  int64_t created_ms = 0;
  uint64_t keys_loaded = 0;
  uint64_t keys_expired = 0;  // dropped because their deadline had passed
  bool ok() const { return error.empty(); }
};

// Loads the checkpoint at `path` into `keyspace`, which must be empty. The
// checksum of the whole file is verified before anything is parsed, and the
// parse is bounds-checked throughout, so that no file, however damaged, can
// crash the server. On any error the keyspace is left empty.
CheckpointLoadResult load_checkpoint(const std::string& path, Keyspace& keyspace,
                                     const CheckpointLoadOptions& options);

// As load_checkpoint, from bytes already in memory (a replica's full sync);
// `name` stands for the file in error messages.
CheckpointLoadResult load_checkpoint_bytes(std::string_view bytes, std::string_view name,
                                           Keyspace& keyspace,
                                           const CheckpointLoadOptions& options);

// A checkpoint's identity, from its header alone.
struct CheckpointInfo {
  std::string error;  // empty when the header and the file's framing look right
  uint64_t lsn = 0;
  int64_t created_ms = 0;
  uint32_t databases = 0;
  uint64_t file_bytes = 0;
  bool ok() const { return error.empty(); }
};

// Reads and checks the header of the checkpoint at `path` (magic, version,
// header checksum) and that the file is long enough and ends with the end
// marker, without reading the rest: cheap enough to rank every candidate by
// LSN at start-up. It does not prove the body intact; load_checkpoint does,
// and recovery falls back to the next candidate when that fails.
CheckpointInfo read_checkpoint_header(const std::string& path);

}  // namespace vireo
