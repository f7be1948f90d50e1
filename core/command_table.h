#pragma once

#include <tsl/robin_map.h>

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/command.h"

namespace vireo {

class ReplyWriter;

// Counters behind INFO commandstats.
struct CommandStats {
  uint64_t calls = 0;
  uint64_t usec = 0;
  uint64_t rejected_calls = 0;  // refused before running (arity, auth, OOM...)
  uint64_t failed_calls = 0;    // ran and replied with an error
};

// A registered command: its spec, its statistics and its subcommands.
struct Command {
  const CommandSpec* spec;
  std::string full_name;  // "get", "client|list"
  const Command* parent = nullptr;
  mutable CommandStats stats;
  std::vector<std::unique_ptr<Command>> subcommands;

  const Command* find_subcommand(std::string_view name) const;
};

// Every command the server knows, looked up case-insensitively without
// allocating. Built once at start-up from the families' static spec arrays.
class CommandTable {
 public:
  // Registers a family of commands.
  void add(std::span<const CommandSpec> family);

  // The command called `name` (any case), or nullptr.
  const Command* find(std::string_view name) const;

  // Resolves a request to the command (or subcommand) that will run it. On an
  // unknown command or subcommand or a wrong argument count, writes the error
  // Redis gives, counts a rejected call where Redis does, and returns nullptr.
  const Command* resolve(std::span<const std::string_view> args, ReplyWriter& reply) const;
  // The same, leaving the error in `*error` instead of replying it, and the
  // command whose argument count was wrong in `*refused` (untouched when the
  // command or subcommand is unknown). Counts nothing.
  const Command* resolve(std::span<const std::string_view> args, std::string* error,
                         const Command** refused) const;

  // All top-level commands, in registration order.
  const std::vector<std::unique_ptr<Command>>& all() const { return commands_; }
  size_t size() const { return commands_.size(); }

  // Zeroes every command's statistics (CONFIG RESETSTAT).
  void reset_stats() const;

 private:
  std::vector<std::unique_ptr<Command>> commands_;
  tsl::robin_map<std::string_view, const Command*> by_name_;
};

class CommandContext;

// Runs a resolved command: calls its handler and updates its statistics.
// Returns how long the handler ran, in microseconds (SLOWLOG, commandstats).
uint64_t invoke(CommandContext& ctx, const Command& cmd, std::span<const std::string_view> args);

// True when `args.size()` satisfies `arity` (-N: at least N).
inline bool arity_ok(int arity, size_t argc) {
  return arity >= 0 ? argc == static_cast<size_t>(arity) : argc >= static_cast<size_t>(-arity);
}

// Copies `name` lower-cased into `buf` (which must hold 64 bytes); returns the
// view, or an empty view when it does not fit.
std::string_view lower_name(std::string_view name, char* buf);

}  // namespace vireo
