#include "core/resp/request_parser.h"

#include <algorithm>
#include <cassert>
#include <cstring>

#include "core/split_args.h"

namespace vireo {
namespace {

constexpr std::string_view kInvalidMultibulkLength = "Protocol error: invalid multibulk length";
constexpr std::string_view kInvalidBulkLength = "Protocol error: invalid bulk length";
constexpr std::string_view kUnauthMultibulkLength =
    "Protocol error: unauthenticated multibulk length";
constexpr std::string_view kUnauthBulkLength = "Protocol error: unauthenticated bulk length";
constexpr std::string_view kTooBigMbulkCount = "Protocol error: too big mbulk count string";
constexpr std::string_view kTooBigBulkCount = "Protocol error: too big bulk count string";
constexpr std::string_view kTooBigInline = "Protocol error: too big inline request";
constexpr std::string_view kUnbalancedQuotes = "Protocol error: unbalanced quotes in request";

// Redis's limits for a client that has yet to authenticate.
constexpr int64_t kUnauthMaxMultibulkLen = 10;
constexpr int64_t kUnauthMaxBulkLen = 16384;

// A '*' count never reserves more argument slots than this; the vector grows
// as the bulks actually arrive.
constexpr size_t kReserveCap = 1024;
// reset() gives memory back beyond these, so that one huge request does not
// pin it for the connection's lifetime.
constexpr size_t kKeepSpans = 16 * 1024;
constexpr size_t kKeepScratch = 128 * 1024;

// Lines shorter than this are scanned byte by byte; longer ones with memchr.
constexpr size_t kShortScan = 32;

constexpr size_t kNotFound = static_cast<size_t>(-1);

// Redis's string2ll(): an optional '-', then "0" or a digit string without a
// leading zero, fitting in int64 and shorter than 21 bytes. No '+', no spaces,
// no "-0".
bool parse_ll(const char* s, size_t len, int64_t* value) {
  if (len == 0 || len >= 21) return false;
  if (len == 1 && s[0] == '0') {
    *value = 0;
    return true;
  }
  size_t i = 0;
  bool negative = false;
  if (s[0] == '-') {
    negative = true;
    if (++i == len) return false;
  }
  if (s[i] < '1' || s[i] > '9') return false;
  uint64_t v = 0;
  for (; i < len; ++i) {
    unsigned d = static_cast<unsigned char>(s[i]) - '0';
    if (d > 9) return false;
    if (v > (UINT64_MAX - d) / 10) return false;
    v = v * 10 + d;
  }
  if (negative) {
    if (v > uint64_t{1} << 63) return false;
    *value = static_cast<int64_t>(0 - v);
  } else {
    if (v > static_cast<uint64_t>(INT64_MAX)) return false;
    *value = static_cast<int64_t>(v);
  }
  return true;
}

}  // namespace

void RequestParser::reset() {
  phase_ = Phase::kStart;
  inline_ = false;
  blocked_ = false;
  pos_ = 0;
  scan_ = 0;
  remaining_ = 0;
  bulk_len_ = 0;
  consumed_ = 0;
  wanted_ = 0;
  error_ = {};
  if (spans_.capacity() > kKeepSpans || views_.capacity() > kKeepSpans) {
    std::vector<Span>().swap(spans_);
    std::vector<std::string_view>().swap(views_);
  } else {
    spans_.clear();
    views_.clear();
  }
  if (scratch_.capacity() > kKeepScratch) {
    std::string().swap(scratch_);
  } else {
    scratch_.clear();
  }
}

RequestParser::Status RequestParser::parse(std::string_view buf, const ParseLimits& limits) {
  if (phase_ == Phase::kFailed) return Status::kError;
  if (phase_ == Phase::kDone) reset();
  // The contents must be those of the previous call, plus maybe more. A
  // shorter buffer is a caller bug; start over rather than read past its end.
  assert(buf.size() >= scan_ && buf.size() >= pos_);
  if (buf.size() < scan_ || buf.size() < pos_) reset();

  if (phase_ == Phase::kStart) {
    if (buf.empty()) return incomplete(1);
    if (buf[0] == '*') {
      phase_ = Phase::kCount;
    } else {
      phase_ = Phase::kInline;
      inline_ = true;
    }
  }
  return inline_ ? parse_inline(buf, limits) : parse_multibulk(buf, limits);
}

RequestParser::Status RequestParser::complete(std::string_view buf, size_t consumed) {
  views_.resize(spans_.size());
  for (size_t i = 0; i < spans_.size(); ++i)
    views_[i] = buf.substr(spans_[i].offset, spans_[i].len);
  return done(consumed);
}

RequestParser::Status RequestParser::done(size_t consumed) {
  consumed_ = consumed;
  phase_ = Phase::kDone;
  return Status::kComplete;
}

RequestParser::Status RequestParser::incomplete(size_t wanted) {
  wanted_ = wanted;
  return Status::kIncomplete;
}

RequestParser::Status RequestParser::fail(std::string_view message) {
  error_ = message;
  phase_ = Phase::kFailed;
  spans_.clear();
  views_.clear();
  return Status::kError;
}

// Finds the `terminator` of the line starting at pos_, scanning only bytes not
// scanned before. Like Redis's strchr(), a NUL hides everything after it. Only
// the first limit + 1 bytes are searched: a longer line is an error whenever it
// arrives, and Redis reports it as soon as the (limit + 1)th byte is buffered
// without a terminator. Returns the terminator's offset or kNotFound.
size_t RequestParser::find_line_end(std::string_view buf, char terminator, size_t limit) {
  if (blocked_) return kNotFound;
  const size_t avail = buf.size() - pos_;
  const size_t window_end = pos_ + (avail > limit ? limit + 1 : avail);
  if (scan_ < pos_) scan_ = pos_;
  if (scan_ >= window_end) return kNotFound;

  const char* base = buf.data();
  const char* p = base + scan_;
  const char* const end = base + window_end;
  const char* const short_end = p + std::min<size_t>(kShortScan, end - p);
  for (; p < short_end; ++p) {
    if (*p == terminator) {
      scan_ = p - base;
      return scan_;
    }
    if (*p == '\0') {
      blocked_ = true;
      return kNotFound;
    }
  }
  if (p < end) {
    const char* t = static_cast<const char*>(std::memchr(p, terminator, end - p));
    const char* stop = t ? t : end;
    if (std::memchr(p, '\0', stop - p) != nullptr) {
      blocked_ = true;
      return kNotFound;
    }
    if (t) {
      scan_ = t - base;
      return scan_;
    }
  }
  scan_ = window_end;
  return kNotFound;
}

RequestParser::Status RequestParser::parse_inline(std::string_view buf, const ParseLimits& limits) {
  const size_t nl = find_line_end(buf, '\n', limits.max_inline_len);
  if (nl == kNotFound) {
    if (buf.size() - pos_ > limits.max_inline_len) return fail(kTooBigInline);
    return incomplete(1);
  }
  size_t len = nl;
  if (len > 0 && buf[len - 1] == '\r') --len;
  // The whole line is in this buffer, so the tokenizer's views are made in
  // the same call that returns them: no offsets needed.
  if (!split_args(buf.substr(0, len), &scratch_, &views_)) return fail(kUnbalancedQuotes);
  return done(nl + 1);
}

RequestParser::Status RequestParser::parse_multibulk(std::string_view buf,
                                                     const ParseLimits& limits) {
  if (phase_ == Phase::kCount) {
    // Redis finds the line by its CR and then skips two bytes without looking
    // at the second: "*1\rX" is a valid count line.
    const size_t cr = find_line_end(buf, '\r', limits.max_inline_len);
    if (cr == kNotFound) {
      if (buf.size() - pos_ > limits.max_inline_len) return fail(kTooBigMbulkCount);
      return incomplete(1);
    }
    if (cr + 1 >= buf.size()) return incomplete(1);
    int64_t count;
    if (!parse_ll(buf.data() + 1, cr - 1, &count) || count > limits.max_multibulk_len) {
      return fail(kInvalidMultibulkLength);
    }
    if (!limits.authenticated && count > kUnauthMaxMultibulkLen) {
      return fail(kUnauthMultibulkLength);
    }
    pos_ = scan_ = cr + 2;
    if (count <= 0) return complete(buf, pos_);  // "*0", "*-1": nothing to run
    remaining_ = count;
    spans_.reserve(std::min(static_cast<size_t>(count), kReserveCap));
    phase_ = Phase::kBulkLen;
  }

  while (true) {
    if (phase_ == Phase::kBulkLen) {
      const size_t cr = find_line_end(buf, '\r', limits.max_inline_len);
      if (cr == kNotFound) {
        if (buf.size() - pos_ > limits.max_inline_len) return fail(kTooBigBulkCount);
        return incomplete(1);
      }
      if (cr + 1 >= buf.size()) return incomplete(1);
      if (buf[pos_] != '$') {
        // Redis maps CR and LF in error replies to spaces.
        char got = buf[pos_];
        if (got == '\r' || got == '\n') got = ' ';
        std::memcpy(error_buf_, "Protocol error: expected '$', got ' '", 37);
        error_buf_[35] = got;
        return fail(std::string_view(error_buf_, 37));
      }
      int64_t len;
      if (!parse_ll(buf.data() + pos_ + 1, cr - pos_ - 1, &len) || len < 0 ||
          len > limits.max_bulk_len) {
        return fail(kInvalidBulkLength);
      }
      if (!limits.authenticated && len > kUnauthMaxBulkLen) return fail(kUnauthBulkLength);
      pos_ = scan_ = cr + 2;
      bulk_len_ = static_cast<uint64_t>(len);
      phase_ = Phase::kBulkData;
    }

    // The bulk is followed by two bytes that Redis skips without checking.
    const uint64_t avail = buf.size() - pos_;
    const uint64_t need = bulk_len_ + 2;
    if (avail < need) return incomplete(static_cast<size_t>(need - avail));
    spans_.push_back({pos_, static_cast<size_t>(bulk_len_)});
    pos_ = scan_ = pos_ + static_cast<size_t>(need);
    if (--remaining_ == 0) return complete(buf, pos_);
    phase_ = Phase::kBulkLen;
  }
}

}  // namespace vireo
