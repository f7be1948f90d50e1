#pragma once

#include <cstdint>
#include <string_view>

#include "core/resp/error_stats.h"
#include "core/resp/reply_buffer.h"

namespace vireo {

// Composes replies in the client's protocol. Commands describe a reply in
// RESP3's vocabulary (maps, sets, doubles, booleans, nulls) and the writer
// lowers it to RESP2 when the client speaks that, the way Redis 7 does.
class ReplyWriter {
 public:
  ReplyWriter(ReplyBuffer* out, int protocol) : out_(out), protocol_(protocol) {}

  int protocol() const { return protocol_; }
  void set_protocol(int protocol) { protocol_ = protocol; }
  // While muted (CLIENT REPLY OFF/SKIP) replies are dropped.
  void set_muted(bool muted) { muted_ = muted; }
  bool muted() const { return muted_; }
  // Errors written since construction (stats, EXEC).
  uint64_t errors() const { return errors_; }
  // Where each error reply is also counted by its code (INFO errorstats); may be null.
  void set_error_stats(ErrorStats* stats) { error_stats_ = stats; }

  void ok() { raw("+OK\r\n"); }
  // A status line: `+text`.
  void simple(std::string_view text);
  // An error line; `text` starts with its code ("ERR ...", "WRONGTYPE ...").
  // CR and LF inside are replaced so the reply stays one line.
  void error(std::string_view text);
  void integer(int64_t value);
  void bulk(std::string_view data);
  // A bulk string holding the decimal form of `value`.
  void bulk_integer(int64_t value);
  // The absence of a value: RESP2 `$-1`, RESP3 `_`.
  void null();
  // The absence of an aggregate: RESP2 `*-1`, RESP3 `_`.
  void null_array();
  void array(size_t n);
  // n key/value pairs follow (RESP2: an array of 2n).
  void map(size_t n);
  // n members follow (RESP2: an array).
  void set(size_t n);
  // An out-of-band message header (RESP2: an array).
  void push(size_t n);
  // RESP3 `,`; RESP2 a bulk string, formatted as Redis formats doubles.
  void dbl(double value);
  // RESP3 `#t`/`#f`; RESP2 `:1`/`:0`.
  void boolean(bool value);
  // RESP3 verbatim text (`=`, "txt"); RESP2 a bulk string.
  void verbatim(std::string_view text);
  // Pre-encoded RESP bytes, written as they are.
  void raw(std::string_view bytes) {
    if (!muted_) out_->append(bytes);
  }

 private:
  void header(char type, int64_t n);
  // `type` + text + CRLF as one line.
  void line(char type, std::string_view text);

  ReplyBuffer* out_;
  int protocol_;
  bool muted_ = false;
  uint64_t errors_ = 0;
  ErrorStats* error_stats_ = nullptr;
};

}  // namespace vireo
