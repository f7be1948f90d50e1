#pragma once
// PROVISIONAL: replaced by helper/strconv on merge.
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace vireo {
std::optional<int64_t> parse_int64(std::string_view s);
std::optional<uint64_t> parse_uint64(std::string_view s);
std::optional<double> parse_double(std::string_view s);
std::optional<long double> parse_long_double(std::string_view s);
char* format_int64(int64_t v, char* out);
std::string_view format_double(double v, std::span<char, 32> buf);
std::string_view format_long_double(long double v, std::span<char, 64> buf);
}  // namespace vireo
