#include "tests/e2e/server_process.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/test/framework.hpp>
#include <boost/test/results_collector.hpp>
#include <boost/test/unit_test.hpp>
#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

namespace vireo::e2e {
namespace {

constexpr size_t npos = std::string_view::npos;

// Milliseconds left until `deadline`, rounded up so that poll never spins on
// a zero timeout while time remains.
int poll_timeout(Clock::time_point deadline) {
  auto left = deadline - Clock::now();
  if (left <= Clock::duration::zero()) return 0;
  return static_cast<int>(std::chrono::ceil<std::chrono::milliseconds>(left).count());
}

// A connected, non-blocking TCP socket to 127.0.0.1:port, or -1.
int connect_to(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    ::close(fd);
    return -1;
  }
  int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
  return fd;
}

// A port nothing listens on right now (the kernel's pick for port 0). Another
// process may take it before the server binds it: the caller retries then.
int free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  BOOST_REQUIRE(fd >= 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(addr);
  bool ok = ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0 &&
            ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0;
  ::close(fd);
  BOOST_REQUIRE_MESSAGE(ok, "cannot find a free port: " << std::strerror(errno));
  return ntohs(addr.sin_port);
}

bool current_test_failed() {
  using namespace boost::unit_test;
  return results_collector.results(framework::current_test_case().p_id).p_assertions_failed > 0;
}

// The last `max` bytes of a log, enough to see why a server misbehaved.
std::string tail(const std::string& text, size_t max = 4000) {
  return text.size() <= max ? text : "...\n" + text.substr(text.size() - max);
}

std::string encode_args(size_t count, auto begin) {
  std::string out = "*" + std::to_string(count) + "\r\n";
  for (size_t i = 0; i < count; ++i, ++begin) {
    std::string_view a = *begin;
    out += "$" + std::to_string(a.size()) + "\r\n";
    out.append(a);
    out += "\r\n";
  }
  return out;
}

}  // namespace

std::string encode_command(std::initializer_list<std::string_view> args) {
  return encode_args(args.size(), args.begin());
}

std::string encode_command(const std::vector<std::string>& args) {
  return encode_args(args.size(), args.begin());
}

size_t reply_end(std::string_view buf, size_t pos) {
  size_t eol = buf.find("\r\n", pos);
  if (pos >= buf.size() || eol == npos) return npos;
  const char type = buf[pos];
  std::string_view header = buf.substr(pos + 1, eol - pos - 1);
  size_t next = eol + 2;
  int64_t n = 0;
  switch (type) {
    case '$':
    case '=':
    case '!':  // bulk string, verbatim, bulk error
    case '*':
    case '~':
    case '>':
    case '%':
    case '|':  // aggregates
      std::from_chars(header.data(), header.data() + header.size(), n);
      break;
    default:  // + - : _ , # ( and anything unexpected: one line
      return next;
  }
  if (n < 0) return next;  // $-1 / *-1 nulls
  if (type == '$' || type == '=' || type == '!') {
    size_t end = next + static_cast<size_t>(n) + 2;
    return buf.size() >= end ? end : npos;
  }
  size_t elements =
      (type == '%' || type == '|') ? 2 * static_cast<size_t>(n) : static_cast<size_t>(n);
  // An attribute map is followed by the reply it annotates.
  if (type == '|') ++elements;
  for (size_t i = 0; i < elements && next != npos; ++i)
    next = reply_end(buf, next);
  return next;
}

std::string ExitStatus::describe() const {
  std::ostringstream out;
  if (exited) {
    out << "exit code " << code;
  } else {
    out << "killed by signal " << signal << " (" << strsignal(signal) << ")";
  }
  if (killed) out << " after outliving the stop deadline";
  return out.str();
}

std::string to_resp(const redisReply* r) {
  if (!r) return "(no reply)";
  switch (r->type) {
    case REDIS_REPLY_STATUS:
      return "+" + std::string(r->str, r->len) + "\r\n";
    case REDIS_REPLY_ERROR:
      return "-" + std::string(r->str, r->len) + "\r\n";
    case REDIS_REPLY_INTEGER:
      return ":" + std::to_string(r->integer) + "\r\n";
    // hiredis folds the null array into this too; RESP2 commands here use $-1.
    case REDIS_REPLY_NIL:
      return "$-1\r\n";
    case REDIS_REPLY_STRING:
      return "$" + std::to_string(r->len) + "\r\n" + std::string(r->str, r->len) + "\r\n";
    case REDIS_REPLY_ARRAY: {
      std::string out = "*" + std::to_string(r->elements) + "\r\n";
      for (size_t i = 0; i < r->elements; ++i)
        out += to_resp(r->element[i]);
      return out;
    }
  }
  return "(unknown hiredis reply type " + std::to_string(r->type) + ")";
}

// ---------------------------------------------------------------- hiredis

RedisConnection::RedisConnection(int port) {
  timeval tv{std::chrono::duration_cast<std::chrono::seconds>(kIoDeadline).count(), 0};
  ctx_.reset(redisConnectWithTimeout("127.0.0.1", port, tv));
  BOOST_REQUIRE_MESSAGE(ctx_ && !ctx_->err,
                        "hiredis cannot connect: " << (ctx_ ? ctx_->errstr : "out of memory"));
  redisSetTimeout(ctx_.get(), tv);
}

Reply RedisConnection::command(std::initializer_list<std::string_view> args) {
  append(args);
  return next_reply();
}

Reply RedisConnection::command(const std::vector<std::string>& args) {
  std::vector<const char*> argv;
  std::vector<size_t> lens;
  for (const std::string& a : args) {
    argv.push_back(a.data());
    lens.push_back(a.size());
  }
  Reply r(static_cast<redisReply*>(
      redisCommandArgv(ctx_.get(), static_cast<int>(argv.size()), argv.data(), lens.data())));
  BOOST_REQUIRE_MESSAGE(r, "hiredis: " << ctx_->errstr);
  return r;
}

void RedisConnection::append(std::initializer_list<std::string_view> args) {
  std::vector<const char*> argv;
  std::vector<size_t> lens;
  for (std::string_view a : args) {
    argv.push_back(a.data());
    lens.push_back(a.size());
  }
  int rc =
      redisAppendCommandArgv(ctx_.get(), static_cast<int>(argv.size()), argv.data(), lens.data());
  BOOST_REQUIRE_MESSAGE(rc == REDIS_OK, "hiredis: " << ctx_->errstr);
}

Reply RedisConnection::next_reply() {
  void* raw = nullptr;
  int rc = redisGetReply(ctx_.get(), &raw);
  Reply r(static_cast<redisReply*>(raw));
  BOOST_REQUIRE_MESSAGE(rc == REDIS_OK && r, "hiredis: " << ctx_->errstr);
  return r;
}

// ---------------------------------------------------------------- raw socket

RawConnection::RawConnection(int port) : fd_(connect_to(port)) {
  BOOST_REQUIRE_MESSAGE(fd_ >= 0,
                        "cannot connect to port " << port << ": " << std::strerror(errno));
}

RawConnection::~RawConnection() {
  if (fd_ >= 0) ::close(fd_);
}

RawConnection::RawConnection(RawConnection&& other) noexcept
    : fd_(other.fd_),
      closed_(other.closed_),
      in_(std::move(other.in_)),
      scanned_(other.scanned_),
      counted_(other.counted_) {
  other.fd_ = -1;
}

void RawConnection::pump(std::string_view& out, Clock::time_point deadline) {
  pollfd p{fd_, static_cast<short>(POLLIN | (out.empty() ? 0 : POLLOUT)), 0};
  int ready = ::poll(&p, 1, poll_timeout(deadline));
  if (ready <= 0) return;
  if ((p.revents & POLLOUT) && !out.empty()) {
    ssize_t n = ::send(fd_, out.data(), out.size(), MSG_NOSIGNAL);
    if (n > 0) {
      out.remove_prefix(static_cast<size_t>(n));
    } else if (n < 0 && errno != EAGAIN && errno != EINTR) {
      closed_ = true;  // EPIPE or ECONNRESET: the server hung up
      out = {};
    }
  }
  if (!(p.revents & (POLLIN | POLLHUP | POLLERR))) return;
  char buf[64 * 1024];
  while (true) {
    ssize_t n = ::recv(fd_, buf, sizeof(buf), 0);
    if (n > 0) {
      in_.append(buf, static_cast<size_t>(n));
      continue;
    }
    if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
      closed_ = true;
      out = {};
    }
    return;
  }
}

void RawConnection::send(std::string_view bytes) {
  const auto deadline = Clock::now() + kIoDeadline;
  while (!bytes.empty() && !closed_) {
    BOOST_REQUIRE_MESSAGE(Clock::now() < deadline,
                          "sending timed out with " << bytes.size() << " bytes left");
    pump(bytes, deadline);
  }
}

size_t RawConnection::count_replies(size_t limit) {
  while (counted_ < limit) {
    size_t end = reply_end(in_, scanned_);
    if (end == npos) break;
    scanned_ = end;
    ++counted_;
  }
  return counted_;
}

std::string RawConnection::exchange(std::string_view bytes, size_t replies,
                                    Clock::duration deadline) {
  send(bytes);
  return read_replies(replies, deadline);
}

std::string RawConnection::read_replies(size_t replies, Clock::duration deadline) {
  const auto until = Clock::now() + deadline;
  std::string_view nothing;
  while (count_replies(replies) < replies && !closed_ && Clock::now() < until) {
    pump(nothing, until);
  }
  count_replies(replies);
  // Bytes after the wanted replies stay for the next call.
  size_t take = counted_ == replies ? scanned_ : in_.size();
  std::string out = in_.substr(0, take);
  in_.erase(0, take);
  scanned_ = counted_ = 0;
  return out;
}

std::string RawConnection::read_until_closed(Clock::duration deadline) {
  const auto until = Clock::now() + deadline;
  std::string_view nothing;
  while (!closed_ && Clock::now() < until)
    pump(nothing, until);
  std::string out = std::move(in_);
  in_.clear();
  scanned_ = counted_ = 0;
  return out;
}

// ---------------------------------------------------------------- process

ServerProcess::ServerProcess(std::vector<std::string> extra_args) {
  // hiredis writes with write(): should a server die mid-test, the test must
  // fail on EPIPE rather than the whole test binary die of SIGPIPE. (The
  // child gets the default disposition back before exec.)
  static const bool sigpipe_ignored = [] { return std::signal(SIGPIPE, SIG_IGN) != SIG_ERR; }();
  (void)sigpipe_ignored;
  char tmpl[] = "/tmp/vireo-e2e-XXXXXX";
  BOOST_REQUIRE_MESSAGE(::mkdtemp(tmpl), "mkdtemp: " << std::strerror(errno));
  dir_ = tmpl;
  log_path_ = dir_ + "/server.log";
  // Another process can grab the free port between our probe and the
  // server's bind; a few fresh ports make that race harmless.
  for (int attempt = 0; attempt < 5; ++attempt) {
    if (start(extra_args)) return;
  }
  BOOST_FAIL("vireo-server kept failing to bind a free port; last log:\n" << tail(log()));
}

ServerProcess::~ServerProcess() {
  if (running()) {
    ExitStatus status = stop();
    BOOST_TEST(status.clean(),
               "vireo-server did not exit cleanly on SIGTERM: " << status.describe());
  }
  if (current_test_failed()) {
    std::cerr << "---- vireo-server log (" << log_path_ << ") ----\n"
              << tail(log()) << "---- end of log ----\n";
  }
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

std::string ServerProcess::log() const {
  std::ifstream in(log_path_, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

bool ServerProcess::start(const std::vector<std::string>& extra_args) {
  port_ = free_port();
  std::vector<std::string> args = {
      VIREO_SERVER_BINARY, "--port", std::to_string(port_), "--bind", "127.0.0.1", "--dir", dir_};
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  std::vector<char*> argv;
  for (std::string& a : args)
    argv.push_back(a.data());
  argv.push_back(nullptr);

  // Everything the child needs is prepared before fork: after it, only
  // async-signal-safe calls (the test binary may have threads).
  int log_fd = ::open(log_path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  int null_fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  BOOST_REQUIRE_MESSAGE(log_fd >= 0 && null_fd >= 0, "open: " << std::strerror(errno));
  pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(null_fd, 0);
    ::dup2(log_fd, 1);
    ::dup2(log_fd, 2);
    // No inherited descriptors (other tests' sockets) and no inherited
    // signal dispositions or mask: the server starts as from a shell.
    if (::close_range(3, ~0U, 0) != 0) {
      for (int fd = 3; fd < 65536; ++fd)
        ::close(fd);
    }
    struct sigaction dfl {};
    dfl.sa_handler = SIG_DFL;
    for (int sig = 1; sig < NSIG; ++sig)
      ::sigaction(sig, &dfl, nullptr);
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    ::execv(argv[0], argv.data());
    const char msg[] = "e2e: execv of vireo-server failed\n";
    ssize_t ignored = ::write(2, msg, sizeof(msg) - 1);
    (void)ignored;
    ::_exit(127);
  }
  ::close(log_fd);
  ::close(null_fd);
  BOOST_REQUIRE_MESSAGE(pid > 0, "fork: " << std::strerror(errno));
  pid_ = pid;
  ExitStatus status;
  if (wait_until_ready(&status)) return true;
  if (running()) {
    stop(SIGKILL);
    BOOST_FAIL("vireo-server on port " << port_ << " was not ready within the deadline; log:\n"
                                       << tail(log()));
  }
  std::string text = log();
  if (text.find("already in use") != std::string::npos) return false;
  BOOST_FAIL("vireo-server exited during start-up (" << status.describe() << "); log:\n"
                                                     << tail(text));
  return false;
}

// Ready means it answers: any complete reply to PING counts (an error too),
// since that proves the listener, the parser and the reply path all work.
bool ServerProcess::wait_until_ready(ExitStatus* ended) {
  const auto deadline = Clock::now() + kStartDeadline;
  while (Clock::now() < deadline) {
    if (reap(ended, false)) return false;
    int fd = connect_to(port_);
    if (fd < 0) {
      // Not listening yet: poll again shortly.
      std::this_thread::sleep_for(2ms);
      continue;
    }
    std::string in;
    bool sent = ::send(fd, "PING\r\n", 6, MSG_NOSIGNAL) == 6;
    while (sent && reply_end(in) == npos && Clock::now() < deadline) {
      pollfd p{fd, POLLIN, 0};
      if (::poll(&p, 1, poll_timeout(deadline)) <= 0) continue;
      char buf[512];
      ssize_t n = ::recv(fd, buf, sizeof(buf), 0);
      if (n <= 0) break;
      in.append(buf, static_cast<size_t>(n));
    }
    ::close(fd);
    if (reply_end(in) != npos) return true;
  }
  return false;
}

bool ServerProcess::reap(ExitStatus* status, bool block) {
  if (!running()) return false;
  int wstatus = 0;
  pid_t r;
  do {
    r = ::waitpid(pid_, &wstatus, block ? 0 : WNOHANG);
  } while (r < 0 && errno == EINTR);
  if (r != pid_) return false;
  pid_ = -1;
  status->exited = WIFEXITED(wstatus);
  status->code = status->exited ? WEXITSTATUS(wstatus) : -1;
  status->signal = WIFSIGNALED(wstatus) ? WTERMSIG(wstatus) : 0;
  return true;
}

ExitStatus ServerProcess::stop(int sig, Clock::duration deadline) {
  ExitStatus status;
  BOOST_REQUIRE_MESSAGE(running(), "stop() on a server that is not running");
  ::kill(pid_, sig);
  const auto until = Clock::now() + deadline;
  bool ended = false;
  while (!(ended = reap(&status, false)) && Clock::now() < until) {
    std::this_thread::sleep_for(1ms);
  }
  if (!ended) {
    ::kill(pid_, SIGKILL);
    reap(&status, true);
    status.killed = true;
  }
  return status;
}

}  // namespace vireo::e2e
