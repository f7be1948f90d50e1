#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

#include "core/fn_ref.h"

namespace vireo {

// The most recent bytes of the replication stream, kept in a ring so that a
// replica that lost its link can continue from its offset instead of loading
// a whole checkpoint again (Redis's repl-backlog). Offsets are stream
// positions (log LSNs); the backlog holds [start_offset(), end_offset()).
class ReplicationBacklog {
 public:
  // Empty, at `offset`, holding up to `capacity` bytes (at least 1).
  ReplicationBacklog(size_t capacity, uint64_t offset);
  ReplicationBacklog(const ReplicationBacklog&) = delete;
  ReplicationBacklog& operator=(const ReplicationBacklog&) = delete;

  // Appends `bytes` at end_offset(), dropping the oldest bytes beyond capacity.
  void append(std::string_view bytes);
  // Whether a replica at `offset` can continue from here.
  bool covers(uint64_t offset) const { return offset >= start_offset() && offset <= end_; }
  // Calls `sink` with the bytes from `offset` (covered) to the end, in order,
  // in at most two pieces.
  void read_from(uint64_t offset, FnRef<void(std::string_view)> sink) const;
  // Keeps the newest `capacity` bytes (CONFIG SET repl-backlog-size).
  void resize(size_t capacity);

  uint64_t start_offset() const { return end_ - size_; }
  uint64_t end_offset() const { return end_; }
  size_t size() const { return size_; }
  size_t capacity() const { return capacity_; }

 private:
  std::unique_ptr<char[]> ring_;
  size_t capacity_;
  size_t size_ = 0;
  size_t tail_ = 0;  // where the next byte goes
  uint64_t end_;
};

}  // namespace vireo
