#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>
#include <string_view>
#include <type_traits>
#include <utility>

namespace vireo {

// The value behind a list, hash, set or sorted-set key. An Entry holds the
// object itself in its own block (see core/entry.h); everything that treats values generically
// (DEL, COPY, RENAME, OBJECT ENCODING, MEMORY USAGE, lazy freeing) goes
// through this interface, and the command families downcast to their own
// type, which the entry's ValueType tag makes safe.
//
// Each concrete type chooses a compact encoding while small and converts to a
// full one past the thresholds in ContainerLimits; conversions only go one way
// (as in Redis), so a collection that was large once stays in its full form.
class Container {
 public:
  virtual ~Container() = default;

  // A deep copy, in the same encoding (COPY).
  virtual std::unique_ptr<Container> clone() const = 0;
  // Elements (list items, hash fields, set or sorted-set members).
  virtual size_t size() const = 0;
  // Bytes allocated for this value, measured rather than estimated where the
  // allocator can tell (MEMORY USAGE, INFO memory).
  virtual size_t memory_usage() const = 0;
  // Redis's OBJECT ENCODING name for the equivalent state.
  virtual std::string_view encoding() const = 0;

  // The size of the concrete object, for the Entry that holds it in place.
  virtual size_t object_size() const = 0;
  // Move-constructs the concrete object at `to` (object_size() bytes, aligned
  // for any container) and ends its lifetime here; returns the moved object.
  // An Entry calls it when its block moves. Never fails: nothing is allocated.
  virtual Container* relocate(void* to) noexcept = 0;
};

// The alignment an Entry gives the container it holds.
inline constexpr size_t kContainerAlign = 8;

// Implements Container's object_size and relocate for `T` (derive as
// `class T : public ContainerOf<T>`), which must be nothrow movable: a move
// that could allocate would make relocation fallible.
template <class T>
class ContainerOf : public Container {
 public:
  size_t object_size() const final { return sizeof(T); }
  Container* relocate(void* to) noexcept final {
    static_assert(std::is_nothrow_move_constructible_v<T>, "relocation must not fail");
    static_assert(alignof(T) <= kContainerAlign);
    T& self = static_cast<T&>(*this);
    T* moved = ::new (to) T(std::move(self));
    self.~T();
    return moved;
  }
};

// The conversion thresholds, as Redis's settings of the same names; the server
// keeps them in sync with CONFIG SET.
struct ContainerLimits {
  // list-max-listpack-size: positive = items per node, negative = node size
  // class (-1 4 KiB, -2 8 KiB, -3 16 KiB, -4 32 KiB, -5 64 KiB).
  int list_max_listpack_size = -2;
  int64_t hash_max_listpack_entries = 512;
  int64_t hash_max_listpack_value = 64;
  int64_t set_max_intset_entries = 512;
  int64_t set_max_listpack_entries = 128;
  int64_t set_max_listpack_value = 64;
  int64_t zset_max_listpack_entries = 128;
  int64_t zset_max_listpack_value = 64;
};

}  // namespace vireo
