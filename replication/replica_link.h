#pragma once

#include <netdb.h>
#include <sys/socket.h>
#include <uv.h>

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace vireo {

// What a replica does with what its primary sends. Called on the loop thread,
// from inside the link's read callback: a handler must not destroy the link or
// call its start() from these calls.
class ReplicaLinkHandler {
 public:
  virtual ~ReplicaLinkHandler() = default;
  // Full sync: the primary's checkpoint at stream position `offset` is the file
  // `path` (complete and closed). Replaces the whole dataset with it and returns
  // "", or returns what went wrong (the link drops and retries, asking for a
  // full sync since the dataset may be half replaced). The handler may
  // rename the file; the link removes it afterwards if it is still there.
  virtual std::string load_checkpoint(const std::string& path, const std::string& replid,
                                      uint64_t offset) = 0;
  // One record of the stream (a WAL record's payload: RESP effects starting
  // with SELECT), ending at stream position `end_offset`. Applies it (and logs
  // it) and returns "", or returns what went wrong (the link drops).
  virtual std::string apply_record(std::string_view payload, uint64_t end_offset) = 0;
  // A partial resync continues under a new replication id `replid` from
  // stream position `offset` (the primary was promoted, or its own primary's
  // id changed): the history up to `offset` is the old id's.
  virtual void primary_id_changed(const std::string& replid, uint64_t offset) = 0;
};

// The replica's side of the link to its primary (DESIGN.md, Replication):
// connects, authenticates, asks PSYNC <replid> <offset>, receives a checkpoint
// (full sync) or not (partial), then applies the record stream and
// acknowledges its offset. Any failure drops the connection and tries again a
// second later, from the last applied (replid, offset). Single-threaded: every
// method is called on the loop thread.
//
// Times are milliseconds in the clock of tick()'s `now_ms`, as of the latest
// tick (events before the first tick count as happening at it).
//
// Wire protocol, replica to primary (RESP2 multibulk, each waiting for its
// reply): [AUTH [user] password] -> +OK; PING -> +PONG; REPLCONF
// listening-port <port> -> +OK; REPLCONF capa vireo -> +OK (an error is only
// logged); PSYNC <replid> <offset> | PSYNC ? -1. Primary to replica: optional
// bare "\n" keepalives, then either "+FULLRESYNC <replid> <offset>", more
// optional "\n", "$<n>" and n checkpoint bytes, then the record stream from
// <offset>; or "+CONTINUE [<replid>]" and the stream from the replica's
// offset; or "-<error>". The stream is WAL records back to back
// (persistence/wal_format.h). While streaming the replica sends REPLCONF ACK
// <offset> after each read that applied records and once a second.
//
// The host may be a numeric IPv4/IPv6 address (connected to at once) or a
// name (resolved with uv_getaddrinfo; each address is tried in turn).
class ReplicaLink {
 public:
  struct Options {
    std::string host;
    int port = 6379;
    std::string user;      // AUTH <user> <password> when both are set
    std::string password;  // AUTH <password> when only this is set
    int listening_port = 0;
    std::string checkpoint_path;  // where an arriving checkpoint is written (a temporary file)
    int64_t timeout_ms = 60000;   // repl-timeout: silence this long from the primary drops
  };

  enum class State {
    kConnect,     // not connected; waiting to (re)connect
    kConnecting,  // resolving the host or connecting
    kHandshake,   // AUTH .. PSYNC sent in turn, waiting for a reply
    kTransfer,    // receiving the checkpoint of a full sync
    kConnected,   // applying the record stream
  };

  // Does nothing until start(). `loop` and `handler` must outlive the link.
  ReplicaLink(uv_loop_t* loop, Options options, ReplicaLinkHandler* handler);
  // Safe at any time, with a resolve, connect, write or read pending: the
  // socket closes on its own and no callback reaches the link or the handler
  // again. A partly received checkpoint file is removed.
  ~ReplicaLink();
  ReplicaLink(const ReplicaLink&) = delete;
  ReplicaLink& operator=(const ReplicaLink&) = delete;

  // Starts following the primary (dropping any current connection): continues
  // from (replid, offset) when replid is non-empty, else asks for a full sync.
  // Connects at once.
  void start(std::string replid, uint64_t offset);

  // Timer work, to be called about 10 times a second: reconnects 1 s after a
  // failure, sends REPLCONF ACK once a second while streaming, and drops a
  // primary silent for more than timeout_ms (in any state but kConnect).
  void tick(int64_t now_ms);

  State state() const { return state_; }
  // The replication id whose history the dataset follows: the one the primary
  // last announced in a completed sync, or start()'s (INFO master_replid).
  const std::string& primary_replid() const { return replid_; }
  // The stream position after the last applied record (slave_repl_offset).
  uint64_t offset() const { return offset_; }
  // The stream position after the last record received (slave_read_repl_offset).
  uint64_t read_offset() const { return read_offset_; }
  // When bytes last came from the primary, or the current attempt started
  // (master_last_io_seconds_ago).
  int64_t last_io_ms() const { return last_io_ms_; }
  // When the link last left kConnected; 0 if it never reached it
  // (master_link_down_since_seconds).
  int64_t down_since_ms() const { return down_since_ms_; }
  // Whether a checkpoint is being received (master_sync_in_progress).
  bool sync_in_progress() const { return state_ == State::kTransfer; }
  // The checkpoint's announced size (0 until "$<n>" is read) and the bytes of
  // it received so far (master_sync_total_bytes / master_sync_read_bytes).
  uint64_t transfer_size() const { return transfer_size_; }
  uint64_t transfer_read() const { return transfer_read_; }
  // How many FULLRESYNC and CONTINUE replies were accepted.
  uint64_t full_syncs() const { return full_syncs_; }
  uint64_t partial_syncs() const { return partial_syncs_; }

 private:
  struct Socket;
  struct Resolve;
  struct WriteRequest;
  enum class Step { kAuth, kPing, kPort, kCapa, kPsync, kBulkSize, kBulk };
  enum class LineStatus { kLine, kMore, kTooLong };

  // Connecting.
  void connect();
  void on_resolved(int status, addrinfo* result);
  void connect_next();
  void on_connected(int status);
  // Reading: everything the primary sent so far, parsed as far as it goes.
  void on_read(const char* data, size_t n);
  // Each returns false when the link dropped or needs more bytes.
  bool handle_reply(std::string_view line);
  bool handle_psync_reply(std::string_view line);
  bool handle_bulk_size(std::string_view line);
  bool take_bulk();
  bool finish_transfer();
  bool take_records();
  LineStatus take_line(std::string_view* line);
  // Writing.
  bool send_command(std::initializer_list<std::string_view> args);
  bool send_ack();
  bool send(std::string bytes);
  // Drops the connection (logging `why` as a warning) and retries a second later.
  void fail(std::string_view why);
  // Closes the socket, the resolver and the checkpoint file, without logging.
  void disconnect();
  void close_transfer_file();

  uv_loop_t* loop_;
  Options options_;
  ReplicaLinkHandler* handler_;

  State state_ = State::kConnect;
  bool started_ = false;
  Socket* socket_ = nullptr;
  Resolve* resolve_ = nullptr;
  std::vector<sockaddr_storage> addresses_;
  size_t next_address_ = 0;

  // Parsing.
  Step step_ = Step::kPing;
  std::string in_;  // bytes received and not yet consumed
  size_t in_pos_ = 0;

  // Replication position.
  std::string replid_;
  uint64_t offset_ = 0;
  uint64_t read_offset_ = 0;
  // A full sync in progress.
  std::string sync_replid_;
  uint64_t sync_offset_ = 0;
  int transfer_fd_ = -1;
  uint64_t transfer_size_ = 0;
  uint64_t transfer_read_ = 0;

  // Times.
  bool clock_set_ = false;
  bool loaded_since_tick_ = false;  // a checkpoint was loaded after the last tick()
  int64_t now_ms_ = 0;
  int64_t last_io_ms_ = 0;
  int64_t last_ack_ms_ = 0;
  bool ack_due_ = false;  // an ACK goes out at the end of this read
  int64_t down_since_ms_ = 0;
  int64_t retry_at_ms_ = 0;

  uint64_t full_syncs_ = 0;
  uint64_t partial_syncs_ = 0;
};

}  // namespace vireo
