#include "core/expiry_index.h"

#include <algorithm>

#include "core/entry.h"

namespace vireo {

void ExpiryIndex::place(size_t slot, Node node) {
  heap_[slot] = node;
  node.entry->set_expiry_slot(static_cast<uint32_t>(slot));
}

void ExpiryIndex::sift_up(size_t slot) {
  Node node = heap_[slot];
  while (slot > 0) {
    size_t parent = (slot - 1) / kArity;
    if (heap_[parent].deadline_ms <= node.deadline_ms) break;
    place(slot, heap_[parent]);
    slot = parent;
  }
  place(slot, node);
}

void ExpiryIndex::sift_down(size_t slot) {
  Node node = heap_[slot];
  const size_t n = heap_.size();
  for (;;) {
    size_t first = slot * kArity + 1;
    if (first >= n) break;
    size_t best = first;
    size_t last = std::min(first + kArity, n);
    for (size_t c = first + 1; c < last; ++c) {
      if (heap_[c].deadline_ms < heap_[best].deadline_ms) best = c;
    }
    if (heap_[best].deadline_ms >= node.deadline_ms) break;
    place(slot, heap_[best]);
    slot = best;
  }
  place(slot, node);
}

void ExpiryIndex::fix(size_t slot) {
  if (slot > 0 && heap_[(slot - 1) / kArity].deadline_ms > heap_[slot].deadline_ms) {
    sift_up(slot);
  } else {
    sift_down(slot);
  }
}

void ExpiryIndex::add(Entry* e, int64_t deadline_ms) {
  heap_.push_back({deadline_ms, e});
  sift_up(heap_.size() - 1);
}

void ExpiryIndex::update(Entry* e, int64_t deadline_ms) {
  size_t slot = e->expiry_slot();
  heap_[slot].deadline_ms = deadline_ms;
  fix(slot);
}

void ExpiryIndex::remove(Entry* e) {
  size_t slot = e->expiry_slot();
  Node last = heap_.back();
  heap_.pop_back();
  if (slot == heap_.size()) return;
  place(slot, last);
  fix(slot);
}

void ExpiryIndex::relocate(Entry* moved) {
  heap_[moved->expiry_slot()].entry = moved;
}

int64_t ExpiryIndex::deadline(const Entry* e) const {
  return heap_[e->expiry_slot()].deadline_ms;
}

int64_t ExpiryIndex::average_ttl(int64_t now_ms) const {
  if (heap_.empty()) return 0;
  // A strided sample is enough for an informational average.
  const size_t step = std::max<size_t>(1, heap_.size() / 256);
  int64_t sum = 0, n = 0;
  for (size_t i = 0; i < heap_.size(); i += step) {
    sum += std::max<int64_t>(0, heap_[i].deadline_ms - now_ms);
    ++n;
  }
  return sum / n;
}

}  // namespace vireo
