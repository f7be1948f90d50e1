#include "core/watched_keys.h"

#include <algorithm>

#include "core/ascii.h"
#include "core/command_table.h"
#include "core/strconv.h"

namespace vireo {

void WatchedKeys::watch(KeyWatch* w, int db, std::string_view key) {
  std::string_view name = db_key_name(db, key, scratch_);
  auto it = by_key_.find(name);
  if (it == by_key_.end()) it = by_key_.emplace(std::string(name), std::vector<KeyWatch*>()).first;
  std::vector<KeyWatch*>& watchers = it.value();
  if (std::find(watchers.begin(), watchers.end(), w) != watchers.end()) return;
  watchers.push_back(w);
  w->keys.emplace_back(db, key);
}

void WatchedKeys::unwatch_all(KeyWatch* w) {
  for (const auto& [db, key] : w->keys) {
    auto it = by_key_.find(db_key_name(db, key, scratch_));
    if (it == by_key_.end()) continue;
    std::erase(it.value(), w);
    if (it->second.empty()) by_key_.erase(it);
  }
  w->keys.clear();
  w->dirty = false;
}

void WatchedKeys::touch(int db, std::string_view key) {
  auto it = by_key_.find(db_key_name(db, key, scratch_));
  if (it == by_key_.end()) return;
  for (KeyWatch* w : it->second)
    w->dirty = true;
}

void WatchedKeys::touch_where(int db, const std::function<bool(std::string_view)>& present) {
  const std::string prefix = std::to_string(db) + '\0';
  for (const auto& [name, watchers] : by_key_) {
    if (!name.starts_with(prefix) || !present(std::string_view(name).substr(prefix.size()))) {
      continue;
    }
    for (KeyWatch* w : watchers)
      w->dirty = true;
  }
}

void WatchInvalidator::touch_keys(int db, Args argv) {
  const Command* cmd = commands_->find(argv[0]);
  if (!cmd) return;
  const std::string_view name = cmd->spec->name;
  if (name == "flushdb" || name == "flushall" || name == "swapdb") return;
  // The key arrives in another database too.
  if (name == "move" && argv.size() == 3) {
    if (auto target = parse_int64(argv[2])) watched_->touch(static_cast<int>(*target), argv[1]);
  }
  if (name == "copy") {
    for (size_t i = 3; i + 1 < argv.size(); ++i) {
      if (iequals(argv[i], "db")) {
        if (auto target = parse_int64(argv[i + 1])) {
          watched_->touch(static_cast<int>(*target), argv[2]);
          return;
        }
      }
    }
  }
  find_request_keys(*cmd->spec, argv, keys_);
  for (const KeyRef& k : keys_)
    watched_->touch(db, argv[k.pos]);
}

}  // namespace vireo
