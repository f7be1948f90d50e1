#pragma once

// Vireo's configuration: the typed settings the server reads, and the table
// that parses, reports and rewrites them the way Redis 7.0 does (redis.conf
// files, redis-server style command lines, CONFIG GET / SET / REWRITE).

#include <array>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <iostream>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/log.h"
#include "core/notifications.h"

namespace vireo {

enum class MaxmemoryPolicy {
  kVolatileLru,
  kVolatileLfu,
  kVolatileRandom,
  kVolatileTtl,
  kAllkeysLru,
  kAllkeysLfu,
  kAllkeysRandom,
  kNoeviction,
};

enum class AppendFsync { kEverysec, kAlways, kNo };

// enable-protected-configs: who may CONFIG SET `dir` and `dbfilename`.
enum class ProtectedConfigs { kNo, kYes, kLocal };

// One `save <seconds> <changes>` point: snapshot after `seconds` if at least
// `changes` writes happened.
struct SavePoint {
  int64_t seconds = 0;
  int64_t changes = 0;
  bool operator==(const SavePoint&) const = default;
};

// Output buffer limits of one client class; 0 means no limit.
struct OutputBufferLimit {
  uint64_t hard_bytes = 0;
  uint64_t soft_bytes = 0;
  int64_t soft_seconds = 0;
  bool operator==(const OutputBufferLimit&) const = default;
};

// Indexes into Settings::client_output_buffer_limit.
enum ClientClass {
  kClientNormal = 0,
  kClientReplica = 1,
  kClientPubsub = 2,
  kClientClassCount = 3
};

// Every setting, as plain typed fields for the hot path to read directly.
// The initializers are the defaults: Redis 7.0's, except port and bind.
struct Settings {
  // Network.
  int port = 6380;
  std::vector<std::string> bind = {"127.0.0.1", "-::1"};  // "-" prefix: skip if unavailable
  bool protected_mode = true;
  std::string unixsocket;  // empty: no Unix socket
  int unixsocketperm = 0;  // octal mode bits; 0: leave as created
  int tcp_backlog = 511;
  int timeout = 0;  // idle client timeout in seconds, 0 = never
  int tcp_keepalive = 300;
  unsigned maxclients = 10000;

  // Security.
  std::string requirepass;  // empty: no password
  ProtectedConfigs enable_protected_configs = ProtectedConfigs::kNo;
  ProtectedConfigs enable_debug_command = ProtectedConfigs::kNo;  // DEBUG: no, yes or local

  // General.
  int databases = 16;
  std::string dir;         // absolute; Config's constructor sets it to the working directory
  int hz = 10;             // always within 1..500
  bool daemonize = false;  // only `no` is supported
  std::string pidfile;     // empty: no pid file
  LogLevel loglevel = LogLevel::kNotice;
  std::string logfile;  // empty: standard output
  int active_expire_effort = 1;

  // Limits.
  int64_t proto_max_bulk_len = 512ll << 20;
  int64_t client_query_buffer_limit = 1ll << 30;
  std::array<OutputBufferLimit, kClientClassCount> client_output_buffer_limit = {{
      {0, 0, 0},                        // normal
      {256ull << 20, 64ull << 20, 60},  // replica
      {32ull << 20, 8ull << 20, 60},    // pubsub
  }};
  uint64_t maxmemory = 0;  // bytes; 0 = no limit
  MaxmemoryPolicy maxmemory_policy = MaxmemoryPolicy::kNoeviction;
  int maxmemory_samples = 5;             // keys sampled per database per LRU/LFU round
  int maxmemory_eviction_tenacity = 10;  // 0..100: how long one eviction pass may run

  // Slow log.
  int64_t slowlog_log_slower_than = 10000;  // microseconds; negative disables
  int64_t slowlog_max_len = 128;

  // Persistence.
  std::vector<SavePoint> save;  // empty: no snapshots
  std::string dbfilename = "dump.rdb";
  bool appendonly = false;
  std::string appendfilename = "appendonly.aof";
  std::string appenddirname = "appendonlydir";
  AppendFsync appendfsync = AppendFsync::kEverysec;
  // Testing aid, as in Redis: microseconds to pause per log record (and
  // checkpoint key) while loading, so that tests can watch a load happen.
  int64_t key_load_delay = 0;
  // Testing aid, as in Redis: microseconds a checkpoint's writer pauses per
  // key, so that tests can crash the server in the middle of one.
  int64_t rdb_key_save_delay = 0;
  // A checkpoint is taken by itself when the log has grown this many
  // percent past its size after the last checkpoint, and is at least
  // min-size bytes (0 percent: never). Redis's defaults.
  int64_t auto_aof_rewrite_percentage = 100;
  uint64_t auto_aof_rewrite_min_size = 64ull << 20;
  // Refuse writes while the last background checkpoint failed (with `save`
  // rules configured), as Redis does.
  bool stop_writes_on_bgsave_error = true;

  // Replication.
  std::string replicaof_host;  // empty: a primary (`replicaof <host> <port>`)
  int replicaof_port = 0;
  std::string masteruser, masterauth;       // how a replica authenticates to its primary
  bool replica_read_only = true;            // a replica refuses writes from its clients
  uint64_t repl_backlog_size = 1ull << 20;  // stream bytes kept for partial resyncs
  int repl_timeout = 60;                    // seconds of silence that drop a replication link
  int repl_ping_replica_period = 10;        // seconds between a primary's keepalives

  // Lazy freeing.
  bool lazyfree_lazy_eviction = false;
  bool lazyfree_lazy_expire = false;
  bool lazyfree_lazy_server_del = false;
  bool lazyfree_lazy_user_del = false;
  bool lazyfree_lazy_user_flush = false;

  // Compact encoding thresholds.
  int64_t hash_max_listpack_entries = 512;
  int64_t hash_max_listpack_value = 64;
  int64_t zset_max_listpack_entries = 128;
  int64_t zset_max_listpack_value = 64;
  int64_t set_max_intset_entries = 512;
  int64_t set_max_listpack_entries = 128;
  int64_t set_max_listpack_value = 64;
  int list_max_listpack_size = -2;
  int list_compress_depth = 0;

  // Keyspace notifications: an OR of notify:: flags.
  uint32_t notify_keyspace_events = 0;
};

// Why start-up configuration failed, and where.
struct ConfigError {
  std::string source;  // file path, "command line" or "standard input"; empty: not about a line
  int line = 0;        // 1-based line (or option) number; 0 when not about a line
  std::string text;    // the offending line, trimmed
  std::string reason;  // e.g. "argument couldn't be parsed into an integer"

  // The block main() prints to stderr before exiting with status 1, shaped
  // like redis-server's "*** FATAL CONFIG FILE ERROR ***" block. Ends in '\n'.
  std::string format() const;
};

class Config {
 public:
  // Runs on CONFIG SET after the new values are in place and before the reply,
  // with the settings as they now are. Returns an error message to refuse: the
  // whole CONFIG SET is then rolled back and the hooks that had already
  // accepted are run again with the restored settings, so they can undo.
  using Hook = std::function<std::optional<std::string>(const Settings&)>;

  // Default settings; `dir` is the current working directory.
  Config();

  // The live settings. The reference stays valid for the Config's lifetime;
  // CONFIG SET changes the fields in place.
  const Settings& settings() const { return settings_; }

  // Absolute path of the file loaded at start-up (the one rewrite() writes),
  // or empty when the server was started without one.
  const std::string& file() const { return file_; }

  // Loads a redis-server style command line, `args` being argv without the
  // program name: `[file] [-] [--name value ...]`. A first argument not
  // starting with '-' is the configuration file; a lone "-" first or last
  // reads directives from `in` too; each `--name` starts a directive that
  // takes the following words (quoted as needed) until the next `--name`, so
  // `--bind 127.0.0.1 ::1`, `--save ""`, `--save` alone and `--hz -5` all work
  // as in Redis. Order of precedence: file, then `in`, then the options. Call
  // once, at start-up; --version and --help are main()'s business.
  std::optional<ConfigError> load_args(std::span<const std::string> args,
                                       std::istream& in = std::cin);

  // Loads a configuration file and remembers it for rewrite(): one directive
  // per line, `#` comments, arguments split and unquoted as Redis does
  // ("..." with \n \xHH escapes, '...'), `include <path or glob>` to read
  // another file in place. Every directive is applied in order; the first
  // error stops loading.
  std::optional<ConfigError> load_file(const std::string& path);

  // Loads directives from text, reporting errors against `source`.
  std::optional<ConfigError> load_string(std::string_view text, std::string_view source);

  // CONFIG GET: the (name, value) pairs matching any of `patterns` (Redis
  // globs, case-insensitive), each setting once, in the order of the patterns
  // and then of the table. A pattern without glob characters answers under
  // the name as the client spelled it; aliases match as names of their own.
  // Values are formatted as Redis replies them (memory in bytes, yes/no,
  // lists space-joined).
  std::vector<std::pair<std::string, std::string>> get(std::span<const std::string> patterns) const;
  std::vector<std::pair<std::string, std::string>> get(std::string_view pattern) const;

  // CONFIG SET name value [name value ...]: all pairs or none, hooks
  // included. Returns nullopt for +OK, or the error reply text (starting with
  // "ERR ", without the leading '-') worded as Redis 7.0 words it.
  // `local_client` says whether the connection is from loopback or a Unix
  // socket, for enable-protected-configs local.
  std::optional<std::string> set(std::span<const std::pair<std::string, std::string>> pairs,
                                 bool local_client = false);

  // CONFIG REWRITE: rewrites file() as Redis does. Comments, blank lines and
  // `include` lines stay; a setting's first line is replaced in place by its
  // current value and its other lines are blanked; settings that differ from
  // their defaults and had no line are appended after a "# Generated by
  // CONFIG REWRITE" line; lines naming unknown settings become "# ??? ...";
  // runs of blank lines shrink to one. Written to a temporary file, synced,
  // then renamed over the old one. Returns nullopt for +OK or the error reply
  // text ("ERR The server is running without a config file", "ERR Rewriting
  // config file: <reason>").
  std::optional<std::string> rewrite();

  // Registers a hook for a setting (by name or alias); several may be
  // registered. A hook given several names runs once per CONFIG SET however
  // many of them changed. Hooks only run when a value actually changes, and
  // never while loading. Throws std::invalid_argument for an unknown name.
  void on_change(std::string_view name, Hook hook);
  void on_change(std::initializer_list<std::string_view> names, Hook hook);

  // True when the setting's value must be redacted from SLOWLOG/MONITOR
  // (requirepass). False for unknown names.
  bool is_sensitive(std::string_view name) const;

 private:
  struct HookEntry {
    std::vector<size_t> specs;  // indexes into the settings table
    Hook hook;
  };

  std::optional<ConfigError> load_text(std::string_view text, const std::string& source, int depth);
  std::optional<ConfigError> load_path(const std::string& path, const std::string& from, int line,
                                       const std::string& line_text, int depth);
  std::optional<ConfigError> check_loaded() const;

  Settings settings_;
  std::string file_;
  bool save_loaded_ = false;  // a `save` line was read: later ones add points
  std::vector<HookEntry> hooks_;
};

}  // namespace vireo
