#include "core/string_map.h"

#include "core/strconv.h"

namespace vireo {

std::string_view db_key_name(int db, std::string_view key, std::string& scratch) {
  char digits[24];
  scratch.assign(digits, static_cast<size_t>(format_int64(db, digits) - digits));
  scratch.push_back('\0');
  scratch.append(key);
  return scratch;
}

}  // namespace vireo
