#include "server/unsynced_keys.h"

#include <algorithm>

#include "core/ascii.h"
#include "core/command_table.h"
#include "core/hash.h"

namespace vireo {

void UnsyncedKeys::set_enabled(bool enabled) {
  if (enabled_ == enabled) return;
  enabled_ = enabled;
  keys_.clear();
  open_.clear();
  written_.clear();
  whole_keyspace_ = 0;
}

uint64_t UnsyncedKeys::fingerprint(int db, std::string_view key) {
  // The database moves the key's hash to an unrelated value (a multiply by
  // an odd constant is a bijection), so one key in two databases differs.
  return hash_bytes(key) ^ (static_cast<uint64_t>(db) + 1) * 0x9E3779B97F4A7C15ull;
}

const Command* UnsyncedKeys::command_of(std::string_view name) {
  if (last_command_ && iequals(name, last_command_->spec->name)) return last_command_;
  const Command* cmd = commands_->find(name);
  if (cmd) last_command_ = cmd;
  return cmd;
}

void UnsyncedKeys::note(int db, std::string_view key) {
  const uint64_t id = fingerprint(db, key);
  auto [it, added] = keys_.try_emplace(id, kOpenBatch);
  if (!added) {
    if (it->second == kOpenBatch) return;  // already listed in the open batch
    it.value() = kOpenBatch;
  }
  open_.push_back(id);
}

void UnsyncedKeys::emit(int db, Args argv) {
  next_->emit(db, argv);
  if (!enabled_) return;
  const Command* cmd = command_of(argv[0]);
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
  for (uint64_t id : open_) {
    auto it = keys_.find(id);
    if (it != keys_.end() && it->second == kOpenBatch) it.value() = lsn;
  }
  written_.emplace_back(lsn, std::move(open_));
  open_.clear();
  if (!spare_.empty()) {
    open_.swap(spare_.back());
    spare_.pop_back();
  }
}

void UnsyncedKeys::durable(uint64_t lsn) {
  if (whole_keyspace_ != kOpenBatch && whole_keyspace_ <= lsn) whole_keyspace_ = 0;
  while (!written_.empty() && written_.front().first <= lsn) {
    std::vector<uint64_t>& ids = written_.front().second;
    for (uint64_t id : ids) {
      auto it = keys_.find(id);
      // A later write of the same key keeps it listed.
      if (it != keys_.end() && it->second <= lsn) keys_.erase(it);
    }
    if (spare_.size() < kSpareLists) {
      ids.clear();
      spare_.push_back(std::move(ids));
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
    auto it = keys_.find(fingerprint(db, args[k.pos]));
    if (it != keys_.end()) wait = std::max(wait, it->second);
  }
  return wait;
}

}  // namespace vireo
