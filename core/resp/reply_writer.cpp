#include "core/resp/reply_writer.h"

#include <cstring>

#include "core/strconv.h"

namespace vireo {

void ReplyWriter::header(char type, int64_t n) {
  if (muted_) return;
  char* p = out_->reserve(24);
  char* start = p;
  *p++ = type;
  p = format_int64(n, p);
  *p++ = '\r';
  *p++ = '\n';
  out_->commit(static_cast<size_t>(p - start));
}

void ReplyWriter::line(char type, std::string_view text) {
  if (muted_) return;
  char* p = out_->reserve(text.size() + 3);
  p[0] = type;
  std::memcpy(p + 1, text.data(), text.size());
  std::memcpy(p + 1 + text.size(), "\r\n", 2);
  out_->commit(text.size() + 3);
}

void ReplyWriter::simple(std::string_view text) {
  line('+', text);
}

void ReplyWriter::error(std::string_view text) {
  ++errors_;
  if (error_stats_) error_stats_->count(text);
  if (muted_) return;
  char* p = out_->reserve(text.size() + 3);
  p[0] = '-';
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    p[1 + i] = (c == '\r' || c == '\n') ? ' ' : c;
  }
  std::memcpy(p + 1 + text.size(), "\r\n", 2);
  out_->commit(text.size() + 3);
}

void ReplyWriter::integer(int64_t value) {
  header(':', value);
}

void ReplyWriter::bulk(std::string_view data) {
  if (muted_) return;
  if (data.size() <= ReplyBuffer::kChunkSize / 2) {
    // One reservation for header, payload and trailer: the common case.
    char* p = out_->reserve(data.size() + 32);
    char* start = p;
    *p++ = '$';
    p = format_int64(static_cast<int64_t>(data.size()), p);
    *p++ = '\r';
    *p++ = '\n';
    if (!data.empty()) std::memcpy(p, data.data(), data.size());  // data() may be null
    p += data.size();
    *p++ = '\r';
    *p++ = '\n';
    out_->commit(static_cast<size_t>(p - start));
    return;
  }
  header('$', static_cast<int64_t>(data.size()));
  out_->append(data);
  out_->append("\r\n");
}

void ReplyWriter::bulk_integer(int64_t value) {
  char buf[24];
  char* end = format_int64(value, buf);
  bulk({buf, static_cast<size_t>(end - buf)});
}

void ReplyWriter::null() {
  raw(protocol_ >= 3 ? "_\r\n" : "$-1\r\n");
}

void ReplyWriter::null_array() {
  raw(protocol_ >= 3 ? "_\r\n" : "*-1\r\n");
}

void ReplyWriter::array(size_t n) {
  header('*', static_cast<int64_t>(n));
}

void ReplyWriter::map(size_t n) {
  if (protocol_ >= 3) {
    header('%', static_cast<int64_t>(n));
  } else {
    header('*', static_cast<int64_t>(2 * n));
  }
}

void ReplyWriter::set(size_t n) {
  header(protocol_ >= 3 ? '~' : '*', static_cast<int64_t>(n));
}

void ReplyWriter::push(size_t n) {
  header(protocol_ >= 3 ? '>' : '*', static_cast<int64_t>(n));
}

void ReplyWriter::dbl(double value) {
  char buf[32];
  std::string_view text = format_double(value, buf);
  if (protocol_ >= 3) {
    line(',', text);
  } else {
    bulk(text);
  }
}

void ReplyWriter::boolean(bool value) {
  if (protocol_ >= 3) {
    raw(value ? "#t\r\n" : "#f\r\n");
  } else {
    raw(value ? ":1\r\n" : ":0\r\n");
  }
}

void ReplyWriter::verbatim(std::string_view text) {
  if (protocol_ < 3) {
    bulk(text);
    return;
  }
  header('=', static_cast<int64_t>(text.size() + 4));
  raw("txt:");
  raw(text);
  raw("\r\n");
}

}  // namespace vireo
