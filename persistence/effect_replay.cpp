#include "persistence/effect_replay.h"

#include <fmt/format.h>

#include <cstdint>

#include "core/ascii.h"
#include "core/strconv.h"

namespace vireo {

EffectReplayer::EffectReplayer(Keyspace& keyspace, const CommandTable& commands,
                               const CommandLimits& limits)
    : keyspace_(keyspace), commands_(commands), limits_(limits) {
  // The stream was written by a server: no client-side limit applies.
  parse_limits_.max_bulk_len = INT64_MAX;
  parse_limits_.max_inline_len = SIZE_MAX;
}

std::string EffectReplayer::apply(std::string_view stream) {
  size_t next = 0;    // the ring slot of the next command to run
  size_t parsed = 0;  // commands parsed but not run, from `next` on
  while (true) {
    while (parsed < kParseAhead && !stream.empty()) {
      Ahead& a = ahead_[(next + parsed) % kParseAhead];
      a.parser.reset();
      a.status = a.parser.parse(stream, parse_limits_);
      ++parsed;
      if (a.status != RequestParser::Status::kComplete) {
        stream = {};  // reported in its turn, after the commands before it ran
        break;
      }
      stream.remove_prefix(a.parser.consumed());
      // Most effects name their key first; a wrong guess costs nothing.
      Args args = a.parser.args();
      if (args.size() >= 2) keyspace_.db(client_.db).prefetch(args[1]);
    }
    if (parsed == 0) return "";
    const Ahead& a = ahead_[next];
    next = (next + 1) % kParseAhead;
    --parsed;
    if (a.status == RequestParser::Status::kIncomplete) return "the stream ends inside a command";
    if (a.status == RequestParser::Status::kError) return std::string(a.parser.error());
    if (std::string error = run(a.parser.args()); !error.empty()) return error;
  }
}

std::string EffectReplayer::run(Args args) {
  if (args.empty() || iequals(args[0], "MULTI") || iequals(args[0], "EXEC")) {
    // A group's frame: a record holds whole groups, so it applies whole.
    return "";
  }
  if (iequals(args[0], "SELECT")) {
    auto db = args.size() == 2 ? parse_int64(args[1]) : std::nullopt;
    if (!db || *db < 0 || *db >= keyspace_.count())
      return "SELECT of a database that does not exist";
    client_.db = static_cast<int>(*db);
    return "";
  }
  const Command* cmd = commands_.find(args[0]);
  if (!cmd || !cmd->spec->handler || !(cmd->spec->flags & kWrite)) {
    return fmt::format("'{}' is not an effect", std::string_view(args[0]).substr(0, 64));
  }
  ReplyWriter writer(&reply_, 3);
  CommandContext ctx(keyspace_, client_, writer, discard_, commands_, limits_);
  cmd->spec->handler(ctx, args);
  ++applied_;
  if (reply_.empty()) return "";
  std::string_view first[1];
  reply_.peek(first);
  std::string error;
  if (!first[0].empty() && first[0][0] == '-') {
    error = fmt::format("the effect '{}' failed: {}", cmd->full_name,
                        first[0].substr(1, first[0].find('\r') - 1));
  }
  reply_.clear();
  return error;
}

}  // namespace vireo
