#include "replication/backlog.h"

#include <algorithm>
#include <cstring>

namespace vireo {

ReplicationBacklog::ReplicationBacklog(size_t capacity, uint64_t offset)
    : ring_(new char[std::max<size_t>(capacity, 1)]),
      capacity_(std::max<size_t>(capacity, 1)),
      end_(offset) {}

void ReplicationBacklog::append(std::string_view bytes) {
  end_ += bytes.size();
  // Only the last `capacity_` bytes can survive: skip the rest outright.
  if (bytes.size() > capacity_) bytes.remove_prefix(bytes.size() - capacity_);
  while (!bytes.empty()) {
    const size_t n = std::min(bytes.size(), capacity_ - tail_);
    std::memcpy(ring_.get() + tail_, bytes.data(), n);
    tail_ = (tail_ + n) % capacity_;
    bytes.remove_prefix(n);
    size_ = std::min(capacity_, size_ + n);
  }
}

void ReplicationBacklog::read_from(uint64_t offset, FnRef<void(std::string_view)> sink) const {
  size_t n = static_cast<size_t>(end_ - offset);  // bytes wanted, the newest n
  if (n == 0) return;
  // The newest n bytes end at tail_; they start n before it, around the ring.
  size_t begin = (tail_ + capacity_ - n) % capacity_;
  if (begin + n <= capacity_) {
    sink({ring_.get() + begin, n});
    return;
  }
  sink({ring_.get() + begin, capacity_ - begin});
  sink({ring_.get(), n - (capacity_ - begin)});
}

void ReplicationBacklog::resize(size_t capacity) {
  capacity = std::max<size_t>(capacity, 1);
  if (capacity == capacity_) return;
  std::unique_ptr<char[]> ring(new char[capacity]);
  const size_t keep = std::min(size_, capacity);
  size_t at = 0;
  read_from(end_ - keep, [&](std::string_view piece) {
    std::memcpy(ring.get() + at, piece.data(), piece.size());
    at += piece.size();
  });
  ring_ = std::move(ring);
  capacity_ = capacity;
  size_ = keep;
  tail_ = keep % capacity;
}

}  // namespace vireo
