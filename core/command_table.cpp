#include "core/command_table.h"

#include <fmt/format.h>

#include <chrono>

#include "core/ascii.h"
#include "core/context.h"
#include "core/resp/reply_writer.h"

namespace vireo {
namespace {

constexpr size_t kMaxNameLen = 64;

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

std::string_view lower_name(std::string_view name, char* buf) {
  if (name.size() > kMaxNameLen) return {};
  for (size_t i = 0; i < name.size(); ++i) {
    buf[i] = ascii_fold(name[i]);
  }
  return {buf, name.size()};
}

const Command* Command::find_subcommand(std::string_view name) const {
  char buf[kMaxNameLen];
  std::string_view lower = lower_name(name, buf);
  for (const auto& sub : subcommands) {
    if (sub->spec->name == lower) return sub.get();
  }
  return nullptr;
}

void CommandTable::add(std::span<const CommandSpec> family) {
  for (const CommandSpec& spec : family) {
    auto cmd = std::make_unique<Command>();
    cmd->spec = &spec;
    cmd->full_name = std::string(spec.name);
    for (const CommandSpec& sub : spec.subcommands) {
      auto child = std::make_unique<Command>();
      child->spec = &sub;
      child->full_name = fmt::format("{}|{}", spec.name, sub.name);
      child->parent = cmd.get();
      cmd->subcommands.push_back(std::move(child));
    }
    by_name_[spec.name] = cmd.get();
    commands_.push_back(std::move(cmd));
  }
}

const Command* CommandTable::find(std::string_view name) const {
  char buf[kMaxNameLen];
  std::string_view lower = lower_name(name, buf);
  if (lower.empty()) return nullptr;
  auto it = by_name_.find(lower);
  return it == by_name_.end() ? nullptr : it->second;
}

const Command* CommandTable::resolve(std::span<const std::string_view> args,
                                     ReplyWriter& reply) const {
  std::string error;
  const Command* refused = nullptr;
  const Command* cmd = resolve(args, &error, &refused);
  if (!cmd) {
    if (refused) ++refused->stats.rejected_calls;
    reply.error(error);
  }
  return cmd;
}

const Command* CommandTable::resolve(std::span<const std::string_view> args, std::string* error,
                                     const Command** refused) const {
  const Command* cmd = find(args[0]);
  if (!cmd) {
    // Redis quotes at most 128 bytes of the name and of the arguments.
    *error =
        fmt::format("ERR unknown command '{}', with args beginning with: ", args[0].substr(0, 128));
    std::string quoted;
    for (size_t i = 1; i < args.size() && quoted.size() < 128; ++i) {
      quoted += fmt::format("'{}' ", args[i].substr(0, 128 - quoted.size()));
    }
    *error += quoted;
    return nullptr;
  }
  // A container with a handler of its own (COMMAND) runs it when called
  // without a subcommand; any other container needs one.
  if (!cmd->subcommands.empty() && (args.size() >= 2 || !cmd->spec->handler)) {
    if (args.size() < 2) {
      *refused = cmd;
      *error = fmt::format("ERR wrong number of arguments for '{}' command", cmd->full_name);
      return nullptr;
    }
    const Command* sub = cmd->find_subcommand(args[1]);
    if (!sub) {
      *error = fmt::format("ERR unknown subcommand '{}'. Try {} HELP.", args[1].substr(0, 128),
                           upper(cmd->full_name));
      return nullptr;
    }
    cmd = sub;
  }
  if (!arity_ok(cmd->spec->arity, args.size())) {
    *refused = cmd;
    *error = fmt::format("ERR wrong number of arguments for '{}' command", cmd->full_name);
    return nullptr;
  }
  return cmd;
}

uint64_t invoke(CommandContext& ctx, const Command& cmd, std::span<const std::string_view> args) {
  using Clock = std::chrono::steady_clock;
  uint64_t errors_before = ctx.reply.errors();
  Clock::time_point start = Clock::now();
  cmd.spec->handler(ctx, args);
  auto usec = static_cast<uint64_t>(
      std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - start).count());
  ++cmd.stats.calls;
  cmd.stats.usec += usec;
  if (ctx.reply.errors() != errors_before) ++cmd.stats.failed_calls;
  return usec;
}

void CommandTable::reset_stats() const {
  for (const auto& cmd : commands_) {
    cmd->stats = {};
    for (const auto& sub : cmd->subcommands)
      sub->stats = {};
  }
}

}  // namespace vireo
