#pragma once

#include <memory>
#include <string_view>

#include "core/context.h"

namespace vireo {

// Writes the result of a STORE form (SINTERSTORE, ZUNIONSTORE, ZRANGESTORE,
// SORT ... STORE) to `key`, replacing whatever it held, TTL included;
// `value` is a non-empty container of `type`. The destination is looked up
// first, so a stale one expires (and is announced "expired") as in Redis.
// Redis overwrites a live destination in place: only a key that did not
// exist is announced "new" (n).
inline void store_container(CommandContext& ctx, std::string_view key, ValueType type,
                            std::unique_ptr<Container> value) {
  Database& db = ctx.db();
  const bool existed = db.find(key) != nullptr;
  if (existed) db.erase(key);
  Entry* e = Entry::make_container(key, type, std::move(value), false);
  e->set_access_clock(db.fresh_access());
  if (!existed) {
    db.adopt(e, kNoExpiry);
    return;
  }
  // The database announces every key it adopts; mute that for an overwrite.
  KeyspaceEvents& events = ctx.keyspace.events();
  const uint32_t flags = events.flags();
  events.set_flags(flags & ~notify::kNew);
  db.adopt(e, kNoExpiry);
  events.set_flags(flags);
}

}  // namespace vireo
