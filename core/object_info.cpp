#include "core/object_info.h"

#include "core/strconv.h"

namespace vireo {
namespace {

constexpr size_t kEmbstrMaxLength = 44;     // Redis keeps these in one block with the header
constexpr int64_t kSharedIntegers = 10000;  // OBJ_SHARED_INTEGERS

bool is_int_string(const Entry& e) {
  return e.type() == ValueType::kString && !e.raw_flag() && parse_int64(e.string_value());
}

}  // namespace

std::string_view encoding_name(const Entry& e) {
  switch (e.type()) {
    case ValueType::kString:
      if (e.raw_flag()) return "raw";
      if (is_int_string(e)) return "int";
      return e.string_value().size() <= kEmbstrMaxLength ? "embstr" : "raw";
    case ValueType::kList:
    case ValueType::kHash:
    case ValueType::kSet:
    case ValueType::kZSet:
      return e.container()->encoding();
  }
  return "unknown";
}

bool is_shared_integer(const Entry& e, bool sharing) {
  if (!sharing || !is_int_string(e)) return false;
  int64_t v = *parse_int64(e.string_value());
  return v >= 0 && v < kSharedIntegers;
}

}  // namespace vireo
