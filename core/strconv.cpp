// PROVISIONAL: replaced by helper/strconv on merge.
#include "core/strconv.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace vireo {
std::optional<int64_t> parse_int64(std::string_view s) {
  if (s.empty() || s.size() > 20) return std::nullopt;
  bool neg = s[0] == '-';
  size_t i = neg ? 1 : 0;
  if (i == s.size()) return std::nullopt;
  if (s[i] == '0' && s.size() > i + 1) return std::nullopt;
  uint64_t v = 0;
  for (; i < s.size(); ++i) {
    if (s[i] < '0' || s[i] > '9') return std::nullopt;
    uint64_t d = s[i] - '0';
    if (v > (UINT64_MAX - d) / 10) return std::nullopt;
    v = v * 10 + d;
  }
  if (neg) {
    if (v > uint64_t{1} << 63) return std::nullopt;
    return static_cast<int64_t>(0 - v);
  }
  if (v > static_cast<uint64_t>(INT64_MAX)) return std::nullopt;
  return static_cast<int64_t>(v);
}
std::optional<uint64_t> parse_uint64(std::string_view s) {
  if (s.empty() || s.size() > 20) return std::nullopt;
  uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    uint64_t d = c - '0';
    if (v > (UINT64_MAX - d) / 10) return std::nullopt;
    v = v * 10 + d;
  }
  return v;
}
std::optional<double> parse_double(std::string_view s) {
  if (s.empty() || s.size() > 256 || std::isspace(static_cast<unsigned char>(s[0])))
    return std::nullopt;
  std::string t(s);
  char* end;
  double d = std::strtod(t.c_str(), &end);
  if (end != t.c_str() + t.size() || std::isnan(d)) return std::nullopt;
  return d;
}
std::optional<long double> parse_long_double(std::string_view s) {
  if (s.empty() || s.size() > 5000 || std::isspace(static_cast<unsigned char>(s[0])))
    return std::nullopt;
  std::string t(s);
  char* end;
  long double d = std::strtold(t.c_str(), &end);
  if (end != t.c_str() + t.size() || std::isnan(d) || std::isinf(d)) return std::nullopt;
  return d;
}
char* format_int64(int64_t v, char* out) {
  char tmp[24];
  uint64_t u = v < 0 ? 0 - static_cast<uint64_t>(v) : static_cast<uint64_t>(v);
  int n = 0;
  do {
    tmp[n++] = static_cast<char>('0' + u % 10);
    u /= 10;
  } while (u);
  if (v < 0) *out++ = '-';
  while (n) *out++ = tmp[--n];
  return out;
}
std::string_view format_double(double v, std::span<char, 32> buf) {
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  int n = std::snprintf(buf.data(), buf.size(), "%.17g", v);
  return {buf.data(), static_cast<size_t>(n)};
}
std::string_view format_long_double(long double v, std::span<char, 64> buf) {
  int n = std::snprintf(buf.data(), buf.size(), "%.17Lf", v);
  std::string_view s(buf.data(), static_cast<size_t>(n));
  if (s.find('.') != std::string_view::npos) {
    while (s.back() == '0') s.remove_suffix(1);
    if (s.back() == '.') s.remove_suffix(1);
  }
  return s;
}
}  // namespace vireo
