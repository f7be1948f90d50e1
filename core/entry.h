#pragma once

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string_view>
#include <utility>

#include "core/types/container.h"

namespace vireo {

enum class ValueType : uint8_t { kString = 0, kList = 1, kHash = 2, kSet = 3, kZSet = 4 };

// Redis's name for a type, as TYPE and SCAN TYPE spell it.
std::string_view type_name(ValueType type);

// One key and its value in a single heap block, so that a small string key
// costs one allocation and no pointers beyond the table's own slot:
//
//   [flags u8][access clock u24][expiry slot u32, if has_expiry]
//   [key length varint][key bytes][value]
//
// where a string value is [length varint][bytes] — or, from kOutOfLineBytes on,
// [pointer][length] to a buffer of its own, so that a large value is never
// copied to rename its key or to change its header — and any other type keeps
// its Container object itself, aligned, at the end of the block: a small hash
// or sorted set is then this block and its packed data, one allocation fewer
// (and one pointer hop fewer) than a block pointing at its container. An Entry
// is always handled by pointer; the functions that change its size return the
// (possibly moved) new pointer, and only the Database that owns it may call
// them, because it must repoint the table slot and the expiry index at the new
// address. A container moves with its block (Container::relocate), so a
// Container* is as short-lived as the Entry* it came from.
class Entry {
 public:
  Entry() = delete;
  Entry(const Entry&) = delete;
  Entry& operator=(const Entry&) = delete;

  // A new string entry; `with_expiry` reserves the expiry slot.
  static Entry* make_string(std::string_view key, std::string_view value, bool with_expiry);
  // A new entry of a container type (list, hash, set, zset) taking over
  // `value` (moved into the block; the heap object is freed).
  static Entry* make_container(std::string_view key, ValueType type,
                               std::unique_ptr<Container> value, bool with_expiry);
  // A new entry holding a T built in place from `args`.
  template <class T, class... Args>
  static Entry* emplace_container(std::string_view key, bool with_expiry, Args&&... args) {
    Entry* e = allocate_container(static_cast<uint8_t>(T::kType) | (with_expiry ? kHasExpiry : 0),
                                  key, sizeof(T));
    try {
      ::new (e->container_storage()) T(std::forward<Args>(args)...);
    } catch (...) {
      std::free(e);
      throw;
    }
    return e;
  }
  // Frees the block (and, for containers, the container).
  static void destroy(Entry* e);
  // Replaces the string value; returns the entry's new address.
  static Entry* set_string(Entry* e, std::string_view value);
  // Appends to the string value in place when the block has room, else grows
  // it geometrically, so that repeated appends cost amortised O(1) per byte.
  // `tail` must not point into `e`. Returns the entry's new address.
  static Entry* append_string(Entry* e, std::string_view tail);
  // Adds or drops the expiry slot; returns the entry's new address.
  static Entry* set_has_expiry(Entry* e, bool has_expiry);
  // A deep copy under another key, without the expiry slot unless asked.
  static Entry* clone(const Entry* e, std::string_view new_key, bool with_expiry);
  // The same value under another key, consuming `e`: a large value moves
  // without being copied (RENAME stays O(1) in the value's size).
  static Entry* rekey(Entry* e, std::string_view new_key, bool with_expiry);

  // String values from this size on live in a buffer of their own.
  static constexpr size_t kOutOfLineBytes = 16 * 1024;

  ValueType type() const { return static_cast<ValueType>(bytes()[0] & kTypeMask); }
  bool has_expiry() const { return bytes()[0] & kHasExpiry; }
  std::string_view key() const;
  std::string_view string_value() const;
  // The value of a container entry (type() != kString). Downcast by type():
  // a kList entry holds a ListValue, and so on.
  Container* container() const;
  template <class T>
  T* value_as() const {
    return static_cast<T*>(container());
  }
  // Elements a deletion would free: 1 for a string.
  size_t element_count() const { return type() == ValueType::kString ? 1 : container()->size(); }

  // Strings changed in place by APPEND/SETRANGE report encoding "raw", as Redis does.
  bool raw_flag() const { return bytes()[0] & kRawFlag; }
  void set_raw_flag(bool raw);

  // Slot of this key in its database's ExpiryIndex; valid when has_expiry().
  uint32_t expiry_slot() const;
  void set_expiry_slot(uint32_t slot);

  // The access clock (seconds, 24 bits, wrapping) behind OBJECT IDLETIME.
  uint32_t access_clock() const;
  void set_access_clock(uint32_t clock);

  // Bytes this entry occupies (its block and any value buffer), for memory
  // accounting.
  size_t allocation_size() const;

 private:
  static constexpr uint8_t kTypeMask = 0x07;
  static constexpr uint8_t kHasExpiry = 0x08;
  static constexpr uint8_t kRawFlag = 0x10;
  static constexpr uint8_t kOutOfLine = 0x20;  // the string value is [pointer][length]
  static constexpr size_t kHeaderBytes = 4;

  const unsigned char* bytes() const { return reinterpret_cast<const unsigned char*>(this); }
  unsigned char* bytes() { return reinterpret_cast<unsigned char*>(this); }
  size_t key_offset() const { return kHeaderBytes + (has_expiry() ? 4 : 0); }
  size_t value_offset() const;
  bool out_of_line() const { return bytes()[0] & kOutOfLine; }
  // The size of this block alone (without an out-of-line value buffer).
  size_t block_size() const;
  // Where the value of a block with `flags` and `key` starts.
  static size_t value_offset_for(uint8_t flags, std::string_view key);
  static Entry* allocate(uint8_t flags, std::string_view key, size_t value_bytes);
  // A block for a container of `object_bytes`, the object not yet built.
  static Entry* allocate_container(uint8_t flags, std::string_view key, size_t object_bytes);
  // Moves a container entry to a new block with `flags` and `key` (the access
  // clock comes along; an expiry slot is left for the caller); frees `e`.
  static Entry* move_container(Entry* e, uint8_t flags, std::string_view key);
  // Where the container object starts: the value offset, aligned.
  size_t container_offset() const {
    return (value_offset() + kContainerAlign - 1) & ~(kContainerAlign - 1);
  }
  void* container_storage() { return bytes() + container_offset(); }
  // A new string block for `key` whose header bytes (flags but the
  // representation bit, clock, expiry slot) come from `like`; the value is
  // copied in, or for a large one a fresh buffer is made.
  static Entry* build_string(const Entry* like, uint8_t flags, std::string_view key,
                             std::string_view value);
  // Points an out-of-line entry at (buffer, length).
  void set_buffer(char* buffer, size_t length);
};

// How a table finds an Entry's key.
struct EntryKey {
  std::string_view operator()(const Entry* e) const { return e->key(); }
};

}  // namespace vireo
