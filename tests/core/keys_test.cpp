// The generic key commands. Every expected reply was checked byte for byte
// against redis-server 7.0.15.
#include <boost/test/unit_test.hpp>

#include <set>
#include <string>
#include <vector>

#include "core/lazy_free.h"
#include "tests/core/command_fixture.h"

using namespace vireo;
using namespace vireo::test;
namespace {

// Sets string keys and empties the effect log. The encoder has selected the
// database by then, so later effects carry no SELECT until it changes.
void set_keys(CommandFixture& f, std::initializer_list<std::string_view> keys) {
  for (std::string_view k : keys)
    f.run({"set", k, "v"});
  f.take_effects();
}

// Decodes a SCAN reply: the next cursor, and the keys.
std::pair<std::string, std::vector<std::string>> parse_scan(const std::string& reply) {
  std::vector<std::string> keys;
  size_t pos = reply.find("\r\n") + 2;  // past "*2"
  auto read_line = [&]() {
    size_t end = reply.find("\r\n", pos);
    std::string line = reply.substr(pos, end - pos);
    pos = end + 2;
    return line;
  };
  read_line();  // "$n" of the cursor
  std::string cursor = read_line();
  size_t n = std::stoul(read_line().substr(1));
  for (size_t i = 0; i < n; ++i) {
    size_t len = std::stoul(read_line().substr(1));
    keys.push_back(reply.substr(pos, len));
    pos += len + 2;
  }
  return {cursor, keys};
}

// Sorted keys of a KEYS reply.
std::multiset<std::string> key_set(const std::string& reply) {
  auto [cursor, keys] = parse_scan("*2\r\n$1\r\n0\r\n" + reply);
  return {keys.begin(), keys.end()};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(keys)

BOOST_AUTO_TEST_CASE(del_counts_and_propagates_the_keys_that_existed) {
  CommandFixture f;
  set_keys(f, {"a", "b"});
  BOOST_TEST(f.run({"del", "a", "a", "nokey", "b"}) == integer(2));
  BOOST_TEST((f.take_effects() == Effects{{"DEL", "a", "b"}}));
  BOOST_TEST(f.run({"del", "a"}) == integer(0));
  BOOST_TEST(f.take_effects().empty());
  BOOST_TEST(f.run({"exists", "a", "b"}) == integer(0));
  BOOST_TEST(f.run({"del"}) == error("ERR wrong number of arguments for 'del' command"));
}

BOOST_AUTO_TEST_CASE(del_of_an_expired_key_counts_zero_and_deletes_once) {
  CommandFixture f;
  f.run({"set", "k", "v", "px", "100"});
  f.take_effects();
  f.advance_time(100);
  BOOST_TEST(f.run({"del", "k"}) == integer(0));
  BOOST_TEST((f.take_effects() == Effects{{"DEL", "k"}}));
}

BOOST_AUTO_TEST_CASE(unlink_is_del_propagated_as_unlink) {
  CommandFixture f;
  set_keys(f, {"a", "b"});
  BOOST_TEST(f.run({"unlink", "a", "a", "nokey", "b"}) == integer(2));
  BOOST_TEST((f.take_effects() == Effects{{"UNLINK", "a", "b"}}));
  BOOST_TEST(f.run({"unlink", "a"}) == integer(0));
  BOOST_TEST(f.take_effects().empty());
}

BOOST_AUTO_TEST_CASE(unlink_of_many_keys_frees_them_in_the_background) {
  CommandFixture f;
  std::vector<std::string> unlink = {"unlink"};
  for (int i = 0; i < 1000; ++i) {
    f.keyspace().db(0).put_string("key:" + std::to_string(i), "value", kNoExpiry);
    unlink.push_back("key:" + std::to_string(i));
  }
  const uint64_t freed_before = lazy_free().freed_entries();
  BOOST_TEST(f.run(unlink) == integer(1000));
  BOOST_TEST(f.keyspace().db(0).size() == 0u);
  lazy_free().drain();
  BOOST_TEST(lazy_free().freed_entries() - freed_before == 1000u);
  BOOST_TEST(lazy_free().pending_entries() == 0u);
  unlink[0] = "UNLINK";
  BOOST_TEST((f.take_effects() == Effects{{"SELECT", "0"}, unlink}));
}

BOOST_AUTO_TEST_CASE(exists_counts_repeats_and_touch_counts_existing) {
  CommandFixture f;
  set_keys(f, {"hello"});
  BOOST_TEST(f.run({"exists", "hello", "hello", "nokey"}) == integer(2));
  BOOST_TEST(f.run({"touch", "hello", "hello", "nokey"}) == integer(2));
  BOOST_TEST(f.take_effects().empty());  // TOUCH writes only the access clock
}

BOOST_AUTO_TEST_CASE(type_names_the_value_type) {
  CommandFixture f;
  set_keys(f, {"k"});
  BOOST_TEST(f.run({"type", "k"}) == "+string\r\n");
  BOOST_TEST(f.run({"type", "nokey"}) == "+none\r\n");
  BOOST_TEST(f.run({"type"}) == error("ERR wrong number of arguments for 'type' command"));
}

BOOST_AUTO_TEST_CASE(dbsize_counts_the_selected_database) {
  CommandFixture f;
  BOOST_TEST(f.run({"dbsize"}) == integer(0));
  set_keys(f, {"a", "b", "c"});
  BOOST_TEST(f.run({"dbsize"}) == integer(3));
  f.client().db = 1;
  BOOST_TEST(f.run({"dbsize"}) == integer(0));
}

BOOST_AUTO_TEST_CASE(rename_moves_value_and_deadline) {
  CommandFixture f;
  f.run({"set", "a", "v", "ex", "100"});
  f.take_effects();
  BOOST_TEST(f.run({"rename", "a", "b"}) == kOk);
  BOOST_TEST((f.take_effects() == Effects{{"RENAME", "a", "b"}}));
  BOOST_TEST(f.run({"get", "b"}) == bulk("v"));
  BOOST_TEST(f.run({"exists", "a"}) == integer(0));
  BOOST_TEST(f.run({"pttl", "b"}) == integer(100000));
}

BOOST_AUTO_TEST_CASE(rename_replaces_the_target_and_its_deadline) {
  CommandFixture f;
  f.run({"set", "a", "new"});
  f.run({"set", "b", "old", "ex", "100"});
  BOOST_TEST(f.run({"rename", "a", "b"}) == kOk);
  BOOST_TEST(f.run({"get", "b"}) == bulk("new"));
  BOOST_TEST(f.run({"ttl", "b"}) == integer(-1));
  BOOST_TEST(f.run({"dbsize"}) == integer(1));
}

BOOST_AUTO_TEST_CASE(rename_errors_and_same_key) {
  CommandFixture f;
  BOOST_TEST(f.run({"rename", "nokey", "b"}) == error("ERR no such key"));
  BOOST_TEST(f.run({"renamenx", "nokey", "b"}) == error("ERR no such key"));
  BOOST_TEST(f.run({"rename", "nokey", "nokey"}) == error("ERR no such key"));
  set_keys(f, {"a"});
  BOOST_TEST(f.run({"rename", "a", "a"}) == kOk);
  BOOST_TEST(f.run({"renamenx", "a", "a"}) == integer(0));
  BOOST_TEST(f.take_effects().empty());
  BOOST_TEST(f.run({"rename", "a"}) == error("ERR wrong number of arguments for 'rename' command"));
}

BOOST_AUTO_TEST_CASE(rename_of_an_expired_key_is_no_such_key) {
  CommandFixture f;
  f.run({"set", "a", "v", "px", "10"});
  f.take_effects();
  f.advance_time(10);
  BOOST_TEST(f.run({"rename", "a", "b"}) == error("ERR no such key"));
  BOOST_TEST((f.take_effects() == Effects{{"DEL", "a"}}));
}

BOOST_AUTO_TEST_CASE(renamenx_only_into_a_free_name) {
  CommandFixture f;
  set_keys(f, {"a", "b"});
  BOOST_TEST(f.run({"renamenx", "a", "b"}) == integer(0));
  BOOST_TEST(f.take_effects().empty());
  BOOST_TEST(f.run({"renamenx", "a", "c"}) == integer(1));
  BOOST_TEST((f.take_effects() == Effects{{"RENAMENX", "a", "c"}}));
  BOOST_TEST(f.run({"exists", "a", "c"}) == integer(1));
}

BOOST_AUTO_TEST_CASE(renamenx_over_an_expired_target_succeeds) {
  CommandFixture f;
  f.run({"set", "a", "v"});
  f.run({"set", "b", "w", "px", "10"});
  f.take_effects();
  f.advance_time(10);
  BOOST_TEST(f.run({"renamenx", "a", "b"}) == integer(1));
  BOOST_TEST((f.take_effects() == Effects{{"DEL", "b"}, {"RENAMENX", "a", "b"}}));
  BOOST_TEST(f.run({"get", "b"}) == bulk("v"));
}

BOOST_AUTO_TEST_CASE(rename_keeps_the_encoding) {
  CommandFixture f;
  f.run({"set", "n", "123"});
  f.keyspace().db(0).find("n")->set_raw_flag(true);  // as APPEND leaves it
  f.run({"rename", "n", "m"});
  BOOST_TEST(f.run({"object", "encoding", "m"}) == bulk("raw"));
}

BOOST_AUTO_TEST_CASE(move_between_databases) {
  CommandFixture f;
  f.run({"set", "a", "v", "ex", "100"});
  f.take_effects();
  BOOST_TEST(f.run({"move", "a", "1"}) == integer(1));
  BOOST_TEST((f.take_effects() == Effects{{"MOVE", "a", "1"}}));
  BOOST_TEST(f.run({"exists", "a"}) == integer(0));
  f.client().db = 1;
  BOOST_TEST(f.run({"get", "a"}) == bulk("v"));
  BOOST_TEST(f.run({"ttl", "a"}) == integer(100));
  // Back to 0 where the name is taken: nothing moves.
  f.client().db = 0;
  f.run({"set", "a", "other"});
  f.client().db = 1;
  f.take_effects();
  BOOST_TEST(f.run({"move", "a", "0"}) == integer(0));
  BOOST_TEST(f.run({"move", "nokey", "0"}) == integer(0));
  BOOST_TEST(f.take_effects().empty());
}

BOOST_AUTO_TEST_CASE(move_errors) {
  CommandFixture f;
  set_keys(f, {"a"});
  BOOST_TEST(f.run({"move", "a", "0"}) == error("ERR source and destination objects are the same"));
  BOOST_TEST(f.run({"move", "nokey", "0"}) ==
             error("ERR source and destination objects are the same"));
  BOOST_TEST(f.run({"move", "a", "16"}) == error("ERR DB index is out of range"));
  BOOST_TEST(f.run({"move", "a", "-1"}) == error("ERR DB index is out of range"));
  BOOST_TEST(f.run({"move", "a", "x"}) == error("ERR value is not an integer or out of range"));
}

BOOST_AUTO_TEST_CASE(move_onto_an_expired_key_replaces_it) {
  CommandFixture f;
  f.run({"set", "a", "v"});
  f.client().db = 1;
  f.run({"set", "a", "dead", "px", "10"});
  f.client().db = 0;
  f.take_effects();
  f.advance_time(10);
  BOOST_TEST(f.run({"move", "a", "1"}) == integer(1));
  BOOST_TEST((f.take_effects() == Effects{{"DEL", "a"}, {"SELECT", "0"}, {"MOVE", "a", "1"}}));
}

BOOST_AUTO_TEST_CASE(copy_within_and_across_databases) {
  CommandFixture f;
  f.run({"set", "a", "v", "ex", "100"});
  f.take_effects();
  BOOST_TEST(f.run({"copy", "a", "b"}) == integer(1));
  BOOST_TEST((f.take_effects() == Effects{{"COPY", "a", "b", "DB", "0"}}));
  BOOST_TEST(f.run({"get", "b"}) == bulk("v"));
  BOOST_TEST(f.run({"ttl", "b"}) == integer(100));
  BOOST_TEST(f.run({"copy", "a", "a", "db", "1"}) == integer(1));
  BOOST_TEST(f.run({"copy", "a", "b"}) == integer(0));
  BOOST_TEST(f.run({"copy", "nokey", "c"}) == integer(0));
  f.take_effects();
  f.run({"set", "a", "w"});
  f.take_effects();
  BOOST_TEST(f.run({"copy", "a", "b", "REPLACE"}) == integer(1));
  BOOST_TEST((f.take_effects() == Effects{{"COPY", "a", "b", "DB", "0", "REPLACE"}}));
  BOOST_TEST(f.run({"get", "b"}) == bulk("w"));
  BOOST_TEST(f.run({"ttl", "b"}) == integer(-1));
  f.client().db = 1;
  BOOST_TEST(f.run({"get", "a"}) == bulk("v"));
  BOOST_TEST(f.run({"ttl", "a"}) == integer(100));
}

BOOST_AUTO_TEST_CASE(copy_options_and_errors) {
  CommandFixture f;
  set_keys(f, {"a"});
  BOOST_TEST(f.run({"copy", "a", "a"}) == error("ERR source and destination objects are the same"));
  BOOST_TEST(f.run({"copy", "a", "a", "db", "0"}) ==
             error("ERR source and destination objects are the same"));
  BOOST_TEST(f.run({"copy", "a", "b", "db", "x"}) ==
             error("ERR value is not an integer or out of range"));
  BOOST_TEST(f.run({"copy", "a", "b", "db", "16"}) == error("ERR DB index is out of range"));
  BOOST_TEST(f.run({"copy", "a", "b", "foo"}) == error("ERR syntax error"));
  BOOST_TEST(f.run({"copy", "a", "b", "db"}) == error("ERR syntax error"));
  BOOST_TEST(f.run({"copy", "a", "b", "replace", "replace"}) == integer(1));
  BOOST_TEST(f.run({"copy", "a", "c", "db", "1", "db", "2"}) == integer(1));
  f.client().db = 2;
  BOOST_TEST(f.run({"exists", "c"}) == integer(1));
  BOOST_TEST(f.run({"copy", "a"}) == error("ERR wrong number of arguments for 'copy' command"));
}

BOOST_AUTO_TEST_CASE(copy_keeps_the_encoding) {
  CommandFixture f;
  f.run({"set", "n", "123"});
  BOOST_TEST(f.run({"copy", "n", "n2"}) == integer(1));
  BOOST_TEST(f.run({"object", "encoding", "n2"}) == bulk("int"));
  f.keyspace().db(0).find("n")->set_raw_flag(true);
  BOOST_TEST(f.run({"copy", "n", "n3"}) == integer(1));
  BOOST_TEST(f.run({"object", "encoding", "n3"}) == bulk("raw"));
}

BOOST_AUTO_TEST_CASE(swapdb_exchanges_contents) {
  CommandFixture f;
  f.run({"set", "a", "zero", "ex", "100"});
  f.client().db = 1;
  f.run({"set", "b", "one"});
  f.take_effects();
  BOOST_TEST(f.run({"swapdb", "0", "1"}) == kOk);
  BOOST_TEST((f.take_effects() == Effects{{"SWAPDB", "0", "1"}}));
  BOOST_TEST(f.run({"get", "a"}) == bulk("zero"));
  BOOST_TEST(f.run({"ttl", "a"}) == integer(100));
  BOOST_TEST(f.run({"exists", "b"}) == integer(0));
  f.client().db = 0;
  BOOST_TEST(f.run({"get", "b"}) == bulk("one"));
  BOOST_TEST(f.run({"swapdb", "0", "0"}) == kOk);
  BOOST_TEST(f.take_effects().empty());
}

BOOST_AUTO_TEST_CASE(swapdb_errors) {
  CommandFixture f;
  BOOST_TEST(f.run({"swapdb", "x", "1"}) == error("ERR invalid first DB index"));
  BOOST_TEST(f.run({"swapdb", "1", "x"}) == error("ERR invalid second DB index"));
  BOOST_TEST(f.run({"swapdb", "16", "x"}) == error("ERR invalid second DB index"));
  BOOST_TEST(f.run({"swapdb", "0", "16"}) == error("ERR DB index is out of range"));
  BOOST_TEST(f.run({"swapdb", "-1", "0"}) == error("ERR DB index is out of range"));
  BOOST_TEST(f.run({"swapdb", "0"}) == error("ERR wrong number of arguments for 'swapdb' command"));
}

BOOST_AUTO_TEST_CASE(flushdb_empties_only_the_selected_database) {
  CommandFixture f;
  set_keys(f, {"a", "b"});
  f.client().db = 1;
  set_keys(f, {"c"});
  BOOST_TEST(f.run({"flushdb"}) == kOk);
  BOOST_TEST((f.take_effects() == Effects{{"FLUSHDB"}}));
  BOOST_TEST(f.run({"dbsize"}) == integer(0));
  f.client().db = 0;
  BOOST_TEST(f.run({"dbsize"}) == integer(2));
  BOOST_TEST(f.run({"flushdb", "SYNC"}) == kOk);
  BOOST_TEST(f.run({"dbsize"}) == integer(0));
  BOOST_TEST(f.run({"flushdb", "foo"}) == error("ERR syntax error"));
  BOOST_TEST(f.run({"flushdb", "async", "sync"}) == error("ERR syntax error"));
}

BOOST_AUTO_TEST_CASE(flushall_empties_every_database) {
  CommandFixture f;
  set_keys(f, {"a"});
  f.client().db = 3;
  set_keys(f, {"b"});
  BOOST_TEST(f.run({"flushall"}) == kOk);
  BOOST_TEST((f.take_effects() == Effects{{"FLUSHALL"}}));
  BOOST_TEST(f.keyspace().total_keys() == 0u);
  BOOST_TEST(f.run({"flushall", "foo"}) == error("ERR syntax error"));
  BOOST_TEST(f.run({"flushall", "sync", "async"}) == error("ERR syntax error"));
  // An empty keyspace is flushed (and propagated) all the same, as Redis does.
  BOOST_TEST(f.run({"flushall", "sync"}) == kOk);
  BOOST_TEST((f.take_effects() == Effects{{"FLUSHALL"}}));
}

BOOST_AUTO_TEST_CASE(flush_async_frees_off_the_loop_thread) {
  CommandFixture f;
  for (int db = 0; db < 2; ++db) {
    for (int i = 0; i < 5000; ++i) {
      f.keyspace().db(db).put_string("k" + std::to_string(i), "v", i % 2 ? 1 : kNoExpiry);
    }
  }
  const uint64_t before = lazy_free().freed_entries();
  BOOST_TEST(f.run({"flushdb", "ASYNC"}) == kOk);
  BOOST_TEST(f.keyspace().db(0).size() == 0u);
  BOOST_TEST(f.keyspace().db(0).volatile_count() == 0u);
  BOOST_TEST(f.run({"flushall", "async"}) == kOk);
  BOOST_TEST(f.keyspace().total_keys() == 0u);
  lazy_free().drain();
  BOOST_TEST(lazy_free().freed_entries() - before == 10000u);
  // The databases work as before.
  BOOST_TEST(f.run({"set", "k1", "v", "px", "5"}) == kOk);
  BOOST_TEST(f.run({"pttl", "k1"}) == integer(5));
}

BOOST_AUTO_TEST_CASE(keys_with_every_glob_form) {
  CommandFixture f;
  set_keys(f, {"hello", "hallo", "hxllo", "hllo", "heeeello", "h[llo", "h*llo", "h\\llo"});
  using S = std::multiset<std::string>;
  BOOST_TEST((key_set(f.run({"keys", "*"})) ==
              S{"hello", "hallo", "hxllo", "hllo", "heeeello", "h[llo", "h*llo", "h\\llo"}));
  BOOST_TEST((key_set(f.run({"keys", "h?llo"})) ==
              S{"hello", "hallo", "hxllo", "h[llo", "h*llo", "h\\llo"}));
  BOOST_TEST((key_set(f.run({"keys", "h*llo"})) ==
              S{"hello", "hallo", "hxllo", "hllo", "heeeello", "h[llo", "h*llo", "h\\llo"}));
  BOOST_TEST((key_set(f.run({"keys", "h[ae]llo"})) == S{"hello", "hallo"}));
  BOOST_TEST(
      (key_set(f.run({"keys", "h[^e]llo"})) == S{"hallo", "hxllo", "h[llo", "h*llo", "h\\llo"}));
  BOOST_TEST((key_set(f.run({"keys", "h[a-b]llo"})) == S{"hallo"}));
  BOOST_TEST((key_set(f.run({"keys", "h\\[llo"})) == S{"h[llo"}));
  BOOST_TEST((key_set(f.run({"keys", "h\\*llo"})) == S{"h*llo"}));
  BOOST_TEST((key_set(f.run({"keys", "h\\\\llo"})) == S{"h\\llo"}));
  BOOST_TEST(f.run({"keys", "h[llo"}) == "*0\r\n");  // an unterminated class
  BOOST_TEST(f.run({"keys", "hello"}) == array({bulk("hello")}));
  BOOST_TEST(f.run({"keys", "nomatch"}) == "*0\r\n");
  BOOST_TEST(f.run({"keys", "*x*"}) == array({bulk("hxllo")}));
}

BOOST_AUTO_TEST_CASE(keys_skips_expired_keys) {
  CommandFixture f;
  f.run({"set", "live", "v"});
  f.run({"set", "dead", "v", "px", "10"});
  f.run({"set", "dead2", "v", "px", "10"});
  f.advance_time(10);
  BOOST_TEST(f.run({"keys", "*"}) == array({bulk("live")}));
  BOOST_TEST(f.run({"keys", "dead"}) == "*0\r\n");
}

BOOST_AUTO_TEST_CASE(randomkey_returns_a_key_or_null) {
  CommandFixture f;
  BOOST_TEST(f.run({"randomkey"}) == kNull);
  set_keys(f, {"a", "b", "c"});
  std::set<std::string> seen;
  for (int i = 0; i < 200; ++i)
    seen.insert(f.run({"randomkey"}));
  BOOST_TEST((seen == std::set<std::string>{bulk("a"), bulk("b"), bulk("c")}));
}

BOOST_AUTO_TEST_CASE(randomkey_never_returns_an_expired_key) {
  CommandFixture f;
  for (int i = 0; i < 2000; ++i) {
    f.keyspace().db(0).put_string("dead" + std::to_string(i), "v", f.now() + 10);
  }
  f.keyspace().db(0).put_string("live", "v", kNoExpiry);
  f.advance_time(10);
  for (int i = 0; i < 50; ++i)
    BOOST_TEST(f.run({"randomkey"}) == bulk("live"));
  BOOST_TEST(f.run({"dbsize"}) == integer(1));
  // Each reclaimed key was propagated.
  BOOST_TEST(f.take_effects().size() == 2000u + 1);
}

BOOST_AUTO_TEST_CASE(scan_iterates_everything_once_and_ends_at_zero) {
  CommandFixture f;
  std::set<std::string> expected;
  for (int i = 0; i < 1000; ++i) {
    expected.insert("key:" + std::to_string(i));
    f.keyspace().db(0).put_string("key:" + std::to_string(i), "v", kNoExpiry);
  }
  std::multiset<std::string> seen;
  std::string cursor = "0";
  int calls = 0;
  do {
    auto [next, keys] = parse_scan(f.run({"scan", cursor}));
    BOOST_TEST(keys.size() <= 10u);
    if (next != "0") BOOST_TEST(keys.size() == 10u);
    seen.insert(keys.begin(), keys.end());
    cursor = next;
    ++calls;
  } while (cursor != "0");
  BOOST_TEST(calls == 100);
  BOOST_TEST((std::set<std::string>(seen.begin(), seen.end()) == expected));
  BOOST_TEST(seen.size() == expected.size());  // no duplicates without churn
}

BOOST_AUTO_TEST_CASE(scan_count_bounds_each_call) {
  CommandFixture f;
  for (int i = 0; i < 5000; ++i) {
    f.keyspace().db(0).put_string("key:" + std::to_string(i), "v", kNoExpiry);
  }
  for (std::string count : {"1", "7", "100", "1000"}) {
    size_t total = 0;
    std::string cursor = "0";
    do {
      auto [next, keys] = parse_scan(f.run({"scan", cursor, "count", count}));
      BOOST_TEST(keys.size() <= std::stoul(count));
      BOOST_TEST(keys.size() >= 1u);
      total += keys.size();
      cursor = next;
    } while (cursor != "0");
    BOOST_TEST(total == 5000u);
  }
  // A count larger than the table returns it all at once.
  auto [next, keys] = parse_scan(f.run({"scan", "0", "COUNT", "100000"}));
  BOOST_TEST(next == "0");
  BOOST_TEST(keys.size() == 5000u);
}

BOOST_AUTO_TEST_CASE(scan_match_and_type_filter) {
  CommandFixture f;
  set_keys(f, {"user:1", "user:2", "item:1"});
  auto [c1, matched] = parse_scan(f.run({"scan", "0", "MATCH", "user:*", "COUNT", "100"}));
  BOOST_TEST(c1 == "0");
  BOOST_TEST((std::multiset<std::string>(matched.begin(), matched.end()) ==
              std::multiset<std::string>{"user:1", "user:2"}));
  auto [c2, strings] = parse_scan(f.run({"scan", "0", "type", "STRING", "count", "100"}));
  BOOST_TEST(strings.size() == 3u);
  BOOST_TEST(f.run({"scan", "0", "type", "list"}) == array({bulk("0"), "*0\r\n"}));
  BOOST_TEST(f.run({"scan", "0", "type", "nosuch"}) == array({bulk("0"), "*0\r\n"}));
  // The last MATCH wins, and MATCH * filters nothing.
  BOOST_TEST(f.run({"scan", "0", "match", "*", "count", "100", "match", "item:*"}) ==
             array({bulk("0"), array({bulk("item:1")})}));
  auto [c3, all] = parse_scan(f.run({"scan", "0", "match", "*", "count", "100"}));
  BOOST_TEST(all.size() == 3u);
}

BOOST_AUTO_TEST_CASE(scan_errors_and_cursor_parsing) {
  CommandFixture f;
  set_keys(f, {"a"});
  BOOST_TEST(f.run({"scan", "x"}) == error("ERR invalid cursor"));
  BOOST_TEST(f.run({"scan", "x", "foo"}) == error("ERR invalid cursor"));
  BOOST_TEST(f.run({"scan", "18446744073709551616"}) == error("ERR invalid cursor"));
  BOOST_TEST(f.run({"scan", "0", "count", "0"}) == error("ERR syntax error"));
  BOOST_TEST(f.run({"scan", "0", "count", "-1"}) == error("ERR syntax error"));
  BOOST_TEST(f.run({"scan", "0", "count", "x"}) ==
             error("ERR value is not an integer or out of range"));
  BOOST_TEST(f.run({"scan", "0", "foo"}) == error("ERR syntax error"));
  BOOST_TEST(f.run({"scan", "0", "match"}) == error("ERR syntax error"));
  BOOST_TEST(f.run({"scan", "0", "foo", "bar"}) == error("ERR syntax error"));
  BOOST_TEST(f.run({"scan"}) == error("ERR wrong number of arguments for 'scan' command"));
  BOOST_TEST(f.run({"scan", "0"}) == array({bulk("0"), array({bulk("a")})}));
  BOOST_TEST(f.run({"scan", ""}) == array({bulk("0"), array({bulk("a")})}));
  BOOST_TEST(f.run({"scan", "+0"}) == array({bulk("0"), array({bulk("a")})}));
  BOOST_TEST(f.run({"scan", "-1"}).starts_with("*2\r\n"));
}

BOOST_AUTO_TEST_CASE(scan_skips_and_reclaims_expired_keys) {
  CommandFixture f;
  f.run({"set", "live", "v"});
  f.run({"set", "dead", "v", "px", "10"});
  f.take_effects();
  f.advance_time(10);
  BOOST_TEST(f.run({"scan", "0"}) == array({bulk("0"), array({bulk("live")})}));
  BOOST_TEST((f.take_effects() == Effects{{"DEL", "dead"}}));
}

// The SCAN guarantee, through the command: a key present for the whole
// iteration is returned, while between calls the table grows by far more than
// it started with (segments split) and then loses most of its keys.
BOOST_AUTO_TEST_CASE(scan_returns_stable_keys_while_the_table_grows_and_shrinks) {
  CommandFixture f;
  Database& db = f.keyspace().db(0);
  std::set<std::string> stable;
  for (int i = 0; i < 20000; ++i) {
    stable.insert("stable:" + std::to_string(i));
    db.put_string("stable:" + std::to_string(i), "v", kNoExpiry);
  }
  std::set<std::string> seen;
  std::string cursor = "0";
  int call = 0, churn = 0;
  do {
    auto [next, keys] = parse_scan(f.run({"scan", cursor, "count", "100"}));
    seen.insert(keys.begin(), keys.end());
    cursor = next;
    ++call;
    if (call <= 40) {
      // Growth: 100k keys over the first 40 calls.
      for (int i = 0; i < 2500; ++i)
        db.put_string("churn:" + std::to_string(churn++), "v", kNoExpiry);
    } else if (call <= 80) {
      // Shrink: remove them again.
      for (int i = 0; i < 2500; ++i)
        db.erase("churn:" + std::to_string(--churn));
    }
  } while (cursor != "0");
  BOOST_TEST(call > 80);
  for (const std::string& key : stable) {
    if (!seen.count(key)) BOOST_FAIL("SCAN missed " << key);
  }
}

BOOST_AUTO_TEST_CASE(object_encoding_of_strings) {
  CommandFixture f;
  auto encoding = [&](std::string_view value) {
    f.run({"set", "k", value});
    return f.run({"object", "encoding", "k"});
  };
  BOOST_TEST(encoding("1") == bulk("int"));
  BOOST_TEST(encoding("-1") == bulk("int"));
  BOOST_TEST(encoding("9223372036854775807") == bulk("int"));
  BOOST_TEST(encoding("-9223372036854775808") == bulk("int"));
  BOOST_TEST(encoding("9223372036854775808") == bulk("embstr"));
  BOOST_TEST(encoding("12345678901234567890") == bulk("embstr"));
  BOOST_TEST(encoding("01") == bulk("embstr"));
  BOOST_TEST(encoding("-0") == bulk("embstr"));
  BOOST_TEST(encoding("+1") == bulk("embstr"));
  BOOST_TEST(encoding(" 1") == bulk("embstr"));
  BOOST_TEST(encoding("") == bulk("embstr"));
  BOOST_TEST(encoding(std::string(44, 'x')) == bulk("embstr"));
  BOOST_TEST(encoding(std::string(45, 'x')) == bulk("raw"));
  BOOST_TEST(encoding("12345678901234567890123456789012345678901234") == bulk("embstr"));
  BOOST_TEST(encoding("123456789012345678901234567890123456789012345") == bulk("raw"));
  f.run({"set", "k", "12"});
  f.keyspace().db(0).find("k")->set_raw_flag(true);  // as APPEND leaves it
  BOOST_TEST(f.run({"object", "encoding", "k"}) == bulk("raw"));
  BOOST_TEST(f.run({"object", "encoding", "nokey"}) == kNull);
}

BOOST_AUTO_TEST_CASE(object_refcount_freq_and_errors) {
  CommandFixture f;
  f.run({"set", "k", "9999"});
  BOOST_TEST(f.run({"object", "refcount", "k"}) == integer(2147483647));
  f.run({"set", "k", "0"});
  BOOST_TEST(f.run({"object", "refcount", "k"}) == integer(2147483647));
  f.run({"set", "k", "10000"});
  BOOST_TEST(f.run({"object", "refcount", "k"}) == integer(1));
  f.run({"set", "k", "-1"});
  BOOST_TEST(f.run({"object", "refcount", "k"}) == integer(1));
  f.run({"set", "k", "abc"});
  BOOST_TEST(f.run({"object", "refcount", "k"}) == integer(1));
  BOOST_TEST(f.run({"object", "refcount", "nokey"}) == kNull);
  BOOST_TEST(f.run({"object", "freq", "k"}) ==
             error("ERR An LFU maxmemory policy is not selected, access frequency not tracked. "
                   "Please note that when switching between policies at runtime LRU and LFU "
                   "data will take some time to adjust."));
  BOOST_TEST(f.run({"object", "freq", "nokey"}) == kNull);
  BOOST_TEST(f.run({"object", "idletime", "nokey"}) == kNull);
  BOOST_TEST(f.run({"object", "foo", "k"}) ==
             error("ERR unknown subcommand 'foo'. Try OBJECT HELP."));
  BOOST_TEST(f.run({"object"}) == error("ERR wrong number of arguments for 'object' command"));
  BOOST_TEST(f.run({"object", "encoding"}) ==
             error("ERR wrong number of arguments for 'object|encoding' command"));
  BOOST_TEST(f.run({"object", "ENCODING", "k", "x"}) ==
             error("ERR wrong number of arguments for 'object|encoding' command"));
  BOOST_TEST(f.run({"object", "help", "x"}) ==
             error("ERR wrong number of arguments for 'object|help' command"));
}

BOOST_AUTO_TEST_CASE(object_idletime_follows_accesses) {
  CommandFixture f;
  f.run({"set", "k", "v"});
  BOOST_TEST(f.run({"object", "idletime", "k"}) == integer(0));
  f.advance_time(5000);
  BOOST_TEST(f.run({"object", "idletime", "k"}) == integer(5));
  // Neither OBJECT, TYPE, EXISTS nor TTL counts as an access.
  f.run({"type", "k"});
  f.run({"exists", "k"});
  f.run({"ttl", "k"});
  BOOST_TEST(f.run({"object", "idletime", "k"}) == integer(5));
  f.run({"touch", "k"});
  BOOST_TEST(f.run({"object", "idletime", "k"}) == integer(0));
  f.advance_time(3000);
  f.run({"get", "k"});
  BOOST_TEST(f.run({"object", "idletime", "k"}) == integer(0));
  f.advance_time(3000);
  f.run({"rename", "k", "k2"});
  BOOST_TEST(f.run({"object", "idletime", "k2"}) == integer(0));
}

BOOST_AUTO_TEST_CASE(object_help_lists_the_subcommands) {
  CommandFixture f;
  std::string help = f.run({"object", "help"});
  BOOST_TEST(
      help.starts_with("*12\r\n+OBJECT <subcommand> [<arg> [value] [opt] ...]. "
                       "Subcommands are:\r\n+ENCODING <key>\r\n"));
  BOOST_TEST(help.ends_with("+HELP\r\n+    Prints this help.\r\n"));
  for (std::string_view sub : {"+FREQ <key>\r\n", "+IDLETIME <key>\r\n", "+REFCOUNT <key>\r\n"}) {
    BOOST_TEST(help.find(sub) != std::string::npos);
  }
}

BOOST_AUTO_TEST_CASE(command_table_rows_match_redis) {
  CommandFixture f;
  struct Row {
    const char* name;
    int arity;
    uint32_t flags;
    int first, last, step;
  };
  const Row rows[] = {
      {"del", -2, kWrite, 1, -1, 1},
      {"unlink", -2, kWrite | kFast, 1, -1, 1},
      {"exists", -2, kReadonly | kFast, 1, -1, 1},
      {"type", 2, kReadonly | kFast, 1, 1, 1},
      {"rename", 3, kWrite, 1, 2, 1},
      {"renamenx", 3, kWrite | kFast, 1, 2, 1},
      {"keys", 2, kReadonly, 0, 0, 0},
      {"scan", -2, kReadonly, 0, 0, 0},
      {"randomkey", 1, kReadonly, 0, 0, 0},
      {"dbsize", 1, kReadonly | kFast, 0, 0, 0},
      {"flushdb", -1, kWrite, 0, 0, 0},
      {"flushall", -1, kWrite, 0, 0, 0},
      {"move", 3, kWrite | kFast, 1, 1, 1},
      {"copy", -3, kWrite | kDenyOom, 1, 2, 1},
      {"swapdb", 3, kWrite | kFast, 0, 0, 0},
      {"touch", -2, kReadonly | kFast, 1, -1, 1},
      {"object", -2, 0, 0, 0, 0},
  };
  for (const Row& row : rows) {
    const Command* cmd = f.table().find(row.name);
    BOOST_TEST_REQUIRE(cmd != nullptr, row.name);
    BOOST_TEST(cmd->spec->arity == row.arity, row.name);
    BOOST_TEST(cmd->spec->flags == row.flags, row.name);
    LegacyKeyRange keys = legacy_key_range(*cmd->spec);
    BOOST_TEST(keys.first == row.first, row.name);
    BOOST_TEST(keys.last == row.last, row.name);
    BOOST_TEST(keys.step == row.step, row.name);
  }
  const Command* object = f.table().find("object");
  BOOST_TEST(object->subcommands.size() == 5u);
  BOOST_TEST(object->find_subcommand("HELP")->spec->flags == (kLoading | kStale));
  BOOST_TEST(legacy_key_range(*object->find_subcommand("encoding")->spec).first == 2);
  BOOST_TEST(f.table().find("keys")->spec->acl ==
             (kAclKeyspace | kAclRead | kAclSlow | kAclDangerous));
  BOOST_TEST(f.table().find("swapdb")->spec->acl ==
             (kAclKeyspace | kAclWrite | kAclFast | kAclDangerous));
}

// ---------------------------------------------------------------------------
// Keyspace notifications, as redis-server 7.0.15 publishes them with
// notify-keyspace-events KEA

BOOST_AUTO_TEST_CASE(del_and_unlink_publish_del_for_each_key_they_delete) {
  CommandFixture f;
  f.run({"set", "a", "1"});
  f.run({"rpush", "b", "x"});
  f.set_notify_flags(kNotifyKEA);
  BOOST_TEST(f.run({"del", "a", "nokey", "b", "a"}) == integer(2));
  BOOST_TEST(f.take_notifications() == kea_events({{"del", "a"}, {"del", "b"}}));
  BOOST_TEST(f.run({"unlink", "a", "b"}) == integer(0));
  BOOST_TEST(f.take_notifications().empty());
  // Enough keys for UNLINK to free them off the loop thread.
  std::vector<std::string> unlink{"unlink"};
  std::vector<std::pair<std::string, std::string>> expected;
  for (size_t i = 0; i < kLazyFreeMinBatch; ++i) {
    std::string key = "k" + std::to_string(i);
    f.run({"set", key, "v"});
    unlink.push_back(key);
    auto events = kea_events({{"del", key}});
    expected.insert(expected.end(), events.begin(), events.end());
  }
  f.take_notifications();
  BOOST_TEST(f.run(unlink) == integer(static_cast<int64_t>(kLazyFreeMinBatch)));
  BOOST_TEST(f.take_notifications() == expected);
}

// A replaced destination publishes no "del"; only `new` (n) tells it was added.
BOOST_AUTO_TEST_CASE(rename_publishes_rename_from_then_rename_to) {
  CommandFixture f;
  set_keys(f, {"a", "b", "c"});
  f.run({"expire", "a", "100"});
  f.set_notify_flags(kNotifyKEA | notify::kNew);
  BOOST_TEST(f.run({"rename", "a", "b"}) == kOk);
  BOOST_TEST(f.take_notifications() ==
             kea_events({{"new", "b"}, {"rename_from", "a"}, {"rename_to", "b"}}));
  BOOST_TEST(f.run({"renamenx", "b", "d"}) == integer(1));
  BOOST_TEST(f.take_notifications() ==
             kea_events({{"new", "d"}, {"rename_from", "b"}, {"rename_to", "d"}}));
  BOOST_TEST(f.run({"rename", "d", "d"}) == kOk);
  BOOST_TEST(f.run({"renamenx", "d", "d"}) == integer(0));
  BOOST_TEST(f.run({"renamenx", "d", "c"}) == integer(0));
  BOOST_TEST(f.run({"rename", "nokey", "x"}) == error("ERR no such key"));
  BOOST_TEST(f.take_notifications().empty());
}

BOOST_AUTO_TEST_CASE(move_publishes_move_from_and_move_to_in_each_database) {
  CommandFixture f;
  f.run({"select", "3"});
  f.run({"set", "b", "x"});
  f.run({"select", "0"});
  set_keys(f, {"a", "b"});
  f.set_notify_flags(kNotifyKEA | notify::kNew);
  BOOST_TEST(f.run({"move", "a", "3"}) == integer(1));
  BOOST_TEST(f.take_notifications() ==
             kea_events({{"new", "a", 3}, {"move_from", "a"}, {"move_to", "a", 3}}));
  BOOST_TEST(f.run({"move", "b", "3"}) == integer(0));
  BOOST_TEST(f.run({"move", "nokey", "3"}) == integer(0));
  BOOST_TEST(f.take_notifications().empty());
}

BOOST_AUTO_TEST_CASE(copy_publishes_copy_to_in_the_destination_database) {
  CommandFixture f;
  set_keys(f, {"a"});
  f.set_notify_flags(kNotifyKEA);
  BOOST_TEST(f.run({"copy", "a", "b"}) == integer(1));
  BOOST_TEST(f.run({"copy", "a", "b"}) == integer(0));
  BOOST_TEST(f.run({"copy", "nokey", "z"}) == integer(0));
  BOOST_TEST(f.run({"copy", "a", "b", "replace"}) == integer(1));
  BOOST_TEST(f.run({"copy", "a", "c", "db", "5"}) == integer(1));
  BOOST_TEST(f.take_notifications() ==
             kea_events({{"copy_to", "b"}, {"copy_to", "b"}, {"copy_to", "c", 5}}));
}

BOOST_AUTO_TEST_CASE(flushes_and_swapdb_publish_nothing) {
  CommandFixture f;
  set_keys(f, {"a", "b"});
  f.set_notify_flags(kNotifyKEA);
  f.run({"swapdb", "0", "1"});
  f.run({"swapdb", "0", "0"});
  f.run({"flushdb"});
  f.run({"select", "1"});
  f.run({"flushall"});
  f.run({"touch", "a"});
  BOOST_TEST(f.run({"dbsize"}) == integer(0));
  BOOST_TEST(f.take_notifications().empty());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(keys_lfu)

// Under an LFU policy the access field counts accesses (OBJECT FREQ) and decays
// by one per idle minute; IDLETIME is then unavailable, as in Redis.
BOOST_AUTO_TEST_CASE(object_freq_counts_and_decays_under_lfu) {
  vireo::test::CommandFixture f;
  f.keyspace().set_lfu(true);
  BOOST_TEST(f.run({"set", "k", "v"}) == vireo::test::kOk);
  BOOST_TEST(f.run({"object", "freq", "k"}) == vireo::test::integer(5));
  BOOST_TEST(
      f.run({"object", "idletime", "k"}).rfind("-ERR An LFU maxmemory policy is selected", 0) ==
      0u);
  for (int i = 0; i < 2000; ++i)
    f.run({"get", "k"});
  std::string freq = f.run({"object", "freq", "k"});
  int64_t counted = std::stoll(freq.substr(1));
  BOOST_TEST(counted > 10);  // logarithmic: ~2000 reads give a counter in the teens
  BOOST_TEST(counted < 40);
  f.advance_time(3 * 60000);  // three idle minutes
  BOOST_TEST(f.run({"object", "freq", "k"}) == vireo::test::integer(counted - 3));
  f.keyspace().set_lfu(false);
  BOOST_TEST(
      f.run({"object", "freq", "k"}).rfind("-ERR An LFU maxmemory policy is not selected", 0) ==
      0u);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(keys_shared_integers)

// Redis shares the integers 0..9999 (refcount INT_MAX) unless keys need their
// own access clocks; OBJECT REFCOUNT and DEBUG OBJECT read one rule.
BOOST_AUTO_TEST_CASE(refcount_follows_the_sharing_rule) {
  vireo::test::CommandFixture f;
  f.run({"set", "small", "42"});
  f.run({"set", "big", "10000"});
  f.run({"set", "text", "42x"});
  BOOST_TEST(f.run({"object", "refcount", "small"}) == vireo::test::integer(2147483647));
  BOOST_TEST(f.run({"object", "refcount", "big"}) == vireo::test::integer(1));
  BOOST_TEST(f.run({"object", "refcount", "text"}) == vireo::test::integer(1));
  f.keyspace().set_shared_integers(false);  // maxmemory with an LRU/LFU policy
  BOOST_TEST(f.run({"object", "refcount", "small"}) == vireo::test::integer(1));
}

BOOST_AUTO_TEST_SUITE_END()
