// INFO [section ...]: Redis 7.0's report, with its section names, field names
// and number formats, so that monitoring tools and client libraries read it
// unchanged. Fields about machinery Vireo does not have (RDB, AOF, replicas,
// forks, defragmentation) report the values Redis reports when it is idle.
#include <fmt/format.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <chrono>
#include <climits>
#include <cstdio>
#include <iterator>
#include <string>

#include "core/ascii.h"
#include "core/lazy_free.h"
#include "core/version.h"
#include "server/commands/families.h"
#include "server/connection.h"
#include "server/heap_counter.h"
#include "server/server.h"

namespace vireo {
namespace {

using Out = std::string;

template <typename... T>
void line(Out& out, fmt::format_string<T...> format, T&&... args) {
  fmt::format_to(std::back_inserter(out), format, std::forward<T>(args)...);
  out += "\r\n";
}

// Redis's human-readable byte counts: 0B, 943.03K, 6.40M...
std::string human_bytes(uint64_t n) {
  static constexpr char kUnits[] = "KMGTP";
  if (n < 1024) return fmt::format("{}B", n);
  double v = static_cast<double>(n);
  for (char unit : std::string_view(kUnits)) {
    v /= 1024;
    if (v < 1024 || unit == 'P') return fmt::format("{:.2f}{}", v, unit);
  }
  return fmt::format("{}B", n);
}

std::string timeval_seconds(const timeval& tv) {
  return fmt::format("{}.{:06d}", static_cast<long>(tv.tv_sec), static_cast<long>(tv.tv_usec));
}

// The path of the running binary, resolved once.
const std::string& executable_path() {
  static const std::string path = [] {
    char buf[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", buf, sizeof(buf));
    return n > 0 ? std::string(buf, static_cast<size_t>(n)) : std::string();
  }();
  return path;
}

// Resident set size from /proc/self/statm (its second field, in pages).
uint64_t resident_memory() {
  FILE* f = std::fopen("/proc/self/statm", "r");
  if (!f) return 0;
  unsigned long long size = 0, resident = 0;
  int fields = std::fscanf(f, "%llu %llu", &size, &resident);
  std::fclose(f);
  return fields == 2 ? resident * static_cast<uint64_t>(sysconf(_SC_PAGESIZE)) : 0;
}

void server_section(Server& server, Out& out) {
  const Settings& s = server.settings();
  struct utsname name;
  uname(&name);
  int64_t now = wall_clock_ms();
  int64_t uptime_s = (now - server.stats().start_time_ms) / 1000;
  line(out, "redis_version:{}", kRedisCompatVersion);
  line(out, "vireo_version:{}", kVireoVersion);
  line(out, "redis_git_sha1:00000000");
  line(out, "redis_git_dirty:0");
  line(out, "redis_mode:standalone");
  line(out, "os:{} {} {}", name.sysname, name.release, name.machine);
  line(out, "arch_bits:{}", sizeof(void*) * 8);
  line(out, "monotonic_clock:POSIX clock_gettime");
  line(out, "multiplexing_api:epoll");
#ifdef __GNUC__
  line(out, "gcc_version:{}.{}.{}", __GNUC__, __GNUC_MINOR__, __GNUC_PATCHLEVEL__);
#else
  line(out, "gcc_version:0.0.0");
#endif
  line(out, "process_id:{}", getpid());
  line(out, "process_supervised:no");
  line(out, "run_id:{}", server.run_id());
  line(out, "tcp_port:{}", s.port);
  line(out, "server_time_usec:{}",
       std::chrono::duration_cast<std::chrono::microseconds>(
           std::chrono::system_clock::now().time_since_epoch())
           .count());
  line(out, "uptime_in_seconds:{}", uptime_s);
  line(out, "uptime_in_days:{}", uptime_s / 86400);
  line(out, "hz:{}", s.hz);
  line(out, "configured_hz:{}", s.hz);
  // Redis's LRU clock: seconds, wrapping at 24 bits.
  line(out, "lru_clock:{}", (now / 1000) & 0xffffff);
  line(out, "executable:{}", executable_path());
  line(out, "config_file:{}", server.config().file());
  line(out, "io_threads_active:0");
}

void clients_section(Server& server, Out& out) {
  // Killed clients linger until the loop closes their sockets; Redis frees
  // them at once, so they do not count.
  size_t connected = 0, max_input = 0, max_output = 0;
  for (const auto& [id, c] : server.clients()) {
    if (c->closing()) continue;
    ++connected;
    max_input = std::max(max_input, c->query_buffer_capacity());
    max_output = std::max(max_output, c->output().size());
  }
  line(out, "connected_clients:{}", connected);
  line(out, "cluster_connections:0");
  line(out, "maxclients:{}", server.settings().maxclients);
  line(out, "client_recent_max_input_buffer:{}", max_input);
  line(out, "client_recent_max_output_buffer:{}", max_output);
  line(out, "blocked_clients:{}", server.blocked().clients());
  line(out, "tracking_clients:0");
  line(out, "clients_in_timeout_table:{}", server.blocked().clients_with_deadline());
  // Vireo's: clients inside BEGIN, and the deepest savepoint nesting among them.
  size_t in_txn = 0, deepest = 0;
  for (const auto& [id, c] : server.clients()) {
    if (!c->txn) continue;
    ++in_txn;
    deepest = std::max(deepest, c->txn->depth());
  }
  line(out, "txn_clients:{}", in_txn);
  line(out, "txn_max_depth:{}", deepest);
}

void memory_section(Server& server, Out& out) {
  const Settings& s = server.settings();
  const MemoryLimiter& limiter = server.memory_limiter();
  uint64_t used = static_cast<uint64_t>(std::max<int64_t>(0, heap_allocated_bytes()));
  uint64_t& peak = server.stats().used_memory_peak;
  peak = std::max(peak, used);
  uint64_t rss = resident_memory();
  uint64_t system =
      static_cast<uint64_t>(sysconf(_SC_PHYS_PAGES)) * static_cast<uint64_t>(sysconf(_SC_PAGESIZE));
  uint64_t maxmemory = s.maxmemory;
  auto policy = server.config().get("maxmemory-policy");
  line(out, "used_memory:{}", used);
  line(out, "used_memory_human:{}", human_bytes(used));
  line(out, "used_memory_rss:{}", rss);
  line(out, "used_memory_rss_human:{}", human_bytes(rss));
  line(out, "used_memory_peak:{}", peak);
  line(out, "used_memory_peak_human:{}", human_bytes(peak));
  line(out, "used_memory_peak_perc:{:.2f}%", peak ? 100.0 * used / peak : 0.0);
  line(out, "total_system_memory:{}", system);
  line(out, "total_system_memory_human:{}", human_bytes(system));
  line(out, "maxmemory:{}", maxmemory);
  line(out, "maxmemory_human:{}", human_bytes(maxmemory));
  line(out, "maxmemory_policy:{}", policy.empty() ? "" : policy[0].second);
  line(out, "mem_fragmentation_ratio:{:.2f}", used ? static_cast<double>(rss) / used : 0.0);
  line(out, "mem_fragmentation_bytes:{}", static_cast<int64_t>(rss - used));
  line(out, "mem_not_counted_for_evict:{}", limiter.not_counted_bytes());
  line(out, "mem_allocator:{}", heap_allocator_name());
  line(out, "lazyfree_pending_objects:{}", lazy_free().pending_entries());
  line(out, "lazyfreed_objects:{}", lazy_free().freed_entries());
}

void persistence_section(Server& server, Out& out) {
  line(out, "loading:{}", server.loading() ? 1 : 0);
  if (server.loading()) line(out, "loading_start_time:{}", server.loading_since_ms() / 1000);
  line(out, "async_loading:0");
  line(out, "current_cow_peak:0");
  line(out, "current_cow_size:0");
  line(out, "current_cow_size_age:0");
  line(out, "current_fork_perc:0.00");
  line(out, "current_save_keys_processed:0");
  line(out, "current_save_keys_total:0");
  const Checkpoints& cp = server.checkpoints();
  const int64_t now = server.now_ms();
  using K = CheckpointKind;
  line(out, "rdb_changes_since_last_save:{}", cp.changes_since_save());
  line(out, "rdb_bgsave_in_progress:{}", cp.in_progress(K::kBgsave) ? 1 : 0);
  line(out, "rdb_last_save_time:{}", cp.last_save_time_s());
  line(out, "rdb_last_bgsave_status:{}", cp.last_background_ok() ? "ok" : "err");
  line(out, "rdb_last_bgsave_time_sec:{}", cp.last_background_seconds());
  line(out, "rdb_current_bgsave_time_sec:{}",
       cp.in_progress(K::kBgsave) ? cp.current_background_seconds(now) : -1);
  line(out, "rdb_saves:{}", cp.saves());
  line(out, "rdb_last_cow_size:{}", cp.last_cow_bytes(K::kBgsave));
  line(out, "rdb_last_load_keys_expired:{}", cp.loaded_expired_keys());
  line(out, "rdb_last_load_keys_loaded:{}", cp.loaded_keys());
  DurableLog* log = server.durable_log();
  line(out, "aof_enabled:{}", log ? 1 : 0);
  line(out, "aof_rewrite_in_progress:{}", cp.in_progress(K::kRewrite) ? 1 : 0);
  line(out, "aof_rewrite_scheduled:{}", cp.scheduled(K::kRewrite) ? 1 : 0);
  line(out, "aof_last_rewrite_time_sec:{}", cp.rewrites() ? cp.last_background_seconds() : -1);
  line(out, "aof_current_rewrite_time_sec:{}",
       cp.in_progress(K::kRewrite) ? cp.current_background_seconds(now) : -1);
  line(out, "aof_last_bgrewrite_status:{}", cp.last_background_ok() ? "ok" : "err");
  line(out, "aof_rewrites:{}", cp.rewrites());
  line(out, "aof_rewrites_consecutive_failures:{}", cp.consecutive_failures());
  line(out, "aof_last_write_status:{}", !log || log->writer().healthy() ? "ok" : "err");
  line(out, "aof_last_cow_size:{}", cp.last_cow_bytes(K::kRewrite));
  line(out, "module_fork_in_progress:0");
  line(out, "module_fork_last_cow_size:0");
  if (!log) return;
  const WalWriter& w = log->writer();
  const RecoveryReport& recovered = server.recovery();
  line(out, "aof_current_size:{}", cp.base_bytes() + w.appended_lsn() - log->base_lsn());
  line(out, "aof_base_size:{}", cp.base_bytes());
  line(out, "aof_pending_rewrite:0");
  line(out, "aof_buffer_length:{}", w.appended_lsn() - w.written_lsn());
  line(out, "aof_pending_bio_fsync:{}", w.sync_running() ? 1 : 0);
  line(out, "aof_delayed_fsync:0");
  // Vireo's own: log positions (the replication offsets to come), and the
  // clients whose replies wait for an fsync (appendfsync always).
  line(out, "wal_offset:{}", w.appended_lsn());
  line(out, "wal_written_offset:{}", w.written_lsn());
  line(out, "wal_durable_offset:{}", w.durable_lsn());
  line(out, "wal_clients_waiting_fsync:{}", log->held_connections());
  line(out, "wal_records:{}", w.records());
  line(out, "wal_syncs:{}", w.syncs());
  line(out, "wal_recovered_records:{}", recovered.records);
  line(out, "wal_recovery_torn_bytes_dropped:{}", recovered.torn_bytes_dropped);
}

void stats_section(Server& server, Out& out) {
  const ServerStats& st = server.stats();
  const ServerRates& rates = server.rates();
  line(out, "total_connections_received:{}", st.total_connections_received);
  line(out, "total_commands_processed:{}", st.total_commands_processed);
  line(out, "instantaneous_ops_per_sec:{}", static_cast<int64_t>(rates.commands.per_second()));
  line(out, "total_net_input_bytes:{}", st.total_net_input_bytes);
  line(out, "total_net_output_bytes:{}", st.total_net_output_bytes);
  line(out, "total_net_repl_input_bytes:0");
  line(out, "total_net_repl_output_bytes:0");
  line(out, "instantaneous_input_kbps:{:.2f}", rates.net_input_bytes.per_second() / 1024);
  line(out, "instantaneous_output_kbps:{:.2f}", rates.net_output_bytes.per_second() / 1024);
  line(out, "instantaneous_input_repl_kbps:0.00");
  line(out, "instantaneous_output_repl_kbps:0.00");
  line(out, "rejected_connections:{}", st.rejected_connections);
  const Replicas& replicas = server.replicas();
  line(out, "sync_full:{}", replicas.full_syncs());
  line(out, "sync_partial_ok:{}", replicas.partial_syncs_ok());
  line(out, "sync_partial_err:{}", replicas.partial_syncs_refused());
  line(out, "expired_keys:{}", st.expired_keys);
  line(out, "expired_stale_perc:0.00");
  line(out, "expired_time_cap_reached_count:0");
  line(out, "expire_cycle_cpu_milliseconds:0");
  const MemoryLimiter& limiter = server.memory_limiter();
  line(out, "evicted_keys:{}", limiter.evicted_keys());
  line(out, "evicted_clients:0");
  line(out, "total_eviction_exceeded_time:{}", limiter.total_exceeded_ms());
  line(out, "current_eviction_exceeded_time:{}", limiter.current_exceeded_ms());
  line(out, "keyspace_hits:{}", server.keyspace_hits());
  line(out, "keyspace_misses:{}", server.keyspace_misses());
  // Distinct names with subscribers, patterns included (as Redis counts them).
  line(out, "pubsub_channels:{}", server.pubsub().size(Subscription::kChannel));
  line(out, "pubsub_patterns:{}", server.pubsub().size(Subscription::kPattern));
  line(out, "pubsubshard_channels:{}", server.pubsub().size(Subscription::kShard));
  line(out, "latest_fork_usec:0");
  line(out, "total_forks:0");
  line(out, "migrate_cached_sockets:0");
  line(out, "slave_expires_tracked_keys:0");
  line(out, "active_defrag_hits:0");
  line(out, "active_defrag_misses:0");
  line(out, "active_defrag_key_hits:0");
  line(out, "active_defrag_key_misses:0");
  line(out, "total_active_defrag_time:0");
  line(out, "current_active_defrag_time:0");
  line(out, "tracking_total_keys:0");
  line(out, "tracking_total_items:0");
  line(out, "tracking_total_prefixes:0");
  line(out, "unexpected_error_replies:{}", st.unexpected_error_replies);
  line(out, "total_error_replies:{}", server.error_stats().total());
  line(out, "dump_payload_sanitizations:0");
  line(out, "total_reads_processed:{}", st.io_reads_processed);
  line(out, "total_writes_processed:{}", st.io_writes_processed);
  line(out, "io_threaded_reads_processed:0");
  line(out, "io_threaded_writes_processed:0");
  line(out, "client_query_buffer_limit_disconnections:{}",
       st.client_query_buffer_limit_disconnections);
  line(out, "client_output_buffer_limit_disconnections:{}",
       st.client_output_buffer_limit_disconnections);
}

// A replica's lines about its primary, as Redis 7.0 prints them.
void primary_link_lines(Server& server, const ReplicaRole& role, Out& out) {
  const ReplicaLink& link = role.link();
  const int64_t now = server.now_ms();
  const bool up = link.state() == ReplicaLink::State::kConnected;
  line(out, "role:slave");
  line(out, "master_host:{}", role.host());
  line(out, "master_port:{}", role.port());
  line(out, "master_link_status:{}", up ? "up" : "down");
  line(out, "master_last_io_seconds_ago:{}",
       link.last_io_ms() ? (now - link.last_io_ms()) / 1000 : -1);
  line(out, "master_sync_in_progress:{}", link.sync_in_progress() ? 1 : 0);
  line(out, "slave_read_repl_offset:{}", link.read_offset());
  line(out, "slave_repl_offset:{}", link.offset());
  if (link.sync_in_progress()) {
    const uint64_t total = link.transfer_size(), read = link.transfer_read();
    line(out, "master_sync_total_bytes:{}", total);
    line(out, "master_sync_read_bytes:{}", read);
    line(out, "master_sync_left_bytes:{}", total - std::min(total, read));
    line(out, "master_sync_perc:{:.2f}", total ? 100.0 * read / total : 0.0);
    line(out, "master_sync_last_io_seconds_ago:{}", (now - link.last_io_ms()) / 1000);
  }
  if (!up) {
    line(out, "master_link_down_since_seconds:{}",
         link.down_since_ms() ? (now - link.down_since_ms()) / 1000 : -1);
  }
  line(out, "slave_priority:100");
  line(out, "slave_read_only:{}", server.settings().replica_read_only ? 1 : 0);
  line(out, "replica_announced:1");
}

void replication_section(Server& server, Out& out) {
  const Replicas& replicas = server.replicas();
  if (const ReplicaRole* role = server.replica_role()) {
    primary_link_lines(server, *role, out);
  } else {
    line(out, "role:master");
  }
  size_t n = 0;
  for (const Connection* c : replicas.replicas())
    n += !c->closing();
  line(out, "connected_slaves:{}", n);
  n = 0;
  for (const Connection* c : replicas.replicas()) {
    if (c->closing()) continue;
    const ReplicaState& r = *c->replica;
    line(out, "slave{}:ip={},port={},state={},offset={},lag={}", n++, replica_address(*c),
         r.listening_port, replica_phase_name(r.phase), r.ack_offset,
         (server.now_ms() - r.ack_ms) / 1000);
  }
  line(out, "master_failover_state:no-failover");
  line(out, "master_replid:{}", server.replication_id());
  const std::string& previous = server.previous_replication_id();
  line(out, "master_replid2:{}", previous.empty() ? std::string(40, '0') : previous);
  line(out, "master_repl_offset:{}", replicas.offset());
  // Redis prints the first PSYNC offset (1-based) the old id no longer covers.
  if (previous.empty()) {
    line(out, "second_repl_offset:-1");
  } else {
    line(out, "second_repl_offset:{}", server.previous_history_end() + 1);
  }
  const ReplicationBacklog* backlog = replicas.backlog();
  line(out, "repl_backlog_active:{}", backlog ? 1 : 0);
  line(out, "repl_backlog_size:{}", server.settings().repl_backlog_size);
  line(out, "repl_backlog_first_byte_offset:{}", backlog ? backlog->start_offset() : 0);
  line(out, "repl_backlog_histlen:{}", backlog ? backlog->size() : 0);
}

void cpu_section(Server&, Out& out) {
  rusage self{}, children{}, thread{};
  getrusage(RUSAGE_SELF, &self);
  getrusage(RUSAGE_CHILDREN, &children);
  // INFO runs on the loop thread, which is the main thread.
  getrusage(RUSAGE_THREAD, &thread);
  line(out, "used_cpu_sys:{}", timeval_seconds(self.ru_stime));
  line(out, "used_cpu_user:{}", timeval_seconds(self.ru_utime));
  line(out, "used_cpu_sys_children:{}", timeval_seconds(children.ru_stime));
  line(out, "used_cpu_user_children:{}", timeval_seconds(children.ru_utime));
  line(out, "used_cpu_sys_main_thread:{}", timeval_seconds(thread.ru_stime));
  line(out, "used_cpu_user_main_thread:{}", timeval_seconds(thread.ru_utime));
}

void modules_section(Server&, Out&) {}

void command_stats_line(const Command& cmd, Out& out) {
  const CommandStats& st = cmd.stats;
  if (st.calls == 0 && st.failed_calls == 0 && st.rejected_calls == 0) return;
  double per_call = st.calls ? static_cast<double>(st.usec) / static_cast<double>(st.calls) : 0;
  line(out, "cmdstat_{}:calls={},usec={},usec_per_call={:.2f},rejected_calls={},failed_calls={}",
       cmd.full_name, st.calls, st.usec, per_call, st.rejected_calls, st.failed_calls);
}

void commandstats_section(Server& server, Out& out) {
  for (const auto& cmd : server.commands().all()) {
    command_stats_line(*cmd, out);
    for (const auto& sub : cmd->subcommands)
      command_stats_line(*sub, out);
  }
}

void cluster_section(Server&, Out& out) {
  line(out, "cluster_enabled:0");
}

void keyspace_section(Server& server, Out& out) {
  Keyspace& ks = server.keyspace();
  for (int i = 0; i < ks.count(); ++i) {
    const Database& db = ks.db(i);
    if (db.size() == 0) continue;
    line(out, "db{}:keys={},expires={},avg_ttl={}", i, db.size(), db.volatile_count(),
         db.average_ttl());
  }
}

struct Section {
  std::string_view name;   // as INFO takes it
  std::string_view title;  // as the report heads it
  bool in_default;
  void (*write)(Server& server, Out& out);
};

void errorstats_section(Server& server, Out& out) {
  server.error_stats().for_each(
      [&](std::string_view code, uint64_t n) { line(out, "errorstat_{}:count={}", code, n); });
}

// In report order. Redis's latencystats are not kept.
constexpr Section kSections[] = {
    {"server", "Server", true, server_section},
    {"clients", "Clients", true, clients_section},
    {"memory", "Memory", true, memory_section},
    {"persistence", "Persistence", true, persistence_section},
    {"stats", "Stats", true, stats_section},
    {"replication", "Replication", true, replication_section},
    {"cpu", "CPU", true, cpu_section},
    {"modules", "Modules", true, modules_section},
    {"commandstats", "Commandstats", false, commandstats_section},
    {"errorstats", "Errorstats", true, errorstats_section},
    {"cluster", "Cluster", true, cluster_section},
    {"keyspace", "Keyspace", true, keyspace_section},
};
constexpr size_t kSectionCount = std::size(kSections);

// Which sections the arguments ask for: none means "default"; "all" and
// "everything" mean every section; unknown names are ignored, as Redis.
std::array<bool, kSectionCount> selected_sections(Args args) {
  std::array<bool, kSectionCount> selected{};
  auto select = [&](bool (*pick)(const Section&)) {
    for (size_t i = 0; i < kSectionCount; ++i)
      selected[i] = selected[i] || pick(kSections[i]);
  };
  if (args.size() == 1) select([](const Section& s) { return s.in_default; });
  for (std::string_view arg : args.subspan(1)) {
    if (iequals(arg, "all") || iequals(arg, "everything")) {
      select([](const Section&) { return true; });
    } else if (iequals(arg, "default")) {
      select([](const Section& s) { return s.in_default; });
    } else {
      for (size_t i = 0; i < kSectionCount; ++i) {
        if (iequals(arg, kSections[i].name)) selected[i] = true;
      }
    }
  }
  return selected;
}

void info_command(CommandContext& base, Args args) {
  ServerContext& ctx = server_context(base);
  std::array<bool, kSectionCount> selected = selected_sections(args);
  Out out;
  bool first = true;
  for (size_t i = 0; i < kSectionCount; ++i) {
    if (!selected[i]) continue;
    if (!first) out += "\r\n";
    first = false;
    line(out, "# {}", kSections[i].title);
    kSections[i].write(ctx.server, out);
  }
  ctx.reply.verbatim(out);
}

constexpr std::string_view kTipsInfo[] = {"nondeterministic_output", "request_policy:all_shards",
                                          "response_policy:special"};

const CommandSpec kInfoCommands[] = {
    {.name = "info",
     .arity = -1,
     .flags = kLoading | kStale,
     .acl = kAclSlow | kAclDangerous,
     .tips = kTipsInfo,
     .handler = info_command,
     .group = "server",
     .summary = "Reports the server's state and statistics, by section.",
     .since = "1.0.0",
     .complexity = "O(1)"},
};

}  // namespace

std::span<const CommandSpec> info_commands() {
  return kInfoCommands;
}

}  // namespace vireo
