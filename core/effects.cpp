#include "core/effects.h"

#include <string_view>

#include "core/strconv.h"

namespace vireo {
namespace {

void append_length(std::string& out, char type, size_t n) {
  char buf[24];
  out.push_back(type);
  out.append(buf, format_int64(static_cast<int64_t>(n), buf));
  out.append("\r\n");
}

}  // namespace

void RespEffectEncoder::encode(Args argv) {
  append_length(out_, '*', argv.size());
  for (std::string_view arg : argv) {
    append_length(out_, '$', arg.size());
    out_.append(arg);
    out_.append("\r\n");
  }
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
  std::string_view multi[] = {"MULTI"};
  encode(multi);
}

void RespEffectEncoder::end_group() {
  std::string_view exec[] = {"EXEC"};
  encode(exec);
}

}  // namespace vireo
