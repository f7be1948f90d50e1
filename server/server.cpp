#include "server/server.h"

#include <sys/stat.h>
#include <sys/time.h>

#include <algorithm>
#include <chrono>
#include <thread>

#include "core/commands/families.h"
#include "core/lazy_free.h"
#include "core/log.h"
#include "core/split_args.h"
#include "server/commands/families.h"
#include "server/commands/pubsub.h"
#include "server/connection.h"
#include "server/replication_history.h"

namespace vireo {
namespace {

// Share of each tick the active expiry cycle may use (Redis: 25%).
constexpr int kExpireTickPercent = 25;
// SLOWLOG keeps at most this many arguments and bytes per argument.
constexpr size_t kSlowlogMaxArgs = 32;
constexpr size_t kSlowlogMaxArgBytes = 128;

int64_t monotonic_us() {
  using namespace std::chrono;
  return duration_cast<microseconds>(steady_clock::now().time_since_epoch()).count();
}

constexpr std::string_view kRedacted = "(redacted)";

// Argument `i` as SLOWLOG and MONITOR may show it.
std::string_view shown_arg(const Connection& c, std::span<const std::string_view> args, size_t i) {
  bool hidden =
      std::find(c.redacted_args.begin(), c.redacted_args.end(), i) != c.redacted_args.end();
  return hidden ? kRedacted : args[i];
}

}  // namespace

int64_t wall_clock_ms() {
  struct timeval tv;
  gettimeofday(&tv, nullptr);
  return static_cast<int64_t>(tv.tv_sec) * 1000 + tv.tv_usec / 1000;
}

ServerContext::ServerContext(Server& server, Connection& conn, ReplyWriter& reply,
                             EffectSink& effects)
    : CommandContext(server.keyspace(), conn.state(), reply, effects, server.commands(),
                     server.limits()),
      server(server),
      conn(conn) {}

Server::Server(Config& config) : config_(config), keyspace_(config.settings().databases) {
  uv_loop_init(&loop_);
  uv_prepare_init(&loop_, &before_poll_);
  before_poll_.data = this;
  uv_timer_init(&loop_, &tick_timer_);
  tick_timer_.data = this;
  uv_timer_init(&loop_, &block_timer_);
  block_timer_.data = this;
  for (uv_signal_t* sig : {&sigterm_, &sigint_}) {
    uv_signal_init(&loop_, sig);
    sig->data = this;
  }
  register_core_commands(commands_);
  register_server_commands(commands_);
  keyspace_.set_listener(this);
  keyspace_.events().set_publisher(&pubsub_events_);
  keyspace_.set_now(wall_clock_ms());
  stats_.start_time_ms = wall_clock_ms();
  run_id_ = new_replication_id();  // the same shape: 40 random hex digits
  replication_id_ = new_replication_id();
  checkpoints_.attach_stream([this] { return commit_effects(); });
  checkpoints_.on_background_end([this](bool ok, uint64_t lsn, const std::string& path) {
    replicas_.checkpoint_finished(ok, lsn, path);
  });
  apply_settings();
}

Server::~Server() {
  uv_loop_close(&loop_);
}

void Server::apply_settings() {
  const Settings& s = settings();
  limits_.proto_max_bulk_len = s.proto_max_bulk_len;
  ContainerLimits& c = limits_.containers;
  c.list_max_listpack_size = s.list_max_listpack_size;
  c.hash_max_listpack_entries = s.hash_max_listpack_entries;
  c.hash_max_listpack_value = s.hash_max_listpack_value;
  c.set_max_intset_entries = s.set_max_intset_entries;
  c.set_max_listpack_entries = s.set_max_listpack_entries;
  c.set_max_listpack_value = s.set_max_listpack_value;
  c.zset_max_listpack_entries = s.zset_max_listpack_entries;
  c.zset_max_listpack_value = s.zset_max_listpack_value;
  Log::set_level(s.loglevel);
  replicas_.resize_backlog(s.repl_backlog_size);
  if (log_) log_->set_policy(s.appendfsync);
  hold_replies_ = log_ && s.appendfsync == AppendFsync::kAlways;
  unsynced_.set_enabled(hold_replies_);
  keyspace_.events().set_flags(s.notify_keyspace_events);
  using P = MaxmemoryPolicy;
  const P p = s.maxmemory_policy;
  keyspace_.set_lfu(p == P::kAllkeysLfu || p == P::kVolatileLfu);
  keyspace_.set_shared_integers(
      !(s.maxmemory > 0 && (p == P::kVolatileLru || p == P::kVolatileLfu || p == P::kAllkeysLru ||
                            p == P::kAllkeysLfu)));
  memory_limiter_.configure(s);
  if (uv_is_active(reinterpret_cast<uv_handle_t*>(&tick_timer_))) {
    uint64_t period = static_cast<uint64_t>(1000 / s.hz);
    if (uv_timer_get_repeat(&tick_timer_) != period) uv_timer_set_repeat(&tick_timer_, period);
  }
}

void Server::reset_stats() {
  // Uptime and peak memory survive CONFIG RESETSTAT, as in Redis.
  ServerStats fresh;
  fresh.start_time_ms = stats_.start_time_ms;
  fresh.used_memory_peak = stats_.used_memory_peak;
  stats_ = fresh;
  rates_ = ServerRates();
  keyspace_.reset_lookup_stats();
  commands_.reset_stats();
  error_stats_.clear();
  memory_limiter_.reset_stats();
}

void Server::on_expired(int db, std::string_view key) {
  ++stats_.expired_keys;
  expiry_effects_.on_expired(db, key);
}

void Server::on_key_ready(int db, std::string_view key) {
  blocked_.key_ready(db, key);
}

void Server::on_swapped(int a, int b) {
  blocked_.databases_swapped(a, b);
  // As a flush: the watched keys that now exist, or existed, changed.
  if (watched_.empty()) return;
  auto in_either = [&](std::string_view key) {
    return keyspace_.db(a).present(key) || keyspace_.db(b).present(key);
  };
  watched_.touch_where(a, in_either);
  watched_.touch_where(b, in_either);
}

void Server::on_flushing(int db) {
  // Redis 7 invalidates a WATCH on a flushed key only if the key was there.
  if (watched_.empty()) return;
  watched_.touch_where(db, [&](std::string_view key) { return keyspace_.db(db).present(key); });
}

void Server::finish_wait(Connection& c, ReplyWriter& writer) {
  if (c.waking == Connection::Wake::kError) {
    writer.error("UNBLOCKED client unblocked via CLIENT UNBLOCK");
  } else {
    writer.null_array();
  }
  blocked_.unpark(&c);
  arm_block_timer();
}

bool Server::unblock(Connection* c, Connection::Wake how) {
  if (!c->parked) return false;
  c->wake(how);
  return true;
}

void Server::arm_block_timer() {
  int64_t deadline = blocked_.next_deadline();
  if (deadline == 0) {
    uv_timer_stop(&block_timer_);
    return;
  }
  int64_t delay = std::max<int64_t>(0, deadline - wall_clock_ms());
  uv_timer_start(&block_timer_, on_block_deadline, static_cast<uint64_t>(delay), 0);
}

void Server::on_block_deadline(uv_timer_t* h) {
  auto* server = static_cast<Server*>(h->data);
  server->blocked_.expire(wall_clock_ms());
  server->arm_block_timer();
}

bool Server::listen_all() {
  const Settings& s = settings();
  for (const std::string& spec : s.bind) {
    bool optional = !spec.empty() && spec[0] == '-';
    std::string host = optional ? spec.substr(1) : spec;
    sockaddr_storage addr;
    bool v6 = host.find(':') != std::string::npos;
    int rc = v6 ? uv_ip6_addr(host.c_str(), s.port, reinterpret_cast<sockaddr_in6*>(&addr))
                : uv_ip4_addr(host.c_str(), s.port, reinterpret_cast<sockaddr_in*>(&addr));
    auto listener = std::make_unique<uv_tcp_t>();
    if (rc == 0) {
      uv_tcp_init(&loop_, listener.get());
      listener->data = this;
      rc = uv_tcp_bind(listener.get(), reinterpret_cast<const sockaddr*>(&addr),
                       v6 ? UV_TCP_IPV6ONLY : 0);
      if (rc == 0)
        rc =
            uv_listen(reinterpret_cast<uv_stream_t*>(listener.get()), s.tcp_backlog, on_connection);
      if (rc != 0)
        uv_close(reinterpret_cast<uv_handle_t*>(listener.release()),
                 [](uv_handle_t* h) { delete reinterpret_cast<uv_tcp_t*>(h); });
    }
    if (rc != 0) {
      if (optional) {
        log_notice("Skipping optional bind address {}:{}: {}", host, s.port, uv_strerror(rc));
        continue;
      }
      log_warning("Failed listening on {}:{}: {}", host, s.port, uv_strerror(rc));
      return false;
    }
    listeners_.push_back(std::move(listener));
  }
  if (listeners_.empty()) {
    log_warning("Failed listening on port {}: no address to bind", s.port);
    return false;
  }
  return true;
}

bool Server::load_data() {
  loading_ = true;
  loading_since_ms_ = wall_clock_ms();
  auto pace = [this] {
    if (settings().key_load_delay > 0) {
      std::this_thread::sleep_for(std::chrono::microseconds(settings().key_load_delay));
    }
    serve_while_loading();
  };
  uint64_t from = 0;
  std::string error = checkpoints_.load(limits_.containers, pace, &from);
  if (error.empty() && settings().appendonly) {
    log_ = std::make_unique<DurableLog>(&loop_, settings(), &unsynced_);
    error = log_->recover(
        keyspace_, commands_, limits_, from,
        [&] {
          pace();
          return !shutting_down_;
        },
        &recovery_);
  }
  loading_ = false;
  if (shutting_down_) return false;
  if (error.empty() && log_) error = log_->start();
  if (!error.empty()) {
    log_warning("{}", error);
    return false;
  }
  // The stream continues the log, or the checkpoint loaded without one.
  replicas_.start_at(log_ ? log_->writer().appended_lsn() : from);
  if (settings().replicaof_host.empty()) continue_recorded_history();
  if (log_) {
    checkpoints_.attach_log(log_.get());
    memory_limiter_.leave_out(&log_->writer());
    if (recovery_.records > 0) {
      log_notice("DB loaded from the log: {} records, {} effects, {:.3f} seconds",
                 recovery_.records, recovery_.effects, recovery_.seconds);
    }
  }
  // Keys whose deadline passed while the server was down go now, each as a
  // DEL in the log, rather than whenever something looks at them.
  keyspace_.set_now(wall_clock_ms());
  while (keyspace_.expire_cycle(4096) == 4096) {
  }
  apply_settings();
  return true;
}

void Server::serve_while_loading() {
  // Every few milliseconds, as Redis's loading loop does: enough for clients
  // to get their -LOADING (and INFO, PING...) without slowing the load.
  constexpr int64_t kEveryUs = 2000;
  const int64_t now = monotonic_us();
  if (now - last_served_while_loading_us_ < kEveryUs) return;
  last_served_while_loading_us_ = now;
  uv_run(&loop_, UV_RUN_NOWAIT);
}

bool Server::writes(const Connection& c, const CommandSpec& spec) {
  return (spec.flags & kWrite) ||
         (spec.name == "exec" && c.multi && c.multi->any_with_flags(kWrite));
}

std::string Server::persistence_refusal(const Connection& c, const Command& cmd) const {
  // As Redis: writes, and PING, so that a health check notices.
  const CommandSpec& spec = *cmd.spec;
  if (!writes(c, spec) && spec.name != "ping") return "";
  if (log_ && log_->started() && !log_->writer().healthy()) return log_->write_refusal();
  if (checkpoints_.refuses_writes()) {
    return "MISCONF The last background checkpoint failed and stop-writes-on-bgsave-error is "
           "yes: commands that may change the data are refused until a checkpoint succeeds. "
           "The server log says why it failed.";
  }
  return "";
}

void Server::hold_until_durable(Connection& c, const CommandSpec& spec, Args args,
                                uint64_t effects_before) {
  if (effects_.effect_count() != effects_before) {
    log_->hold_for_batch(c);
    return;
  }
  const bool reads = (spec.flags & (kReadonly | kWrite)) || spec.name == "exec";
  if (!reads) return;
  if (uint64_t lsn = unsynced_.wait_for_read(spec, args, c.state().db)) log_->hold_until(c, lsn);
}

int Server::run() {
  int status = 1;
  // Listening comes first, so that clients learn of a long load (-LOADING)
  // instead of finding the port closed.
  if (listen_all()) {
    uv_prepare_start(&before_poll_, on_before_poll);
    uv_signal_start(&sigterm_, on_signal, SIGTERM);
    uv_signal_start(&sigint_, on_signal, SIGINT);
    log_notice("Server initialized");
    if (load_data()) {
      uint64_t period = static_cast<uint64_t>(1000 / settings().hz);
      uv_timer_start(&tick_timer_, on_tick, period, period);
      log_notice("Ready to accept connections tcp");
      if (!settings().replicaof_host.empty()) {
        follow(settings().replicaof_host, settings().replicaof_port);
      }
      serving_ = true;
      uv_run(&loop_, UV_RUN_DEFAULT);
      status = 0;
    } else if (shutting_down_) {
      status = 0;
    }
  }
  const bool primary = !replica_role_;
  replica_role_.reset();
  // Close whatever handles remain and let their callbacks run.
  uv_walk(
      &loop_,
      [](uv_handle_t* h, void*) {
        if (!uv_is_closing(h)) uv_close(h, nullptr);
      },
      nullptr);
  uv_run(&loop_, UV_RUN_DEFAULT);
  if (log_) {
    commit_effects();
    if (std::string error = log_->close(); !error.empty()) {
      log_warning("Error syncing the log at exit: {}", error);
      status = 1;
    }
    memory_limiter_.leave_out(nullptr);
    log_.reset();
    uv_run(&loop_, UV_RUN_NOWAIT);  // lets the log's handle close
  }
  if (status == 0 && serving_ && primary) record_history_at_exit();
  if (status == 0) log_notice("Vireo is now ready to exit, bye bye...");
  return status;
}

void Server::continue_recorded_history() {
  const std::string& dir = settings().appenddirname;
  const ReplicationHistory recorded = read_replication_history(dir);
  if (recorded.end && *recorded.end == replicas_.offset()) {
    replication_id_ = recorded.replid;
    replicas_.keep_backlog();
    log_notice("Continuing replication history {} from offset {} (left by a clean shutdown)",
               replication_id_, *recorded.end);
  } else if (recorded.end) {
    log_notice(
        "The data starts at stream offset {}, not at {} where the last clean shutdown left it: "
        "a new replication history begins",
        replicas_.offset(), *recorded.end);
  }
  if (std::string error = forget_replication_history(dir); !error.empty()) {
    // Kept, it could outlive a crash and claim a history the data no
    // longer ends where: no history is continued then.
    log_warning("Can't remove the recorded replication history: {}", error);
    replication_id_ = new_replication_id();
  }
}

void Server::record_history_at_exit() {
  // Without a log, only a checkpoint written at exit holds the data as it
  // ends here; start-up compares its position with the one recorded.
  const std::string& dir = settings().appenddirname;
  mkdir(dir.c_str(), 0755);
  if (std::string error = record_replication_history(dir, {replication_id_, replicas_.offset()});
      !error.empty()) {
    log_warning("Can't record the replication history for the next start: {}", error);
  }
}

bool Server::shutdown(std::string_view reason, ShutdownSave save) {
  if (shutting_down_) return true;
  log_warning("{}", reason);
  // A checkpoint being written is abandoned (its temporary file goes at the
  // next start); one asked for is written in the loop, before anything stops.
  checkpoints_.abort_background();
  const bool checkpoint =
      save == ShutdownSave::kSave || (save == ShutdownSave::kDefault && !settings().save.empty());
  if (checkpoint && !loading_) {
    log_notice("Saving the final checkpoint before exiting.");
    if (std::string error = checkpoints_.save(); !error.empty()) {
      log_warning("Error trying to save the DB, can't exit.");
      return false;
    }
  }
  shutting_down_ = true;
  for (auto& l : listeners_) {
    uv_close(reinterpret_cast<uv_handle_t*>(l.release()),
             [](uv_handle_t* h) { delete reinterpret_cast<uv_tcp_t*>(h); });
  }
  listeners_.clear();
  if (log_) {
    // Replies held for the log go out once it is durable, before the close.
    commit_effects();
    if (std::string error = log_->close(); !error.empty()) {
      log_warning("Error syncing the log before exit: {}", error);
    }
  }
  std::vector<Connection*> all;
  for (const auto& [id, c] : clients_)
    all.push_back(c);
  for (Connection* c : all) {
    c->flush();
    c->close();
  }
  uv_stop(&loop_);
  return true;
}

void Server::on_signal(uv_signal_t* h, int signum) {
  auto* server = static_cast<Server*>(h->data);
  server->shutdown(signum == SIGINT ? "Received SIGINT scheduling shutdown..."
                                    : "Received SIGTERM scheduling shutdown...");
}

void Server::on_connection(uv_stream_t* listener, int status) {
  auto* server = static_cast<Server*>(listener->data);
  if (status < 0) {
    log_warning("Accepting client connection: {}", uv_strerror(status));
    return;
  }
  server->accept_one(listener);
}

void Server::accept_one(uv_stream_t* listener) {
  auto* c = new Connection(*this, next_client_id_++);
  uv_tcp_init(&loop_, c->handle());
  if (uv_accept(listener, reinterpret_cast<uv_stream_t*>(c->handle())) != 0) {
    uv_close(reinterpret_cast<uv_handle_t*>(c->handle()),
             [](uv_handle_t* h) { delete static_cast<Connection*>(h->data); });
    return;
  }
  ++stats_.total_connections_received;
  clients_[c->state().id] = c;
  c->state().authenticated = settings().requirepass.empty();
  if (clients_.size() > static_cast<size_t>(settings().maxclients)) {
    ++stats_.rejected_connections;
    c->output().append("-ERR max number of clients reached\r\n");
    c->close_after_reply();
    c->flush();
    return;
  }
  if (!c->start()) return;
  if (settings().protected_mode && settings().requirepass.empty() && !c->from_loopback()) {
    ++stats_.rejected_connections;
    c->output().append(
        "-DENIED Vireo is running in protected mode: no password is set and the client is not "
        "local. Set requirepass, or disable protected-mode (CONFIG SET protected-mode no from a "
        "local client, or --protected-mode no), then reconnect.\r\n");
    c->close_after_reply();
    c->flush();
  }
}

void Server::follow(std::string host, int port) {
  replica_role_.reset();
  // The primary decides when keys expire: its DELs arrive in the stream.
  keyspace_.set_deadlines(Deadlines::kHiddenFromReads);
  Log::set_role('S');
  replica_role_ =
      std::make_unique<ReplicaRole>(*this, std::move(host), port, serving_ ? replication_id_ : "");
}

void Server::stop_following() {
  if (!replica_role_) return;
  log_notice("Stopping replication from {}:{}: this server is a primary now", replica_role_->host(),
             replica_role_->port());
  replica_role_.reset();
  // Its log's records are not only the primary's any more.
  if (std::string error = forget_replication_history(settings().appenddirname); !error.empty()) {
    log_warning("Can't remove the recorded replication history: {}", error);
  }
  keyspace_.set_deadlines(Deadlines::kEnforced);
  Log::set_role('M');
  // What it writes from now on is a history of its own; up to here it is
  // its primary's, which the other replicas of that primary (and the
  // primary itself, rejoining as a replica) continue from here.
  shift_replication_id(new_replication_id(), replicas_.offset());
}

void Server::shift_replication_id(std::string id, uint64_t at) {
  previous_replication_id_ = std::move(replication_id_);
  previous_history_end_ = at;
  replication_id_ = std::move(id);
  // Its own replicas learn the new id when they ask again, as Redis's; what
  // is written from here is kept for them and for the old history's others.
  replicas_.disconnect_all();
  replicas_.keep_backlog();
}

void Server::start_new_history() {
  set_replication_id(new_replication_id());
}

bool Server::continues_history(std::string_view replid, uint64_t offset) const {
  if (replid == replication_id_) return true;
  return !previous_replication_id_.empty() && replid == previous_replication_id_ &&
         offset <= previous_history_end_;
}

void Server::drop_dataset() {
  for (int i = 0; i < keyspace_.count(); ++i)
    flush_database(keyspace_.db(i), false);
}

void Server::append_record(std::string_view payload) {
  if (log_ && log_->started()) log_->append(payload);
  replicas_.append_record(payload);
}

uint64_t Server::stream_end_after_iteration() const {
  const std::string_view pending = effects_.bytes();
  // A replica commits no effects of its own (see commit_effects).
  return replica_role_ ? replicas_.offset() : replicas_.offset_after(pending);
}

uint64_t Server::commit_effects() {
  // During recovery the log's end is not known yet: nothing is committed.
  if (log_ && !log_->started()) return replicas_.offset();
  if (replica_role_) {
    // A writable replica's own writes stay local, as Redis's do: the log
    // and the stream carry the primary's records alone, byte for byte.
    effects_.clear();
    effects_.reset_selected_db();
  } else if (const std::string_view payload = effects_.bytes(); !payload.empty()) {
    append_record(payload);
    effects_.clear();
    // Every record starts with its own SELECT: a replica may start at any.
    effects_.reset_selected_db();
  }
  if (log_) log_->end_iteration();
  return replicas_.offset();
}

void Server::forget(Connection* c) {
  clients_.erase(c->state().id);
  if (c->replica) replicas_.forget(c);
  if (log_) log_->forget(c);
  unwatch_all(*c);
  c->txn.reset();  // a closed connection rolls its transaction back
  drop_subscriptions(*this, *c);
  if (c->parked) {
    blocked_.unpark(c);
    arm_block_timer();
  }
  auto drop = [c](std::vector<Connection*>& v) { std::erase(v, c); };
  drop(pending_writes_);
  drop(monitors_);
  drop(paused_clients_);
  drop(resuming_);
}

void Server::schedule_write(Connection* c) {
  if (c->pending_write) return;
  c->pending_write = true;
  pending_writes_.push_back(c);
}

void Server::on_before_poll(uv_prepare_t* h) {
  auto* server = static_cast<Server*>(h->data);
  std::vector<Connection*> resumed;
  resumed.swap(server->resuming_);
  for (Connection* c : resumed)
    c->process_input();
  // The iteration's effects: one record of the log and the replication
  // stream (group commit), before any reply that depends on them is written.
  server->commit_effects();
  if (server->log_ && !server->log_->writer().healthy()) server->persistence_failing_ = true;
  // Swap, not iterate: a flush may schedule more writes (a monitor).
  server->write_batch_.swap(server->pending_writes_);
  for (Connection* c : server->write_batch_) {
    c->pending_write = false;
    c->flush();
  }
  server->write_batch_.clear();
}

bool Server::paused_for(const Connection& c, const Command& cmd) const {
  if (pause_mode_ == PauseMode::kNone) return false;
  if (pause_mode_ == PauseMode::kAll) return true;
  constexpr uint32_t kWrites = kWrite | kMayReplicate;
  if (cmd.spec->flags & kWrites) return true;
  return c.multi && cmd.spec->name == "exec" && c.multi->any_with_flags(kWrites);
}

void Server::reject(Connection& c, const Command& cmd, ReplyWriter& writer,
                    std::string_view error) {
  ++cmd.stats.rejected_calls;
  if (cmd.spec->name == "exec") {
    std::string_view reason = error.starts_with("ERR ") ? error.substr(4) : error;
    writer.error(fmt::format("EXECABORT Transaction discarded because of: {}", reason));
    discard_transaction(c);
    unwatch_all(c);
    return;
  }
  if (c.multi) c.multi_failed = true;
  writer.error(error);
}

void Server::discard_transaction(Connection& c) {
  c.multi.reset();
  c.multi_failed = false;
}

void Server::exec_transaction(Connection& c, ReplyWriter& writer) {
  if (c.multi_failed) {
    writer.error("EXECABORT Transaction discarded because of previous errors.");
  } else {
    // A watched key past its deadline counts as changed (Redis 7): looking
    // it up deletes it, and the DEL effect marks the watch (which changes
    // only its mark, never its keys).
    for (const auto& [db, key] : c.watch.keys)
      keyspace_.db(db).settle(key);
  }
  if (c.multi_failed || c.watch.dirty) {
    if (!c.multi_failed) writer.null_array();
    discard_transaction(c);
    unwatch_all(c);
    return;
  }
  // The transaction's own writes must not dirty its watch halfway.
  unwatch_all(c);
  QueuedCommands queued = std::move(*c.multi);
  discard_transaction(c);
  writer.array(queued.size());
  watch_tap_.begin_group();
  // One clock for the whole EXEC (set by execute), as Redis 7 fixes it: no
  // key may expire between two commands of an atomic transaction.
  queued.for_each([&](const Command& cmd, std::span<const std::string_view> args) {
    ServerContext ctx(*this, c, writer, watch_tap_);
    ctx.can_block = false;  // blocking commands act as their non-blocking forms
    c.last_command = &cmd;
    uint64_t us = invoke(ctx, cmd, args);
    ++stats_.total_commands_processed;
    if (!monitors_.empty() && !(cmd.spec->flags & (kSkipMonitor | kAdmin))) feed_monitors(c, args);
    if (!(cmd.spec->flags & kSkipSlowlog)) record_slow(c, args, us);
  });
  watch_tap_.end_group();
}

bool Server::execute(Connection& c, std::span<const std::string_view> args) {
  keyspace_.set_now(wall_clock_ms());
  ReplyWriter writer(&c.output(), c.state().protocol);
  writer.set_muted(c.reply_mode != ReplyMode::kOn);
  writer.set_error_stats(&error_stats_);
  // A parked client runs again only when woken: to retry, or to end its wait.
  const bool rerun = c.parked.has_value();
  if (rerun && c.waking != Connection::Wake::kRetry &&
      !(c.waking == Connection::Wake::kTimeout && c.parked->request.rerun_on_timeout)) {
    finish_wait(c, writer);
    return true;
  }
  std::string refusal;
  const Command* refused = nullptr;
  const Command* cmd = commands_.resolve(args, &refusal, &refused);
  if (!cmd) {
    if (refused) {
      reject(c, *refused, writer, refusal);
    } else {
      if (c.multi) c.multi_failed = true;
      writer.error(refusal);
    }
    return true;
  }
  const CommandSpec& spec = *cmd->spec;
  // Set before running, so that CLIENT LIST shows a client's own command.
  c.last_command = cmd;
  if (!c.state().authenticated && !(spec.flags & kNoAuth)) {
    reject(c, *cmd, writer, "NOAUTH Authentication required.");
    return true;
  }
  // A parked client's retry is not a new command: Redis serves it unchecked.
  if (!rerun && !memory_limiter_.within_limit() && refused_for_memory(c, *cmd)) {
    reject(c, *cmd, writer, kOomError);
    return true;
  }
  // A monitor is a replica of sorts to Redis: it may not touch the keyspace,
  // and no pause holds it.
  if (c.monitor && (spec.flags & (kWrite | kReadonly | kMayReplicate))) {
    reject(c, *cmd, writer, "ERR Replica can't interact with the keyspace");
    return true;
  }
  if (c.state().pubsub) {
    if (std::string why = subscribed_mode_refusal(c, *cmd); !why.empty()) {
      reject(c, *cmd, writer, why);
      return true;
    }
  }
  if (loading_ && !(spec.flags & kLoading)) {
    reject(c, *cmd, writer, "LOADING Vireo is loading the dataset in memory");
    return true;
  }
  if (replica_role_ && settings().replica_read_only && writes(c, spec)) {
    reject(c, *cmd, writer, "READONLY You can't write against a read only replica.");
    return true;
  }
  if (persistence_failing_) {
    if (std::string why = persistence_refusal(c, *cmd); !why.empty()) {
      reject(c, *cmd, writer, why);
      return true;
    }
  }
  if (c.multi && !runs_at_once_in_multi(*cmd)) {
    queue_in_multi(c, *cmd, args, writer);
    return true;
  }
  if (pause_mode_ != PauseMode::kNone && !c.monitor && paused_for(c, *cmd) &&
      pause_until_ms_ > now_ms()) {
    if (std::find(paused_clients_.begin(), paused_clients_.end(), &c) == paused_clients_.end()) {
      paused_clients_.push_back(&c);
    }
    return false;
  }
  c.redacted_args.clear();
  const bool isolated = c.txn && !steers_isolated_transaction(*cmd);
  ServerContext ctx(*this, c, writer, isolated ? c.txn->effects() : watch_tap_);
  ctx.can_block = !c.txn;
  uint64_t us = 0;
  const uint64_t effects_before = effects_.effect_count();
  if (isolated) {
    if (std::string_view why = IsolatedTransaction::refusal(spec, args); !why.empty()) {
      reject(c, *cmd, writer, why);
      return true;
    }
    c.txn->run(spec, args, [&] { us = invoke(ctx, *cmd, args); });
  } else {
    us = invoke(ctx, *cmd, args);
  }
  if (effects_.effect_count() != effects_before) c.write_offset = stream_end_after_iteration();
  if (hold_replies_) hold_until_durable(c, spec, args, effects_before);
  if (!rerun) {
    ++stats_.total_commands_processed;
    if (!monitors_.empty() && !(spec.flags & (kSkipMonitor | kAdmin))) feed_monitors(c, args);
    if (!(spec.flags & kSkipSlowlog)) record_slow(c, args, us);
  }
  if (ctx.block_request) {
    // Nothing to take yet: park (a rerun keeps its place and deadline).
    if (!rerun) {
      c.parked.emplace(Connection::Parked{c.state().db, std::move(*ctx.block_request)});
      blocked_.park(&c);
      arm_block_timer();
    }
    return false;
  }
  if (rerun) {
    blocked_.unpark(&c);
    arm_block_timer();
  }
  serve_blocked();
  return true;
}

bool Server::refused_for_memory(const Connection& c, const Command& cmd) {
  // While clients are paused Redis neither evicts nor refuses: the dataset
  // holds still, and a held command is checked when it runs.
  if (pause_mode_ != PauseMode::kNone && pause_until_ms_ > now_ms()) return false;
  if (memory_limiter_.enforce() != MemoryLimiter::State::kOverLimit) return false;
  const CommandSpec& spec = *cmd.spec;
  if (spec.flags & kDenyOom) return true;
  if (!c.multi) return false;
  // Inside MULTI the queue itself grows: Redis 7 refuses everything but the
  // commands that end the transaction, and EXEC when it would run a command
  // that may grow memory. A command MULTI never takes keeps its own error.
  const std::string_view name = spec.name;
  if (name == "exec") return c.multi->any_with_flags(kDenyOom);
  if (spec.flags & kNoMulti) return false;
  return name != "discard" && name != "quit" && name != "reset";
}

bool Server::steers_isolated_transaction(const Command& cmd) {
  // These run outside the transaction's view: they open, close or end it.
  const std::string_view name = cmd.spec->name;
  return name == "begin" || name == "commit" || name == "rollback" || name == "reset" ||
         name == "quit";
}

bool Server::runs_at_once_in_multi(const Command& cmd) const {
  // The commands that steer the transaction itself, and the ones that end
  // the connection's state, run at once; everything else waits for EXEC.
  const std::string_view name = cmd.spec->name;
  return name == "exec" || name == "discard" || name == "multi" || name == "watch" ||
         name == "quit" || name == "reset";
}

void Server::queue_in_multi(Connection& c, const Command& cmd,
                            std::span<const std::string_view> args, ReplyWriter& writer) {
  if (cmd.spec->flags & kNoMulti) {
    reject(c, cmd, writer, "ERR Command not allowed inside a transaction");
    return;
  }
  // The queue is a buffer the client grows: it answers to the query buffer's
  // limit (Redis leaves it unbounded short of maxmemory).
  size_t incoming = 0;
  for (std::string_view a : args)
    incoming += a.size();
  if (c.multi->bytes() + incoming > static_cast<uint64_t>(settings().client_query_buffer_limit)) {
    reject(c, cmd, writer,
           "ERR Transaction queue exceeds client-query-buffer-limit; discard it or raise the "
           "limit");
    return;
  }
  c.multi->add(&cmd, args);
  writer.simple("QUEUED");
}

void Server::serve_blocked() {
  // Not from inside a serving pass: the pass in progress picks up whatever
  // this command readied.
  if (serving_blocked_ || !blocked_.any_ready()) return;
  serving_blocked_ = true;
  blocked_.serve_ready();
  serving_blocked_ = false;
}

void Server::add_monitor(Connection* c) {
  c->monitor = true;
  monitors_.push_back(c);
}

void Server::remove_monitor(Connection* c) {
  c->monitor = false;
  std::erase(monitors_, c);
}

void Server::feed_monitors(const Connection& c, std::span<const std::string_view> args) {
  struct timeval tv;
  gettimeofday(&tv, nullptr);
  std::string line =
      fmt::format("+{}.{:06d} [{} {}]", tv.tv_sec, tv.tv_usec, c.state().db, c.peer());
  for (size_t i = 0; i < args.size(); ++i) {
    line.push_back(' ');
    append_quoted(&line, shown_arg(c, args, i));
  }
  line += "\r\n";
  // A monitor sees its own commands too, after their replies, as in Redis.
  for (Connection* m : monitors_) {
    m->output().append(line);
    if (m->within_output_limit()) schedule_write(m);
  }
}

void Server::record_slow(const Connection& c, std::span<const std::string_view> args, uint64_t us) {
  int64_t threshold = settings().slowlog_log_slower_than;
  if (threshold < 0 || us < static_cast<uint64_t>(threshold)) return;
  SlowLogEntry entry;
  entry.id = next_slowlog_id_++;
  entry.time_s = now_ms() / 1000;
  entry.duration_us = us;
  size_t kept = std::min(args.size(), kSlowlogMaxArgs);
  for (size_t i = 0; i < kept; ++i) {
    if (i == kSlowlogMaxArgs - 1 && args.size() > kSlowlogMaxArgs) {
      entry.args.push_back(fmt::format("... ({} more arguments)", args.size() - i));
      break;
    }
    std::string_view a = shown_arg(c, args, i);
    if (a.size() > kSlowlogMaxArgBytes) {
      entry.args.push_back(fmt::format("{}... ({} more bytes)", a.substr(0, kSlowlogMaxArgBytes),
                                       a.size() - kSlowlogMaxArgBytes));
    } else {
      entry.args.emplace_back(a);
    }
  }
  entry.peer = c.peer();
  entry.client_name = c.state().name;
  slowlog_.push_front(std::move(entry));
  while (slowlog_.size() > static_cast<size_t>(std::max<int64_t>(0, settings().slowlog_max_len))) {
    slowlog_.pop_back();
  }
}

void Server::pause(PauseMode mode, int64_t until_ms) {
  // As Redis 7.0: the latest pause sets the mode (a WRITE pause turns an ALL
  // pause into a WRITE one), but never shortens the pause in force.
  pause_mode_ = mode;
  pause_until_ms_ = std::max(pause_until_ms_, until_ms);
}

void Server::unpause() {
  pause_mode_ = PauseMode::kNone;
  pause_until_ms_ = 0;
  // Their requests run from the loop (on_before_poll), not from inside the
  // command or timer that ended the pause.
  resuming_.insert(resuming_.end(), paused_clients_.begin(), paused_clients_.end());
  paused_clients_.clear();
}

void Server::on_tick(uv_timer_t* h) {
  static_cast<Server*>(h->data)->tick();
}

void Server::tick() {
  keyspace_.set_now(wall_clock_ms());
  rates_.commands.sample(now_ms(), stats_.total_commands_processed);
  rates_.net_input_bytes.sample(now_ms(), stats_.total_net_input_bytes);
  rates_.net_output_bytes.sample(now_ms(), stats_.total_net_output_bytes);
  if (pause_mode_ != PauseMode::kNone && pause_until_ms_ <= now_ms()) unpause();
  if (active_expire_ && pause_mode_ == PauseMode::kNone) active_expire_cycle();
  close_idle_clients();
  if (log_) log_->tick(now_ms());
  checkpoints_.tick(now_ms());
  replicas_.tick(now_ms());
  if (replica_role_) {
    replica_role_->tick(now_ms());
  } else if (replicas_.needs_keepalive(now_ms())) {
    append_record("");  // in the log too, whose positions are the stream's
  }
  persistence_failing_ = (log_ && !log_->writer().healthy()) || checkpoints_.refuses_writes();
}

void Server::active_expire_cycle() {
  const int64_t budget_us =
      1000000LL * kExpireTickPercent / 100 / std::clamp(settings().hz, 1, 500);
  const int64_t start = monotonic_us();
  constexpr size_t kBatch = 512;
  while (keyspace_.expire_cycle(kBatch) == kBatch) {
    if (monotonic_us() - start >= budget_us) break;
  }
}

void Server::close_idle_clients() {
  int64_t timeout = settings().timeout;
  if (timeout <= 0) return;
  int64_t now = now_ms();
  std::vector<Connection*> idle;
  for (const auto& [id, c] : clients_) {
    // Redis never times out a client that waits on the server (a pause, or
    // a blocking command: its own timeout governs it).
    if (c->monitor || c->closing() || c->parked || c->is_replica()) continue;
    if (std::find(paused_clients_.begin(), paused_clients_.end(), c) != paused_clients_.end()) {
      continue;
    }
    if (now - c->last_interaction_ms() > timeout * 1000) idle.push_back(c);
  }
  for (Connection* c : idle) {
    log_verbose("Closing idle client id={}", c->state().id);
    c->close();
  }
}

bool Server::debug_allowed(const Connection& c) const {
  ProtectedConfigs mode = settings().enable_debug_command;
  return mode == ProtectedConfigs::kYes || (mode == ProtectedConfigs::kLocal && c.from_loopback());
}

uint64_t Server::keyspace_hits() const {
  return keyspace_.hits();
}
uint64_t Server::keyspace_misses() const {
  return keyspace_.misses();
}

}  // namespace vireo
