#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

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
  kNoMulti = 1u << 14,  // refused inside MULTI
  kAllowBusy = 1u << 15,
  // Key positions depend on the arguments. COMMAND INFO also shows it for
  // every command whose key specs a first/last/step range cannot describe.
  kMovableKeys = 1u << 16,
  kNoAsyncLoading = 1u << 17,  // refused while a replica loads in the background
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

// Key-spec flags: how a command uses one group of its keys. Bit order is
// the order COMMAND INFO lists them in.
enum KeySpecFlag : uint32_t {
  kKeyRO = 1u << 0,              // reads the value
  kKeyRW = 1u << 1,              // reads and changes it
  kKeyOW = 1u << 2,              // overwrites it without reading it
  kKeyRM = 1u << 3,              // deletes it
  kKeyAccess = 1u << 4,          // returns, copies or exposes user data
  kKeyUpdate = 1u << 5,          // changes existing data
  kKeyInsert = 1u << 6,          // only adds data
  kKeyDelete = 1u << 7,          // only removes data
  kKeyNotKey = 1u << 8,          // a name that is not a key (a channel...)
  kKeyIncomplete = 1u << 9,      // the spec may miss some keys
  kKeyVariableFlags = 1u << 10,  // the flags depend on the arguments
};

// Where a key spec's keys start.
struct BeginSearch {
  enum Type : uint8_t { kUnknown, kIndex, kKeyword } type = kUnknown;
  int index = 0;                  // kIndex: position of the first key
  std::string_view keyword = "";  // kKeyword: the keys follow this word (any case),
  int startfrom = 0;              // searched for from here; negative: backwards from the end
};

// How many keys follow the begin position, and how far apart.
struct FindKeys {
  enum Type : uint8_t { kUnknown, kRange, kKeynum } type = kUnknown;
  int lastkey = 0;    // kRange: last key, relative to the first; negative: from the end
  int keystep = 0;    // kRange, kKeynum: distance between keys
  int limit = 0;      // kRange with lastkey -1: keys span 1/limit of the remaining args
  int keynumidx = 0;  // kKeynum: position of the key count, relative to the begin
  int firstkey = 0;   // kKeynum: position of the first key, relative to the begin
};

// One of Redis 7's key specs: a group of keys and how the command uses them.
struct KeySpec {
  std::string_view notes = "";
  uint32_t flags = 0;  // KeySpecFlag bits
  BeginSearch begin_search;
  FindKeys find_keys;
};

constexpr BeginSearch begin_index(int index) {
  return {.type = BeginSearch::kIndex, .index = index};
}
constexpr BeginSearch begin_keyword(std::string_view keyword, int startfrom) {
  return {.type = BeginSearch::kKeyword, .keyword = keyword, .startfrom = startfrom};
}
constexpr FindKeys find_range(int lastkey, int keystep = 1, int limit = 0) {
  return {.type = FindKeys::kRange, .lastkey = lastkey, .keystep = keystep, .limit = limit};
}
constexpr FindKeys find_keynum(int keynumidx, int firstkey, int keystep) {
  return {
      .type = FindKeys::kKeynum, .keystep = keystep, .keynumidx = keynumidx, .firstkey = firstkey};
}
// The common spec: keys from `index` through `lastkey` (relative, or from the
// end when negative), `keystep` apart.
constexpr KeySpec key_range(uint32_t flags, int index, int lastkey = 0, int keystep = 1) {
  return {.flags = flags,
          .begin_search = begin_index(index),
          .find_keys = find_range(lastkey, keystep)};
}

// The specs of the many commands whose only key is argument 1, by what they
// do with it (Redis's key-spec flags), shared by every family.
namespace one_key {
inline constexpr KeySpec kRead[] = {key_range(kKeyRO, 1)};
inline constexpr KeySpec kReadAccess[] = {key_range(kKeyRO | kKeyAccess, 1)};
inline constexpr KeySpec kUpdate[] = {key_range(kKeyRW | kKeyUpdate, 1)};
inline constexpr KeySpec kInsert[] = {key_range(kKeyRW | kKeyInsert, 1)};
inline constexpr KeySpec kDelete[] = {key_range(kKeyRW | kKeyDelete, 1)};
inline constexpr KeySpec kAccessUpdate[] = {key_range(kKeyRW | kKeyAccess | kKeyUpdate, 1)};
inline constexpr KeySpec kAccessDelete[] = {key_range(kKeyRW | kKeyAccess | kKeyDelete, 1)};
}  // namespace one_key

// A key a request names: its argument position and its key-spec flags.
struct KeyRef {
  size_t pos;
  uint32_t flags;
};

// Finds a request's keys where the key specs cannot tell exactly (Redis's
// getkeys procedures): specs with variable flags, unknown or incomplete ones.
// Leaves `keys` empty when the arguments name none.
using KeyFinder = void (*)(Args args, std::vector<KeyRef>& keys);

// One row of the command table: everything COMMAND, arity checks, MULTI,
// replicas and ACLs need to know about a command, and its handler.
struct CommandSpec {
  std::string_view name;  // lower case; a subcommand's bare name ("list" under "client")
  int arity = 0;          // argument count including the name; -N means at least N
  uint32_t flags = 0;     // CommandFlag bits
  uint32_t acl = 0;       // AclCategory bits
  // COMMAND INFO's tips ("nondeterministic_output", "request_policy:...").
  std::span<const std::string_view> tips = {};
  // Where the keys are. COMMAND INFO's legacy first/last/step and the
  // movablekeys flag follow from these (legacy_key_range).
  std::span<const KeySpec> key_specs = {};
  KeyFinder getkeys = nullptr;       // when the specs cannot tell (see KeyFinder)
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
std::span<const std::string_view> key_spec_flag_names();

// COMMAND INFO's first/last/step, which Redis 7 derives from the key specs:
// one index+range spec as it is, or consecutive step-1 ranges merged. Keys
// the range cannot describe make the command movable.
struct LegacyKeyRange {
  int first = 0, last = 0, step = 0;
  bool movable = false;
};
LegacyKeyRange legacy_key_range(const CommandSpec& spec);

// True when the command has keys to find: a key spec that names real keys,
// or a getkeys (COMMAND GETKEYS's precondition).
bool has_key_arguments(const CommandSpec& spec);

// The keys of the request `args` (args[0] the command name, or the container's
// name for a subcommand), in spec order, as COMMAND GETKEYS lists them: from
// the key specs when they can tell, else from the spec's getkeys. Leaves
// `keys` empty when the arguments do not hold the keys the specs promise.
void find_request_keys(const CommandSpec& spec, Args args, std::vector<KeyRef>& keys);

}  // namespace vireo
