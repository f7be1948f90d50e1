#pragma once

#include <string>
#include <string_view>

namespace vireo {

// Case-insensitive ASCII comparison, for option keywords and setting names.
bool iequals(std::string_view a, std::string_view b);

// `s` with ASCII letters lowered, for case-insensitive lookups by name.
std::string ascii_lower(std::string_view s);

}  // namespace vireo
