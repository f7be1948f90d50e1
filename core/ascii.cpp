#include "core/ascii.h"

namespace vireo {

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (ascii_fold(a[i]) != ascii_fold(b[i])) {
      return false;
    }
  }
  return true;
}

std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    c = ascii_fold(c);
  return out;
}

}  // namespace vireo
