#include "replication/replica_link.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <optional>

#include "core/log.h"
#include "persistence/durable_file.h"
#include "persistence/wal_format.h"

namespace vireo {

namespace {

// A reply line (+/-/$) longer than this is a protocol error.
constexpr size_t kMaxLine = 4096;
// An ACK is skipped while this much is still queued for the primary: a primary
// that does not read cannot make the replica buffer without bound.
constexpr size_t kMaxQueuedWrites = 64 * 1024;
// The input buffer's capacity kept between reads (more is given back).
constexpr size_t kKeepInput = 1024 * 1024;
constexpr size_t kReadChunk = 64 * 1024;
constexpr int64_t kRetryMs = 1000;
constexpr int64_t kAckMs = 1000;
constexpr unsigned kKeepAliveSeconds = 300;

// `s` as a decimal integer with nothing else around it.
std::optional<uint64_t> parse_decimal(std::string_view s) {
  uint64_t v = 0;
  if (s.empty()) return std::nullopt;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

// The next space-separated word of `s`, removed from it.
std::string_view next_word(std::string_view& s) {
  size_t start = s.find_first_not_of(' ');
  if (start == std::string_view::npos) {
    s = {};
    return {};
  }
  s.remove_prefix(start);
  size_t end = std::min(s.find(' '), s.size());
  std::string_view word = s.substr(0, end);
  s.remove_prefix(end);
  return word;
}

std::string resp_command(std::initializer_list<std::string_view> args) {
  std::string out = fmt::format("*{}\r\n", args.size());
  for (std::string_view a : args)
    fmt::format_to(std::back_inserter(out), "${}\r\n{}\r\n", a.size(), a);
  return out;
}

}  // namespace

// The connection of one attempt. It outlives the link when the link drops it
// or is destroyed with it open (`link` is then null and callbacks do
// nothing), and frees itself in its close callback, after libuv has cancelled
// its pending connect and write requests.
struct ReplicaLink::Socket {
  explicit Socket(ReplicaLink* l) : link(l) {}

  // Detaches from the link and closes; `this` is freed once closed.
  void close() {
    link = nullptr;
    uv_close(reinterpret_cast<uv_handle_t*>(&tcp),
             [](uv_handle_t* h) { delete static_cast<Socket*>(h->data); });
  }

  static void on_connect(uv_connect_t* req, int status) {
    auto* s = static_cast<Socket*>(req->data);
    if (s->link != nullptr) s->link->on_connected(status);
  }
  static void on_alloc(uv_handle_t* h, size_t, uv_buf_t* buf) {
    auto* s = static_cast<Socket*>(h->data);
    *buf = uv_buf_init(s->buffer, sizeof s->buffer);
  }
  static void on_read(uv_stream_t* h, ssize_t nread, const uv_buf_t* buf) {
    auto* s = static_cast<Socket*>(h->data);
    if (s->link == nullptr) return;
    if (nread > 0) {
      s->link->on_read(buf->base, static_cast<size_t>(nread));
    } else if (nread < 0) {
      s->link->fail(nread == UV_EOF ? std::string("the primary closed the connection")
                                    : fmt::format("read error: {}", uv_strerror(nread)));
    }
  }

  uv_tcp_t tcp;
  uv_connect_t connect_req;
  ReplicaLink* link;
  char buffer[kReadChunk];
};

// One write request and the bytes it owns; freed in its callback, which libuv
// calls (cancelled) before the socket's close callback.
struct ReplicaLink::WriteRequest {
  uv_write_t req;
  std::string bytes;

  static void on_write(uv_write_t* req, int status) {
    auto* w = static_cast<WriteRequest*>(req->data);
    auto* s = static_cast<Socket*>(req->handle->data);
    delete w;
    if (status < 0 && s->link != nullptr) {
      s->link->fail(fmt::format("write error: {}", uv_strerror(status)));
    }
  }
};

// A name being resolved. Like Socket, it outlives a link that gives up on it.
struct ReplicaLink::Resolve {
  uv_getaddrinfo_t req;
  ReplicaLink* link;

  static void on_done(uv_getaddrinfo_t* req, int status, addrinfo* result) {
    auto* r = reinterpret_cast<Resolve*>(req);
    ReplicaLink* link = r->link;
    delete r;
    if (link != nullptr) {
      link->on_resolved(status, result);
    } else {
      uv_freeaddrinfo(result);
    }
  }
};

ReplicaLink::ReplicaLink(uv_loop_t* loop, Options options, ReplicaLinkHandler* handler)
    : loop_(loop), options_(std::move(options)), handler_(handler) {}

ReplicaLink::~ReplicaLink() {
  disconnect();
}

void ReplicaLink::start(std::string replid, uint64_t offset) {
  disconnect();
  started_ = true;
  replid_ = std::move(replid);
  offset_ = read_offset_ = offset;
  connect();
}

void ReplicaLink::tick(int64_t now_ms) {
  if (!clock_set_) {
    // What happened before the first tick happened at it.
    clock_set_ = true;
    last_io_ms_ += now_ms;
    last_ack_ms_ += now_ms;
    retry_at_ms_ += now_ms;
  }
  now_ms_ = now_ms;
  // Reads are stamped with the last tick's time; a checkpoint that took
  // long to load since then was not the primary's silence.
  if (loaded_since_tick_) {
    last_io_ms_ = now_ms;
    loaded_since_tick_ = false;
  }
  if (!started_) return;
  if (state_ == State::kConnect) {
    if (now_ms >= retry_at_ms_) connect();
    return;
  }
  if (now_ms - last_io_ms_ > options_.timeout_ms) {
    fail(fmt::format("the primary was silent for more than {} ms", options_.timeout_ms));
    return;
  }
  if (state_ == State::kConnected && now_ms - last_ack_ms_ >= kAckMs) send_ack();
}

// --- Connecting ---

void ReplicaLink::connect() {
  disconnect();
  state_ = State::kConnecting;
  last_io_ms_ = now_ms_;
  addresses_.clear();
  next_address_ = 0;
  log_notice("Connecting to primary {}:{}", options_.host, options_.port);

  sockaddr_storage addr{};
  if (uv_ip4_addr(options_.host.c_str(), options_.port, reinterpret_cast<sockaddr_in*>(&addr)) ==
          0 ||
      uv_ip6_addr(options_.host.c_str(), options_.port, reinterpret_cast<sockaddr_in6*>(&addr)) ==
          0) {
    addresses_.push_back(addr);
    connect_next();
    return;
  }
  resolve_ = new Resolve{{}, this};
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  std::string port = std::to_string(options_.port);
  int rc = uv_getaddrinfo(loop_, &resolve_->req, Resolve::on_done, options_.host.c_str(),
                          port.c_str(), &hints);
  if (rc != 0) {
    delete resolve_;
    resolve_ = nullptr;
    fail(fmt::format("cannot resolve {}: {}", options_.host, uv_strerror(rc)));
  }
}

void ReplicaLink::on_resolved(int status, addrinfo* result) {
  resolve_ = nullptr;
  if (status < 0) {
    fail(fmt::format("cannot resolve {}: {}", options_.host, uv_strerror(status)));
    return;
  }
  for (addrinfo* a = result; a != nullptr; a = a->ai_next) {
    if ((a->ai_family != AF_INET && a->ai_family != AF_INET6) ||
        a->ai_addrlen > sizeof(sockaddr_storage)) {
      continue;
    }
    sockaddr_storage addr{};
    std::memcpy(&addr, a->ai_addr, a->ai_addrlen);
    addresses_.push_back(addr);
  }
  uv_freeaddrinfo(result);
  if (addresses_.empty()) {
    fail(fmt::format("{} has no address", options_.host));
    return;
  }
  connect_next();
}

void ReplicaLink::connect_next() {
  while (next_address_ < addresses_.size()) {
    const auto* addr = reinterpret_cast<const sockaddr*>(&addresses_[next_address_++]);
    auto* s = new Socket(this);
    int rc = uv_tcp_init(loop_, &s->tcp);
    if (rc != 0) {
      delete s;
      fail(fmt::format("cannot create a socket: {}", uv_strerror(rc)));
      return;
    }
    s->tcp.data = s;
    s->connect_req.data = s;
    rc = uv_tcp_connect(&s->connect_req, &s->tcp, addr, Socket::on_connect);
    if (rc == 0) {
      socket_ = s;
      return;
    }
    s->close();
    if (next_address_ == addresses_.size()) {
      fail(fmt::format("cannot connect to {}:{}: {}", options_.host, options_.port,
                       uv_strerror(rc)));
      return;
    }
  }
}

void ReplicaLink::on_connected(int status) {
  if (status < 0) {
    if (next_address_ < addresses_.size()) {
      log_verbose("Cannot connect to one address of {}: {}; trying the next", options_.host,
                  uv_strerror(status));
      socket_->close();
      socket_ = nullptr;
      connect_next();
      return;
    }
    fail(fmt::format("cannot connect to {}:{}: {}", options_.host, options_.port,
                     uv_strerror(status)));
    return;
  }
  uv_tcp_nodelay(&socket_->tcp, 1);
  uv_tcp_keepalive(&socket_->tcp, 1, kKeepAliveSeconds);
  int rc = uv_read_start(reinterpret_cast<uv_stream_t*>(&socket_->tcp), Socket::on_alloc,
                         Socket::on_read);
  if (rc != 0) {
    fail(fmt::format("cannot read from the primary: {}", uv_strerror(rc)));
    return;
  }
  state_ = State::kHandshake;
  last_io_ms_ = now_ms_;
  log_notice("Connected to primary {}:{}; handshake started", options_.host, options_.port);
  if (!options_.password.empty()) {
    step_ = Step::kAuth;
    if (options_.user.empty()) {
      send_command({"AUTH", options_.password});
    } else {
      send_command({"AUTH", options_.user, options_.password});
    }
  } else {
    step_ = Step::kPing;
    send_command({"PING"});
  }
}

// --- Reading ---

void ReplicaLink::on_read(const char* data, size_t n) {
  last_io_ms_ = now_ms_;
  in_.append(data, n);
  for (;;) {
    if (state_ == State::kHandshake || (state_ == State::kTransfer && step_ == Step::kBulkSize)) {
      std::string_view line;
      LineStatus status = take_line(&line);
      if (status == LineStatus::kMore) break;
      if (status == LineStatus::kTooLong) {
        fail(fmt::format("protocol error: a reply line longer than {} bytes", kMaxLine));
        return;
      }
      bool ok = state_ == State::kHandshake ? handle_reply(line) : handle_bulk_size(line);
      if (!ok) return;
    } else if (state_ == State::kTransfer) {
      if (!take_bulk()) return;
      if (state_ == State::kTransfer) break;  // more to come
    } else if (state_ == State::kConnected) {
      if (!take_records()) return;
      break;
    } else {
      break;
    }
  }
  in_.erase(0, in_pos_);
  in_pos_ = 0;
  // A large record grew the buffer (up to a record's limit); it is not
  // kept once drained.
  if (in_.empty() && in_.capacity() > kKeepInput) std::string().swap(in_);
  if (ack_due_ && state_ == State::kConnected) send_ack();
}

ReplicaLink::LineStatus ReplicaLink::take_line(std::string_view* line) {
  size_t nl = in_.find('\n', in_pos_);
  size_t length = (nl == std::string::npos ? in_.size() : nl) - in_pos_;
  if (length > kMaxLine) return LineStatus::kTooLong;
  if (nl == std::string::npos) return LineStatus::kMore;
  *line = std::string_view(in_).substr(in_pos_, length);
  if (!line->empty() && line->back() == '\r') line->remove_suffix(1);
  in_pos_ = nl + 1;
  return LineStatus::kLine;
}

bool ReplicaLink::handle_reply(std::string_view line) {
  if (line.empty()) return true;  // a keepalive
  if (step_ == Step::kPsync) return handle_psync_reply(line);
  if (line[0] != '+' && line[0] != '-') {
    fail(fmt::format("protocol error: unexpected reply '{}'", line));
    return false;
  }
  bool error = line[0] == '-';
  switch (step_) {
    case Step::kAuth:
      if (error) {
        fail(fmt::format("the primary refused AUTH: {}", line.substr(1)));
        return false;
      }
      step_ = Step::kPing;
      return send_command({"PING"});
    case Step::kPing:
      if (error) {
        fail(fmt::format("the primary replied to PING: {}", line.substr(1)));
        return false;
      }
      step_ = Step::kPort;
      return send_command({"REPLCONF", "listening-port", std::to_string(options_.listening_port)});
    case Step::kPort:
    case Step::kCapa:
      if (error) {
        log_warning("The primary refused REPLCONF {}: {}",
                    step_ == Step::kPort ? "listening-port" : "capa", line.substr(1));
      }
      if (step_ == Step::kPort) {
        step_ = Step::kCapa;
        return send_command({"REPLCONF", "capa", "vireo"});
      }
      step_ = Step::kPsync;
      if (replid_.empty()) return send_command({"PSYNC", "?", "-1"});
      return send_command({"PSYNC", replid_, std::to_string(offset_)});
    default:
      fail("internal error: unexpected handshake step");
      return false;
  }
}

bool ReplicaLink::handle_psync_reply(std::string_view line) {
  if (line[0] == '-') {
    fail(fmt::format("the primary refused PSYNC: {}", line.substr(1)));
    return false;
  }
  std::string_view rest = line;
  std::string_view word = next_word(rest);
  if (word == "+FULLRESYNC") {
    std::string_view id = next_word(rest);
    std::optional<uint64_t> offset = parse_decimal(next_word(rest));
    if (id.empty() || !offset || !next_word(rest).empty()) {
      fail(fmt::format("protocol error: bad reply to PSYNC '{}'", line));
      return false;
    }
    sync_replid_ = id;
    sync_offset_ = *offset;
    full_syncs_++;
    state_ = State::kTransfer;
    step_ = Step::kBulkSize;
    transfer_size_ = transfer_read_ = 0;
    log_notice("Full resync from the primary: {}:{}", sync_replid_, sync_offset_);
    return true;
  }
  if (word == "+CONTINUE") {
    std::string_view id = next_word(rest);
    // After PSYNC ? -1 there is nothing to continue: the dataset may be
    // half replaced by a failed load.
    if (!next_word(rest).empty() || replid_.empty()) {
      fail(fmt::format("protocol error: bad reply to PSYNC '{}'", line));
      return false;
    }
    const bool changed = !id.empty() && id != replid_;
    if (changed) {
      log_notice("The primary's replication id is now {} (was {})", id, replid_);
      replid_ = id;
    }
    partial_syncs_++;
    state_ = State::kConnected;
    read_offset_ = offset_;
    ack_due_ = true;
    log_notice("Partial resync accepted: continuing from {}:{}", replid_, offset_);
    if (changed) handler_->primary_id_changed(replid_, offset_);
    return true;
  }
  fail(fmt::format("protocol error: bad reply to PSYNC '{}'", line));
  return false;
}

bool ReplicaLink::handle_bulk_size(std::string_view line) {
  if (line.empty()) return true;  // a keepalive
  if (line[0] == '-') {
    fail(fmt::format("the primary failed the full sync: {}", line.substr(1)));
    return false;
  }
  std::optional<uint64_t> size = line[0] == '$' ? parse_decimal(line.substr(1)) : std::nullopt;
  if (!size) {
    fail(fmt::format("protocol error: expected the checkpoint's size, got '{}'", line));
    return false;
  }
  transfer_fd_ =
      ::open(options_.checkpoint_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (transfer_fd_ < 0) {
    fail(fmt::format("cannot create {}: {}", options_.checkpoint_path, std::strerror(errno)));
    return false;
  }
  transfer_size_ = *size;
  transfer_read_ = 0;
  step_ = Step::kBulk;
  log_notice("Receiving the primary's checkpoint: {} bytes", transfer_size_);
  return true;
}

bool ReplicaLink::take_bulk() {
  size_t n = static_cast<size_t>(
      std::min<uint64_t>(in_.size() - in_pos_, transfer_size_ - transfer_read_));
  if (int err = write_all(transfer_fd_, in_.data() + in_pos_, n)) {
    fail(fmt::format("cannot write {}: {}", options_.checkpoint_path, std::strerror(err)));
    return false;
  }
  in_pos_ += n;
  transfer_read_ += n;
  return transfer_read_ < transfer_size_ || finish_transfer();
}

bool ReplicaLink::finish_transfer() {
  int fd = transfer_fd_;
  transfer_fd_ = -1;
  if (::close(fd) != 0) {
    int e = errno;
    ::unlink(options_.checkpoint_path.c_str());
    fail(fmt::format("cannot write {}: {}", options_.checkpoint_path, std::strerror(e)));
    return false;
  }
  log_notice("Loading the primary's checkpoint ({} bytes)", transfer_size_);
  std::string error =
      handler_->load_checkpoint(options_.checkpoint_path, sync_replid_, sync_offset_);
  loaded_since_tick_ = true;
  ::unlink(options_.checkpoint_path.c_str());
  if (!error.empty()) {
    // The dataset may be half replaced, and the primary could not continue
    // from where it was anyway: the next attempt asks for a full sync.
    replid_.clear();
    offset_ = read_offset_ = 0;
    fail(fmt::format("cannot load the primary's checkpoint: {}", error));
    return false;
  }
  replid_ = sync_replid_;
  offset_ = read_offset_ = sync_offset_;
  state_ = State::kConnected;
  ack_due_ = true;
  log_notice("Full sync done: following {}:{}", replid_, offset_);
  return true;
}

bool ReplicaLink::take_records() {
  std::string_view bytes(in_);
  for (;;) {
    wal::RecordRead r = wal::read_record(bytes, in_pos_);
    switch (r.status) {
      case wal::RecordRead::Status::kRecord: {
        read_offset_ += r.next - in_pos_;
        in_pos_ = r.next;
        std::string error = handler_->apply_record(r.payload, read_offset_);
        if (!error.empty()) {
          fail(fmt::format("cannot apply the record ending at offset {}: {}", read_offset_, error));
          return false;
        }
        offset_ = read_offset_;
        ack_due_ = true;
        break;
      }
      case wal::RecordRead::Status::kEnd:
      case wal::RecordRead::Status::kIncomplete:
        return true;
      case wal::RecordRead::Status::kCorrupt:
        fail(fmt::format("corrupt record from the primary at offset {}: {}", read_offset_,
                         r.problem));
        return false;
    }
  }
}

// --- Writing ---

bool ReplicaLink::send_command(std::initializer_list<std::string_view> args) {
  return send(resp_command(args));
}

bool ReplicaLink::send_ack() {
  ack_due_ = false;
  last_ack_ms_ = now_ms_;
  if (uv_stream_get_write_queue_size(reinterpret_cast<uv_stream_t*>(&socket_->tcp)) >
      kMaxQueuedWrites) {
    return true;  // the primary is not reading; a later ACK says more anyway
  }
  return send_command({"REPLCONF", "ACK", std::to_string(offset_)});
}

bool ReplicaLink::send(std::string bytes) {
  auto* w = new WriteRequest{{}, std::move(bytes)};
  w->req.data = w;  // (not a cast from req: WriteRequest need not be standard-layout)
  uv_buf_t buf = uv_buf_init(w->bytes.data(), static_cast<unsigned>(w->bytes.size()));
  int rc = uv_write(&w->req, reinterpret_cast<uv_stream_t*>(&socket_->tcp), &buf, 1,
                    WriteRequest::on_write);
  if (rc != 0) {
    delete w;
    fail(fmt::format("write error: {}", uv_strerror(rc)));
    return false;
  }
  return true;
}

// --- Dropping ---

void ReplicaLink::fail(std::string_view why) {
  log_warning("Replication link to {}:{} lost: {}; retrying in 1 s", options_.host, options_.port,
              why);
  disconnect();
  retry_at_ms_ = now_ms_ + kRetryMs;
}

void ReplicaLink::disconnect() {
  if (socket_ != nullptr) {
    socket_->close();
    socket_ = nullptr;
  }
  if (resolve_ != nullptr) {
    resolve_->link = nullptr;
    uv_cancel(reinterpret_cast<uv_req_t*>(&resolve_->req));
    resolve_ = nullptr;
  }
  close_transfer_file();
  in_.clear();
  in_pos_ = 0;
  ack_due_ = false;
  if (state_ == State::kConnected) down_since_ms_ = now_ms_;
  state_ = State::kConnect;
}

void ReplicaLink::close_transfer_file() {
  if (transfer_fd_ < 0) return;
  ::close(transfer_fd_);
  transfer_fd_ = -1;
  ::unlink(options_.checkpoint_path.c_str());
}

}  // namespace vireo
