#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>

namespace vireo {

// Counts error replies by their code (the first word: ERR, WRONGTYPE, NOAUTH...),
// behind INFO's errorstats section and total_error_replies. At most kMaxCodes
// distinct codes get their own counter, as Redis caps them, so that clients
// inventing codes (DEBUG ERROR) cannot grow it without bound; past that only
// the total counts.
class ErrorStats {
 public:
  static constexpr size_t kMaxCodes = 128;

  // Records one error reply; `text` is the reply without its leading '-'.
  void count(std::string_view text);
  // Every error reply recorded since the last clear().
  uint64_t total() const { return total_; }
  // Calls `visit(code, count)` for each tracked code, in byte order (as Redis lists them).
  void for_each(const std::function<void(std::string_view, uint64_t)>& visit) const;
  void clear();

 private:
  std::map<std::string, uint64_t, std::less<>> by_code_;
  uint64_t total_ = 0;
};

}  // namespace vireo
