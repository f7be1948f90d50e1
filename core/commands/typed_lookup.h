#pragma once

#include <memory>
#include <string_view>

#include "core/context.h"
#include "core/errors.h"

namespace vireo {

// Key lookups for the container families (lists, hashes, sets, sorted sets).
// `T` is the family's value class: it derives from Container, names its
// `static constexpr ValueType kType`, and is constructible from the
// ContainerLimits it starts under.

// A lookup that expects a `T`: the value, or nothing (absent), or
// `wrong_type` when the key holds another type, in which case WRONGTYPE has
// already been replied and the command must stop.
template <class T>
struct Typed {
  Entry* entry = nullptr;
  T* value = nullptr;
  bool wrong_type = false;
};

namespace detail {
template <class T>
Typed<T> typed(CommandContext& ctx, Entry* e) {
  if (!e) return {};
  if (e->type() != T::kType) {
    ctx.reply.error(kErrWrongType);
    return {e, nullptr, true};
  }
  return {e, e->value_as<T>(), false};
}
}  // namespace detail

// A read lookup (counts a keyspace hit or miss; see Database::find_for_read).
template <class T>
Typed<T> read_value(CommandContext& ctx, std::string_view key,
                    Database::Touch touch = Database::Touch::kYes) {
  return detail::typed<T>(ctx, ctx.db().find_for_read(key, touch));
}

// A write-side lookup, for commands that change the value when it exists.
template <class T>
Typed<T> write_value(CommandContext& ctx, std::string_view key) {
  return detail::typed<T>(ctx, ctx.db().find_and_touch(key));
}

// The value under `key`, created empty when absent (for pushes and adds; the
// caller must add at least one element before the command ends, since Redis
// never keeps an empty collection). nullptr after a WRONGTYPE reply.
template <class T>
T* value_or_create(CommandContext& ctx, std::string_view key) {
  Typed<T> found = write_value<T>(ctx, key);
  if (found.wrong_type) return nullptr;
  if (found.value) return found.value;
  Database& db = ctx.db();
  Entry* e = Entry::emplace_container<T>(key, false, ctx.limits.containers);
  e->set_access_clock(db.fresh_access());
  return db.adopt(e, kNoExpiry)->template value_as<T>();
}

// Deletes `key` when its collection has become empty, as Redis does after
// every removal; returns whether it did.
inline bool erase_if_empty(CommandContext& ctx, std::string_view key, const Container& value) {
  if (value.size() != 0) return false;
  ctx.db().erase(key);
  return true;
}

// erase_if_empty for a command that has published its own event: Redis
// follows it with "del" when the command took the last element.
inline bool erase_if_empty_notify(CommandContext& ctx, std::string_view key,
                                  const Container& value) {
  if (!erase_if_empty(ctx, key, value)) return false;
  ctx.notify(notify::kGeneric, "del", key);
  return true;
}

}  // namespace vireo
