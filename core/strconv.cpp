#include "core/strconv.h"

#include <locale.h>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <memory>

namespace vireo {

namespace {

// isspace() in the C locale, which is the one Redis runs its parsing in.
constexpr bool is_c_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

constexpr bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// Redis hands these arguments to C functions that stop at the first NUL.
std::string_view cut_at_nul(std::string_view s) {
  return s.substr(0, s.find('\0'));
}

// strtod/strtold read the decimal point from LC_NUMERIC; always use the C locale's.
locale_t c_locale() {
  static const locale_t loc = newlocale(LC_ALL_MASK, "C", locale_t{});
  return loc;
}

// Copies `s` into a NUL-terminated buffer: on the stack when short, on the heap otherwise.
class CString {
 public:
  explicit CString(std::string_view s) {
    char* p =
        s.size() < sizeof(small_) ? small_ : (heap_ = std::make_unique<char[]>(s.size() + 1)).get();
    std::memcpy(p, s.data(), s.size());
    p[s.size()] = '\0';
    ptr_ = p;
  }
  const char* get() const { return ptr_; }

 private:
  char small_[257];
  std::unique_ptr<char[]> heap_;
  const char* ptr_;
};

// strtoull(s, &end, 10) on a NUL-free string, then "the whole string was used and no
// ERANGE": optional leading whitespace, optional sign, at least one digit, '-' negates
// modulo 2^64.
std::optional<uint64_t> strtoull_whole(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size() && is_c_space(s[i]))
    ++i;
  bool negative = false;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) negative = s[i++] == '-';
  if (i == s.size() || !is_digit(s[i])) return std::nullopt;  // no digits: end == s
  uint64_t v = 0;
  for (; i < s.size() && is_digit(s[i]); ++i) {
    const uint64_t d = static_cast<uint64_t>(s[i] - '0');
    if (v > (std::numeric_limits<uint64_t>::max() - d) / 10) return std::nullopt;  // ERANGE
    v = v * 10 + d;
  }
  if (i != s.size()) return std::nullopt;
  return negative ? uint64_t{0} - v : v;
}

}  // namespace

std::optional<int64_t> parse_int64(std::string_view s) {
  // string2ll: also refuses slen >= 21, which nothing canonical and in range can reach.
  if (s.empty() || s.size() >= kInt64Chars) return std::nullopt;
  if (s.size() == 1 && s[0] == '0') return 0;
  std::size_t i = 0;
  const bool negative = s[0] == '-';
  if (negative && ++i == s.size()) return std::nullopt;
  if (s[i] < '1' || s[i] > '9') return std::nullopt;  // no '+', no leading zero, no "-0"
  uint64_t v = 0;
  for (; i < s.size(); ++i) {
    if (!is_digit(s[i])) return std::nullopt;
    const uint64_t d = static_cast<uint64_t>(s[i] - '0');
    if (v > (std::numeric_limits<uint64_t>::max() - d) / 10) return std::nullopt;
    v = v * 10 + d;
  }
  constexpr uint64_t kMax = static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
  if (negative) {
    if (v > kMax + 1) return std::nullopt;
    return static_cast<int64_t>(uint64_t{0} - v);  // two's complement, exact for INT64_MIN
  }
  if (v > kMax) return std::nullopt;
  return static_cast<int64_t>(v);
}

std::optional<uint64_t> parse_uint64(std::string_view s) {
  s = cut_at_nul(s);
  if (auto ll = parse_int64(s)) {
    if (*ll < 0) return std::nullopt;  // string2ull rejects canonical negatives only
    return static_cast<uint64_t>(*ll);
  }
  return strtoull_whole(s);
}

std::optional<uint64_t> parse_scan_cursor(std::string_view s) {
  s = cut_at_nul(s);
  if (s.empty()) return 0;  // strtoul("") is 0 with end pointing at the NUL
  if (is_c_space(s[0])) return std::nullopt;
  return strtoull_whole(s);
}

std::optional<double> parse_double(std::string_view s) {
  if (s.empty() || is_c_space(s[0])) return std::nullopt;
  const CString cs(s);
  char* end = nullptr;
  errno = 0;
  const double v = strtod_l(cs.get(), &end, c_locale());
  const bool range_error = errno == ERANGE;
  if (static_cast<std::size_t>(end - cs.get()) != s.size()) return std::nullopt;
  if (range_error && (std::isinf(v) || v == 0)) return std::nullopt;
  if (std::isnan(v)) return std::nullopt;
  return v;
}

std::optional<ScoreBound> parse_score_bound(std::string_view s) {
  s = cut_at_nul(s);
  ScoreBound b{0, false};
  if (!s.empty() && s[0] == '(') {
    b.exclusive = true;
    s.remove_prefix(1);
  }
  const CString cs(s);
  char* end = nullptr;
  b.value = strtod_l(cs.get(), &end, c_locale());
  if (*end != '\0' || std::isnan(b.value)) return std::nullopt;
  return b;
}

std::optional<long double> parse_long_double(std::string_view s) {
  if (s.empty() || s.size() >= kLongDoubleChars) return std::nullopt;
  if (is_c_space(s[0])) return std::nullopt;
  char buf[kLongDoubleChars];
  std::memcpy(buf, s.data(), s.size());
  buf[s.size()] = '\0';
  char* end = nullptr;
  errno = 0;
  const long double v = strtold_l(buf, &end, c_locale());
  const bool range_error = errno == ERANGE;
  if (static_cast<std::size_t>(end - buf) != s.size()) return std::nullopt;
  if (range_error && (std::isinf(v) || v == 0)) return std::nullopt;
  if (std::isnan(v)) return std::nullopt;
  return v;
}

char* format_int64(int64_t v, char* out) {
  return std::to_chars(out, out + kInt64Chars, v).ptr;
}

char* format_uint64(uint64_t v, char* out) {
  return std::to_chars(out, out + kInt64Chars, v).ptr;
}

std::string_view format_double(double v, std::span<char, kDoubleChars> buf) {
  // std::to_chars with a precision is specified as printf's %.*g in the C locale, and it
  // spells infinities "inf"/"-inf" exactly as addReplyDouble does.
  const auto r =
      std::to_chars(buf.data(), buf.data() + buf.size(), v, std::chars_format::general, 17);
  return {buf.data(), static_cast<std::size_t>(r.ptr - buf.data())};
}

std::string_view format_long_double(long double v, std::span<char, kLongDoubleChars> buf) {
  if (std::isinf(v)) {  // ld2string spells these itself
    const std::string_view text = v > 0 ? "inf" : "-inf";
    std::memcpy(buf.data(), text.data(), text.size());
    return {buf.data(), text.size()};
  }
  const auto r =
      std::to_chars(buf.data(), buf.data() + buf.size(), v, std::chars_format::fixed, 17);
  std::size_t len = static_cast<std::size_t>(r.ptr - buf.data());
  const std::string_view text(buf.data(), len);
  if (text.find('.') != std::string_view::npos) {
    while (buf[len - 1] == '0')
      --len;
    if (buf[len - 1] == '.') --len;
  }
  if (len == 2 && buf[0] == '-' && buf[1] == '0') {  // a negative value that rounds to zero
    buf[0] = '0';
    len = 1;
  }
  return {buf.data(), len};
}

}  // namespace vireo
