#include "core/split_args.h"

namespace vireo {
namespace {

// isspace() in the "C" locale, which is what Redis runs its splitter under.
bool is_blank(unsigned char c) {
  return c == ' ' || (c >= '\t' && c <= '\r');
}

// What ends an unquoted argument: a narrower set than is_blank(), plus the end.
bool ends_unquoted(unsigned char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\0';
}

bool is_hex(unsigned char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

unsigned hex_value(unsigned char c) {
  if (c <= '9') return c - '0';
  if (c <= 'F') return c - 'A' + 10;
  return c - 'a' + 10;
}

char escaped(unsigned char c) {
  switch (c) {
    case 'n':
      return '\n';
    case 'r':
      return '\r';
    case 't':
      return '\t';
    case 'b':
      return '\b';
    case 'a':
      return '\a';
    default:
      return static_cast<char>(c);
  }
}

// The line as Redis's splitter sees a C string: '\0' past the end.
class Cursor {
 public:
  explicit Cursor(std::string_view line) : s_(line.data()), n_(line.size()) {}
  unsigned char at(size_t i) const { return i < n_ ? static_cast<unsigned char>(s_[i]) : '\0'; }

 private:
  const char* s_;
  size_t n_;
};

// Appends the body of the quoted section whose opening quote is at `p`, and
// returns the offset just past its closing quote, or 0 when the quotes do not
// balance (an offset past a closing quote is never 0).
size_t unquote(const Cursor& in, size_t p, std::string* scratch) {
  const unsigned char quote = in.at(p++);
  while (true) {
    const unsigned char c = in.at(p);
    if (c == '\0') return 0;  // never closed
    if (c == quote) {
      // A closing quote must end the argument.
      const unsigned char next = in.at(p + 1);
      return next == '\0' || is_blank(next) ? p + 1 : 0;
    }
    if (c == '\\' && quote == '"') {
      const unsigned char e = in.at(p + 1);
      if (e == 'x' && is_hex(in.at(p + 2)) && is_hex(in.at(p + 3))) {
        scratch->push_back(
            static_cast<char>(hex_value(in.at(p + 2)) * 16 + hex_value(in.at(p + 3))));
        p += 4;
        continue;
      }
      if (e != '\0') {
        scratch->push_back(escaped(e));
        p += 2;
        continue;
      }
    } else if (c == '\\' && quote == '\'' && in.at(p + 1) == '\'') {
      scratch->push_back('\'');
      p += 2;
      continue;
    }
    scratch->push_back(static_cast<char>(c));
    ++p;
  }
}

}  // namespace

bool split_args(std::string_view line, std::string* scratch, std::vector<std::string_view>* out) {
  out->clear();
  scratch->clear();
  const Cursor in(line);
  bool reserved = false;
  size_t p = 0;
  while (true) {
    while (is_blank(in.at(p)))
      ++p;
    if (in.at(p) == '\0') return true;

    const size_t start = p;
    unsigned char c;
    while (!ends_unquoted(c = in.at(p)) && c != '"' && c != '\'')
      ++p;
    if (c != '"' && c != '\'') {
      out->push_back(line.substr(start, p - start));
      if (c != '\0') ++p;  // past the blank that ended it
      continue;
    }

    // A quote: the argument is its unquoted prefix plus the quoted body, and
    // it ends at the closing quote.
    if (!reserved) {
      // Unescaping never lengthens: the whole line fits, so no view moves.
      scratch->reserve(line.size());
      reserved = true;
    }
    const size_t from = scratch->size();
    scratch->append(line.data() + start, p - start);
    p = unquote(in, p, scratch);
    if (p == 0) {
      out->clear();
      return false;
    }
    out->push_back(std::string_view(scratch->data() + from, scratch->size() - from));
  }
}

void append_quoted(std::string* out, std::string_view arg) {
  static constexpr char kHex[] = "0123456789abcdef";
  out->push_back('"');
  for (char ch : arg) {
    auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '\\':
        out->append("\\\\");
        break;
      case '"':
        out->append("\\\"");
        break;
      case '\n':
        out->append("\\n");
        break;
      case '\r':
        out->append("\\r");
        break;
      case '\t':
        out->append("\\t");
        break;
      case '\a':
        out->append("\\a");
        break;
      case '\b':
        out->append("\\b");
        break;
      default:
        if (c >= 0x20 && c < 0x7f) {
          out->push_back(ch);
        } else {
          const char hex[] = {'\\', 'x', kHex[c >> 4], kHex[c & 15]};
          out->append(hex, sizeof(hex));
        }
    }
  }
  out->push_back('"');
}

}  // namespace vireo
