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
  while (!stream.empty()) {
    parser_.reset();
    RequestParser::Status status = parser_.parse(stream, parse_limits_);
    if (status == RequestParser::Status::kIncomplete) return "the stream ends inside a command";
    if (status == RequestParser::Status::kError) return std::string(parser_.error());
    Args args = parser_.args();
    const size_t consumed = parser_.consumed();
    if (args.empty() || iequals(args[0], "MULTI") || iequals(args[0], "EXEC")) {
      // A group's frame: a record holds whole groups, so it applies whole.
      stream.remove_prefix(consumed);
      continue;
    }
    if (iequals(args[0], "SELECT")) {
      auto db = args.size() == 2 ? parse_int64(args[1]) : std::nullopt;
      if (!db || *db < 0 || *db >= keyspace_.count())
        return "SELECT of a database that does not exist";
      client_.db = static_cast<int>(*db);
      stream.remove_prefix(consumed);
      continue;
    }
    const Command* cmd = commands_.find(args[0]);
    if (!cmd || !cmd->spec->handler || !(cmd->spec->flags & kWrite)) {
      return fmt::format("'{}' is not an effect", std::string_view(args[0]).substr(0, 64));
    }
    ReplyWriter writer(&reply_, 3);
    CommandContext ctx(keyspace_, client_, writer, discard_, commands_, limits_);
    cmd->spec->handler(ctx, args);
    ++applied_;
    if (!reply_.empty()) {
      std::string_view first[1];
      reply_.peek(first);
      if (!first[0].empty() && first[0][0] == '-') {
        std::string error(first[0].substr(1, first[0].find('\r') - 1));
        reply_.clear();
        return fmt::format("the effect '{}' failed: {}", cmd->full_name, error);
      }
      reply_.clear();
    }
    stream.remove_prefix(consumed);
  }
  return "";
}

}  // namespace vireo
