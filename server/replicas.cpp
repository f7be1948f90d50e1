#include "server/replicas.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "core/ascii.h"
#include "core/log.h"
#include "core/strconv.h"
#include "persistence/wal_format.h"
#include "persistence/wal_scan.h"
#include "server/connection.h"
#include "server/server.h"

namespace vireo {
namespace {

// A full sync reads its checkpoint in pieces this large, one write each.
constexpr size_t kTransferChunk = 64 * 1024;

std::string describe(const Connection& c) {
  return fmt::format("{}:{}", replica_address(c), c.replica->listening_port);
}

}  // namespace

std::string replica_address(const Connection& c) {
  if (!c.replica->announced_ip.empty()) return c.replica->announced_ip;
  // The peer is "ip:port", or "[ip]:port" for IPv6.
  std::string_view peer = c.peer();
  peer = peer.substr(0, peer.rfind(':'));
  if (peer.size() >= 2 && peer.front() == '[') peer = peer.substr(1, peer.size() - 2);
  return std::string(peer);
}

std::string_view replica_phase_name(ReplicaPhase phase) {
  switch (phase) {
    case ReplicaPhase::kHandshake:
    case ReplicaPhase::kWaitCheckpointStart:
    case ReplicaPhase::kWaitCheckpointEnd:
      return "wait_bgsave";
    case ReplicaPhase::kSendCheckpoint:
      return "send_bulk";
    case ReplicaPhase::kSendLog:
    case ReplicaPhase::kOnline:
      return "online";
  }
  return "online";
}

ReplicaState::~ReplicaState() {
  if (fd >= 0) ::close(fd);
}

Replicas::Replicas(Server& server) : server_(server) {}

void Replicas::start_at(uint64_t offset) {
  offset_ = offset;
  if (backlog_) backlog_ = std::make_unique<ReplicationBacklog>(backlog_->capacity(), offset);
}

void Replicas::disconnect_all() {
  for (Connection* c : replicas_)
    c->close();
}

void Replicas::keep_backlog() {
  if (!backlog_) {
    backlog_ = std::make_unique<ReplicationBacklog>(server_.settings().repl_backlog_size, offset_);
  }
}

void Replicas::restart_at(uint64_t offset) {
  disconnect_all();
  start_at(offset);
}

void Replicas::append_record(std::string_view payload) {
  const size_t size = wal::kRecordHeaderSize + payload.size();
  if (backlog_) {
    unsigned char header_bytes[wal::kRecordHeaderSize];
    wal::record_header(payload, header_bytes);
    const std::string_view header(reinterpret_cast<const char*>(header_bytes), sizeof header_bytes);
    backlog_->append(header);
    backlog_->append(payload);
    for (Connection* c : replicas_) {
      ReplicaState& r = *c->replica;
      if (c->closing() || r.phase == ReplicaPhase::kWaitCheckpointStart) continue;
      ReplyBuffer& out = r.holds_stream() ? r.held_stream : c->output();
      out.append(header);
      out.append(payload);
      if (c->within_output_limit() && !r.holds_stream()) server_.schedule_write(c);
    }
  }
  offset_ += size;
  last_record_ms_ = server_.now_ms();
}

uint64_t Replicas::offset_after(std::string_view payload) const {
  return payload.empty() ? offset_ : offset_ + wal::kRecordHeaderSize + payload.size();
}

bool Replicas::needs_keepalive(int64_t now_ms) const {
  // Redis pings its replicas as often.
  if (now_ms - last_record_ms_ < int64_t{server_.settings().repl_ping_replica_period} * 1000) {
    return false;
  }
  return std::any_of(replicas_.begin(), replicas_.end(),
                     [](const Connection* c) { return !c->closing() && c->replica->online(); });
}

void Replicas::attach(Connection& c, bool psync, std::string_view replid,
                      std::optional<uint64_t> offset) {
  if (!c.replica) c.replica = std::make_unique<ReplicaState>();
  ReplicaState& r = *c.replica;
  r.psync = psync;
  r.ack_ms = server_.now_ms();
  // Redis creates its backlog when the first replica arrives, too.
  keep_backlog();
  replicas_.push_back(&c);
  if (psync && offset && server_.continues_history(replid, *offset) && continue_from(c, *offset)) {
    if (c.closing()) return;
    r.ack_offset = *offset;
    ++partial_ok_;
    if (c.within_output_limit()) server_.schedule_write(&c);
    return;
  }
  if (psync && replid != "?") {
    ++partial_refused_;
    log_notice("Replica {} asked to continue {} from {}: not in this server's backlog", describe(c),
               replid, offset ? *offset : 0);
  }
  ++full_syncs_;
  r.phase = ReplicaPhase::kWaitCheckpointStart;
  log_notice("Replica {} asks for synchronization: full sync from a checkpoint", describe(c));
  start_checkpoint_if_needed();
}

bool Replicas::continue_from(Connection& c, uint64_t offset) {
  if (offset > offset_) return false;
  ReplicaState& r = *c.replica;
  const std::string line = fmt::format("+CONTINUE {}\r\n", server_.replication_id());
  if (backlog_->covers(offset)) {
    c.output().append(line);
    backlog_->read_from(offset, [&](std::string_view piece) { c.output().append(piece); });
    r.phase = ReplicaPhase::kOnline;
    log_notice("Replica {} continues from offset {}: {} bytes of backlog", describe(c), offset,
               offset_ - offset);
    return true;
  }
  // Older than the backlog: the log's segments on disk may still hold it
  // (Redis would send the whole dataset again), when the log holds
  // everything up to now. They are read a chunk at a time as the replica
  // takes them, the stream after them held meanwhile (and counted against
  // its output limit), so that neither a long read stalls the loop nor the
  // range sits in memory.
  DurableLog* log = server_.durable_log();
  if (!log || !log->started() || log->writer().written_lsn() != offset_) return false;
  std::string error;
  const std::vector<wal::SegmentFile> segments = wal::list_segments(log->dir(), &error);
  if (!error.empty()) return false;
  auto reader = std::make_unique<wal::LogRangeReader>();
  if (!reader->open(segments, offset, offset_).empty()) return false;
  c.output().append(line);
  r.log = std::move(reader);
  r.phase = ReplicaPhase::kSendLog;
  log_notice("Replica {} continues from offset {}: {} bytes from the log on disk", describe(c),
             offset, offset_ - offset);
  return true;
}

void Replicas::start_checkpoint_if_needed() {
  auto waiting = [](const Connection* c) {
    return !c->closing() && c->replica->phase == ReplicaPhase::kWaitCheckpointStart;
  };
  if (std::none_of(replicas_.begin(), replicas_.end(), waiting)) return;
  Checkpoints& checkpoints = server_.checkpoints();
  // A checkpoint already running was started before these replicas asked:
  // the stream they would need from its position is not held for them, so
  // they wait for the next one, as Redis's replicas do.
  if (checkpoints.in_progress()) return;
  if (std::string error = checkpoints.start_background(CheckpointKind::kBgsave); !error.empty()) {
    log_warning("Can't start a checkpoint for replicas: {}", error);
    for (Connection* c : replicas_) {
      if (waiting(c)) c->close();
    }
    return;
  }
  const uint64_t lsn = checkpoints.running_lsn();
  for (Connection* c : replicas_) {
    if (!waiting(c)) continue;
    ReplicaState& r = *c->replica;
    r.phase = ReplicaPhase::kWaitCheckpointEnd;
    r.checkpoint_lsn = lsn;
    if (r.psync) {
      c->output().append(fmt::format("+FULLRESYNC {} {}\r\n", server_.replication_id(), lsn));
      server_.schedule_write(c);
    }
  }
}

void Replicas::checkpoint_finished(bool ok, uint64_t lsn, const std::string& path) {
  for (Connection* c : replicas_) {
    ReplicaState& r = *c->replica;
    if (c->closing() || r.phase != ReplicaPhase::kWaitCheckpointEnd || r.checkpoint_lsn != lsn) {
      continue;
    }
    if (!ok) {
      log_warning("The checkpoint for replica {} failed: closing its connection", describe(*c));
      c->close();
      continue;
    }
    // Opened now: the file stays readable even if a newer checkpoint
    // replaces it while it is being sent.
    r.fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (r.fd < 0 || fstat(r.fd, &st) != 0) {
      log_warning("Can't open the checkpoint {} for replica {}: {}", path, describe(*c),
                  std::strerror(errno));
      c->close();
      continue;
    }
    r.file_size = static_cast<uint64_t>(st.st_size);
    r.file_pos = 0;
    r.head = fmt::format("${}\r\n", r.file_size);
    r.phase = ReplicaPhase::kSendCheckpoint;
    log_notice("Sending the checkpoint at {} ({} bytes) to replica {}", lsn, r.file_size,
               describe(*c));
    c->flush();
  }
  start_checkpoint_if_needed();
}

size_t Replicas::fill_chunk(Connection& c) {
  ReplicaState& r = *c.replica;
  if (r.phase == ReplicaPhase::kSendLog) {
    size_t n = 0, got = 1;
    while (n < kTransferChunk && got > 0) {
      if (std::string error = r.log->read(r.chunk.get() + n, kTransferChunk - n, &got);
          !error.empty()) {
        log_warning("Can't read the log for replica {}: {}", describe(c), error);
        c.close();
        return 0;
      }
      n += got;
    }
    return n;
  }
  size_t n = std::min(r.head.size(), kTransferChunk);
  std::memcpy(r.chunk.get(), r.head.data(), n);
  r.head.clear();
  while (n < kTransferChunk && r.file_pos < r.file_size) {
    const size_t want =
        static_cast<size_t>(std::min<uint64_t>(kTransferChunk - n, r.file_size - r.file_pos));
    const ssize_t got = pread(r.fd, r.chunk.get() + n, want, static_cast<off_t>(r.file_pos));
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) {
      log_warning("Reading the checkpoint for replica {} failed: {}", describe(c),
                  got < 0 ? std::strerror(errno) : "the file is shorter than it was");
      c.close();
      return 0;
    }
    n += static_cast<size_t>(got);
    r.file_pos += static_cast<uint64_t>(got);
  }
  return n;
}

void Replicas::pump_transfer(Connection& c) {
  ReplicaState& r = *c.replica;
  if (r.writing || c.closing()) return;
  if (!r.chunk) r.chunk = std::make_unique<char[]>(kTransferChunk);
  const size_t n = fill_chunk(c);
  if (c.closing()) return;
  if (n == 0) {
    // All sent: the stream held since the transfer's position follows.
    if (r.phase == ReplicaPhase::kSendCheckpoint) {
      ::close(r.fd);
      r.fd = -1;
      log_notice("Synchronization with replica {} succeeded", describe(c));
    } else {
      r.log.reset();
      log_notice("Replica {} caught up from the log on disk", describe(c));
    }
    r.chunk.reset();
    r.phase = ReplicaPhase::kOnline;
    r.ack_ms = server_.now_ms();
    c.output().swap(r.held_stream);
    c.flush();
    return;
  }
  uv_buf_t buf = uv_buf_init(r.chunk.get(), static_cast<unsigned>(n));
  r.write_req.data = &c;
  r.writing = true;
  server_.stats().total_net_output_bytes += n;
  if (uv_write(&r.write_req, reinterpret_cast<uv_stream_t*>(c.handle()), &buf, 1,
               on_transfer_write) != 0) {
    r.writing = false;
    c.close();
  }
}

void Replicas::on_transfer_write(uv_write_t* req, int status) {
  auto* c = static_cast<Connection*>(req->data);
  c->replica->writing = false;
  if (status < 0) {
    c->close();
    return;
  }
  c->flush();
}

void Replicas::replica_command(Connection& c, std::span<const std::string_view> args) {
  ReplicaState& r = *c.replica;
  if (args.size() >= 3 && iequals(args[0], "replconf") && iequals(args[1], "ack")) {
    if (auto offset = parse_uint64(args[2])) {
      r.ack_offset = *offset;
      r.ack_ms = server_.now_ms();
      // Each WAIT counts again (a copy: a finished WAIT leaves the list).
      std::vector<Connection*> waiting = waiters_;
      for (Connection* w : waiting)
        server_.unblock(w, Connection::Wake::kRetry);
    }
    return;
  }
  log_verbose("Ignoring {} from replica {}: replicas get the stream, not replies",
              args.empty() ? std::string_view() : args[0], describe(c));
}

void Replicas::forget(Connection* c) {
  std::erase(replicas_, c);
  std::erase(waiters_, c);
}

size_t Replicas::acknowledged(uint64_t offset) const {
  return static_cast<size_t>(std::count_if(replicas_.begin(), replicas_.end(), [&](Connection* c) {
    return !c->closing() && c->replica->online() && c->replica->ack_offset >= offset;
  }));
}

void Replicas::add_waiter(Connection* c) {
  if (std::find(waiters_.begin(), waiters_.end(), c) == waiters_.end()) waiters_.push_back(c);
}

void Replicas::tick(int64_t now_ms) {
  const int64_t timeout_ms = int64_t{server_.settings().repl_timeout} * 1000;
  const bool keepalive = now_ms - last_keepalive_ms_ >= 1000;
  if (keepalive) last_keepalive_ms_ = now_ms;
  for (Connection* c : replicas_) {
    if (c->closing()) continue;
    ReplicaState& r = *c->replica;
    if (keepalive && (r.phase == ReplicaPhase::kWaitCheckpointStart ||
                      r.phase == ReplicaPhase::kWaitCheckpointEnd)) {
      // While the checkpoint is made, newlines tell the replica the primary
      // is alive (it skips them).
      c->output().append("\n");
      server_.schedule_write(c);
    }
    // SYNC replicas (redis-cli --replica, say) never acknowledge.
    if (r.online() && r.psync && now_ms - r.ack_ms > timeout_ms) {
      log_warning("Disconnecting timedout replica {}: no acknowledgement for {} seconds",
                  describe(*c), (now_ms - r.ack_ms) / 1000);
      c->close();
    }
  }
}

void Replicas::resize_backlog(uint64_t bytes) {
  if (backlog_) backlog_->resize(static_cast<size_t>(bytes));
}

}  // namespace vireo
