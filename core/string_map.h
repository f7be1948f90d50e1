#pragma once

#include <tsl/robin_map.h>
#include <tsl/robin_set.h>

#include <functional>
#include <string>
#include <string_view>

#include "core/hash.h"

namespace vireo {

// Hashes owned strings and the string_views that look them up alike, so a
// lookup by a request's argument allocates nothing.
struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return hash_bytes(s); }
};

// Maps and sets keyed by std::string, searchable by std::string_view.
template <class T>
using StringMap = tsl::robin_map<std::string, T, StringHash, std::equal_to<>>;
using StringSet = tsl::robin_set<std::string, StringHash, std::equal_to<>>;

// "<db>\0<key>": one string naming a key of one database, for maps of keys
// across databases (WATCH, un-synced writes). Built in `scratch`, which the
// returned view points into, so a lookup allocates nothing once it has grown.
std::string_view db_key_name(int db, std::string_view key, std::string& scratch);

}  // namespace vireo
