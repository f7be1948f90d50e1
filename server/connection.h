#pragma once

#include <uv.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/command_table.h"
#include "core/context.h"
#include "core/isolated_transaction.h"
#include "core/pubsub.h"
#include "core/resp/reply_buffer.h"
#include "core/resp/reply_writer.h"
#include "core/resp/request_parser.h"
#include "core/watched_keys.h"
#include "server/queued_commands.h"
#include "server/replicas.h"

namespace vireo {

class Server;

// CLIENT REPLY modes.
enum class ReplyMode { kOn, kOff, kSkipNext, kSkipThis };

// One client socket: its query buffer and parser, its pending replies, and
// the state commands see (ClientState). Owned by the Server; it deletes
// itself when libuv has closed the handle. As a pub/sub Subscriber it
// receives messages into its pending replies.
class Connection : public Subscriber {
 public:
  Connection(Server& server, uint64_t id);
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Starts reading from an accepted socket (the handle is already initialised
  // and accepted). Returns false if the socket is unusable; then it is closed.
  bool start();
  // Closes the socket now, dropping unsent replies. Safe to call twice.
  void close();
  // Closes once every pending reply has been written (QUIT, protocol errors).
  void close_after_reply();
  bool closing() const { return closing_; }

  // Checks the pending replies against client-output-buffer-limit (hard: at
  // once; soft: after staying over it for its seconds) and closes the
  // connection when they pass it. Returns false when it closed.
  bool within_output_limit();

  // Writes pending replies with as few syscalls as possible: one try-write of
  // all pending chunks, and an asynchronous write for whatever the socket did
  // not take. Called once per loop iteration for connections with output.
  void flush();

  // Runs whatever complete requests the query buffer holds. Called after a
  // read, and again when a pause that held this client ends.
  void process_input();

  uv_tcp_t* handle() { return &handle_; }
  ReplyBuffer& output() { return out_; }
  ClientState& state() { return state_; }
  const ClientState& state() const { return state_; }

  // What CLIENT LIST / CLIENT INFO print for this client (no trailing newline):
  // Redis 7.0's fields in its order, then 7.2's lib-name and lib-ver once the
  // client has set either with CLIENT SETINFO.
  std::string describe(int64_t now_ms) const;
  // Bytes allocated for the query buffer (INFO client_recent_max_input_buffer).
  size_t query_buffer_capacity() const { return qcap_; }

  const std::string& peer() const { return peer_; }
  const std::string& local() const { return local_; }
  bool from_loopback() const { return loopback_; }
  int64_t created_ms() const { return created_ms_; }
  int64_t last_interaction_ms() const { return last_interaction_ms_; }

  ReplyMode reply_mode = ReplyMode::kOn;
  bool monitor = false;                   // receives every command (MONITOR)
  bool no_evict = false;                  // CLIENT NO-EVICT
  std::string lib_name, lib_version;      // CLIENT SETINFO
  const Command* last_command = nullptr;  // for CLIENT LIST cmd=
  // Positions of the running command's arguments that SLOWLOG and MONITOR
  // show as "(redacted)" (credentials); the command marks them.
  std::vector<size_t> redacted_args;
  bool pending_write = false;  // queued in the server's write list
  // Under appendfsync always: the log position the pending replies wait for
  // (they are written once the log is durable up to it); kAwaitingBatch
  // while the iteration's record has no position yet. 0: nothing to wait for.
  static constexpr uint64_t kAwaitingBatch = UINT64_MAX;
  uint64_t log_wait = 0;
  bool log_held = false;  // in the log's list of held connections

  // MULTI: the commands queued for EXEC; `multi_failed` once one was refused
  // (EXEC then discards them all with EXECABORT).
  std::optional<QueuedCommands> multi;
  bool multi_failed = false;
  // WATCH's keys (registered with the server's WatchedKeys).
  KeyWatch watch;
  // BEGIN ... COMMIT: the open isolated transaction, if any.
  std::unique_ptr<IsolatedTransaction> txn;
  // Replication: set by REPLCONF, SYNC or PSYNC (server/replicas.h).
  std::unique_ptr<ReplicaState> replica;
  // Whether this connection is a replica of this server (attached by SYNC or
  // PSYNC): it receives the stream, not replies.
  bool is_replica() const { return replica && replica->attached(); }

  // A blocking command's wait (see server/blocked_clients.h): the request
  // stays in the query buffer while parked, and nothing else is read from it.
  struct Parked {
    int db;
    BlockRequest request;
    size_t request_bytes = 0;  // its size in the buffer (CLIENT LIST leaves it out of qbuf)
  };
  std::optional<Parked> parked;
  // The stream position after the record holding this client's last write
  // (Redis's woff): what its WAIT waits for. A parked client runs nothing
  // else, so it stays put while WAIT waits.
  uint64_t write_offset = 0;
  // How a parked client is being woken: run its request again, or end the
  // wait with its timeout reply or CLIENT UNBLOCK's error.
  enum class Wake : uint8_t { kNone, kRetry, kTimeout, kError };
  Wake waking = Wake::kNone;
  // Wakes a parked client: runs its request per `how`, then whatever it
  // pipelined after it.
  void wake(Wake how);

  // Subscriber (pub/sub deliveries).
  int delivery_protocol() const override { return state_.protocol; }
  void deliver(std::string_view frame) override;

 private:
  static void on_alloc(uv_handle_t* h, size_t suggested, uv_buf_t* buf);
  static void on_read(uv_stream_t* s, ssize_t nread, const uv_buf_t* buf);
  static void on_write(uv_write_t* req, int status);
  static void on_close(uv_handle_t* h);

  // Makes room for the next read: at least `min_free` bytes after the data.
  void reserve_input(size_t min_free);
  // Runs one parsed request; false when processing must stop (closing, paused).
  bool run_request(std::span<const std::string_view> args);
  void protocol_error(std::string_view message);
  // Appends the messages held while this connection's command ran, after
  // its reply (out of line: run_request is on every command's path).
  void release_held_messages();

  Server& server_;
  uv_tcp_t handle_;
  uv_write_t write_req_;
  ClientState state_;
  RequestParser parser_;
  ReplyBuffer out_;

  // Query buffer: bytes [qpos_, qlen_) are received and not yet consumed.
  char* qbuf_ = nullptr;
  size_t qcap_ = 0;
  size_t qlen_ = 0;
  size_t qpos_ = 0;

  std::vector<uv_buf_t> write_bufs_;
  size_t in_flight_bytes_ = 0;
  bool writing_ = false;
  bool closing_ = false;
  bool close_after_reply_ = false;
  bool reading_ = false;
  // Messages for this client published by its own running command, which go
  // out after that command's reply (see deliver).
  bool running_ = false;
  std::string held_messages_;

  std::string peer_, local_;
  bool loopback_ = false;
  int64_t created_ms_ = 0;
  int64_t last_interaction_ms_ = 0;
  int64_t soft_limit_since_ms_ = 0;  // when pending replies first passed the soft limit

  friend class Server;
};

}  // namespace vireo
