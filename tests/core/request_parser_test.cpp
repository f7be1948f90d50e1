#include "core/resp/request_parser.h"

#include <malloc.h>

#include <boost/test/unit_test.hpp>
#include <cstdio>
#include <random>
#include <string>
#include <string_view>
#include <vector>

using vireo::ParseLimits;
using vireo::RequestParser;
using Status = RequestParser::Status;
using namespace std::string_literals;

namespace {

// Readable, unambiguous form of an argument: bytes outside printable ASCII, and
// the separators used by describe(), as \xHH.
std::string escape(std::string_view s) {
  std::string out;
  for (unsigned char c : s) {
    if (c > 0x20 && c < 0x7f && c != '\\' && c != ',' && c != '[' && c != ']') {
      out += static_cast<char>(c);
    } else {
      char hex[5];
      std::snprintf(hex, sizeof hex, "\\x%02x", c);
      out += hex;
    }
  }
  return out;
}

// Feeds `input` to one parser in chunks of the given sizes (the last one
// repeats), the way a connection does: each chunk is appended to a buffer that
// is then reallocated (freeing the old memory, so ASan sees any stale pointer),
// and each complete request is dropped from the buffer's front. Returns what
// the reader saw: "*[a,b]" for a multibulk request, "i[a,b]" for an inline
// one, and then "!text" for an error (which ends the connection; how much input
// was read by then depends on the split) or "left=N" for the bytes still
// buffered. Checks the parser's promises on the way.
std::string feed(std::string_view input, const std::vector<size_t>& chunks,
                 const ParseLimits& limits = {}) {
  RequestParser parser;
  std::string buf, out;
  size_t fed = 0, chunk_index = 0;
  size_t must_reach = 0;  // from bytes_wanted(): no progress before this size
  while (fed < input.size()) {
    size_t n = chunks[std::min(chunk_index++, chunks.size() - 1)];
    n = std::min(std::max<size_t>(n, 1), input.size() - fed);
    std::string next;
    next.reserve(buf.size() + n);
    next.append(buf).append(input.substr(fed, n));
    buf.swap(next);
    fed += n;
    while (true) {
      const Status s = parser.parse(buf, limits);
      if (s == Status::kIncomplete) {
        BOOST_TEST_REQUIRE(parser.bytes_wanted() >= 1u);
        must_reach = buf.size() + parser.bytes_wanted();
        break;
      }
      BOOST_TEST_REQUIRE(buf.size() >= must_reach);  // bytes_wanted() was a lower bound
      if (s == Status::kError) {
        BOOST_TEST_REQUIRE(!parser.error().empty());
        BOOST_TEST_REQUIRE(parser.error().find_first_of("\r\n") == std::string_view::npos);
        BOOST_TEST_REQUIRE((parser.parse(buf, limits) == Status::kError));  // sticky
        return out + "!" + std::string(parser.error());
      }
      BOOST_TEST_REQUIRE((s == Status::kComplete));
      BOOST_TEST_REQUIRE(parser.consumed() >= 1u);
      BOOST_TEST_REQUIRE(parser.consumed() <= buf.size());
      out += parser.is_inline() ? "i[" : "*[";
      bool first = true;
      for (std::string_view a : parser.args()) {
        if (!parser.is_inline()) {
          // Multibulk arguments view into the request's bytes.
          BOOST_TEST_REQUIRE(
              (a.data() >= buf.data() && a.data() + a.size() <= buf.data() + parser.consumed()));
        }
        out += (first ? "" : ",") + escape(a);
        first = false;
      }
      out += "] ";
      buf.erase(0, parser.consumed());
      parser.reset();
      must_reach = 0;
    }
  }
  return out + "left=" + std::to_string(buf.size());
}

std::string feed_whole(std::string_view input, const ParseLimits& limits = {}) {
  return feed(input, {input.size()}, limits);
}

// Parses `input` whole and one byte at a time; both must agree. Returns the
// description of what was parsed.
std::string run(std::string_view input, const ParseLimits& limits = {}) {
  const std::string whole = feed_whole(input, limits);
  if (input.size() <= 4096) BOOST_TEST(feed(input, {1}, limits) == whole);
  return whole;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(request_parser)

BOOST_AUTO_TEST_CASE(multibulk) {
  RequestParser p;
  const std::string req = "*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$5\r\nvalue\r\n";
  BOOST_TEST_REQUIRE((p.parse(req, {}) == Status::kComplete));
  BOOST_TEST(p.consumed() == req.size());
  BOOST_TEST(!p.is_inline());
  BOOST_TEST_REQUIRE(p.args().size() == 3u);
  BOOST_TEST(p.args()[0] == "SET");
  BOOST_TEST(p.args()[1] == "key");
  BOOST_TEST(p.args()[2] == "value");
  BOOST_TEST(p.args()[2].data() == req.data() + req.size() - 7);  // a view, not a copy

  BOOST_TEST(run("*1\r\n$4\r\nPING\r\n") == "*[PING] left=0");
  BOOST_TEST(run("*2\r\n$0\r\n\r\n$1\r\nx\r\n") == "*[,x] left=0");  // empty argument
  BOOST_TEST(run("*1\r\n$4\r\nPING\r\nrest") == "*[PING] left=4");
  BOOST_TEST(run("*-9\r\n$4") == "*[] left=2");
}

BOOST_AUTO_TEST_CASE(binary_bulks) {
  const std::string data = "a\r\nb\0c\r\n\xff"s;  // CRLFs, a NUL, a high byte
  const std::string req =
      "*2\r\n$" + std::to_string(data.size()) + "\r\n" + data + "\r\n$1\r\n\0\r\n"s;
  BOOST_TEST(run(req) == "*[a\\x0d\\x0ab\\x00c\\x0d\\x0a\\xff,\\x00] left=0");
  RequestParser p;
  BOOST_TEST_REQUIRE((p.parse(req, {}) == Status::kComplete));
  BOOST_TEST(p.args()[0] == data);
}

BOOST_AUTO_TEST_CASE(inline_requests) {
  RequestParser p;
  BOOST_TEST_REQUIRE((p.parse("SET key value\r\nGET", {}) == Status::kComplete));
  BOOST_TEST(p.is_inline());
  BOOST_TEST(p.consumed() == 15u);
  BOOST_TEST_REQUIRE(p.args().size() == 3u);
  BOOST_TEST(p.args()[2] == "value");

  BOOST_TEST(run("PING\n") == "i[PING] left=0");
  BOOST_TEST(run("PING\r\n") == "i[PING] left=0");
  BOOST_TEST(run("  GET\t key  \r\n") == "i[GET,key] left=0");
  BOOST_TEST(run("PING\rfoo\n") == "i[PING,foo] left=0");     // a lone CR separates
  BOOST_TEST(run("ECHO \"a\"\r\r\n") == "i[ECHO,a] left=0");  // only the last CR is the line's
  BOOST_TEST(run("\v\fECHO a\vb\f\n") == "i[ECHO,a\\x0bb\\x0c] left=0");
  BOOST_TEST(run("ECHO \xc2\xa0\n") == "i[ECHO,\\xc2\\xa0] left=0");
  BOOST_TEST(run(" *1\r\n") == "i[*1] left=0");  // only a leading '*' means multibulk
  BOOST_TEST(run("$4\r\nPING\r\n") == "i[$4] i[PING] left=0");
  BOOST_TEST(run("PING") == "left=4");
}

BOOST_AUTO_TEST_CASE(empty_requests_are_complete_with_no_arguments) {
  BOOST_TEST(run("\n") == "i[] left=0");
  BOOST_TEST(run("\r\n") == "i[] left=0");
  BOOST_TEST(run("\r\r\n") == "i[] left=0");
  BOOST_TEST(run(" \t\x0b\n") == "i[] left=0");
  BOOST_TEST(run("*0\r\n") == "*[] left=0");
  BOOST_TEST(run("*-1\r\n") == "*[] left=0");
  BOOST_TEST(run("*-9223372036854775808\r\n") == "*[] left=0");
  BOOST_TEST(run("") == "left=0");
}

BOOST_AUTO_TEST_CASE(inline_quoting_follows_sdssplitargs) {
  // Each was checked against redis-server 7.0 (through ECHO).
  BOOST_TEST(run("ECHO \"a\\x41\\n\\t\\zb\"\n") == "i[ECHO,aA\\x0a\\x09zb] left=0");
  BOOST_TEST(run("ECHO \"\\r\\b\\a\\\\\\\"\"\n") == "i[ECHO,\\x0d\\x08\\x07\\x5c\"] left=0");
  BOOST_TEST(run("ECHO \"\\xAf\\x00\"\n") == "i[ECHO,\\xaf\\x00] left=0");
  BOOST_TEST(run("ECHO \"\\x4\" \"\\xzz\" \"a\\x4G\"\n") == "i[ECHO,x4,xzz,ax4G] left=0");
  BOOST_TEST(run("ECHO ''  \"\"\n") == "i[ECHO,,] left=0");
  BOOST_TEST(run("ECHO 'it\\'s' 'a\\nb' 'a\"b' \"a'b\"\n") ==
             "i[ECHO,it's,a\\x5cnb,a\"b,a'b] left=0");
  BOOST_TEST(run("ECHO a\"b c\"d\n") == "!Protocol error: unbalanced quotes in request");
  BOOST_TEST(run("ECHO a\"b c\" d\n") == "i[ECHO,ab\\x20c,d] left=0");  // quote opens mid-argument
  BOOST_TEST(run("ECHO a'b' c\n") == "i[ECHO,ab,c] left=0");
  BOOST_TEST(run("ECHO \"a\"\x0bX\n") == "i[ECHO,a,X] left=0");  // any isspace may follow a quote
  BOOST_TEST(run("ECHO a\\nb\n") == "i[ECHO,a\\x5cnb] left=0");  // no escapes outside quotes

  const std::string unbalanced = "!Protocol error: unbalanced quotes in request";
  for (std::string line : {"ECHO \"a\"b", "ECHO 'a'b", "ECHO \"abc", "ECHO 'abc", "ECHO 'a\\\\'",
                           "ECHO \"ab\\\"", "ECHO \"a\\", "ECHO x\"\\", "\"a\"\"b\""}) {
    BOOST_TEST_CONTEXT(line) {
      BOOST_TEST(run(line + "\n") == unbalanced);
    }
  }
}

BOOST_AUTO_TEST_CASE(quoted_arguments_live_in_the_parser) {
  RequestParser p;
  const std::string req = "SET \"k\\x00\" plain 'v'\n";
  BOOST_TEST_REQUIRE((p.parse(req, {}) == Status::kComplete));
  BOOST_TEST_REQUIRE(p.args().size() == 4u);
  BOOST_TEST(p.args()[1] == "k\0"s);
  BOOST_TEST(p.args()[2] == "plain");
  // Unquoted: a view into the buffer.
  BOOST_TEST(p.args()[2].data() == req.data() + req.find("plain"));
  BOOST_TEST(p.args()[3] == "v");
}

BOOST_AUTO_TEST_CASE(redis_skips_the_byte_after_cr_and_the_two_after_a_bulk) {
  // Redis finds lines by their CR and skips two bytes without checking either
  // the LF or a bulk's trailing CRLF.
  BOOST_TEST(run("*1\rX$4\rXPINGXY*1\r\n$4\r\nPING\r\n") == "*[PING] *[PING] left=0");
  BOOST_TEST(run("*2\r\n$1\r\naBB$1\r\nb\r\n") == "*[a,b] left=0");
  BOOST_TEST(run("*1\r\n$1\r\na\r") == "left=10");  // still waits for both bytes
}

BOOST_AUTO_TEST_CASE(pipelined) {
  const std::string in =
      "*2\r\n$3\r\nGET\r\n$1\r\nk\r\n"
      "PING\r\n"
      "\r\n"
      "*0\r\n"
      "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$3\r\nv\r\n\r\n"
      "SET k 'v w'\n"
      "*1\r\n$4\r\nPI";
  BOOST_TEST(run(in) == "*[GET,k] i[PING] i[] *[] *[SET,k,v\\x0d\\x0a] i[SET,k,v\\x20w] left=10");
}

BOOST_AUTO_TEST_CASE(malformed_multibulk) {
  const std::string mbulk = "!Protocol error: invalid multibulk length";
  BOOST_TEST(run("*\r\n") == mbulk);
  BOOST_TEST(run("*x\r\n") == mbulk);
  BOOST_TEST(run("*+1\r\n") == mbulk);
  BOOST_TEST(run("*01\r\n") == mbulk);
  BOOST_TEST(run("*-0\r\n") == mbulk);
  BOOST_TEST(run("*- 1\r\n") == mbulk);
  BOOST_TEST(run("*1 \r\n") == mbulk);
  BOOST_TEST(run("*2147483648\r\n") == mbulk);
  BOOST_TEST(run("*-9223372036854775809\r\n") == mbulk);
  BOOST_TEST(run("*18446744073709551617\r\n") == mbulk);
  BOOST_TEST(run("*" + std::string(30, '9') + "\r\n") == mbulk);
  // The line runs to the first CR.
  BOOST_TEST(run("*1\n$4\r\nPING\r\n") == mbulk);
  BOOST_TEST(run("*2147483647\r\n$4\r\nPING\r\n") == "left=23");  // legal, waits for more

  const std::string bulk = "!Protocol error: invalid bulk length";
  BOOST_TEST(run("*1\r\n$-1\r\n") == bulk);
  BOOST_TEST(run("*1\r\n$+4\r\nPING\r\n") == bulk);
  BOOST_TEST(run("*1\r\n$\r\n") == bulk);
  BOOST_TEST(run("*1\r\n$04\r\nPING\r\n") == bulk);
  BOOST_TEST(run("*1\r\n$4x\r\nPING\r\n") == bulk);
  BOOST_TEST(run("*1\r\n$" + std::string(30, '1') + "\r\n") == bulk);
  BOOST_TEST(run("*1\r\n$4\nPING\r\n") == bulk);
  BOOST_TEST(run("*1\r\n$536870912\r\n") == "left=16");  // exactly proto-max-bulk-len
  BOOST_TEST(run("*1\r\n$536870913\r\n") == bulk);

  BOOST_TEST(run("*1\r\n%4\r\nPING\r\n") == "!Protocol error: expected '$', got '%'");
  BOOST_TEST(run("*2\r\n$1\r\na\r\n:1\r\n") == "!Protocol error: expected '$', got ':'");
  BOOST_TEST(run("*1\r\n\r\n") == "!Protocol error: expected '$', got ' '");  // CR shown as space
  BOOST_TEST(run("*1\r\n\n\r\n") == "!Protocol error: expected '$', got ' '");
  BOOST_TEST(run("*1\r\nPING") == "left=8");  // '$' is checked only once the line is whole
}

BOOST_AUTO_TEST_CASE(line_limits) {
  ParseLimits l;
  l.max_inline_len = 8;
  // Inline: up to 8 bytes before the LF; the 9th without an LF is an error.
  BOOST_TEST(run("GET abcd\n", l) == "i[GET,abcd] left=0");
  BOOST_TEST(run("GET abcde", l) == "!Protocol error: too big inline request");
  BOOST_TEST(run("GET abcde\n", l) == "!Protocol error: too big inline request");
  BOOST_TEST(run("GET abc\r\n", l) == "i[GET,abc] left=0");
  BOOST_TEST(run("GET abcd", l) == "left=8");
  // Count lines: up to 8 bytes before the CR.
  BOOST_TEST(run("*0000001\r\n", l) == "!Protocol error: invalid multibulk length");
  BOOST_TEST(run("*00000001\r\n", l) == "!Protocol error: too big mbulk count string");
  BOOST_TEST(run("*11111111", l) == "!Protocol error: too big mbulk count string");
  BOOST_TEST(run("*1\r\n$0000001\r\n", l) == "!Protocol error: invalid bulk length");
  BOOST_TEST(run("*1\r\n$00000001", l) == "!Protocol error: too big bulk count string");
  BOOST_TEST(run("*1\r\nxxxxxxxxx", l) == "!Protocol error: too big bulk count string");
  BOOST_TEST(run("*1\r\n$12\r\nPINGPINGPING\r\n", l) == "*[PINGPINGPING] left=0");  // not a line

  // The defaults: 64 KiB.
  const std::string k64(64 * 1024, 'a');
  BOOST_TEST(run(k64) == "left=65536");
  BOOST_TEST(run(k64 + "a") == "!Protocol error: too big inline request");
  BOOST_TEST(run("*" + k64) == "!Protocol error: too big mbulk count string");
  BOOST_TEST(run("*1\r\n$" + k64) == "!Protocol error: too big bulk count string");
  BOOST_TEST(run("x" + k64.substr(1) + "\n") == "i[x" + k64.substr(1) + "] left=0");
}

BOOST_AUTO_TEST_CASE(count_limits) {
  ParseLimits l;
  l.max_bulk_len = 5;
  l.max_multibulk_len = 2;
  BOOST_TEST(run("*2\r\n$5\r\nabcde\r\n$0\r\n\r\n", l) == "*[abcde,] left=0");
  BOOST_TEST(run("*3\r\n", l) == "!Protocol error: invalid multibulk length");
  BOOST_TEST(run("*1\r\n$6\r\n", l) == "!Protocol error: invalid bulk length");

  ParseLimits anon;
  anon.authenticated = false;
  BOOST_TEST(run("*10\r\n$16384\r\n", anon) == "left=13");
  BOOST_TEST(run("*11\r\n", anon) == "!Protocol error: unauthenticated multibulk length");
  BOOST_TEST(run("*1\r\n$16385\r\n", anon) == "!Protocol error: unauthenticated bulk length");
  BOOST_TEST(run("*1\r\n$-1\r\n", anon) == "!Protocol error: invalid bulk length");
}

BOOST_AUTO_TEST_CASE(nul_before_a_line_end_hides_it) {
  // Redis looks for line ends with strchr(), which stops at a NUL: the request
  // never completes, and only the size limit ends it.
  ParseLimits l;
  l.max_inline_len = 16;
  BOOST_TEST(run("ECHO a\0b\nPING\n"s, l) == "left=14");
  BOOST_TEST(run("ECHO a\0b\nPING\nxxx"s, l) == "!Protocol error: too big inline request");
  BOOST_TEST(run("*1\0\r\n$4\r\nPING\r\n"s, l) == "left=15");
  BOOST_TEST(run("*1\0\r\n$4\r\nPING\r\n\r\n"s, l) ==
             "!Protocol error: too big mbulk count string");
  BOOST_TEST(run("*1\r\n$4\0\r\nPING\r\n"s, l) == "left=15");
  BOOST_TEST(run("*1\r\n$\0"s + std::string(16, 'x'), l) ==
             "!Protocol error: too big bulk count string");
  BOOST_TEST(run("PING\n\0\n"s, l) == "i[PING] left=2");
  // Also far into a line (past where short lines are scanned byte by byte).
  const std::string a40(40, 'a');
  BOOST_TEST(run("ECHO " + a40 + "\0b\n"s) == "left=48");
  BOOST_TEST(run("*" + a40 + "\0\r\n"s) == "left=44");
  BOOST_TEST(run("*1\r\n$" + a40 + "\0\r\n"s) == "left=48");
  BOOST_TEST(run("\0"s, l) == "left=1");
}

BOOST_AUTO_TEST_CASE(every_split_gives_the_same_requests) {
  const std::string in =
      "*3\r\n$3\r\nSET\r\n$4\r\nk\r\n\0\r\n$2\r\nv\n\r\n"s
      "GET \"k\\r\\n\\x00\" 'x'\r\n"
      "\n"
      "*-1\r\n"
      "*1\rX$4\rXPINGXY"
      "*2\r\n$0\r\n\r\n$10\r\n0123456789\r\n"
      "   MGET a\tb\x0b"
      "c\r\n"
      "*1\r\n$3\r\nEND\r\n"
      "*1\r\n$4\r\n";
  const std::string expected =
      "*[SET,k\\x0d\\x0a\\x00,v\\x0a] i[GET,k\\x0d\\x0a\\x00,x] i[] *[] *[PING] *[,0123456789] "
      "i[MGET,a,b\\x0bc] *[END] left=8";
  BOOST_TEST(feed_whole(in) == expected);
  BOOST_TEST(feed(in, {1}) == expected);
  for (size_t k = 1; k < in.size(); ++k) {
    BOOST_TEST_CONTEXT("split at " << k) {
      BOOST_TEST(feed(in, {k, in.size()}) == expected);
    }
  }
  std::mt19937 rng(12345);
  for (int round = 0; round < 200; ++round) {
    std::vector<size_t> chunks;
    for (int i = 0; i < 64; ++i)
      chunks.push_back(rng() % 9 + 1);
    BOOST_TEST(feed(in, chunks) == expected);
  }
  // Errors, too, do not depend on the split.
  const std::string bad = in.substr(0, 60) + "*1\r\n$4x\r\n";
  BOOST_TEST(run(bad) == feed(bad, {7, 3}));
}

BOOST_AUTO_TEST_CASE(a_big_bulk_is_waited_for_not_rescanned) {
  const size_t size = 1 << 20;
  const std::string head = "*2\r\n$3\r\nSET\r\n$" + std::to_string(size) + "\r\n";
  std::string in = head + std::string(size, '\r') + "\r\n";
  RequestParser p;
  std::string buf;
  size_t fed = 0;
  size_t data_calls = 0;
  while (true) {
    const size_t n = std::min<size_t>(fed < head.size() ? 1 : 4093, in.size() - fed);
    buf.append(in, fed, n);
    fed += n;
    const Status s = p.parse(buf, {});
    if (fed == in.size()) {
      BOOST_TEST_REQUIRE((s == Status::kComplete));
      break;
    }
    BOOST_TEST_REQUIRE((s == Status::kIncomplete));
    BOOST_TEST_REQUIRE(p.bytes_wanted() >= 1u);
    if (fed >= head.size()) {
      // Once the length is known, the count of missing bytes is exact.
      BOOST_TEST_REQUIRE(p.bytes_wanted() == in.size() - fed);
      ++data_calls;
    }
  }
  BOOST_TEST(data_calls == size / 4093 + 1);
  BOOST_TEST(p.args()[1].size() == size);

  // A partial line is not searched again: the parser must not notice that the
  // (already scanned) front of the buffer changed under it. A caller never
  // does that; it is how this test sees that the scan resumes where it stopped.
  p.reset();
  std::string line = "ECHO " + std::string(100, 'a');
  BOOST_TEST_REQUIRE((p.parse(line, {}) == Status::kIncomplete));
  line[8] = '\n';
  line += "\n";
  BOOST_TEST_REQUIRE((p.parse(line, {}) == Status::kComplete));
  BOOST_TEST(p.consumed() == line.size());  // not 9
}

BOOST_AUTO_TEST_CASE(storage_is_reused_and_counts_are_not_trusted) {
  RequestParser p;
  const std::string mb = "*4\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n";
  const std::string il = "SET \"k k\" 'v v' x\n";
  BOOST_TEST_REQUIRE((p.parse(mb, {}) == Status::kComplete));
  BOOST_TEST_REQUIRE((p.parse(il, {}) == Status::kComplete));  // no reset(): starts anew
  const std::string_view* args = p.args().data();
  const char* scratch = p.args()[1].data();
  for (int i = 0; i < 100; ++i) {
    p.reset();
    BOOST_TEST_REQUIRE((p.parse(i % 2 ? mb : il, {}) == Status::kComplete));
    BOOST_TEST_REQUIRE(p.args().data() == args);
    if (i % 2 == 0) BOOST_TEST_REQUIRE(p.args()[1].data() == scratch);
  }

#if !defined(__SANITIZE_ADDRESS__)
  // A client's count is a promise, not a size to allocate (glibc's counters;
  // ASan's allocator does not feed them).
  const struct mallinfo2 before = mallinfo2();
  p.reset();
  BOOST_TEST((p.parse("*2147483647\r\n$1\r\na\r\n$1\r\nb\r\n", {}) == Status::kIncomplete));
  const struct mallinfo2 after = mallinfo2();
  BOOST_TEST(after.uordblks + after.hblkhd < before.uordblks + before.hblkhd + (1 << 20));
#endif
}

#if !defined(__SANITIZE_ADDRESS__)
BOOST_AUTO_TEST_CASE(one_huge_request_does_not_pin_memory) {
  std::string req = "*100000\r\n";
  for (int i = 0; i < 100000; ++i)
    req += "$0\r\n\r\n";
  RequestParser p;
  BOOST_TEST_REQUIRE((p.parse(req, {}) == Status::kComplete));
  BOOST_TEST_REQUIRE(p.args().size() == 100000u);
  const struct mallinfo2 before = mallinfo2();
  p.reset();
  const struct mallinfo2 after = mallinfo2();
  // Both the spans and the views (16 bytes each per argument) went back.
  BOOST_TEST(before.uordblks + before.hblkhd >= after.uordblks + after.hblkhd + 3'000'000);
}
#endif

BOOST_AUTO_TEST_CASE(reset_abandons_and_errors_stick) {
  RequestParser p;
  BOOST_TEST((p.parse("*2\r\n$3\r\nGET\r\n", {}) == Status::kIncomplete));
  p.reset();
  BOOST_TEST_REQUIRE((p.parse("PING\n", {}) == Status::kComplete));
  BOOST_TEST(p.is_inline());
  p.reset();
  BOOST_TEST((p.parse("*x\r\n", {}) == Status::kError));
  BOOST_TEST((p.parse("PING\n", {}) == Status::kError));
  BOOST_TEST(p.error() == "Protocol error: invalid multibulk length");
  p.reset();
  BOOST_TEST(p.error().empty());
  BOOST_TEST((p.parse("PING\n", {}) == Status::kComplete));
}

BOOST_AUTO_TEST_CASE(fuzz_mutated_requests) {
  std::mt19937 rng(20240601);
  auto pick = [&](size_t n) { return static_cast<size_t>(rng() % n); };
  const std::string specials[] = {"\r", "\n", "\r\n", "*",   "$",
                                  "\"", "'",  "\\",   "\\x", "\0"s,
                                  " ",  "-",  "0",    "9",   "99999999999999999999999"};
  int completes = 0, errors = 0;
  for (int iter = 0; iter < 30000; ++iter) {
    std::string in;
    for (size_t r = 0, n = 1 + pick(3); r < n; ++r) {
      const size_t argc = pick(4);
      if (pick(3) == 0) {
        for (size_t i = 0; i < argc; ++i)
          in += (i ? " " : "") + std::string(1 + pick(4), static_cast<char>('a' + pick(26)));
        in += pick(2) ? "\r\n" : "\n";
      } else {
        in += "*" + std::to_string(argc) + "\r\n";
        for (size_t i = 0; i < argc; ++i) {
          std::string a(pick(6), '\0');
          for (char& c : a)
            c = static_cast<char>(rng());
          in += "$" + std::to_string(a.size()) + "\r\n" + a + "\r\n";
        }
      }
    }
    for (size_t m = 0, n = 1 + pick(3); m < n; ++m) {
      const size_t at = pick(in.size() + 1);
      switch (pick(5)) {
        case 0:
          if (at < in.size()) in[at] = static_cast<char>(rng());
          break;
        case 1:
          in.insert(at, specials[pick(std::size(specials))]);
          break;
        case 2:
          in.erase(at, 1 + pick(3));
          break;
        case 3:
          in.resize(at);
          break;
        default:
          in.insert(at, 1, static_cast<char>(rng()));
          break;
      }
    }
    ParseLimits l;
    if (pick(4) == 0) {
      l.max_inline_len = 1 + pick(12);
      l.max_bulk_len = pick(8);
      l.max_multibulk_len = pick(4);
      l.authenticated = pick(2);
    }
    const std::string whole = feed_whole(in, l);
    BOOST_TEST_CONTEXT("input " << escape(in)) {
      BOOST_TEST_REQUIRE(feed(in, {1}, l) == whole);
      BOOST_TEST_REQUIRE(feed(in, {1 + pick(5), 1 + pick(5), 1 + pick(9)}, l) == whole);
    }
    completes += whole.find('[') != std::string::npos;
    errors += whole.find('!') != std::string::npos;
  }
  BOOST_TEST_MESSAGE("fuzz: " << completes << " with requests, " << errors << " errors");
  // The mutations reach both outcomes often enough to mean something.
  BOOST_TEST(completes > 10000);
  BOOST_TEST(errors > 5000);
}

BOOST_AUTO_TEST_SUITE_END()
