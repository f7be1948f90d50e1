#include "core/command.h"

#include <array>

namespace vireo {

std::span<const std::string_view> flag_names() {
  static constexpr std::array<std::string_view, 17> kNames = {
      "write",        "readonly",    "denyoom",    "admin",         "pubsub",   "noscript",
      "loading",      "stale",       "fast",       "no_auth",       "blocking", "skip_monitor",
      "skip_slowlog", "may_replicate", "no_multi", "allow_busy",    "movablekeys"};
  return kNames;
}

std::span<const std::string_view> acl_names() {
  static constexpr std::array<std::string_view, 21> kNames = {
      "keyspace", "read",   "write",    "set",        "sortedset", "list",       "hash",
      "string",   "bitmap", "hyperloglog", "geo",     "stream",    "pubsub",     "admin",
      "fast",     "slow",   "blocking", "dangerous",  "connection", "transaction", "scripting"};
  return kNames;
}

}  // namespace vireo
