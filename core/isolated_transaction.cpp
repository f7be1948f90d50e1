#include "core/isolated_transaction.h"

#include <fmt/format.h>

#include "core/ascii.h"

namespace vireo {
namespace {

// Whether a command names every key it touches, so that swapping in just
// those keys shows it the transaction's whole view. SET's key spec has
// variable flags, but its position is exact; SORT and SORT_RO also read the
// keys their BY and GET patterns build, which no spec names.
bool names_all_its_keys(const CommandSpec& spec) {
  if (spec.key_specs.empty() || spec.name == "sort" || spec.name == "sort_ro") return false;
  for (const KeySpec& k : spec.key_specs) {
    if ((k.flags & kKeyIncomplete) || k.begin_search.type == BeginSearch::kUnknown ||
        k.find_keys.type == FindKeys::kUnknown) {
      return false;
    }
  }
  return true;
}

}  // namespace

IsolatedTransaction::IsolatedTransaction(Keyspace& keyspace, int db, WatchedKeys& watched)
    : keyspace_(keyspace), db_(db), watched_(watched) {
  levels_.emplace_back();
}

IsolatedTransaction::~IsolatedTransaction() {
  discard_all();
}

std::string_view IsolatedTransaction::refusal(const CommandSpec& spec, Args args) {
  const std::string_view name = spec.name;
  if (spec.flags & kBlocking) return "ERR blocking commands are not allowed inside BEGIN";
  if (spec.flags & kPubsub) return "ERR pub/sub commands are not allowed inside BEGIN";
  if (name == "select") return "ERR SELECT is not allowed inside BEGIN";
  if (name == "multi" || name == "exec" || name == "discard" || name == "watch" ||
      name == "unwatch") {
    return "ERR MULTI, EXEC, DISCARD, WATCH and UNWATCH are not allowed inside BEGIN";
  }
  // Whole-database writes and writes to another database would have to
  // copy what they do not name.
  if (name == "flushdb" || name == "flushall" || name == "swapdb" || name == "move") {
    return "ERR FLUSHDB, FLUSHALL, SWAPDB and MOVE are not allowed inside BEGIN";
  }
  if (name == "copy") {
    for (size_t i = 3; i < args.size(); ++i)
      if (iequals(args[i], "db")) return "ERR COPY ... DB is not allowed inside BEGIN";
  }
  // A write must name its keys (in its specs or through getkeys): the
  // transaction copies what it will change before it runs.
  if ((spec.flags & kWrite) && !spec.getkeys && !names_all_its_keys(spec)) {
    return "ERR this command is not allowed inside BEGIN";
  }
  return {};
}

void IsolatedTransaction::LevelSink::emit(int db, Args argv) {
  txn_->levels_.back().effects.emplace_back(db, std::vector<std::string>(argv.begin(), argv.end()));
}

void IsolatedTransaction::publish(std::string_view channel, std::string_view message) {
  levels_.back().notifications.emplace_back(channel, message);
}

void IsolatedTransaction::on_expired(int db, std::string_view key) {
  // Every key of the transaction's own that a command can reach is swapped
  // in while it runs (named keys, or all of them), so ownership decides.
  if (db == db_ && own_.contains(key)) {
    keyspace_.events().notify(notify::kExpired, "expired", db, key);
    std::string_view argv[] = {"DEL", key};
    sink_.emit(db, argv);
    return;
  }
  // A committed key, found expired by a command that reads keys it does not
  // name: a real deletion, with its real effect and notification.
  EventPublisher* mine = keyspace_.events().set_publisher(real_publisher_);
  if (real_listener_) real_listener_->on_expired(db, key);
  keyspace_.events().set_publisher(mine);
}

void IsolatedTransaction::touch(std::string_view key) {
  if (touched_.contains(key)) return;
  // Settle the committed key first: one already past its deadline goes now,
  // as a real deletion, so that only later changes count as conflicts.
  keyspace_.db(db_).settle(key);
  watched_.watch(&watch_, db_, key);
  touched_.emplace(key);
}

void IsolatedTransaction::own(std::string_view key) {
  auto it = own_.find(key);
  bool had = it != own_.end();
  if (!had) {
    Database& db = keyspace_.db(db_);
    Version v;
    if (const Entry* committed = db.find(key)) {
      v.deadline = db.deadline(committed);
      v.entry = Entry::clone(committed, key, v.deadline != kNoExpiry);
    }
    it = own_.emplace(std::string(key), v).first;
  }
  // The outermost level needs no undo: rolling it back drops everything.
  if (levels_.size() < 2) return;
  Level& level = levels_.back();
  if (level.undo.contains(key)) return;
  Version before;
  if (had && it->second.entry) {
    before.entry = Entry::clone(it->second.entry, key, it->second.deadline != kNoExpiry);
    before.deadline = it->second.deadline;
  }
  level.undo.emplace(std::string(key), Level::Undo{had, before});
}

void IsolatedTransaction::swap_in(std::string_view key, bool may_repeat) {
  auto it = own_.find(key);
  if (it == own_.end()) return;
  if (may_repeat) {
    // A command names few keys, sometimes one twice (MGET k k).
    for (const Swapped& s : swapped_)
      if (s.key == key) return;
  }
  Database& db = keyspace_.db(db_);
  Swapped s{std::string(key), {}};
  s.committed.entry = db.detach(key, &s.committed.deadline);
  Version& mine = it.value();
  if (mine.entry) db.adopt(mine.entry, mine.deadline);
  mine.entry = nullptr;  // lent to the database until swap_out
  swapped_.push_back(std::move(s));
}

void IsolatedTransaction::swap_out() {
  Database& db = keyspace_.db(db_);
  for (Swapped& s : swapped_) {
    Version& mine = own_.find(s.key).value();
    mine.entry = db.detach(s.key, &mine.deadline);
    if (!mine.entry) mine.deadline = kNoExpiry;
    if (s.committed.entry) db.adopt(s.committed.entry, s.committed.deadline);
  }
  swapped_.clear();
}

void IsolatedTransaction::run(const CommandSpec& spec, Args args, FnRef<void()> command) {
  find_request_keys(spec, args, keys_);
  for (const KeyRef& k : keys_)
    touch(args[k.pos]);
  if (spec.flags & kWrite) {
    for (const KeyRef& k : keys_)
      own(args[k.pos]);
  }
  // Swapping adds and removes keys: no notification, no blocked client may
  // hear of it. During the command, both go to the transaction.
  KeyspaceEvents& events = keyspace_.events();
  real_publisher_ = events.set_publisher(nullptr);
  real_listener_ = keyspace_.listener();
  keyspace_.set_listener(this);
  if (names_all_its_keys(spec)) {
    for (const KeyRef& k : keys_)
      swap_in(args[k.pos], /*may_repeat=*/true);
  } else if (spec.flags & (kReadonly | kWrite)) {
    for (const auto& [key, version] : own_)
      swap_in(key, /*may_repeat=*/false);
  }
  events.set_publisher(this);
  command();
  events.set_publisher(nullptr);
  swap_out();
  keyspace_.set_listener(real_listener_);
  events.set_publisher(real_publisher_);
}

IsolatedTransaction::Outcome IsolatedTransaction::commit(EffectSink& sink) {
  if (levels_.size() > 1) {
    Level inner = std::move(levels_.back());
    levels_.pop_back();
    Level& outer = levels_.back();
    for (auto& e : inner.effects)
      outer.effects.push_back(std::move(e));
    for (auto& n : inner.notifications)
      outer.notifications.push_back(std::move(n));
    // The parent's older snapshot of a key wins; the outermost keeps none.
    for (auto it = inner.undo.begin(); it != inner.undo.end(); ++it) {
      if (levels_.size() > 1 && !outer.undo.contains(it->first)) {
        outer.undo.emplace(it->first, it->second);
      } else {
        destroy(it.value().before);
      }
    }
    return Outcome::kMerged;
  }
  // A touched key past its deadline counts as changed, as for WATCH.
  Database& db = keyspace_.db(db_);
  for (const std::string& key : touched_)
    db.settle(key);
  if (watch_.dirty) {
    discard_all();
    return Outcome::kConflict;
  }
  watched_.unwatch_all(&watch_);
  // Installing the versions is not an event of its own: the notifications
  // the commands published are released below instead.
  EventPublisher* publisher = keyspace_.events().set_publisher(nullptr);
  for (auto it = own_.begin(); it != own_.end(); ++it) {
    db.erase(it->first);
    if (it->second.entry) db.adopt(it->second.entry, it->second.deadline);
  }
  keyspace_.events().set_publisher(publisher);
  own_.clear();
  touched_.clear();
  Level done = std::move(levels_.back());
  levels_.clear();
  sink.begin_group();
  std::vector<std::string_view> argv;
  for (const auto& [effect_db, args] : done.effects) {
    argv.assign(args.begin(), args.end());
    sink.emit(effect_db, argv);
  }
  sink.end_group();
  if (publisher) {
    for (const auto& [channel, message] : done.notifications)
      publisher->publish(channel, message);
  }
  return Outcome::kApplied;
}

void IsolatedTransaction::rollback() {
  if (levels_.size() <= 1) {
    discard_all();
    return;
  }
  Level& level = levels_.back();
  for (const auto& [key, u] : level.undo) {
    auto it = own_.find(key);
    destroy(it.value());
    if (u.had) {
      it.value() = u.before;
    } else {
      own_.erase(it);
    }
  }
  levels_.pop_back();
}

void IsolatedTransaction::destroy(Version& v) {
  if (v.entry) Entry::destroy(v.entry);
  v.entry = nullptr;
}

void IsolatedTransaction::discard_all() {
  for (Level& level : levels_)
    for (auto it = level.undo.begin(); it != level.undo.end(); ++it)
      destroy(it.value().before);
  levels_.clear();
  for (auto it = own_.begin(); it != own_.end(); ++it)
    destroy(it.value());
  own_.clear();
  touched_.clear();
  watched_.unwatch_all(&watch_);
}

}  // namespace vireo
