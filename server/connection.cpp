#include "server/connection.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>

#include "core/log.h"
#include "server/server.h"

namespace vireo {
namespace {

constexpr size_t kReadChunk = 16 * 1024;
// A query buffer larger than this is given back once drained.
constexpr size_t kKeepQueryBuffer = 64 * 1024;
// At most this many buffers per write syscall.
constexpr size_t kMaxWriteBufs = 64;

std::string address_text(const sockaddr_storage& addr, bool* loopback) {
  char host[INET6_ADDRSTRLEN] = "?";
  int port = 0;
  if (addr.ss_family == AF_INET) {
    auto* a = reinterpret_cast<const sockaddr_in*>(&addr);
    uv_ip4_name(a, host, sizeof(host));
    port = ntohs(a->sin_port);
    if (loopback) *loopback = (ntohl(a->sin_addr.s_addr) >> 24) == 127;
    return fmt::format("{}:{}", host, port);
  }
  if (addr.ss_family == AF_INET6) {
    auto* a = reinterpret_cast<const sockaddr_in6*>(&addr);
    uv_ip6_name(a, host, sizeof(host));
    port = ntohs(a->sin6_port);
    if (loopback) *loopback = IN6_IS_ADDR_LOOPBACK(&a->sin6_addr);
    return fmt::format("{}:{}", host, port);
  }
  return "?:0";
}

}  // namespace

Connection::Connection(Server& server, uint64_t id) : server_(server) {
  state_.id = id;
  handle_.data = this;
  write_req_.data = this;
  created_ms_ = last_interaction_ms_ = wall_clock_ms();
}

bool Connection::start() {
  sockaddr_storage addr;
  int len = sizeof(addr);
  if (uv_tcp_getpeername(&handle_, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
    peer_ = address_text(addr, &loopback_);
  }
  len = sizeof(addr);
  if (uv_tcp_getsockname(&handle_, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
    local_ = address_text(addr, nullptr);
  }
  uv_tcp_nodelay(&handle_, 1);
  const Settings& s = server_.settings();
  if (s.tcp_keepalive > 0) uv_tcp_keepalive(&handle_, 1, static_cast<unsigned>(s.tcp_keepalive));
  if (uv_read_start(reinterpret_cast<uv_stream_t*>(&handle_), on_alloc, on_read) != 0) {
    close();
    return false;
  }
  reading_ = true;
  return true;
}

void Connection::close() {
  if (closing_) return;
  closing_ = true;
  uv_close(reinterpret_cast<uv_handle_t*>(&handle_), on_close);
}

void Connection::on_close(uv_handle_t* h) {
  auto* c = static_cast<Connection*>(h->data);
  c->server_.forget(c);
  std::free(c->qbuf_);
  delete c;
}

void Connection::close_after_reply() {
  close_after_reply_ = true;
  if (reading_) {
    uv_read_stop(reinterpret_cast<uv_stream_t*>(&handle_));
    reading_ = false;
  }
  server_.schedule_write(this);
}

void Connection::reserve_input(size_t min_free) {
  if (qpos_ == qlen_) {
    qpos_ = qlen_ = 0;
  } else if (qpos_ > 0 && qcap_ - qlen_ < min_free) {
    // Move the unconsumed tail (a partial request) to the front; the parser
    // keeps offsets relative to the request start, so this is invisible to it.
    std::memmove(qbuf_, qbuf_ + qpos_, qlen_ - qpos_);
    qlen_ -= qpos_;
    qpos_ = 0;
  }
  if (qcap_ - qlen_ < min_free) {
    size_t cap = std::max(qlen_ + min_free, qcap_ * 2);
    auto* grown = static_cast<char*>(std::realloc(qbuf_, cap));
    if (!grown) throw std::bad_alloc();
    qbuf_ = grown;
    qcap_ = cap;
  }
}

void Connection::on_alloc(uv_handle_t* h, size_t, uv_buf_t* buf) {
  auto* c = static_cast<Connection*>(h->data);
  // A large bulk in progress tells us its size: read it into one buffer of
  // the right size rather than doubling towards it.
  size_t want = kReadChunk;
  if (c->qlen_ > c->qpos_) want = std::max(want, c->parser_.bytes_wanted());
  size_t limit = static_cast<size_t>(c->server_.settings().client_query_buffer_limit) + 1;
  want = std::min(want, std::max(limit - std::min(limit, c->qlen_ - c->qpos_), kReadChunk));
  c->reserve_input(want);
  *buf = uv_buf_init(c->qbuf_ + c->qlen_,
                     static_cast<unsigned>(std::min<size_t>(c->qcap_ - c->qlen_, UINT32_MAX)));
}

void Connection::on_read(uv_stream_t* s, ssize_t nread, const uv_buf_t*) {
  auto* c = static_cast<Connection*>(s->data);
  if (nread < 0) {
    if (nread != UV_EOF)
      log_verbose("Reading from client: {}", uv_strerror(static_cast<int>(nread)));
    c->close();
    return;
  }
  if (nread == 0) return;
  c->qlen_ += static_cast<size_t>(nread);
  c->server_.stats().total_net_input_bytes += static_cast<uint64_t>(nread);
  ++c->server_.stats().io_reads_processed;
  c->last_interaction_ms_ = wall_clock_ms();
  c->process_input();
  if (!c->closing_ &&
      c->qlen_ - c->qpos_ > static_cast<size_t>(c->server_.settings().client_query_buffer_limit)) {
    log_warning("Closing client that reached max query buffer length: id={} addr={} qbuf={}",
                c->state_.id, c->peer_, c->qlen_ - c->qpos_);
    ++c->server_.stats().client_query_buffer_limit_disconnections;
    c->close();
    return;
  }
  if (!c->closing_ && c->qpos_ == c->qlen_ && c->qcap_ > kKeepQueryBuffer) {
    std::free(c->qbuf_);
    c->qbuf_ = nullptr;
    c->qcap_ = c->qlen_ = c->qpos_ = 0;
  }
}

void Connection::wake(Wake how) {
  waking = how;
  process_input();
  waking = Wake::kNone;
}

void Connection::process_input() {
  if (parked && waking == Wake::kNone) return;  // reads only queue up meanwhile
  ParseLimits limits;
  limits.max_bulk_len = server_.settings().proto_max_bulk_len;
  limits.authenticated = state_.authenticated;
  while (!closing_ && !close_after_reply_ && qpos_ < qlen_) {
    std::string_view pending(qbuf_ + qpos_, qlen_ - qpos_);
    RequestParser::Status status = parser_.parse(pending, limits);
    if (status == RequestParser::Status::kIncomplete) break;
    if (status == RequestParser::Status::kError) {
      protocol_error(parser_.error());
      break;
    }
    if (!parser_.args().empty() && !run_request(parser_.args())) {
      // Paused or parked: leave the request in the buffer to run it again later.
      if (parked) parked->request_bytes = parser_.consumed();
      parser_.reset();
      break;
    }
    qpos_ += parser_.consumed();
    parser_.reset();
    if (!within_output_limit()) return;
  }
  if (!out_.empty()) server_.schedule_write(this);
}

bool Connection::within_output_limit() {
  // Monitors count as normal clients, as in Redis.
  const ClientClass cls = is_replica()    ? kClientReplica
                          : state_.pubsub ? kClientPubsub
                                          : kClientNormal;
  const OutputBufferLimit& limit = server_.settings().client_output_buffer_limit[cls];
  const uint64_t pending = out_.size() + (replica ? replica->held_stream.size() : 0);
  bool over = limit.hard_bytes && pending > limit.hard_bytes;
  if (!over && limit.soft_bytes && pending > limit.soft_bytes) {
    int64_t now = wall_clock_ms();
    if (soft_limit_since_ms_ == 0) soft_limit_since_ms_ = now;
    over = now - soft_limit_since_ms_ >= limit.soft_seconds * 1000;
  } else if (!over) {
    soft_limit_since_ms_ = 0;
  }
  if (!over) return true;
  log_warning("Client id={} addr={} closed for overcoming of output buffer limits ({} bytes).",
              state_.id, peer_, pending);
  ++server_.stats().client_output_buffer_limit_disconnections;
  close();
  return false;
}

bool Connection::run_request(std::span<const std::string_view> args) {
  if (is_replica()) {
    server_.replicas().replica_command(*this, args);
    return true;
  }
  if (reply_mode == ReplyMode::kSkipNext) reply_mode = ReplyMode::kSkipThis;
  running_ = true;
  bool proceed = server_.execute(*this, args);
  running_ = false;
  if (!held_messages_.empty()) release_held_messages();
  if (proceed && reply_mode == ReplyMode::kSkipThis) reply_mode = ReplyMode::kOn;
  return proceed;
}

void Connection::release_held_messages() {
  out_.append(held_messages_);
  held_messages_.clear();
  if (held_messages_.capacity() > ReplyBuffer::kChunkSize) held_messages_.shrink_to_fit();
}

void Connection::protocol_error(std::string_view message) {
  log_verbose("Protocol error ({}) from client: id={} addr={}", message, state_.id, peer_);
  ReplyWriter writer(&out_, state_.protocol);
  writer.set_error_stats(&server_.error_stats());
  writer.error(fmt::format("ERR {}", message));
  close_after_reply();
}

void Connection::flush() {
  if (closing_ || writing_) return;
  if (log_wait && server_.log_holds(*this)) return;

  uv_buf_t bufs[kMaxWriteBufs];
  std::string_view views[kMaxWriteBufs];
  auto* stream = reinterpret_cast<uv_stream_t*>(&handle_);
  while (!out_.empty()) {
    size_t n = out_.peek(views);
    for (size_t i = 0; i < n; ++i) {
      bufs[i] =
          uv_buf_init(const_cast<char*>(views[i].data()), static_cast<unsigned>(views[i].size()));
    }
    size_t offered = 0;
    for (size_t i = 0; i < n; ++i)
      offered += views[i].size();
    int written = uv_try_write(stream, bufs, static_cast<unsigned>(n));
    if (written == UV_EAGAIN) break;
    if (written < 0) {
      close();
      return;
    }
    out_.consume(static_cast<size_t>(written));
    server_.stats().total_net_output_bytes += static_cast<uint64_t>(written);
    ++server_.stats().io_writes_processed;
    // A short write means the socket is full: another try would only return
    // EAGAIN, so hand the rest to libuv now.
    if (static_cast<size_t>(written) < offered) break;
  }
  if (out_.empty()) {
    // A transfer (a full sync's checkpoint, a partial resync's log) goes
    // once everything before it is written.
    if (replica && replica->transferring()) {
      server_.replicas().pump_transfer(*this);
    }
    if (close_after_reply_) close();
    return;
  }
  // The socket is full: hand the rest to libuv, which writes it when the
  // socket drains. The chunks stay put until on_write consumes them.
  size_t n = out_.peek(views);
  write_bufs_.resize(n);
  in_flight_bytes_ = 0;
  for (size_t i = 0; i < n; ++i) {
    write_bufs_[i] =
        uv_buf_init(const_cast<char*>(views[i].data()), static_cast<unsigned>(views[i].size()));
    in_flight_bytes_ += views[i].size();
  }
  writing_ = true;
  if (uv_write(&write_req_, stream, write_bufs_.data(), static_cast<unsigned>(n), on_write) != 0) {
    writing_ = false;
    close();
  }
}

void Connection::on_write(uv_write_t* req, int status) {
  auto* c = static_cast<Connection*>(req->data);
  c->writing_ = false;
  if (status < 0) {
    c->close();
    return;
  }
  c->out_.consume(c->in_flight_bytes_);
  c->server_.stats().total_net_output_bytes += c->in_flight_bytes_;
  c->in_flight_bytes_ = 0;
  c->flush();
}

void Connection::deliver(std::string_view frame) {
  if (closing_) return;
  // A message caused by this client's own command (PUBLISH to itself, a
  // keyspace event of its write) waits for the command's reply: Redis 7.0
  // writes it at once, which puts pushes inside an EXEC reply's array and
  // breaks the protocol; Redis 7.2 defers it like this.
  if (running_) {
    held_messages_ += frame;
    return;
  }
  out_.append(frame);
  if (within_output_limit()) server_.schedule_write(this);
}

std::string Connection::describe(int64_t now_ms) const {
  std::string flags;
  if (monitor) flags += 'O';
  if (is_replica()) flags += 'S';
  if (state_.pubsub) flags += 'P';
  if (multi) flags += 'x';
  if (parked) flags += 'b';
  if (watch.dirty) flags += 'd';
  if (close_after_reply_) flags += 'c';
  if (no_evict) flags += 'e';
  if (flags.empty()) flags.push_back('N');
  const char* events = writing_ ? "rw" : "r";
  std::string line = fmt::format(
      "id={} addr={} laddr={} fd={} name={} age={} idle={} flags={} db={} sub={} psub={} ssub={} "
      "multi={} qbuf={} qbuf-free={} argv-mem=0 multi-mem={} rbs={} rbp=0 obl=0 oll=0 omem={} "
      "tot-mem={} events={} cmd={} user=default redir=-1 resp={}",
      state_.id, peer_, local_, handle_.io_watcher.fd, state_.name, (now_ms - created_ms_) / 1000,
      (now_ms - last_interaction_ms_) / 1000, flags, state_.db,
      subscription_count(Subscription::kChannel), subscription_count(Subscription::kPattern),
      subscription_count(Subscription::kShard), multi ? static_cast<int64_t>(multi->size()) : -1,
      // A parked request is, for Redis, already read: not in qbuf.
      qlen_ - qpos_ - (parked ? parked->request_bytes : 0), qcap_ - qlen_,
      multi ? multi->bytes() : 0, out_.allocated(), out_.size(),
      qcap_ + out_.allocated() + sizeof(*this), events,
      last_command ? std::string_view(last_command->full_name) : std::string_view("NULL"),
      state_.protocol);
  // Redis 7.0's line ends at resp=; 7.2 adds lib-name and lib-ver. Only a
  // client that used 7.2's CLIENT SETINFO gets them, to read back what it set:
  // every other client sees 7.0's exact line.
  if (!lib_name.empty() || !lib_version.empty()) {
    line += fmt::format(" lib-name={} lib-ver={}", lib_name, lib_version);
  }
  // Vireo's own field, only while a BEGIN transaction is open.
  if (txn) line += fmt::format(" txn-depth={}", txn->depth());
  return line;
}

}  // namespace vireo
