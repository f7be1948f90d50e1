#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "core/entry.h"
#include "core/types/container.h"
#include "core/types/listpack.h"

namespace vireo {

// A list value, shaped like Redis's quicklist: a sequence of nodes, each a
// Listpack bounded by list-max-listpack-size (fixed when the list is made, as
// in Redis), so that a push or pop at either end moves at most one node's
// bytes and indexed access skips whole nodes by their counts. An element
// larger than the node limit gets a node of its own. Values passed in must
// not point into this list (copy first when moving within one list).
//
// The nodes sit in one array of block pointers, not a deque: a small list then
// costs one node besides the array (libstdc++'s deque allocates a 512-byte
// chunk and a map even when empty) and the list moves without allocating, as
// an Entry needs. A node added or dropped at the head shifts the array, eight
// bytes per node, once per node's worth of elements.
class ListValue : public ContainerOf<ListValue> {
 public:
  static constexpr ValueType kType = ValueType::kList;
  enum class End : uint8_t { kHead, kTail };

  explicit ListValue(const ContainerLimits& limits);

  std::unique_ptr<Container> clone() const override;
  size_t size() const override { return size_; }
  size_t memory_usage() const override;
  // Redis 7.0 reports every list as a quicklist, however small.
  std::string_view encoding() const override { return "quicklist"; }
  // Nodes the elements are spread over (never an empty one).
  size_t node_count() const { return nodes_.size(); }
  // The list-max-listpack-size the list was made with (DEBUG OBJECT's
  // ql_listpack_max).
  int node_fill() const;
  // Packed bytes over all nodes (DEBUG OBJECT's ql_uncompressed_size).
  size_t packed_bytes() const;

  void push(End end, std::string_view value);
  void push_back(std::string_view value) { push(End::kTail, value); }
  void push_front(std::string_view value) { push(End::kHead, value); }
  // The element at `end`; the list must not be empty. Valid until the next change.
  std::string_view peek(End end) const;
  // Removes min(n, size()) elements from `end`.
  void pop(End end, size_t n = 1);

  // The element at `index` (negative counts from the tail), or nothing when out of range.
  std::optional<std::string_view> at(int64_t index) const;
  // Replaces the element at `index` (negative from the tail); false when out of range.
  bool set(int64_t index, std::string_view value);
  // Inserts `value` before (or after) the first element equal to `pivot`;
  // false when there is none.
  bool insert(std::string_view pivot, std::string_view value, bool after);
  // Removes elements equal to `value`: up to `count` from the head when
  // positive, up to -count from the tail when negative, all when 0 (LREM).
  // Returns how many went.
  size_t remove(std::string_view value, int64_t count);
  // Keeps the `n` elements from index `first` and drops the rest (LTRIM).
  void keep(size_t first, size_t n);

  // A position in the list, for walking it either way: ++ goes toward the
  // tail, -- toward the head; stepping off either end gives end(). Invalid
  // after any change to the list.
  class Cursor {
   public:
    using iterator_category = std::bidirectional_iterator_tag;
    using value_type = std::string_view;
    using difference_type = std::ptrdiff_t;
    using pointer = void;
    using reference = std::string_view;

    Cursor() = default;
    std::string_view operator*() const { return (*nodes_)[node_].at(pos_); }
    Cursor& operator++();
    Cursor& operator--();
    Cursor operator++(int) {
      Cursor old = *this;
      ++*this;
      return old;
    }
    bool operator==(const Cursor& other) const {
      return node_ == other.node_ && pos_ == other.pos_;
    }

   private:
    friend class ListValue;
    Cursor(const std::vector<Listpack>* nodes, size_t node, Listpack::Pos pos)
        : nodes_(nodes), node_(node), pos_(pos) {}
    const std::vector<Listpack>* nodes_ = nullptr;
    size_t node_ = 0;
    Listpack::Pos pos_ = 0;
  };

  // Range-for from head to tail: for (std::string_view s : list).
  Cursor begin() const { return {&nodes_, 0, 0}; }
  Cursor end() const { return {&nodes_, nodes_.size(), 0}; }
  // The element at `index` (0 <= index < size()), found from the nearer end.
  Cursor cursor_at(size_t index) const;

 private:
  // Where an element lives: its node, byte position, and index within the node.
  struct Place {
    size_t node;
    Listpack::Pos pos;
    size_t offset;
  };
  static constexpr uint32_t kUnlimited = UINT32_MAX;
  Place locate(size_t index) const;
  // Whether `node` may take one more element of `len` bytes.
  bool fits(const Listpack& node, size_t len) const;
  // Inserts `value` before the element at `offset` of node `node` (offset ==
  // that node's size: after its last), keeping every node within the limits.
  void insert_at(size_t node, Listpack::Pos pos, size_t offset, std::string_view value);
  // Moves the elements from `offset` on of node `node` into a new node after it.
  void split(size_t node, Listpack::Pos pos);
  // Erases the element at `pos` of node `node`; drops the node if it empties.
  // Returns whether the node survived.
  bool erase_at(size_t node, Listpack::Pos pos);

  std::vector<Listpack> nodes_;
  size_t size_ = 0;
  // 32 bits each (at most 32768 elements, 64 KiB): the object stays 48 bytes,
  // and a list's entry a 80-byte chunk.
  uint32_t max_node_count_;  // elements per node (kUnlimited: bounded by bytes alone)
  uint32_t max_node_bytes_;  // listpack data bytes per node
};

}  // namespace vireo
