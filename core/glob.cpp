#include "core/glob.h"

#include <string>

#include "core/ascii.h"

namespace vireo {
namespace {

unsigned char fold(unsigned char c, bool nocase) {
  return nocase ? static_cast<unsigned char>(ascii_fold(static_cast<char>(c))) : c;
}

// Matches one byte against the class starting just after '['. Sets `end` to the
// index just past the closing ']' (or the pattern's end when unterminated).
bool class_matches(std::string_view p, size_t start, unsigned char c, bool nocase, size_t* end) {
  size_t i = start;
  bool negate = false;
  if (i < p.size() && p[i] == '^') {
    negate = true;
    ++i;
  }
  bool matched = false;
  c = fold(c, nocase);
  while (i < p.size() && p[i] != ']') {
    if (p[i] == '\\' && i + 1 < p.size()) {
      ++i;
      if (fold(p[i], nocase) == c) matched = true;
      ++i;
    } else if (i + 2 < p.size() && p[i + 1] == '-') {
      unsigned char lo = fold(p[i], nocase), hi = fold(p[i + 2], nocase);
      if (lo > hi) std::swap(lo, hi);
      if (c >= lo && c <= hi) matched = true;
      i += 3;
    } else {
      if (fold(p[i], nocase) == c) matched = true;
      ++i;
    }
  }
  *end = i < p.size() ? i + 1 : i;
  return matched != negate;
}

}  // namespace

bool glob_match(std::string_view p, std::string_view s, bool nocase) {
  // Greedy matching with a single backtrack point: on a mismatch, the most
  // recent '*' absorbs one more byte. Later stars make earlier ones final, which
  // keeps the work polynomial.
  size_t pi = 0, si = 0;
  size_t star_p = std::string_view::npos, star_s = 0;
  while (si < s.size()) {
    if (pi < p.size()) {
      char pc = p[pi];
      if (pc == '*') {
        while (pi < p.size() && p[pi] == '*')
          ++pi;
        if (pi == p.size()) return true;
        star_p = pi;
        star_s = si;
        continue;
      }
      if (pc == '?') {
        ++pi;
        ++si;
        continue;
      }
      if (pc == '[') {
        size_t end;
        if (class_matches(p, pi + 1, static_cast<unsigned char>(s[si]), nocase, &end)) {
          pi = end;
          ++si;
          continue;
        }
      } else {
        if (pc == '\\' && pi + 1 < p.size()) ++pi;
        if (fold(p[pi], nocase) == fold(s[si], nocase)) {
          ++pi;
          ++si;
          continue;
        }
      }
    }
    if (star_p == std::string_view::npos) return false;
    pi = star_p;
    si = ++star_s;
  }
  while (pi < p.size() && p[pi] == '*')
    ++pi;
  return pi == p.size();
}

bool glob_is_literal(std::string_view p, std::string* literal) {
  literal->clear();
  for (size_t i = 0; i < p.size(); ++i) {
    char c = p[i];
    if (c == '*' || c == '?' || c == '[') return false;
    if (c == '\\' && i + 1 < p.size()) c = p[++i];
    literal->push_back(c);
  }
  return true;
}

}  // namespace vireo
