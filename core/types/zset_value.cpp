#include "core/types/zset_value.h"

#include <malloc.h>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <new>
#include <vector>

#include "core/scan_table.h"
#include "core/varint.h"

namespace vireo {
namespace {

// ---------------------------------------------------------------------------
// Packed pairs: [head (member length, score)][member bytes] ...

constexpr unsigned char kScoreIntTag = 0xF0;  // 0xF0 + k: a zigzag integer in k bytes follows
constexpr unsigned char kScoreDoubleTag = 0xFF;
constexpr double kMaxExactInt = 9007199254740992.0;  // 2^53

// -0 counts as 0: Redis's listpack stores it so (ZSCORE replies 0 after ZADD -0).
bool is_small_integer(double s) {
  return std::isfinite(s) && s == std::trunc(s) && std::fabs(s) <= kMaxExactInt;
}

uint64_t zigzag(int64_t v) {
  return (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63);
}

int64_t unzigzag(uint64_t z) {
  return static_cast<int64_t>(z >> 1) ^ -static_cast<int64_t>(z & 1);
}

// Writes the score code to `out` (up to 9 bytes); returns its size.
size_t encode_score(double s, unsigned char* out) {
  if (is_small_integer(s)) {
    uint64_t z = zigzag(static_cast<int64_t>(s));
    if (z < kScoreIntTag) {
      out[0] = static_cast<unsigned char>(z);
      return 1;
    }
    size_t k = 0;
    for (uint64_t t = z; t != 0; t >>= 8)
      out[1 + k++] = static_cast<unsigned char>(t);
    out[0] = static_cast<unsigned char>(kScoreIntTag + k);
    return 1 + k;
  }
  out[0] = kScoreDoubleTag;
  std::memcpy(out + 1, &s, sizeof s);
  return 1 + sizeof s;
}

const unsigned char* decode_score(const unsigned char* p, double* s) {
  unsigned char tag = *p++;
  if (tag < kScoreIntTag) {
    *s = static_cast<double>(unzigzag(tag));
    return p;
  }
  if (tag == kScoreDoubleTag) {
    std::memcpy(s, p, sizeof *s);
    return p + sizeof *s;
  }
  size_t k = tag - kScoreIntTag;
  uint64_t z = 0;
  for (size_t i = 0; i < k; ++i)
    z |= static_cast<uint64_t>(p[i]) << (8 * i);
  *s = static_cast<double>(unzigzag(z));
  return p + k;
}

// A pair's head is one byte in the common case of a short member with a small
// score (every member of ZADD k 1 m1 ... 10 m10): below kMidForm it holds the
// member length (0-7) in its high nibble and the score (0-15) in the low one.
// From kMidForm, up to kLongForm, it holds a length up to 63 and a score code
// follows; kLongForm is followed by a varint length and a score code.
constexpr unsigned char kMidForm = 0x80;
constexpr unsigned char kLongForm = 0xC0;

size_t encode_head(size_t len, double score, unsigned char* out) {
  if (len < 8 && score >= 0 && score < 16 && score == std::trunc(score)) {
    out[0] = static_cast<unsigned char>(len << 4 | static_cast<unsigned>(score));
    return 1;
  }
  unsigned char* p = out + 1;
  if (len < static_cast<size_t>(kLongForm - kMidForm)) {
    out[0] = static_cast<unsigned char>(kMidForm + len);
  } else {
    out[0] = kLongForm;
    p = varint::put(p, len);
  }
  return static_cast<size_t>(p - out) + encode_score(score, p);
}

struct PackedPair {
  std::string_view member;
  double score;
  size_t next;  // offset of the following pair
};

PackedPair decode_pair(const unsigned char* block, size_t off) {
  const unsigned char* p = block + off;
  const unsigned char h = *p++;
  uint64_t len;
  double score;
  if (h < kMidForm) {
    len = h >> 4;
    score = h & 0x0F;
  } else {
    if (h == kLongForm) {
      p = varint::get(p, &len);
    } else {
      len = h - kMidForm;
    }
    p = decode_score(p, &score);
  }
  return {{reinterpret_cast<const char*>(p), len}, score, static_cast<size_t>(p - block) + len};
}

bool pair_less(double s1, std::string_view m1, double s2, std::string_view m2) {
  return s1 < s2 || (s1 == s2 && m1 < m2);
}

}  // namespace

// ---------------------------------------------------------------------------
// The full encoding: a skiplist with spans (Pugh's skiplist, each link also
// counting the nodes it skips) plus a member -> node hash index.
//
// Why a skiplist rather than a B-tree with subtree counts: nodes never move,
// so the index can point at them and the member bytes live once, inside the
// node; rank, range and update are O(log n) like Redis's, and an update whose
// new score keeps the node between its neighbours is done in place (the
// common case for counters and leaderboards). The index is a ScanTable, which
// gives ZSCAN Redis's cursor guarantee across resizes.

struct ZNode {
  struct Level {
    ZNode* forward;
    size_t span;
  };
  double score;
  ZNode* backward;
  uint32_t len;
  uint32_t height;

  Level* lv() { return reinterpret_cast<Level*>(this + 1); }
  const Level* lv() const { return reinterpret_cast<const Level*>(this + 1); }
  char* data() { return reinterpret_cast<char*>(lv() + height); }
  std::string_view member() const { return {reinterpret_cast<const char*>(lv() + height), len}; }
};

namespace {

struct NodeKey {
  std::string_view operator()(const ZNode* n) const { return n->member(); }
};

constexpr int kMaxLevel = 32;

int random_level() {
  // A private xorshift: levels need no quality beyond a fair 1-in-4, and the
  // keyspace's generator is not reachable from here.
  static uint64_t state = 0x9E3779B97F4A7C15ULL;
  int level = 1;
  while (level < kMaxLevel) {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    if ((state & 3) != 0) break;
    ++level;
  }
  return level;
}

bool node_less(const ZNode* n, double score, std::string_view member) {
  return pair_less(n->score, n->member(), score, member);
}

}  // namespace

class ZSkiplist {
 public:
  ZSkiplist() {
    head_ = new_node(kMaxLevel, 0, {});
    for (int i = 0; i < kMaxLevel; ++i)
      head_->lv()[i] = {nullptr, 0};
  }
  ZSkiplist(const ZSkiplist&) = delete;
  ZSkiplist& operator=(const ZSkiplist&) = delete;
  ~ZSkiplist() {
    ZNode* x = head_->lv()[0].forward;
    while (x) {
      ZNode* next = x->lv()[0].forward;
      std::free(x);
      x = next;
    }
    std::free(head_);
  }

  size_t size() const { return length_; }
  size_t memory_usage() const { return sizeof(*this) + node_bytes_ + index_.memory_usage(); }
  const ZNode* first() const { return head_->lv()[0].forward; }
  const ZNode* last() const { return tail_; }

  ZNode* find(std::string_view member) const {
    ZNode** slot = const_cast<Index&>(index_).find(member);
    return slot ? *slot : nullptr;
  }

  // Inserts a member that is not present.
  void insert(double score, std::string_view member) {
    ZNode* x = new_node(random_level(), score, member);
    link(x);
    index_.insert(x);
  }

  // Changes a node's score, in place when its order does not change. A node
  // that must move is unlinked and linked again, the same block: the index
  // keeps pointing at it and nothing is allocated.
  void update_score(ZNode* x, double score) {
    const ZNode* next = x->lv()[0].forward;
    if ((!x->backward || node_less(x->backward, score, x->member())) &&
        (!next || !node_less(next, score, x->member()))) {
      x->score = score;
      return;
    }
    unlink(x);
    x->score = score;
    link(x);
  }

  void erase(ZNode* target) {
    unlink(target);
    drop(target);
  }

  // Removes ranks [from, to).
  void erase_ranks(size_t from, size_t to) {
    ZNode* update[kMaxLevel];
    ZNode* x = head_;
    size_t traversed = 0;
    for (int i = level_ - 1; i >= 0; --i) {
      while (x->lv()[i].forward && traversed + x->lv()[i].span <= from) {
        traversed += x->lv()[i].span;
        x = x->lv()[i].forward;
      }
      update[i] = x;
    }
    for (size_t n = from; n < to; ++n) {
      ZNode* victim = update[0]->lv()[0].forward;
      unlink(victim, update);
      drop(victim);
    }
  }

  size_t rank(const ZNode* target) const {
    size_t rank = 0;
    const ZNode* x = head_;
    for (int i = level_ - 1; i >= 0; --i) {
      while (x->lv()[i].forward &&
             !node_less(target, x->lv()[i].forward->score, x->lv()[i].forward->member())) {
        rank += x->lv()[i].span;
        x = x->lv()[i].forward;
      }
      if (x == target) return rank - 1;
    }
    return rank - 1;
  }

  const ZNode* at_rank(size_t rank) const {
    const size_t target = rank + 1;
    size_t traversed = 0;
    const ZNode* x = head_;
    for (int i = level_ - 1; i >= 0; --i) {
      while (x->lv()[i].forward && traversed + x->lv()[i].span <= target) {
        traversed += x->lv()[i].span;
        x = x->lv()[i].forward;
      }
      if (traversed == target) return x;
    }
    return nullptr;
  }

  // Nodes before the first that fails `below(node)`, which must hold for a prefix.
  template <class Below>
  size_t count_prefix(Below below) const {
    size_t rank = 0;
    const ZNode* x = head_;
    for (int i = level_ - 1; i >= 0; --i) {
      while (x->lv()[i].forward && below(x->lv()[i].forward)) {
        rank += x->lv()[i].span;
        x = x->lv()[i].forward;
      }
    }
    return rank;
  }

  uint64_t scan(uint64_t cursor, size_t count, ZSetValue::Visitor visit) const {
    return index_.scan(cursor, count, [&](ZNode* const& n) { visit(n->member(), n->score); });
  }

 private:
  using Index = ScanTable<ZNode*, NodeKey>;

  ZNode* new_node(int height, double score, std::string_view member) {
    size_t bytes = sizeof(ZNode) + height * sizeof(ZNode::Level) + member.size();
    auto* x = static_cast<ZNode*>(std::malloc(bytes));
    if (!x) throw std::bad_alloc();
    x->score = score;
    x->backward = nullptr;
    x->len = static_cast<uint32_t>(member.size());
    x->height = static_cast<uint32_t>(height);
    if (!member.empty()) std::memcpy(x->data(), member.data(), member.size());
    node_bytes_ += malloc_usable_size(x);
    return x;
  }

  void free_node(ZNode* x) {
    node_bytes_ -= malloc_usable_size(x);
    std::free(x);
  }

  // Links `x` (not in the list) where its score and member belong, at its
  // own height.
  void link(ZNode* x) {
    ZNode* update[kMaxLevel];
    size_t rank[kMaxLevel];
    ZNode* at = head_;
    for (int i = level_ - 1; i >= 0; --i) {
      rank[i] = i == level_ - 1 ? 0 : rank[i + 1];
      while (at->lv()[i].forward && node_less(at->lv()[i].forward, x->score, x->member())) {
        rank[i] += at->lv()[i].span;
        at = at->lv()[i].forward;
      }
      update[i] = at;
    }
    const int level = static_cast<int>(x->height);
    if (level > level_) {
      for (int i = level_; i < level; ++i) {
        rank[i] = 0;
        update[i] = head_;
        head_->lv()[i].span = length_;
      }
      level_ = level;
    }
    for (int i = 0; i < level; ++i) {
      x->lv()[i].forward = update[i]->lv()[i].forward;
      update[i]->lv()[i].forward = x;
      x->lv()[i].span = update[i]->lv()[i].span - (rank[0] - rank[i]);
      update[i]->lv()[i].span = (rank[0] - rank[i]) + 1;
    }
    for (int i = level; i < level_; ++i)
      update[i]->lv()[i].span++;
    x->backward = update[0] == head_ ? nullptr : update[0];
    if (x->lv()[0].forward) {
      x->lv()[0].forward->backward = x;
    } else {
      tail_ = x;
    }
    ++length_;
  }

  // Unlinks `x` from the list (the index still holds it).
  void unlink(ZNode* x) {
    ZNode* update[kMaxLevel];
    ZNode* at = head_;
    for (int i = level_ - 1; i >= 0; --i) {
      while (at->lv()[i].forward && node_less(at->lv()[i].forward, x->score, x->member()))
        at = at->lv()[i].forward;
      update[i] = at;
    }
    unlink(x, update);
  }

  // Frees an unlinked node and forgets it in the index.
  void drop(ZNode* x) {
    ZNode* removed;
    index_.extract(x->member(), &removed);
    free_node(x);
  }

  // Unlinks `x`, whose predecessors at each level are `update`.
  void unlink(ZNode* x, ZNode** update) {
    for (int i = 0; i < level_; ++i) {
      if (update[i]->lv()[i].forward == x) {
        update[i]->lv()[i].span += x->lv()[i].span - 1;
        update[i]->lv()[i].forward = x->lv()[i].forward;
      } else {
        update[i]->lv()[i].span -= 1;
      }
    }
    if (x->lv()[0].forward) {
      x->lv()[0].forward->backward = x->backward;
    } else {
      tail_ = x->backward;
    }
    while (level_ > 1 && !head_->lv()[level_ - 1].forward)
      --level_;
    --length_;
  }

  ZNode* head_ = nullptr;
  ZNode* tail_ = nullptr;
  size_t length_ = 0;
  int level_ = 1;
  size_t node_bytes_ = 0;
  Index index_;
};

// ---------------------------------------------------------------------------
// ZSetValue

ZSetValue::ZSetValue(const ContainerLimits&) {}

ZSetValue::ZSetValue(ZSetValue&& other) noexcept : rep_(other.rep_) {
  other.rep_ = 0;
}

ZSetValue::~ZSetValue() {
  if (packed()) {
    std::free(block());
  } else {
    delete skiplist();
  }
}

std::unique_ptr<Container> ZSetValue::clone() const {
  auto copy = std::make_unique<ZSetValue>(ContainerLimits{});
  if (packed()) {
    if (rep_ != 0) {
      const size_t bytes = sizeof(PackedHeader) + used();
      void* block = std::malloc(bytes);
      if (!block) throw std::bad_alloc();
      std::memcpy(block, this->block(), bytes);
      copy->rep_ = reinterpret_cast<uintptr_t>(block);
    }
  } else {
    auto* list = new ZSkiplist;
    copy->rep_ = reinterpret_cast<uintptr_t>(list) | kSkiplistTag;
    for (const ZNode* x = skiplist()->first(); x; x = x->lv()[0].forward)
      list->insert(x->score, x->member());
  }
  return copy;
}

size_t ZSetValue::size() const {
  return packed() ? count() : skiplist()->size();
}

size_t ZSetValue::memory_usage() const {
  if (!packed()) return sizeof(*this) + skiplist()->memory_usage();
  return sizeof(*this) + (rep_ ? malloc_usable_size(block()) : 0);
}

std::string_view ZSetValue::encoding() const {
  return packed() ? "listpack" : "skiplist";
}

void ZSetValue::presize(size_t elements, size_t max_member_len, const ContainerLimits& limits) {
  if (packed() && count() == 0 &&
      (elements > static_cast<uint64_t>(limits.zset_max_listpack_entries) ||
       max_member_len > static_cast<uint64_t>(limits.zset_max_listpack_value))) {
    convert_to_skiplist();
  }
}

void ZSetValue::convert_to_skiplist() {
  if (!packed()) return;
  auto list = std::make_unique<ZSkiplist>();  // freed if an insert runs out of memory
  for (size_t off = 0, used = this->used(); off < used;) {
    PackedPair pair = decode_pair(pairs(), off);
    list->insert(pair.score, pair.member);
    off = pair.next;
  }
  std::free(block());
  rep_ = reinterpret_cast<uintptr_t>(list.release()) | kSkiplistTag;
}

size_t ZSetValue::packed_find(std::string_view member, double* score) const {
  for (size_t off = 0; off < used();) {
    PackedPair pair = decode_pair(pairs(), off);
    if (pair.member == member) {
      *score = pair.score;
      return off;
    }
    off = pair.next;
  }
  return SIZE_MAX;
}

size_t ZSetValue::packed_offset_of_rank(size_t rank) const {
  size_t off = 0;
  for (size_t i = 0; i < rank && off < used(); ++i)
    off = decode_pair(pairs(), off).next;
  return off;
}

void ZSetValue::packed_insert(std::string_view member, double score) {
  size_t at = 0;
  while (at < used()) {
    PackedPair pair = decode_pair(pairs(), at);
    if (pair_less(score, member, pair.score, pair.member)) break;
    at = pair.next;
  }
  unsigned char head[1 + 10 + 9];  // form byte, varint length, score code
  const size_t head_size = encode_head(member.size(), score, head);
  const size_t bytes = head_size + member.size();
  const uint32_t used = this->used(), count = this->count();
  auto* grown =
      static_cast<unsigned char*>(std::realloc(block(), sizeof(PackedHeader) + used + bytes));
  if (!grown) throw std::bad_alloc();
  rep_ = reinterpret_cast<uintptr_t>(grown);
  header()->used = used + static_cast<uint32_t>(bytes);
  header()->count = count + 1;
  unsigned char* p = pairs();
  std::memmove(p + at + bytes, p + at, used - at);
  std::memcpy(p + at, head, head_size);
  if (!member.empty()) std::memcpy(p + at + head_size, member.data(), member.size());
}

void ZSetValue::packed_erase_bytes(size_t from, size_t to, uint32_t elements) {
  const uint32_t used = this->used() - static_cast<uint32_t>(to - from);
  std::memmove(pairs() + from, pairs() + to, used - from);
  header()->used = used;
  header()->count -= elements;
  if (used == 0) {
    std::free(block());
    rep_ = 0;
    return;
  }
  // Shrinking in place never fails; a failed realloc keeps the larger block.
  if (void* shrunk = std::realloc(block(), sizeof(PackedHeader) + used)) {
    rep_ = reinterpret_cast<uintptr_t>(shrunk);
  }
}

std::optional<double> ZSetValue::score(std::string_view member) const {
  if (!packed()) {
    const ZNode* x = skiplist()->find(member);
    return x ? std::optional<double>(x->score) : std::nullopt;
  }
  double s;
  return packed_find(member, &s) == SIZE_MAX ? std::nullopt : std::optional<double>(s);
}

std::optional<size_t> ZSetValue::rank(std::string_view member) const {
  if (!packed()) {
    const ZNode* x = skiplist()->find(member);
    return x ? std::optional<size_t>(skiplist()->rank(x)) : std::nullopt;
  }
  size_t rank = 0;
  for (size_t off = 0; off < used(); ++rank) {
    PackedPair pair = decode_pair(pairs(), off);
    if (pair.member == member) return rank;
    off = pair.next;
  }
  return std::nullopt;
}

std::pair<std::string_view, double> ZSetValue::at_rank(size_t rank) const {
  if (!packed()) {
    const ZNode* x = skiplist()->at_rank(rank);
    return {x->member(), x->score};
  }
  PackedPair pair = decode_pair(pairs(), packed_offset_of_rank(rank));
  return {pair.member, pair.score};
}

bool ZSetValue::set(std::string_view member, double score, const ContainerLimits& limits) {
  return upsert(
      member, [score](std::optional<double>) { return std::optional(score); }, limits);
}

bool ZSetValue::upsert(std::string_view member, Decision decide, const ContainerLimits& limits) {
  if (packed()) {
    double old;
    size_t off = packed_find(member, &old);
    std::optional<double> score = decide(off == SIZE_MAX ? std::nullopt : std::optional(old));
    if (!score) return false;
    if (off != SIZE_MAX) {
      if (old == *score) return false;  // as Redis: -0 over 0 changes nothing
      packed_erase_bytes(off, decode_pair(pairs(), off).next, 1);
      packed_insert(member, *score);
      return false;
    }
    if (count() + 1 <= static_cast<uint64_t>(limits.zset_max_listpack_entries) &&
        member.size() <= static_cast<uint64_t>(limits.zset_max_listpack_value)) {
      packed_insert(member, *score);
      return true;
    }
    convert_to_skiplist();
    skiplist()->insert(*score, member);
    return true;
  }
  ZNode* x = skiplist()->find(member);
  std::optional<double> score = decide(x ? std::optional(x->score) : std::nullopt);
  if (!score) return false;
  if (x) {
    skiplist()->update_score(x, *score);
    return false;
  }
  skiplist()->insert(*score, member);
  return true;
}

bool ZSetValue::erase(std::string_view member) {
  if (!packed()) {
    ZNode* x = skiplist()->find(member);
    if (!x) return false;
    skiplist()->erase(x);
    return true;
  }
  double s;
  size_t off = packed_find(member, &s);
  if (off == SIZE_MAX) return false;
  packed_erase_bytes(off, decode_pair(pairs(), off).next, 1);
  return true;
}

void ZSetValue::erase_ranks(size_t from, size_t to) {
  if (from >= to) return;
  if (!packed()) {
    skiplist()->erase_ranks(from, to);
    return;
  }
  size_t start = packed_offset_of_rank(from);
  size_t end = start;
  for (size_t i = from; i < to; ++i)
    end = decode_pair(pairs(), end).next;
  packed_erase_bytes(start, end, static_cast<uint32_t>(to - from));
}

size_t ZSetValue::count_below(double score, bool or_equal) const {
  auto below = [&](double s) { return s < score || (or_equal && s == score); };
  if (!packed()) return skiplist()->count_prefix([&](const ZNode* x) { return below(x->score); });
  size_t n = 0;
  for (size_t off = 0; off < used(); ++n) {
    PackedPair pair = decode_pair(pairs(), off);
    if (!below(pair.score)) break;
    off = pair.next;
  }
  return n;
}

size_t ZSetValue::count_below_member(std::string_view member, bool or_equal) const {
  auto below = [&](std::string_view m) { return m < member || (or_equal && m == member); };
  if (!packed())
    return skiplist()->count_prefix([&](const ZNode* x) { return below(x->member()); });
  size_t n = 0;
  for (size_t off = 0; off < used(); ++n) {
    PackedPair pair = decode_pair(pairs(), off);
    if (!below(pair.member)) break;
    off = pair.next;
  }
  return n;
}

void ZSetValue::visit(size_t from, size_t to, bool reverse, Visitor visit) const {
  if (from >= to) return;
  if (!packed()) {
    if (!reverse) {
      const ZNode* x = skiplist()->at_rank(from);
      for (size_t i = from; i < to; ++i, x = x->lv()[0].forward)
        visit(x->member(), x->score);
    } else {
      const ZNode* x = skiplist()->at_rank(to - 1);
      for (size_t i = from; i < to; ++i, x = x->backward)
        visit(x->member(), x->score);
    }
    return;
  }
  size_t off = packed_offset_of_rank(from);
  if (!reverse) {
    for (size_t i = from; i < to; ++i) {
      PackedPair pair = decode_pair(pairs(), off);
      visit(pair.member, pair.score);
      off = pair.next;
    }
    return;
  }
  std::vector<size_t> offsets;
  offsets.reserve(to - from);
  for (size_t i = from; i < to; ++i) {
    offsets.push_back(off);
    off = decode_pair(pairs(), off).next;
  }
  for (size_t i = offsets.size(); i-- > 0;) {
    PackedPair pair = decode_pair(pairs(), offsets[i]);
    visit(pair.member, pair.score);
  }
}

uint64_t ZSetValue::scan(uint64_t cursor, size_t count, Visitor visit) const {
  if (!packed()) return skiplist()->scan(cursor, count, visit);
  visit_all(visit);
  return 0;
}

}  // namespace vireo
