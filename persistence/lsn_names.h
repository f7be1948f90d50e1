#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace vireo {

// File names that carry a log position, zero-padded to 20 digits so that
// names sort as positions do: log segments (wal-<LSN>.log) and checkpoints
// (checkpoint-<LSN>.vck).
std::string lsn_file_name(std::string_view prefix, uint64_t lsn, std::string_view suffix);
// The position in `name`, if it is `prefix` + 20 digits + `suffix`.
std::optional<uint64_t> parse_lsn_file_name(std::string_view name, std::string_view prefix,
                                            std::string_view suffix);

}  // namespace vireo
