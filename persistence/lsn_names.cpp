#include "persistence/lsn_names.h"

#include <fmt/format.h>

namespace vireo {
namespace {

constexpr size_t kLsnDigits = 20;

}  // namespace

std::string lsn_file_name(std::string_view prefix, uint64_t lsn, std::string_view suffix) {
  return fmt::format("{}{:0{}}{}", prefix, lsn, kLsnDigits, suffix);
}

std::optional<uint64_t> parse_lsn_file_name(std::string_view name, std::string_view prefix,
                                            std::string_view suffix) {
  if (name.size() != prefix.size() + kLsnDigits + suffix.size() || !name.starts_with(prefix) ||
      !name.ends_with(suffix)) {
    return std::nullopt;
  }
  uint64_t lsn = 0;
  for (char c : name.substr(prefix.size(), kLsnDigits)) {
    if (c < '0' || c > '9' || lsn > (UINT64_MAX - 9) / 10) return std::nullopt;
    lsn = lsn * 10 + static_cast<uint64_t>(c - '0');
  }
  return lsn;
}

}  // namespace vireo
