#pragma once

#include <uv.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/resp/reply_buffer.h"
#include "persistence/wal_scan.h"
#include "replication/backlog.h"

namespace vireo {

class Connection;
class Server;

// How far a replica connection has come (INFO replication's state=).
enum class ReplicaPhase {
  kHandshake,            // REPLCONF seen, no SYNC/PSYNC yet: still an ordinary client
  kWaitCheckpointStart,  // wait_bgsave: another checkpoint is running
  kWaitCheckpointEnd,    // wait_bgsave: the checkpoint it will load is being written
  kSendCheckpoint,       // send_bulk
  kSendLog,              // online: a partial resync catching up from the log on disk
  kOnline,               // online: receives the stream as it is made
};

// A connection's replica side, owned by the Connection.
struct ReplicaState {
  ReplicaPhase phase = ReplicaPhase::kHandshake;
  bool psync = true;         // false for SYNC: no FULLRESYNC line, no ACKs expected
  int listening_port = 0;    // REPLCONF listening-port
  std::string announced_ip;  // REPLCONF ip-address
  uint64_t checkpoint_lsn = 0;
  uint64_t ack_offset = 0;  // REPLCONF ACK
  int64_t ack_ms = 0;
  // The stream after the checkpoint, held until the checkpoint is sent.
  ReplyBuffer held_stream;
  // The transfer, once the connection's other output is written, in chunks:
  // a full sync's `head` (the "$<size>" line) then checkpoint file `fd`, or
  // a partial resync's range of the log on disk.
  std::string head;
  int fd = -1;
  uint64_t file_pos = 0, file_size = 0;
  std::unique_ptr<wal::LogRangeReader> log;
  std::unique_ptr<char[]> chunk;
  uv_write_t write_req;
  bool writing = false;

  ReplicaState() = default;
  ReplicaState(const ReplicaState&) = delete;
  ReplicaState& operator=(const ReplicaState&) = delete;
  ~ReplicaState();
  bool attached() const { return phase != ReplicaPhase::kHandshake; }
  // Whether records go to held_stream rather than the connection's output.
  bool holds_stream() const {
    return phase == ReplicaPhase::kWaitCheckpointEnd || phase == ReplicaPhase::kSendCheckpoint ||
           phase == ReplicaPhase::kSendLog;
  }
  // Following this history (INFO's state=online): it acknowledges, counts
  // for WAIT and ROLE, and is dropped when its ACKs stop.
  bool online() const { return phase == ReplicaPhase::kOnline || phase == ReplicaPhase::kSendLog; }
  // Whether a transfer (pump_transfer) is what it waits for.
  bool transferring() const {
    return phase == ReplicaPhase::kSendCheckpoint || phase == ReplicaPhase::kSendLog;
  }
};

// The primary's side of replication (DESIGN.md, Replication): the stream's
// position, the backlog a partial resync continues from, and the
// connections that became replicas with SYNC or PSYNC.
//
// The stream is the write-ahead log's records byte for byte (length, CRCs
// and payload: persistence/wal_format.h), so its offsets are log positions,
// kept even when appendonly is off, and every record is checked end to end.
// A replica that cannot continue from the backlog loads a checkpoint first:
// the next background checkpoint, whose later records it buffers meanwhile,
// counted against client-output-buffer-limit's replica class as Redis does.
class Replicas {
 public:
  explicit Replicas(Server& server);
  Replicas(const Replicas&) = delete;
  Replicas& operator=(const Replicas&) = delete;

  // Where the stream stands at start-up: the log's end, or the position of
  // the checkpoint loaded without a log.
  void start_at(uint64_t offset);
  // A replica's full sync: the stream starts again at `offset` in its
  // primary's history, and this server's own replicas, which followed the
  // old one, are dropped.
  void restart_at(uint64_t offset);
  // Closes every replica's connection: they ask again (and learn a new
  // replication id).
  void disconnect_all();
  // Keeps a backlog from now on (else made when the first replica attaches,
  // as Redis does), for replicas that will reconnect: after a restart that
  // continues the history, or when a new id continues it (failover).
  void keep_backlog();
  // The position after the last record.
  uint64_t offset() const { return offset_; }
  // The position after a record holding `payload`, were it appended now
  // (no record for an empty one: the iteration wrote nothing).
  uint64_t offset_after(std::string_view payload) const;
  // Appends one record holding `payload` (a loop iteration's effects) to the
  // stream: the backlog and every attached replica get it.
  void append_record(std::string_view payload);

  // PSYNC `replid` `offset` (psync) or SYNC from `c`: continues it from the
  // backlog when that holds its offset of this server's history, or starts a
  // full sync. Replies itself.
  void attach(Connection& c, bool psync, std::string_view replid, std::optional<uint64_t> offset);
  // A background checkpoint ended: replicas waiting for it get it (or are
  // dropped if it failed), and those waiting for the next one start it.
  void checkpoint_finished(bool ok, uint64_t lsn, const std::string& path);
  // Runs a command a replica sent after attaching (REPLCONF ACK); replicas
  // get no replies, which would corrupt their stream.
  void replica_command(Connection& c, std::span<const std::string_view> args);
  // Writes the next piece of `c`'s transfer, its checkpoint or the log it
  // catches up from (called once its other output is written); once it is
  // all written, `c` goes online and its held stream follows.
  void pump_transfer(Connection& c);
  // Forgets `c` (closed).
  void forget(Connection* c);

  // WAIT: how many online replicas acknowledged `offset`.
  size_t acknowledged(uint64_t offset) const;
  // WAIT: `c` waits for acknowledgements; each one reruns its WAIT.
  void add_waiter(Connection* c);
  void remove_waiter(Connection* c) { std::erase(waiters_, c); }
  // Timer work: keepalive newlines to replicas waiting for a checkpoint,
  // and dropping replicas whose ACKs stopped for repl-timeout.
  void tick(int64_t now_ms);
  // Whether online replicas have heard nothing for a while: the server then
  // commits an empty record, which tells them the primary is alive (their
  // links drop a primary silent for repl-timeout).
  bool needs_keepalive(int64_t now_ms) const;
  // CONFIG SET repl-backlog-size.
  void resize_backlog(uint64_t bytes);

  // Attached replicas, in attach order (INFO, ROLE, CLIENT LIST).
  const std::vector<Connection*>& replicas() const { return replicas_; }
  // The backlog, once the first replica attached (as Redis creates it).
  const ReplicationBacklog* backlog() const { return backlog_.get(); }
  uint64_t full_syncs() const { return full_syncs_; }
  uint64_t partial_syncs_ok() const { return partial_ok_; }
  uint64_t partial_syncs_refused() const { return partial_refused_; }

 private:
  static void on_transfer_write(uv_write_t* req, int status);
  // Fills `c`'s transfer chunk with what comes next; returns its size, 0
  // when all is sent (or `c` was closed on a read error).
  size_t fill_chunk(Connection& c);
  // PSYNC of this history from `offset`: sends `c` +CONTINUE and the stream
  // from there, out of the backlog or else the log's segments on disk (read
  // a chunk at a time as `c` takes them); false when neither holds it (a
  // full sync then).
  bool continue_from(Connection& c, uint64_t offset);
  // Starts a checkpoint for replicas waiting for one, when none is running.
  void start_checkpoint_if_needed();

  Server& server_;
  uint64_t offset_ = 0;
  std::unique_ptr<ReplicationBacklog> backlog_;
  std::vector<Connection*> replicas_;
  std::vector<Connection*> waiters_;  // clients in WAIT
  uint64_t full_syncs_ = 0, partial_ok_ = 0, partial_refused_ = 0;
  int64_t last_keepalive_ms_ = 0;
  int64_t last_record_ms_ = 0;
};

// The address replica `c` is known by: the one it announced (REPLCONF
// ip-address), or the one it connects from.
std::string replica_address(const Connection& c);

// "wait_bgsave", "send_bulk" or "online" (INFO replication).
std::string_view replica_phase_name(ReplicaPhase phase);

}  // namespace vireo
