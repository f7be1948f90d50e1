#include "core/effects.h"

#include <boost/test/unit_test.hpp>
#include <string>

#include "tests/core/command_fixture.h"

using vireo::RespEffectEncoder;
using vireo::test::decode_commands;

namespace {

using Commands = std::vector<std::vector<std::string>>;

void emit(RespEffectEncoder& e, int db, std::initializer_list<std::string_view> argv) {
  e.emit(db, vireo::Args(argv));
}

}  // namespace

BOOST_AUTO_TEST_SUITE(effects)

BOOST_AUTO_TEST_CASE(a_group_inside_a_group_merges_into_it) {
  RespEffectEncoder e;
  e.begin_group();
  emit(e, 0, {"DEL", "a"});
  e.begin_group();  // e.g. SORT ... STORE inside MULTI/EXEC
  emit(e, 0, {"RPUSH", "a", "x"});
  e.end_group();
  emit(e, 1, {"SET", "b", "1"});
  e.end_group();
  BOOST_TEST(decode_commands(e.bytes()) == (Commands{{"MULTI"},
                                                     {"SELECT", "0"},
                                                     {"DEL", "a"},
                                                     {"RPUSH", "a", "x"},
                                                     {"SELECT", "1"},
                                                     {"SET", "b", "1"},
                                                     {"EXEC"}}));
}

BOOST_AUTO_TEST_CASE(an_empty_group_leaves_nothing_and_keeps_the_selected_db) {
  RespEffectEncoder e;
  emit(e, 2, {"SET", "k", "v"});
  const std::string before(e.bytes());
  e.begin_group();
  e.begin_group();
  e.end_group();
  e.end_group();
  BOOST_TEST(std::string(e.bytes()) == before);
  BOOST_TEST(e.effect_count() == 1u);
  emit(e, 2, {"DEL", "k"});  // still on db 2: no SELECT
  BOOST_TEST(decode_commands(e.bytes()) ==
             (Commands{{"SELECT", "2"}, {"SET", "k", "v"}, {"DEL", "k"}}));
}

BOOST_AUTO_TEST_SUITE_END()
