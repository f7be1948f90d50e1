#include "server/unsynced_keys.h"

#include <algorithm>

#include "core/command_table.h"

namespace vireo {

void UnsyncedKeys::set_enabled(bool enabled) {
  if (enabled_ == enabled) return;
  enabled_ = enabled;
  keys_.clear();
  open_.clear();
  written_.clear();
  whole_keyspace_ = 0;
}

void UnsyncedKeys::note(int db, std::string_view key) {
  std::string_view slot = db_key_name(db, key, scratch_);
  auto it = keys_.find(slot);
  if (it == keys_.end()) {
    keys_.emplace(std::string(slot), kOpenBatch);
  } else if (it->second == kOpenBatch) {
    return;  // already listed in the open batch
  } else {
    it.value() = kOpenBatch;
  }
  open_.emplace_back(slot);
}

void UnsyncedKeys::emit(int db, Args argv) {
  next_->emit(db, argv);
  if (!enabled_) return;
  const Command* cmd = commands_->find(argv[0]);
  const std::string_view cmd_name = cmd ? cmd->spec->name : std::string_view();
  // Changes to other databases or to all keys: every read waits for them.
  const bool whole = !cmd || cmd_name == "flushall" || cmd_name == "flushdb" ||
                     cmd_name == "swapdb" || cmd_name == "move" ||
                     (cmd_name == "copy" && argv.size() > 3);
  if (whole) {
    whole_keyspace_ = kOpenBatch;
    return;
  }
  find_request_keys(*cmd->spec, argv, refs_);
  for (const KeyRef& k : refs_)
    note(db, argv[k.pos]);
}

void UnsyncedKeys::batch_written(uint64_t lsn) {
  if (whole_keyspace_ == kOpenBatch) whole_keyspace_ = lsn;
  if (open_.empty()) return;
  for (const std::string& slot : open_) {
    auto it = keys_.find(slot);
    if (it != keys_.end() && it->second == kOpenBatch) it.value() = lsn;
  }
  written_.emplace_back(lsn, std::move(open_));
  open_.clear();
}

void UnsyncedKeys::durable(uint64_t lsn) {
  if (whole_keyspace_ != kOpenBatch && whole_keyspace_ <= lsn) whole_keyspace_ = 0;
  while (!written_.empty() && written_.front().first <= lsn) {
    for (const std::string& slot : written_.front().second) {
      auto it = keys_.find(slot);
      // A later write of the same key keeps it listed.
      if (it != keys_.end() && it->second <= lsn) keys_.erase(it);
    }
    written_.pop_front();
  }
}

uint64_t UnsyncedKeys::newest() const {
  if (!open_.empty() || whole_keyspace_ == kOpenBatch) return kOpenBatch;
  return std::max(written_.empty() ? 0 : written_.back().first, whole_keyspace_);
}

uint64_t UnsyncedKeys::wait_for_read(const CommandSpec& spec, Args args, int db) {
  if (keys_.empty() && whole_keyspace_ == 0) return 0;
  if (!has_key_arguments(spec) || spec.name == "exec") return newest();
  uint64_t wait = whole_keyspace_;
  find_request_keys(spec, args, refs_);
  for (const KeyRef& k : refs_) {
    auto it = keys_.find(db_key_name(db, args[k.pos], scratch_));
    if (it != keys_.end()) wait = std::max(wait, it->second);
  }
  return wait;
}

}  // namespace vireo
