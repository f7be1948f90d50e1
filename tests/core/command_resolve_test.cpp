#include <boost/test/unit_test.hpp>

#include "core/command_table.h"
#include "core/context.h"
#include "tests/core/command_fixture.h"

using namespace vireo;
using namespace vireo::test;

namespace {

void bare_handler(CommandContext& ctx, Args) {
  ctx.reply.simple("bare");
}
void sub_handler(CommandContext& ctx, Args) {
  ctx.reply.simple("sub");
}

const CommandSpec kSubcommands[] = {
    {.name = "sub", .arity = 2, .handler = sub_handler},
};

// Containers shaped like COMMAND (own handler, arity -1), like OBJECT (no
// handler) and one with a handler that still needs an argument.
const CommandSpec kContainers[] = {
    {.name = "testbox", .arity = -1, .handler = bare_handler, .subcommands = kSubcommands},
    {.name = "testcrate", .arity = -2, .subcommands = kSubcommands},
    {.name = "testjar", .arity = -2, .handler = bare_handler, .subcommands = kSubcommands},
};

}  // namespace

BOOST_AUTO_TEST_SUITE(command_resolve)

BOOST_AUTO_TEST_CASE(container_with_handler_runs_it_when_called_bare) {
  CommandFixture f;
  f.table().add(kContainers);
  BOOST_TEST(f.run({"testbox"}) == simple("bare"));
  BOOST_TEST(f.run({"TESTBOX"}) == simple("bare"));
  BOOST_TEST(f.table().find("testbox")->stats.calls == 2u);
}

BOOST_AUTO_TEST_CASE(container_with_handler_still_dispatches_subcommands) {
  CommandFixture f;
  f.table().add(kContainers);
  BOOST_TEST(f.run({"testbox", "sub"}) == simple("sub"));
  BOOST_TEST(f.run({"testbox", "SUB"}) == simple("sub"));
  BOOST_TEST(f.run({"testbox", "nope"}) ==
             error("ERR unknown subcommand 'nope'. Try TESTBOX HELP."));
  BOOST_TEST(f.run({"testbox", "sub", "extra"}) ==
             error("ERR wrong number of arguments for 'testbox|sub' command"));
  BOOST_TEST(f.table().find("testbox")->stats.calls == 0u);
}

BOOST_AUTO_TEST_CASE(container_without_handler_needs_a_subcommand) {
  CommandFixture f;
  f.table().add(kContainers);
  BOOST_TEST(f.run({"testcrate"}) ==
             error("ERR wrong number of arguments for 'testcrate' command"));
  BOOST_TEST(f.table().find("testcrate")->stats.rejected_calls == 1u);
  BOOST_TEST(f.run({"testcrate", "sub"}) == simple("sub"));
}

BOOST_AUTO_TEST_CASE(bare_container_is_held_to_its_own_arity) {
  CommandFixture f;
  f.table().add(kContainers);
  BOOST_TEST(f.run({"testjar"}) == error("ERR wrong number of arguments for 'testjar' command"));
  BOOST_TEST(f.table().find("testjar")->stats.rejected_calls == 1u);
  BOOST_TEST(f.table().find("testjar")->stats.calls == 0u);
}

BOOST_AUTO_TEST_SUITE_END()
