#include "server/config_table.h"

#include "core/split_args.h"

#include <unistd.h>

#include <fmt/format.h>
#include <algorithm>
#include <cctype>
#include <cerrno>
#include <climits>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <unordered_map>
#include <utility>

#include "core/ascii.h"
#include "core/strconv.h"

namespace vireo::config_table {
namespace {

constexpr size_t kMaxBindAddresses = 16;

// The letters of the escapes "\n" "\r" "\t" "\b" "\a" and their bytes.

std::string join(const std::vector<std::string>& words) {
  std::string out;
  for (size_t i = 0; i < words.size(); ++i) {
    if (i) out += ' ';
    out += words[i];
  }
  return out;
}

// A number as strtoll reads it, which Redis uses for `save`, the seconds of
// client-output-buffer-limit and (in octal) unixsocketperm: unlike string2ll
// (parse_int64, for every other integer setting) "" is 0 and leading blanks,
// '+' and leading zeros are allowed.
std::optional<int64_t> parse_loose(const std::string& s, int base = 10) {
  errno = 0;
  char* end = nullptr;
  long long v = std::strtoll(s.c_str(), &end, base);
  if (errno != 0 || *end != '\0') return std::nullopt;
  return v;
}

// A memory size as redis.conf writes it: digits and an optional unit, k=1000,
// kb=1024, m, mb, g, gb, b, case-insensitive. Overflow is an error.
std::optional<uint64_t> parse_memory(std::string_view s) {
  if (!s.empty() && s[0] == '-') return std::nullopt;
  size_t k = 0;
  while (k < s.size() && std::isdigit(static_cast<unsigned char>(s[k])))
    ++k;
  std::string unit = ascii_lower(s.substr(k));
  uint64_t mul;
  if (unit.empty() || unit == "b") {
    mul = 1;
  } else if (unit == "k") {
    mul = 1000;
  } else if (unit == "kb") {
    mul = 1024;
  } else if (unit == "m") {
    mul = 1000 * 1000;
  } else if (unit == "mb") {
    mul = 1024 * 1024;
  } else if (unit == "g") {
    mul = 1000ull * 1000 * 1000;
  } else if (unit == "gb") {
    mul = 1024ull * 1024 * 1024;
  } else {
    return std::nullopt;
  }
  uint64_t v = 0;
  for (size_t i = 0; i < k; ++i) {
    unsigned d = static_cast<unsigned>(s[i] - '0');
    if (v > (UINT64_MAX - d) / 10) return std::nullopt;
    v = v * 10 + d;
  }
  if (v != 0 && mul > UINT64_MAX / v) return std::nullopt;
  return v * mul;
}

// How CONFIG REWRITE writes a byte count: in gb, mb or kb when exact.
std::string format_memory(uint64_t bytes) {
  constexpr uint64_t kGb = 1ull << 30, kMb = 1ull << 20, kKb = 1ull << 10;
  if (bytes && bytes % kGb == 0) return fmt::format("{}gb", bytes / kGb);
  if (bytes && bytes % kMb == 0) return fmt::format("{}mb", bytes / kMb);
  if (bytes && bytes % kKb == 0) return fmt::format("{}kb", bytes / kKb);
  return std::to_string(bytes);
}

std::string between(int64_t min, int64_t max) {
  return fmt::format("argument must be between {} and {} inclusive", min, max);
}

using Parse1 = std::function<Error(Settings&, const std::string&)>;
using Show = std::function<std::string(const Settings&)>;

// A setting taking one word, rewritten as "name <show_rewrite(value)>" and
// forced into the file when its value differs from the default.
Spec single(std::string_view name, std::vector<std::string_view> aliases, unsigned flags,
            Parse1 parse, Show get, Show show_rewrite = nullptr) {
  Spec spec;
  spec.name = name;
  spec.aliases = std::move(aliases);
  spec.flags = flags;
  spec.set = [parse](Settings& s, Args args, LoadState&) { return parse(s, args[0]); };
  spec.get = get;
  if (!show_rewrite) show_rewrite = get;
  spec.rewrite = [name, get, show_rewrite](const Settings& now, const Settings& def) {
    return std::vector<RewriteLine>{
        {fmt::format("{} {}", name, show_rewrite(now)), get(now) != get(def)}};
  };
  return spec;
}

Spec bool_spec(std::string_view name, bool Settings::*field, unsigned flags = 0,
               std::function<Error(bool)> validate = nullptr) {
  return single(
      name, {}, flags,
      [field, validate](Settings& s, const std::string& v) -> Error {
        bool b;
        if (iequals(v, "yes")) {
          b = true;
        } else if (iequals(v, "no")) {
          b = false;
        } else {
          return "argument must be 'yes' or 'no'";
        }
        if (validate) {
          if (Error e = validate(b)) return e;
        }
        s.*field = b;
        return std::nullopt;
      },
      [field](const Settings& s) { return std::string(s.*field ? "yes" : "no"); });
}

Error parse_bounded(const std::string& v, int64_t min, int64_t max, int64_t* out) {
  std::optional<int64_t> n = parse_int64(v);
  if (!n) return "argument couldn't be parsed into an integer";
  if (*n < min || *n > max) return between(min, max);
  *out = *n;
  return std::nullopt;
}

template <typename T>
Spec int_spec(std::string_view name, T Settings::*field, int64_t min, int64_t max,
              unsigned flags = 0, std::vector<std::string_view> aliases = {}) {
  return single(
      name, std::move(aliases), flags,
      [field, min, max](Settings& s, const std::string& v) -> Error {
        int64_t n;
        if (Error e = parse_bounded(v, min, max, &n)) return e;
        s.*field = static_cast<T>(n);
        return std::nullopt;
      },
      [field](const Settings& s) { return std::to_string(s.*field); });
}

template <typename T>
Spec memory_spec(std::string_view name, T Settings::*field, uint64_t min, uint64_t max,
                 unsigned flags = 0) {
  return single(
      name, {}, flags,
      [field, min, max](Settings& s, const std::string& v) -> Error {
        std::optional<uint64_t> n = parse_memory(v);
        if (!n) return "argument must be a memory value";
        if (*n < min || *n > max) {
          return fmt::format("argument must be between {} and {} inclusive", min, max);
        }
        s.*field = static_cast<T>(*n);
        return std::nullopt;
      },
      [field](const Settings& s) { return std::to_string(s.*field); },
      [field](const Settings& s) { return format_memory(static_cast<uint64_t>(s.*field)); });
}

template <typename E>
Spec enum_spec(std::string_view name, E Settings::*field,
               std::vector<std::pair<std::string_view, E>> values, unsigned flags = 0) {
  std::string choices;
  for (const auto& [n, v] : values)
    choices += (choices.empty() ? "" : ", ") + std::string(n);
  std::string err = "argument(s) must be one of the following: " + choices;
  return single(
      name, {}, flags,
      [field, values, err](Settings& s, const std::string& v) -> Error {
        for (const auto& [n, e] : values) {
          if (iequals(n, v)) {
            s.*field = e;
            return std::nullopt;
          }
        }
        return err;
      },
      [field, values](const Settings& s) {
        for (const auto& [n, e] : values) {
          if (e == s.*field) return std::string(n);
        }
        return std::string("unknown");
      });
}

// A string setting. With `empty_is_unset`, an empty value means "not set"
// and CONFIG REWRITE drops its lines (Redis stores NULL for these).
Spec string_spec(std::string_view name, std::string Settings::*field, unsigned flags,
                 bool empty_is_unset, std::function<Error(const std::string&)> validate = nullptr) {
  Spec spec = single(
      name, {}, flags,
      [field, validate](Settings& s, const std::string& v) -> Error {
        if (validate) {
          if (Error e = validate(v)) return e;
        }
        s.*field = v;
        return std::nullopt;
      },
      [field](const Settings& s) { return s.*field; });
  spec.rewrite = [name, field, empty_is_unset](const Settings& now, const Settings& def) {
    std::vector<RewriteLine> lines;
    if (empty_is_unset && (now.*field).empty()) return lines;
    lines.push_back({fmt::format("{} {}", name, repr(now.*field)), now.*field != def.*field});
    return lines;
  };
  return spec;
}

std::function<Error(const std::string&)> base_name_only(std::string what, bool allow_empty) {
  return [what, allow_empty](const std::string& v) -> Error {
    if (!allow_empty && v.empty()) return what + " can't be empty";
    if (v.find_first_of("/\\") != std::string::npos) {
      return what + " can't be a path, just a " +
             (what == "appenddirname" ? "dirname" : "filename");
    }
    return std::nullopt;
  };
}

// notify-keyspace-events classes and their letters, in the order Redis 7.0
// prints them; 'A' stands for notify::kAll.
constexpr std::pair<uint32_t, char> kNotifyClasses[] = {
    {notify::kGeneric, 'g'},  {notify::kString, '$'},  {notify::kList, 'l'},
    {notify::kSet, 's'},      {notify::kHash, 'h'},    {notify::kZset, 'z'},
    {notify::kExpired, 'x'},  {notify::kEvicted, 'e'}, {notify::kStream, 't'},
    {notify::kModule, 'd'},   {notify::kNew, 'n'},     {notify::kKeyspace, 'K'},
    {notify::kKeyevent, 'E'}, {notify::kKeyMiss, 'm'}};

std::optional<uint32_t> parse_notify(std::string_view s) {
  uint32_t flags = 0;
  for (char c : s) {
    if (c == 'A') {
      flags |= notify::kAll;
      continue;
    }
    bool known = false;
    for (auto [bit, letter] : kNotifyClasses) {
      if (letter == c) {
        flags |= bit;
        known = true;
      }
    }
    if (!known) return std::nullopt;
  }
  return flags;
}

std::string format_notify(uint32_t flags) {
  std::string out;
  bool all = (flags & notify::kAll) == notify::kAll;
  if (all) out += 'A';
  for (auto [bit, letter] : kNotifyClasses) {
    // Under 'A' Redis 7.0 prints only K, E and m: even 'n' is left out.
    bool after_all =
        bit == notify::kKeyspace || bit == notify::kKeyevent || bit == notify::kKeyMiss;
    if ((flags & bit) && (!all || after_all)) out += letter;
  }
  return out;
}

// `replicaof <host> <port>`, or `replicaof no one`: start-up only (REPLICAOF
// changes it at run time).
Spec replicaof_spec() {
  Spec spec;
  spec.name = "replicaof";
  spec.aliases = {"slaveof"};
  spec.flags = kMultiArg | kImmutable;
  spec.set = [](Settings& s, Args args, LoadState&) -> Error {
    if (args.size() != 2) return "wrong number of arguments";
    if (iequals(args[0], "no") && iequals(args[1], "one")) {
      s.replicaof_host.clear();
      s.replicaof_port = 0;
      return std::nullopt;
    }
    int64_t port;
    if (Error e = parse_bounded(args[1], 0, 65535, &port)) return "Invalid master port";
    s.replicaof_host = args[0];
    s.replicaof_port = static_cast<int>(port);
    return std::nullopt;
  };
  spec.get = [](const Settings& s) {
    return s.replicaof_host.empty() ? std::string()
                                    : fmt::format("{} {}", s.replicaof_host, s.replicaof_port);
  };
  spec.rewrite = [](const Settings& now, const Settings&) {
    std::vector<RewriteLine> lines;
    if (!now.replicaof_host.empty()) {
      lines.push_back(
          {fmt::format("replicaof {} {}", repr(now.replicaof_host), now.replicaof_port), true});
    }
    return lines;
  };
  return spec;
}

Spec save_spec() {
  Spec spec;
  spec.name = "save";
  spec.flags = kMultiArg;
  spec.set = [](Settings& s, Args args, LoadState& state) -> Error {
    // A single "" means no save points at all.
    if (args.size() == 1 && args[0].empty()) {
      s.save.clear();
      args = {};
    }
    if (args.size() % 2 != 0) return "Invalid save parameters";
    std::vector<SavePoint> points;
    for (size_t j = 0; j < args.size(); j += 2) {
      std::optional<int64_t> seconds = parse_loose(args[j]);
      std::optional<int64_t> changes = parse_loose(args[j + 1]);
      if (!seconds || !changes || *seconds < 1 || *changes < 0) return "Invalid save parameters";
      points.push_back({*seconds, *changes});
    }
    // In a file the first `save` replaces the defaults and later ones add to
    // it; CONFIG SET replaces the whole list.
    if (!state.loading || !*state.save_loaded) s.save.clear();
    if (state.loading) *state.save_loaded = true;
    s.save.insert(s.save.end(), points.begin(), points.end());
    return std::nullopt;
  };
  spec.get = [](const Settings& s) {
    std::string out;
    for (const SavePoint& p : s.save) {
      if (!out.empty()) out += ' ';
      out += fmt::format("{} {}", p.seconds, p.changes);
    }
    return out;
  };
  spec.rewrite = [](const Settings& now, const Settings&) {
    // Always written: a missing `save` line would mean "defaults" to Redis.
    std::vector<RewriteLine> lines;
    if (now.save.empty()) lines.push_back({"save \"\"", true});
    for (const SavePoint& p : now.save) {
      lines.push_back({fmt::format("save {} {}", p.seconds, p.changes), true});
    }
    return lines;
  };
  return spec;
}

Spec bind_spec() {
  Spec spec;
  spec.name = "bind";
  spec.flags = kMultiArg;
  spec.set = [](Settings& s, Args args, LoadState&) -> Error {
    if (args.size() == 1 && args[0].empty()) args = {};
    if (args.size() > kMaxBindAddresses) return "Too many bind addresses specified.";
    s.bind.assign(args.begin(), args.end());
    return std::nullopt;
  };
  spec.get = [](const Settings& s) { return join(s.bind); };
  spec.rewrite = [](const Settings& now, const Settings& def) {
    std::string value = now.bind.empty() ? "\"\"" : join(now.bind);
    return std::vector<RewriteLine>{{"bind " + value, now.bind != def.bind}};
  };
  return spec;
}

constexpr std::string_view kClientClassNames[kClientClassCount] = {"normal", "slave", "pubsub"};

Spec output_buffer_spec() {
  Spec spec;
  spec.name = "client-output-buffer-limit";
  spec.flags = kMultiArg;
  spec.set = [](Settings& s, Args args, LoadState&) -> Error {
    // <class> <hard> <soft> <soft seconds>, any number of times; all or nothing.
    if (args.size() % 4 != 0) return "Wrong number of arguments in buffer limit configuration.";
    auto limits = s.client_output_buffer_limit;
    for (size_t j = 0; j < args.size(); j += 4) {
      int cls;
      if (iequals(args[j], "normal")) {
        cls = kClientNormal;
      } else if (iequals(args[j], "slave") || iequals(args[j], "replica")) {
        cls = kClientReplica;
      } else if (iequals(args[j], "pubsub")) {
        cls = kClientPubsub;
      } else {
        return "Invalid client class specified in buffer limit configuration.";
      }
      std::optional<uint64_t> hard = parse_memory(args[j + 1]);
      std::optional<uint64_t> soft = parse_memory(args[j + 2]);
      std::optional<int64_t> seconds = parse_loose(args[j + 3]);
      if (!hard || !soft || !seconds || *seconds < 0 || *seconds > INT_MAX) {
        return "Error in hard, soft or soft_seconds setting in buffer limit configuration.";
      }
      limits[cls] = {*hard, *soft, *seconds};
    }
    s.client_output_buffer_limit = limits;
    return std::nullopt;
  };
  spec.get = [](const Settings& s) {
    std::string out;
    for (int j = 0; j < kClientClassCount; ++j) {
      const OutputBufferLimit& l = s.client_output_buffer_limit[j];
      if (j) out += ' ';
      out += fmt::format("{} {} {} {}", kClientClassNames[j], l.hard_bytes, l.soft_bytes,
                         l.soft_seconds);
    }
    return out;
  };
  spec.rewrite = [](const Settings& now, const Settings& def) {
    // One line per class; all three as soon as one differs from its default,
    // so that old lines, reused in order, keep matching their class.
    bool force = now.client_output_buffer_limit != def.client_output_buffer_limit;
    std::vector<RewriteLine> lines;
    for (int j = 0; j < kClientClassCount; ++j) {
      const OutputBufferLimit& l = now.client_output_buffer_limit[j];
      std::string_view cls = j == kClientReplica ? "replica" : kClientClassNames[j];
      lines.push_back(
          {fmt::format("client-output-buffer-limit {} {} {} {}", cls, format_memory(l.hard_bytes),
                       format_memory(l.soft_bytes), l.soft_seconds),
           force});
    }
    return lines;
  };
  return spec;
}

Spec notify_spec() {
  Spec spec = single(
      "notify-keyspace-events", {}, 0,
      [](Settings& s, const std::string& v) -> Error {
        std::optional<uint32_t> flags = parse_notify(v);
        if (!flags) return "Invalid event class character. Use 'Ag$lshzxeKEtmdn'.";
        s.notify_keyspace_events = *flags;
        return std::nullopt;
      },
      [](const Settings& s) { return format_notify(s.notify_keyspace_events); },
      [](const Settings& s) { return repr(format_notify(s.notify_keyspace_events)); });
  return spec;
}

Spec dir_spec() {
  Spec spec = single(
      "dir", {}, kProtected,
      [](Settings& s, const std::string& v) -> Error {
        // Resolved to an absolute path now (relative to the directory the
        // server runs in), so CONFIG GET and REWRITE show where data goes.
        if (v.empty()) return std::strerror(ENOENT);
        std::error_code ec;
        std::filesystem::path p = std::filesystem::canonical(v, ec);
        if (ec) return std::strerror(ec.value());
        if (!std::filesystem::is_directory(p, ec)) return std::strerror(ENOTDIR);
        if (::access(p.c_str(), X_OK) != 0) return std::strerror(errno);
        s.dir = p.string();
        return std::nullopt;
      },
      [](const Settings& s) { return s.dir; });
  spec.rewrite = [](const Settings& now, const Settings&) {
    return std::vector<RewriteLine>{{"dir " + repr(now.dir), true}};
  };
  return spec;
}

Spec hz_spec() {
  return single(
      "hz", {}, 0,
      [](Settings& s, const std::string& v) -> Error {
        int64_t n;
        if (Error e = parse_bounded(v, 0, INT_MAX, &n)) return e;
        s.hz = static_cast<int>(std::clamp<int64_t>(n, 1, 500));  // as Redis: clamp, not refuse
        return std::nullopt;
      },
      [](const Settings& s) { return std::to_string(s.hz); });
}

Spec unixsocketperm_spec() {
  return single(
      "unixsocketperm", {}, kImmutable,
      [](Settings& s, const std::string& v) -> Error {
        std::optional<int64_t> n = parse_loose(v, 8);
        if (!n) return "argument couldn't be parsed as an octal number";
        if (*n < 0 || *n > 0777) return "argument must be between 0 and 777 inclusive";
        s.unixsocketperm = static_cast<int>(*n);
        return std::nullopt;
      },
      [](const Settings& s) { return fmt::format("{:o}", s.unixsocketperm); });
}

std::vector<Spec> build_table() {
  using S = Settings;
  std::vector<Spec> t;
  // Network.
  t.push_back(int_spec("port", &S::port, 0, 65535));
  t.push_back(bind_spec());
  t.push_back(bool_spec("protected-mode", &S::protected_mode));
  t.push_back(string_spec("unixsocket", &S::unixsocket, kImmutable, true));
  t.push_back(unixsocketperm_spec());
  t.push_back(int_spec("tcp-backlog", &S::tcp_backlog, 0, INT_MAX, kImmutable));
  t.push_back(int_spec("timeout", &S::timeout, 0, INT_MAX));
  t.push_back(int_spec("tcp-keepalive", &S::tcp_keepalive, 0, INT_MAX));
  t.push_back(int_spec("maxclients", &S::maxclients, 1, UINT_MAX));
  // Security.
  t.push_back(string_spec("requirepass", &S::requirepass, kSensitive, true));
  t.push_back(enum_spec("enable-protected-configs", &S::enable_protected_configs,
                        {{"no", ProtectedConfigs::kNo},
                         {"yes", ProtectedConfigs::kYes},
                         {"local", ProtectedConfigs::kLocal}},
                        kImmutable));
  t.push_back(enum_spec("enable-debug-command", &S::enable_debug_command,
                        {{"no", ProtectedConfigs::kNo},
                         {"yes", ProtectedConfigs::kYes},
                         {"local", ProtectedConfigs::kLocal}},
                        kImmutable));
  // General.
  t.push_back(int_spec("databases", &S::databases, 1, INT_MAX, kImmutable));
  t.push_back(dir_spec());
  t.push_back(hz_spec());
  t.push_back(bool_spec("daemonize", &S::daemonize, kImmutable, [](bool yes) -> Error {
    if (!yes) return std::nullopt;
    return "daemonize yes is not supported: Vireo always runs in the foreground "
           "(use systemd, a container or nohup to run it in the background)";
  }));
  t.push_back(string_spec("pidfile", &S::pidfile, kImmutable, true));
  t.push_back(enum_spec("loglevel", &S::loglevel,
                        {{"debug", LogLevel::kDebug},
                         {"verbose", LogLevel::kVerbose},
                         {"notice", LogLevel::kNotice},
                         {"warning", LogLevel::kWarning}}));
  t.push_back(string_spec("logfile", &S::logfile, kImmutable, false));
  t.push_back(int_spec("active-expire-effort", &S::active_expire_effort, 1, 10));
  // Limits.
  t.push_back(memory_spec("proto-max-bulk-len", &S::proto_max_bulk_len, 1024 * 1024, INT64_MAX));
  t.push_back(memory_spec("client-query-buffer-limit", &S::client_query_buffer_limit, 1024 * 1024,
                          INT64_MAX));
  t.push_back(output_buffer_spec());
  t.push_back(memory_spec("maxmemory", &S::maxmemory, 0, UINT64_MAX));
  t.push_back(enum_spec("maxmemory-policy", &S::maxmemory_policy,
                        {{"volatile-lru", MaxmemoryPolicy::kVolatileLru},
                         {"volatile-lfu", MaxmemoryPolicy::kVolatileLfu},
                         {"volatile-random", MaxmemoryPolicy::kVolatileRandom},
                         {"volatile-ttl", MaxmemoryPolicy::kVolatileTtl},
                         {"allkeys-lru", MaxmemoryPolicy::kAllkeysLru},
                         {"allkeys-lfu", MaxmemoryPolicy::kAllkeysLfu},
                         {"allkeys-random", MaxmemoryPolicy::kAllkeysRandom},
                         {"noeviction", MaxmemoryPolicy::kNoeviction}}));
  t.push_back(int_spec("maxmemory-samples", &S::maxmemory_samples, 1, INT_MAX));
  t.push_back(int_spec("maxmemory-eviction-tenacity", &S::maxmemory_eviction_tenacity, 0, 100));
  // Slow log.
  t.push_back(int_spec("slowlog-log-slower-than", &S::slowlog_log_slower_than, -1, INT64_MAX));
  t.push_back(int_spec("slowlog-max-len", &S::slowlog_max_len, 0, INT64_MAX));
  // Persistence.
  t.push_back(save_spec());
  t.push_back(string_spec("dbfilename", &S::dbfilename, kProtected, false,
                          base_name_only("dbfilename", true)));
  // Start-up only for now: turning the log on or off in a running server
  // (Redis rewrites its AOF then) is not built yet, and a setting that
  // changed without effect would mislead.
  t.push_back(bool_spec("appendonly", &S::appendonly, kImmutable));
  t.push_back(string_spec("appendfilename", &S::appendfilename, kImmutable, false,
                          base_name_only("appendfilename", false)));
  t.push_back(string_spec("appenddirname", &S::appenddirname, kImmutable, false,
                          base_name_only("appenddirname", false)));
  t.push_back(enum_spec("appendfsync", &S::appendfsync,
                        {{"everysec", AppendFsync::kEverysec},
                         {"always", AppendFsync::kAlways},
                         {"no", AppendFsync::kNo}}));
  t.push_back(int_spec("key-load-delay", &S::key_load_delay, INT_MIN, INT_MAX));
  t.push_back(int_spec("rdb-key-save-delay", &S::rdb_key_save_delay, INT_MIN, INT_MAX));
  t.push_back(int_spec("auto-aof-rewrite-percentage", &S::auto_aof_rewrite_percentage, 0, INT_MAX));
  t.push_back(
      memory_spec("auto-aof-rewrite-min-size", &S::auto_aof_rewrite_min_size, 0, INT64_MAX));
  t.push_back(bool_spec("stop-writes-on-bgsave-error", &S::stop_writes_on_bgsave_error));
  // Replication.
  t.push_back(replicaof_spec());
  t.push_back(string_spec("masteruser", &S::masteruser, 0, true));
  t.push_back(string_spec("masterauth", &S::masterauth, kSensitive, true));
  t.push_back(bool_spec("replica-read-only", &S::replica_read_only));
  t.push_back(memory_spec("repl-backlog-size", &S::repl_backlog_size, 1, INT64_MAX));
  t.push_back(int_spec("repl-timeout", &S::repl_timeout, 1, INT_MAX));
  t.push_back(int_spec("repl-ping-replica-period", &S::repl_ping_replica_period, 1, INT_MAX, 0,
                       {"repl-ping-slave-period"}));
  // Lazy freeing.
  t.push_back(bool_spec("lazyfree-lazy-eviction", &S::lazyfree_lazy_eviction));
  t.push_back(bool_spec("lazyfree-lazy-expire", &S::lazyfree_lazy_expire));
  t.push_back(bool_spec("lazyfree-lazy-server-del", &S::lazyfree_lazy_server_del));
  t.push_back(bool_spec("lazyfree-lazy-user-del", &S::lazyfree_lazy_user_del));
  t.push_back(bool_spec("lazyfree-lazy-user-flush", &S::lazyfree_lazy_user_flush));
  // Compact encodings; the ziplist names are Redis 7.0's aliases.
  t.push_back(int_spec("hash-max-listpack-entries", &S::hash_max_listpack_entries, 0, INT64_MAX, 0,
                       {"hash-max-ziplist-entries"}));
  t.push_back(int_spec("hash-max-listpack-value", &S::hash_max_listpack_value, 0, INT64_MAX, 0,
                       {"hash-max-ziplist-value"}));
  t.push_back(int_spec("zset-max-listpack-entries", &S::zset_max_listpack_entries, 0, INT64_MAX, 0,
                       {"zset-max-ziplist-entries"}));
  t.push_back(int_spec("zset-max-listpack-value", &S::zset_max_listpack_value, 0, INT64_MAX, 0,
                       {"zset-max-ziplist-value"}));
  t.push_back(int_spec("set-max-intset-entries", &S::set_max_intset_entries, 0, INT64_MAX));
  // Redis 7.2's settings: 7.0 has no listpack encoding for sets.
  t.push_back(int_spec("set-max-listpack-entries", &S::set_max_listpack_entries, 0, INT64_MAX));
  t.push_back(int_spec("set-max-listpack-value", &S::set_max_listpack_value, 0, INT64_MAX));
  t.push_back(int_spec("list-max-listpack-size", &S::list_max_listpack_size, INT_MIN, INT_MAX, 0,
                       {"list-max-ziplist-size"}));
  t.push_back(int_spec("list-compress-depth", &S::list_compress_depth, 0, INT_MAX));
  // Notifications.
  t.push_back(notify_spec());
  return t;
}

// Lower-case name or alias -> index in table().
const std::unordered_map<std::string, size_t>& index() {
  static const std::unordered_map<std::string, size_t> kIndex = [] {
    std::unordered_map<std::string, size_t> m;
    const auto& t = table();
    for (size_t i = 0; i < t.size(); ++i) {
      m.emplace(std::string(t[i].name), i);
      for (std::string_view a : t[i].aliases)
        m.emplace(std::string(a), i);
    }
    return m;
  }();
  return kIndex;
}

}  // namespace

std::string repr(std::string_view s) {
  std::string out;
  append_quoted(&out, s);
  return out;
}

const std::vector<Spec>& table() {
  static const std::vector<Spec> kTable = build_table();
  return kTable;
}

std::optional<size_t> find_spec(std::string_view name) {
  auto it = index().find(ascii_lower(name));
  if (it == index().end()) return std::nullopt;
  return it->second;
}

}  // namespace vireo::config_table
