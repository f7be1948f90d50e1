#pragma once

// What strings_test.cpp and string_ranges_test.cpp share: reply texts, a
// look at a key's entry, and a hand-made list to see WRONGTYPE.

#include <boost/test/unit_test.hpp>

#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "core/database.h"
#include "core/entry.h"
#include "core/types/list_value.h"
#include "tests/core/command_fixture.h"

namespace vireo::test {

inline const std::string kEmpty = "$0\r\n\r\n";

inline vireo::Database& db0(CommandFixture& f) {
  f.keyspace().set_now(f.now());
  return f.keyspace().db(0);
}

// The absolute deadline of `key`, kNoExpiry without one, -2 when the key is absent.
inline int64_t deadline_of(CommandFixture& f, std::string_view key) {
  vireo::Entry* e = db0(f).find(key);
  return e ? db0(f).deadline(e) : -2;
}

// Whether `key` (which must exist) would report OBJECT ENCODING "raw".
inline bool is_raw(CommandFixture& f, std::string_view key) {
  vireo::Entry* e = db0(f).find(key);
  BOOST_REQUIRE(e);
  return e->raw_flag();
}

// Stores a list at `key`, to see how string commands treat other types. No container
// family exists yet, so this is a hand-made entry of type list whose container pointer
// is null. Replace it with RPUSH once lists exist.
// Puts a one-element list at `key` in database 0 (a wrong-type key for the
// string commands), directly, so that it leaves no effect behind.
inline void put_list(CommandFixture& f, std::string_view key) {
  auto list = std::make_unique<vireo::ListValue>(vireo::ContainerLimits{});
  list->push_back("x");
  db0(f).adopt(vireo::Entry::make_container(key, vireo::ValueType::kList, std::move(list), false),
               vireo::kNoExpiry);
}

}  // namespace vireo::test
