#pragma once
// End-to-end test harness: a real vireo-server child process on a free port,
// hiredis connections to it, and a raw socket for exact protocol bytes.

#include <hiredis/hiredis.h>
#include <sys/types.h>

#include <chrono>
#include <csignal>
#include <cstddef>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace vireo::e2e {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// Generous enough for a sanitizer build on a busy 2-core machine; a healthy
// server answers in microseconds, so these only bound how long a broken one
// can hang a test.
inline constexpr auto kIoDeadline = 10s;
inline constexpr auto kStartDeadline = 10s;
inline constexpr auto kStopDeadline = 5s;

// The RESP multibulk encoding of one command.
std::string encode_command(std::initializer_list<std::string_view> args);
std::string encode_command(const std::vector<std::string>& args);

// End offset of the complete RESP2/RESP3 reply starting at `pos`, or npos when
// `buf` holds only part of it.
size_t reply_end(std::string_view buf, size_t pos = 0);

// How a server process ended.
struct ExitStatus {
  bool exited = false;  // exit() rather than a signal
  int code = -1;        // exit code when `exited`
  int signal = 0;       // terminating signal otherwise
  bool killed = false;  // it outlived the deadline and got SIGKILL
  bool clean() const { return exited && code == 0 && !killed; }
  std::string describe() const;
};

// A hiredis reply, freed with the reply.
struct ReplyDeleter {
  void operator()(redisReply* r) const { freeReplyObject(r); }
};
using Reply = std::unique_ptr<redisReply, ReplyDeleter>;

// The RESP2 bytes a hiredis reply was parsed from (hiredis keeps types and
// binary-safe lengths), so tests can compare replies as exact bytes.
std::string to_resp(const redisReply* r);
inline std::string to_resp(const Reply& r) {
  return to_resp(r.get());
}

// One blocking hiredis connection (RESP2 only: hiredis 0.14 has no RESP3).
class RedisConnection {
 public:
  explicit RedisConnection(int port);
  // Binary-safe: arguments go out as given, NULs and CRLFs included. Fails the
  // test case (BOOST_REQUIRE) on an I/O error.
  Reply command(std::initializer_list<std::string_view> args);
  Reply command(const std::vector<std::string>& args);
  // Pipelining: queue commands, then read their replies in order.
  void append(std::initializer_list<std::string_view> args);
  Reply next_reply();
  redisContext* get() const { return ctx_.get(); }

 private:
  struct ContextDeleter {
    void operator()(redisContext* c) const { redisFree(c); }
  };
  std::unique_ptr<redisContext, ContextDeleter> ctx_;
};

// A plain TCP client for exact bytes: sends anything, and reads until a given
// number of complete replies (or EOF, or a deadline).
class RawConnection {
 public:
  explicit RawConnection(int port);
  ~RawConnection();
  RawConnection(RawConnection&& other) noexcept;
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  // Writes all of `bytes` (as one send call when the socket takes it),
  // reading replies meanwhile so that a long pipeline cannot deadlock.
  void send(std::string_view bytes);
  // Sends `bytes`, then returns every byte received once `replies` complete
  // replies have arrived counted from the last call, or what arrived by the
  // deadline (the comparison in the test then shows what is missing).
  std::string exchange(std::string_view bytes, size_t replies,
                       Clock::duration deadline = kIoDeadline);
  std::string read_replies(size_t replies, Clock::duration deadline = kIoDeadline);
  // Reads until the server closes the connection; returns what arrived.
  std::string read_until_closed(Clock::duration deadline = kIoDeadline);
  // Whether the server has closed the connection (EOF or reset seen).
  bool closed() const { return closed_; }
  int fd() const { return fd_; }

 private:
  // One poll round: sends from `out` when writable, receives when readable.
  void pump(std::string_view& out, Clock::time_point deadline);
  // Complete replies received, counting no further than `limit`.
  size_t count_replies(size_t limit);

  int fd_ = -1;
  bool closed_ = false;
  std::string in_;      // received bytes not yet returned
  size_t scanned_ = 0;  // prefix of in_ already split into replies
  size_t counted_ = 0;  // complete replies in that prefix
};

// A vireo-server child process: started on a free port with its own
// temporary --dir, stdout and stderr going to a log file there. Ready once it
// answers a PING. The destructor stops it with SIGTERM and checks it exited
// with code 0 (SIGKILL after a deadline), printing the log if the test failed.
class ServerProcess {
 public:
  explicit ServerProcess(std::vector<std::string> extra_args = {});
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  int port() const { return port_; }
  pid_t pid() const { return pid_; }
  const std::string& dir() const { return dir_; }
  // Everything the server has written to stdout and stderr so far.
  std::string log() const;

  RedisConnection connect() const { return RedisConnection(port_); }
  RawConnection raw() const { return RawConnection(port_); }

  // Sends `sig` and waits for the process to end; SIGKILL after `deadline`.
  ExitStatus stop(int sig = SIGTERM, Clock::duration deadline = kStopDeadline);
  bool running() const { return pid_ > 0; }

 private:
  // One start attempt on a fresh port; false if the port was taken meanwhile.
  bool start(const std::vector<std::string>& extra_args);
  // Polls PING until the server answers; false (with `ended` filled) if the
  // process ends first, or false with it still running at the deadline.
  bool wait_until_ready(ExitStatus* ended);
  // Reaps the child if it has ended: fills `status`, and running() turns false.
  bool reap(ExitStatus* status, bool block);

  std::string dir_;
  std::string log_path_;
  int port_ = 0;
  pid_t pid_ = -1;
};

}  // namespace vireo::e2e
