#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>

#include "tests/core/command_fixture.h"

namespace vireo::test {

// Everything observable about one key at a given instant.
struct KeyImage {
  std::string type;
  std::string value;  // a container's contents in a canonical order
  int64_t deadline = kNoExpiry;
  std::string encoding;  // OBJECT ENCODING, when asked for
  bool operator==(const KeyImage&) const = default;
};
using KeyspaceImage = std::map<std::pair<int, std::string>, KeyImage>;

// Every live key of every database of `f`'s keyspace, containers read through
// their own read commands; with `encodings`, also what OBJECT ENCODING says.
KeyspaceImage image_of(CommandFixture& f, bool encodings = false);

// The keys on which two images differ, with both versions (labelled by the
// names given), to explain a failure; empty when they agree.
std::string difference(const KeyspaceImage& expected, const KeyspaceImage& actual,
                       std::string_view expected_name = "expected",
                       std::string_view actual_name = "actual");

}  // namespace vireo::test
