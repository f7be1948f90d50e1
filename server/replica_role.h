#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "persistence/effect_replay.h"
#include "replication/replica_link.h"
#include "server/config.h"

namespace vireo {

class Server;

// This server as a replica of another (REPLICAOF, `replicaof`): follows the
// primary through a ReplicaLink. A full sync replaces the dataset with the
// primary's checkpoint; each record of the stream is applied as recovery
// applies the log's, then appended to this server's own log and stream byte
// for byte, so that its offsets are its primary's and a replica of this
// replica could continue from either.
class ReplicaRole : public ReplicaLinkHandler {
 public:
  // Starts following `host`:`port` at once, asking to continue from the
  // stream's position: the history recorded beside the log when there is one
  // (a restarted replica's), else `current_history` (the one this server
  // served until now, at run time; "" at start-up: a full sync).
  ReplicaRole(Server& server, std::string host, int port, const std::string& current_history);
  ReplicaRole(const ReplicaRole&) = delete;
  ReplicaRole& operator=(const ReplicaRole&) = delete;

  const std::string& host() const { return host_; }
  int port() const { return port_; }
  const ReplicaLink& link() const { return link_; }
  // Timer work: the link's reconnects, ACKs and timeouts.
  void tick(int64_t now_ms) { link_.tick(now_ms); }

  std::string load_checkpoint(const std::string& path, const std::string& replid,
                              uint64_t offset) override;
  std::string apply_record(std::string_view payload, uint64_t end_offset) override;
  void primary_id_changed(const std::string& replid, uint64_t offset) override;

 private:
  Server& server_;
  std::string host_;
  int port_;
  EffectReplayer replayer_;
  ReplicaLink link_;
};

}  // namespace vireo
