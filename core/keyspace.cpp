#include "core/keyspace.h"

namespace vireo {

Keyspace::Keyspace(int databases) {
  dbs_.reserve(databases);
  for (int i = 0; i < databases; ++i)
    dbs_.push_back(std::make_unique<Database>(i, &env_));
}

size_t Keyspace::expire_cycle(size_t max_keys) {
  // Small slices per database so that one database full of due keys cannot
  // starve the others within a cycle.
  constexpr size_t kSlice = 256;
  if (env_.deadlines != Deadlines::kEnforced) return 0;
  size_t removed = 0;
  int idle_dbs = 0;
  while (removed < max_keys && idle_dbs < count()) {
    Database& db = *dbs_[next_expire_db_];
    size_t n = db.expire_due(env_.now_ms, std::min(kSlice, max_keys - removed));
    removed += n;
    idle_dbs = n < kSlice ? idle_dbs + 1 : 0;
    next_expire_db_ = (next_expire_db_ + 1) % count();
  }
  return removed;
}

size_t Keyspace::total_keys() const {
  size_t n = 0;
  for (const auto& db : dbs_)
    n += db->size();
  return n;
}

}  // namespace vireo
