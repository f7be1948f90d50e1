#include "core/resp/error_stats.h"

namespace vireo {

void ErrorStats::count(std::string_view text) {
  ++total_;
  std::string_view code = text.substr(0, text.find(' '));
  auto it = by_code_.find(code);  // heterogeneous: no allocation for a known code
  if (it != by_code_.end()) {
    ++it->second;
  } else if (by_code_.size() < kMaxCodes) {
    by_code_.emplace(code, 1);
  }
}

void ErrorStats::for_each(const std::function<void(std::string_view, uint64_t)>& visit) const {
  for (const auto& [code, n] : by_code_)
    visit(code, n);
}

void ErrorStats::clear() {
  by_code_.clear();
  total_ = 0;
}

}  // namespace vireo
