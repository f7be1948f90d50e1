// String commands end to end through hiredis against a real vireo-server.
// Expected bytes were checked against Redis 7.0.15.
#include <boost/test/unit_test.hpp>
#include <string>
#include <thread>

#include "tests/core/command_fixture.h"
#include "tests/e2e/server_process.h"

using namespace vireo::e2e;
using vireo::test::bulk;
using vireo::test::integer;
using vireo::test::kNull;
using vireo::test::kOk;

namespace {

// The reply to one command, as RESP bytes.
std::string run(RedisConnection& c, std::initializer_list<std::string_view> args) {
  return to_resp(c.command(args));
}

std::string all_byte_values() {
  std::string v;
  for (int i = 0; i < 256; ++i)
    v.push_back(static_cast<char>(i));
  return v;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(strings_e2e)

BOOST_AUTO_TEST_CASE(set_get_round_trips) {
  ServerProcess server;
  RedisConnection c = server.connect();
  BOOST_TEST(run(c, {"GET", "k"}) == kNull);
  BOOST_TEST(run(c, {"SET", "k", "v"}) == kOk);
  BOOST_TEST(run(c, {"GET", "k"}) == bulk("v"));
  BOOST_TEST(run(c, {"SET", "k", "a longer value"}) == kOk);
  BOOST_TEST(run(c, {"GET", "k"}) == bulk("a longer value"));
  BOOST_TEST(run(c, {"SET", "k", "new", "GET"}) == bulk("a longer value"));
  BOOST_TEST(run(c, {"SET", "k", "other", "NX"}) == kNull);
  BOOST_TEST(run(c, {"SET", "fresh", "v", "XX"}) == kNull);
  BOOST_TEST(run(c, {"SET", "fresh", "v", "NX"}) == kOk);
  BOOST_TEST(run(c, {"GET", "k"}) == bulk("new"));
  BOOST_TEST(run(c, {"GET", "fresh"}) == bulk("v"));
  // Another connection sees the same keyspace.
  RedisConnection d = server.connect();
  BOOST_TEST(run(d, {"GET", "k"}) == bulk("new"));
}

BOOST_AUTO_TEST_CASE(binary_safe_keys_and_values) {
  ServerProcess server;
  RedisConnection c = server.connect();
  const std::string nul_key("a\0b", 3), crlf_key("line\r\nbreak");
  const std::string nul_value("\0\0x\0", 4), crlf_value("\r\n$3\r\nfoo\r\n*1\r\n");
  const std::string every_byte = all_byte_values();
  BOOST_TEST(run(c, {"SET", nul_key, nul_value}) == kOk);
  BOOST_TEST(run(c, {"SET", crlf_key, crlf_value}) == kOk);
  BOOST_TEST(run(c, {"SET", every_byte, every_byte}) == kOk);
  BOOST_TEST(run(c, {"SET", "", ""}) == kOk);
  BOOST_TEST(run(c, {"GET", nul_key}) == bulk(nul_value));
  BOOST_TEST(run(c, {"GET", std::string("a\0c", 3)}) == kNull);
  BOOST_TEST(run(c, {"GET", crlf_key}) == bulk(crlf_value));
  BOOST_TEST(run(c, {"GET", every_byte}) == bulk(every_byte));
  BOOST_TEST(run(c, {"GET", ""}) == bulk(""));
  // The exact bytes on the wire, not only what hiredis makes of them.
  RawConnection raw = server.raw();
  BOOST_TEST(raw.exchange(encode_command({"GET", crlf_key}), 1) ==
             "$15\r\n\r\n$3\r\nfoo\r\n*1\r\n\r\n");
  BOOST_TEST(raw.exchange(encode_command({"GET", nul_key}), 1) ==
             std::string("$4\r\n\0\0x\0\r\n", 10));
}

BOOST_AUTO_TEST_CASE(set_option_errors) {
  ServerProcess server;
  RedisConnection c = server.connect();
  BOOST_TEST(run(c, {"SET", "k", "v", "EX", "0"}) ==
             "-ERR invalid expire time in 'set' command\r\n");
  BOOST_TEST(run(c, {"SET", "k", "v", "EX", "-1"}) ==
             "-ERR invalid expire time in 'set' command\r\n");
  BOOST_TEST(run(c, {"SET", "k", "v", "PX", "abc"}) ==
             "-ERR value is not an integer or out of range\r\n");
  BOOST_TEST(run(c, {"SET", "k", "v", "NX", "XX"}) == "-ERR syntax error\r\n");
  BOOST_TEST(run(c, {"SET", "k", "v", "EX", "10", "KEEPTTL"}) == "-ERR syntax error\r\n");
  BOOST_TEST(run(c, {"GET", "k"}) == kNull);
}

BOOST_AUTO_TEST_CASE(expired_key_disappears) {
  ServerProcess server;
  RedisConnection c = server.connect();
  BOOST_TEST(run(c, {"SET", "long", "v", "PX", "100000"}) == kOk);
  BOOST_TEST(run(c, {"SET", "short", "v", "PX", "1"}) == kOk);
  // Poll rather than sleep a fixed time: gone within a generous deadline.
  const auto deadline = Clock::now() + 5s;
  std::string got;
  while ((got = run(c, {"GET", "short"})) != kNull && Clock::now() < deadline) {
    std::this_thread::sleep_for(2ms);
  }
  BOOST_TEST(got == kNull);
  BOOST_TEST(run(c, {"GET", "long"}) == bulk("v"));
}

BOOST_AUTO_TEST_CASE(ttl_round_trips) {
  ServerProcess server;
  RedisConnection c = server.connect();
  BOOST_TEST(run(c, {"SET", "t", "v", "EX", "100"}) == kOk);
  BOOST_TEST(run(c, {"TTL", "t"}) == integer(100));
  Reply pttl = c.command({"PTTL", "t"});
  BOOST_TEST(pttl->type == REDIS_REPLY_INTEGER);
  BOOST_TEST((pttl->integer > 90000 && pttl->integer <= 100000), "PTTL " << pttl->integer);
  BOOST_TEST(run(c, {"SET", "t", "w", "KEEPTTL"}) == kOk);
  BOOST_TEST(run(c, {"TTL", "t"}) == integer(100));
  BOOST_TEST(run(c, {"SET", "t", "x"}) == kOk);  // a plain SET clears the TTL
  BOOST_TEST(run(c, {"TTL", "t"}) == integer(-1));
  BOOST_TEST(run(c, {"EXPIRE", "t", "50"}) == integer(1));
  BOOST_TEST(run(c, {"TTL", "t"}) == integer(50));
  BOOST_TEST(run(c, {"PERSIST", "t"}) == integer(1));
  BOOST_TEST(run(c, {"TTL", "t"}) == integer(-1));
  BOOST_TEST(run(c, {"TTL", "missing"}) == integer(-2));
  BOOST_TEST(run(c, {"PTTL", "missing"}) == integer(-2));
}

BOOST_AUTO_TEST_CASE(string_family_round_trips) {
  ServerProcess server;
  RedisConnection c = server.connect();
  BOOST_TEST(run(c, {"SET", "n", "10"}) == kOk);
  BOOST_TEST(run(c, {"INCR", "n"}) == integer(11));
  BOOST_TEST(run(c, {"INCRBY", "n", "5"}) == integer(16));
  BOOST_TEST(run(c, {"APPEND", "n", "xy"}) == integer(4));
  BOOST_TEST(run(c, {"STRLEN", "n"}) == integer(4));
  BOOST_TEST(run(c, {"GETRANGE", "n", "0", "1"}) == bulk("16"));
  BOOST_TEST(run(c, {"INCR", "n"}) == "-ERR value is not an integer or out of range\r\n");
  BOOST_TEST(run(c, {"MSET", "a", "1", "b", std::string("\0\r\n", 3)}) == kOk);
  BOOST_TEST(run(c, {"MGET", "a", "missing", "b"}) ==
             "*3\r\n" + bulk("1") + kNull + bulk(std::string("\0\r\n", 3)));
  BOOST_TEST(run(c, {"GETDEL", "a"}) == bulk("1"));
  BOOST_TEST(run(c, {"GET", "a"}) == kNull);
}

BOOST_AUTO_TEST_CASE(resp3_nulls_inside_arrays) {
  ServerProcess server;
  RawConnection c = server.raw();
  BOOST_TEST(c.exchange("HELLO 3\r\nSET d 1\r\n", 2).ends_with(kOk));
  BOOST_TEST(c.exchange("TTL d\r\nMGET d nokey\r\n", 2) == ":-1\r\n*2\r\n$1\r\n1\r\n_\r\n");
}

BOOST_AUTO_TEST_SUITE_END()
