#pragma once

#include <tsl/robin_map.h>

#include <cstdint>
#include <deque>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/context.h"
#include "core/keyspace.h"

namespace vireo {

class Connection;

// Clients parked by blocking commands (BLPOP, BZPOPMIN, BLMOVE...), and the
// rules that wake them:
//
// - A parked client's request stays unconsumed in its query buffer; waking it
//   runs that request again (Connection::wake), so a served client goes on
//   with whatever it pipelined after it, in order.
// - Clients waiting on a key are served in the order they blocked. A key is
//   "ready" when a list or sorted set is added under it (Database::adopt
//   tells the server); ready keys are served after the command that readied
//   them has finished (so a push inside a transaction serves only after
//   EXEC), and serving one client may ready others (BLMOVE's destination),
//   until nothing is ready.
// - A client whose rerun finds nothing (a client ahead of it took the last
//   element) keeps its place and its original deadline.
class BlockedClients {
 public:
  explicit BlockedClients(Keyspace& keyspace) : keyspace_(keyspace) {}

  // Parks `c` on its request's keys (Connection::parked must be set).
  void park(Connection* c);
  // Unparks `c` (served, timed out, unblocked or disconnected) and clears
  // its parked state. Safe for a client that is not parked.
  void unpark(Connection* c);

  // Notes that `key` in `db` gained a value; cheap when nobody waits on it.
  void key_ready(int db, std::string_view key);
  // Notes every waited-on key of databases `a` and `b` as ready (SWAPDB).
  void databases_swapped(int a, int b);
  bool any_ready() const { return !ready_.empty(); }
  // Serves the clients parked on ready keys, until no key is ready.
  void serve_ready();

  // Wakes every client whose deadline is at or before `now_ms` with a timeout.
  void expire(int64_t now_ms);
  // The earliest deadline of a parked client, or 0 when none has one.
  int64_t next_deadline() const { return deadlines_.empty() ? 0 : deadlines_.begin()->first; }

  // Parked clients, and distinct keys they wait on (INFO blocked_clients,
  // total_blocking_keys).
  size_t clients() const { return parked_; }
  size_t keys() const { return waiters_.size(); }
  // Parked clients with a deadline (INFO clients_in_timeout_table).
  size_t clients_with_deadline() const { return deadlines_.size(); }

 private:
  struct WaitKey {
    int db;
    std::string key;
    bool operator==(const WaitKey&) const = default;
  };
  struct WaitKeyHash {
    size_t operator()(const WaitKey& w) const {
      return std::hash<std::string_view>()(w.key) * 31 + static_cast<size_t>(w.db);
    }
  };
  // Serves the clients parked on one ready key while it holds a value.
  void serve_key(const WaitKey& ready);
  bool holds_value(const WaitKey& w, ValueType type);

  Keyspace& keyspace_;
  tsl::robin_map<WaitKey, std::deque<Connection*>, WaitKeyHash> waiters_;
  std::vector<WaitKey> ready_;
  std::set<std::pair<int64_t, Connection*>> deadlines_;
  size_t parked_ = 0;
};

}  // namespace vireo
