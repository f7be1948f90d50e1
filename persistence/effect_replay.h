#pragma once

#include <array>
#include <string>
#include <string_view>

#include "core/command_table.h"
#include "core/context.h"
#include "core/effects.h"
#include "core/keyspace.h"
#include "core/resp/reply_buffer.h"
#include "core/resp/request_parser.h"

namespace vireo {

// Applies effect streams (the RESP the log and replicas carry) to a keyspace:
// recovery replaying the log, and later a replica applying its primary's
// stream. Each effect runs through the same command handler that produced
// it, with the keyspace in replaying mode (no key expires mid-replay) and its
// own effects discarded. Not thread-safe.
class EffectReplayer {
 public:
  EffectReplayer(Keyspace& keyspace, const CommandTable& commands, const CommandLimits& limits);

  // Applies every effect in `stream` (whole commands: one log record, say).
  // Returns "" or what went wrong: bytes that are not RESP, an unknown
  // command, or an effect that failed (any of which means the stream was
  // not written by Vireo, or a bug).
  std::string apply(std::string_view stream);

  // Effects applied so far.
  uint64_t applied() const { return applied_; }

 private:
  // Drops the effects of replayed commands (a DEL of an expired key found by
  // a lookup cannot happen while replaying; anything else is the stream's).
  struct DiscardSink : EffectSink {
    void emit(int, Args) override {}
  };
  // A command parsed before its turn, so that the memory its key needs is
  // fetched while the commands before it run: in a large replay nearly every
  // key's table bucket is a cache miss.
  struct Ahead {
    RequestParser parser;
    RequestParser::Status status = RequestParser::Status::kIncomplete;
  };
  static constexpr size_t kParseAhead = 4;

  // Applies one parsed command; returns "" or what went wrong.
  std::string run(Args args);

  Keyspace& keyspace_;
  const CommandTable& commands_;
  const CommandLimits& limits_;
  ClientState client_;
  DiscardSink discard_;
  std::array<Ahead, kParseAhead> ahead_;
  ParseLimits parse_limits_;
  ReplyBuffer reply_;
  uint64_t applied_ = 0;
};

}  // namespace vireo
