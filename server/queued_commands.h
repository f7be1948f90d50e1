#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/command_table.h"

namespace vireo {

// The commands a client queued between MULTI and EXEC, with their arguments
// copied out of the query buffer (which moves on) into one arena: queueing a
// command appends bytes and offsets, with no allocation per argument.
class QueuedCommands {
 public:
  // Appends `cmd` with its request `args`.
  void add(const Command* cmd, std::span<const std::string_view> args) {
    commands_.push_back({cmd, static_cast<uint32_t>(ends_.size()), args.size()});
    for (std::string_view a : args) {
      arena_.append(a);
      ends_.push_back(arena_.size());
    }
  }
  size_t size() const { return commands_.size(); }
  bool empty() const { return commands_.empty(); }
  // Bytes held for queued arguments (CLIENT LIST multi-mem, the queue limit).
  size_t bytes() const {
    return arena_.capacity() + ends_.capacity() * sizeof(size_t) +
           commands_.capacity() * sizeof(Queued);
  }
  // Whether any queued command writes (EXEC then counts as a write: CLIENT
  // PAUSE WRITE holds it, a replica refuses it).
  bool any_with_flags(uint32_t flags) const {
    for (const Queued& q : commands_)
      if (q.cmd->spec->flags & flags) return true;
    return false;
  }

  // Calls `run(cmd, args)` for each queued command in order; `args` is valid
  // during the call.
  template <typename Run>
  void for_each(Run&& run) const {
    std::vector<std::string_view> args;
    for (const Queued& q : commands_) {
      args.clear();
      for (size_t i = 0; i < q.argc; ++i) {
        size_t end = ends_[q.first_arg + i];
        size_t begin = q.first_arg + i == 0 ? 0 : ends_[q.first_arg + i - 1];
        args.emplace_back(arena_.data() + begin, end - begin);
      }
      run(*q.cmd, std::span<const std::string_view>(args));
    }
  }

 private:
  struct Queued {
    const Command* cmd;
    uint32_t first_arg;  // index into ends_
    size_t argc;
  };
  std::string arena_;
  std::vector<size_t> ends_;  // end offset in arena_ of each argument
  std::vector<Queued> commands_;
};

}  // namespace vireo
