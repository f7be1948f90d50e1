#include "core/types/list_value.h"

#include <algorithm>
#include <string>

#include "core/varint.h"

namespace vireo {
namespace {

// Redis's limits: a positive fill counts elements (capped at 32768) but a node
// never grows past 8 KiB of data for it; a negative fill picks a size class.
constexpr size_t kSafetyBytes = 8 * 1024;
constexpr int kMaxCountFill = 1 << 15;
constexpr int kSmallestSizeClass = -5;

// Bytes an element of `len` bytes takes in a listpack (see listpack.h).
size_t element_bytes(size_t len) {
  size_t body = varint::size(len) + len;
  return body + varint::size(body);
}

}  // namespace

// Lists are many and mostly small: the object lives in each list's entry.
static_assert(sizeof(ListValue) <= 48);

ListValue::ListValue(const ContainerLimits& limits) {
  int fill = limits.list_max_listpack_size;
  if (fill >= 0) {
    max_node_count_ = static_cast<uint32_t>(std::clamp(fill, 1, kMaxCountFill));
    max_node_bytes_ = static_cast<uint32_t>(kSafetyBytes);
  } else {
    fill = std::max(fill, kSmallestSizeClass);
    max_node_count_ = kUnlimited;
    max_node_bytes_ = uint32_t{4096} << (-fill - 1);
  }
}

std::unique_ptr<Container> ListValue::clone() const {
  return std::make_unique<ListValue>(*this);
}

size_t ListValue::memory_usage() const {
  size_t bytes = sizeof(*this) + nodes_.capacity() * sizeof(Listpack);
  for (const Listpack& node : nodes_)
    bytes += node.memory_usage();
  return bytes;
}

int ListValue::node_fill() const {
  if (max_node_count_ != kUnlimited) return static_cast<int>(max_node_count_);
  int fill = -1;
  for (size_t bytes = max_node_bytes_; bytes > 4096; bytes >>= 1)
    --fill;
  return fill;
}

size_t ListValue::packed_bytes() const {
  size_t bytes = 0;
  for (const Listpack& node : nodes_)
    bytes += node.data_bytes();
  return bytes;
}

bool ListValue::fits(const Listpack& node, size_t len) const {
  if (node.empty()) return true;
  return node.size() < max_node_count_ && node.data_bytes() + element_bytes(len) <= max_node_bytes_;
}

void ListValue::push(End end, std::string_view value) {
  if (end == End::kHead) {
    if (nodes_.empty() || !fits(nodes_.front(), value.size())) nodes_.emplace(nodes_.begin());
    nodes_.front().push_front(value);
  } else {
    if (nodes_.empty() || !fits(nodes_.back(), value.size())) nodes_.emplace_back();
    nodes_.back().push_back(value);
  }
  ++size_;
}

std::string_view ListValue::peek(End end) const {
  if (end == End::kHead) return nodes_.front().at(0);
  const Listpack& last = nodes_.back();
  return last.at(last.last_pos());
}

void ListValue::pop(End end, size_t n) {
  n = std::min(n, size_);
  size_ -= n;
  while (n > 0) {
    Listpack& node = end == End::kHead ? nodes_.front() : nodes_.back();
    if (node.size() <= n) {
      n -= node.size();
      if (end == End::kHead) {
        nodes_.erase(nodes_.begin());
      } else {
        nodes_.pop_back();
      }
      continue;
    }
    node.erase(end == End::kHead ? node.first_pos() : node.seek(-static_cast<int64_t>(n)), n);
    n = 0;
  }
}

ListValue::Place ListValue::locate(size_t index) const {
  if (index < size_ / 2) {
    for (size_t i = 0;; ++i) {
      if (index < nodes_[i].size()) return {i, nodes_[i].seek(static_cast<int64_t>(index)), index};
      index -= nodes_[i].size();
    }
  }
  size_t from_tail = size_ - 1 - index;  // 0 = the last element
  for (size_t i = nodes_.size(); i-- > 0;) {
    size_t n = nodes_[i].size();
    if (from_tail < n) {
      size_t offset = n - 1 - from_tail;
      return {i, nodes_[i].seek(static_cast<int64_t>(offset)), offset};
    }
    from_tail -= n;
  }
  return {nodes_.size(), 0, 0};  // unreachable for a valid index
}

ListValue::Cursor ListValue::cursor_at(size_t index) const {
  Place p = locate(index);
  return {&nodes_, p.node, p.pos};
}

ListValue::Cursor& ListValue::Cursor::operator++() {
  const Listpack& node = (*nodes_)[node_];
  pos_ = node.next(pos_);
  if (pos_ == node.end_pos()) {
    ++node_;
    pos_ = 0;
  }
  return *this;
}

ListValue::Cursor& ListValue::Cursor::operator--() {
  if (node_ < nodes_->size() && pos_ != 0) {
    pos_ = (*nodes_)[node_].prev(pos_);
  } else if (node_ == 0) {
    node_ = nodes_->size();  // off the head
    pos_ = 0;
  } else {
    --node_;
    pos_ = (*nodes_)[node_].last_pos();
  }
  return *this;
}

std::optional<std::string_view> ListValue::at(int64_t index) const {
  if (index < 0) index += static_cast<int64_t>(size_);
  if (index < 0 || static_cast<uint64_t>(index) >= size_) return std::nullopt;
  Place p = locate(static_cast<size_t>(index));
  return nodes_[p.node].at(p.pos);
}

bool ListValue::set(int64_t index, std::string_view value) {
  if (index < 0) index += static_cast<int64_t>(size_);
  if (index < 0 || static_cast<uint64_t>(index) >= size_) return false;
  Place p = locate(static_cast<size_t>(index));
  Listpack& node = nodes_[p.node];
  size_t old_bytes = node.next(p.pos) - p.pos;
  if (node.size() == 1 ||
      node.data_bytes() - old_bytes + element_bytes(value.size()) <= max_node_bytes_) {
    node.replace(p.pos, value);
    return true;
  }
  // Too big for its node now: take it out and insert it again where it was,
  // which splits the node as needed.
  node.erase(p.pos);
  --size_;
  insert_at(p.node, p.pos, p.offset, value);
  return true;
}

void ListValue::split(size_t node, Listpack::Pos pos) {
  Listpack tail;
  Listpack& from = nodes_[node];
  for (Listpack::Pos q = pos; q != from.end_pos(); q = from.next(q))
    tail.push_back(from.at(q));
  from.erase(pos, from.size());
  nodes_.insert(nodes_.begin() + static_cast<std::ptrdiff_t>(node) + 1, std::move(tail));
}

void ListValue::insert_at(size_t node, Listpack::Pos pos, size_t offset, std::string_view value) {
  ++size_;
  Listpack& target = nodes_[node];
  if (fits(target, value.size())) {
    target.insert(pos, value);
    return;
  }
  // A full node: use a neighbour with room when inserting at an edge, else
  // split here and put the element on whichever side has room (or alone).
  const bool at_head = offset == 0, at_tail = offset == target.size();
  if (at_head && node > 0 && fits(nodes_[node - 1], value.size())) {
    nodes_[node - 1].push_back(value);
    return;
  }
  if (at_tail && node + 1 < nodes_.size() && fits(nodes_[node + 1], value.size())) {
    nodes_[node + 1].push_front(value);
    return;
  }
  if (!at_head && !at_tail) split(node, pos);
  // Now the element goes between `node` and the one after it (or before `node`).
  size_t left = at_head ? node : node + 1;  // index of the first node after the gap
  if (!at_head && fits(nodes_[node], value.size())) {
    nodes_[node].push_back(value);
  } else if (!at_tail && left < nodes_.size() && fits(nodes_[left], value.size())) {
    nodes_[left].push_front(value);
  } else {
    Listpack alone;
    alone.push_back(value);
    nodes_.insert(nodes_.begin() + static_cast<std::ptrdiff_t>(left), std::move(alone));
  }
}

bool ListValue::insert(std::string_view pivot, std::string_view value, bool after) {
  for (size_t i = 0; i < nodes_.size(); ++i) {
    const Listpack& node = nodes_[i];
    size_t offset = 0;
    for (Listpack::Pos p = node.first_pos(); p != node.end_pos(); p = node.next(p), ++offset) {
      if (node.at(p) != pivot) continue;
      if (after) {
        insert_at(i, node.next(p), offset + 1, value);
      } else {
        insert_at(i, p, offset, value);
      }
      return true;
    }
  }
  return false;
}

bool ListValue::erase_at(size_t node, Listpack::Pos pos) {
  --size_;
  if (nodes_[node].size() == 1) {
    nodes_.erase(nodes_.begin() + static_cast<std::ptrdiff_t>(node));
    return false;
  }
  nodes_[node].erase(pos);
  return true;
}

size_t ListValue::remove(std::string_view value, int64_t count) {
  // Ample for any list when count is 0 or LLONG_MIN (whose magnitude overflows).
  const uint64_t limit = count == 0  ? UINT64_MAX
                         : count > 0 ? static_cast<uint64_t>(count)
                                     : static_cast<uint64_t>(-(count + 1)) + 1;
  size_t removed = 0;
  if (count >= 0) {
    for (size_t i = 0; i < nodes_.size() && removed < limit;) {
      Listpack::Pos p = 0;
      bool alive = true;
      while (alive && p != nodes_[i].end_pos() && removed < limit) {
        if (nodes_[i].at(p) == value) {
          ++removed;
          alive = erase_at(i, p);  // p now holds the next element
        } else {
          p = nodes_[i].next(p);
        }
      }
      if (alive) ++i;
    }
    return removed;
  }
  for (size_t i = nodes_.size(); i-- > 0 && removed < limit;) {
    // Walk this node backwards; erasing at p leaves the elements before it in place.
    Listpack::Pos p = nodes_[i].end_pos();
    while (p != 0 && removed < limit) {
      p = nodes_[i].prev(p);
      if (nodes_[i].at(p) != value) continue;
      ++removed;
      if (!erase_at(i, p)) break;
    }
  }
  return removed;
}

void ListValue::keep(size_t first, size_t n) {
  if (first >= size_ || n == 0) {
    nodes_.clear();
    size_ = 0;
    return;
  }
  n = std::min(n, size_ - first);
  pop(End::kTail, size_ - first - n);
  pop(End::kHead, first);
}

}  // namespace vireo
