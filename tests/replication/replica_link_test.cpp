#include "replication/replica_link.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <cerrno>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "core/log.h"
#include "persistence/wal_format.h"
#include "tests/temp_dir.h"

using namespace vireo;
using State = ReplicaLink::State;

namespace {

// A primary played by the test: a non-blocking socket on 127.0.0.1, read
// whenever the test's loop runs. A new connection replaces the old one.
class FakePrimary {
 public:
  FakePrimary() {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), len) != 0 ||
        ::listen(listen_fd_, 8) != 0 ||
        ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
      throw std::runtime_error("cannot listen");
    }
    port_ = ntohs(addr.sin_port);
  }
  ~FakePrimary() {
    drop();
    ::close(listen_fd_);
  }
  int port() const { return port_; }

  // Accepts a waiting connection and reads what arrived.
  void pump() {
    int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd >= 0) {
      drop();
      conn_ = fd;
      got.clear();
      closed = false;
      accepted++;
    }
    char buf[4096];
    while (conn_ >= 0 && !closed) {
      ssize_t n = ::recv(conn_, buf, sizeof buf, 0);
      if (n <= 0) {
        closed = n == 0;
        break;
      }
      got.append(buf, static_cast<size_t>(n));
    }
  }
  void send(std::string_view bytes) {
    BOOST_REQUIRE(conn_ >= 0);
    ssize_t n = ::send(conn_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    BOOST_REQUIRE(n == static_cast<ssize_t>(bytes.size()));  // small: fits the socket buffer
  }
  void drop() {
    if (conn_ >= 0) ::close(conn_);
    conn_ = -1;
  }

  std::string got;      // what the replica sent on the current connection
  bool closed = false;  // the replica closed the current connection
  int accepted = 0;

 private:
  int listen_fd_ = -1;
  int conn_ = -1;
  int port_ = 0;
};

// Records what the link hands the server.
struct Recorder : ReplicaLinkHandler {
  std::string load_checkpoint(const std::string& path, const std::string& replid,
                              uint64_t offset) override {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    checkpoint = ss.str();
    checkpoint_replid = replid;
    checkpoint_offset = offset;
    loads++;
    if (during_load) during_load();
    return load_error;
  }
  std::string apply_record(std::string_view payload, uint64_t end_offset) override {
    records.emplace_back(std::string(payload), end_offset);
    return "";
  }
  void primary_id_changed(const std::string& replid, uint64_t offset) override {
    id_changes.emplace_back(replid, offset);
  }

  std::string checkpoint, checkpoint_replid, load_error;
  std::function<void()> during_load;  // e.g. time passing in a long load
  uint64_t checkpoint_offset = 0;
  int loads = 0;
  std::vector<std::pair<std::string, uint64_t>> records;
  std::vector<std::pair<std::string, uint64_t>> id_changes;
};

std::string cmd(std::initializer_list<std::string_view> args) {
  std::string out = "*" + std::to_string(args.size()) + "\r\n";
  for (std::string_view a : args) {
    out += "$" + std::to_string(a.size()) + "\r\n";
    out += a;
    out += "\r\n";
  }
  return out;
}

std::string ack(uint64_t offset) {
  return cmd({"REPLCONF", "ACK", std::to_string(offset)});
}

std::string record(std::string_view payload) {
  unsigned char header[wal::kRecordHeaderSize];
  wal::record_header(payload, header);
  return std::string(reinterpret_cast<char*>(header), sizeof header) + std::string(payload);
}

const std::string kSet =
    "*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n";
const std::string kDel = "*2\r\n$6\r\nSELECT\r\n$1\r\n1\r\n*2\r\n$3\r\nDEL\r\n$1\r\nk\r\n";
const std::string kId = "8de1e1d5a6a3e8b0f0c6d7c1f5e2a9b3c4d5e6f7";

struct Fixture {
  Fixture() {
    uv_loop_init(&loop);
    Log::set_file(log_dir.str() + "/log");  // quiet, and tests can read it
  }
  ~Fixture() {
    Log::set_file("");
    link.reset();
    uv_run(&loop, UV_RUN_DEFAULT);                     // lets the closed socket free itself
    BOOST_CHECK(uv_loop_close(&loop) == 0);            // nothing left open
    BOOST_CHECK(std::filesystem::is_empty(dir.path));  // no checkpoint file left
  }

  void make_link(std::string host = "127.0.0.1", std::string user = "", std::string password = "") {
    ReplicaLink::Options o;
    o.host = std::move(host);
    o.port = primary.port();
    o.user = std::move(user);
    o.password = std::move(password);
    o.listening_port = 7777;
    o.checkpoint_path = dir.str() + "/incoming.tmp";
    o.timeout_ms = 5000;
    link = std::make_unique<ReplicaLink>(&loop, std::move(o), &handler);
    link->tick(now);
  }

  // Runs the loop until `done` or a 10 s deadline; returns `done()`.
  bool run_until(const std::function<bool()>& done) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (std::chrono::steady_clock::now() < deadline) {
      primary.pump();
      if (done()) return true;
      uv_run(&loop, UV_RUN_NOWAIT);
    }
    return done();
  }
  // The next `n` bytes the replica sends (fewer at the deadline).
  std::string take(size_t n) {
    run_until([&] { return primary.got.size() >= n; });
    std::string out = primary.got.substr(0, n);
    primary.got.erase(0, out.size());
    return out;
  }
  void expect(const std::string& bytes) { BOOST_TEST(take(bytes.size()) == bytes); }
  // Nothing sent now: the link's writes are synchronous on loopback, so what
  // it wrote is readable at once.
  void expect_nothing() {
    uv_run(&loop, UV_RUN_NOWAIT);
    primary.pump();
    BOOST_TEST(primary.got.empty(), "unexpected bytes: " << primary.got);
  }
  // Plays the primary's side of the handshake up to the PSYNC it expects.
  void handshake(const std::string& psync) {
    BOOST_REQUIRE(run_until([&] { return primary.accepted > 0 && !primary.closed; }));
    expect(cmd({"PING"}));
    primary.send("+PONG\r\n");
    expect(cmd({"REPLCONF", "listening-port", "7777"}));
    primary.send("+OK\r\n");
    expect(cmd({"REPLCONF", "capa", "vireo"}));
    primary.send("+OK\r\n");
    expect(psync);
    BOOST_TEST((link->state() == State::kHandshake));
  }
  bool dropped() {
    return run_until([&] { return link->state() == State::kConnect && primary.closed; });
  }

  std::string log() const { return log_dir.read("log"); }

  uv_loop_t loop;
  test::TempDir dir, log_dir;
  FakePrimary primary;
  Recorder handler;
  int64_t now = 1'000'000;
  std::unique_ptr<ReplicaLink> link;
};

void full_sync(Fixture& f, bool one_byte_at_a_time) {
  f.make_link();
  f.link->start("", 0);
  f.handshake(cmd({"PSYNC", "?", "-1"}));
  std::string checkpoint;
  for (int i = 0; i < 3000; i++)
    checkpoint += static_cast<char>(i * 7 % 256);  // \0, \r, \n...
  std::string head = "\n+FULLRESYNC " + kId + " 1000\r\n\n\n$" + std::to_string(checkpoint.size()) +
                     "\r\n" + checkpoint.substr(0, 1500);
  std::string tail = checkpoint.substr(1500) + record(kSet) + record(kDel);
  if (one_byte_at_a_time) {
    for (char c : head) {
      f.primary.send(std::string_view(&c, 1));
      uv_run(&f.loop, UV_RUN_NOWAIT);
    }
    BOOST_REQUIRE(f.run_until([&] { return f.link->transfer_read() == 1500; }));
    BOOST_TEST(f.link->sync_in_progress());
    BOOST_TEST(f.link->transfer_size() == 3000u);
    for (char c : tail) {
      f.primary.send(std::string_view(&c, 1));
      uv_run(&f.loop, UV_RUN_NOWAIT);
    }
  } else {
    f.primary.send(head + tail);
  }
  BOOST_REQUIRE(f.run_until([&] { return f.handler.records.size() == 2; }));
  BOOST_TEST(f.handler.loads == 1);
  BOOST_TEST((f.handler.checkpoint == checkpoint));
  BOOST_TEST(f.handler.checkpoint_replid == kId);
  BOOST_TEST(f.handler.checkpoint_offset == 1000u);
  uint64_t end1 = 1000 + 12 + kSet.size(), end2 = end1 + 12 + kDel.size();
  BOOST_TEST(f.handler.records[0].first == kSet);
  BOOST_TEST(f.handler.records[0].second == end1);
  BOOST_TEST(f.handler.records[1].first == kDel);
  BOOST_TEST(f.handler.records[1].second == end2);
  BOOST_TEST((f.link->state() == State::kConnected));
  BOOST_TEST(!f.link->sync_in_progress());
  BOOST_TEST(f.link->primary_replid() == kId);
  BOOST_TEST(f.link->offset() == end2);
  BOOST_TEST(f.link->read_offset() == end2);
  BOOST_TEST(f.link->transfer_read() == 3000u);
  BOOST_TEST(f.link->full_syncs() == 1u);
  BOOST_TEST(f.link->partial_syncs() == 0u);
  // The ACKs arrive, the last one at the end of the stream.
  BOOST_REQUIRE(f.run_until([&] { return f.primary.got.ends_with(ack(end2)); }));
  BOOST_TEST(f.primary.got.starts_with("*3\r\n$8\r\nREPLCONF\r\n$3\r\nACK\r\n"));
}

}  // namespace

BOOST_AUTO_TEST_SUITE(replica_link)

BOOST_FIXTURE_TEST_CASE(handshake_is_byte_exact, Fixture) {
  make_link();
  BOOST_TEST((link->state() == State::kConnect));
  link->start("", 0);
  BOOST_TEST((link->state() == State::kConnecting));
  handshake("*3\r\n$5\r\nPSYNC\r\n$1\r\n?\r\n$2\r\n-1\r\n");
}

BOOST_FIXTURE_TEST_CASE(handshake_authenticates_and_fails_on_an_auth_error, Fixture) {
  make_link("127.0.0.1", "repl", "s3cret");
  link->start(kId, 42);
  run_until([&] { return primary.accepted == 1; });
  expect(cmd({"AUTH", "repl", "s3cret"}));
  primary.send("+OK\r\n");
  handshake(cmd({"PSYNC", kId, "42"}));

  make_link("localhost", "", "s3cret");  // by name, which may try ::1 first
  link->start(kId, 42);
  run_until([&] { return primary.accepted == 2; });
  expect(cmd({"AUTH", "s3cret"}));
  primary.send("-WRONGPASS invalid username-password pair or user is disabled.\r\n");
  BOOST_TEST(dropped());
}

BOOST_FIXTURE_TEST_CASE(full_sync_in_one_piece, Fixture) {
  full_sync(*this, false);
}

BOOST_FIXTURE_TEST_CASE(full_sync_one_byte_at_a_time, Fixture) {
  full_sync(*this, true);
}

BOOST_FIXTURE_TEST_CASE(continue_with_and_without_a_replid, Fixture) {
  make_link();
  link->start("abc", 500);
  handshake(cmd({"PSYNC", "abc", "500"}));
  primary.send("+CONTINUE\r\n" + record(kSet));
  uint64_t end1 = 500 + 12 + kSet.size();
  BOOST_REQUIRE(run_until([&] { return handler.records.size() == 1; }));
  BOOST_TEST(handler.records[0].second == end1);
  BOOST_TEST(link->primary_replid() == "abc");
  BOOST_TEST(link->partial_syncs() == 1u);
  BOOST_TEST(handler.loads == 0);
  BOOST_TEST(handler.id_changes.empty());
  BOOST_REQUIRE(run_until([&] { return primary.got.ends_with(ack(end1)); }));

  // The primary goes away; the link comes back a second later where it was.
  primary.drop();
  BOOST_REQUIRE(run_until([&] { return link->state() == State::kConnect; }));
  BOOST_TEST(link->down_since_ms() == now);
  link->tick(now += 1000);
  handshake(cmd({"PSYNC", "abc", std::to_string(end1)}));
  primary.send("\n\n+CONTINUE " + kId + "\r\n");
  BOOST_REQUIRE(run_until([&] { return link->state() == State::kConnected; }));
  BOOST_TEST(link->primary_replid() == kId);
  BOOST_TEST(link->offset() == end1);
  BOOST_TEST(link->partial_syncs() == 2u);
  // The server learns where the new id's history took over.
  BOOST_REQUIRE(handler.id_changes.size() == 1u);
  BOOST_TEST(handler.id_changes[0].first == kId);
  BOOST_TEST(handler.id_changes[0].second == end1);
}

BOOST_FIXTURE_TEST_CASE(acks_once_a_second, Fixture) {
  make_link();
  link->start("abc", 500);
  handshake(cmd({"PSYNC", "abc", "500"}));
  primary.send("+CONTINUE\r\n");
  expect(ack(500));  // on reaching the stream
  link->tick(now + 500);
  expect_nothing();
  link->tick(now + 1000);
  expect(ack(500));
  expect_nothing();
  primary.send(record(kSet));
  uint64_t end1 = 500 + 12 + kSet.size();
  expect(ack(end1));
  link->tick(now + 1500);
  link->tick(now + 1999);
  expect_nothing();
  link->tick(now + 2000);
  expect(ack(end1));
  primary.send(record(kDel));
  expect(ack(end1 + 12 + kDel.size()));
}

BOOST_FIXTURE_TEST_CASE(a_corrupt_record_drops_and_the_link_resumes_after_it, Fixture) {
  make_link();
  link->start("abc", 500);
  handshake(cmd({"PSYNC", "abc", "500"}));
  std::string bad = record(kDel);
  bad.back() ^= 1;
  primary.send("+CONTINUE\r\n" + record(kSet) + bad + record(kSet));
  BOOST_REQUIRE(dropped());
  uint64_t end1 = 500 + 12 + kSet.size();
  BOOST_TEST(handler.records.size() == 1u);
  BOOST_TEST(link->offset() == end1);
  BOOST_TEST(log().find("corrupt record from the primary at offset " + std::to_string(end1)) !=
             std::string::npos);
  link->tick(now + 999);
  BOOST_TEST((link->state() == State::kConnect));
  link->tick(now + 1000);
  handshake(cmd({"PSYNC", "abc", std::to_string(end1)}));
}

BOOST_FIXTURE_TEST_CASE(an_error_reply_to_psync_is_retried_after_a_second, Fixture) {
  make_link();
  link->start("", 0);
  handshake(cmd({"PSYNC", "?", "-1"}));
  primary.send("-ERR try later\r\n");
  BOOST_REQUIRE(dropped());
  link->tick(now + 999);
  BOOST_TEST((link->state() == State::kConnect));
  BOOST_TEST(primary.accepted == 1);
  link->tick(now + 1000);
  handshake(cmd({"PSYNC", "?", "-1"}));
  BOOST_TEST(primary.accepted == 2);
}

BOOST_FIXTURE_TEST_CASE(failures_drop_the_link, Fixture) {
  make_link();
  link->start("abc", 500);
  handshake(cmd({"PSYNC", "abc", "500"}));
  primary.send(std::string(5000, 'x'));  // a reply line without end
  BOOST_TEST(dropped());

  // A checkpoint that does not load: the next attempt asks for a full sync.
  link->tick(now += 1000);
  handshake(cmd({"PSYNC", "abc", "500"}));
  handler.load_error = "not a checkpoint";
  primary.send("+FULLRESYNC " + kId + " 7\r\n$3\r\nabc");
  BOOST_TEST(dropped());
  BOOST_TEST(handler.loads == 1);
  BOOST_TEST(handler.checkpoint == "abc");
  link->tick(now += 1000);
  handshake(cmd({"PSYNC", "?", "-1"}));
}

BOOST_FIXTURE_TEST_CASE(a_silent_primary_is_dropped, Fixture) {
  make_link();
  link->start("", 0);
  handshake(cmd({"PSYNC", "?", "-1"}));
  link->tick(now + 5000);
  BOOST_TEST((link->state() == State::kHandshake));
  link->tick(now += 5001);
  BOOST_TEST(dropped());

  // Also while the checkpoint arrives.
  link->tick(now += 1000);
  handshake(cmd({"PSYNC", "?", "-1"}));
  primary.send("+FULLRESYNC " + kId + " 7\r\n$100\r\n0123456789");
  BOOST_REQUIRE(run_until([&] { return link->transfer_read() == 10; }));
  link->tick(now + 5001);
  BOOST_TEST(dropped());
  BOOST_TEST(handler.loads == 0);
}

BOOST_FIXTURE_TEST_CASE(a_checkpoint_that_loads_for_longer_than_the_timeout_is_not_silence,
                        Fixture) {
  make_link();
  link->start("", 0);
  handshake(cmd({"PSYNC", "?", "-1"}));
  handler.during_load = [&] { now += 60000; };  // the server's clock moves meanwhile
  primary.send("+FULLRESYNC " + kId + " 7\r\n$3\r\nabc");
  BOOST_REQUIRE(run_until([&] { return handler.loads == 1; }));
  link->tick(now);
  BOOST_TEST((link->state() == State::kConnected));
  link->tick(now += 5001);  // then silence does count
  BOOST_TEST(dropped());
}

BOOST_FIXTURE_TEST_CASE(continue_after_asking_for_a_full_sync_is_refused, Fixture) {
  make_link();
  link->start("", 0);
  handshake(cmd({"PSYNC", "?", "-1"}));
  primary.send("+CONTINUE " + kId + "\r\n" + record(kSet));
  BOOST_TEST(dropped());
  BOOST_TEST(handler.records.empty());
}

BOOST_FIXTURE_TEST_CASE(destroying_the_link_is_safe_at_any_time, Fixture) {
  make_link();
  link->start("", 0);
  link.reset();  // connect pending
  make_link("localhost");
  link->start("", 0);
  link.reset();  // name lookup pending
  make_link();
  link->start("", 0);
  BOOST_REQUIRE(run_until([&] { return primary.got.size() > 0; }));
  link.reset();  // handshake: read pending

  make_link();
  link->start("", 0);
  handshake(cmd({"PSYNC", "?", "-1"}));
  primary.send("+FULLRESYNC " + kId + " 7\r\n$100\r\n0123456789");
  BOOST_REQUIRE(run_until([&] { return link->transfer_read() == 10; }));
  BOOST_TEST(!std::filesystem::is_empty(dir.path));
  link.reset();  // mid-transfer: the partial file goes (the fixture checks)
  BOOST_TEST(std::filesystem::is_empty(dir.path));
}

BOOST_AUTO_TEST_SUITE_END()
