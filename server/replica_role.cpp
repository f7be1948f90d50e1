#include "server/replica_role.h"

#include <fmt/format.h>
#include <sys/stat.h>
#include <utility>

#include "core/log.h"
#include "persistence/checkpoint.h"
#include "persistence/wal_format.h"
#include "server/replication_history.h"
#include "server/server.h"

namespace vireo {
namespace {

ReplicaLink::Options link_options(Server& server, std::string host, int port) {
  const Settings& s = server.settings();
  ReplicaLink::Options o;
  o.host = std::move(host);
  o.port = port;
  o.user = s.masteruser;
  o.password = s.masterauth;
  o.listening_port = s.port;
  o.checkpoint_path = server.checkpoints().incoming_path();
  o.timeout_ms = int64_t{s.repl_timeout} * 1000;
  return o;
}

// Records beside the log that it holds `replid`'s history, for a restart
// to continue (a failure only costs that restart a full sync).
void record_history(const Settings& s, const std::string& replid) {
  if (std::string error = record_replication_history(s.appenddirname, {replid}); !error.empty()) {
    log_warning("Can't record the primary's replication id: {}; a restart will sync in full",
                error);
  }
}

}  // namespace

ReplicaRole::ReplicaRole(Server& server, std::string host, int port,
                         const std::string& current_history)
    : server_(server),
      host_(host),
      port_(port),
      replayer_(server.keyspace(), server.commands(), server.limits()),
      link_(server.loop(), link_options(server, host, port), this) {
  mkdir(server.settings().appenddirname.c_str(), 0755);
  log_notice("Connecting to primary {}:{}", host_, port_);
  // Its log holds the records of the history recorded beside it, if any.
  std::string history =
      server.durable_log() ? read_replication_history(server.settings().appenddirname).replid : "";
  if (!history.empty()) {
    server.set_replication_id(history);
  } else {
    // A primary's own stream, or a replica's (its primary's records alone):
    // a promoted replica that served the same history continues it.
    history = current_history;
  }
  link_.start(history, history.empty() ? 0 : server.replicas().offset());
}

std::string ReplicaRole::load_checkpoint(const std::string& path, const std::string& replid,
                                         uint64_t offset) {
  // A checkpoint of the old dataset must not land after the new one: it
  // would stand for a position of another history.
  server_.checkpoints().abort_background();
  server_.drop_dataset();
  // Until the new dataset is whole, it is no history's.
  server_.start_new_history();
  Keyspace& keyspace = server_.keyspace();
  keyspace.set_now(wall_clock_ms());
  CheckpointLoadOptions options;
  options.limits = server_.limits().containers;
  options.keep_expired = true;  // the primary's DEL follows
  CheckpointLoadResult r = vireo::load_checkpoint(path, keyspace, options);
  if (!r.ok()) return "the primary's checkpoint does not load: " + r.error;
  if (r.lsn != offset) {
    server_.drop_dataset();
    return fmt::format("the primary's checkpoint stands at {}, not at {} as it said", r.lsn,
                       offset);
  }
  if (DurableLog* log = server_.durable_log()) {
    // The log goes on from the primary's position, after its checkpoint.
    if (std::string error = server_.checkpoints().adopt(path, offset); !error.empty()) {
      return error;
    }
    if (std::string error = log->restart_at(offset); !error.empty()) return error;
    record_history(server_.settings(), replid);
  }
  server_.replicas().restart_at(offset);
  server_.set_replication_id(replid);
  log_notice("Full sync from the primary: {} keys, stream position {}", r.keys_loaded, offset);
  return "";
}

std::string ReplicaRole::apply_record(std::string_view payload, uint64_t end_offset) {
  // Checked first: applied and logged, a record from the wrong position
  // would be applied again at every reconnect from the link's offset.
  // (An empty payload is a record too: the primary's keepalive.)
  const uint64_t end_here = server_.replicas().offset() + wal::kRecordHeaderSize + payload.size();
  if (end_here != end_offset) {
    return fmt::format("a record ending at {} on the primary would end at {} here", end_offset,
                       end_here);
  }
  {
    // The primary's records act on the keys as the primary saw them: one its
    // clients no longer see may still be there for them.
    DeadlinesScope replaying(server_.keyspace(), Deadlines::kIgnored);
    if (std::string error = replayer_.apply(payload); !error.empty()) {
      return "a record from the primary does not apply: " + error;
    }
  }
  server_.append_record(payload);
  return "";
}

void ReplicaRole::primary_id_changed(const std::string& replid, uint64_t offset) {
  // Its stream up to `offset` is the old history: its own replicas may
  // continue from either, and a restart continues the new one.
  server_.shift_replication_id(replid, offset);
  if (server_.durable_log()) record_history(server_.settings(), replid);
}

}  // namespace vireo
