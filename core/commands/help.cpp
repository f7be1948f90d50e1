#include "core/commands/help.h"

#include <fmt/format.h>

namespace vireo {

void reply_help(ReplyWriter& reply, std::string_view command,
                std::span<const std::string_view> lines) {
  reply.array(lines.size() + 3);
  reply.simple(fmt::format("{} <subcommand> [<arg> [value] [opt] ...]. Subcommands are:", command));
  for (std::string_view line : lines)
    reply.simple(line);
  reply.simple("HELP");
  reply.simple("    Prints this help.");
}

void reply_bad_subcommand(ReplyWriter& reply, std::string_view subcommand,
                          std::string_view command) {
  reply.error(
      fmt::format("ERR unknown subcommand or wrong number of arguments for '{}'. Try {} HELP.",
                  subcommand.substr(0, 128), command));
}

}  // namespace vireo
