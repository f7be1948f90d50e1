#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/command.h"
#include "core/effects.h"
#include "core/fn_ref.h"
#include "core/keyspace.h"
#include "core/notifications.h"
#include "core/string_map.h"
#include "core/watched_keys.h"

namespace vireo {

// A key's value in an IsolatedTransaction's view: an entry the transaction
// owns, or none (it deleted the key, or the key did not exist). At namespace
// scope because the class's maps hold it (a nested type with default member
// initializers is incomplete for them until the class ends).
struct TransactionVersion {
  Entry* entry = nullptr;
  int64_t deadline = kNoExpiry;
};

// A BEGIN ... COMMIT transaction of one connection, with nested savepoints
// (see README, "BEGIN / COMMIT / ROLLBACK").
//
// The transaction keeps its own version of every key it has written, outside
// the keyspace, so nobody else can see it. To run one of its commands, those
// versions are swapped into the database for the keys the command names
// (all of them for commands that read keys they do not name: KEYS, SCAN,
// DBSIZE, RANDOMKEY, SORT), the command runs as usual, and they are swapped
// back out. The command therefore works unchanged, for every type, TTLs
// included; its effects and notifications are held back per savepoint and
// released only by the outermost COMMIT. Nothing else runs during a command
// (one thread), so no other client ever observes the swap.
//
// Conflicts are optimistic: every key a command names is watched from the
// first time the transaction touches it, and the outermost COMMIT applies
// nothing if any of them changed meanwhile.
class IsolatedTransaction : private KeyspaceListener, private EventPublisher {
 public:
  // Opens a transaction (depth 1) on database `db`.
  IsolatedTransaction(Keyspace& keyspace, int db, WatchedKeys& watched);
  // Rolls back whatever is still open.
  ~IsolatedTransaction();
  IsolatedTransaction(const IsolatedTransaction&) = delete;
  IsolatedTransaction& operator=(const IsolatedTransaction&) = delete;

  int db() const { return db_; }
  // 1 after the first BEGIN, +1 per nested BEGIN.
  size_t depth() const { return levels_.size(); }
  // Opens a savepoint (a nested BEGIN).
  void begin() { levels_.emplace_back(); }

  // Why `spec` with `args` may not run inside the transaction (a Redis-style
  // error text), or an empty view when it may.
  static std::string_view refusal(const CommandSpec& spec, Args args);

  // Where the transaction's commands must send their effects: they are held
  // in the innermost savepoint until the outermost COMMIT.
  EffectSink& effects() { return sink_; }
  // Runs one command in the transaction's view: `command` is called with
  // the keys swapped in, and must send its effects to effects().
  void run(const CommandSpec& spec, Args args, FnRef<void()> command);

  enum class Outcome { kMerged, kApplied, kConflict };
  // Closes the innermost level. A savepoint merges into its parent
  // (kMerged). The outermost level applies every change to the keyspace,
  // emits all effects to `sink` as one atomic group and publishes the held
  // notifications (kApplied), unless a touched key changed
  // since it was first touched: then nothing is applied (kConflict). After
  // kApplied or kConflict the transaction is over (depth() == 0).
  Outcome commit(EffectSink& sink);
  // Discards the innermost level's changes; at the outermost level, all.
  void rollback();

 private:
  using Version = TransactionVersion;
  // A savepoint: the versions its first writes replaced (to restore on
  // ROLLBACK), and what it produced so far.
  struct Level {
    // The version before this level first wrote the key; `had` false when
    // the transaction had no version of it then.
    struct Undo {
      bool had;
      Version before;
    };
    StringMap<Undo> undo;  // by key
    std::vector<std::pair<int, std::vector<std::string>>> effects;
    std::vector<std::pair<std::string, std::string>> notifications;
  };
  // Collects the running command's effects into the innermost level.
  class LevelSink : public EffectSink {
   public:
    explicit LevelSink(IsolatedTransaction* txn) : txn_(txn) {}
    void emit(int db, Args argv) override;

   private:
    IsolatedTransaction* txn_;
  };

  // KeyspaceListener, while a command runs: the transaction's own keys
  // expire into its effects; anyone else's into the real listener.
  void on_expired(int db, std::string_view key) override;
  // EventPublisher, while a command runs.
  void publish(std::string_view channel, std::string_view message) override;

  // Watches `key` from its first touch on.
  void touch(std::string_view key);
  // Gives the transaction its own copy of `key` (first write), and records
  // what a savepoint would restore.
  void own(std::string_view key);
  // Lends the transaction's version of `key` to the database for one
  // command; `may_repeat` when the same key may come twice.
  void swap_in(std::string_view key, bool may_repeat);
  void swap_out();
  static void destroy(Version& v);
  void discard_all();

  Keyspace& keyspace_;
  int db_;
  WatchedKeys& watched_;
  KeyWatch watch_;
  StringMap<Version> own_;  // keys written, by name
  StringSet touched_;       // keys named by any of its commands
  std::vector<Level> levels_;
  LevelSink sink_{this};

  // While a command runs: the committed entries swapped out, by key.
  struct Swapped {
    std::string key;
    Version committed;
  };
  std::vector<Swapped> swapped_;
  KeyspaceListener* real_listener_ = nullptr;
  EventPublisher* real_publisher_ = nullptr;
  std::vector<KeyRef> keys_;  // reused by run()
};

}  // namespace vireo
