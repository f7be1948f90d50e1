// Hash commands. Every expected reply was checked byte for byte against
// redis-server 7.0.15 (RESP2 and, where it differs, RESP3). Replies that list a
// whole hash use listpack-encoded hashes, whose order (insertion) is Redis's too.
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "tests/core/command_fixture.h"

using namespace vireo::test;

namespace {

const std::string kNotFloat = error("ERR value is not a valid float");
const std::string kNull3 = "_\r\n";
const std::string kEmptyArray = "*0\r\n";
const std::string kEmptyScan = "*2\r\n$1\r\n0\r\n*0\r\n";

std::string arity(std::string_view name) {
  return error("ERR wrong number of arguments for '" + std::string(name) + "' command");
}

// A fixture with a string at "s" and no effects pending.
CommandFixture& with_string(CommandFixture& f) {
  f.run({"set", "s", "v"});
  f.take_effects();
  return f;
}

// The fields of a reply that is an array of bulk strings, sorted.
std::vector<std::string> sorted_bulks(std::string_view reply) {
  std::vector<std::string> out;
  size_t pos = reply.find("\r\n") + 2;  // past the array header
  while (pos < reply.size()) {
    BOOST_REQUIRE(reply[pos] == '$');
    size_t eol = reply.find("\r\n", pos);
    size_t len = std::stoul(std::string(reply.substr(pos + 1, eol - pos - 1)));
    out.emplace_back(reply.substr(eol + 2, len));
    pos = eol + 2 + len + 2;
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(hashes)

// ---------------------------------------------------------------------------
// HSET HMSET HSETNX HGET HMGET

BOOST_AUTO_TEST_CASE(hset_counts_new_fields_and_propagates_itself) {
  CommandFixture f;
  BOOST_TEST(f.run({"hset", "h", "a", "1", "b", "2"}) == integer(2));
  BOOST_TEST(f.run({"HSET", "h", "a", "10", "c", "3"}) == integer(1));
  // Rewriting the same value still counts as a write, as in Redis.
  BOOST_TEST(f.run({"hset", "h", "a", "10"}) == integer(0));
  BOOST_TEST(f.run({"hget", "h", "a"}) == bulk("10"));
  BOOST_TEST(f.run({"hget", "h", "c"}) == bulk("3"));
  BOOST_TEST(f.run({"hget", "h", "x"}) == kNull);
  BOOST_TEST(f.run({"hget", "nokey", "x"}) == kNull);
  BOOST_TEST((f.take_effects() == Effects{{"SELECT", "0"},
                                          {"HSET", "h", "a", "1", "b", "2"},
                                          {"HSET", "h", "a", "10", "c", "3"},
                                          {"HSET", "h", "a", "10"}}));
  f.set_protocol(3);
  BOOST_TEST(f.run({"hget", "h", "x"}) == kNull3);
}

BOOST_AUTO_TEST_CASE(hset_and_hmset_arity) {
  CommandFixture f;
  BOOST_TEST(f.run({"hset", "h", "a"}) == arity("hset"));
  BOOST_TEST(f.run({"hset", "h", "a", "1", "b"}) == arity("hset"));
  BOOST_TEST(f.run({"hmset", "h", "a"}) == arity("hmset"));
  BOOST_TEST(f.run({"hmset", "h", "a", "1", "b"}) == arity("hmset"));
  BOOST_TEST(f.run({"hget", "h"}) == arity("hget"));
  BOOST_TEST(f.run({"hdel", "h"}) == arity("hdel"));
  BOOST_TEST(f.run({"exists", "h"}) == integer(0));
  BOOST_TEST(f.take_effects().empty());
}

BOOST_AUTO_TEST_CASE(hmset_replies_ok) {
  CommandFixture f;
  BOOST_TEST(f.run({"hmset", "h", "a", "1", "b", "2"}) == kOk);
  BOOST_TEST(f.run({"hmget", "h", "a", "x", "b"}) == array({bulk("1"), kNull, bulk("2")}));
  BOOST_TEST((f.take_effects() == Effects{{"SELECT", "0"}, {"HMSET", "h", "a", "1", "b", "2"}}));
}

BOOST_AUTO_TEST_CASE(hmget_missing_key_and_resp3) {
  CommandFixture f;
  BOOST_TEST(f.run({"hmget", "nokey", "a", "b"}) == "*2\r\n$-1\r\n$-1\r\n");
  f.run({"hset", "h", "a", "1"});
  f.set_protocol(3);
  BOOST_TEST(f.run({"hmget", "h", "a", "x"}) == "*2\r\n$1\r\n1\r\n_\r\n");
}

BOOST_AUTO_TEST_CASE(hsetnx_sets_only_absent_fields) {
  CommandFixture f;
  BOOST_TEST(f.run({"hsetnx", "h", "a", "1"}) == integer(1));
  BOOST_TEST(f.run({"hsetnx", "h", "a", "2"}) == integer(0));
  BOOST_TEST(f.run({"hsetnx", "h", "b", "3"}) == integer(1));
  BOOST_TEST(f.run({"hget", "h", "a"}) == bulk("1"));
  // Nothing changed, nothing propagated.
  BOOST_TEST((f.take_effects() ==
              Effects{{"SELECT", "0"}, {"HSETNX", "h", "a", "1"}, {"HSETNX", "h", "b", "3"}}));
}

BOOST_AUTO_TEST_CASE(binary_fields_and_values) {
  CommandFixture f;
  const std::string field("f\0\r\n", 4), value("v\0x", 3);
  BOOST_TEST(f.run(std::vector<std::string>{"hset", "h", field, value}) == integer(1));
  BOOST_TEST(f.run(std::vector<std::string>{"hget", "h", field}) == bulk(value));
  BOOST_TEST(f.run({"hget", "h", "f"}) == kNull);
}

// ---------------------------------------------------------------------------
// HDEL HEXISTS HLEN HSTRLEN

BOOST_AUTO_TEST_CASE(hdel_removes_and_deletes_the_emptied_key) {
  CommandFixture f;
  f.run({"hset", "h", "a", "1", "b", "2", "c", "3"});
  f.take_effects();
  BOOST_TEST(f.run({"hdel", "h", "zz", "yy"}) == integer(0));
  BOOST_TEST(f.run({"hdel", "nokey", "a"}) == integer(0));
  BOOST_TEST(f.run({"hdel", "h", "a", "a", "x"}) == integer(1));
  BOOST_TEST(f.run({"hlen", "h"}) == integer(2));
  BOOST_TEST(f.run({"hdel", "h", "b", "c", "d"}) == integer(2));
  BOOST_TEST(f.run({"exists", "h"}) == integer(0));
  BOOST_TEST(
      (f.take_effects() == Effects{{"HDEL", "h", "a", "a", "x"}, {"HDEL", "h", "b", "c", "d"}}));
}

BOOST_AUTO_TEST_CASE(hdel_empties_a_hashtable_too) {
  CommandFixture f;
  f.limits().containers.hash_max_listpack_entries = 0;
  f.run({"hset", "h", "a", "1", "b", "2"});
  BOOST_TEST(f.run({"object", "encoding", "h"}) == bulk("hashtable"));
  BOOST_TEST(f.run({"hdel", "h", "a", "b"}) == integer(2));
  BOOST_TEST(f.run({"type", "h"}) == simple("none"));
}

BOOST_AUTO_TEST_CASE(hexists_hlen_hstrlen) {
  CommandFixture f;
  f.run({"hset", "h", "a", "hello", "e", ""});
  BOOST_TEST(f.run({"hexists", "h", "a"}) == integer(1));
  BOOST_TEST(f.run({"hexists", "h", "x"}) == integer(0));
  BOOST_TEST(f.run({"hexists", "nokey", "x"}) == integer(0));
  BOOST_TEST(f.run({"hlen", "h"}) == integer(2));
  BOOST_TEST(f.run({"hlen", "nokey"}) == integer(0));
  BOOST_TEST(f.run({"hstrlen", "h", "a"}) == integer(5));
  BOOST_TEST(f.run({"hstrlen", "h", "e"}) == integer(0));
  BOOST_TEST(f.run({"hstrlen", "h", "x"}) == integer(0));
  BOOST_TEST(f.run({"hstrlen", "nokey", "x"}) == integer(0));
  BOOST_TEST(f.run({"hexists", "h"}) == arity("hexists"));
  BOOST_TEST(f.run({"hstrlen", "h"}) == arity("hstrlen"));
}

// ---------------------------------------------------------------------------
// HKEYS HVALS HGETALL

BOOST_AUTO_TEST_CASE(whole_hash_replies_in_both_protocols) {
  CommandFixture f;
  f.run({"hset", "h", "a", "1", "b", "2"});
  BOOST_TEST(f.run({"hkeys", "h"}) == array({bulk("a"), bulk("b")}));
  BOOST_TEST(f.run({"hvals", "h"}) == array({bulk("1"), bulk("2")}));
  BOOST_TEST(f.run({"hgetall", "h"}) == array({bulk("a"), bulk("1"), bulk("b"), bulk("2")}));
  BOOST_TEST(f.run({"hgetall", "nokey"}) == kEmptyArray);
  BOOST_TEST(f.run({"hkeys", "nokey"}) == kEmptyArray);
  BOOST_TEST(f.run({"hvals", "nokey"}) == kEmptyArray);
  f.set_protocol(3);
  BOOST_TEST(f.run({"hgetall", "h"}) == "%2\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n");
  BOOST_TEST(f.run({"hgetall", "nokey"}) == "%0\r\n");
  BOOST_TEST(f.run({"hkeys", "h"}) == array({bulk("a"), bulk("b")}));
  BOOST_TEST(f.run({"hkeys", "nokey"}) == kEmptyArray);
}

BOOST_AUTO_TEST_CASE(whole_hash_replies_of_a_hashtable) {
  CommandFixture f;
  f.limits().containers.hash_max_listpack_entries = 2;
  f.run({"hset", "h", "a", "1", "b", "2", "c", "3"});
  BOOST_TEST(f.run({"object", "encoding", "h"}) == bulk("hashtable"));
  BOOST_TEST((sorted_bulks(f.run({"hkeys", "h"})) == std::vector<std::string>{"a", "b", "c"}));
  BOOST_TEST((sorted_bulks(f.run({"hvals", "h"})) == std::vector<std::string>{"1", "2", "3"}));
  BOOST_TEST((sorted_bulks(f.run({"hgetall", "h"})) ==
              std::vector<std::string>{"1", "2", "3", "a", "b", "c"}));
}

// ---------------------------------------------------------------------------
// HINCRBY HINCRBYFLOAT

BOOST_AUTO_TEST_CASE(hincrby_counts_and_checks) {
  CommandFixture f;
  BOOST_TEST(f.run({"hincrby", "h", "n", "5"}) == integer(5));
  BOOST_TEST(f.run({"hincrby", "h", "n", "-7"}) == integer(-2));
  BOOST_TEST(f.run({"hincrby", "h", "n", "x"}) == kNotInteger);
  BOOST_TEST(f.run({"hincrby", "h", "n", "1.5"}) == kNotInteger);
  f.run({"hset", "h", "max", "9223372036854775807", "fl", "1.5", "sp", " 1", "e", ""});
  f.take_effects();
  BOOST_TEST(f.run({"hincrby", "h", "max", "1"}) ==
             error("ERR increment or decrement would overflow"));
  BOOST_TEST(f.run({"hincrby", "h", "max", "-1"}) == integer(9223372036854775806));
  for (const char* field : {"fl", "sp", "e"})
    BOOST_TEST(f.run({"hincrby", "h", field, "1"}) == error("ERR hash value is not an integer"));
  BOOST_TEST(f.run({"hget", "h", "n"}) == bulk("-2"));
  BOOST_TEST((f.take_effects() == Effects{{"HINCRBY", "h", "max", "-1"}}));
  f.run({"hset", "m", "min", "-9223372036854775808"});
  BOOST_TEST(f.run({"hincrby", "m", "min", "-1"}) ==
             error("ERR increment or decrement would overflow"));
}

BOOST_AUTO_TEST_CASE(hincrbyfloat_formats_like_redis_and_propagates_hset) {
  CommandFixture f;
  BOOST_TEST(f.run({"hincrbyfloat", "h", "x", "10.5"}) == bulk("10.5"));
  BOOST_TEST(f.run({"hincrbyfloat", "h", "x", "0.1"}) == bulk("10.6"));
  BOOST_TEST(f.run({"hincrbyfloat", "h", "x", "-10.6"}) == bulk("0"));
  BOOST_TEST(f.run({"hincrbyfloat", "h", "y", "3.0"}) == bulk("3"));
  BOOST_TEST(f.run({"hincrbyfloat", "h", "z", "-0.0"}) == bulk("0"));
  BOOST_TEST(f.run({"hincrbyfloat", "h", "w", "5e3"}) == bulk("5000"));
  BOOST_TEST((f.take_effects() == Effects{{"SELECT", "0"},
                                          {"HSET", "h", "x", "10.5"},
                                          {"HSET", "h", "x", "10.6"},
                                          {"HSET", "h", "x", "0"},
                                          {"HSET", "h", "y", "3"},
                                          {"HSET", "h", "z", "0"},
                                          {"HSET", "h", "w", "5000"}}));
  f.run({"hset", "h", "n", "9223372036854775806"});
  BOOST_TEST(f.run({"hincrbyfloat", "h", "n", "1"}) == bulk("9223372036854775807"));
}

BOOST_AUTO_TEST_CASE(hincrbyfloat_errors) {
  CommandFixture f;
  with_string(f);
  // The increment is checked before the key's type.
  BOOST_TEST(f.run({"hincrbyfloat", "s", "a", "x"}) == kNotFloat);
  BOOST_TEST(f.run({"hincrbyfloat", "s", "a", "inf"}) == error("ERR value is NaN or Infinity"));
  BOOST_TEST(f.run({"hincrbyfloat", "s", "a", "1"}) == kWrongType);
  BOOST_TEST(f.run({"hincrbyfloat", "h", "a", "-inf"}) == error("ERR value is NaN or Infinity"));
  BOOST_TEST(f.run({"hincrbyfloat", "h", "a", "nan"}) == kNotFloat);
  BOOST_TEST(f.run({"hincrbyfloat", "h", "a", "1e5000"}) == kNotFloat);
  BOOST_TEST(f.run({"exists", "h"}) == integer(0));
  f.run({"hset", "h", "sp", " 1", "e", "", "big", "1e4932"});
  BOOST_TEST(f.run({"hincrbyfloat", "h", "sp", "1"}) == error("ERR hash value is not a float"));
  BOOST_TEST(f.run({"hincrbyfloat", "h", "e", "1"}) == error("ERR hash value is not a float"));
  BOOST_TEST(f.run({"hincrbyfloat", "h", "big", "1e4932"}) ==
             error("ERR increment would produce NaN or Infinity"));
  BOOST_TEST(f.run({"hget", "h", "big"}) == bulk("1e4932"));
  f.take_effects();
  BOOST_TEST(f.run({"hincrbyfloat", "h", "a"}) == arity("hincrbyfloat"));
  BOOST_TEST(f.take_effects().empty());
}

BOOST_AUTO_TEST_CASE(counters_convert_for_long_fields_and_values) {
  CommandFixture f;
  f.run({"hset", "h", "a", "1"});
  f.run({"hincrby", "h", std::string(65, 'f'), "1"});
  BOOST_TEST(f.run({"object", "encoding", "h"}) == bulk("hashtable"));
  f.run({"hset", "g", "a", "1"});
  // A 71-digit result is longer than hash-max-listpack-value.
  BOOST_TEST(f.run({"hincrbyfloat", "g", "a", "1e70"}) ==
             bulk("10000000000000000000222479489586148259025995410601157579323600873193472"));
  BOOST_TEST(f.run({"object", "encoding", "g"}) == bulk("hashtable"));
}

// ---------------------------------------------------------------------------
// HRANDFIELD

BOOST_AUTO_TEST_CASE(hrandfield_without_count) {
  CommandFixture f;
  BOOST_TEST(f.run({"hrandfield", "nokey"}) == kNull);
  f.run({"hset", "h", "only", "1"});
  BOOST_TEST(f.run({"hrandfield", "h"}) == bulk("only"));
  f.take_effects();
  f.set_protocol(3);
  BOOST_TEST(f.run({"hrandfield", "nokey"}) == kNull3);
  BOOST_TEST(f.take_effects().empty());
}

BOOST_AUTO_TEST_CASE(hrandfield_with_count_shapes) {
  CommandFixture f;
  f.run({"hset", "h", "a", "1"});
  f.take_effects();
  BOOST_TEST(f.run({"hrandfield", "h", "1"}) == array({bulk("a")}));
  BOOST_TEST(f.run({"hrandfield", "h", "5"}) == array({bulk("a")}));
  BOOST_TEST(f.run({"hrandfield", "h", "-2"}) == array({bulk("a"), bulk("a")}));
  BOOST_TEST(f.run({"hrandfield", "h", "1", "WITHVALUES"}) == array({bulk("a"), bulk("1")}));
  BOOST_TEST(f.run({"hrandfield", "h", "-2", "withvalues"}) ==
             array({bulk("a"), bulk("1"), bulk("a"), bulk("1")}));
  BOOST_TEST(f.run({"hrandfield", "h", "0"}) == kEmptyArray);
  BOOST_TEST(f.run({"hrandfield", "h", "0", "withvalues"}) == kEmptyArray);
  BOOST_TEST(f.run({"hrandfield", "nokey", "3"}) == kEmptyArray);
  BOOST_TEST(f.run({"hrandfield", "nokey", "-3", "withvalues"}) == kEmptyArray);
  f.set_protocol(3);
  BOOST_TEST(f.run({"hrandfield", "h", "1", "withvalues"}) == "*1\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n");
  BOOST_TEST(f.run({"hrandfield", "h", "-2", "withvalues"}) ==
             "*2\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n");
  BOOST_TEST(f.run({"hrandfield", "h", "-2"}) == "*2\r\n$1\r\na\r\n$1\r\na\r\n");
  BOOST_TEST(f.run({"hrandfield", "nokey", "-2", "withvalues"}) == kEmptyArray);
  BOOST_TEST(f.take_effects().empty());
}

BOOST_AUTO_TEST_CASE(hrandfield_counts_pick_distinct_or_repeated_fields) {
  for (int64_t entries : {128, 0}) {
    CommandFixture f;
    f.limits().containers.hash_max_listpack_entries = entries;
    std::vector<std::string> args{"hset", "h"};
    std::vector<std::string> all;
    for (int i = 0; i < 50; ++i) {
      all.push_back("f" + std::to_string(i));
      args.push_back(all.back());
      args.push_back("v" + std::to_string(i));
    }
    f.run(args);
    std::sort(all.begin(), all.end());
    for (const char* count : {"3", "20", "49"}) {
      auto fields = sorted_bulks(f.run({"hrandfield", "h", count}));
      BOOST_TEST(fields.size() == std::stoul(count));
      BOOST_TEST(std::set<std::string>(fields.begin(), fields.end()).size() == fields.size());
    }
    BOOST_TEST(sorted_bulks(f.run({"hrandfield", "h", "50"})) == all);
    BOOST_TEST(sorted_bulks(f.run({"hrandfield", "h", "500"})) == all);
    BOOST_TEST(sorted_bulks(f.run({"hrandfield", "h", "-500"})).size() == 500u);
    // Each value comes right after its field.
    std::string reply = f.run({"hrandfield", "h", "-30", "withvalues"});
    BOOST_TEST(sorted_bulks(reply).size() == 60u);
    for (int i = 0; i < 50; ++i) {
      std::string pair = bulk("f" + std::to_string(i)) + bulk("v" + std::to_string(i));
      std::string field = bulk("f" + std::to_string(i));
      size_t at = reply.find(field);
      if (at != std::string::npos) BOOST_TEST(reply.compare(at, pair.size(), pair) == 0);
    }
  }
}

BOOST_AUTO_TEST_CASE(hrandfield_errors_in_redis_order) {
  CommandFixture f;
  with_string(f);
  f.run({"hset", "h", "a", "1"});
  // The count first, then the syntax, then the range, then the key's type.
  BOOST_TEST(f.run({"hrandfield", "s", "x"}) == kNotInteger);
  BOOST_TEST(f.run({"hrandfield", "nokey", "x", "foo"}) == kNotInteger);
  BOOST_TEST(f.run({"hrandfield", "s", "1", "foo"}) == kSyntax);
  BOOST_TEST(f.run({"hrandfield", "h", "1", "withvalues", "x"}) == kSyntax);
  BOOST_TEST(f.run({"hrandfield", "nokey", "4611686018427387904", "foo"}) == kSyntax);
  BOOST_TEST(f.run({"hrandfield", "s", "4611686018427387904", "withvalues"}) ==
             error("ERR value is out of range"));
  BOOST_TEST(f.run({"hrandfield", "h", "-4611686018427387904", "withvalues"}) ==
             error("ERR value is out of range"));
  BOOST_TEST(f.run({"hrandfield", "h", "4611686018427387903", "withvalues"}) ==
             array({bulk("a"), bulk("1")}));
  BOOST_TEST(f.run({"hrandfield", "nokey", "-9223372036854775808"}) ==
             error("ERR value is out of range, value must between -9223372036854775807 and "
                   "9223372036854775807"));
  // Redis 7.0 tries to build this reply and dies; Vireo refuses it.
  BOOST_TEST(f.run({"hrandfield", "h", "-9223372036854775807"}) ==
             error("ERR value is out of range"));
  BOOST_TEST(f.run({"hrandfield", "s"}) == kWrongType);
  BOOST_TEST(f.run({"hrandfield", "s", "1"}) == kWrongType);
  BOOST_TEST(f.run({"hrandfield"}) == arity("hrandfield"));
}

// ---------------------------------------------------------------------------
// HSCAN

BOOST_AUTO_TEST_CASE(hscan_listpack_replies_whole) {
  CommandFixture f;
  f.run({"hset", "h", "a", "1", "nb", "2", "nc", "3"});
  const std::string all = "*2\r\n$1\r\n0\r\n" + array({bulk("a"), bulk("1"), bulk("nb"), bulk("2"),
                                                       bulk("nc"), bulk("3")});
  BOOST_TEST(f.run({"hscan", "h", "0"}) == all);
  BOOST_TEST(f.run({"hscan", "h", "123", "count", "1"}) == all);
  BOOST_TEST(f.run({"hscan", "h", "0", "match", "n*"}) ==
             "*2\r\n$1\r\n0\r\n" + array({bulk("nb"), bulk("2"), bulk("nc"), bulk("3")}));
  BOOST_TEST(f.run({"hscan", "h", "0", "MATCH", "zz*", "COUNT", "100"}) == kEmptyScan);
  BOOST_TEST(f.run({"hscan", "nokey", "0"}) == kEmptyScan);
  f.set_protocol(3);
  BOOST_TEST(f.run({"hscan", "h", "0", "match", "a"}) ==
             "*2\r\n$1\r\n0\r\n" + array({bulk("a"), bulk("1")}));
}

BOOST_AUTO_TEST_CASE(hscan_errors_in_redis_order) {
  CommandFixture f;
  with_string(f);
  f.run({"hset", "h", "a", "1"});
  BOOST_TEST(f.run({"hscan", "s", "x"}) == error("ERR invalid cursor"));
  BOOST_TEST(f.run({"hscan", "nokey", "x"}) == error("ERR invalid cursor"));
  BOOST_TEST(f.run({"hscan", "h", "18446744073709551616"}) == error("ERR invalid cursor"));
  // A missing key replies the empty scan before options are read.
  BOOST_TEST(f.run({"hscan", "nokey", "0", "foo"}) == kEmptyScan);
  BOOST_TEST(f.run({"hscan", "nokey", "0", "count", "0"}) == kEmptyScan);
  BOOST_TEST(f.run({"hscan", "s", "0", "foo"}) == kWrongType);
  BOOST_TEST(f.run({"hscan", "h", "0", "count", "0"}) == kSyntax);
  BOOST_TEST(f.run({"hscan", "h", "0", "count", "-1"}) == kSyntax);
  BOOST_TEST(f.run({"hscan", "h", "0", "count", "x"}) == kNotInteger);
  BOOST_TEST(f.run({"hscan", "h", "0", "match"}) == kSyntax);
  BOOST_TEST(f.run({"hscan", "h", "0", "novalues"}) == kSyntax);
  BOOST_TEST(f.run({"hscan", "h", "0", "type", "hash"}) == kSyntax);
  BOOST_TEST(f.run({"hscan", "h"}) == arity("hscan"));
}

BOOST_AUTO_TEST_CASE(hscan_hashtable_iterates_with_a_cursor) {
  CommandFixture f;
  f.limits().containers.hash_max_listpack_entries = 0;
  std::set<std::string> expected;
  for (int i = 0; i < 300; ++i) {
    std::string field = "f" + std::to_string(i);
    f.run({"hset", "h", field, "v"});
    expected.insert(field);
  }
  std::set<std::string> seen;
  std::string cursor = "0";
  int calls = 0;
  do {
    std::string reply = f.run({"hscan", "h", cursor, "count", "20"});
    size_t len_end = reply.find("\r\n", 4);
    size_t len = std::stoul(reply.substr(5, len_end - 5));
    cursor = reply.substr(len_end + 2, len);
    std::string rest = reply.substr(len_end + 2 + len + 2);
    for (const std::string& s : sorted_bulks(rest))
      if (s != "v") seen.insert(s);
    ++calls;
  } while (cursor != "0" && calls < 1000);
  BOOST_TEST(cursor == "0");
  BOOST_TEST(calls > 1);
  BOOST_TEST((seen == expected));
}

// ---------------------------------------------------------------------------
// Types, encodings and the generic key commands

BOOST_AUTO_TEST_CASE(every_command_refuses_another_type) {
  CommandFixture f;
  with_string(f);
  const std::vector<std::vector<std::string>> commands = {{"hset", "s", "a", "1"},
                                                          {"hmset", "s", "a", "1"},
                                                          {"hsetnx", "s", "a", "1"},
                                                          {"hget", "s", "a"},
                                                          {"hmget", "s", "a"},
                                                          {"hdel", "s", "a"},
                                                          {"hexists", "s", "a"},
                                                          {"hlen", "s"},
                                                          {"hstrlen", "s", "a"},
                                                          {"hkeys", "s"},
                                                          {"hvals", "s"},
                                                          {"hgetall", "s"},
                                                          {"hincrby", "s", "a", "1"},
                                                          {"hincrbyfloat", "s", "a", "1"},
                                                          {"hrandfield", "s"},
                                                          {"hscan", "s", "0"}};
  for (const auto& c : commands)
    BOOST_TEST(f.run(c) == kWrongType, c[0]);
  BOOST_TEST(f.run({"hincrby", "s", "a", "x"}) == kNotInteger);
  BOOST_TEST(f.take_effects().empty());
  f.run({"hset", "h", "a", "1"});
  BOOST_TEST(f.run({"get", "h"}) == kWrongType);
}

BOOST_AUTO_TEST_CASE(type_encoding_copy_rename) {
  CommandFixture f;
  f.run({"hset", "h", "a", "1", "b", "2"});
  BOOST_TEST(f.run({"type", "h"}) == simple("hash"));
  BOOST_TEST(f.run({"object", "encoding", "h"}) == bulk("listpack"));
  BOOST_TEST(f.run({"copy", "h", "c"}) == integer(1));
  f.run({"hset", "h", "a", "changed"});
  BOOST_TEST(f.run({"hget", "c", "a"}) == bulk("1"));
  BOOST_TEST(f.run({"rename", "c", "r"}) == kOk);
  BOOST_TEST(f.run({"hgetall", "r"}) == array({bulk("a"), bulk("1"), bulk("b"), bulk("2")}));
  BOOST_TEST(f.run({"exists", "c"}) == integer(0));

  f.limits().containers.hash_max_listpack_value = 3;
  f.run({"hset", "h", "long", "value"});
  BOOST_TEST(f.run({"object", "encoding", "h"}) == bulk("hashtable"));
  BOOST_TEST(f.run({"copy", "h", "hc"}) == integer(1));
  BOOST_TEST(f.run({"object", "encoding", "hc"}) == bulk("hashtable"));
  BOOST_TEST(f.run({"hget", "hc", "long"}) == bulk("value"));
  BOOST_TEST(f.run({"hlen", "hc"}) == integer(3));
  BOOST_TEST(f.run({"del", "h", "hc"}) == integer(2));
}

BOOST_AUTO_TEST_CASE(conversion_follows_the_limits_at_write_time) {
  CommandFixture f;
  f.limits().containers.hash_max_listpack_entries = 3;
  f.run({"hset", "h", "a", "1", "b", "2", "c", "3"});
  BOOST_TEST(f.run({"object", "encoding", "h"}) == bulk("listpack"));
  f.run({"hset", "h", "d", "4"});
  BOOST_TEST(f.run({"object", "encoding", "h"}) == bulk("hashtable"));
  // Deleting back under the limit does not convert back.
  f.run({"hdel", "h", "a", "b", "c"});
  BOOST_TEST(f.run({"object", "encoding", "h"}) == bulk("hashtable"));
  f.limits().containers.hash_max_listpack_value = 4;
  f.run({"hset", "g", "abcd", "1234"});
  BOOST_TEST(f.run({"object", "encoding", "g"}) == bulk("listpack"));
  f.run({"hsetnx", "g", "abcde", "1"});
  BOOST_TEST(f.run({"object", "encoding", "g"}) == bulk("hashtable"));
}

BOOST_AUTO_TEST_CASE(effects_replay_to_the_same_hash) {
  CommandFixture f;
  f.run({"hset", "h", "a", "1", "b", "2"});
  f.run({"hincrbyfloat", "h", "a", "0.5"});
  f.run({"hincrby", "h", "n", "3"});
  f.run({"hsetnx", "h", "a", "9"});
  f.run({"hdel", "h", "b", "zz"});
  f.run({"hmset", "h", "c", "3"});
  const std::string expected = f.run({"hgetall", "h"});
  auto effects = f.take_effects();
  CommandFixture replay;
  for (const auto& argv : effects)
    replay.run(argv);
  BOOST_TEST(replay.run({"hgetall", "h"}) == expected);
}

// ---------------------------------------------------------------------------
// Keyspace notifications, as redis-server 7.0.15 publishes them with
// notify-keyspace-events KEA

// HSET publishes even when it adds no field; HMSET and HSETNX publish "hset" too.
BOOST_AUTO_TEST_CASE(hset_and_its_variants_publish_hset) {
  CommandFixture f;
  with_string(f);
  f.set_notify_flags(kNotifyKEA);
  BOOST_TEST(f.run({"hset", "h", "f", "1"}) == integer(1));
  BOOST_TEST(f.run({"hset", "h", "f", "1"}) == integer(0));
  BOOST_TEST(f.run({"hmset", "h", "g", "2"}) == kOk);
  BOOST_TEST(f.run({"hsetnx", "h", "f", "3"}) == integer(0));
  BOOST_TEST(f.run({"hsetnx", "h", "n", "3"}) == integer(1));
  BOOST_TEST(f.run({"hsetnx", "h2", "n", "3"}) == integer(1));
  BOOST_TEST(f.run({"hset", "s", "f", "v"}) == kWrongType);
  BOOST_TEST(f.run({"hset", "h", "f"}) == arity("hset"));
  BOOST_TEST(
      f.take_notifications() ==
      kea_events({{"hset", "h"}, {"hset", "h"}, {"hset", "h"}, {"hset", "h"}, {"hset", "h2"}}));
}

BOOST_AUTO_TEST_CASE(hdel_publishes_hdel_then_del_when_emptied) {
  CommandFixture f;
  f.run({"hset", "h", "f", "1", "g", "2", "n", "3"});
  f.set_notify_flags(kNotifyKEA);
  BOOST_TEST(f.run({"hdel", "h", "nope"}) == integer(0));
  BOOST_TEST(f.run({"hdel", "nokey", "f"}) == integer(0));
  BOOST_TEST(f.take_notifications().empty());
  BOOST_TEST(f.run({"hdel", "h", "f", "nope"}) == integer(1));
  BOOST_TEST(f.run({"hdel", "h", "g", "n"}) == integer(2));
  BOOST_TEST(f.take_notifications() == kea_events({{"hdel", "h"}, {"hdel", "h"}, {"del", "h"}}));
}

BOOST_AUTO_TEST_CASE(hash_counters_publish_on_success_only) {
  CommandFixture f;
  f.run({"hset", "h", "f", "1", "s", "abc"});
  f.set_notify_flags(kNotifyKEA);
  BOOST_TEST(f.run({"hincrby", "h", "f", "1"}) == integer(2));
  BOOST_TEST(f.run({"hincrby", "h", "f", "0"}) == integer(2));
  BOOST_TEST(f.run({"hincrbyfloat", "h", "f", "1.5"}) == bulk("3.5"));
  BOOST_TEST(f.run({"hincrby", "h2", "x", "1"}) == integer(1));
  BOOST_TEST(
      f.take_notifications() ==
      kea_events({{"hincrby", "h"}, {"hincrby", "h"}, {"hincrbyfloat", "h"}, {"hincrby", "h2"}}));
  BOOST_TEST(f.run({"hincrby", "h", "s", "1"}) == error("ERR hash value is not an integer"));
  BOOST_TEST(f.run({"hincrbyfloat", "h", "s", "1"}) == error("ERR hash value is not a float"));
  BOOST_TEST(f.run({"hincrby", "h", "f", "x"}) == kNotInteger);
  BOOST_TEST(f.take_notifications().empty());
}

BOOST_AUTO_TEST_SUITE_END()
