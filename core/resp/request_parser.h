#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace vireo {

// Per-client protocol limits, set by the connection. Defaults are Redis 7.0's.
struct ParseLimits {
  // proto-max-bulk-len: a longer '$' length is "invalid bulk length".
  int64_t max_bulk_len = 512LL * 1024 * 1024;
  // A '*' count above this is "invalid multibulk length" (Redis: INT_MAX).
  int64_t max_multibulk_len = INT32_MAX;
  // PROTO_INLINE_MAX_SIZE: the longest inline line, and also the longest '*' or
  // '$' count line, before the terminator.
  size_t max_inline_len = 64 * 1024;
  // False until the client has authenticated on a server that requires it:
  // then a '*' count above 10 or a '$' length above 16384 is refused up front,
  // so that an anonymous client cannot make the server buffer much.
  bool authenticated = true;
};

// Incremental parser of client requests: RESP multibulk (`*2\r\n$3\r\nGET\r\n...`)
// and inline commands (`GET key\n`), with Redis 7.0's acceptance rules and
// error texts. One parser per connection; not thread-safe.
//
// Typical loop:
//   while (true) {
//     auto s = parser.parse(buf, limits);
//     if (s == Status::kIncomplete) break;  // read more (parser.bytes_wanted())
//     if (s == Status::kError) { reply "-ERR " + parser.error(); close after reply; }
//     run(parser.args()); buf.remove_prefix(parser.consumed()); parser.reset();
//   }
//
// The result never depends on how the input was split across reads. Where
// Redis's own outcome does depend on that (a line longer than the inline limit
// that arrives in one read), this parser does what Redis does when the bytes
// trickle in one at a time.
class RequestParser {
 public:
  enum class Status { kComplete, kIncomplete, kError };

  RequestParser() = default;
  RequestParser(const RequestParser&) = delete;
  RequestParser& operator=(const RequestParser&) = delete;

  // Parses at most one request from the front of `buffer`. The same buffer
  // contents (possibly moved/reallocated by the caller, possibly with more
  // bytes appended) must be passed again after kIncomplete: progress is kept as
  // offsets, so a request split across many reads is scanned once, not
  // re-scanned. After kError, returns kError until reset(). Calling it after
  // kComplete without reset() starts a new request, as if reset() was called.
  // Allocates nothing once its vectors have grown to the client's usual request
  // size; a huge client-supplied count never reserves more than a small cap.
  Status parse(std::string_view buffer, const ParseLimits& limits);

  // After kComplete: the arguments, in order. Multibulk arguments (and unquoted
  // inline ones) view into the buffer passed to the last parse(); inline
  // arguments rewritten by quotes or escapes view into this parser. Valid until
  // the next parse() or reset(), and while that buffer is unchanged.
  // May be empty (an empty inline line, `*0`, `*-1`): the caller just skips it.
  std::span<const std::string_view> args() const { return {views_.data(), views_.size()}; }

  // After kComplete: how many bytes the request took from the front of the
  // buffer, terminator included.
  size_t consumed() const { return consumed_; }

  // After kError: Redis's text, e.g. "Protocol error: invalid bulk length",
  // to send as "-ERR <text>" before closing. Has no CR or LF.
  std::string_view error() const { return error_; }

  // After kIncomplete: a lower bound (at least 1) on the bytes that must be
  // appended before parse() can make progress. Exact while reading a bulk, so
  // the reader can size its buffer once for a 512 MB argument; it counts only
  // the current argument, never the ones a client-supplied count promises.
  size_t bytes_wanted() const { return wanted_; }

  // True once the request being parsed (or just parsed) is known to be inline,
  // i.e. its first byte is not '*'.
  bool is_inline() const { return inline_; }

  // Forgets all progress, ready for a request at the front of a new buffer.
  // Call after kComplete (once the caller dropped consumed() bytes) or to
  // abandon a request. Keeps the vectors' capacity unless it got very large.
  void reset();

 private:
  enum class Phase : uint8_t { kStart, kInline, kCount, kBulkLen, kBulkData, kDone, kFailed };

  // A bulk argument as offset and length in the buffer. Views are made only on
  // completion, because the caller may move the buffer between calls.
  struct Span {
    size_t offset;
    size_t len;
  };

  Status parse_inline(std::string_view buf, const ParseLimits& limits);
  Status parse_multibulk(std::string_view buf, const ParseLimits& limits);
  size_t find_line_end(std::string_view buf, char terminator, size_t limit);
  Status complete(std::string_view buf, size_t consumed);
  Status done(size_t consumed);
  Status incomplete(size_t wanted);
  Status fail(std::string_view message);

  Phase phase_ = Phase::kStart;
  bool inline_ = false;
  // A NUL came before the current line's terminator. Redis looks for it with
  // strchr(), which stops at the NUL, so the line never ends: only the size
  // limit can end the request (as an error).
  bool blocked_ = false;
  size_t pos_ = 0;         // start of the line or bulk being parsed
  size_t scan_ = 0;        // [pos_, scan_) holds neither the line terminator nor NUL
  int64_t remaining_ = 0;  // bulks still expected
  uint64_t bulk_len_ = 0;  // length of the bulk being read
  size_t consumed_ = 0;
  size_t wanted_ = 0;
  std::string_view error_;
  std::vector<Span> spans_;  // multibulk arguments so far
  std::vector<std::string_view> views_;
  std::string scratch_;      // unescaped inline arguments (split_args)
  char error_buf_[48] = {};  // for the one error text that quotes the input
};

}  // namespace vireo
