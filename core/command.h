#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace vireo {

class CommandContext;

// A request's arguments; args[0] is the command name as the client sent it.
using Args = std::span<const std::string_view>;
using CommandHandler = void (*)(CommandContext& ctx, Args args);

// Command flags, named as COMMAND INFO reports them.
enum CommandFlag : uint32_t {
  kWrite = 1u << 0,         // changes the keyspace: propagated, refused on replicas
  kReadonly = 1u << 1,      // reads data
  kDenyOom = 1u << 2,       // may grow memory: refused over maxmemory
  kAdmin = 1u << 3,         // server administration
  kPubsub = 1u << 4,        // pub/sub command
  kNoscript = 1u << 5,      // not allowed in scripts
  kLoading = 1u << 6,       // allowed while loading data
  kStale = 1u << 7,         // allowed on a replica with stale data
  kFast = 1u << 8,          // O(1) or O(log N)
  kNoAuth = 1u << 9,        // allowed before AUTH
  kBlocking = 1u << 10,     // may block the client
  kSkipMonitor = 1u << 11,  // not shown to MONITOR
  kSkipSlowlog = 1u << 12,  // not recorded in SLOWLOG
  kMayReplicate = 1u << 13,
  kNoMulti = 1u << 14,      // refused inside MULTI
  kAllowBusy = 1u << 15,
  kMovableKeys = 1u << 16,  // key positions depend on arguments
};

// ACL categories, named as COMMAND INFO reports them (with a leading '@').
enum AclCategory : uint32_t {
  kAclKeyspace = 1u << 0,
  kAclRead = 1u << 1,
  kAclWrite = 1u << 2,
  kAclSet = 1u << 3,
  kAclSortedSet = 1u << 4,
  kAclList = 1u << 5,
  kAclHash = 1u << 6,
  kAclString = 1u << 7,
  kAclBitmap = 1u << 8,
  kAclHyperLogLog = 1u << 9,
  kAclGeo = 1u << 10,
  kAclStream = 1u << 11,
  kAclPubsub = 1u << 12,
  kAclAdmin = 1u << 13,
  kAclFast = 1u << 14,
  kAclSlow = 1u << 15,
  kAclBlocking = 1u << 16,
  kAclDangerous = 1u << 17,
  kAclConnection = 1u << 18,
  kAclTransaction = 1u << 19,
  kAclScripting = 1u << 20,
};

// One row of the command table: everything COMMAND, arity checks, MULTI,
// replicas and ACLs need to know about a command, and its handler.
struct CommandSpec {
  std::string_view name;   // lower case; a subcommand's bare name ("list" under "client")
  int arity = 0;           // argument count including the name; -N means at least N
  uint32_t flags = 0;      // CommandFlag bits
  int first_key = 0;       // position of the first key, 0 when none
  int last_key = 0;        // last key; -1 the last argument, -2 the one before...
  int key_step = 0;        // distance between keys
  uint32_t acl = 0;        // AclCategory bits
  CommandHandler handler = nullptr;  // null for a container of subcommands
  std::span<const CommandSpec> subcommands = {};
  // COMMAND DOCS
  std::string_view group = "";
  std::string_view summary = "";
  std::string_view since = "";
  std::string_view complexity = "";
};

// Names of set bits, for COMMAND INFO.
std::span<const std::string_view> flag_names();
std::span<const std::string_view> acl_names();

}  // namespace vireo
