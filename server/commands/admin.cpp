// Administration commands: DEBUG, SHUTDOWN, SLOWLOG, MONITOR.
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <climits>
#include <cmath>
#include <cstdlib>
#include <iterator>
#include <optional>
#include <string>
#include <thread>

#include "core/ascii.h"
#include "core/commands/help.h"
#include "core/errors.h"
#include "core/log.h"
#include "core/object_info.h"
#include "core/strconv.h"
#include "core/types/list_value.h"
#include "server/commands/families.h"
#include "server/connection.h"
#include "server/server.h"

namespace vireo {
namespace {

// ---------------------------------------------------------------- DEBUG

constexpr std::string_view kErrDebugNotAllowed =
    "ERR DEBUG command not allowed. If the enable-debug-command option is set to \"local\", "
    "you can run it from a local connection, otherwise you need to set this option in the "
    "configuration file, and then restart the server.";

// Redis's numbers for lenient arguments (atof, atoi): leading junk is zero.
double lenient_double(std::string_view arg) {
  std::string text(arg);
  return std::strtod(text.c_str(), nullptr);
}

int64_t lenient_int(std::string_view arg) {
  std::string text(arg);
  return std::strtoll(text.c_str(), nullptr, 10);
}

// Bytes of a string in an RDB file, before LZF compression (Redis compresses
// strings over 20 bytes, so its figure for those may be smaller).
size_t rdb_string_length(std::string_view v) {
  if (v.size() <= 11) {
    if (auto n = parse_int64(v)) {
      if (*n >= INT8_MIN && *n <= INT8_MAX) return 2;
      if (*n >= INT16_MIN && *n <= INT16_MAX) return 3;
      if (*n >= INT32_MIN && *n <= INT32_MAX) return 5;
    }
  }
  size_t prefix = v.size() < 64 ? 1 : v.size() < 16384 ? 2 : v.size() <= UINT32_MAX ? 5 : 9;
  return prefix + v.size();
}

void debug_object(ServerContext& ctx, Args args) {
  Database& db = ctx.db();
  const Entry* e = db.find_stored(args[2]);
  if (!e) {
    ctx.reply.error(kErrNoSuchKey);
    return;
  }
  const size_t length = e->type() == ValueType::kString ? rdb_string_length(e->string_value()) : 0;
  const int64_t refcount = is_shared_integer(*e, ctx.keyspace.shared_integers()) ? INT_MAX : 1;
  const std::string_view encoding = encoding_name(*e);
  std::string text = fmt::format(
      "Value at:{} refcount:{} encoding:{} serializedlength:{} lru:{} lru_seconds_idle:{}",
      fmt::ptr(e), refcount, encoding, length, e->access_clock(), db.idle_seconds(e));
  if (e->type() == ValueType::kList) {
    // Redis's quicklist fields; Vireo never compresses nodes.
    const ListValue& list = *e->value_as<ListValue>();
    fmt::format_to(std::back_inserter(text),
                   " ql_nodes:{} ql_avg_node:{:.2f} ql_listpack_max:{} ql_compressed:0"
                   " ql_uncompressed_size:{}",
                   list.node_count(),
                   static_cast<double>(list.size()) / static_cast<double>(list.node_count()),
                   list.node_fill(), list.packed_bytes());
  }
  ctx.reply.simple(text);
}

// DEBUG SLEEP blocks the whole server on purpose (tests of slow commands).
void debug_sleep(ServerContext& ctx, Args args) {
  // Capped so that the conversion to microseconds cannot overflow; "inf" and
  // "nan" do not sleep (nor do they in Redis).
  double seconds = lenient_double(args[2]);
  if (std::isfinite(seconds) && seconds > 0) {
    seconds = std::min(seconds, 1e9);
    std::this_thread::sleep_for(std::chrono::microseconds(static_cast<int64_t>(seconds * 1e6)));
  }
  ctx.reply.ok();
}

void debug_set_active_expire(ServerContext& ctx, Args args) {
  ctx.server.set_active_expire(lenient_int(args[2]) != 0);
  ctx.reply.ok();
}

void debug_log(ServerContext& ctx, Args args) {
  log_warning("DEBUG LOG: {}", args[2]);
  ctx.reply.ok();
}

// The argument is the whole error line, code included.
void debug_error(ServerContext& ctx, Args args) {
  ctx.reply.error(args[2]);
}

// One reply of each RESP type, for client library tests (as Redis's).
void debug_protocol(ServerContext& ctx, Args args) {
  ReplyWriter& r = ctx.reply;
  bool resp3 = r.protocol() >= 3;
  std::string_view type = args[2];
  if (iequals(type, "string")) {
    r.bulk("Hello World");
  } else if (iequals(type, "integer")) {
    r.integer(12345);
  } else if (iequals(type, "double")) {
    r.dbl(3.141);
  } else if (iequals(type, "bignum")) {
    constexpr std::string_view kBig = "1234567999999999999999999999999999999";
    if (resp3) {
      r.raw(fmt::format("({}\r\n", kBig));
    } else {
      r.bulk(kBig);
    }
  } else if (iequals(type, "null")) {
    r.null();
  } else if (iequals(type, "array") || iequals(type, "set")) {
    if (iequals(type, "array")) {
      r.array(3);
    } else {
      r.set(3);
    }
    for (int i = 0; i < 3; ++i)
      r.integer(i);
  } else if (iequals(type, "map")) {
    r.map(3);
    for (int i = 0; i < 3; ++i) {
      r.integer(i);
      r.boolean(i == 1);
    }
  } else if (iequals(type, "attrib")) {
    if (resp3) r.raw("|1\r\n$14\r\nkey-popularity\r\n*2\r\n$7\r\nkey:123\r\n:90\r\n");
    r.bulk("Some real reply following the attribute");
  } else if (iequals(type, "push")) {
    if (!resp3) {
      r.error("ERR RESP2 is not supported by this command");
      return;
    }
    r.push(2);
    r.bulk("server-cpu-usage");
    r.integer(42);
    r.bulk("Some real reply following the push reply");
  } else if (iequals(type, "verbatim")) {
    r.verbatim("This is a verbatim\nstring");
  } else if (iequals(type, "true") || iequals(type, "false")) {
    r.boolean(iequals(type, "true"));
  } else {
    r.error(
        "ERR Wrong protocol type name. Please use one of the following: "
        "string|integer|double|bignum|null|array|set|map|attrib|push|verbatim|true|false");
  }
}

void debug_help(ServerContext& ctx, Args) {
  reply_help(ctx.reply, "DEBUG",
             {
                 "ERROR <string>",
                 "    Reply with <string> as an error line (its code included).",
                 "LOG <message>",
                 "    Write <message> to the server log.",
                 "OBJECT <key>",
                 "    Describe how the value at <key> is stored.",
                 "PROTOCOL <type>",
                 "    Reply with a sample of a RESP type: string, integer, double, bignum, null,",
                 "    array, set, map, attrib, push, verbatim, true, false.",
                 "SET-ACTIVE-EXPIRE <0|1>",
                 "    Stop (0) or resume (1) removing expired keys in the background.",
                 "SLEEP <seconds>",
                 "    Block the server for <seconds>, fractions allowed.",
             });
}

struct DebugSubcommand {
  std::string_view name;
  size_t argc;  // including DEBUG and the subcommand's name
  void (*run)(ServerContext& ctx, Args args);
};

constexpr DebugSubcommand kDebugSubcommands[] = {
    {"error", 3, debug_error},       {"help", 2, debug_help},
    {"log", 3, debug_log},           {"object", 3, debug_object},
    {"protocol", 3, debug_protocol}, {"set-active-expire", 3, debug_set_active_expire},
    {"sleep", 3, debug_sleep},
};

// DEBUG is one command with its own dispatch, not a container, as in Redis:
// COMMAND lists no subcommands for it, and its error texts differ.
void debug_command(CommandContext& base, Args args) {
  ServerContext& ctx = server_context(base);
  if (!ctx.server.debug_allowed(ctx.conn)) {
    ctx.reply.error(kErrDebugNotAllowed);
    return;
  }
  for (const DebugSubcommand& sub : kDebugSubcommands) {
    if (iequals(args[1], sub.name) && args.size() == sub.argc) {
      sub.run(ctx, args);
      return;
    }
  }
  reply_bad_subcommand(ctx.reply, args[1], "DEBUG");
}

// ------------------------------------------------------------- SHUTDOWN

// SHUTDOWN [NOSAVE|SAVE] [NOW] [FORCE] | SHUTDOWN ABORT. Vireo never waits
// for replicas, so there is never a shutdown in progress to abort.
void shutdown_command(CommandContext& base, Args args) {
  ServerContext& ctx = server_context(base);
  bool save = false, nosave = false, now = false, force = false, abort = false;
  for (std::string_view option : args.subspan(1)) {
    if (iequals(option, "save")) {
      save = true;
    } else if (iequals(option, "nosave")) {
      nosave = true;
    } else if (iequals(option, "now")) {
      now = true;
    } else if (iequals(option, "force")) {
      force = true;
    } else if (iequals(option, "abort")) {
      abort = true;
    } else {
      ctx.reply.error(kErrSyntax);
      return;
    }
  }
  if ((save && nosave) || (abort && (save || nosave || now || force))) {
    ctx.reply.error(kErrSyntax);
    return;
  }
  if (abort) {
    ctx.reply.error("ERR No shutdown in progress.");
    return;
  }
  using Save = Server::ShutdownSave;
  // Closes every connection, this one included: the client sees the
  // connection close, with no reply, as with Redis.
  if (!ctx.server.shutdown("User requested shutdown...", save     ? Save::kSave
                                                         : nosave ? Save::kNoSave
                                                                  : Save::kDefault)) {
    ctx.reply.error("ERR Errors trying to SHUTDOWN. Check logs.");
  }
}

// -------------------------------------------------------------- SLOWLOG

constexpr size_t kSlowlogDefaultCount = 10;

void reply_slowlog_entry(ReplyWriter& r, const SlowLogEntry& e) {
  r.array(6);
  r.integer(static_cast<int64_t>(e.id));
  r.integer(e.time_s);
  r.integer(static_cast<int64_t>(e.duration_us));
  r.array(e.args.size());
  for (const std::string& arg : e.args)
    r.bulk(arg);
  r.bulk(e.peer);
  r.bulk(e.client_name);
}

// SLOWLOG GET [count]: the newest `count` entries (10 by default, -1 all).
void slowlog_get_command(CommandContext& base, Args args) {
  ServerContext& ctx = server_context(base);
  if (args.size() > 3) {
    reply_bad_subcommand(ctx.reply, args[1], "SLOWLOG");
    return;
  }
  const auto& log = ctx.server.slowlog();
  size_t count = kSlowlogDefaultCount;
  if (args.size() == 3) {
    auto n = parse_int64(args[2]);
    if (!n || *n < -1) {
      ctx.reply.error("ERR count should be greater than or equal to -1");
      return;
    }
    count = *n == -1 ? log.size() : static_cast<size_t>(*n);
  }
  count = std::min(count, log.size());
  ctx.reply.array(count);
  for (size_t i = 0; i < count; ++i)
    reply_slowlog_entry(ctx.reply, log[i]);
}

void slowlog_len_command(CommandContext& base, Args) {
  ServerContext& ctx = server_context(base);
  ctx.reply.integer(static_cast<int64_t>(ctx.server.slowlog().size()));
}

void slowlog_reset_command(CommandContext& base, Args) {
  ServerContext& ctx = server_context(base);
  ctx.server.slowlog_reset();
  ctx.reply.ok();
}

void slowlog_help_command(CommandContext& base, Args) {
  ServerContext& ctx = server_context(base);
  reply_help(ctx.reply, "SLOWLOG",
             {
                 "GET [<count>]",
                 "    Return the newest <count> entries (default 10, -1 for all). Each entry holds",
                 "    its id, the Unix time it was logged, its duration in microseconds, the",
                 "    command's arguments, the client's address and the client's name.",
                 "LEN",
                 "    Return the number of entries.",
                 "RESET",
                 "    Remove every entry.",
             });
}

// -------------------------------------------------------------- MONITOR

void monitor_command(CommandContext& base, Args) {
  ServerContext& ctx = server_context(base);
  // Asking again is silently ignored, as Redis does.
  if (ctx.conn.monitor) return;
  ctx.server.add_monitor(&ctx.conn);
  ctx.reply.ok();
}

constexpr uint32_t kAdminFlags = kAdmin | kNoscript | kLoading | kStale;
constexpr uint32_t kAdminAcl = kAclAdmin | kAclSlow | kAclDangerous;

constexpr std::string_view kTipsSlowlogGet[] = {"request_policy:all_nodes",
                                                "nondeterministic_output"};
constexpr std::string_view kTipsSlowlogLen[] = {
    "request_policy:all_nodes", "response_policy:agg_sum", "nondeterministic_output"};
constexpr std::string_view kTipsSlowlogReset[] = {"request_policy:all_nodes",
                                                  "response_policy:all_succeeded"};

const CommandSpec kSlowlogSubcommands[] = {
    {.name = "get",
     .arity = -2,
     .flags = kAdmin | kLoading | kStale,
     .acl = kAdminAcl,
     .tips = kTipsSlowlogGet,
     .handler = slowlog_get_command,
     .group = "server",
     .summary = "Returns the newest entries of the slow log.",
     .since = "2.2.12",
     .complexity = "O(N) where N is the number of entries returned"},
    {.name = "help",
     .arity = 2,
     .flags = kLoading | kStale,
     .acl = kAclSlow,
     .handler = slowlog_help_command,
     .group = "server",
     .summary = "Describes the SLOWLOG subcommands.",
     .since = "6.2.0",
     .complexity = "O(1)"},
    {.name = "len",
     .arity = 2,
     .flags = kAdmin | kLoading | kStale,
     .acl = kAdminAcl,
     .tips = kTipsSlowlogLen,
     .handler = slowlog_len_command,
     .group = "server",
     .summary = "Returns the number of entries in the slow log.",
     .since = "2.2.12",
     .complexity = "O(1)"},
    {.name = "reset",
     .arity = 2,
     .flags = kAdmin | kLoading | kStale,
     .acl = kAdminAcl,
     .tips = kTipsSlowlogReset,
     .handler = slowlog_reset_command,
     .group = "server",
     .summary = "Empties the slow log.",
     .since = "2.2.12",
     .complexity = "O(N) where N is the number of entries in the slowlog"},
};

const CommandSpec kAdminCommands[] = {
    {.name = "debug",
     .arity = -2,
     .flags = kAdminFlags,
     .acl = kAdminAcl,
     .handler = debug_command,
     .group = "server",
     .summary = "Hooks for testing and inspecting the server.",
     .since = "1.0.0",
     .complexity = "Depends on subcommand."},
    {.name = "monitor",
     .arity = 1,
     .flags = kAdminFlags,
     .acl = kAdminAcl,
     .handler = monitor_command,
     .group = "server",
     .summary = "Streams every command the server runs to this connection.",
     .since = "1.0.0"},
    {.name = "shutdown",
     .arity = -1,
     .flags = kAdminFlags | kNoMulti | kAllowBusy,
     .acl = kAdminAcl,
     .handler = shutdown_command,
     .group = "server",
     .summary = "Stops the server.",
     .since = "1.0.0",
     .complexity = "O(N) when saving, where N is the total number of keys in all databases "
                   "when saving data, otherwise O(1)"},
    {.name = "slowlog",
     .arity = -2,
     .acl = kAclSlow,
     .subcommands = kSlowlogSubcommands,
     .group = "server",
     .summary = "A container for slow log commands.",
     .since = "2.2.12",
     .complexity = "Depends on subcommand."},
};

}  // namespace

std::span<const CommandSpec> admin_commands() {
  return kAdminCommands;
}

}  // namespace vireo
