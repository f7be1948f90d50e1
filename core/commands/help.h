#pragma once

#include <initializer_list>
#include <span>
#include <string_view>

#include "core/resp/reply_writer.h"

namespace vireo {

// `<COMMAND> HELP`: a usage line, then `lines` (alternately a subcommand's
// synopsis and its indented description), then HELP's own entry; each line
// a status reply, as Redis sends them.
void reply_help(ReplyWriter& reply, std::string_view command,
                std::span<const std::string_view> lines);
inline void reply_help(ReplyWriter& reply, std::string_view command,
                       std::initializer_list<std::string_view> lines) {
  reply_help(reply, command, std::span<const std::string_view>(lines.begin(), lines.size()));
}

// The error Redis gives when a known subcommand gets arguments it cannot take
// (SLOWLOG GET 1 2, CLIENT PAUSE 10 WRITE x, DEBUG SLEEP): `subcommand` as the
// client typed it, `command` in upper case.
void reply_bad_subcommand(ReplyWriter& reply, std::string_view subcommand,
                          std::string_view command);

}  // namespace vireo
