#pragma once

#include <tsl/robin_map.h>
#include <uv.h>

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "core/command_table.h"
#include "core/context.h"
#include "core/effects.h"
#include "core/keyspace.h"
#include "core/pubsub.h"
#include "core/watched_keys.h"
#include "server/blocked_clients.h"
#include "server/checkpoints.h"
#include "server/config.h"
#include "server/connection.h"
#include "server/durable_log.h"
#include "server/memory_limiter.h"
#include "server/rate_sampler.h"
#include "server/replica_role.h"
#include "server/replicas.h"
#include "server/unsynced_keys.h"

namespace vireo {

class Connection;

// Counters behind INFO stats (named as INFO prints them).
struct ServerStats {
  int64_t start_time_ms = 0;
  uint64_t total_connections_received = 0;
  uint64_t total_commands_processed = 0;
  uint64_t rejected_connections = 0;
  uint64_t expired_keys = 0;
  uint64_t total_net_input_bytes = 0;
  uint64_t total_net_output_bytes = 0;
  uint64_t unexpected_error_replies = 0;
  uint64_t client_query_buffer_limit_disconnections = 0;
  uint64_t client_output_buffer_limit_disconnections = 0;
  uint64_t io_reads_processed = 0;
  uint64_t io_writes_processed = 0;
  uint64_t used_memory_peak = 0;  // the most INFO has seen
};

// One SLOWLOG entry.
struct SlowLogEntry {
  uint64_t id;
  int64_t time_s;
  uint64_t duration_us;
  std::vector<std::string> args;  // already truncated as Redis truncates them
  std::string peer;
  std::string client_name;
};

// Why clients are paused (CLIENT PAUSE).
enum class PauseMode { kNone, kWrite, kAll };

// The running server: owns the loop, the listeners, every connection, the
// keyspace and the command table, and runs each request through them.
class Server : private KeyspaceListener {
 public:
  explicit Server(Config& config);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds, listens and runs the loop until shutdown. Returns the exit code.
  int run();
  // Whether a shutdown writes a checkpoint: SHUTDOWN SAVE / NOSAVE, or by
  // default when `save` rules are set (as Redis).
  enum class ShutdownSave { kDefault, kSave, kNoSave };
  // Stops accepting, makes the log durable, checkpoints if asked, closes
  // every client and ends run() after this iteration. Returns false (and
  // does not stop) when a requested checkpoint fails, as Redis does.
  bool shutdown(std::string_view reason, ShutdownSave save = ShutdownSave::kDefault);

  // Runs one request from `c` through checks, the command and bookkeeping.
  // Returns false when `c` must stop processing input for now (paused).
  bool execute(Connection& c, std::span<const std::string_view> args);

  // Queues `c` for the write pass before the loop polls again.
  void schedule_write(Connection* c);
  // Whether `c`'s replies wait for the log to become durable (appendfsync
  // always); the log writes them when it is.
  bool log_holds(Connection& c) { return log_ && log_->holds(c); }
  // The write-ahead log, when appendonly is on.
  DurableLog* durable_log() { return log_.get(); }
  // SAVE, BGSAVE, the `save` rules and the log's automatic rewrite.
  Checkpoints& checkpoints() { return checkpoints_; }
  // This server's replicas, and the replication stream's position.
  Replicas& replicas() { return replicas_; }
  // Makes the effects produced so far in this iteration one record of the
  // stream: appended to the log (when on) and sent to replicas. Returns the
  // stream position after it.
  uint64_t commit_effects();
  // Appends one record holding `payload` to the log (when on) and the
  // replication stream: the iteration's effects, a keepalive, or a record
  // a replica received from its primary.
  void append_record(std::string_view payload);
  // The stream position once the effects produced so far in this iteration
  // are committed (WAIT's target).
  uint64_t stream_end_after_iteration() const;
  bool loading() const { return loading_; }
  int64_t loading_since_ms() const { return loading_since_ms_; }
  // What start-up replayed from the log.
  const RecoveryReport& recovery() const { return recovery_; }
  // Called by a connection when its handle has been closed.
  void forget(Connection* c);

  const Settings& settings() const { return config_.settings(); }
  Config& config() { return config_; }
  Keyspace& keyspace() { return keyspace_; }
  const CommandTable& commands() const { return commands_; }
  ServerStats& stats() { return stats_; }
  // Error replies by code, and their total (INFO errorstats, total_error_replies).
  ErrorStats& error_stats() { return error_stats_; }
  const CommandLimits& limits() const { return limits_; }
  RespEffectEncoder& effects() { return effects_; }
  // Where commands send effects: the encoder, through the WATCH invalidator.
  EffectSink& effect_sink() { return watch_tap_; }
  // Keys clients WATCH (and BEGIN transactions have touched).
  WatchedKeys& watched_keys() { return watched_; }
  // maxmemory: eviction, and its INFO counters.
  MemoryLimiter& memory_limiter() { return memory_limiter_; }
  uv_loop_t* loop() { return &loop_; }
  // Every connection, by id.
  const tsl::robin_map<uint64_t, Connection*>& clients() const { return clients_; }
  // Wall-clock milliseconds, refreshed once per request.
  int64_t now_ms() const { return keyspace_.now(); }
  // Keyspace hits and misses (INFO stats).
  uint64_t keyspace_hits() const;
  uint64_t keyspace_misses() const;
  // Recent rates of commands and network bytes (INFO instantaneous_*).
  const ServerRates& rates() const { return rates_; }
  // 40 random hex digits naming this process (INFO run_id), and the id of
  // the replication history it serves as a primary (INFO master_replid).
  const std::string& run_id() const { return run_id_; }
  const std::string& replication_id() const { return replication_id_; }
  // A replica's full sync adopts its primary's history (and forgets any
  // previous one).
  void set_replication_id(std::string id) {
    replication_id_ = std::move(id);
    previous_replication_id_.clear();
  }
  // The data continues no history it served (a full sync is replacing it): a
  // fresh replication id, and no previous one.
  void start_new_history();
  // A new history continues the current one from stream position `at` (a
  // promoted replica's, or its primary's, announced by +CONTINUE): the
  // current becomes the previous one (INFO master_replid2), which replicas
  // at or before `at` can continue from here. Its replicas are disconnected
  // to learn the new id.
  void shift_replication_id(std::string id, uint64_t at);
  // The previous history and the position up to which this server's stream
  // is that history too; "" when there is none.
  const std::string& previous_replication_id() const { return previous_replication_id_; }
  uint64_t previous_history_end() const { return previous_history_end_; }
  // Whether a replica at `offset` of history `replid` follows this server's
  // stream (a PSYNC it may continue).
  bool continues_history(std::string_view replid, uint64_t offset) const;

  // REPLICAOF host port: follows that primary from now on (dropping any
  // other). REPLICAOF NO ONE: stops following and starts a history of its
  // own, keeping the data.
  void follow(std::string host, int port);
  void stop_following();
  // This server's link to its primary, when it is a replica.
  const ReplicaRole* replica_role() const { return replica_role_.get(); }
  // Empties every database, as a full sync does before loading (no effects:
  // the primary's checkpoint replaces them).
  void drop_dataset();

  // Who subscribes to what (pub/sub); keyspace notifications publish into it.
  PubSub& pubsub() { return pubsub_; }

  // Clients parked by blocking commands (INFO, CLIENT UNBLOCK).
  BlockedClients& blocked() { return blocked_; }
  // Ends the wait of a parked client as a timeout or with CLIENT UNBLOCK's
  // error; false when `c` is not parked.
  bool unblock(Connection* c, Connection::Wake how);

  // MULTI/EXEC. Runs the commands `c` queued as one atomic effect group and
  // replies their replies as an array; or, when queueing failed or a watched
  // key changed, discards them with EXECABORT or a null array.
  void exec_transaction(Connection& c, ReplyWriter& writer);
  // Drops `c`'s queued commands (DISCARD, EXEC, RESET), keeping its WATCH.
  void discard_transaction(Connection& c);
  // Forgets every key `c` watches (UNWATCH, EXEC, DISCARD, RESET, close).
  void unwatch_all(Connection& c) { watched_.unwatch_all(&c.watch); }

  // Makes `c` receive every command the server runs (MONITOR), and stops it (RESET).
  void add_monitor(Connection* c);
  void remove_monitor(Connection* c);

  // SLOWLOG
  std::deque<SlowLogEntry>& slowlog() { return slowlog_; }
  void slowlog_reset() { slowlog_.clear(); }

  // CLIENT PAUSE / UNPAUSE. Every client waits, the pausing one and admin
  // commands included (CLIENT UNPAUSE too, under an ALL pause), as in Redis.
  void pause(PauseMode mode, int64_t until_ms);
  void unpause();
  PauseMode pause_mode() const { return pause_mode_; }

  // Whether DEBUG may run for `c` (enable-debug-command).
  bool debug_allowed(const Connection& c) const;
  // Active expiry on/off (DEBUG SET-ACTIVE-EXPIRE).
  void set_active_expire(bool on) { active_expire_ = on; }

  // Re-reads settings that live outside Settings (log level, limits...)
  // after CONFIG SET or start-up.
  void apply_settings();
  // Zeroes the counters INFO reports (CONFIG RESETSTAT).
  void reset_stats();

 private:
  static void on_connection(uv_stream_t* listener, int status);
  static void on_before_poll(uv_prepare_t* h);
  static void on_tick(uv_timer_t* h);
  static void on_signal(uv_signal_t* h, int signum);
  static void on_block_deadline(uv_timer_t* h);

  void on_expired(int db, std::string_view key) override;
  void on_key_ready(int db, std::string_view key) override;
  void on_swapped(int a, int b) override;
  void on_flushing(int db) override;
  // Answers a request refused before it ran (auth, context) with `error`:
  // inside MULTI the refusal also dooms the transaction, and a refused EXEC
  // says so with EXECABORT, as Redis 7 does.
  void reject(Connection& c, const Command& cmd, ReplyWriter& writer, std::string_view error);
  // maxmemory, before a command runs: lets eviction run, then says whether
  // memory is still over the limit and `cmd` is one Redis 7 refuses then.
  bool refused_for_memory(const Connection& c, const Command& cmd);
  // Whether `cmd` from `c` is held by CLIENT PAUSE (EXEC counts as a write
  // when it would run one).
  bool paused_for(const Connection& c, const Command& cmd) const;
  // MULTI: whether `cmd` runs at once instead of being queued, and queueing.
  bool runs_at_once_in_multi(const Command& cmd) const;
  // BEGIN/COMMIT/ROLLBACK (and RESET, QUIT): run outside a transaction's view.
  static bool steers_isolated_transaction(const Command& cmd);
  void queue_in_multi(Connection& c, const Command& cmd, std::span<const std::string_view> args,
                      ReplyWriter& writer);
  // The ending of a parked client's wait, in place of its command.
  void finish_wait(Connection& c, ReplyWriter& writer);
  // Serves clients parked on keys the last command readied.
  void serve_blocked();
  // Points the deadline timer at the earliest parked deadline.
  void arm_block_timer();
  bool listen_all();
  // Loads the newest checkpoint and replays the log after it, then starts
  // appending to the log (appendonly yes), serving clients -LOADING
  // meanwhile; false when the server must not start.
  bool load_data();
  // As a primary: keeps the replication id a clean exit recorded when the
  // data starts exactly where that exit left the stream, then removes the
  // record (a crash from here on must not leave it claimable).
  void continue_recorded_history();
  // At a clean exit as a primary, with everything streamed durable: records
  // the id and the stream's end for the next start.
  void record_history_at_exit();
  // Lets the loop answer clients for a moment during a long load.
  void serve_while_loading();
  // Under appendfsync always, makes `c`'s replies wait for the log when the
  // command wrote (`effects_before` is the effect count before it ran) or
  // read a key whose last write is not durable yet.
  void hold_until_durable(Connection& c, const CommandSpec& spec, Args args,
                          uint64_t effects_before);
  // Whether `spec` from `c` changes the keyspace (EXEC: when it would run a write).
  static bool writes(const Connection& c, const CommandSpec& spec);
  // MISCONF: why `cmd` is refused while persistence is failing, or "".
  std::string persistence_refusal(const Connection& c, const Command& cmd) const;
  void accept_one(uv_stream_t* listener);
  void tick();
  void active_expire_cycle();
  void close_idle_clients();
  void feed_monitors(const Connection& c, std::span<const std::string_view> args);
  void record_slow(const Connection& c, std::span<const std::string_view> args, uint64_t us);

  Config& config_;
  uv_loop_t loop_;
  std::vector<std::unique_ptr<uv_tcp_t>> listeners_;
  uv_prepare_t before_poll_;
  uv_timer_t tick_timer_;
  uv_timer_t block_timer_;  // the earliest blocking-command deadline
  uv_signal_t sigterm_, sigint_;

  // Before the keyspace, which publishes its notifications into it.
  PubSub pubsub_;
  PubSubEventPublisher pubsub_events_{pubsub_};
  Keyspace keyspace_;
  CommandTable commands_;
  CommandLimits limits_;
  RespEffectEncoder effects_;
  WatchedKeys watched_;
  UnsyncedKeys unsynced_{&effects_, &commands_};
  WatchInvalidator watch_tap_{&unsynced_, &watched_, &commands_};
  ExpiryEffects expiry_effects_{&watch_tap_, &keyspace_.events()};
  std::unique_ptr<DurableLog> log_;
  Checkpoints checkpoints_{config_.settings(), keyspace_, effects_};
  Replicas replicas_{*this};
  std::unique_ptr<ReplicaRole> replica_role_;
  bool hold_replies_ = false;  // log_ under appendfsync always
  // The log or the last checkpoint failed: writes may be refused (MISCONF).
  // Refreshed by the tick and when the log reports; one test per command.
  bool persistence_failing_ = false;
  RecoveryReport recovery_;
  MemoryLimiter memory_limiter_{*this};  // after the keyspace and the sinks it uses
  ServerStats stats_;
  ErrorStats error_stats_;
  ServerRates rates_;
  std::string run_id_;
  std::string replication_id_;
  std::string previous_replication_id_;
  uint64_t previous_history_end_ = 0;

  tsl::robin_map<uint64_t, Connection*> clients_;
  uint64_t next_client_id_ = 1;
  std::vector<Connection*> pending_writes_;
  std::vector<Connection*> write_batch_;  // reused by on_before_poll
  std::vector<Connection*> monitors_;
  BlockedClients blocked_{keyspace_};
  bool serving_blocked_ = false;  // inside BlockedClients::serve_ready
  std::vector<Connection*> paused_clients_;
  std::vector<Connection*> resuming_;  // unpaused, to run from on_before_poll
  std::deque<SlowLogEntry> slowlog_;
  uint64_t next_slowlog_id_ = 0;

  PauseMode pause_mode_ = PauseMode::kNone;
  int64_t pause_until_ms_ = 0;
  bool active_expire_ = true;
  bool serving_ = false;  // past start-up: its replication id names its stream
  bool loading_ = false;  // replaying the log: most commands get -LOADING
  int64_t loading_since_ms_ = 0;
  int64_t last_served_while_loading_us_ = 0;
  bool shutting_down_ = false;
};

// The context server-level handlers receive: the core context plus the server
// and the calling connection.
class ServerContext : public CommandContext {
 public:
  // `effects`: where the command's effects go (the server's sink, or an
  // isolated transaction's).
  ServerContext(Server& server, Connection& conn, ReplyWriter& reply, EffectSink& effects);
  Server& server;
  Connection& conn;
};

// The ServerContext behind a context handed to a server-level handler (the
// server is the only caller of those handlers).
inline ServerContext& server_context(CommandContext& ctx) {
  return static_cast<ServerContext&>(ctx);
}

// Milliseconds since the Unix epoch.
int64_t wall_clock_ms();

}  // namespace vireo
