#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace vireo {

// Which replication history the data in a directory continues, recorded in
// a small file beside the log, so that a restart can go on with that history
// (and its replicas with a partial resync) instead of starting a new one.
//
// Two writers, with different promises:
// - A replica records its primary's id when a full sync lands. Its log then
//   holds only records of that history, so after any restart, a crash
//   included, it can continue from its log's end.
// - A primary records its own id and the stream's end at a clean exit only,
//   once everything it streamed is durable. After a crash its log may lack
//   records that its replicas already hold, so it must not claim the history
//   then: start-up removes the record before anything new is written.
struct ReplicationHistory {
  std::string replid;           // 40 characters; empty when nothing is recorded
  std::optional<uint64_t> end;  // a primary's: the stream's end at its clean exit
};

// A fresh, random replication id: 40 lowercase hex digits.
std::string new_replication_id();

// What `dir` records; an empty replid when nothing (or nothing readable) is.
ReplicationHistory read_replication_history(const std::string& dir);
// Records `history` in `dir`, whole or not at all. Returns "" or why not.
std::string record_replication_history(const std::string& dir, const ReplicationHistory& history);
// Removes the record, durably: a crash afterwards does not bring it back.
// Returns "" or why not.
std::string forget_replication_history(const std::string& dir);

}  // namespace vireo
