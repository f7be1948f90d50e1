#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace vireo {

// Splits `line` into arguments exactly as Redis's sdssplitargs() does, for
// inline commands and redis.conf lines. Replaces the contents of *out and
// *scratch. An argument that needs no unescaping views into `line`; one that
// does (it holds a quote) views into *scratch, which is reserved for the whole
// line before its first byte goes in, so those views never move: all stay
// valid while `line` and *scratch are left untouched. No allocation once
// *scratch and *out have grown to the caller's usual line.
//
// Rules: any isspace() blank (space, \t \n \v \f \r) separates arguments, but
// only space, \t, \r and \n end an unquoted one (`a\vb` is one argument). A
// quote may open mid-argument (`a"b c"` is `ab c`). "Double quotes" take \xHH
// and \n \r \t \b \a escapes, any other escaped byte standing for itself;
// 'single quotes' take only \'. A NUL ends the line, as it ends Redis's C
// string. Returns false, with *out empty, on unbalanced quotes: a quote left
// open, or a closing quote followed by anything but a blank or the end.
bool split_args(std::string_view line, std::string* scratch, std::vector<std::string_view>* out);

// The inverse, as Redis's sdscatrepr(): appends `arg` to *out in double quotes,
// with \\ \" \n \r \t \a \b escaped, other printable ASCII as is, and any
// other byte as \xHH, so that split_args() reads it back as one argument.
// MONITOR lines and rewritten config files use it.
void append_quoted(std::string* out, std::string_view arg);

}  // namespace vireo
