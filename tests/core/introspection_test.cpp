#include <boost/test/unit_test.hpp>

#include <chrono>
#include <string>
#include <vector>

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

constexpr KeySpec kPeekKey[] = {key_range(kKeyRO, 2)};

const CommandSpec kPeekSubcommands[] = {
    {.name = "peek",
     .arity = 3,
     .flags = kReadonly,
     .acl = kAclKeyspace | kAclRead | kAclSlow,
     .key_specs = kPeekKey,
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

// Key-spec shapes the core families do not have yet, copied from Redis's
// commands of the same name without "test".
constexpr KeySpec kZunionstoreKeys[] = {
    key_range(kKeyOW | kKeyUpdate, 1),
    {.flags = kKeyRO | kKeyAccess,
     .begin_search = begin_index(2),
     .find_keys = find_keynum(0, 1, 1)},
};
constexpr KeySpec kXreadKeys[] = {
    {.flags = kKeyRO | kKeyAccess,
     .begin_search = begin_keyword("STREAMS", 1),
     .find_keys = find_range(-1, 1, 2)},
};
constexpr KeySpec kMigrateKeys[] = {
    key_range(kKeyRW | kKeyAccess | kKeyDelete, 3),
    {.flags = kKeyRW | kKeyAccess | kKeyDelete | kKeyIncomplete,
     .begin_search = begin_keyword("KEYS", -2),
     .find_keys = find_range(-1)},
};
constexpr std::string_view kMigrateTips[] = {"nondeterministic_output"};
constexpr KeySpec kSunsubscribeKeys[] = {key_range(kKeyNotKey, 1, -1)};
constexpr KeySpec kBlpopKeys[] = {key_range(kKeyRW | kKeyAccess | kKeyDelete, 1, -2)};
// A spec that cannot tell, with a note, and the getkeys that then answers.
constexpr KeySpec kGuessKeys[] = {
    key_range(kKeyRO | kKeyAccess, 1),
    {.notes = "Keys named inside the value.", .flags = kKeyRO | kKeyAccess},
};
void guess_keys(Args args, std::vector<KeyRef>& keys) {
  for (size_t i = args.size() - 1; i >= 1; --i) {
    keys.push_back({i, kKeyOW});
  }
}
// A keyword searched backwards from the end, as MIGRATE's KEYS but complete.
constexpr KeySpec kTailKeys[] = {
    {.flags = kKeyRO, .begin_search = begin_keyword("KEYS", -2), .find_keys = find_range(-1)},
};

const CommandSpec kTestCommands[] = {
    {.name = "testzunionstore",
     .arity = -4,
     .flags = kWrite | kDenyOom,
     .acl = kAclWrite | kAclSortedSet | kAclSlow,
     .key_specs = kZunionstoreKeys,
     .handler = noop},
    {.name = "testxread",
     .arity = -4,
     .flags = kReadonly | kBlocking,
     .acl = kAclRead | kAclStream | kAclSlow | kAclBlocking,
     .key_specs = kXreadKeys,
     .handler = noop},
    {.name = "testmigrate",
     .arity = -6,
     .flags = kWrite,
     .acl = kAclKeyspace | kAclWrite | kAclSlow | kAclDangerous,
     .tips = kMigrateTips,
     .key_specs = kMigrateKeys,
     .handler = noop},
    {.name = "testsunsubscribe",
     .arity = -1,
     .flags = kPubsub | kNoscript | kLoading | kStale,
     .acl = kAclPubsub | kAclSlow,
     .key_specs = kSunsubscribeKeys,
     .handler = noop},
    {.name = "testblpop",
     .arity = -3,
     .flags = kWrite | kNoscript | kBlocking,
     .acl = kAclWrite | kAclList | kAclSlow | kAclBlocking,
     .key_specs = kBlpopKeys,
     .handler = noop},
    {.name = "testallflags", .arity = 1, .flags = 0x3ffff, .acl = 0x1fffff, .handler = noop},
    {.name = "testguess",
     .arity = -2,
     .flags = kReadonly,
     .acl = kAclRead | kAclSlow,
     .key_specs = kGuessKeys,
     .getkeys = guess_keys,
     .handler = noop},
    {.name = "testtail", .arity = -2, .flags = kReadonly, .key_specs = kTailKeys, .handler = noop},
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

// redis: COMMAND INFO <name>, one entry, in RESP2 and RESP3.
const std::string kGetInfoResp2 =
    "*10\r\n$3\r\nget\r\n:2\r\n*2\r\n+readonly\r\n+fast\r\n:1\r\n:1\r\n:1\r\n*3\r\n"
    "+@read\r\n+@string\r\n+@fast\r\n*0\r\n*1\r\n*6\r\n$5\r\nflags\r\n*2\r\n+RO\r\n"
    "+access\r\n$12\r\nbegin_search\r\n*4\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n"
    "*2\r\n$5\r\nindex\r\n:1\r\n$9\r\nfind_keys\r\n*4\r\n$4\r\ntype\r\n$5\r\nrange\r\n"
    "$4\r\nspec\r\n*6\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n"
    ":0\r\n*0\r\n";
const std::string kGetInfoResp3 =
    "*10\r\n$3\r\nget\r\n:2\r\n~2\r\n+readonly\r\n+fast\r\n:1\r\n:1\r\n:1\r\n~3\r\n"
    "+@read\r\n+@string\r\n+@fast\r\n~0\r\n~1\r\n%3\r\n$5\r\nflags\r\n~2\r\n+RO\r\n"
    "+access\r\n$12\r\nbegin_search\r\n%2\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n"
    "%1\r\n$5\r\nindex\r\n:1\r\n$9\r\nfind_keys\r\n%2\r\n$4\r\ntype\r\n$5\r\nrange\r\n"
    "$4\r\nspec\r\n%3\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n"
    ":0\r\n~0\r\n";
// Redis's SET key spec also has a "notes" entry, Redis's own prose, which
// Vireo leaves out; these are Redis's bytes without it.
const std::string kSetInfoResp2 =
    "*10\r\n$3\r\nset\r\n:-3\r\n*2\r\n+write\r\n+denyoom\r\n:1\r\n:1\r\n:1\r\n*3\r\n"
    "+@write\r\n+@string\r\n+@slow\r\n*0\r\n*1\r\n*6\r\n$5\r\nflags\r\n*4\r\n+RW\r\n"
    "+access\r\n+update\r\n+variable_flags\r\n$12\r\nbegin_search\r\n*4\r\n$4\r\ntype\r\n"
    "$5\r\nindex\r\n$4\r\nspec\r\n*2\r\n$5\r\nindex\r\n:1\r\n$9\r\nfind_keys\r\n*4\r\n"
    "$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n*6\r\n$7\r\nlastkey\r\n:0\r\n$7\r\n"
    "keystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n*0\r\n";
const std::string kSetInfoResp3 =
    "*10\r\n$3\r\nset\r\n:-3\r\n~2\r\n+write\r\n+denyoom\r\n:1\r\n:1\r\n:1\r\n~3\r\n"
    "+@write\r\n+@string\r\n+@slow\r\n~0\r\n~1\r\n%3\r\n$5\r\nflags\r\n~4\r\n+RW\r\n"
    "+access\r\n+update\r\n+variable_flags\r\n$12\r\nbegin_search\r\n%2\r\n$4\r\ntype\r\n"
    "$5\r\nindex\r\n$4\r\nspec\r\n%1\r\n$5\r\nindex\r\n:1\r\n$9\r\nfind_keys\r\n%2\r\n"
    "$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n%3\r\n$7\r\nlastkey\r\n:0\r\n$7\r\n"
    "keystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n~0\r\n";
const std::string kDelInfoResp2 =
    "*10\r\n$3\r\ndel\r\n:-2\r\n*1\r\n+write\r\n:1\r\n:-1\r\n:1\r\n*3\r\n+@keyspace\r\n"
    "+@write\r\n+@slow\r\n*2\r\n$26\r\nrequest_policy:multi_shard\r\n$23\r\n"
    "response_policy:agg_sum\r\n*1\r\n*6\r\n$5\r\nflags\r\n*2\r\n+RM\r\n+delete\r\n"
    "$12\r\nbegin_search\r\n*4\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n*2\r\n$5\r\n"
    "index\r\n:1\r\n$9\r\nfind_keys\r\n*4\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n"
    "*6\r\n$7\r\nlastkey\r\n:-1\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n*0\r\n";
const std::string kDelInfoResp3 =
    "*10\r\n$3\r\ndel\r\n:-2\r\n~1\r\n+write\r\n:1\r\n:-1\r\n:1\r\n~3\r\n+@keyspace\r\n"
    "+@write\r\n+@slow\r\n~2\r\n$26\r\nrequest_policy:multi_shard\r\n$23\r\n"
    "response_policy:agg_sum\r\n~1\r\n%3\r\n$5\r\nflags\r\n~2\r\n+RM\r\n+delete\r\n"
    "$12\r\nbegin_search\r\n%2\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n%1\r\n$5\r\n"
    "index\r\n:1\r\n$9\r\nfind_keys\r\n%2\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n"
    "%3\r\n$7\r\nlastkey\r\n:-1\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n~0\r\n";
const std::string kMsetInfoResp2 =
    "*10\r\n$4\r\nmset\r\n:-3\r\n*2\r\n+write\r\n+denyoom\r\n:1\r\n:-1\r\n:2\r\n*3\r\n"
    "+@write\r\n+@string\r\n+@slow\r\n*2\r\n$26\r\nrequest_policy:multi_shard\r\n$29\r\n"
    "response_policy:all_succeeded\r\n*1\r\n*6\r\n$5\r\nflags\r\n*2\r\n+OW\r\n+update\r\n"
    "$12\r\nbegin_search\r\n*4\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n*2\r\n$5\r\n"
    "index\r\n:1\r\n$9\r\nfind_keys\r\n*4\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n"
    "*6\r\n$7\r\nlastkey\r\n:-1\r\n$7\r\nkeystep\r\n:2\r\n$5\r\nlimit\r\n:0\r\n*0\r\n";
const std::string kMsetInfoResp3 =
    "*10\r\n$4\r\nmset\r\n:-3\r\n~2\r\n+write\r\n+denyoom\r\n:1\r\n:-1\r\n:2\r\n~3\r\n"
    "+@write\r\n+@string\r\n+@slow\r\n~2\r\n$26\r\nrequest_policy:multi_shard\r\n$29\r\n"
    "response_policy:all_succeeded\r\n~1\r\n%3\r\n$5\r\nflags\r\n~2\r\n+OW\r\n+update\r\n"
    "$12\r\nbegin_search\r\n%2\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n%1\r\n$5\r\n"
    "index\r\n:1\r\n$9\r\nfind_keys\r\n%2\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n"
    "%3\r\n$7\r\nlastkey\r\n:-1\r\n$7\r\nkeystep\r\n:2\r\n$5\r\nlimit\r\n:0\r\n~0\r\n";
const std::string kCopyInfoResp2 =
    "*10\r\n$4\r\ncopy\r\n:-3\r\n*2\r\n+write\r\n+denyoom\r\n:1\r\n:2\r\n:1\r\n*3\r\n"
    "+@keyspace\r\n+@write\r\n+@slow\r\n*0\r\n*2\r\n*6\r\n$5\r\nflags\r\n*2\r\n+RO\r\n"
    "+access\r\n$12\r\nbegin_search\r\n*4\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n"
    "*2\r\n$5\r\nindex\r\n:1\r\n$9\r\nfind_keys\r\n*4\r\n$4\r\ntype\r\n$5\r\nrange\r\n"
    "$4\r\nspec\r\n*6\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n"
    ":0\r\n*6\r\n$5\r\nflags\r\n*2\r\n+OW\r\n+update\r\n$12\r\nbegin_search\r\n*4\r\n"
    "$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n*2\r\n$5\r\nindex\r\n:2\r\n$9\r\n"
    "find_keys\r\n*4\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n*6\r\n$7\r\n"
    "lastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n*0\r\n";
const std::string kCopyInfoResp3 =
    "*10\r\n$4\r\ncopy\r\n:-3\r\n~2\r\n+write\r\n+denyoom\r\n:1\r\n:2\r\n:1\r\n~3\r\n"
    "+@keyspace\r\n+@write\r\n+@slow\r\n~0\r\n~2\r\n%3\r\n$5\r\nflags\r\n~2\r\n+RO\r\n"
    "+access\r\n$12\r\nbegin_search\r\n%2\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n"
    "%1\r\n$5\r\nindex\r\n:1\r\n$9\r\nfind_keys\r\n%2\r\n$4\r\ntype\r\n$5\r\nrange\r\n"
    "$4\r\nspec\r\n%3\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n"
    ":0\r\n%3\r\n$5\r\nflags\r\n~2\r\n+OW\r\n+update\r\n$12\r\nbegin_search\r\n%2\r\n"
    "$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n%1\r\n$5\r\nindex\r\n:2\r\n$9\r\n"
    "find_keys\r\n%2\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n%3\r\n$7\r\n"
    "lastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n~0\r\n";
const std::string kRenameInfoResp2 =
    "*10\r\n$6\r\nrename\r\n:3\r\n*1\r\n+write\r\n:1\r\n:2\r\n:1\r\n*3\r\n+@keyspace\r\n"
    "+@write\r\n+@slow\r\n*0\r\n*2\r\n*6\r\n$5\r\nflags\r\n*3\r\n+RW\r\n+access\r\n"
    "+delete\r\n$12\r\nbegin_search\r\n*4\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n"
    "*2\r\n$5\r\nindex\r\n:1\r\n$9\r\nfind_keys\r\n*4\r\n$4\r\ntype\r\n$5\r\nrange\r\n"
    "$4\r\nspec\r\n*6\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n"
    ":0\r\n*6\r\n$5\r\nflags\r\n*2\r\n+OW\r\n+update\r\n$12\r\nbegin_search\r\n*4\r\n"
    "$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n*2\r\n$5\r\nindex\r\n:2\r\n$9\r\n"
    "find_keys\r\n*4\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n*6\r\n$7\r\n"
    "lastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n*0\r\n";
const std::string kRenameInfoResp3 =
    "*10\r\n$6\r\nrename\r\n:3\r\n~1\r\n+write\r\n:1\r\n:2\r\n:1\r\n~3\r\n+@keyspace\r\n"
    "+@write\r\n+@slow\r\n~0\r\n~2\r\n%3\r\n$5\r\nflags\r\n~3\r\n+RW\r\n+access\r\n"
    "+delete\r\n$12\r\nbegin_search\r\n%2\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n"
    "%1\r\n$5\r\nindex\r\n:1\r\n$9\r\nfind_keys\r\n%2\r\n$4\r\ntype\r\n$5\r\nrange\r\n"
    "$4\r\nspec\r\n%3\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n"
    ":0\r\n%3\r\n$5\r\nflags\r\n~2\r\n+OW\r\n+update\r\n$12\r\nbegin_search\r\n%2\r\n"
    "$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n%1\r\n$5\r\nindex\r\n:2\r\n$9\r\n"
    "find_keys\r\n%2\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n%3\r\n$7\r\n"
    "lastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n~0\r\n";
const std::string kExpireInfoResp2 =
    "*10\r\n$6\r\nexpire\r\n:-3\r\n*2\r\n+write\r\n+fast\r\n:1\r\n:1\r\n:1\r\n*3\r\n"
    "+@keyspace\r\n+@write\r\n+@fast\r\n*0\r\n*1\r\n*6\r\n$5\r\nflags\r\n*2\r\n+RW\r\n"
    "+update\r\n$12\r\nbegin_search\r\n*4\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n"
    "*2\r\n$5\r\nindex\r\n:1\r\n$9\r\nfind_keys\r\n*4\r\n$4\r\ntype\r\n$5\r\nrange\r\n"
    "$4\r\nspec\r\n*6\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n"
    ":0\r\n*0\r\n";
const std::string kExpireInfoResp3 =
    "*10\r\n$6\r\nexpire\r\n:-3\r\n~2\r\n+write\r\n+fast\r\n:1\r\n:1\r\n:1\r\n~3\r\n"
    "+@keyspace\r\n+@write\r\n+@fast\r\n~0\r\n~1\r\n%3\r\n$5\r\nflags\r\n~2\r\n+RW\r\n"
    "+update\r\n$12\r\nbegin_search\r\n%2\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n"
    "%1\r\n$5\r\nindex\r\n:1\r\n$9\r\nfind_keys\r\n%2\r\n$4\r\ntype\r\n$5\r\nrange\r\n"
    "$4\r\nspec\r\n%3\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n"
    ":0\r\n~0\r\n";
const std::string kScanInfoResp2 =
    "*10\r\n$4\r\nscan\r\n:-2\r\n*1\r\n+readonly\r\n:0\r\n:0\r\n:0\r\n*3\r\n"
    "+@keyspace\r\n+@read\r\n+@slow\r\n*2\r\n$23\r\nnondeterministic_output\r\n$22\r\n"
    "request_policy:special\r\n*0\r\n*0\r\n";
const std::string kScanInfoResp3 =
    "*10\r\n$4\r\nscan\r\n:-2\r\n~1\r\n+readonly\r\n:0\r\n:0\r\n:0\r\n~3\r\n"
    "+@keyspace\r\n+@read\r\n+@slow\r\n~2\r\n$23\r\nnondeterministic_output\r\n$22\r\n"
    "request_policy:special\r\n~0\r\n~0\r\n";
// Redis lists subcommands in the order of a hash table seeded at random on
// each start; these are its entries in Vireo's table order.
const std::string kObjectInfoResp2 =
    "*10\r\n$6\r\nobject\r\n:-2\r\n*0\r\n:0\r\n:0\r\n:0\r\n*1\r\n+@slow\r\n*0\r\n*0\r\n"
    "*5\r\n*10\r\n$15\r\nobject|encoding\r\n:3\r\n*1\r\n+readonly\r\n:2\r\n:2\r\n:1\r\n"
    "*3\r\n+@keyspace\r\n+@read\r\n+@slow\r\n*1\r\n$23\r\nnondeterministic_output\r\n"
    "*1\r\n*6\r\n$5\r\nflags\r\n*1\r\n+RO\r\n$12\r\nbegin_search\r\n*4\r\n$4\r\ntype\r\n"
    "$5\r\nindex\r\n$4\r\nspec\r\n*2\r\n$5\r\nindex\r\n:2\r\n$9\r\nfind_keys\r\n*4\r\n"
    "$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n*6\r\n$7\r\nlastkey\r\n:0\r\n$7\r\n"
    "keystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n*0\r\n*10\r\n$11\r\nobject|freq\r\n:3\r\n"
    "*1\r\n+readonly\r\n:2\r\n:2\r\n:1\r\n*3\r\n+@keyspace\r\n+@read\r\n+@slow\r\n*1\r\n"
    "$23\r\nnondeterministic_output\r\n*1\r\n*6\r\n$5\r\nflags\r\n*1\r\n+RO\r\n$12\r\n"
    "begin_search\r\n*4\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n*2\r\n$5\r\n"
    "index\r\n:2\r\n$9\r\nfind_keys\r\n*4\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n"
    "*6\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n*0\r\n"
    "*10\r\n$11\r\nobject|help\r\n:2\r\n*2\r\n+loading\r\n+stale\r\n:0\r\n:0\r\n:0\r\n"
    "*2\r\n+@keyspace\r\n+@slow\r\n*0\r\n*0\r\n*0\r\n*10\r\n$15\r\nobject|idletime\r\n"
    ":3\r\n*1\r\n+readonly\r\n:2\r\n:2\r\n:1\r\n*3\r\n+@keyspace\r\n+@read\r\n+@slow\r\n"
    "*1\r\n$23\r\nnondeterministic_output\r\n*1\r\n*6\r\n$5\r\nflags\r\n*1\r\n+RO\r\n"
    "$12\r\nbegin_search\r\n*4\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n*2\r\n$5\r\n"
    "index\r\n:2\r\n$9\r\nfind_keys\r\n*4\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n"
    "*6\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n*0\r\n"
    "*10\r\n$15\r\nobject|refcount\r\n:3\r\n*1\r\n+readonly\r\n:2\r\n:2\r\n:1\r\n*3\r\n"
    "+@keyspace\r\n+@read\r\n+@slow\r\n*1\r\n$23\r\nnondeterministic_output\r\n*1\r\n"
    "*6\r\n$5\r\nflags\r\n*1\r\n+RO\r\n$12\r\nbegin_search\r\n*4\r\n$4\r\ntype\r\n$5\r\n"
    "index\r\n$4\r\nspec\r\n*2\r\n$5\r\nindex\r\n:2\r\n$9\r\nfind_keys\r\n*4\r\n$4\r\n"
    "type\r\n$5\r\nrange\r\n$4\r\nspec\r\n*6\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n"
    ":1\r\n$5\r\nlimit\r\n:0\r\n*0\r\n";
const std::string kObjectInfoResp3 =
    "*10\r\n$6\r\nobject\r\n:-2\r\n~0\r\n:0\r\n:0\r\n:0\r\n~1\r\n+@slow\r\n~0\r\n~0\r\n"
    "*5\r\n*10\r\n$15\r\nobject|encoding\r\n:3\r\n~1\r\n+readonly\r\n:2\r\n:2\r\n:1\r\n"
    "~3\r\n+@keyspace\r\n+@read\r\n+@slow\r\n~1\r\n$23\r\nnondeterministic_output\r\n"
    "~1\r\n%3\r\n$5\r\nflags\r\n~1\r\n+RO\r\n$12\r\nbegin_search\r\n%2\r\n$4\r\ntype\r\n"
    "$5\r\nindex\r\n$4\r\nspec\r\n%1\r\n$5\r\nindex\r\n:2\r\n$9\r\nfind_keys\r\n%2\r\n"
    "$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n%3\r\n$7\r\nlastkey\r\n:0\r\n$7\r\n"
    "keystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n~0\r\n*10\r\n$11\r\nobject|freq\r\n:3\r\n"
    "~1\r\n+readonly\r\n:2\r\n:2\r\n:1\r\n~3\r\n+@keyspace\r\n+@read\r\n+@slow\r\n~1\r\n"
    "$23\r\nnondeterministic_output\r\n~1\r\n%3\r\n$5\r\nflags\r\n~1\r\n+RO\r\n$12\r\n"
    "begin_search\r\n%2\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n%1\r\n$5\r\n"
    "index\r\n:2\r\n$9\r\nfind_keys\r\n%2\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n"
    "%3\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n~0\r\n"
    "*10\r\n$11\r\nobject|help\r\n:2\r\n~2\r\n+loading\r\n+stale\r\n:0\r\n:0\r\n:0\r\n"
    "~2\r\n+@keyspace\r\n+@slow\r\n~0\r\n~0\r\n~0\r\n*10\r\n$15\r\nobject|idletime\r\n"
    ":3\r\n~1\r\n+readonly\r\n:2\r\n:2\r\n:1\r\n~3\r\n+@keyspace\r\n+@read\r\n+@slow\r\n"
    "~1\r\n$23\r\nnondeterministic_output\r\n~1\r\n%3\r\n$5\r\nflags\r\n~1\r\n+RO\r\n"
    "$12\r\nbegin_search\r\n%2\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n%1\r\n$5\r\n"
    "index\r\n:2\r\n$9\r\nfind_keys\r\n%2\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n"
    "%3\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n~0\r\n"
    "*10\r\n$15\r\nobject|refcount\r\n:3\r\n~1\r\n+readonly\r\n:2\r\n:2\r\n:1\r\n~3\r\n"
    "+@keyspace\r\n+@read\r\n+@slow\r\n~1\r\n$23\r\nnondeterministic_output\r\n~1\r\n"
    "%3\r\n$5\r\nflags\r\n~1\r\n+RO\r\n$12\r\nbegin_search\r\n%2\r\n$4\r\ntype\r\n$5\r\n"
    "index\r\n$4\r\nspec\r\n%1\r\n$5\r\nindex\r\n:2\r\n$9\r\nfind_keys\r\n%2\r\n$4\r\n"
    "type\r\n$5\r\nrange\r\n$4\r\nspec\r\n%3\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n"
    ":1\r\n$5\r\nlimit\r\n:0\r\n~0\r\n";
const std::string kPingInfoResp2 =
    "*10\r\n$4\r\nping\r\n:-1\r\n*1\r\n+fast\r\n:0\r\n:0\r\n:0\r\n*2\r\n+@fast\r\n"
    "+@connection\r\n*2\r\n$25\r\nrequest_policy:all_shards\r\n$29\r\n"
    "response_policy:all_succeeded\r\n*0\r\n*0\r\n";
const std::string kPingInfoResp3 =
    "*10\r\n$4\r\nping\r\n:-1\r\n~1\r\n+fast\r\n:0\r\n:0\r\n:0\r\n~2\r\n+@fast\r\n"
    "+@connection\r\n~2\r\n$25\r\nrequest_policy:all_shards\r\n$29\r\n"
    "response_policy:all_succeeded\r\n~0\r\n~0\r\n";
const std::string kCommandInfoResp2 =
    "*10\r\n$7\r\ncommand\r\n:-1\r\n*2\r\n+loading\r\n+stale\r\n:0\r\n:0\r\n:0\r\n*2\r\n"
    "+@slow\r\n+@connection\r\n*1\r\n$29\r\nnondeterministic_output_order\r\n*0\r\n*7\r\n"
    "*10\r\n$13\r\ncommand|count\r\n:2\r\n*2\r\n+loading\r\n+stale\r\n:0\r\n:0\r\n:0\r\n"
    "*2\r\n+@slow\r\n+@connection\r\n*0\r\n*0\r\n*0\r\n*10\r\n$12\r\ncommand|docs\r\n"
    ":-2\r\n*2\r\n+loading\r\n+stale\r\n:0\r\n:0\r\n:0\r\n*2\r\n+@slow\r\n"
    "+@connection\r\n*1\r\n$29\r\nnondeterministic_output_order\r\n*0\r\n*0\r\n*10\r\n"
    "$15\r\ncommand|getkeys\r\n:-4\r\n*2\r\n+loading\r\n+stale\r\n:0\r\n:0\r\n:0\r\n"
    "*2\r\n+@slow\r\n+@connection\r\n*0\r\n*0\r\n*0\r\n*10\r\n$23\r\n"
    "command|getkeysandflags\r\n:-4\r\n*2\r\n+loading\r\n+stale\r\n:0\r\n:0\r\n:0\r\n"
    "*2\r\n+@slow\r\n+@connection\r\n*0\r\n*0\r\n*0\r\n*10\r\n$12\r\ncommand|help\r\n"
    ":2\r\n*2\r\n+loading\r\n+stale\r\n:0\r\n:0\r\n:0\r\n*2\r\n+@slow\r\n+@connection\r\n"
    "*0\r\n*0\r\n*0\r\n*10\r\n$12\r\ncommand|info\r\n:-2\r\n*2\r\n+loading\r\n+stale\r\n"
    ":0\r\n:0\r\n:0\r\n*2\r\n+@slow\r\n+@connection\r\n*1\r\n$29\r\n"
    "nondeterministic_output_order\r\n*0\r\n*0\r\n*10\r\n$12\r\ncommand|list\r\n:-2\r\n"
    "*2\r\n+loading\r\n+stale\r\n:0\r\n:0\r\n:0\r\n*2\r\n+@slow\r\n+@connection\r\n*1\r\n"
    "$29\r\nnondeterministic_output_order\r\n*0\r\n*0\r\n";
const std::string kCommandInfoResp3 =
    "*10\r\n$7\r\ncommand\r\n:-1\r\n~2\r\n+loading\r\n+stale\r\n:0\r\n:0\r\n:0\r\n~2\r\n"
    "+@slow\r\n+@connection\r\n~1\r\n$29\r\nnondeterministic_output_order\r\n~0\r\n*7\r\n"
    "*10\r\n$13\r\ncommand|count\r\n:2\r\n~2\r\n+loading\r\n+stale\r\n:0\r\n:0\r\n:0\r\n"
    "~2\r\n+@slow\r\n+@connection\r\n~0\r\n~0\r\n~0\r\n*10\r\n$12\r\ncommand|docs\r\n"
    ":-2\r\n~2\r\n+loading\r\n+stale\r\n:0\r\n:0\r\n:0\r\n~2\r\n+@slow\r\n"
    "+@connection\r\n~1\r\n$29\r\nnondeterministic_output_order\r\n~0\r\n~0\r\n*10\r\n"
    "$15\r\ncommand|getkeys\r\n:-4\r\n~2\r\n+loading\r\n+stale\r\n:0\r\n:0\r\n:0\r\n"
    "~2\r\n+@slow\r\n+@connection\r\n~0\r\n~0\r\n~0\r\n*10\r\n$23\r\n"
    "command|getkeysandflags\r\n:-4\r\n~2\r\n+loading\r\n+stale\r\n:0\r\n:0\r\n:0\r\n"
    "~2\r\n+@slow\r\n+@connection\r\n~0\r\n~0\r\n~0\r\n*10\r\n$12\r\ncommand|help\r\n"
    ":2\r\n~2\r\n+loading\r\n+stale\r\n:0\r\n:0\r\n:0\r\n~2\r\n+@slow\r\n+@connection\r\n"
    "~0\r\n~0\r\n~0\r\n*10\r\n$12\r\ncommand|info\r\n:-2\r\n~2\r\n+loading\r\n+stale\r\n"
    ":0\r\n:0\r\n:0\r\n~2\r\n+@slow\r\n+@connection\r\n~1\r\n$29\r\n"
    "nondeterministic_output_order\r\n~0\r\n~0\r\n*10\r\n$12\r\ncommand|list\r\n:-2\r\n"
    "~2\r\n+loading\r\n+stale\r\n:0\r\n:0\r\n:0\r\n~2\r\n+@slow\r\n+@connection\r\n~1\r\n"
    "$29\r\nnondeterministic_output_order\r\n~0\r\n~0\r\n";

// redis: COMMAND INFO ZUNIONSTORE XREAD MIGRATE SUNSUBSCRIBE BLPOP, each
// renamed test<name>.
const std::string kTestZunionstoreInfoResp2 =
    "*10\r\n$15\r\ntestzunionstore\r\n:-4\r\n*3\r\n+write\r\n+denyoom\r\n+movablekeys\r\n"
    ":1\r\n:1\r\n:1\r\n*3\r\n+@write\r\n+@sortedset\r\n+@slow\r\n*0\r\n*2\r\n*6\r\n$5\r\n"
    "flags\r\n*2\r\n+OW\r\n+update\r\n$12\r\nbegin_search\r\n*4\r\n$4\r\ntype\r\n$5\r\n"
    "index\r\n$4\r\nspec\r\n*2\r\n$5\r\nindex\r\n:1\r\n$9\r\nfind_keys\r\n*4\r\n$4\r\n"
    "type\r\n$5\r\nrange\r\n$4\r\nspec\r\n*6\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n"
    ":1\r\n$5\r\nlimit\r\n:0\r\n*6\r\n$5\r\nflags\r\n*2\r\n+RO\r\n+access\r\n$12\r\n"
    "begin_search\r\n*4\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n*2\r\n$5\r\n"
    "index\r\n:2\r\n$9\r\nfind_keys\r\n*4\r\n$4\r\ntype\r\n$6\r\nkeynum\r\n$4\r\nspec\r\n"
    "*6\r\n$9\r\nkeynumidx\r\n:0\r\n$8\r\nfirstkey\r\n:1\r\n$7\r\nkeystep\r\n:1\r\n*0\r\n";
const std::string kTestZunionstoreInfoResp3 =
    "*10\r\n$15\r\ntestzunionstore\r\n:-4\r\n~3\r\n+write\r\n+denyoom\r\n+movablekeys\r\n"
    ":1\r\n:1\r\n:1\r\n~3\r\n+@write\r\n+@sortedset\r\n+@slow\r\n~0\r\n~2\r\n%3\r\n$5\r\n"
    "flags\r\n~2\r\n+OW\r\n+update\r\n$12\r\nbegin_search\r\n%2\r\n$4\r\ntype\r\n$5\r\n"
    "index\r\n$4\r\nspec\r\n%1\r\n$5\r\nindex\r\n:1\r\n$9\r\nfind_keys\r\n%2\r\n$4\r\n"
    "type\r\n$5\r\nrange\r\n$4\r\nspec\r\n%3\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n"
    ":1\r\n$5\r\nlimit\r\n:0\r\n%3\r\n$5\r\nflags\r\n~2\r\n+RO\r\n+access\r\n$12\r\n"
    "begin_search\r\n%2\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n%1\r\n$5\r\n"
    "index\r\n:2\r\n$9\r\nfind_keys\r\n%2\r\n$4\r\ntype\r\n$6\r\nkeynum\r\n$4\r\nspec\r\n"
    "%3\r\n$9\r\nkeynumidx\r\n:0\r\n$8\r\nfirstkey\r\n:1\r\n$7\r\nkeystep\r\n:1\r\n~0\r\n";
const std::string kTestXreadInfoResp2 =
    "*10\r\n$9\r\ntestxread\r\n:-4\r\n*3\r\n+readonly\r\n+blocking\r\n+movablekeys\r\n"
    ":0\r\n:0\r\n:0\r\n*4\r\n+@read\r\n+@stream\r\n+@slow\r\n+@blocking\r\n*0\r\n*1\r\n"
    "*6\r\n$5\r\nflags\r\n*2\r\n+RO\r\n+access\r\n$12\r\nbegin_search\r\n*4\r\n$4\r\n"
    "type\r\n$7\r\nkeyword\r\n$4\r\nspec\r\n*4\r\n$7\r\nkeyword\r\n$7\r\nSTREAMS\r\n"
    "$9\r\nstartfrom\r\n:1\r\n$9\r\nfind_keys\r\n*4\r\n$4\r\ntype\r\n$5\r\nrange\r\n"
    "$4\r\nspec\r\n*6\r\n$7\r\nlastkey\r\n:-1\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n"
    ":2\r\n*0\r\n";
const std::string kTestXreadInfoResp3 =
    "*10\r\n$9\r\ntestxread\r\n:-4\r\n~3\r\n+readonly\r\n+blocking\r\n+movablekeys\r\n"
    ":0\r\n:0\r\n:0\r\n~4\r\n+@read\r\n+@stream\r\n+@slow\r\n+@blocking\r\n~0\r\n~1\r\n"
    "%3\r\n$5\r\nflags\r\n~2\r\n+RO\r\n+access\r\n$12\r\nbegin_search\r\n%2\r\n$4\r\n"
    "type\r\n$7\r\nkeyword\r\n$4\r\nspec\r\n%2\r\n$7\r\nkeyword\r\n$7\r\nSTREAMS\r\n"
    "$9\r\nstartfrom\r\n:1\r\n$9\r\nfind_keys\r\n%2\r\n$4\r\ntype\r\n$5\r\nrange\r\n"
    "$4\r\nspec\r\n%3\r\n$7\r\nlastkey\r\n:-1\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n"
    ":2\r\n~0\r\n";
const std::string kTestMigrateInfoResp2 =
    "*10\r\n$11\r\ntestmigrate\r\n:-6\r\n*2\r\n+write\r\n+movablekeys\r\n:3\r\n:3\r\n"
    ":1\r\n*4\r\n+@keyspace\r\n+@write\r\n+@slow\r\n+@dangerous\r\n*1\r\n$23\r\n"
    "nondeterministic_output\r\n*2\r\n*6\r\n$5\r\nflags\r\n*3\r\n+RW\r\n+access\r\n"
    "+delete\r\n$12\r\nbegin_search\r\n*4\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n"
    "*2\r\n$5\r\nindex\r\n:3\r\n$9\r\nfind_keys\r\n*4\r\n$4\r\ntype\r\n$5\r\nrange\r\n"
    "$4\r\nspec\r\n*6\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n"
    ":0\r\n*6\r\n$5\r\nflags\r\n*4\r\n+RW\r\n+access\r\n+delete\r\n+incomplete\r\n$12\r\n"
    "begin_search\r\n*4\r\n$4\r\ntype\r\n$7\r\nkeyword\r\n$4\r\nspec\r\n*4\r\n$7\r\n"
    "keyword\r\n$4\r\nKEYS\r\n$9\r\nstartfrom\r\n:-2\r\n$9\r\nfind_keys\r\n*4\r\n$4\r\n"
    "type\r\n$5\r\nrange\r\n$4\r\nspec\r\n*6\r\n$7\r\nlastkey\r\n:-1\r\n$7\r\nkeystep\r\n"
    ":1\r\n$5\r\nlimit\r\n:0\r\n*0\r\n";
const std::string kTestMigrateInfoResp3 =
    "*10\r\n$11\r\ntestmigrate\r\n:-6\r\n~2\r\n+write\r\n+movablekeys\r\n:3\r\n:3\r\n"
    ":1\r\n~4\r\n+@keyspace\r\n+@write\r\n+@slow\r\n+@dangerous\r\n~1\r\n$23\r\n"
    "nondeterministic_output\r\n~2\r\n%3\r\n$5\r\nflags\r\n~3\r\n+RW\r\n+access\r\n"
    "+delete\r\n$12\r\nbegin_search\r\n%2\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n"
    "%1\r\n$5\r\nindex\r\n:3\r\n$9\r\nfind_keys\r\n%2\r\n$4\r\ntype\r\n$5\r\nrange\r\n"
    "$4\r\nspec\r\n%3\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n"
    ":0\r\n%3\r\n$5\r\nflags\r\n~4\r\n+RW\r\n+access\r\n+delete\r\n+incomplete\r\n$12\r\n"
    "begin_search\r\n%2\r\n$4\r\ntype\r\n$7\r\nkeyword\r\n$4\r\nspec\r\n%2\r\n$7\r\n"
    "keyword\r\n$4\r\nKEYS\r\n$9\r\nstartfrom\r\n:-2\r\n$9\r\nfind_keys\r\n%2\r\n$4\r\n"
    "type\r\n$5\r\nrange\r\n$4\r\nspec\r\n%3\r\n$7\r\nlastkey\r\n:-1\r\n$7\r\nkeystep\r\n"
    ":1\r\n$5\r\nlimit\r\n:0\r\n~0\r\n";
const std::string kTestSunsubscribeInfoResp2 =
    "*10\r\n$16\r\ntestsunsubscribe\r\n:-1\r\n*4\r\n+pubsub\r\n+noscript\r\n+loading\r\n"
    "+stale\r\n:1\r\n:-1\r\n:1\r\n*2\r\n+@pubsub\r\n+@slow\r\n*0\r\n*1\r\n*6\r\n$5\r\n"
    "flags\r\n*1\r\n+not_key\r\n$12\r\nbegin_search\r\n*4\r\n$4\r\ntype\r\n$5\r\n"
    "index\r\n$4\r\nspec\r\n*2\r\n$5\r\nindex\r\n:1\r\n$9\r\nfind_keys\r\n*4\r\n$4\r\n"
    "type\r\n$5\r\nrange\r\n$4\r\nspec\r\n*6\r\n$7\r\nlastkey\r\n:-1\r\n$7\r\nkeystep\r\n"
    ":1\r\n$5\r\nlimit\r\n:0\r\n*0\r\n";
const std::string kTestSunsubscribeInfoResp3 =
    "*10\r\n$16\r\ntestsunsubscribe\r\n:-1\r\n~4\r\n+pubsub\r\n+noscript\r\n+loading\r\n"
    "+stale\r\n:1\r\n:-1\r\n:1\r\n~2\r\n+@pubsub\r\n+@slow\r\n~0\r\n~1\r\n%3\r\n$5\r\n"
    "flags\r\n~1\r\n+not_key\r\n$12\r\nbegin_search\r\n%2\r\n$4\r\ntype\r\n$5\r\n"
    "index\r\n$4\r\nspec\r\n%1\r\n$5\r\nindex\r\n:1\r\n$9\r\nfind_keys\r\n%2\r\n$4\r\n"
    "type\r\n$5\r\nrange\r\n$4\r\nspec\r\n%3\r\n$7\r\nlastkey\r\n:-1\r\n$7\r\nkeystep\r\n"
    ":1\r\n$5\r\nlimit\r\n:0\r\n~0\r\n";
const std::string kTestBlpopInfoResp2 =
    "*10\r\n$9\r\ntestblpop\r\n:-3\r\n*3\r\n+write\r\n+noscript\r\n+blocking\r\n:1\r\n"
    ":-2\r\n:1\r\n*4\r\n+@write\r\n+@list\r\n+@slow\r\n+@blocking\r\n*0\r\n*1\r\n*6\r\n"
    "$5\r\nflags\r\n*3\r\n+RW\r\n+access\r\n+delete\r\n$12\r\nbegin_search\r\n*4\r\n"
    "$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n*2\r\n$5\r\nindex\r\n:1\r\n$9\r\n"
    "find_keys\r\n*4\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n*6\r\n$7\r\n"
    "lastkey\r\n:-2\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n*0\r\n";
const std::string kTestBlpopInfoResp3 =
    "*10\r\n$9\r\ntestblpop\r\n:-3\r\n~3\r\n+write\r\n+noscript\r\n+blocking\r\n:1\r\n"
    ":-2\r\n:1\r\n~4\r\n+@write\r\n+@list\r\n+@slow\r\n+@blocking\r\n~0\r\n~1\r\n%3\r\n"
    "$5\r\nflags\r\n~3\r\n+RW\r\n+access\r\n+delete\r\n$12\r\nbegin_search\r\n%2\r\n"
    "$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n%1\r\n$5\r\nindex\r\n:1\r\n$9\r\n"
    "find_keys\r\n%2\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n%3\r\n$7\r\n"
    "lastkey\r\n:-2\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n~0\r\n";

struct InfoBytes {
  const char* name;
  const std::string& resp2;
  const std::string& resp3;
};

// The ten-element entry of a keyless COMMAND subcommand (loading, stale,
// @slow @connection, no tips), as Redis gives it.
std::string command_sub_entry(std::string_view name, int arity, int protocol) {
  std::string set = protocol == 3 ? "~" : "*";
  return "*10\r\n" + bulk(name) + integer(arity) + set + "2\r\n+loading\r\n+stale\r\n" +
         ":0\r\n:0\r\n:0\r\n" + set + "2\r\n+@slow\r\n+@connection\r\n" + set + "0\r\n" + set +
         "0\r\n" + set + "0\r\n";
}

}  // namespace

BOOST_AUTO_TEST_SUITE(introspection)

// --- COMMAND INFO ---------------------------------------------------------------

BOOST_AUTO_TEST_CASE(info_matches_redis) {
  const InfoBytes cases[] = {
      {"get", kGetInfoResp2, kGetInfoResp3},
      {"set", kSetInfoResp2, kSetInfoResp3},
      {"del", kDelInfoResp2, kDelInfoResp3},
      {"mset", kMsetInfoResp2, kMsetInfoResp3},
      {"copy", kCopyInfoResp2, kCopyInfoResp3},
      {"rename", kRenameInfoResp2, kRenameInfoResp3},
      {"expire", kExpireInfoResp2, kExpireInfoResp3},
      {"scan", kScanInfoResp2, kScanInfoResp3},
      {"object", kObjectInfoResp2, kObjectInfoResp3},
      {"ping", kPingInfoResp2, kPingInfoResp3},
      {"command", kCommandInfoResp2, kCommandInfoResp3},
  };
  CommandFixture f;
  for (const InfoBytes& c : cases) {
    f.set_protocol(2);
    BOOST_TEST(f.run({"command", "info", c.name}) == "*1\r\n" + c.resp2, c.name);
    f.set_protocol(3);
    BOOST_TEST(f.run({"command", "info", c.name}) == "*1\r\n" + c.resp3, c.name);
  }
  f.set_protocol(2);
  BOOST_TEST(f.run({"COMMAND", "INFO", "GET"}) == "*1\r\n" + kGetInfoResp2);
  // redis: COMMAND INFO TIME.
  BOOST_TEST(f.run({"command", "info", "time"}) ==
             "*1\r\n*10\r\n$4\r\ntime\r\n:1\r\n*3\r\n+loading\r\n+stale\r\n+fast\r\n"
             ":0\r\n:0\r\n:0\r\n*1\r\n+@fast\r\n*1\r\n$23\r\nnondeterministic_output\r\n"
             "*0\r\n*0\r\n");
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

// Keynum and keyword specs, a range with a limit, an incomplete spec, a
// channel spec; first/last/step and movablekeys follow from them as in Redis
// (ZUNIONSTORE 1 1 1, XREAD 0 0 0, MIGRATE 3 3 1, all three movable).
BOOST_AUTO_TEST_CASE(info_key_spec_shapes_match_redis) {
  const InfoBytes cases[] = {
      {"testzunionstore", kTestZunionstoreInfoResp2, kTestZunionstoreInfoResp3},
      {"testxread", kTestXreadInfoResp2, kTestXreadInfoResp3},
      {"testmigrate", kTestMigrateInfoResp2, kTestMigrateInfoResp3},
      {"testsunsubscribe", kTestSunsubscribeInfoResp2, kTestSunsubscribeInfoResp3},
      {"testblpop", kTestBlpopInfoResp2, kTestBlpopInfoResp3},
  };
  Fixture x;
  for (const InfoBytes& c : cases) {
    x.f.set_protocol(2);
    BOOST_TEST(x.f.run({"command", "info", c.name}) == "*1\r\n" + c.resp2, c.name);
    x.f.set_protocol(3);
    BOOST_TEST(x.f.run({"command", "info", c.name}) == "*1\r\n" + c.resp3, c.name);
  }
}

// A note comes first in its spec's map; unknown parts have an empty spec map
// (Redis's SORT has the same shape).
BOOST_AUTO_TEST_CASE(info_notes_and_unknown_specs) {
  Fixture x;
  x.f.set_protocol(3);
  BOOST_TEST(x.f.run({"command", "info", "testguess"}) ==
             "*1\r\n*10\r\n$9\r\ntestguess\r\n:-2\r\n~2\r\n+readonly\r\n+movablekeys\r\n"
             ":1\r\n:1\r\n:1\r\n~2\r\n+@read\r\n+@slow\r\n~0\r\n~2\r\n"
             "%3\r\n$5\r\nflags\r\n~2\r\n+RO\r\n+access\r\n$12\r\nbegin_search\r\n%2\r\n"
             "$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n%1\r\n$5\r\nindex\r\n:1\r\n"
             "$9\r\nfind_keys\r\n%2\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n%3\r\n"
             "$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n"
             "%4\r\n$5\r\nnotes\r\n$28\r\nKeys named inside the value.\r\n"
             "$5\r\nflags\r\n~2\r\n+RO\r\n+access\r\n"
             "$12\r\nbegin_search\r\n%2\r\n$4\r\ntype\r\n$7\r\nunknown\r\n$4\r\nspec\r\n%0\r\n"
             "$9\r\nfind_keys\r\n%2\r\n$4\r\ntype\r\n$7\r\nunknown\r\n$4\r\nspec\r\n%0\r\n"
             "~0\r\n");
}

// Several specs merge into COMMAND INFO's one range only while each starts
// right after the previous one ends with step 1.
BOOST_AUTO_TEST_CASE(legacy_key_range_merges_consecutive_specs) {
  constexpr KeySpec kConsecutive[] = {key_range(kKeyRW, 1), key_range(kKeyOW, 2),
                                      key_range(kKeyRO, 3, -1)};
  LegacyKeyRange merged = legacy_key_range({.name = "a", .key_specs = kConsecutive});
  BOOST_TEST(merged.first == 1);
  BOOST_TEST(merged.last == -1);
  BOOST_TEST(merged.step == 1);
  BOOST_TEST(!merged.movable);
  constexpr KeySpec kGap[] = {key_range(kKeyRW, 1), key_range(kKeyOW, 3)};
  LegacyKeyRange gap = legacy_key_range({.name = "b", .key_specs = kGap});
  BOOST_TEST((gap.first == 1 && gap.last == 1 && gap.step == 1 && gap.movable));
  constexpr KeySpec kStepped[] = {key_range(kKeyRW, 1), key_range(kKeyOW, 2, -1, 2)};
  LegacyKeyRange stepped = legacy_key_range({.name = "c", .key_specs = kStepped});
  BOOST_TEST((stepped.first == 1 && stepped.last == 1 && stepped.movable));
  // One spec is taken as it is, step and all.
  constexpr KeySpec kPairs[] = {key_range(kKeyOW, 1, -1, 2)};
  LegacyKeyRange pairs = legacy_key_range({.name = "d", .key_specs = kPairs});
  BOOST_TEST((pairs.first == 1 && pairs.last == -1 && pairs.step == 2 && !pairs.movable));
  LegacyKeyRange none = legacy_key_range({.name = "e"});
  BOOST_TEST((none.first == 0 && none.last == 0 && none.step == 0 && !none.movable));
}

// Redis lists flags in its own order (blocking before loading, no_multi after
// no_auth...) and never shows may_replicate; categories in their bit order.
BOOST_AUTO_TEST_CASE(info_flag_and_category_order) {
  Fixture x;
  BOOST_TEST(x.f.run({"command", "info", "testallflags"}) ==
             "*1\r\n*10\r\n$12\r\ntestallflags\r\n:1\r\n*17\r\n+write\r\n+readonly\r\n"
             "+denyoom\r\n+admin\r\n+pubsub\r\n+noscript\r\n+blocking\r\n+loading\r\n+stale\r\n"
             "+skip_monitor\r\n+skip_slowlog\r\n+fast\r\n+no_auth\r\n+no_async_loading\r\n"
             "+no_multi\r\n"
             "+movablekeys\r\n+allow_busy\r\n:0\r\n:0\r\n:0\r\n*21\r\n+@keyspace\r\n+@read\r\n"
             "+@write\r\n+@set\r\n+@sortedset\r\n+@list\r\n+@hash\r\n+@string\r\n+@bitmap\r\n"
             "+@hyperloglog\r\n+@geo\r\n+@stream\r\n+@pubsub\r\n+@admin\r\n+@fast\r\n+@slow\r\n"
             "+@blocking\r\n+@dangerous\r\n+@connection\r\n+@transaction\r\n+@scripting\r\n"
             "*0\r\n*0\r\n*0\r\n");
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
  BOOST_TEST(keyspace.find(bulk("testmigrate") + bulk("testallflags") + bulk("testbox|peek") +
                           bulk("testbox|help")) != std::string::npos);
  BOOST_TEST(keyspace.find(bulk("del")) != std::string::npos);  // a real @keyspace command
  BOOST_TEST(keyspace.find(bulk("get")) == std::string::npos);  // GET is not @keyspace
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
  BOOST_TEST(x.f.run({"command", "docs", "testblpop"}) ==
             "%1\r\n$9\r\ntestblpop\r\n%3\r\n$7\r\nsummary\r\n$0\r\n\r\n$5\r\nsince\r\n$0\r\n\r\n"
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
  // redis: COMMAND GETKEYS of each request.
  BOOST_TEST(f.run({"command", "getkeys", "get", "k"}) == array({bulk("k")}));
  BOOST_TEST(f.run({"command", "getkeys", "SET", "k", "v", "ex", "10"}) == array({bulk("k")}));
  BOOST_TEST(f.run({"command", "getkeys", "mset", "a", "1", "b", "2"}) ==
             array({bulk("a"), bulk("b")}));
  BOOST_TEST(f.run({"command", "getkeys", "mset", "a", "1", "b"}) == array({bulk("a"), bulk("b")}));
  BOOST_TEST(f.run({"command", "getkeys", "del", "a", "b", "c"}) ==
             array({bulk("a"), bulk("b"), bulk("c")}));
  BOOST_TEST(f.run({"command", "getkeys", "copy", "a", "b", "db", "1", "replace"}) ==
             array({bulk("a"), bulk("b")}));
  BOOST_TEST(f.run({"command", "getkeys", "rename", "a", "b"}) == array({bulk("a"), bulk("b")}));
  BOOST_TEST(f.run({"command", "getkeys", "lcs", "a", "b", "len"}) ==
             array({bulk("a"), bulk("b")}));
  BOOST_TEST(f.run({"command", "getkeys", "OBJECT", "ENCODING", "k"}) == array({bulk("k")}));
  BOOST_TEST(f.run({"command", "getkeys", "testblpop", "a", "b", "0"}) ==
             array({bulk("a"), bulk("b")}));
  // A subcommand is named as in a request, its key positions counted from
  // the container's name.
  BOOST_TEST(f.run({"command", "getkeys", "TESTBOX", "PEEK", "k"}) == array({bulk("k")}));
}

// redis: ZUNIONSTORE and XREAD with the same arguments.
BOOST_AUTO_TEST_CASE(getkeys_keynum_and_keyword_specs) {
  Fixture x;
  auto& f = x.f;
  const std::string invalid = error("ERR Invalid arguments specified for command");
  BOOST_TEST(f.run({"command", "getkeys", "testzunionstore", "d", "2", "a", "b"}) ==
             array({bulk("d"), bulk("a"), bulk("b")}));
  BOOST_TEST(f.run({"command", "getkeys", "testzunionstore", "d", "3", "a", "b"}) == invalid);
  BOOST_TEST(f.run({"command", "getkeys", "testzunionstore", "d", "x", "a"}) == invalid);
  BOOST_TEST(f.run({"command", "getkeys", "testzunionstore", "d", "-1", "a"}) == invalid);
  BOOST_TEST(f.run({"command", "getkeys", "testzunionstore", "d", "0", "a"}) == invalid);
  // A count near INT64_MAX must not overflow into a small range (found by
  // the fuzz test under UBSan).
  BOOST_TEST(f.run({"command", "getkeys", "testzunionstore", "d", "9223372036854775807", "a"}) ==
             invalid);
  // The keys fill half of what follows STREAMS, the IDs the other half.
  BOOST_TEST(f.run({"command", "getkeys", "testxread", "streams", "a", "b", "0", "0"}) ==
             array({bulk("a"), bulk("b")}));
  BOOST_TEST(f.run({"command", "getkeys", "testxread", "COUNT", "1", "STREAMS", "a", "b", "0"}) ==
             array({bulk("a")}));
  BOOST_TEST(f.run({"command", "getkeys", "testxread", "count", "1", "x"}) == invalid);
}

// A keyword searched backwards is found anywhere but in the command name's
// place, and never as the last argument.
BOOST_AUTO_TEST_CASE(getkeys_keyword_from_the_end) {
  Fixture x;
  auto& f = x.f;
  BOOST_TEST(f.run({"command", "getkeys", "testtail", "keys", "h", "KEYS", "a", "b"}) ==
             array({bulk("a"), bulk("b")}));
  BOOST_TEST(f.run({"command", "getkeys", "testtail", "keys", "a"}) ==
             error("ERR Invalid arguments specified for command"));
  BOOST_TEST(f.run({"command", "getkeys", "testtail", "x", "keys"}) ==
             error("ERR Invalid arguments specified for command"));
}

// When any spec cannot tell (unknown, incomplete), the command's getkeys
// answers alone; without one, there are no keys. An incomplete spec whose
// keyword is absent has simply found nothing.
BOOST_AUTO_TEST_CASE(getkeys_falls_back_to_the_command) {
  Fixture x;
  auto& f = x.f;
  BOOST_TEST(f.run({"command", "getkeysandflags", "testguess", "a", "b"}) ==
             "*2\r\n*2\r\n$1\r\nb\r\n*1\r\n+OW\r\n*2\r\n$1\r\na\r\n*1\r\n+OW\r\n");
  BOOST_TEST(f.run({"command", "getkeys", "testmigrate", "h", "p", "k", "0", "1"}) ==
             array({bulk("k")}));
  BOOST_TEST(f.run({"command", "getkeys", "testmigrate", "h", "p", "", "0", "1", "KEYS", "a"}) ==
             error("ERR Invalid arguments specified for command"));
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
  // redis: SUNSUBSCRIBE's channels are not keys.
  BOOST_TEST(f.run({"command", "getkeys", "testsunsubscribe", "a"}) == no_keys);
  BOOST_TEST(f.run({"command", "getkeys", "get", "a", "b"}) == count);
  BOOST_TEST(f.run({"command", "getkeys", "set", "k"}) == count);
  BOOST_TEST(f.run({"command", "getkeys", "copy", "a"}) == count);
  BOOST_TEST(f.run({"command", "getkeys", "testbox", "peek"}) == count);
  BOOST_TEST(f.run({"command", "getkeys", "get"}) ==
             error("ERR wrong number of arguments for 'command|getkeys' command"));
  BOOST_TEST(f.run({"command", "getkeysandflags", "get"}) ==
             error("ERR wrong number of arguments for 'command|getkeysandflags' command"));
}

// Keys that the spec's range cannot reach: Redis's "invalid arguments".
BOOST_AUTO_TEST_CASE(getkeys_out_of_range) {
  static constexpr KeySpec kThird[] = {key_range(kKeyRO, 3)};
  static const CommandSpec kFar[] = {
      {.name = "testfar", .arity = -2, .flags = kReadonly, .key_specs = kThird, .handler = noop},
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
  // redis: COMMAND GETKEYSANDFLAGS of each request, RESP2 then RESP3.
  BOOST_TEST(f.run({"command", "getkeysandflags", "get", "k"}) ==
             "*1\r\n*2\r\n$1\r\nk\r\n*2\r\n+RO\r\n+access\r\n");
  BOOST_TEST(f.run({"command", "getkeysandflags", "mset", "a", "1", "b", "2"}) ==
             "*2\r\n*2\r\n$1\r\na\r\n*2\r\n+OW\r\n+update\r\n*2\r\n$1\r\nb\r\n*2\r\n+OW\r\n"
             "+update\r\n");
  f.set_protocol(3);
  BOOST_TEST(f.run({"command", "getkeysandflags", "get", "k"}) ==
             "*1\r\n*2\r\n$1\r\nk\r\n~2\r\n+RO\r\n+access\r\n");
  BOOST_TEST(f.run({"command", "getkeysandflags", "rename", "a", "b"}) ==
             "*2\r\n*2\r\n$1\r\na\r\n~3\r\n+RW\r\n+access\r\n+delete\r\n*2\r\n$1\r\nb\r\n~2\r\n"
             "+OW\r\n+update\r\n");
  BOOST_TEST(f.run({"command", "getkeysandflags", "copy", "a", "b"}) ==
             "*2\r\n*2\r\n$1\r\na\r\n~2\r\n+RO\r\n+access\r\n*2\r\n$1\r\nb\r\n~2\r\n+OW\r\n"
             "+update\r\n");
  BOOST_TEST(f.run({"command", "getkeysandflags", "del", "a"}) ==
             "*1\r\n*2\r\n$1\r\na\r\n~2\r\n+RM\r\n+delete\r\n");
  BOOST_TEST(f.run({"command", "getkeysandflags", "ping", "x"}) ==
             error("ERR The command has no key arguments"));
}

// SET reads the old value only with GET, wherever it stands after the value
// (even as another option's argument, as Redis counts it).
BOOST_AUTO_TEST_CASE(getkeysandflags_of_set_depend_on_get) {
  CommandFixture f;
  f.set_protocol(3);
  const std::string overwrite = "*1\r\n*2\r\n$1\r\nk\r\n~2\r\n+OW\r\n+update\r\n";
  const std::string read_write = "*1\r\n*2\r\n$1\r\nk\r\n~3\r\n+RW\r\n+access\r\n+update\r\n";
  BOOST_TEST(f.run({"command", "getkeysandflags", "set", "k", "v"}) == overwrite);
  BOOST_TEST(f.run({"command", "getkeysandflags", "set", "k", "get"}) == overwrite);
  BOOST_TEST(f.run({"command", "getkeysandflags", "set", "k", "v", "GET"}) == read_write);
  BOOST_TEST(f.run({"command", "getkeysandflags", "set", "k", "v", "ex", "10", "gEt"}) ==
             read_write);
  BOOST_TEST(f.run({"command", "getkeysandflags", "set", "k", "v", "get", "x"}) == read_write);
  BOOST_TEST(f.run({"command", "getkeysandflags", "set", "k", "v", "getx"}) == overwrite);
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
