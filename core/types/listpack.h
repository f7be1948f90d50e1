#pragma once

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <string_view>

namespace vireo {

// A compact sequence of byte strings in one heap block, the representation
// small lists, hashes, sets and sorted sets use (Redis's "listpack"):
//
//   [used bytes u64][count u64][element]...   element = [len varint][bytes][back-length]
//
// where the back-length is the element's length prefix plus bytes, written so
// that it reads from its last byte backwards: walking works both ways, and an
// element costs its bytes plus two for anything under 128 bytes. Positions
// are byte offsets, valid until the next change. Every change is O(size) (a
// memmove), which is why collections convert to a full encoding past a
// threshold.
class Listpack {
 public:
  using Pos = size_t;

  Listpack() = default;
  ~Listpack();
  Listpack(const Listpack& other);
  Listpack& operator=(const Listpack&) = delete;
  Listpack(Listpack&& other) noexcept : block_(other.block_) { other.block_ = nullptr; }
  Listpack& operator=(Listpack&& other) noexcept;

  // Elements held.
  size_t size() const { return block_ ? header()->count : 0; }
  bool empty() const { return size() == 0; }
  // Bytes of element data (without the header), as the node-size limits count.
  size_t data_bytes() const { return block_ ? header()->used : 0; }
  // Bytes allocated.
  size_t memory_usage() const;

  // The first element's position, and the position one past the last.
  Pos first_pos() const { return 0; }
  Pos end_pos() const { return data_bytes(); }
  // The last element's position; the list must not be empty.
  Pos last_pos() const { return prev(end_pos()); }
  Pos next(Pos p) const;
  Pos prev(Pos p) const;
  // The element at `p` (p != end_pos()); valid until the next change.
  std::string_view at(Pos p) const;
  // The position of the index-th element (negative counts from the end), or
  // end_pos() when out of range. O(index).
  Pos seek(int64_t index) const;
  // The first position at or after `from`, stepping `stride` elements at a
  // time, whose element equals `value`; end_pos() when none.
  Pos find(std::string_view value, Pos from = 0, size_t stride = 1) const;

  // Inserts `value` before the element at `p` (or at the end when p == end_pos());
  // returns the position of the new element.
  Pos insert(Pos p, std::string_view value);
  void push_back(std::string_view value) { insert(end_pos(), value); }
  void push_front(std::string_view value) { insert(first_pos(), value); }
  // Replaces the element at `p`; returns its (unchanged) position.
  Pos replace(Pos p, std::string_view value);
  // Removes `n` elements starting at `p`; returns the position that now holds
  // the element after them.
  Pos erase(Pos p, size_t n = 1);
  void clear();

  // Range-for over the elements, front to back: for (std::string_view s : lp).
  class Iterator {
   public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = std::string_view;
    using difference_type = std::ptrdiff_t;
    using pointer = void;
    using reference = std::string_view;
    Iterator() = default;
    Iterator(const Listpack* lp, Pos p) : lp_(lp), p_(p) {}
    std::string_view operator*() const { return lp_->at(p_); }
    Iterator& operator++() {
      p_ = lp_->next(p_);
      return *this;
    }
    Iterator operator++(int) {
      Iterator old = *this;
      ++*this;
      return old;
    }
    bool operator==(const Iterator& other) const { return p_ == other.p_; }
    Pos pos() const { return p_; }

   private:
    const Listpack* lp_ = nullptr;
    Pos p_ = 0;
  };
  Iterator begin() const { return {this, first_pos()}; }
  Iterator end() const { return {this, end_pos()}; }

 private:
  struct Header {
    uint64_t used;
    uint64_t count;
  };
  Header* header() const { return reinterpret_cast<Header*>(block_); }
  unsigned char* data() const { return block_ + sizeof(Header); }
  // Makes room for `extra` more data bytes, growing geometrically.
  void reserve_more(size_t extra);

  unsigned char* block_ = nullptr;
};

}  // namespace vireo
