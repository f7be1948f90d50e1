// The wire protocol end to end: a real vireo-server process, raw sockets for
// exact bytes, hiredis for ordinary traffic. Expected bytes were checked
// against Redis 7.0.15.
#include <poll.h>

#include <algorithm>
#include <atomic>
#include <boost/test/unit_test.hpp>
#include <map>
#include <random>
#include <sstream>
#include <thread>

#include "tests/core/command_fixture.h"
#include "tests/e2e/server_process.h"

using namespace vireo::e2e;
using vireo::test::bulk;
using vireo::test::kNull;
using vireo::test::kOk;

namespace {

// "" when the bytes are equal, else where two long byte strings first
// differ: a readable failure message instead of two 10 MB dumps.
std::string first_difference(std::string_view got, std::string_view want) {
  if (got == want) return "";
  size_t i = std::mismatch(got.begin(), got.end(), want.begin(), want.end()).first - got.begin();
  auto around = [i](std::string_view s) {
    size_t from = i < 40 ? 0 : i - 40;
    return std::string(s.substr(std::min(from, s.size()), 80));
  };
  std::ostringstream out;
  out << "got " << got.size() << " bytes, want " << want.size() << "; first difference at " << i
      << ": got [" << around(got) << "] want [" << around(want) << "]";
  return out.str();
}

#define BOOST_TEST_SAME_BYTES(got, want)                         \
  do {                                                           \
    const std::string difference_ = first_difference(got, want); \
    BOOST_TEST(difference_.empty(), difference_);                \
  } while (0)

std::string unknown(std::string_view name, std::string_view args_text) {
  return "-ERR unknown command '" + std::string(name) +
         "', with args beginning with: " + std::string(args_text) + "\r\n";
}

std::string wrong_arity(std::string_view name) {
  return "-ERR wrong number of arguments for '" + std::string(name) + "' command\r\n";
}

// HELLO's reply as Redis 7.0 spells it; only the client id varies.
std::string hello_reply(int protocol, std::string_view id) {
  std::string out = protocol == 3 ? "%7\r\n" : "*14\r\n";
  out += "$6\r\nserver\r\n$5\r\nredis\r\n$7\r\nversion\r\n$6\r\n7.0.15\r\n";
  out += "$5\r\nproto\r\n:" + std::to_string(protocol) + "\r\n";
  out += "$2\r\nid\r\n:" + std::string(id) + "\r\n";
  out += "$4\r\nmode\r\n$10\r\nstandalone\r\n$4\r\nrole\r\n$6\r\nmaster\r\n";
  out += "$7\r\nmodules\r\n*0\r\n";
  return out;
}

// The client id inside a HELLO reply ("" when there is none).
std::string hello_id(std::string_view reply) {
  constexpr std::string_view kField = "$2\r\nid\r\n:";
  size_t at = reply.find(kField);
  if (at == std::string_view::npos) return "";
  at += kField.size();
  return std::string(reply.substr(at, reply.find("\r\n", at) - at));
}

// A value whose bytes cover all 256 values, CR and LF included.
std::string binary_value(size_t size) {
  std::string v(size, '\0');
  for (size_t i = 0; i < size; ++i)
    v[i] = static_cast<char>((i * 31 + i / 251) & 0xff);
  return v;
}

// A short pause between the parts of a split request, so that the server's
// read usually sees a part alone. Correctness never depends on it.
void let_server_read() {
  std::this_thread::sleep_for(200us);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(protocol_e2e)

BOOST_AUTO_TEST_CASE(pipeline_of_10000_commands_in_one_write) {
  ServerProcess server;
  RawConnection c = server.raw();
  std::string requests, expected;
  for (int i = 0; i < 5000; ++i) {
    std::string key = "key:" + std::to_string(i);
    std::string value = "value:" + std::to_string(i * 7);
    requests += encode_command({"SET", key, value});
    requests += encode_command({"GET", key});
    expected += kOk + bulk(value);
  }
  std::string got = c.exchange(requests, 10000);
  BOOST_TEST_SAME_BYTES(got, expected);
}

BOOST_AUTO_TEST_CASE(request_split_at_every_byte_boundary) {
  ServerProcess server;
  RawConnection c = server.raw();
  // The same SET + GET pair as multibulk and as inline commands; the value
  // holds CR LF so that a split inside it is a split inside a bulk.
  for (bool inline_form : {false, true}) {
    for (size_t cut = 1;; ++cut) {
      char tag[8];
      std::snprintf(tag, sizeof(tag), "%03zu", cut);
      std::string value = std::string("a\r\nb") + tag;
      std::string request =
          inline_form
              ? "SET split:key \"a\\r\\nb" + std::string(tag) + "\"\r\nGET split:key\r\n"
              : encode_command({"SET", "split:key", value}) + encode_command({"GET", "split:key"});
      if (cut >= request.size()) break;
      c.send(std::string_view(request).substr(0, cut));
      let_server_read();
      c.send(std::string_view(request).substr(cut));
      BOOST_TEST(c.read_replies(2) == kOk + bulk(value), (inline_form ? "inline" : "multibulk")
                                                             << " request cut at byte " << cut);
    }
  }
  // And one request trickled in a byte at a time.
  std::string request = encode_command({"SET", "trickle", "x\r\ny"}) + "GET trickle\r\n";
  for (char byte : request) {
    c.send(std::string_view(&byte, 1));
    let_server_read();
  }
  BOOST_TEST(c.read_replies(2) == kOk + bulk("x\r\ny"));
}

BOOST_AUTO_TEST_CASE(long_pipeline_in_random_chunks) {
  ServerProcess server;
  RawConnection c = server.raw();
  std::mt19937 rng(20240611);
  std::map<std::string, std::string> model;
  std::string requests, expected;
  constexpr int kCommands = 4000;
  for (int i = 0; i < kCommands; ++i) {
    std::string key = "chunk:" + std::to_string(rng() % 300);
    switch (rng() % 4) {
      case 0: {
        std::string value(rng() % 200, '\0');
        for (char& ch : value)
          ch = static_cast<char>(rng());
        requests += encode_command({"SET", key, value});
        expected += kOk;
        model[key] = value;
        break;
      }
      case 1:
        requests += encode_command({"GET", key});
        expected += model.count(key) ? bulk(model[key]) : kNull;
        break;
      case 2:  // inline, mixed into the multibulk stream
        requests += "GET " + key + "\r\n";
        expected += model.count(key) ? bulk(model[key]) : kNull;
        break;
      case 3:
        requests += encode_command({"NOSUCHCMD", key});
        expected += unknown("NOSUCHCMD", "'" + key + "' ");
        break;
    }
  }
  std::string_view rest = requests;
  while (!rest.empty()) {
    size_t chunk = std::min<size_t>(rest.size(), 1 + rng() % 1500);
    c.send(rest.substr(0, chunk));
    rest.remove_prefix(chunk);
  }
  std::string got = c.read_replies(kCommands);
  BOOST_TEST_SAME_BYTES(got, expected);
}

BOOST_AUTO_TEST_CASE(inline_commands_with_quoted_arguments) {
  ServerProcess server;
  RawConnection c = server.raw();
  // Double quotes take C-like escapes; single quotes only \'.
  BOOST_TEST(c.exchange("SET \"a b\" \"c\\x41\\n\\t\\\\\"\r\nGET \"a b\"\r\n", 2) ==
             kOk + "$5\r\ncA\n\t\\\r\n");
  BOOST_TEST(c.exchange("SET 'x y' 'it\\'s'\r\nGET \"x y\"\r\n", 2) == kOk + "$4\r\nit's\r\n");
  BOOST_TEST(c.exchange("SET empty \"\"\r\n", 1) == kOk);
  // Empty lines are skipped, a bare LF ends a line, runs of spaces separate.
  BOOST_TEST(c.exchange("\r\n\n  GET   empty  \n", 1) == "$0\r\n\r\n");
  // The same keys through multibulk: inline arguments are the same bytes.
  BOOST_TEST(c.exchange(encode_command({"GET", "a b"}), 1) == bulk("cA\n\t\\"));
  BOOST_TEST(c.exchange(encode_command({"GET", "x y"}), 1) == bulk("it's"));
}

BOOST_AUTO_TEST_CASE(inline_ping_and_echo) {
  ServerProcess server;
  RawConnection c = server.raw();
  BOOST_TEST(c.exchange("PING\r\n", 1) == "+PONG\r\n");
  BOOST_TEST(c.exchange("PING\n", 1) == "+PONG\r\n");
  BOOST_TEST(c.exchange("ping hello\r\n", 1) == bulk("hello"));
  BOOST_TEST(c.exchange("ECHO \"a\\x41\\n b\"\r\n", 1) == bulk("aA\n b"));
  BOOST_TEST(c.exchange("ECHO \"\"\r\n", 1) == bulk(""));
  BOOST_TEST(c.exchange(encode_command({"ECHO", std::string("a\0\r\nb", 5)}), 1) ==
             bulk(std::string("a\0\r\nb", 5)));
}

BOOST_AUTO_TEST_CASE(ten_megabyte_bulk_round_trips) {
  ServerProcess server;
  const std::string value = binary_value(10 * 1024 * 1024);
  RawConnection c = server.raw();
  BOOST_TEST(c.exchange(encode_command({"SET", "big", value}), 1) == kOk);
  std::string got = c.exchange(encode_command({"GET", "big"}), 1);
  BOOST_TEST_SAME_BYTES(got, bulk(value));
  // hiredis reads the same bytes back.
  RedisConnection h = server.connect();
  Reply r = h.command({"GET", "big"});
  BOOST_TEST_SAME_BYTES(to_resp(r), bulk(value));
}

BOOST_AUTO_TEST_CASE(protocol_errors_close_only_that_connection) {
  ServerProcess server;
  RedisConnection other = server.connect();
  BOOST_TEST(to_resp(other.command({"SET", "survivor", "still here"})) == kOk);
  const std::string kPrefix = "-ERR Protocol error: ";
  const std::pair<std::string, std::string> cases[] = {
      {"*abc\r\n", kPrefix + "invalid multibulk length\r\n"},
      {"*3000000000\r\n", kPrefix + "invalid multibulk length\r\n"},
      {"*1\r\n$abc\r\n", kPrefix + "invalid bulk length\r\n"},
      {"*1\r\n$-5\r\n", kPrefix + "invalid bulk length\r\n"},
      {"*1\r\n$600000000\r\n", kPrefix + "invalid bulk length\r\n"},  // > proto-max-bulk-len
      {"*1\r\nfoo\r\n", kPrefix + "expected '$', got 'f'\r\n"},
      {"SET \"a\r\n", kPrefix + "unbalanced quotes in request\r\n"},
      {"SET 'a\r\n", kPrefix + "unbalanced quotes in request\r\n"},
      {"SET \"a\"b c\r\n", kPrefix + "unbalanced quotes in request\r\n"},
      {std::string(70000, 'a'), kPrefix + "too big inline request\r\n"},
      {"*" + std::string(70000, '1'), kPrefix + "too big mbulk count string\r\n"},
      {"*1\r\n$" + std::string(70000, '1'), kPrefix + "too big bulk count string\r\n"},
      // Requests before the bad one in the same write are still answered.
      {"SET before error\r\n" + encode_command({"GET", "before"}) + "*1\r\n$1x\r\n",
       kOk + bulk("error") + kPrefix + "invalid bulk length\r\n"},
  };
  for (const auto& [input, want] : cases) {
    RawConnection bad = server.raw();
    bad.send(input);
    std::string got = bad.read_until_closed();
    BOOST_TEST(got == want, "input " << input.substr(0, 40) << ": got [" << got << "]");
    BOOST_TEST(bad.closed(), "input " << input.substr(0, 40) << " left the connection open");
    BOOST_TEST(to_resp(other.command({"GET", "survivor"})) == bulk("still here"));
  }
}

BOOST_AUTO_TEST_CASE(unknown_command_and_wrong_arity_texts) {
  ServerProcess server;
  RawConnection c = server.raw();
  BOOST_TEST(c.exchange("foo a b\r\n", 1) == unknown("foo", "'a' 'b' "));
  BOOST_TEST(c.exchange(encode_command({"foo", "a", "b"}), 1) == unknown("foo", "'a' 'b' "));
  BOOST_TEST(c.exchange("FOO\r\n", 1) == unknown("FOO", ""));
  BOOST_TEST(c.exchange(encode_command({""}), 1) == unknown("", ""));
  // Line breaks in the echoed arguments become spaces.
  BOOST_TEST(c.exchange(encode_command({"foo", "a\r\nb\n"}), 1) == unknown("foo", "'a  b ' "));
  // The echoed arguments stop once they pass 128 bytes, the last one cut.
  std::string many = "foo";
  for (int i = 0; i < 40; ++i)
    many += " arg" + std::to_string(i);
  BOOST_TEST(c.exchange(many + "\r\n", 1) ==
             unknown("foo",
                     "'arg0' 'arg1' 'arg2' 'arg3' 'arg4' 'arg5' 'arg6' 'arg7' 'arg8' "
                     "'arg9' 'arg10' 'arg11' 'arg12' 'arg13' 'arg14' 'arg15' 'arg16' "
                     "'ar' "));
  BOOST_TEST(c.exchange("foo " + std::string(100, 'y') + " " + std::string(100, 'z') + "\r\n", 1) ==
             unknown("foo", "'" + std::string(100, 'y') + "' '" + std::string(25, 'z') + "' "));
  BOOST_TEST(c.exchange("foo " + std::string(200, 'x') + "\r\n", 1) ==
             unknown("foo", "'" + std::string(128, 'x') + "' "));
  // Arity errors name the command in lower case, however it was spelled.
  BOOST_TEST(c.exchange("GET\r\n", 1) == wrong_arity("get"));
  BOOST_TEST(c.exchange("GeT a b\r\n", 1) == wrong_arity("get"));
  BOOST_TEST(c.exchange(encode_command({"SET", "k"}), 1) == wrong_arity("set"));
  BOOST_TEST(c.exchange("RESET now\r\n", 1) == wrong_arity("reset"));
  // The connection is still in good order afterwards.
  BOOST_TEST(c.exchange("SET k v\r\nGET k\r\n", 2) == kOk + bulk("v"));
}

BOOST_AUTO_TEST_CASE(hello_3_switches_to_resp3) {
  ServerProcess server;
  RawConnection c = server.raw();
  std::string reply = c.exchange("HELLO 3\r\n", 1);
  std::string id = hello_id(reply);
  BOOST_TEST(!id.empty());
  BOOST_TEST(reply == hello_reply(3, id));
  // RESP3 null; and HELLO without a version reports the current protocol.
  BOOST_TEST(c.exchange("SET k v\r\nGET k\r\nGET nokey\r\n", 3) == kOk + bulk("v") + "_\r\n");
  BOOST_TEST(c.exchange("HELLO\r\n", 1) == hello_reply(3, id));
  BOOST_TEST(c.exchange("HELLO 2\r\n", 1) == hello_reply(2, id));
  BOOST_TEST(c.exchange("GET nokey\r\n", 1) == kNull);
  // AUTH inside HELLO, as the default user (no password configured).
  BOOST_TEST(c.exchange("HELLO 3 AUTH default anything\r\n", 1) == hello_reply(3, id));
  BOOST_TEST(c.exchange("HELLO 3 AUTH bob x\r\n", 1) ==
             "-WRONGPASS invalid username-password pair or user is disabled.\r\n");
  BOOST_TEST(c.exchange("HELLO 4\r\n", 1) == "-NOPROTO unsupported protocol version\r\n");
  BOOST_TEST(c.exchange("HELLO abc\r\n", 1) ==
             "-ERR Protocol version is not an integer or out of range\r\n");
  BOOST_TEST(c.exchange("HELLO 3 SETNAME\r\n", 1) ==
             "-ERR Syntax error in HELLO option 'SETNAME'\r\n");
  // A second connection gets another id.
  RawConnection d = server.raw();
  std::string other = hello_id(d.exchange("HELLO 3\r\n", 1));
  BOOST_TEST(!other.empty());
  BOOST_TEST(other != id);
}

BOOST_AUTO_TEST_CASE(quit_answers_then_closes) {
  ServerProcess server;
  RawConnection c = server.raw();
  // Requests pipelined after QUIT are not run.
  c.send("SET q 1\r\nQUIT\r\nSET q 2\r\n");
  BOOST_TEST(c.read_until_closed() == kOk + kOk);
  BOOST_TEST(c.closed());
  RedisConnection h = server.connect();
  BOOST_TEST(to_resp(h.command({"GET", "q"})) == bulk("1"));
}

BOOST_AUTO_TEST_CASE(reset_returns_to_resp2) {
  ServerProcess server;
  RawConnection c = server.raw();
  BOOST_TEST(c.exchange("HELLO 3\r\nGET nokey\r\n", 2).ends_with("_\r\n"));
  BOOST_TEST(c.exchange("RESET\r\nGET nokey\r\n", 2) == "+RESET\r\n" + kNull);
}

BOOST_AUTO_TEST_CASE(ping_echo_select) {
  ServerProcess server;
  RawConnection c = server.raw();
  BOOST_TEST(c.exchange(encode_command({"PING"}), 1) == "+PONG\r\n");
  BOOST_TEST(c.exchange(encode_command({"PING", "hi"}), 1) == bulk("hi"));
  BOOST_TEST(c.exchange("PING a b\r\n", 1) == wrong_arity("ping"));
  BOOST_TEST(c.exchange("ECHO\r\n", 1) == wrong_arity("echo"));
  // Databases are separate keyspaces; RESET goes back to 0.
  BOOST_TEST(c.exchange("SELECT 1\r\nSET s one\r\nSELECT 0\r\nGET s\r\nSELECT 1\r\nGET s\r\n", 6) ==
             kOk + kOk + kOk + kNull + kOk + bulk("one"));
  BOOST_TEST(c.exchange("RESET\r\nGET s\r\n", 2) == "+RESET\r\n" + kNull);
  BOOST_TEST(c.exchange("SELECT 16\r\nSELECT x\r\n", 2) ==
             "-ERR DB index is out of range\r\n"
             "-ERR value is not an integer or out of range\r\n");
  // In RESP3, PING's reply is still a simple string.
  BOOST_TEST(c.exchange("HELLO 3\r\nPING\r\n", 2).ends_with("+PONG\r\n"));
}

BOOST_AUTO_TEST_CASE(client_reply_off_skip_on) {
  ServerProcess server;
  RawConnection c = server.raw();
  // OFF silences everything until ON, whose own reply is sent.
  BOOST_TEST(c.exchange("CLIENT REPLY OFF\r\nSET a 1\r\nGET a\r\nCLIENT REPLY ON\r\nGET a\r\n",
                        2) == kOk + bulk("1"));
  // SKIP silences only the next command.
  BOOST_TEST(c.exchange("CLIENT REPLY SKIP\r\nSET a 2\r\nGET a\r\n", 1) == bulk("2"));
  BOOST_TEST(c.exchange("CLIENT REPLY FOO\r\n", 1) == "-ERR syntax error\r\n");
}

BOOST_AUTO_TEST_CASE(two_hundred_concurrent_clients) {
  ServerProcess server;
  constexpr int kClients = 200;
  std::vector<RedisConnection> clients;
  clients.reserve(kClients);
  for (int i = 0; i < kClients; ++i)
    clients.emplace_back(server.port());
  // Every client has its requests in flight before any reply is read.
  for (int i = 0; i < kClients; ++i) {
    std::string key = "client:" + std::to_string(i);
    clients[i].append({"SET", key, "value of " + std::to_string(i)});
    clients[i].append({"GET", key});
  }
  for (int i = 0; i < kClients; ++i) {
    BOOST_TEST(to_resp(clients[i].next_reply()) == kOk);
    BOOST_TEST(to_resp(clients[i].next_reply()) == bulk("value of " + std::to_string(i)));
  }
  // Then traffic from several threads at once. Boost.Test assertions are not
  // thread-safe: threads record mismatches, the test checks them after.
  constexpr int kThreads = 4, kRounds = 20;
  std::atomic<int> mismatches{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < kRounds; ++round) {
        for (int i = t; i < kClients; i += kThreads) {
          std::string key = "client:" + std::to_string(i);
          std::string value = std::to_string(round) + "/" + std::to_string(i);
          const char* set[] = {"SET", key.c_str(), value.c_str()};
          const char* get[] = {"GET", key.c_str()};
          redisContext* ctx = clients[i].get();
          Reply a(static_cast<redisReply*>(redisCommandArgv(ctx, 3, set, nullptr)));
          Reply b(static_cast<redisReply*>(redisCommandArgv(ctx, 2, get, nullptr)));
          if (to_resp(a) != kOk || to_resp(b) != bulk(value)) ++mismatches;
        }
      }
    });
  }
  for (std::thread& t : threads)
    t.join();
  BOOST_TEST(mismatches.load() == 0);
}

BOOST_AUTO_TEST_CASE(clients_leaving_with_unread_replies_do_not_hurt_the_server) {
  ServerProcess server;
  RawConnection setter = server.raw();
  BOOST_TEST(setter.exchange(encode_command({"SET", "big", binary_value(1 << 20)}), 1) == kOk);
  std::string gets;
  for (int i = 0; i < 20; ++i)
    gets += encode_command({"GET", "big"});
  // Replies of 20 MB, far more than the socket buffers hold, so the server
  // is still writing when the peer is gone. Closing before any reply came
  // sends FIN, and the server's later writes then fail with EPIPE, which
  // raises SIGPIPE unless the server ignores it (as Redis does). Closing with
  // replies unread resets the connection: ECONNRESET.
  for (int i = 0; i < 10; ++i) {
    RawConnection leaver = server.raw();
    leaver.send(gets);
  }
  for (int i = 0; i < 3; ++i) {
    RawConnection leaver = server.raw();
    leaver.send(gets);
    pollfd p{leaver.fd(), POLLIN, 0};
    BOOST_TEST(::poll(&p, 1, 10000) == 1);
  }
  // Raw sockets (MSG_NOSIGNAL), not hiredis, so that a dead server fails the
  // test instead of killing the test binary with SIGPIPE.
  RawConnection after = server.raw();
  BOOST_TEST(after.exchange("SET after 1\r\nGET after\r\n", 2) == kOk + bulk("1"));
  BOOST_TEST(setter.exchange("GET after\r\n", 1) == bulk("1"));
}

namespace {

// Shuts the server down with `sig` while clients are idle, mid-request and
// waiting for a large reply; every one must see the connection close, and
// the server must exit 0 within the deadline.
void shutdown_with_clients_connected(int sig, const std::string& log_line) {
  ServerProcess server;
  std::vector<RawConnection> idle;
  for (int i = 0; i < 20; ++i) {
    idle.push_back(server.raw());
    BOOST_TEST(idle.back().exchange("SET idle" + std::to_string(i) + " x\r\n", 1) == kOk);
  }
  RawConnection partial = server.raw();
  partial.send("*3\r\n$3\r\nSET\r\n$1\r\nk");
  RawConnection reader = server.raw();
  BOOST_TEST(reader.exchange(encode_command({"SET", "big", binary_value(1 << 20)}), 1) == kOk);
  std::string gets;
  for (int i = 0; i < 8; ++i)
    gets += encode_command({"GET", "big"});
  reader.send(gets);

  ExitStatus status = server.stop(sig);
  BOOST_TEST(status.clean(), "server ended with " << status.describe());
  for (RawConnection& c : idle) {
    BOOST_TEST(c.read_until_closed().empty());
    BOOST_TEST(c.closed());
  }
  BOOST_TEST(partial.read_until_closed().empty());
  BOOST_TEST(partial.closed());
  reader.read_until_closed();
  BOOST_TEST(reader.closed());
  std::string log = server.log();
  BOOST_TEST(log.find(log_line) != std::string::npos, "log lacks '" << log_line << "'");
  BOOST_TEST(log.find("ready to exit, bye bye") != std::string::npos);
}

}  // namespace

BOOST_AUTO_TEST_CASE(sigterm_with_clients_connected_exits_cleanly) {
  shutdown_with_clients_connected(SIGTERM, "Received SIGTERM scheduling shutdown...");
}

BOOST_AUTO_TEST_CASE(sigint_with_clients_connected_exits_cleanly) {
  shutdown_with_clients_connected(SIGINT, "Received SIGINT scheduling shutdown...");
}

BOOST_AUTO_TEST_SUITE_END()
