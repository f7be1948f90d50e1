#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace vireo {

class Entry;

// The deadlines of one database's volatile keys, as a min-heap.
//
// Redis finds expired keys by sampling random volatile keys, so under load a
// share of dead keys lingers and the work per tick is a guess. A heap knows
// the next deadline: the active cycle pops exactly the keys that are due and
// stops, and a lazy lookup reads a key's deadline in O(1) through the slot
// index that each Entry keeps. Each volatile key costs 16 bytes here plus
// 4 bytes in its Entry.
class ExpiryIndex {
 public:
  // Registers `e` (which has an expiry slot) with `deadline_ms`.
  void add(Entry* e, int64_t deadline_ms);
  // Changes the deadline of a registered entry.
  void update(Entry* e, int64_t deadline_ms);
  // Unregisters `e`.
  void remove(Entry* e);
  // Points the slot of a registered entry that moved in memory at its new address.
  void relocate(Entry* moved);
  // The deadline of a registered entry.
  int64_t deadline(const Entry* e) const;

  bool empty() const { return heap_.empty(); }
  size_t size() const { return heap_.size(); }
  // The entry with the earliest deadline, and that deadline; requires !empty().
  Entry* top() const { return heap_.front().entry; }
  int64_t top_deadline() const { return heap_.front().deadline_ms; }
  // The entry in heap position `index` (< size()): with a random index, a
  // uniformly random volatile key (maxmemory's volatile-* sampling).
  Entry* entry_at(size_t index) const { return heap_[index].entry; }
  // Average remaining TTL over a sample, for INFO keyspace's avg_ttl.
  int64_t average_ttl(int64_t now_ms) const;
  void clear() { heap_.clear(); }
  size_t memory_usage() const { return heap_.capacity() * sizeof(Node); }

 private:
  struct Node {
    int64_t deadline_ms;
    Entry* entry;
  };
  static constexpr size_t kArity = 4;  // shallower than binary; children share cache lines

  void place(size_t slot, Node node);
  void sift_up(size_t slot);
  void sift_down(size_t slot);
  void fix(size_t slot);

  std::vector<Node> heap_;
};

}  // namespace vireo
