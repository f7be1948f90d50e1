#include <boost/test/unit_test.hpp>

#include <string>

#include "core/commands/help.h"
#include "core/resp/reply_buffer.h"

using namespace vireo;

namespace {

std::string drain(ReplyBuffer& buf) {
  std::string out;
  std::string_view views[16];
  while (!buf.empty()) {
    size_t n = buf.peek(views);
    size_t taken = 0;
    for (size_t i = 0; i < n; ++i) {
      out += views[i];
      taken += views[i].size();
    }
    buf.consume(taken);
  }
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(help_replies)

BOOST_AUTO_TEST_CASE(help_frames_the_lines) {
  ReplyBuffer buf;
  ReplyWriter w(&buf, 2);
  reply_help(w, "SLOWLOG", {"LEN", "    Count."});
  BOOST_TEST(drain(buf) ==
             "*5\r\n+SLOWLOG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n"
             "+LEN\r\n+    Count.\r\n+HELP\r\n+    Prints this help.\r\n");
}

// Bytes as redis-server 7.0.15 sends them for `client pause 10 write x`.
BOOST_AUTO_TEST_CASE(bad_subcommand_quotes_the_subcommand_as_typed) {
  ReplyBuffer buf;
  ReplyWriter w(&buf, 3);
  reply_bad_subcommand(w, "pause", "CLIENT");
  BOOST_TEST(drain(buf) ==
             "-ERR unknown subcommand or wrong number of arguments for 'pause'. "
             "Try CLIENT HELP.\r\n");
  BOOST_TEST(w.errors() == 1u);
}

BOOST_AUTO_TEST_SUITE_END()
