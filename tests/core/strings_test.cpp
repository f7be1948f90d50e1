// String commands. Every expected reply was checked byte for byte against
// redis-server 7.0.15 (RESP2 and, where it differs, RESP3).
#include <boost/test/unit_test.hpp>

#include "core/command_table.h"
#include "core/commands/families.h"
#include "core/context.h"
#include "tests/core/command_fixture.h"
#include "tests/core/string_helpers.h"

using namespace vireo::test;

namespace {

const std::string kNotFloat = error("ERR value is not a valid float");
const std::string kNull3 = "_\r\n";
constexpr int64_t kDay = 86400000;

std::string text(int64_t v) {
  return std::to_string(v);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(strings)

// ---------------------------------------------------------------------------
// GET / SET

BOOST_AUTO_TEST_CASE(get_and_set) {
  CommandFixture f;
  BOOST_TEST(f.run({"get", "k"}) == kNull);
  BOOST_TEST(f.run({"set", "k", "v"}) == kOk);
  BOOST_TEST(f.run({"GET", "k"}) == bulk("v"));
  BOOST_TEST(f.run({"set", "k", "longer value"}) == kOk);
  BOOST_TEST(f.run({"get", "k"}) == bulk("longer value"));
  BOOST_TEST(f.run({"set", "k", ""}) == kOk);
  BOOST_TEST(f.run({"get", "k"}) == kEmpty);
  BOOST_TEST((
      f.take_effects() ==
      Effects{{"SELECT", "0"}, {"SET", "k", "v"}, {"SET", "k", "longer value"}, {"SET", "k", ""}}));
  f.set_protocol(3);
  BOOST_TEST(f.run({"get", "missing"}) == kNull3);
}

BOOST_AUTO_TEST_CASE(get_and_set_binary_values) {
  CommandFixture f;
  std::string value("a\0b\r\nc", 6);
  BOOST_TEST(f.run(std::vector<std::string>{"set", "k", value}) == kOk);
  BOOST_TEST(f.run({"get", "k"}) == bulk(value));
  std::string big(100000, 'x');
  BOOST_TEST(f.run(std::vector<std::string>{"set", "big", big}) == kOk);
  BOOST_TEST(f.run({"get", "big"}) == bulk(big));
}

BOOST_AUTO_TEST_CASE(get_wrong_type) {
  CommandFixture f;
  put_list(f, "L");
  BOOST_TEST(f.run({"get", "L"}) == kWrongType);
}

BOOST_AUTO_TEST_CASE(set_conditions) {
  CommandFixture f;
  BOOST_TEST(f.run({"set", "k", "v", "nx"}) == kOk);
  BOOST_TEST(f.run({"set", "k", "w", "NX"}) == kNull);
  BOOST_TEST(f.run({"set", "k", "w", "nx", "nx"}) == kNull);
  BOOST_TEST(f.run({"set", "missing", "w", "xx"}) == kNull);
  BOOST_TEST(f.run({"set", "missing", "w", "xx", "xx"}) == kNull);
  BOOST_TEST(f.run({"set", "k", "w", "Xx"}) == kOk);
  BOOST_TEST(f.run({"get", "k"}) == bulk("w"));
  BOOST_TEST(f.run({"get", "missing"}) == kNull);
  BOOST_TEST((f.take_effects() == Effects{{"SELECT", "0"}, {"SET", "k", "v"}, {"SET", "k", "w"}}));
  f.set_protocol(3);
  BOOST_TEST(f.run({"set", "k", "w", "nx"}) == kNull3);
}

BOOST_AUTO_TEST_CASE(set_get_option) {
  CommandFixture f;
  BOOST_TEST(f.run({"set", "k", "v", "get"}) == kNull);
  BOOST_TEST(f.run({"set", "k", "w", "GET", "get"}) == bulk("v"));
  // NX and XX with GET reply the old value whether or not they write.
  BOOST_TEST(f.run({"set", "k", "x", "nx", "get"}) == bulk("w"));
  BOOST_TEST(f.run({"set", "k", "x", "get", "xx"}) == bulk("w"));
  BOOST_TEST(f.run({"set", "k2", "v", "get", "nx"}) == kNull);
  BOOST_TEST(f.run({"set", "k3", "v", "xx", "get"}) == kNull);
  BOOST_TEST(f.run({"get", "k"}) == bulk("x"));
  BOOST_TEST(f.run({"get", "k2"}) == bulk("v"));
  BOOST_TEST(f.run({"get", "k3"}) == kNull);
  BOOST_TEST((f.take_effects() == Effects{{"SELECT", "0"},
                                          {"SET", "k", "v"},
                                          {"SET", "k", "w"},
                                          {"SET", "k", "x"},
                                          {"SET", "k2", "v"}}));
  f.set_protocol(3);
  BOOST_TEST(f.run({"set", "k4", "v", "get"}) == kNull3);
}

BOOST_AUTO_TEST_CASE(set_over_other_types) {
  CommandFixture f;
  put_list(f, "L");
  BOOST_TEST(f.run({"set", "L", "v", "get"}) == kWrongType);
  BOOST_TEST(f.run({"set", "L", "v", "nx", "get"}) == kWrongType);
  BOOST_TEST(f.run({"set", "L", "v", "nx"}) == kNull);
  BOOST_TEST(f.take_effects().empty());
  // Without GET, SET replaces a value of any type.
  BOOST_TEST(f.run({"set", "L", "v"}) == kOk);
  BOOST_TEST(f.run({"get", "L"}) == bulk("v"));
  put_list(f, "M");
  BOOST_TEST(f.run({"set", "M", "v", "xx"}) == kOk);
  BOOST_TEST(f.run({"get", "M"}) == bulk("v"));
}

BOOST_AUTO_TEST_CASE(set_syntax_errors) {
  CommandFixture f;
  BOOST_TEST(f.run({"set", "k", "v", "nx", "xx"}) == kSyntax);
  BOOST_TEST(f.run({"set", "k", "v", "NX", "GET", "xx"}) == kSyntax);
  BOOST_TEST(f.run({"set", "k", "v", "ex"}) == kSyntax);
  BOOST_TEST(f.run({"set", "k", "v", "px", "10", "ex", "10"}) == kSyntax);
  BOOST_TEST(f.run({"set", "k", "v", "ex", "5", "exat", "10"}) == kSyntax);
  BOOST_TEST(f.run({"set", "k", "v", "ex", "10", "keepttl"}) == kSyntax);
  BOOST_TEST(f.run({"set", "k", "v", "keepttl", "px", "100"}) == kSyntax);
  BOOST_TEST(f.run({"set", "k", "v", "persist"}) == kSyntax);
  BOOST_TEST(f.run({"set", "k", "v", "foo"}) == kSyntax);
  // Every option is read before the expiry value is validated.
  BOOST_TEST(f.run({"set", "k", "v", "ex", "abc", "foo"}) == kSyntax);
  BOOST_TEST(f.run({"set", "k", "v", "ex", "0", "foo"}) == kSyntax);
  BOOST_TEST(f.run({"set", "k", "v", "ex", "abc", "px", "5"}) == kSyntax);
  BOOST_TEST(f.run({"set"}) == error("ERR wrong number of arguments for 'set' command"));
  BOOST_TEST(f.run({"set", "k"}) == error("ERR wrong number of arguments for 'set' command"));
  BOOST_TEST(f.run({"get", "k"}) == kNull);
  BOOST_TEST(f.take_effects().empty());
}

BOOST_AUTO_TEST_CASE(set_expiry_errors) {
  CommandFixture f;
  const std::string invalid = error("ERR invalid expire time in 'set' command");
  BOOST_TEST(f.run({"set", "k", "v", "ex", "0"}) == invalid);
  BOOST_TEST(f.run({"set", "k", "v", "EX", "-1"}) == invalid);
  BOOST_TEST(f.run({"set", "k", "v", "exat", "0"}) == invalid);
  BOOST_TEST(f.run({"set", "k", "v", "px", "0"}) == invalid);
  BOOST_TEST(f.run({"set", "k", "v", "pxat", "-5"}) == invalid);
  // Seconds that overflow in milliseconds, or a relative time past the end of time.
  BOOST_TEST(f.run({"set", "k", "v", "ex", "9223372036854775807"}) == invalid);
  BOOST_TEST(f.run({"set", "k", "v", "ex", "9223372036854775"}) == invalid);
  BOOST_TEST(f.run({"set", "k", "v", "exat", "9223372036854776"}) == invalid);
  BOOST_TEST(f.run({"set", "k", "v", "px", "9223372036854775807"}) == invalid);
  BOOST_TEST(f.run({"set", "k", "v", "ex", "x"}) == kNotInteger);
  BOOST_TEST(f.run({"set", "k", "v", "ex", "1.5"}) == kNotInteger);
  BOOST_TEST(f.run({"set", "k", "v", "ex", " 5"}) == kNotInteger);
  BOOST_TEST(f.run({"set", "k", "v", "ex", "+5"}) == kNotInteger);
  BOOST_TEST(f.run({"set", "k", "v", "ex", "05"}) == kNotInteger);
  // A repeated expiry option replaces the earlier one, which is never validated.
  BOOST_TEST(f.run({"set", "k", "v", "ex", "5", "ex", "abc"}) == kNotInteger);
  BOOST_TEST(f.run({"get", "k"}) == kNull);
  BOOST_TEST(f.take_effects().empty());
  BOOST_TEST(f.run({"set", "k", "v", "ex", "abc", "ex", "5"}) == kOk);
  BOOST_TEST(deadline_of(f, "k") == f.now() + 5000);
  // The expiry is validated before GET looks at the key's type.
  put_list(f, "L");
  BOOST_TEST(f.run({"set", "L", "v", "get", "ex", "0"}) == invalid);
  BOOST_TEST(f.run({"set", "L", "v", "get", "ex", "x"}) == kNotInteger);
}

BOOST_AUTO_TEST_CASE(set_expiry_forms_propagate_pxat) {
  CommandFixture f;
  const int64_t now = f.now();
  BOOST_TEST(f.run({"set", "a", "v", "ex", "10"}) == kOk);
  BOOST_TEST(f.run({"set", "b", "v", "PX", "1500"}) == kOk);
  BOOST_TEST(f.run({"set", "c", "v", "exat", text(now / 1000 + 100)}) == kOk);
  BOOST_TEST(f.run({"set", "d", "v", "pxat", text(now + 1)}) == kOk);
  BOOST_TEST(f.run({"set", "e", "v", "px", "5", "px", "6"}) == kOk);
  BOOST_TEST(deadline_of(f, "a") == now + 10000);
  BOOST_TEST(deadline_of(f, "b") == now + 1500);
  BOOST_TEST(deadline_of(f, "c") == (now / 1000 + 100) * 1000);
  BOOST_TEST(deadline_of(f, "d") == now + 1);
  BOOST_TEST(deadline_of(f, "e") == now + 6);
  BOOST_TEST(
      (f.take_effects() == Effects{{"SELECT", "0"},
                                   {"SET", "a", "v", "PXAT", text(now + 10000)},
                                   {"SET", "b", "v", "PXAT", text(now + 1500)},
                                   {"SET", "c", "v", "PXAT", text((now / 1000 + 100) * 1000)},
                                   {"SET", "d", "v", "PXAT", text(now + 1)},
                                   {"SET", "e", "v", "PXAT", text(now + 6)}}));
  // The largest absolute deadline is accepted.
  BOOST_TEST(f.run({"set", "f", "v", "pxat", "9223372036854775807"}) == kOk);
  BOOST_TEST(deadline_of(f, "f") == INT64_MAX);
  f.advance_time(1);
  BOOST_TEST(f.run({"get", "d"}) == kNull);
  BOOST_TEST(f.run({"get", "a"}) == bulk("v"));
}

BOOST_AUTO_TEST_CASE(set_ttl_is_replaced_or_kept) {
  CommandFixture f;
  BOOST_TEST(f.run({"set", "k", "v", "ex", "100"}) == kOk);
  BOOST_TEST(f.run({"set", "k", "w", "keepttl"}) == kOk);
  BOOST_TEST(deadline_of(f, "k") == f.now() + 100000);
  BOOST_TEST(f.run({"set", "k", "x", "KEEPTTL", "keepttl", "xx"}) == kOk);
  BOOST_TEST(deadline_of(f, "k") == f.now() + 100000);
  BOOST_TEST(f.run({"set", "k", "y"}) == kOk);
  BOOST_TEST(deadline_of(f, "k") == vireo::kNoExpiry);
  BOOST_TEST(f.run({"set", "n", "v", "keepttl"}) == kOk);
  BOOST_TEST(deadline_of(f, "n") == vireo::kNoExpiry);
  BOOST_TEST((f.take_effects() == Effects{{"SELECT", "0"},
                                          {"SET", "k", "v", "PXAT", text(f.now() + 100000)},
                                          {"SET", "k", "w", "KEEPTTL"},
                                          {"SET", "k", "x", "KEEPTTL"},
                                          {"SET", "k", "y"},
                                          {"SET", "n", "v", "KEEPTTL"}}));
}

BOOST_AUTO_TEST_CASE(set_with_a_deadline_already_past) {
  CommandFixture f;
  BOOST_TEST(f.run({"set", "k", "v"}) == kOk);
  f.take_effects();
  // Replies as a write, and leaves no key: an existing one is deleted.
  BOOST_TEST(f.run({"set", "k", "w", "exat", "1", "get"}) == bulk("v"));
  BOOST_TEST(f.run({"get", "k"}) == kNull);
  BOOST_TEST((f.take_effects() == Effects{{"DEL", "k"}}));
  BOOST_TEST(f.run({"set", "k", "w", "pxat", text(f.now())}) == kOk);
  BOOST_TEST(f.run({"get", "k"}) == kNull);
  BOOST_TEST(f.take_effects().empty());
  BOOST_TEST(db0(f).size() == 0u);
}

BOOST_AUTO_TEST_CASE(set_resets_raw_encoding) {
  CommandFixture f;
  BOOST_TEST(f.run({"append", "k", "1"}) == integer(1));
  BOOST_TEST(f.run({"append", "k", "2"}) == integer(2));
  BOOST_TEST(is_raw(f, "k"));
  BOOST_TEST(f.run({"set", "k", "12"}) == kOk);
  BOOST_TEST(!is_raw(f, "k"));
}

BOOST_AUTO_TEST_CASE(expired_key_is_invisible_and_propagates_del) {
  CommandFixture f;
  BOOST_TEST(f.run({"set", "k", "v", "px", "100"}) == kOk);
  f.take_effects();
  f.advance_time(99);
  BOOST_TEST(f.run({"get", "k"}) == bulk("v"));
  f.advance_time(1);
  BOOST_TEST(f.run({"get", "k"}) == kNull);
  BOOST_TEST((f.take_effects() == Effects{{"DEL", "k"}}));
}

BOOST_AUTO_TEST_CASE(expired_keys_read_as_missing_in_every_command) {
  CommandFixture f;
  const std::vector<std::string> keys = {"a", "b", "c", "d", "e", "g", "h", "i", "j", "l"};
  for (const auto& k : keys)
    f.run({"set", k, "5", "px", "10"});
  f.advance_time(10);
  f.take_effects();
  BOOST_TEST(f.run({"set", "a", "v", "nx"}) == kOk);
  BOOST_TEST(f.run({"setnx", "b", "v"}) == integer(1));
  BOOST_TEST(f.run({"set", "c", "v", "xx", "get"}) == kNull);
  BOOST_TEST(f.run({"append", "d", "x"}) == integer(1));
  BOOST_TEST(f.run({"incr", "e"}) == integer(1));
  BOOST_TEST(f.run({"strlen", "g"}) == integer(0));
  BOOST_TEST(f.run({"getrange", "h", "0", "-1"}) == kEmpty);
  BOOST_TEST(f.run({"setrange", "i", "1", "x"}) == integer(2));
  BOOST_TEST(f.run({"getex", "j", "persist"}) == kNull);
  BOOST_TEST(f.run({"lcs", "l", "a", "len"}) == integer(0));
  BOOST_TEST((f.take_effects() == Effects{{"DEL", "a"},
                                          {"SET", "a", "v"},
                                          {"DEL", "b"},
                                          {"SET", "b", "v"},
                                          {"DEL", "c"},
                                          {"DEL", "d"},
                                          {"APPEND", "d", "x"},
                                          {"DEL", "e"},
                                          {"SET", "e", "1", "KEEPTTL"},
                                          {"DEL", "g"},
                                          {"DEL", "h"},
                                          {"DEL", "i"},
                                          {"SETRANGE", "i", "1", "x"},
                                          {"DEL", "j"},
                                          {"DEL", "l"}}));
  // The values written over expired keys carry no TTL.
  BOOST_TEST(deadline_of(f, "e") == vireo::kNoExpiry);
  BOOST_TEST(deadline_of(f, "i") == vireo::kNoExpiry);
}

BOOST_AUTO_TEST_CASE(wrong_arity_and_unknown) {
  CommandFixture f;
  BOOST_TEST(f.run({"get"}) == error("ERR wrong number of arguments for 'get' command"));
  BOOST_TEST(f.run({"get", "a", "b"}) == error("ERR wrong number of arguments for 'get' command"));
  BOOST_TEST(f.run({"nope", "a", "b"}) ==
             error("ERR unknown command 'nope', with args beginning with: 'a' 'b' "));
}

// ---------------------------------------------------------------------------
// SETNX / SETEX / PSETEX / GETSET / GETDEL

BOOST_AUTO_TEST_CASE(setnx) {
  CommandFixture f;
  BOOST_TEST(f.run({"setnx", "k", "v"}) == integer(1));
  BOOST_TEST(f.run({"setnx", "k", "w"}) == integer(0));
  BOOST_TEST(f.run({"get", "k"}) == bulk("v"));
  put_list(f, "L");
  BOOST_TEST(f.run({"setnx", "L", "v"}) == integer(0));
  BOOST_TEST((f.take_effects() == Effects{{"SELECT", "0"}, {"SET", "k", "v"}}));
}

BOOST_AUTO_TEST_CASE(setex_and_psetex) {
  CommandFixture f;
  BOOST_TEST(f.run({"setex", "k", "10", "v"}) == kOk);
  BOOST_TEST(deadline_of(f, "k") == f.now() + 10000);
  BOOST_TEST(f.run({"psetex", "p", "1500", "v"}) == kOk);
  BOOST_TEST(deadline_of(f, "p") == f.now() + 1500);
  BOOST_TEST((f.take_effects() == Effects{{"SELECT", "0"},
                                          {"SET", "k", "v", "PXAT", text(f.now() + 10000)},
                                          {"SET", "p", "v", "PXAT", text(f.now() + 1500)}}));
  // SETEX replaces a value of another type.
  put_list(f, "L");
  BOOST_TEST(f.run({"setex", "L", "10", "v"}) == kOk);
  BOOST_TEST(f.run({"get", "L"}) == bulk("v"));
  f.advance_time(1500);
  BOOST_TEST(f.run({"get", "p"}) == kNull);
  BOOST_TEST(f.run({"get", "k"}) == bulk("v"));
}

BOOST_AUTO_TEST_CASE(setex_errors) {
  CommandFixture f;
  BOOST_TEST(f.run({"setex", "k", "0", "v"}) ==
             error("ERR invalid expire time in 'setex' command"));
  BOOST_TEST(f.run({"setex", "k", "-1", "v"}) ==
             error("ERR invalid expire time in 'setex' command"));
  BOOST_TEST(f.run({"SETEX", "k", "9223372036854775807", "v"}) ==
             error("ERR invalid expire time in 'setex' command"));
  BOOST_TEST(f.run({"psetex", "k", "0", "v"}) ==
             error("ERR invalid expire time in 'psetex' command"));
  BOOST_TEST(f.run({"psetex", "k", "9223372036854775807", "v"}) ==
             error("ERR invalid expire time in 'psetex' command"));
  BOOST_TEST(f.run({"setex", "k", "x", "v"}) == kNotInteger);
  BOOST_TEST(f.run({"setex", "k", "1.5", "v"}) == kNotInteger);
  BOOST_TEST(f.run({"setex", "k", "10"}) ==
             error("ERR wrong number of arguments for 'setex' command"));
  BOOST_TEST(f.run({"get", "k"}) == kNull);
  BOOST_TEST(f.take_effects().empty());
}

BOOST_AUTO_TEST_CASE(getset) {
  CommandFixture f;
  BOOST_TEST(f.run({"getset", "k", "v"}) == kNull);
  BOOST_TEST(f.run({"set", "k", "v", "ex", "100"}) == kOk);
  BOOST_TEST(f.run({"getset", "k", "w"}) == bulk("v"));
  BOOST_TEST(f.run({"get", "k"}) == bulk("w"));
  BOOST_TEST(deadline_of(f, "k") == vireo::kNoExpiry);
  BOOST_TEST((f.take_effects() == Effects{{"SELECT", "0"},
                                          {"SET", "k", "v"},
                                          {"SET", "k", "v", "PXAT", text(f.now() + 100000)},
                                          {"SET", "k", "w"}}));
  put_list(f, "L");
  BOOST_TEST(f.run({"getset", "L", "v"}) == kWrongType);
  BOOST_TEST(f.take_effects().empty());
  f.set_protocol(3);
  BOOST_TEST(f.run({"getset", "new", "v"}) == kNull3);
}

BOOST_AUTO_TEST_CASE(getdel) {
  CommandFixture f;
  BOOST_TEST(f.run({"set", "k", "v", "ex", "100"}) == kOk);
  f.take_effects();
  BOOST_TEST(f.run({"getdel", "k"}) == bulk("v"));
  BOOST_TEST(f.run({"getdel", "k"}) == kNull);
  BOOST_TEST(f.run({"get", "k"}) == kNull);
  BOOST_TEST((f.take_effects() == Effects{{"DEL", "k"}}));
  put_list(f, "L");
  BOOST_TEST(f.run({"getdel", "L"}) == kWrongType);
  BOOST_TEST(f.take_effects().empty());
  f.set_protocol(3);
  BOOST_TEST(f.run({"getdel", "k"}) == kNull3);
}

// ---------------------------------------------------------------------------
// GETEX

BOOST_AUTO_TEST_CASE(getex_without_options_reads) {
  CommandFixture f;
  BOOST_TEST(f.run({"getex", "k"}) == kNull);
  BOOST_TEST(f.run({"set", "k", "v", "ex", "100"}) == kOk);
  f.take_effects();
  BOOST_TEST(f.run({"getex", "k"}) == bulk("v"));
  BOOST_TEST(deadline_of(f, "k") == f.now() + 100000);
  BOOST_TEST(f.take_effects().empty());
  f.set_protocol(3);
  BOOST_TEST(f.run({"getex", "missing"}) == kNull3);
}

BOOST_AUTO_TEST_CASE(getex_sets_ttl_as_pexpireat) {
  CommandFixture f;
  const int64_t now = f.now();
  BOOST_TEST(f.run({"set", "k", "v"}) == kOk);
  f.take_effects();
  BOOST_TEST(f.run({"getex", "k", "ex", "10"}) == bulk("v"));
  BOOST_TEST(deadline_of(f, "k") == now + 10000);
  BOOST_TEST(f.run({"getex", "k", "PX", "500"}) == bulk("v"));
  BOOST_TEST(deadline_of(f, "k") == now + 500);
  BOOST_TEST(f.run({"getex", "k", "exat", text(now / 1000 + 50)}) == bulk("v"));
  BOOST_TEST(deadline_of(f, "k") == (now / 1000 + 50) * 1000);
  BOOST_TEST(f.run({"getex", "k", "pxat", text(now + 7)}) == bulk("v"));
  BOOST_TEST(deadline_of(f, "k") == now + 7);
  // The same option may repeat; the last one counts.
  BOOST_TEST(f.run({"getex", "k", "ex", "10", "ex", "20"}) == bulk("v"));
  BOOST_TEST(deadline_of(f, "k") == now + 20000);
  BOOST_TEST((f.take_effects() == Effects{{"PEXPIREAT", "k", text(now + 10000)},
                                          {"PEXPIREAT", "k", text(now + 500)},
                                          {"PEXPIREAT", "k", text((now / 1000 + 50) * 1000)},
                                          {"PEXPIREAT", "k", text(now + 7)},
                                          {"PEXPIREAT", "k", text(now + 20000)}}));
  BOOST_TEST(f.run({"getex", "k", "pxat", "9223372036854775807"}) == bulk("v"));
  BOOST_TEST(deadline_of(f, "k") == INT64_MAX);
}

BOOST_AUTO_TEST_CASE(getex_past_deadline_deletes) {
  CommandFixture f;
  BOOST_TEST(f.run({"set", "k", "v", "ex", "100"}) == kOk);
  BOOST_TEST(f.run({"set", "j", "v"}) == kOk);
  f.take_effects();
  BOOST_TEST(f.run({"getex", "k", "exat", "1"}) == bulk("v"));
  BOOST_TEST(f.run({"getex", "j", "pxat", text(f.now())}) == bulk("v"));
  BOOST_TEST(f.run({"get", "k"}) == kNull);
  BOOST_TEST(f.run({"get", "j"}) == kNull);
  BOOST_TEST((f.take_effects() == Effects{{"DEL", "k"}, {"DEL", "j"}}));
}

BOOST_AUTO_TEST_CASE(getex_persist) {
  CommandFixture f;
  BOOST_TEST(f.run({"set", "k", "v", "ex", "100"}) == kOk);
  f.take_effects();
  BOOST_TEST(f.run({"getex", "k", "persist"}) == bulk("v"));
  BOOST_TEST(deadline_of(f, "k") == vireo::kNoExpiry);
  // Without a TTL to remove, PERSIST changes nothing and propagates nothing.
  BOOST_TEST(f.run({"getex", "k", "PERSIST", "persist"}) == bulk("v"));
  BOOST_TEST((f.take_effects() == Effects{{"PERSIST", "k"}}));
}

BOOST_AUTO_TEST_CASE(getex_errors) {
  CommandFixture f;
  BOOST_TEST(f.run({"set", "k", "v"}) == kOk);
  f.take_effects();
  BOOST_TEST(f.run({"getex", "k", "ex"}) == kSyntax);
  BOOST_TEST(f.run({"getex", "k", "foo"}) == kSyntax);
  BOOST_TEST(f.run({"getex", "k", "persist", "ex", "10"}) == kSyntax);
  BOOST_TEST(f.run({"getex", "k", "ex", "10", "persist"}) == kSyntax);
  BOOST_TEST(f.run({"getex", "k", "ex", "10", "px", "10"}) == kSyntax);
  BOOST_TEST(f.run({"getex", "k", "keepttl"}) == kSyntax);
  BOOST_TEST(f.run({"getex", "k", "get"}) == kSyntax);
  BOOST_TEST(f.run({"getex", "k", "nx"}) == kSyntax);
  BOOST_TEST(f.run({"getex", "k", "xx"}) == kSyntax);
  BOOST_TEST(f.run({"getex", "k", "ex", "abc"}) == kNotInteger);
  BOOST_TEST(f.run({"getex", "k", "ex", "0"}) ==
             error("ERR invalid expire time in 'getex' command"));
  BOOST_TEST(f.run({"getex", "k", "exat", "9223372036854775807"}) ==
             error("ERR invalid expire time in 'getex' command"));
  BOOST_TEST(f.run({"getex", "k", "ex", "9223372036854775"}) ==
             error("ERR invalid expire time in 'getex' command"));
  BOOST_TEST(f.run({"getex"}) == error("ERR wrong number of arguments for 'getex' command"));
  BOOST_TEST(deadline_of(f, "k") == vireo::kNoExpiry);
  // Syntax first, then the key, then the expiry value: a missing key hides a bad value.
  BOOST_TEST(f.run({"getex", "missing", "foo"}) == kSyntax);
  BOOST_TEST(f.run({"getex", "missing", "ex", "0"}) == kNull);
  BOOST_TEST(f.run({"getex", "missing", "ex", "abc"}) == kNull);
  put_list(f, "L");
  BOOST_TEST(f.run({"getex", "L"}) == kWrongType);
  BOOST_TEST(f.run({"getex", "L", "ex", "0"}) == kWrongType);
  BOOST_TEST(f.run({"getex", "L", "foo"}) == kSyntax);
  BOOST_TEST(f.take_effects().empty());
}

// ---------------------------------------------------------------------------
// MGET / MSET / MSETNX

BOOST_AUTO_TEST_CASE(mget) {
  CommandFixture f;
  BOOST_TEST(f.run({"set", "a", "1"}) == kOk);
  put_list(f, "L");
  // Keys of other types read as nil, not WRONGTYPE.
  BOOST_TEST(f.run({"mget", "a", "L", "nokey", "a"}) ==
             array({bulk("1"), kNull, kNull, bulk("1")}));
  BOOST_TEST(f.run({"mget", "nokey"}) == array({kNull}));
  BOOST_TEST(f.run({"mget"}) == error("ERR wrong number of arguments for 'mget' command"));
  f.set_protocol(3);
  BOOST_TEST(f.run({"mget", "a", "nokey"}) == array({bulk("1"), kNull3}));
}

BOOST_AUTO_TEST_CASE(mset) {
  CommandFixture f;
  BOOST_TEST(f.run({"set", "x", "old", "ex", "100"}) == kOk);
  put_list(f, "L");
  f.take_effects();
  BOOST_TEST(f.run({"mset", "x", "1", "L", "2", "x", "3"}) == kOk);
  BOOST_TEST(f.run({"mget", "x", "L"}) == array({bulk("3"), bulk("2")}));
  BOOST_TEST(deadline_of(f, "x") == vireo::kNoExpiry);
  BOOST_TEST((f.take_effects() == Effects{{"MSET", "x", "1", "L", "2", "x", "3"}}));
  BOOST_TEST(f.run({"mset", "x"}) == error("ERR wrong number of arguments for 'mset' command"));
  BOOST_TEST(f.run({"mset", "x", "1", "y"}) ==
             error("ERR wrong number of arguments for 'mset' command"));
  BOOST_TEST(f.run({"get", "x"}) == bulk("3"));
  BOOST_TEST(f.take_effects().empty());
}

BOOST_AUTO_TEST_CASE(mset_many_pairs) {
  CommandFixture f;
  std::vector<std::string> args = {"mset"};
  for (int i = 0; i < 100; ++i) {
    args.push_back("k" + std::to_string(i));
    args.push_back(std::to_string(i));
  }
  BOOST_TEST(f.run(args) == kOk);
  BOOST_TEST(f.run({"get", "k99"}) == bulk("99"));
  auto effects = f.take_effects();
  BOOST_REQUIRE(effects.size() == 2u);
  args[0] = "MSET";
  BOOST_TEST(effects[1] == args);
}

BOOST_AUTO_TEST_CASE(msetnx) {
  CommandFixture f;
  BOOST_TEST(f.run({"msetnx", "a", "1", "b", "2"}) == integer(1));
  BOOST_TEST(f.run({"msetnx", "a", "9", "c", "3"}) == integer(0));
  BOOST_TEST(f.run({"get", "c"}) == kNull);
  // A key of any type counts as existing.
  put_list(f, "L");
  BOOST_TEST(f.run({"msetnx", "L", "1", "z", "2"}) == integer(0));
  // The same key twice: the last value wins.
  BOOST_TEST(f.run({"msetnx", "z", "1", "z", "2"}) == integer(1));
  BOOST_TEST(f.run({"mget", "a", "b", "z"}) == array({bulk("1"), bulk("2"), bulk("2")}));
  BOOST_TEST(
      (f.take_effects() ==
       Effects{{"SELECT", "0"}, {"MSET", "a", "1", "b", "2"}, {"MSET", "z", "1", "z", "2"}}));
  BOOST_TEST(f.run({"msetnx", "x", "1", "y"}) ==
             error("ERR wrong number of arguments for 'msetnx' command"));
  BOOST_TEST(f.take_effects().empty());
}

// ---------------------------------------------------------------------------
// Counters

BOOST_AUTO_TEST_CASE(incr_family) {
  CommandFixture f;
  BOOST_TEST(f.run({"incr", "n"}) == integer(1));
  BOOST_TEST(f.run({"incrby", "n", "5"}) == integer(6));
  BOOST_TEST(f.run({"decrby", "n", "3"}) == integer(3));
  BOOST_TEST(f.run({"decr", "n"}) == integer(2));
  BOOST_TEST(f.run({"incrby", "n", "-10"}) == integer(-8));
  BOOST_TEST(f.run({"decrby", "n", "-8"}) == integer(0));
  BOOST_TEST(f.run({"decr", "m"}) == integer(-1));
  BOOST_TEST(f.run({"get", "n"}) == bulk("0"));
  BOOST_TEST(f.run({"set", "s", "-42"}) == kOk);
  BOOST_TEST(f.run({"INCRBY", "s", "0"}) == integer(-42));
  BOOST_TEST((f.take_effects() == Effects{{"SELECT", "0"},
                                          {"SET", "n", "1", "KEEPTTL"},
                                          {"SET", "n", "6", "KEEPTTL"},
                                          {"SET", "n", "3", "KEEPTTL"},
                                          {"SET", "n", "2", "KEEPTTL"},
                                          {"SET", "n", "-8", "KEEPTTL"},
                                          {"SET", "n", "0", "KEEPTTL"},
                                          {"SET", "m", "-1", "KEEPTTL"},
                                          {"SET", "s", "-42"},
                                          {"SET", "s", "-42", "KEEPTTL"}}));
}

BOOST_AUTO_TEST_CASE(incr_rejects_non_integers) {
  CommandFixture f;
  for (const char* value :
       {" 1", "01", "1.0", "", "+1", "-0", "abc", "1 ", "9223372036854775808"}) {
    BOOST_TEST(f.run({"set", "s", value}) == kOk);
    BOOST_TEST(f.run({"incr", "s"}) == kNotInteger);
    BOOST_TEST(f.run({"get", "s"}) == bulk(value));
  }
  BOOST_TEST(f.run({"incrby", "s", "1.0"}) == kNotInteger);
  BOOST_TEST(f.run({"incrby", "n", "x"}) == kNotInteger);
  BOOST_TEST(f.run({"decrby", "n", ""}) == kNotInteger);
  BOOST_TEST(f.run({"get", "n"}) == kNull);
  BOOST_TEST(f.run({"incr"}) == error("ERR wrong number of arguments for 'incr' command"));
  BOOST_TEST(f.run({"incrby", "n"}) == error("ERR wrong number of arguments for 'incrby' command"));
  f.take_effects();
  BOOST_TEST(f.run({"incr", "s"}) == kNotInteger);
  BOOST_TEST(f.take_effects().empty());
}

BOOST_AUTO_TEST_CASE(incr_overflow) {
  CommandFixture f;
  const std::string overflow = error("ERR increment or decrement would overflow");
  BOOST_TEST(f.run({"set", "m", "9223372036854775807"}) == kOk);
  BOOST_TEST(f.run({"incr", "m"}) == overflow);
  BOOST_TEST(f.run({"incrby", "m", "0"}) == integer(INT64_MAX));
  BOOST_TEST(f.run({"incrby", "m", "-1"}) == integer(INT64_MAX - 1));
  BOOST_TEST(f.run({"decrby", "k", "9223372036854775807"}) == integer(-INT64_MAX));
  BOOST_TEST(f.run({"decr", "k"}) == integer(INT64_MIN));
  BOOST_TEST(f.run({"decr", "k"}) == overflow);
  BOOST_TEST(f.run({"incrby", "k", "-1"}) == overflow);
  BOOST_TEST(f.run({"incrby", "k", "9223372036854775807"}) == integer(-1));
  BOOST_TEST(f.run({"get", "k"}) == bulk("-1"));
  // DECRBY cannot negate the smallest int64, whatever the key holds.
  BOOST_TEST(f.run({"decrby", "k", "-9223372036854775808"}) ==
             error("ERR decrement would overflow"));
  BOOST_TEST(f.run({"incrby", "k", "-9223372036854775808"}) == overflow);
  BOOST_TEST(f.run({"set", "k", "0"}) == kOk);
  BOOST_TEST(f.run({"incrby", "k", "-9223372036854775808"}) == integer(INT64_MIN));
}

BOOST_AUTO_TEST_CASE(incr_wrong_type_and_argument_order) {
  CommandFixture f;
  put_list(f, "L");
  BOOST_TEST(f.run({"incr", "L"}) == kWrongType);
  BOOST_TEST(f.run({"decr", "L"}) == kWrongType);
  BOOST_TEST(f.run({"incrby", "L", "1"}) == kWrongType);
  BOOST_TEST(f.run({"decrby", "L", "1"}) == kWrongType);
  // INCRBY/DECRBY read their argument before the key.
  BOOST_TEST(f.run({"incrby", "L", "x"}) == kNotInteger);
  BOOST_TEST(f.run({"decrby", "L", "-9223372036854775808"}) ==
             error("ERR decrement would overflow"));
  BOOST_TEST(f.take_effects().empty());
}

BOOST_AUTO_TEST_CASE(incr_keeps_ttl_and_resets_encoding) {
  CommandFixture f;
  BOOST_TEST(f.run({"set", "t", "10", "ex", "100"}) == kOk);
  BOOST_TEST(f.run({"incr", "t"}) == integer(11));
  BOOST_TEST(f.run({"incrby", "t", "1000000"}) == integer(1000011));
  BOOST_TEST(deadline_of(f, "t") == f.now() + 100000);
  BOOST_TEST(f.run({"append", "t", "1"}) == integer(8));
  BOOST_TEST(is_raw(f, "t"));
  BOOST_TEST(f.run({"incr", "t"}) == integer(10000112));
  BOOST_TEST(!is_raw(f, "t"));
  BOOST_TEST(deadline_of(f, "t") == f.now() + 100000);
  // Replaying the effects keeps the TTL too.
  auto effects = f.take_effects();
  BOOST_TEST((effects.back() == std::vector<std::string>{"SET", "t", "10000112", "KEEPTTL"}));
  f.advance_time(100000);
  BOOST_TEST(f.run({"incr", "t"}) == integer(1));
}

BOOST_AUTO_TEST_CASE(incrbyfloat) {
  CommandFixture f;
  BOOST_TEST(f.run({"incrbyfloat", "f", "1.5"}) == bulk("1.5"));
  BOOST_TEST(f.run({"incrbyfloat", "f", "1"}) == bulk("2.5"));
  BOOST_TEST(f.run({"incrbyfloat", "f", "-2.5"}) == bulk("0"));
  BOOST_TEST(f.run({"incrbyfloat", "g", "0.1"}) == bulk("0.1"));
  BOOST_TEST(f.run({"incrbyfloat", "g", "0.2"}) == bulk("0.3"));
  BOOST_TEST(f.run({"set", "i", "3.0"}) == kOk);
  BOOST_TEST(f.run({"incrbyfloat", "i", "0"}) == bulk("3"));
  BOOST_TEST(f.run({"set", "j", "10"}) == kOk);
  BOOST_TEST(f.run({"incrbyfloat", "j", "5.0e3"}) == bulk("5010"));
  BOOST_TEST(f.run({"get", "j"}) == bulk("5010"));
  BOOST_TEST((f.take_effects() == Effects{{"SELECT", "0"},
                                          {"SET", "f", "1.5", "KEEPTTL"},
                                          {"SET", "f", "2.5", "KEEPTTL"},
                                          {"SET", "f", "0", "KEEPTTL"},
                                          {"SET", "g", "0.1", "KEEPTTL"},
                                          {"SET", "g", "0.3", "KEEPTTL"},
                                          {"SET", "i", "3.0"},
                                          {"SET", "i", "3", "KEEPTTL"},
                                          {"SET", "j", "10"},
                                          {"SET", "j", "5010", "KEEPTTL"}}));
  f.set_protocol(3);
  BOOST_TEST(f.run({"incrbyfloat", "z", "1"}) == bulk("1"));
}

BOOST_AUTO_TEST_CASE(incrbyfloat_long_double_range) {
  CommandFixture f;
  // What x87 long double makes of 1e308 and 2e308 (exact binary values).
  const std::string got1 =
      "9999999999999999999668587965584564566056009984741556720779704799492173486883806187210012"
      "6921888539320446747225054013223152134749593960583597420814430196418767959100019603190778"
      "6631096045071066679391533957889389145605435630612683649016186302170865892534448816237913"
      "00855757318142424510452728255046343928578048";
  BOOST_TEST(f.run({"incrbyfloat", "f", "1e308"}) == bulk(got1));
  BOOST_TEST(f.run({"incrbyfloat", "f", "1e308"}).substr(0, 10) == "$309\r\n1999");
  // Beyond double's range but inside long double's.
  BOOST_TEST(f.run({"incrbyfloat", "h", "-1e400"}).substr(0, 8) == "$402\r\n-1");
  BOOST_TEST(f.run({"incrbyfloat", "h", "1e400"}) == bulk("0"));
  BOOST_TEST(f.run({"incrbyfloat", "h", "1e5000"}) == kNotFloat);
}

BOOST_AUTO_TEST_CASE(incrbyfloat_errors) {
  CommandFixture f;
  const std::string nan_or_inf = error("ERR increment would produce NaN or Infinity");
  BOOST_TEST(f.run({"incrbyfloat", "f", "inf"}) == nan_or_inf);
  BOOST_TEST(f.run({"incrbyfloat", "f", "-inf"}) == nan_or_inf);
  BOOST_TEST(f.run({"incrbyfloat", "f", "nan"}) == kNotFloat);
  BOOST_TEST(f.run({"incrbyfloat", "f", "x"}) == kNotFloat);
  BOOST_TEST(f.run({"incrbyfloat", "f", " 1"}) == kNotFloat);
  BOOST_TEST(f.run({"incrbyfloat", "f", ""}) == kNotFloat);
  BOOST_TEST(f.run({"get", "f"}) == kNull);
  BOOST_TEST(f.run({"set", "bad", "abc"}) == kOk);
  BOOST_TEST(f.run({"incrbyfloat", "bad", "1"}) == kNotFloat);
  BOOST_TEST(f.run({"incrbyfloat", "bad", "x"}) == kNotFloat);
  // The type is checked before either number.
  put_list(f, "L");
  BOOST_TEST(f.run({"incrbyfloat", "L", "1"}) == kWrongType);
  BOOST_TEST(f.run({"incrbyfloat", "L", "x"}) == kWrongType);
  f.take_effects();
  BOOST_TEST(f.run({"incrbyfloat", "bad", "1"}) == kNotFloat);
  BOOST_TEST(f.take_effects().empty());
}

BOOST_AUTO_TEST_CASE(incrbyfloat_keeps_ttl) {
  CommandFixture f;
  BOOST_TEST(f.run({"set", "t", "10", "ex", "100"}) == kOk);
  BOOST_TEST(f.run({"incrbyfloat", "t", "1.5"}) == bulk("11.5"));
  BOOST_TEST(deadline_of(f, "t") == f.now() + 100000);
  BOOST_TEST(!is_raw(f, "t"));
  f.advance_time(100000);
  BOOST_TEST(f.run({"incrbyfloat", "t", "1.5"}) == bulk("1.5"));
}

// ---------------------------------------------------------------------------
// The table rows, as Redis 7.0's COMMAND INFO reports them.

BOOST_AUTO_TEST_CASE(command_table_rows) {
  using namespace vireo;
  CommandFixture f;
  struct Row {
    const char* name;
    int arity;
    uint32_t flags;
    int first, last, step;
    uint32_t acl;
  };
  constexpr uint32_t rf = kAclRead | kAclString | kAclFast;
  constexpr uint32_t rs = kAclRead | kAclString | kAclSlow;
  constexpr uint32_t wf = kAclWrite | kAclString | kAclFast;
  constexpr uint32_t ws = kAclWrite | kAclString | kAclSlow;
  const Row rows[] = {
      {"get", 2, kReadonly | kFast, 1, 1, 1, rf},
      {"set", -3, kWrite | kDenyOom, 1, 1, 1, ws},
      {"setnx", 3, kWrite | kDenyOom | kFast, 1, 1, 1, wf},
      {"setex", 4, kWrite | kDenyOom, 1, 1, 1, ws},
      {"psetex", 4, kWrite | kDenyOom, 1, 1, 1, ws},
      {"mget", -2, kReadonly | kFast, 1, -1, 1, rf},
      {"mset", -3, kWrite | kDenyOom, 1, -1, 2, ws},
      {"msetnx", -3, kWrite | kDenyOom, 1, -1, 2, ws},
      {"getset", 3, kWrite | kDenyOom | kFast, 1, 1, 1, wf},
      {"getdel", 2, kWrite | kFast, 1, 1, 1, wf},
      {"getex", -2, kWrite | kFast, 1, 1, 1, wf},
      {"append", 3, kWrite | kDenyOom | kFast, 1, 1, 1, wf},
      {"strlen", 2, kReadonly | kFast, 1, 1, 1, rf},
      {"incr", 2, kWrite | kDenyOom | kFast, 1, 1, 1, wf},
      {"decr", 2, kWrite | kDenyOom | kFast, 1, 1, 1, wf},
      {"incrby", 3, kWrite | kDenyOom | kFast, 1, 1, 1, wf},
      {"decrby", 3, kWrite | kDenyOom | kFast, 1, 1, 1, wf},
      {"incrbyfloat", 3, kWrite | kDenyOom | kFast, 1, 1, 1, wf},
      {"getrange", 4, kReadonly, 1, 1, 1, rs},
      {"setrange", 4, kWrite | kDenyOom, 1, 1, 1, ws},
      {"substr", 4, kReadonly, 1, 1, 1, rs},
      {"lcs", -3, kReadonly, 1, 2, 1, rs},
  };
  BOOST_TEST(string_commands().size() == std::size(rows));
  for (const Row& row : rows) {
    BOOST_TEST_CONTEXT(row.name) {
      const Command* cmd = f.table().find(row.name);
      BOOST_REQUIRE(cmd);
      const CommandSpec& spec = *cmd->spec;
      BOOST_TEST(spec.arity == row.arity);
      BOOST_TEST(spec.flags == row.flags);
      LegacyKeyRange keys = legacy_key_range(spec);
      BOOST_TEST(keys.first == row.first);
      BOOST_TEST(keys.last == row.last);
      BOOST_TEST(keys.step == row.step);
      BOOST_TEST(spec.acl == row.acl);
      BOOST_TEST(spec.group == "string");
      BOOST_TEST(!spec.summary.empty());
    }
  }
}

// ---------------------------------------------------------------------------
// Keyspace notifications, as redis-server 7.0.15 publishes them with
// notify-keyspace-events KEA

BOOST_AUTO_TEST_CASE(set_publishes_set_then_expire_and_nothing_when_refused) {
  CommandFixture f;
  put_list(f, "L");
  f.set_notify_flags(kNotifyKEA);
  f.run({"set", "k", "v", "ex", "100"});
  f.run({"set", "k", "w", "keepttl"});
  f.run({"set", "k", "x", "px", "5000", "get"});
  f.run({"set", "L", "v"});  // replaces another type: still only "set"
  BOOST_TEST(f.take_notifications() == kea_events({{"set", "k"},
                                                   {"expire", "k"},
                                                   {"set", "k"},
                                                   {"set", "k"},
                                                   {"expire", "k"},
                                                   {"set", "L"}}));
  BOOST_TEST(f.run({"set", "k", "v", "nx"}) == kNull);
  BOOST_TEST(f.run({"set", "nokey", "v", "xx"}) == kNull);
  BOOST_TEST(f.run({"set", "k", "v", "exat", "1", "nx"}) == kNull);
  BOOST_TEST(f.run({"set", "k", "v", "ex", "0"}) ==
             error("ERR invalid expire time in 'set' command"));
  put_list(f, "L2");
  f.take_notifications();
  BOOST_TEST(f.run({"set", "L2", "v", "get"}) == kWrongType);
  BOOST_TEST(f.take_notifications().empty());
}

// Redis stores a value whose deadline has passed and reclaims it at the next
// lookup; Vireo never stores it, but publishes the same events at once.
BOOST_AUTO_TEST_CASE(set_with_a_past_deadline_publishes_the_store_and_the_expiry) {
  CommandFixture f;
  f.run({"set", "k", "old"});
  f.set_notify_flags(kNotifyKEA | vireo::notify::kNew);
  BOOST_TEST(f.run({"set", "k", "v", "exat", "1"}) == kOk);
  BOOST_TEST(f.take_notifications() ==
             kea_events({{"set", "k"}, {"expire", "k"}, {"expired", "k"}}));
  BOOST_TEST(f.run({"set", "n", "v", "pxat", "1", "get"}) == kNull);
  BOOST_TEST(f.take_notifications() ==
             kea_events({{"new", "n"}, {"set", "n"}, {"expire", "n"}, {"expired", "n"}}));
  BOOST_TEST(f.run({"exists", "k", "n"}) == integer(0));
  BOOST_TEST(f.take_notifications().empty());
}

// Replacing a value of another type overwrites the key: it is not "new".
BOOST_AUTO_TEST_CASE(set_over_another_type_publishes_no_new) {
  CommandFixture f;
  put_list(f, "L");
  put_list(f, "M");
  f.run({"expire", "M", "100"});
  f.set_notify_flags(kNotifyKEA | vireo::notify::kNew);
  BOOST_TEST(f.run({"set", "L", "v", "ex", "100"}) == kOk);
  BOOST_TEST(f.run({"mset", "M", "w"}) == kOk);
  BOOST_TEST(f.take_notifications() == kea_events({{"set", "L"}, {"expire", "L"}, {"set", "M"}}));
  BOOST_TEST(f.run({"get", "L"}) == bulk("v"));
  BOOST_TEST(f.run({"get", "M"}) == bulk("w"));
  BOOST_TEST(f.run({"ttl", "L"}) == integer(100));
  BOOST_TEST(f.run({"ttl", "M"}) == integer(-1));
  put_list(f, "K");
  f.run({"expire", "K", "50"});
  BOOST_TEST(f.run({"set", "K", "v", "keepttl"}) == kOk);
  BOOST_TEST(f.run({"ttl", "K"}) == integer(50));
}

BOOST_AUTO_TEST_CASE(setnx_setex_psetex_getset_publish_set) {
  CommandFixture f;
  f.set_notify_flags(kNotifyKEA);
  BOOST_TEST(f.run({"setnx", "a", "1"}) == integer(1));
  BOOST_TEST(f.run({"setnx", "a", "2"}) == integer(0));
  BOOST_TEST(f.run({"setex", "b", "100", "v"}) == kOk);
  BOOST_TEST(f.run({"psetex", "c", "100000", "v"}) == kOk);
  BOOST_TEST(f.run({"setex", "d", "0", "v"}) ==
             error("ERR invalid expire time in 'setex' command"));
  BOOST_TEST(f.run({"getset", "a", "3"}) == bulk("1"));
  BOOST_TEST(f.take_notifications() == kea_events({{"set", "a"},
                                                   {"set", "b"},
                                                   {"expire", "b"},
                                                   {"set", "c"},
                                                   {"expire", "c"},
                                                   {"set", "a"}}));
}

BOOST_AUTO_TEST_CASE(mset_publishes_set_per_pair_and_msetnx_nothing_when_refused) {
  CommandFixture f;
  f.set_notify_flags(kNotifyKEA);
  BOOST_TEST(f.run({"mset", "a", "1", "b", "2", "a", "3"}) == kOk);
  BOOST_TEST(f.take_notifications() == kea_events({{"set", "a"}, {"set", "b"}, {"set", "a"}}));
  BOOST_TEST(f.run({"msetnx", "a", "1", "c", "2"}) == integer(0));
  BOOST_TEST(f.take_notifications().empty());
  BOOST_TEST(f.run({"msetnx", "c", "1", "d", "2"}) == integer(1));
  BOOST_TEST(f.take_notifications() == kea_events({{"set", "c"}, {"set", "d"}}));
}

BOOST_AUTO_TEST_CASE(counters_publish_incrby_or_incrbyfloat_on_success_only) {
  CommandFixture f;
  f.run({"set", "s", "abc"});
  f.set_notify_flags(kNotifyKEA);
  f.run({"incr", "c"});
  f.run({"decr", "c"});
  f.run({"incrby", "c", "0"});
  f.run({"decrby", "c", "2"});
  f.run({"incrbyfloat", "c", "1.5"});
  BOOST_TEST(f.take_notifications() == kea_events({{"incrby", "c"},
                                                   {"incrby", "c"},
                                                   {"incrby", "c"},
                                                   {"incrby", "c"},
                                                   {"incrbyfloat", "c"}}));
  BOOST_TEST(f.run({"incrby", "c", "1"}) == kNotInteger);
  BOOST_TEST(f.run({"incr", "s"}) == kNotInteger);
  BOOST_TEST(f.run({"incrbyfloat", "s", "1"}) == kNotFloat);
  BOOST_TEST(f.run({"incrbyfloat", "c", "x"}) == kNotFloat);
  BOOST_TEST(f.take_notifications().empty());
}

// APPEND publishes even when it appends nothing (and then creates an empty
// string when the key is absent); SETRANGE of nothing publishes nothing.
BOOST_AUTO_TEST_CASE(append_and_setrange_publish_their_names) {
  CommandFixture f;
  f.set_notify_flags(kNotifyKEA);
  BOOST_TEST(f.run({"append", "a", "x"}) == integer(1));
  BOOST_TEST(f.run({"append", "a", "y"}) == integer(2));
  BOOST_TEST(f.run({"append", "a", ""}) == integer(2));
  BOOST_TEST(f.run({"append", "b", ""}) == integer(0));
  BOOST_TEST(f.run({"exists", "b"}) == integer(1));
  BOOST_TEST(f.run({"setrange", "r", "2", "xy"}) == integer(4));
  BOOST_TEST(f.run({"setrange", "r", "0", ""}) == integer(4));
  BOOST_TEST(f.run({"setrange", "q", "0", ""}) == integer(0));
  BOOST_TEST(f.run({"setrange", "r", "0", "ab"}) == integer(4));
  BOOST_TEST(f.take_notifications() == kea_events({{"append", "a"},
                                                   {"append", "a"},
                                                   {"append", "a"},
                                                   {"append", "b"},
                                                   {"setrange", "r"},
                                                   {"setrange", "r"}}));
}

BOOST_AUTO_TEST_CASE(getdel_and_getex_publish_what_they_change) {
  CommandFixture f;
  f.run({"set", "k", "v"});
  f.run({"set", "d", "v"});
  f.set_notify_flags(kNotifyKEA);
  BOOST_TEST(f.run({"getex", "k"}) == bulk("v"));
  BOOST_TEST(f.run({"getex", "k", "persist"}) == bulk("v"));  // had no deadline
  BOOST_TEST(f.run({"getex", "nokey", "ex", "5"}) == kNull);
  BOOST_TEST(f.take_notifications().empty());
  BOOST_TEST(f.run({"getex", "k", "ex", "100"}) == bulk("v"));
  BOOST_TEST(f.run({"getex", "k", "persist"}) == bulk("v"));
  BOOST_TEST(f.run({"getex", "k", "pxat", "1"}) == bulk("v"));
  BOOST_TEST(f.run({"getdel", "d"}) == bulk("v"));
  BOOST_TEST(f.run({"getdel", "d"}) == kNull);
  BOOST_TEST(f.take_notifications() ==
             kea_events({{"expire", "k"}, {"persist", "k"}, {"del", "k"}, {"del", "d"}}));
}

BOOST_AUTO_TEST_SUITE_END()
