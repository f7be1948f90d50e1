#pragma once

#include <string_view>

#include "core/entry.h"

namespace vireo {

// What OBJECT and DEBUG OBJECT report about a value, in Redis's terms, kept in
// one place so the two commands cannot disagree.

// OBJECT ENCODING's name: for strings "int" (a canonical int64), "embstr" (up
// to 44 bytes) or "raw" (longer, or grown in place by APPEND/SETRANGE); for
// containers, Redis's name for the equivalent state.
std::string_view encoding_name(const Entry& e);

// Whether Redis would hold this value as one of its shared integer objects
// (OBJECT REFCOUNT reports INT_MAX): an "int" string from 0 to 9999. Redis
// stops sharing them when keys need their own access clocks (maxmemory with
// an LRU or LFU policy); `sharing` says whether it currently does.
bool is_shared_integer(const Entry& e, bool sharing);

}  // namespace vireo
