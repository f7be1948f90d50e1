#pragma once

#include <tsl/robin_set.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <random>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "core/hash.h"
#include "core/locating_allocator.h"

namespace vireo {

// A hash set of `Item`s (small handles, e.g. pointers) found by a string key,
// built from robin-map segments under an extendible-hashing directory.
//
// Why not one robin_map: a single table rehashes all its items at once when it
// grows, which would stall the event loop for a second at ten million keys, and
// its iteration order moves under inserts and deletes, which breaks SCAN. Here a
// segment holds at most a few hundred items; when one fills it splits in two by
// the next bit of the hash, so growth costs are small and bounded, and a segment
// always covers one contiguous range of hash values. That makes a SCAN cursor a
// plain hash threshold: "every item whose hash is below the cursor was
// returned", which stays true however segments split in between calls.
//
// `KeyOf` maps an Item to its key: `std::string_view operator()(const Item&)`.
template <class Item, class KeyOf>
class ScanTable {
 public:
  ScanTable() { clear(); }
  ScanTable(const ScanTable&) = delete;
  ScanTable& operator=(const ScanTable&) = delete;
  ScanTable(ScanTable&&) noexcept = default;
  ScanTable& operator=(ScanTable&&) noexcept = default;

  // Number of items.
  size_t size() const { return size_; }

  // The stored slot for `key`, or nullptr. The slot stays valid until the next
  // insert or erase; the caller may overwrite it with an item of the same key.
  Item* find(std::string_view key) {
    uint64_t h = hash_bytes(key);
    Segment& seg = *dir_[dir_index(h)];
    auto it = seg.set.find(key, h);
    return it == seg.set.end() ? nullptr : const_cast<Item*>(&*it);
  }

  // Inserts `item`, whose key must not be present.
  void insert(Item item) {
    uint64_t h = hash_bytes(KeyOf{}(item));
    size_t idx = dir_index(h);
    while (dir_[idx]->set.size() >= kSplitAt && dir_[idx]->depth < kMaxDepth) {
      split(idx);
      idx = dir_index(h);
    }
    dir_[idx]->set.insert(std::move(item));
    ++size_;
  }

  // Removes the item for `key` and returns it, so the caller can free it.
  bool extract(std::string_view key, Item* out) {
    uint64_t h = hash_bytes(key);
    Segment& seg = *dir_[dir_index(h)];
    auto it = seg.set.find(key, h);
    if (it == seg.set.end()) return false;
    *out = *it;
    seg.set.erase(it);
    --size_;
    // Give memory back after mass deletion; bounded by the segment's size.
    if (seg.set.bucket_count() > 64 && seg.set.size() * 8 < seg.set.bucket_count()) {
      seg.set.rehash(0);
    }
    return true;
  }

  // Calls `visit(item)` for every item with hash >= `cursor`, in hash order,
  // until at least `count` were visited or a work bound is reached; returns the
  // cursor for the next call, 0 when the whole table was covered.
  template <class Visit>
  uint64_t scan(uint64_t cursor, size_t count, Visit&& visit) const {
    if (count == 0) count = 1;
    size_t visited = 0;
    uint64_t pos = cursor;
    std::vector<std::pair<uint64_t, const Item*>> batch;
    for (int segments = 0; segments < kMaxSegmentsPerScan; ++segments) {
      const Segment& seg = *dir_[dir_index(pos)];
      batch.clear();
      for (const Item& item : seg.set) {
        uint64_t h = hash_bytes(KeyOf{}(item));
        if (h >= pos) batch.emplace_back(h, &item);
      }
      std::sort(batch.begin(), batch.end(),
                [](const auto& a, const auto& b) { return a.first < b.first; });
      uint64_t last = 0;
      for (const auto& [h, item] : batch) {
        // Items sharing a full hash are returned together: the cursor cannot
        // point between them.
        if (visited >= count && h != last) return h;
        visit(*item);
        ++visited;
        last = h;
      }
      uint64_t seg_last = segment_last_hash(pos, seg.depth);
      if (seg_last == UINT64_MAX) return 0;
      pos = seg_last + 1;
      if (visited >= count) return pos;
    }
    return pos;
  }

  // A uniformly chosen segment's random item, or nullptr when empty. Segments
  // cover equal shares of the hash space, so this is close to uniform.
  const Item* random(std::mt19937_64& rng) const {
    if (size_ == 0) return nullptr;
    for (int attempt = 0; attempt < 64; ++attempt) {
      const Segment& seg = *dir_[rng() & (dir_.size() - 1)];
      if (seg.set.empty()) continue;
      auto it = seg.set.begin();
      std::advance(it, rng() % seg.set.size());
      return &*it;
    }
    for (const auto& seg : segments_) {
      if (!seg->set.empty()) return &*seg->set.begin();
    }
    return nullptr;
  }

  // Calls `visit(item)` for up to `n` neighbouring items of a random segment,
  // from a random position on (wrapping around the segment), and returns how
  // many. Like Redis's sampling of a dictionary: much cheaper than `n` calls
  // to random(), which each walk a segment to its pick. The table must not
  // change during the visit.
  template <class Visit>
  size_t random_run(std::mt19937_64& rng, size_t n, Visit&& visit) const {
    const Item* first = random(rng);
    if (!first) return 0;
    const Set& set = dir_[dir_index(hash_bytes(KeyOf{}(*first)))]->set;
    auto it = set.find(KeyOf{}(*first));
    size_t taken = 0;
    for (; taken < n && taken < set.size(); ++taken) {
      visit(*it);
      if (++it == set.end()) it = set.begin();
    }
    return taken;
  }

  // Calls `visit(item)` for every item; the table must not change meanwhile.
  template <class Visit>
  void for_each(Visit&& visit) const {
    for (const auto& seg : segments_) {
      for (const Item& item : seg->set)
        visit(item);
    }
  }

  // Prepares an empty table for `expected` items (a load that knows its
  // count): the directory is split up front to the depth those items need,
  // and each segment sized for its share, so that the inserts split nothing
  // and rehash nothing. Splitting as it goes would rehash every item about
  // log2(expected / kSplitAt) times, each a cache miss on the item's key.
  void presize(size_t expected) {
    if (size_ != 0) return;
    int depth = 0;
    while (depth < kMaxDepth && (expected >> depth) > kSplitAt / 2)
      ++depth;
    if (depth == 0) return;
    segments_.clear();
    dir_.clear();
    const size_t count = size_t{1} << depth;
    const size_t share = expected / count + 1;
    segments_.reserve(count);
    dir_.reserve(count);
    for (size_t i = 0; i < count; ++i) {
      segments_.push_back(new_segment(depth));
      dir_.push_back(segments_.back().get());
    }
    // Bucket arrays only after every segment: the segments then lie side by
    // side, a few pages that stay cached, instead of one page each among the
    // arrays, which made every lookup of a load a TLB miss before its bucket.
    for (const auto& seg : segments_)
      seg->set.reserve(share);
    depth_ = depth;
  }

  // Starts fetching the bucket a find or insert of `key` will read first, so
  // that a bulk load can overlap the cache misses of the next few keys with
  // work on the current one. A hint: it changes nothing.
  void prefetch(std::string_view key) const {
    const uint64_t h = hash_bytes(key);
    const Segment& seg = *dir_[dir_index(h)];
    const size_t buckets = seg.set.bucket_count();
    // tsl's power-of-two policy: the home bucket is the hash's low bits.
    if (buckets != 0 && seg.buckets.base)
      __builtin_prefetch(seg.buckets.base + (h & (buckets - 1)) * seg.buckets.stride);
  }

  // Removes every item without freeing what they point to; returns them.
  std::vector<Item> release_all() {
    std::vector<Item> items;
    items.reserve(size_);
    for_each([&](const Item& item) { items.push_back(item); });
    clear();
    return items;
  }

  // Bytes held by the table itself (not by what items point to).
  size_t memory_usage() const {
    size_t bytes = dir_.capacity() * sizeof(Segment*);
    for (const auto& seg : segments_) {
      bytes += sizeof(Segment) + seg->set.bucket_count() * kBucketBytes;
    }
    return bytes;
  }

 private:
  struct Hasher {
    using is_transparent = void;
    size_t operator()(std::string_view key) const { return hash_bytes(key); }
    size_t operator()(const Item& item) const { return hash_bytes(KeyOf{}(item)); }
  };
  struct Equal {
    using is_transparent = void;
    bool operator()(const Item& a, const Item& b) const { return KeyOf{}(a) == KeyOf{}(b); }
    bool operator()(const Item& a, std::string_view b) const { return KeyOf{}(a) == b; }
    bool operator()(std::string_view a, const Item& b) const { return a == KeyOf{}(b); }
  };
  // StoreHash keeps 32 hash bits in the bucket's padding: lookups skip most key
  // comparisons and rehashing never recomputes a hash.
  using Set = tsl::robin_set<Item, Hasher, Equal, LocatingAllocator<Item>, true>;
  struct Segment {
    Segment() = default;
    Segment(const Segment&) = delete;
    Segment& operator=(const Segment&) = delete;

    // A set whose bucket array is recorded in `buckets`: the segment's own,
    // or one that will be swapped into it.
    Set new_set() {
      Set s(0, Hasher(), Equal(), LocatingAllocator<Item>(&buckets));
      s.max_load_factor(kMaxLoad);
      return s;
    }

    AllocationSite buckets;  // declared before `set`, which writes to it
    Set set{new_set()};
    int depth = 0;  // the number of leading hash bits all its items share
  };

  static constexpr float kMaxLoad = 0.85f;
  static constexpr size_t kMaxBuckets = 1024;
  static constexpr size_t kSplitAt = static_cast<size_t>(kMaxBuckets * kMaxLoad);
  static constexpr int kMaxDepth = 32;
  static constexpr int kMaxSegmentsPerScan = 64;
  static constexpr size_t kBucketBytes = 16;  // item + probe distance + stored hash
  static constexpr size_t kPrefetchAhead = 8;

  void clear() {
    segments_.clear();
    segments_.push_back(new_segment(0));
    dir_.assign(1, segments_.back().get());
    depth_ = 0;
    size_ = 0;
  }

  std::unique_ptr<Segment> new_segment(int depth) {
    auto seg = std::make_unique<Segment>();
    seg->depth = depth;
    return seg;
  }

  size_t dir_index(uint64_t h) const { return depth_ == 0 ? 0 : h >> (64 - depth_); }

  static uint64_t segment_last_hash(uint64_t h, int depth) {
    if (depth == 0) return UINT64_MAX;
    return h | (UINT64_MAX >> depth);
  }

  // Splits the segment at directory slot `idx` by the next hash bit.
  void split(size_t idx) {
    Segment* old_seg = dir_[idx];
    if (old_seg->depth == depth_) {
      std::vector<Segment*> doubled(dir_.size() * 2);
      for (size_t i = 0; i < doubled.size(); ++i)
        doubled[i] = dir_[i >> 1];
      dir_.swap(doubled);
      ++depth_;
      idx <<= 1;
    }
    const int old_depth = old_seg->depth;
    const uint64_t bit = uint64_t{1} << (63 - old_depth);
    segments_.push_back(new_segment(old_depth + 1));
    Segment* high = segments_.back().get();
    std::vector<Item> items(old_seg->set.begin(), old_seg->set.end());
    std::vector<bool> goes_high(items.size());
    size_t highs = 0;
    for (size_t i = 0; i < items.size(); ++i) {
      // The items' keys are scattered over the heap: fetching those a few
      // items ahead overlaps their cache misses instead of waiting on each.
      if constexpr (std::is_pointer_v<Item>) {
        if (i + kPrefetchAhead < items.size()) __builtin_prefetch(items[i + kPrefetchAhead]);
      }
      goes_high[i] = (hash_bytes(KeyOf{}(items[i])) & bit) != 0;
      highs += goes_high[i];
    }
    Set low = old_seg->new_set();
    // Sized once: growing step by step would rehash what was just inserted.
    low.reserve(items.size() - highs);
    high->set.reserve(highs);
    for (size_t i = 0; i < items.size(); ++i)
      (goes_high[i] ? high->set : low).insert(items[i]);
    old_seg->set.swap(low);
    old_seg->depth = old_depth + 1;
    // The old segment owned a run of 2^(depth_ - old_depth) slots; its upper
    // half now belongs to the new segment.
    size_t run = size_t{1} << (depth_ - old_depth);
    size_t start = idx & ~(run - 1);
    for (size_t i = start + run / 2; i < start + run; ++i)
      dir_[i] = high;
  }

  std::vector<std::unique_ptr<Segment>> segments_;
  std::vector<Segment*> dir_;
  int depth_ = 0;
  size_t size_ = 0;
};

}  // namespace vireo
