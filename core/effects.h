#pragma once

#include <cstdint>
#include <memory>
#include <new>
#include <string>
#include <string_view>
#include <vector>

#include "core/command.h"
#include "core/database.h"

namespace vireo {

// Where write commands send their effects: commands that, replayed in order
// on any machine at any time, rebuild the same keyspace (DESIGN.md, Effects).
class EffectSink {
 public:
  virtual ~EffectSink() = default;
  // Records one effect to apply to database `db`.
  virtual void emit(int db, Args argv) = 0;
  // Brackets an atomic group (MULTI/EXEC, a committed BEGIN..COMMIT, a
  // command whose effect takes several commands). A group inside a group
  // merges into the outer one; an empty group leaves nothing.
  virtual void begin_group() {}
  virtual void end_group() {}
};

// An effect's argv built argument by argument (DEL of the keys that existed,
// MSETNX as MSET): on the stack for ordinary counts, on the heap beyond, so
// building one allocates nothing in the common case.
class EffectArgv {
 public:
  // `capacity`: the most arguments that will be pushed.
  explicit EffectArgv(size_t capacity) : on_heap_(capacity > kInline) {
    if (on_heap_) heap_.reserve(capacity);
  }
  void push(std::string_view arg) {
    if (on_heap_) {
      heap_.push_back(arg);
    } else {
      new (stack_ + size_++ * sizeof(std::string_view)) std::string_view(arg);
    }
  }
  size_t size() const { return on_heap_ ? heap_.size() : size_; }
  Args args() const {
    return on_heap_ ? Args(heap_)
                    : Args(std::launder(reinterpret_cast<const std::string_view*>(stack_)), size_);
  }

 private:
  static constexpr size_t kInline = 64;
  bool on_heap_;
  // Raw bytes, constructed as pushed: a std::string_view array would be
  // zeroed (1 KiB) on every construction, which showed in LPUSH's profile.
  alignas(std::string_view) unsigned char stack_[kInline * sizeof(std::string_view)];
  size_t size_ = 0;
  std::vector<std::string_view> heap_;
};

// Encodes effects as the RESP stream that the log and replicas consume: each
// effect a multibulk, preceded by SELECT whenever the database changes, and a
// group wrapped in MULTI ... EXEC, like Redis's replication stream.
class RespEffectEncoder : public EffectSink {
 public:
  void emit(int db, Args argv) override;
  void begin_group() override;
  void end_group() override;

  // The bytes encoded since the last clear().
  std::string_view bytes() const { return {data_.get(), size_}; }
  // Bytes reserved for the encoding (maxmemory leaves them out, as Redis
  // leaves out its AOF buffer: evictions themselves fill it).
  size_t buffer_capacity() const { return capacity_; }
  // Forgets the bytes; a buffer grown past 1 MiB by one large batch is given
  // back rather than kept for the life of the process.
  void clear();
  // Effects emitted since start (Redis's `dirty` counter, not counting
  // SELECT/MULTI/EXEC framing).
  uint64_t effect_count() const { return effects_; }
  // Inside an atomic group: the bytes so far cannot become a record yet.
  bool in_group() const { return group_depth_ > 0; }
  // Forgets the selected database, so the next effect starts with SELECT
  // (a new log segment or a new replica must not rely on earlier bytes).
  void reset_selected_db() { selected_db_ = -1; }

 private:
  void encode(Args argv);
  // Room for `n` more bytes at data_ + size_.
  char* grow(size_t n);

  // A plain byte array rather than a std::string: the encoder runs for every
  // write, and memcpy into reserved space is several times cheaper than
  // appends.
  std::unique_ptr<char[]> data_;
  size_t size_ = 0;
  size_t capacity_ = 0;
  int selected_db_ = -1;
  uint64_t effects_ = 0;
  // The open group: how deep, and where it started (to drop it if empty).
  int group_depth_ = 0;
  size_t group_start_ = 0;
  int group_start_db_ = -1;
  uint64_t group_start_effects_ = 0;
};

// Turns deletions the keyspace makes on its own (a key found past its deadline,
// or reclaimed by the active cycle) into DEL effects, so that a replay never
// depends on when it runs, and into `expired` notifications.
class ExpiryEffects : public KeyspaceListener {
 public:
  ExpiryEffects(EffectSink* sink, const KeyspaceEvents* events) : sink_(sink), events_(events) {}
  void on_expired(int db, std::string_view key) override {
    events_->notify(notify::kExpired, "expired", db, key);
    std::string_view argv[] = {"DEL", key};
    sink_->emit(db, argv);
  }

 private:
  EffectSink* sink_;
  const KeyspaceEvents* events_;
};

}  // namespace vireo
