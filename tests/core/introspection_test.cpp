#include <boost/test/unit_test.hpp>

#include <chrono>
#include <string>

#include "core/command.h"
#include "core/command_table.h"
#include "tests/core/command_fixture.h"

using namespace vireo;
using namespace vireo::test;

// Byte strings marked "redis" were captured from redis-server 7.0.15.
namespace {

void noop(CommandContext& ctx, Args) {
  ctx.reply.ok();
}

const CommandSpec kPeekSubcommands[] = {
    {.name = "peek",
     .arity = 3,
     .flags = kReadonly,
     .first_key = 2,
     .last_key = 2,
     .key_step = 1,
     .acl = kAclKeyspace | kAclRead | kAclSlow,
     .handler = noop,
     .summary = "Peeks.",
     .since = "9.9.9"},
    {.name = "help",
     .arity = 2,
     .flags = kLoading | kStale,
     .acl = kAclKeyspace | kAclSlow,
     .handler = noop,
     .summary = "Helps.",
     .complexity = "O(1)"},
};

// Key layouts and flag sets that the core families do not have yet.
const CommandSpec kTestCommands[] = {
    // MSET's layout: keys at 1, 3, 5... up to the last argument.
    {.name = "testmset",
     .arity = -3,
     .flags = kWrite | kDenyOom,
     .first_key = 1,
     .last_key = -1,
     .key_step = 2,
     .acl = kAclWrite | kAclString | kAclSlow,
     .handler = noop},
    // RENAME's layout: two fixed keys.
    {.name = "testrename",
     .arity = 3,
     .flags = kWrite,
     .first_key = 1,
     .last_key = 2,
     .key_step = 1,
     .acl = kAclKeyspace | kAclWrite | kAclSlow,
     .handler = noop},
    // BLPOP's layout: every argument but the timeout.
    {.name = "testblpop",
     .arity = -3,
     .flags = kWrite | kNoscript | kBlocking,
     .first_key = 1,
     .last_key = -2,
     .key_step = 1,
     .acl = kAclWrite | kAclList | kAclSlow | kAclBlocking,
     .handler = noop},
    {.name = "testallflags", .arity = 1, .flags = 0x1ffff, .acl = 0x1fffff, .handler = noop},
    {.name = "testchannel",
     .arity = -1,
     .flags = kPubsub,
     .first_key = 1,
     .last_key = -1,
     .key_step = 1,
     .acl = kAclPubsub | kAclSlow,
     .handler = noop},
    {.name = "testbox",
     .arity = -2,
     .acl = kAclSlow,
     .subcommands = kPeekSubcommands,
     .group = "generic",
     .summary = "Holds things.",
     .since = "1.2.3",
     .complexity = "Depends on subcommand."},
};

struct Fixture {
  Fixture() { f.table().add(kTestCommands); }
  CommandFixture f;
};

// redis: COMMAND INFO GET.
const std::string kGetInfoResp2 =
    "*10\r\n$3\r\nget\r\n:2\r\n*2\r\n+readonly\r\n+fast\r\n:1\r\n:1\r\n:1\r\n*3\r\n+@read\r\n"
    "+@string\r\n+@fast\r\n*0\r\n*1\r\n*6\r\n$5\r\nflags\r\n*2\r\n+RO\r\n+access\r\n"
    "$12\r\nbegin_search\r\n*4\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n*2\r\n$5\r\nindex\r\n"
    ":1\r\n$9\r\nfind_keys\r\n*4\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n*6\r\n"
    "$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n*0\r\n";
const std::string kGetInfoResp3 =
    "*10\r\n$3\r\nget\r\n:2\r\n~2\r\n+readonly\r\n+fast\r\n:1\r\n:1\r\n:1\r\n~3\r\n+@read\r\n"
    "+@string\r\n+@fast\r\n~0\r\n~1\r\n%3\r\n$5\r\nflags\r\n~2\r\n+RO\r\n+access\r\n"
    "$12\r\nbegin_search\r\n%2\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n%1\r\n$5\r\nindex\r\n"
    ":1\r\n$9\r\nfind_keys\r\n%2\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n%3\r\n"
    "$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n~0\r\n";

// The ten-element entry of a keyless COMMAND subcommand (loading, stale,
// @slow @connection, no tips), as Redis gives it.
std::string command_sub_entry(std::string_view name, int arity, int protocol) {
  std::string set = protocol == 3 ? "~" : "*";
  return "*10\r\n" + bulk(name) + integer(arity) + set + "2\r\n+loading\r\n+stale\r\n" +
         ":0\r\n:0\r\n:0\r\n" + set + "2\r\n+@slow\r\n+@connection\r\n" + set + "0\r\n" + set +
         "0\r\n" + set + "0\r\n";
}

// The key-spec part of an entry with one range spec, RESP2.
std::string range_key_spec(std::string_view flags, int index, int lastkey, int keystep) {
  return "*1\r\n*6\r\n$5\r\nflags\r\n" + std::string(flags) +
         "$12\r\nbegin_search\r\n*4\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n*2\r\n"
         "$5\r\nindex\r\n" +
         integer(index) +
         "$9\r\nfind_keys\r\n*4\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n*6\r\n"
         "$7\r\nlastkey\r\n" +
         integer(lastkey) + "$7\r\nkeystep\r\n" + integer(keystep) + "$5\r\nlimit\r\n:0\r\n";
}

const std::string kRwAccessUpdate = "*3\r\n+RW\r\n+access\r\n+update\r\n";

}  // namespace

BOOST_AUTO_TEST_SUITE(introspection)

// --- COMMAND INFO ---------------------------------------------------------------

BOOST_AUTO_TEST_CASE(info_get_matches_redis) {
  CommandFixture f;
  BOOST_TEST(f.run({"command", "info", "get"}) == "*1\r\n" + kGetInfoResp2);
  BOOST_TEST(f.run({"COMMAND", "INFO", "GET"}) == "*1\r\n" + kGetInfoResp2);
  f.set_protocol(3);
  BOOST_TEST(f.run({"command", "info", "get"}) == "*1\r\n" + kGetInfoResp3);
}

BOOST_AUTO_TEST_CASE(info_keyless_commands_match_redis) {
  CommandFixture f;
  // redis: COMMAND INFO ECHO SELECT.
  std::string fast_connection =
      "*3\r\n+loading\r\n+stale\r\n+fast\r\n:0\r\n:0\r\n:0\r\n*2\r\n+@fast\r\n+@connection\r\n"
      "*0\r\n*0\r\n*0\r\n";
  BOOST_TEST(f.run({"command", "info", "echo", "select"}) ==
             "*2\r\n*10\r\n$4\r\necho\r\n:2\r\n" + fast_connection +
                 "*10\r\n$6\r\nselect\r\n:2\r\n" + fast_connection);
  // redis: COMMAND INFO COMMAND|COUNT, in RESP3.
  f.set_protocol(3);
  BOOST_TEST(f.run({"command", "info", "command|count", "COMMAND|HELP"}) ==
             "*2\r\n" + command_sub_entry("command|count", 2, 3) +
                 command_sub_entry("command|help", 2, 3));
}

// Redis also lists tips: PING has request_policy:all_shards and
// response_policy:all_succeeded, TIME nondeterministic_output. The spec has
// no tips yet, so these entries differ from Redis only there.
BOOST_AUTO_TEST_CASE(info_ping_and_time_without_tips) {
  CommandFixture f;
  BOOST_TEST(f.run({"command", "info", "ping"}) ==
             "*1\r\n*10\r\n$4\r\nping\r\n:-1\r\n*1\r\n+fast\r\n:0\r\n:0\r\n:0\r\n"
             "*2\r\n+@fast\r\n+@connection\r\n*0\r\n*0\r\n*0\r\n");
  BOOST_TEST(f.run({"command", "info", "time"}) ==
             "*1\r\n*10\r\n$4\r\ntime\r\n:1\r\n*3\r\n+loading\r\n+stale\r\n+fast\r\n"
             ":0\r\n:0\r\n:0\r\n*1\r\n+@fast\r\n*0\r\n*0\r\n*0\r\n");
}

// Redis gives SET a note and the flags RW access update variable_flags; the
// spec has neither, so its key spec is derived from the write flag.
BOOST_AUTO_TEST_CASE(info_set_derives_its_key_spec) {
  CommandFixture f;
  BOOST_TEST(f.run({"command", "info", "set"}) ==
             "*1\r\n*10\r\n$3\r\nset\r\n:-3\r\n*2\r\n+write\r\n+denyoom\r\n:1\r\n:1\r\n:1\r\n"
             "*3\r\n+@write\r\n+@string\r\n+@slow\r\n*0\r\n" +
                 range_key_spec(kRwAccessUpdate, 1, 0, 1) + "*0\r\n");
}

BOOST_AUTO_TEST_CASE(info_key_ranges) {
  Fixture x;
  // redis: MSETNX has lastkey -1 keystep 2; RENAME's second key is lastkey 1
  // relative to the first (Redis splits it into two specs); BLPOP lastkey -2.
  BOOST_TEST(x.f.run({"command", "info", "testmset"}) ==
             "*1\r\n*10\r\n$8\r\ntestmset\r\n:-3\r\n*2\r\n+write\r\n+denyoom\r\n:1\r\n:-1\r\n:2\r\n"
             "*3\r\n+@write\r\n+@string\r\n+@slow\r\n*0\r\n" +
                 range_key_spec(kRwAccessUpdate, 1, -1, 2) + "*0\r\n");
  BOOST_TEST(x.f.run({"command", "info", "testrename"}) ==
             "*1\r\n*10\r\n$10\r\ntestrename\r\n:3\r\n*1\r\n+write\r\n:1\r\n:2\r\n:1\r\n"
             "*3\r\n+@keyspace\r\n+@write\r\n+@slow\r\n*0\r\n" +
                 range_key_spec(kRwAccessUpdate, 1, 1, 1) + "*0\r\n");
  BOOST_TEST(x.f.run({"command", "info", "testblpop"}) ==
             "*1\r\n*10\r\n$9\r\ntestblpop\r\n:-3\r\n*3\r\n+write\r\n+noscript\r\n+blocking\r\n"
             ":1\r\n:-2\r\n:1\r\n*4\r\n+@write\r\n+@list\r\n+@slow\r\n+@blocking\r\n*0\r\n" +
                 range_key_spec(kRwAccessUpdate, 1, -2, 1) + "*0\r\n");
  // redis: SUNSUBSCRIBE's channels are "not_key".
  BOOST_TEST(x.f.run({"command", "info", "testchannel"}) ==
             "*1\r\n*10\r\n$11\r\ntestchannel\r\n:-1\r\n*1\r\n+pubsub\r\n:1\r\n:-1\r\n:1\r\n"
             "*2\r\n+@pubsub\r\n+@slow\r\n*0\r\n" +
                 range_key_spec("*1\r\n+not_key\r\n", 1, -1, 1) + "*0\r\n");
}

// Redis lists flags in its own order (blocking before loading, no_multi after
// no_auth...) and never shows may_replicate; categories in their bit order.
BOOST_AUTO_TEST_CASE(info_flag_and_category_order) {
  Fixture x;
  BOOST_TEST(x.f.run({"command", "info", "testallflags"}) ==
             "*1\r\n*10\r\n$12\r\ntestallflags\r\n:1\r\n*16\r\n+write\r\n+readonly\r\n"
             "+denyoom\r\n+admin\r\n+pubsub\r\n+noscript\r\n+blocking\r\n+loading\r\n+stale\r\n"
             "+skip_monitor\r\n+skip_slowlog\r\n+fast\r\n+no_auth\r\n+no_multi\r\n"
             "+movablekeys\r\n+allow_busy\r\n:0\r\n:0\r\n:0\r\n*21\r\n+@keyspace\r\n+@read\r\n"
             "+@write\r\n+@set\r\n+@sortedset\r\n+@list\r\n+@hash\r\n+@string\r\n+@bitmap\r\n"
             "+@hyperloglog\r\n+@geo\r\n+@stream\r\n+@pubsub\r\n+@admin\r\n+@fast\r\n+@slow\r\n"
             "+@blocking\r\n+@dangerous\r\n+@connection\r\n+@transaction\r\n+@scripting\r\n"
             "*0\r\n*0\r\n*0\r\n");
}

// A container's subcommands are an array of full entries (an empty set when
// there are none, in RESP3 too); Redis's COMMAND also has the tip
// nondeterministic_output_order on itself, DOCS, INFO and LIST.
BOOST_AUTO_TEST_CASE(info_container) {
  CommandFixture f;
  for (int protocol : {2, 3}) {
    f.set_protocol(protocol);
    std::string set = protocol == 3 ? "~" : "*";
    std::string expected = "*1\r\n*10\r\n$7\r\ncommand\r\n:-1\r\n" + set +
                           "2\r\n+loading\r\n+stale\r\n:0\r\n:0\r\n:0\r\n" + set +
                           "2\r\n+@slow\r\n+@connection\r\n" + set + "0\r\n" + set + "0\r\n*7\r\n" +
                           command_sub_entry("command|count", 2, protocol) +
                           command_sub_entry("command|docs", -2, protocol) +
                           command_sub_entry("command|getkeys", -4, protocol) +
                           command_sub_entry("command|getkeysandflags", -4, protocol) +
                           command_sub_entry("command|help", 2, protocol) +
                           command_sub_entry("command|info", -2, protocol) +
                           command_sub_entry("command|list", -2, protocol);
    BOOST_TEST(f.run({"command", "info", "command"}) == expected);
  }
}

BOOST_AUTO_TEST_CASE(info_unknown_names_are_null_in_place) {
  CommandFixture f;
  // redis: COMMAND INFO get nosuch|x object|nosuch config|get|x.
  BOOST_TEST(f.run({"command", "info", "get", "nosuch", "get|x", "command|nosuch",
                    "command|count|x", "|get", "command|", ""}) ==
             "*8\r\n" + kGetInfoResp2 + "$-1\r\n$-1\r\n$-1\r\n$-1\r\n$-1\r\n$-1\r\n$-1\r\n");
  f.set_protocol(3);
  BOOST_TEST(f.run({"command", "info", "nosuch"}) == "*1\r\n_\r\n");
  BOOST_TEST(f.run({"command", "info", std::string(100, 'g')}) == "*1\r\n_\r\n");
}

BOOST_AUTO_TEST_CASE(command_and_info_without_names_describe_everything) {
  CommandFixture f;
  std::string all = f.run({"command"});
  BOOST_TEST(all.rfind("*" + std::to_string(f.table().size()) + "\r\n", 0) == 0u);
  BOOST_TEST(all.find(kGetInfoResp2) != std::string::npos);
  BOOST_TEST(all.find("$13\r\ncommand|count\r\n") != std::string::npos);
  BOOST_TEST(f.run({"command", "info"}) == all);
  BOOST_TEST(f.run({"COMMAND", "INFO"}) == all);
}

// --- COMMAND COUNT and LIST -----------------------------------------------------

BOOST_AUTO_TEST_CASE(count) {
  CommandFixture f;
  BOOST_TEST(f.run({"command", "count"}) == integer(static_cast<int64_t>(f.table().size())));
  f.table().add(kTestCommands);
  BOOST_TEST(f.run({"command", "count"}) == integer(static_cast<int64_t>(f.table().size())));
  BOOST_TEST(f.run({"command", "count", "x"}) ==
             error("ERR wrong number of arguments for 'command|count' command"));
}

BOOST_AUTO_TEST_CASE(list_names_commands_and_subcommands) {
  Fixture x;
  std::string all = x.f.run({"command", "list"});
  size_t expected = x.f.table().size();
  for (const auto& cmd : x.f.table().all()) {
    expected += cmd->subcommands.size();
  }
  BOOST_TEST(all.rfind("*" + std::to_string(expected) + "\r\n", 0) == 0u);
  BOOST_TEST(all.find(bulk("get")) != std::string::npos);
  BOOST_TEST(all.find(bulk("testbox") + bulk("testbox|peek") + bulk("testbox|help")) !=
             std::string::npos);
}

BOOST_AUTO_TEST_CASE(list_filters) {
  Fixture x;
  auto& f = x.f;
  // Patterns match full names, case-insensitively.
  BOOST_TEST(f.run({"command", "list", "filterby", "pattern", "TESTBOX*"}) ==
             array({bulk("testbox"), bulk("testbox|peek"), bulk("testbox|help")}));
  BOOST_TEST(f.run({"command", "list", "FILTERBY", "PATTERN", "*|peek"}) ==
             array({bulk("testbox|peek")}));
  BOOST_TEST(f.run({"command", "list", "filterby", "pattern", "ech?"}) == array({bulk("echo")}));
  // Categories by name, any case, without '@'; an unknown one matches nothing.
  std::string keyspace = f.run({"command", "list", "filterby", "aclcat", "Keyspace"});
  BOOST_TEST(keyspace.find(bulk("testrename") + bulk("testallflags") + bulk("testbox|peek") +
                           bulk("testbox|help")) != std::string::npos);
  BOOST_TEST(keyspace.find(bulk("del")) != std::string::npos);   // a real @keyspace command
  BOOST_TEST(keyspace.find(bulk("get")) == std::string::npos);   // GET is not @keyspace
  BOOST_TEST(f.run({"command", "list", "filterby", "aclcat", "@keyspace"}) == "*0\r\n");
  BOOST_TEST(f.run({"command", "list", "filterby", "aclcat", "nosuch"}) == "*0\r\n");
  BOOST_TEST(f.run({"command", "list", "filterby", "module", "foo"}) == "*0\r\n");
  std::string connection = f.run({"command", "list", "filterby", "aclcat", "connection"});
  BOOST_TEST(connection.find(bulk("ping") + bulk("echo") + bulk("select")) != std::string::npos);
  BOOST_TEST(connection.find(bulk("command") + bulk("command|count")) != std::string::npos);
  BOOST_TEST(connection.find(bulk("get")) == std::string::npos);
}

BOOST_AUTO_TEST_CASE(list_syntax_errors) {
  CommandFixture f;
  const std::string syntax = error("ERR syntax error");
  BOOST_TEST(f.run({"command", "list", "x"}) == syntax);
  BOOST_TEST(f.run({"command", "list", "filterby"}) == syntax);
  BOOST_TEST(f.run({"command", "list", "filterby", "pattern"}) == syntax);
  BOOST_TEST(f.run({"command", "list", "filterby", "nope", "x"}) == syntax);
  BOOST_TEST(f.run({"command", "list", "filterby", "pattern", "a", "b"}) == syntax);
  BOOST_TEST(f.run({"command", "list", "x", "pattern", "a"}) == syntax);
}

// --- COMMAND DOCS -----------------------------------------------------------------

BOOST_AUTO_TEST_CASE(docs_of_named_commands) {
  CommandFixture f;
  std::string get_docs = "*8\r\n$7\r\nsummary\r\n" + bulk("Returns the string value of a key.") +
                         "$5\r\nsince\r\n$5\r\n1.0.0\r\n$5\r\ngroup\r\n$6\r\nstring\r\n"
                         "$10\r\ncomplexity\r\n$4\r\nO(1)\r\n";
  BOOST_TEST(f.run({"command", "docs", "GET"}) == "*2\r\n$3\r\nget\r\n" + get_docs);
  // Unknown names are left out, not nulled.
  BOOST_TEST(f.run({"command", "docs", "nosuch", "get", "get|x"}) ==
             "*2\r\n$3\r\nget\r\n" + get_docs);
  BOOST_TEST(f.run({"command", "docs", "nosuch"}) == "*0\r\n");
  f.set_protocol(3);
  BOOST_TEST(f.run({"command", "docs", "get"}) ==
             "%1\r\n$3\r\nget\r\n%4\r\n$7\r\nsummary\r\n" +
                 bulk("Returns the string value of a key.") +
                 "$5\r\nsince\r\n$5\r\n1.0.0\r\n$5\r\ngroup\r\n$6\r\nstring\r\n"
                 "$10\r\ncomplexity\r\n$4\r\nO(1)\r\n");
  BOOST_TEST(f.run({"command", "docs", "nosuch"}) == "%0\r\n");
}

// Subcommands are a map keyed by full name (redis-cli splits it at '|'); a
// subcommand without a group or version takes its container's; complexity
// is left out when unknown, never inherited.
BOOST_AUTO_TEST_CASE(docs_of_a_container) {
  Fixture x;
  x.f.set_protocol(3);
  BOOST_TEST(x.f.run({"command", "docs", "testbox"}) ==
             "%1\r\n$7\r\ntestbox\r\n%5\r\n$7\r\nsummary\r\n$13\r\nHolds things.\r\n"
             "$5\r\nsince\r\n$5\r\n1.2.3\r\n$5\r\ngroup\r\n$7\r\ngeneric\r\n"
             "$10\r\ncomplexity\r\n$22\r\nDepends on subcommand.\r\n$11\r\nsubcommands\r\n%2\r\n"
             "$12\r\ntestbox|peek\r\n%3\r\n$7\r\nsummary\r\n$6\r\nPeeks.\r\n$5\r\nsince\r\n"
             "$5\r\n9.9.9\r\n$5\r\ngroup\r\n$7\r\ngeneric\r\n"
             "$12\r\ntestbox|help\r\n%4\r\n$7\r\nsummary\r\n$6\r\nHelps.\r\n$5\r\nsince\r\n"
             "$5\r\n1.2.3\r\n$5\r\ngroup\r\n$7\r\ngeneric\r\n$10\r\ncomplexity\r\n$4\r\nO(1)\r\n");
  BOOST_TEST(x.f.run({"command", "docs", "TESTBOX|HELP"}) ==
             "%1\r\n$12\r\ntestbox|help\r\n%4\r\n$7\r\nsummary\r\n$6\r\nHelps.\r\n"
             "$5\r\nsince\r\n$5\r\n1.2.3\r\n$5\r\ngroup\r\n$7\r\ngeneric\r\n"
             "$10\r\ncomplexity\r\n$4\r\nO(1)\r\n");
  BOOST_TEST(x.f.run({"command", "docs", "testmset"}) ==
             "%1\r\n$8\r\ntestmset\r\n%3\r\n$7\r\nsummary\r\n$0\r\n\r\n$5\r\nsince\r\n$0\r\n\r\n"
             "$5\r\ngroup\r\n$0\r\n\r\n");
}

BOOST_AUTO_TEST_CASE(docs_without_names_document_everything) {
  CommandFixture f;
  std::string all = f.run({"command", "docs"});
  BOOST_TEST(all.rfind("*" + std::to_string(2 * f.table().size()) + "\r\n", 0) == 0u);
  BOOST_TEST(all.find("$13\r\ncommand|count\r\n*8\r\n") != std::string::npos);
  f.set_protocol(3);
  BOOST_TEST(f.run({"command", "docs"}).rfind("%" + std::to_string(f.table().size()) + "\r\n", 0) ==
             0u);
}

// --- COMMAND GETKEYS / GETKEYSANDFLAGS ------------------------------------------

BOOST_AUTO_TEST_CASE(getkeys) {
  Fixture x;
  auto& f = x.f;
  BOOST_TEST(f.run({"command", "getkeys", "get", "k"}) == array({bulk("k")}));
  BOOST_TEST(f.run({"command", "getkeys", "SET", "k", "v", "ex", "10"}) == array({bulk("k")}));
  BOOST_TEST(f.run({"command", "getkeys", "testmset", "a", "1", "b", "2"}) ==
             array({bulk("a"), bulk("b")}));
  // redis: MSET a 1 b gives a and b.
  BOOST_TEST(f.run({"command", "getkeys", "testmset", "a", "1", "b"}) ==
             array({bulk("a"), bulk("b")}));
  BOOST_TEST(f.run({"command", "getkeys", "testrename", "a", "b"}) ==
             array({bulk("a"), bulk("b")}));
  BOOST_TEST(f.run({"command", "getkeys", "testblpop", "a", "b", "0"}) ==
             array({bulk("a"), bulk("b")}));
  // A subcommand is named as in a request, its key positions counted from
  // the container's name.
  BOOST_TEST(f.run({"command", "getkeys", "TESTBOX", "PEEK", "k"}) == array({bulk("k")}));
}

BOOST_AUTO_TEST_CASE(getkeys_errors) {
  Fixture x;
  auto& f = x.f;
  const std::string invalid = error("ERR Invalid command specified");
  const std::string no_keys = error("ERR The command has no key arguments");
  const std::string count = error("ERR Invalid number of arguments specified for command");
  BOOST_TEST(f.run({"command", "getkeys", "nosuch", "k"}) == invalid);
  BOOST_TEST(f.run({"command", "getkeys", "testbox", "nosub", "k"}) == invalid);
  BOOST_TEST(f.run({"command", "getkeys", "testbox|peek", "k"}) == invalid);
  BOOST_TEST(f.run({"command", "getkeys", "ping", "x"}) == no_keys);
  BOOST_TEST(f.run({"command", "getkeys", "testbox", "help"}) == no_keys);
  BOOST_TEST(f.run({"command", "getkeys", "command", "count"}) == no_keys);
  BOOST_TEST(f.run({"command", "getkeys", "get", "a", "b"}) == count);
  BOOST_TEST(f.run({"command", "getkeys", "set", "k"}) == count);
  BOOST_TEST(f.run({"command", "getkeys", "testbox", "peek"}) == count);
  BOOST_TEST(f.run({"command", "getkeys", "get"}) ==
             error("ERR wrong number of arguments for 'command|getkeys' command"));
  BOOST_TEST(f.run({"command", "getkeysandflags", "get"}) ==
             error("ERR wrong number of arguments for 'command|getkeysandflags' command"));
}

// Keys that the spec's range cannot reach: Redis's "invalid arguments".
BOOST_AUTO_TEST_CASE(getkeys_out_of_range) {
  static const CommandSpec kFar[] = {
      {.name = "testfar",
       .arity = -2,
       .flags = kReadonly,
       .first_key = 3,
       .last_key = 3,
       .key_step = 1,
       .handler = noop},
  };
  CommandFixture f;
  f.table().add(kFar);
  BOOST_TEST(f.run({"command", "getkeys", "testfar", "a"}) ==
             error("ERR Invalid arguments specified for command"));
  BOOST_TEST(f.run({"command", "getkeys", "testfar", "a", "b", "c"}) == array({bulk("c")}));
}

BOOST_AUTO_TEST_CASE(getkeysandflags) {
  Fixture x;
  auto& f = x.f;
  // redis: COMMAND GETKEYSANDFLAGS GET k.
  BOOST_TEST(f.run({"command", "getkeysandflags", "get", "k"}) ==
             "*1\r\n*2\r\n$1\r\nk\r\n*2\r\n+RO\r\n+access\r\n");
  BOOST_TEST(f.run({"command", "getkeysandflags", "testmset", "a", "1", "b", "2"}) ==
             "*2\r\n*2\r\n$1\r\na\r\n" + kRwAccessUpdate + "*2\r\n$1\r\nb\r\n" + kRwAccessUpdate);
  f.set_protocol(3);
  BOOST_TEST(f.run({"command", "getkeysandflags", "get", "k"}) ==
             "*1\r\n*2\r\n$1\r\nk\r\n~2\r\n+RO\r\n+access\r\n");
  BOOST_TEST(f.run({"command", "getkeysandflags", "ping", "x"}) ==
             error("ERR The command has no key arguments"));
}

// --- COMMAND HELP, bare COMMAND errors, TIME ----------------------------------------

BOOST_AUTO_TEST_CASE(help) {
  CommandFixture f;
  std::string help = f.run({"command", "help"});
  BOOST_TEST(help.rfind("*20\r\n+COMMAND <subcommand> [<arg> [value] [opt] ...]. Subcommands are:"
                        "\r\n+(no subcommand)\r\n",
                        0) == 0u);
  for (std::string_view sub :
       {"+COUNT\r\n", "+LIST ", "+INFO ", "+DOCS ", "+GETKEYS ", "+GETKEYSANDFLAGS "}) {
    BOOST_TEST(help.find(sub) != std::string::npos, sub);
  }
  BOOST_TEST(help.substr(help.size() - 31) == "+HELP\r\n+    Prints this help.\r\n");
  BOOST_TEST(f.run({"command", "help", "x"}) ==
             error("ERR wrong number of arguments for 'command|help' command"));
}

BOOST_AUTO_TEST_CASE(unknown_subcommand) {
  CommandFixture f;
  BOOST_TEST(f.run({"command", "nosub"}) ==
             error("ERR unknown subcommand 'nosub'. Try COMMAND HELP."));
}

BOOST_AUTO_TEST_CASE(time_reads_the_wall_clock) {
  using namespace std::chrono;
  CommandFixture f;
  for (int protocol : {2, 3}) {
    f.set_protocol(protocol);
    int64_t before = duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
    std::string reply = f.run({"time"});
    int64_t after = duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
    // *2 $N seconds $M microseconds
    BOOST_TEST_REQUIRE(reply.rfind("*2\r\n$", 0) == 0u);
    size_t s_len_end = reply.find("\r\n", 5);
    size_t s_len = std::stoul(reply.substr(5, s_len_end - 5));
    std::string seconds = reply.substr(s_len_end + 2, s_len);
    size_t us_hdr = s_len_end + 2 + s_len + 2;
    BOOST_TEST_REQUIRE(reply[us_hdr] == '$');
    size_t us_len_end = reply.find("\r\n", us_hdr);
    size_t us_len = std::stoul(reply.substr(us_hdr + 1, us_len_end - us_hdr - 1));
    std::string micros = reply.substr(us_len_end + 2, us_len);
    BOOST_TEST(reply.size() == us_len_end + 2 + us_len + 2);
    int64_t us = std::stoll(micros);
    BOOST_TEST(us >= 0);
    BOOST_TEST(us < 1000000);
    int64_t t = std::stoll(seconds) * 1000000 + us;
    BOOST_TEST(t >= before);
    BOOST_TEST(t <= after);
  }
  BOOST_TEST(f.run({"time", "x"}) == error("ERR wrong number of arguments for 'time' command"));
}

BOOST_AUTO_TEST_SUITE_END()
