#include "server/replication_history.h"

#include <fmt/format.h>

#include <charconv>
#include <cstdio>
#include <random>

#include "persistence/durable_file.h"

namespace vireo {
namespace {

constexpr size_t kIdLength = 40;
// The id, then the end after a space for a primary's record ("<id>" or
// "<id> <end>"); the replica's form is the one earlier versions wrote.
constexpr const char* kFileName = "primary-replication-id";

}  // namespace

std::string new_replication_id() {
  std::random_device rd;
  std::string id(kIdLength, '0');
  for (char& c : id)
    c = "0123456789abcdef"[rd() & 15];
  return id;
}

ReplicationHistory read_replication_history(const std::string& dir) {
  ReplicationHistory history;
  FILE* f = std::fopen((dir + "/" + kFileName).c_str(), "r");
  if (!f) return history;
  char buf[128];
  const size_t got = std::fread(buf, 1, sizeof buf, f);
  std::fclose(f);
  const std::string_view text(buf, got);
  if (text.size() < kIdLength) return history;
  const std::string_view rest = text.substr(kIdLength);
  if (rest.empty()) {
    history.replid = text.substr(0, kIdLength);
  } else if (rest.front() == ' ') {
    // A damaged end claims nothing: the id alone would let a restarted
    // primary continue a history its data may not end where.
    const std::string_view digits = rest.substr(1);
    uint64_t end = 0;
    const auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), end);
    if (!digits.empty() && ec == std::errc() && ptr == digits.data() + digits.size()) {
      history.replid = text.substr(0, kIdLength);
      history.end = end;
    }
  }
  return history;
}

std::string record_replication_history(const std::string& dir, const ReplicationHistory& history) {
  std::string text = history.replid;
  if (history.end) text += fmt::format(" {}", *history.end);
  return replace_file_durably(dir, kFileName, text);
}

std::string forget_replication_history(const std::string& dir) {
  return remove_file_durably(dir, kFileName);
}

}  // namespace vireo
