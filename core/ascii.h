#pragma once

#include <string>
#include <string_view>

namespace vireo {

// `c` lowered if it is an ASCII capital. Command names, keywords and glob
// patterns fold like this in Redis (strcasecmp and tolower in the C locale);
// inline because it runs per byte of every command name looked up.
inline char ascii_fold(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c | 0x20) : c;
}

// Case-insensitive ASCII comparison, for option keywords and setting names.
bool iequals(std::string_view a, std::string_view b);

// `s` with ASCII letters lowered, for case-insensitive lookups by name.
std::string ascii_lower(std::string_view s);

}  // namespace vireo
