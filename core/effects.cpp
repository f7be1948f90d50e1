#include "core/effects.h"

#include <algorithm>
#include <cstring>
#include <string_view>

#include "core/strconv.h"

namespace vireo {
namespace {

// Writes "<type><n>\r\n" at `p`; returns the end.
char* length_line(char* p, char type, size_t n) {
  *p++ = type;
  p = format_int64(static_cast<int64_t>(n), p);
  *p++ = '\r';
  *p++ = '\n';
  return p;
}

}  // namespace

char* RespEffectEncoder::grow(size_t n) {
  if (capacity_ - size_ < n) {
    size_t capacity = std::max(size_ + n, capacity_ * 2);
    auto bigger = std::make_unique_for_overwrite<char[]>(capacity);
    if (size_) std::memcpy(bigger.get(), data_.get(), size_);
    data_ = std::move(bigger);
    capacity_ = capacity;
  }
  return data_.get() + size_;
}

void RespEffectEncoder::clear() {
  size_ = 0;
  constexpr size_t kKeep = 1 << 20;
  if (capacity_ > kKeep) {
    data_.reset();
    capacity_ = 0;
  }
}

void RespEffectEncoder::encode(Args argv) {
  size_t bound = 24;  // "*N\r\n", and per argument "$N\r\n" + payload + "\r\n"
  for (std::string_view arg : argv)
    bound += arg.size() + 26;
  char* p = grow(bound);
  char* start = p;
  p = length_line(p, '*', argv.size());
  for (std::string_view arg : argv) {
    p = length_line(p, '$', arg.size());
    if (!arg.empty()) std::memcpy(p, arg.data(), arg.size());
    p += arg.size();
    *p++ = '\r';
    *p++ = '\n';
  }
  size_ += static_cast<size_t>(p - start);
}

void RespEffectEncoder::emit(int db, Args argv) {
  if (db != selected_db_) {
    char buf[24];
    std::string_view index(buf, static_cast<size_t>(format_int64(db, buf) - buf));
    std::string_view select[] = {"SELECT", index};
    encode(select);
    selected_db_ = db;
  }
  encode(argv);
  ++effects_;
}

void RespEffectEncoder::begin_group() {
  if (group_depth_++ > 0) return;
  group_start_ = size_;
  group_start_db_ = selected_db_;
  group_start_effects_ = effects_;
  std::string_view multi[] = {"MULTI"};
  encode(multi);
}

void RespEffectEncoder::end_group() {
  if (--group_depth_ > 0) return;
  if (effects_ == group_start_effects_) {
    // Nothing happened inside: leave no MULTI/EXEC pair behind.
    size_ = group_start_;
    selected_db_ = group_start_db_;
    return;
  }
  std::string_view exec[] = {"EXEC"};
  encode(exec);
}

}  // namespace vireo
