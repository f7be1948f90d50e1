#pragma once

#include <string_view>

namespace vireo {

// Matches `text` against a Redis glob `pattern`: `*` any run, `?` any one byte,
// `[abc]` `[^a]` `[a-z]` classes (an unterminated class ends with the pattern),
// and `\x` for a literal x. Runs in O(|pattern| * |text|) at worst: a pattern
// full of stars cannot make a KEYS call take exponential time.
bool glob_match(std::string_view pattern, std::string_view text, bool nocase = false);

// True when `pattern` matches exactly one string (itself, after unescaping), so
// that a lookup can replace a scan. Writes that string to `literal`.
bool glob_is_literal(std::string_view pattern, std::string* literal);

}  // namespace vireo
