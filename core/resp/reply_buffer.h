#pragma once

#include <cstddef>
#include <memory>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

namespace vireo {

// The bytes waiting to go to one client: a list of fixed-size chunks, so that
// appending never moves what was written before and a large reply never
// reallocates one huge string. A drained buffer keeps its first chunk, so a
// request/reply client allocates nothing in the steady state.
class ReplyBuffer {
 public:
  static constexpr size_t kChunkSize = 16 * 1024;

  ReplyBuffer() = default;
  ReplyBuffer(const ReplyBuffer&) = delete;
  ReplyBuffer& operator=(const ReplyBuffer&) = delete;

  // Appends bytes.
  void append(std::string_view bytes);
  // Returns at least `n` writable contiguous bytes at the tail; commit() then
  // publishes how many were used.
  char* reserve(size_t n);
  void commit(size_t n) {
    chunks_.back().end += n;
    size_ += n;
  }

  // Bytes not yet consumed.
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  // Fills `out` with up to out.size() views of pending bytes, in order;
  // returns how many were filled. Views stay valid until consume() or append.
  size_t peek(std::span<std::string_view> out) const;
  // Drops the first `n` pending bytes (they were written).
  void consume(size_t n);
  // Drops everything.
  void clear() { consume(size_); }
  // Exchanges contents with `other` (no copying).
  void swap(ReplyBuffer& other) noexcept {
    chunks_.swap(other.chunks_);
    std::swap(head_, other.head_);
    std::swap(size_, other.size_);
  }
  // Bytes allocated, for INFO and output-buffer limits.
  size_t allocated() const;

 private:
  struct Chunk {
    std::unique_ptr<char[]> data;
    size_t capacity = 0;
    size_t begin = 0;
    size_t end = 0;
  };
  void add_chunk(size_t min_capacity);

  std::vector<Chunk> chunks_;  // pending data starts at chunks_[head_]
  size_t head_ = 0;
  size_t size_ = 0;
};

}  // namespace vireo
