#include "server/blocked_clients.h"

#include <algorithm>

#include "server/connection.h"

namespace vireo {

void BlockedClients::park(Connection* c) {
  const Connection::Parked& p = *c->parked;
  for (const std::string& key : p.request.keys) {
    std::deque<Connection*>& queue = waiters_[WaitKey{p.db, key}];
    // BLPOP k k waits once on k.
    if (std::find(queue.begin(), queue.end(), c) == queue.end()) queue.push_back(c);
  }
  if (p.request.deadline_ms != 0) deadlines_.emplace(p.request.deadline_ms, c);
  ++parked_;
}

void BlockedClients::unpark(Connection* c) {
  if (!c->parked) return;
  const Connection::Parked& p = *c->parked;
  for (const std::string& key : p.request.keys) {
    auto it = waiters_.find(WaitKey{p.db, key});
    if (it == waiters_.end()) continue;
    std::deque<Connection*>& queue = it.value();
    queue.erase(std::remove(queue.begin(), queue.end(), c), queue.end());
    if (queue.empty()) waiters_.erase(it);
  }
  if (p.request.deadline_ms != 0) deadlines_.erase({p.request.deadline_ms, c});
  c->parked.reset();
  --parked_;
}

void BlockedClients::key_ready(int db, std::string_view key) {
  if (waiters_.empty()) return;
  WaitKey w{db, std::string(key)};
  if (!waiters_.contains(w)) return;
  if (std::find(ready_.begin(), ready_.end(), w) == ready_.end()) ready_.push_back(std::move(w));
}

void BlockedClients::databases_swapped(int a, int b) {
  for (const auto& [w, queue] : waiters_) {
    if ((w.db == a || w.db == b) && std::find(ready_.begin(), ready_.end(), w) == ready_.end()) {
      ready_.push_back(w);
    }
  }
}

bool BlockedClients::holds_value(const WaitKey& w, ValueType type) {
  const Entry* e = keyspace_.db(w.db).find(w.key);
  return e && e->type() == type;
}

void BlockedClients::serve_ready() {
  while (!ready_.empty()) {
    std::vector<WaitKey> batch;
    batch.swap(ready_);
    for (const WaitKey& w : batch)
      serve_key(w);
  }
}

void BlockedClients::serve_key(const WaitKey& ready) {
  auto it = waiters_.find(ready);
  if (it == waiters_.end()) return;
  // A snapshot: serving a client unparks it, and its pipelined commands may
  // park others on this very key (they queue behind everyone here).
  const std::vector<Connection*> queue(it->second.begin(), it->second.end());
  for (Connection* c : queue) {
    if (!c->parked || c->closing()) continue;
    if (!holds_value(ready, c->parked->request.type)) break;
    c->wake(Connection::Wake::kRetry);
  }
}

void BlockedClients::expire(int64_t now_ms) {
  std::vector<Connection*> due;
  for (const auto& [deadline, c] : deadlines_) {
    if (deadline > now_ms) break;
    due.push_back(c);
  }
  for (Connection* c : due)
    if (c->parked) c->wake(Connection::Wake::kTimeout);
}

}  // namespace vireo
