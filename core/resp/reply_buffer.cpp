#include "core/resp/reply_buffer.h"

#include <algorithm>
#include <cstring>

namespace vireo {

void ReplyBuffer::add_chunk(size_t min_capacity) {
  Chunk chunk;
  chunk.capacity = std::max(min_capacity, kChunkSize);
  chunk.data.reset(new char[chunk.capacity]);
  chunks_.push_back(std::move(chunk));
}

char* ReplyBuffer::reserve(size_t n) {
  if (chunks_.size() == head_ || chunks_.back().capacity - chunks_.back().end < n) {
    add_chunk(n);
  }
  Chunk& tail = chunks_.back();
  return tail.data.get() + tail.end;
}

void ReplyBuffer::append(std::string_view bytes) {
  while (!bytes.empty()) {
    if (chunks_.size() == head_ || chunks_.back().end == chunks_.back().capacity) {
      // A large write gets one chunk of its own size rather than many.
      add_chunk(bytes.size());
    }
    Chunk& tail = chunks_.back();
    size_t n = std::min(bytes.size(), tail.capacity - tail.end);
    std::memcpy(tail.data.get() + tail.end, bytes.data(), n);
    tail.end += n;
    size_ += n;
    bytes.remove_prefix(n);
  }
}

size_t ReplyBuffer::peek(std::span<std::string_view> out) const {
  size_t filled = 0;
  for (size_t i = head_; i < chunks_.size() && filled < out.size(); ++i) {
    const Chunk& c = chunks_[i];
    if (c.end > c.begin) out[filled++] = {c.data.get() + c.begin, c.end - c.begin};
  }
  return filled;
}

void ReplyBuffer::consume(size_t n) {
  size_ -= n;
  while (n > 0) {
    Chunk& c = chunks_[head_];
    size_t take = std::min(n, c.end - c.begin);
    c.begin += take;
    n -= take;
    if (c.begin == c.end && head_ + 1 < chunks_.size()) ++head_;
  }
  if (size_ == 0 && !chunks_.empty()) {
    // Keep one standard chunk for the next reply; free the rest.
    auto keep = std::find_if(chunks_.begin(), chunks_.end(),
                             [](const Chunk& c) { return c.capacity == kChunkSize; });
    if (keep == chunks_.end()) {
      chunks_.clear();
    } else {
      Chunk kept = std::move(*keep);
      kept.begin = kept.end = 0;
      chunks_.clear();
      chunks_.push_back(std::move(kept));
    }
    head_ = 0;
  } else if (head_ > 16) {
    chunks_.erase(chunks_.begin(), chunks_.begin() + static_cast<std::ptrdiff_t>(head_));
    head_ = 0;
  }
}

size_t ReplyBuffer::allocated() const {
  size_t bytes = 0;
  for (const Chunk& c : chunks_)
    bytes += c.capacity;
  return bytes;
}

}  // namespace vireo
