#include "core/entry.h"

#include <malloc.h>

#include <cstdlib>
#include <new>

#include "core/varint.h"

namespace vireo {

std::string_view type_name(ValueType type) {
  switch (type) {
    case ValueType::kString:
      return "string";
    case ValueType::kList:
      return "list";
    case ValueType::kHash:
      return "hash";
    case ValueType::kSet:
      return "set";
    case ValueType::kZSet:
      return "zset";
  }
  return "none";
}

size_t Entry::value_offset_for(uint8_t flags, std::string_view key) {
  return kHeaderBytes + ((flags & kHasExpiry) ? 4 : 0) + varint::size(key.size()) + key.size();
}

Entry* Entry::allocate(uint8_t flags, std::string_view key, size_t value_bytes) {
  auto* p = static_cast<unsigned char*>(std::malloc(value_offset_for(flags, key) + value_bytes));
  if (!p) throw std::bad_alloc();
  std::memset(p, 0, kHeaderBytes);
  p[0] = flags;
  unsigned char* k = varint::put(p + kHeaderBytes + ((flags & kHasExpiry) ? 4 : 0), key.size());
  std::memcpy(k, key.data(), key.size());
  return reinterpret_cast<Entry*>(p);
}

Entry* Entry::make_string(std::string_view key, std::string_view value, bool with_expiry) {
  uint8_t flags = static_cast<uint8_t>(ValueType::kString) | (with_expiry ? kHasExpiry : 0);
  return build_string(nullptr, flags, key, value);
}

Entry* Entry::build_string(const Entry* like, uint8_t flags, std::string_view key,
                           std::string_view value) {
  const bool big = value.size() >= kOutOfLineBytes;
  flags = big ? (flags | kOutOfLine) : (flags & ~kOutOfLine);
  Entry* e =
      allocate(flags, key, big ? 2 * sizeof(uint64_t) : varint::size(value.size()) + value.size());
  if (like) {
    std::memcpy(e->bytes() + 1, like->bytes() + 1, kHeaderBytes - 1);  // the access field
    if (like->has_expiry() && e->has_expiry()) e->set_expiry_slot(like->expiry_slot());
  }
  if (big) {
    char* buffer = static_cast<char*>(std::malloc(value.size()));
    if (!buffer) {
      std::free(e);
      throw std::bad_alloc();
    }
    std::memcpy(buffer, value.data(), value.size());
    e->set_buffer(buffer, value.size());
  } else {
    unsigned char* v = varint::put(e->bytes() + e->value_offset(), value.size());
    if (!value.empty()) std::memcpy(v, value.data(), value.size());
  }
  return e;
}

void Entry::set_buffer(char* buffer, size_t length) {
  uint64_t fields[2] = {reinterpret_cast<uintptr_t>(buffer), length};
  std::memcpy(bytes() + value_offset(), fields, sizeof(fields));
}

Entry* Entry::allocate_container(uint8_t flags, std::string_view key, size_t object_bytes) {
  const size_t at = value_offset_for(flags, key);
  const size_t padding = (kContainerAlign - at % kContainerAlign) % kContainerAlign;
  return allocate(flags, key, padding + object_bytes);
}

Entry* Entry::make_container(std::string_view key, ValueType type, std::unique_ptr<Container> value,
                             bool with_expiry) {
  Entry* e = allocate_container(static_cast<uint8_t>(type) | (with_expiry ? kHasExpiry : 0), key,
                                value->object_size());
  Container* heap_object = value.release();
  heap_object->relocate(e->container_storage());
  ::operator delete(heap_object);  // its storage only: relocate ended the object
  return e;
}

Entry* Entry::move_container(Entry* e, uint8_t flags, std::string_view key) {
  Container* value = e->container();
  Entry* moved = allocate_container(flags, key, value->object_size());
  std::memcpy(moved->bytes() + 1, e->bytes() + 1, kHeaderBytes - 1);  // the access clock
  value->relocate(moved->container_storage());
  std::free(e);
  return moved;
}

Container* Entry::container() const {
  return std::launder(
      reinterpret_cast<Container*>(const_cast<unsigned char*>(bytes()) + container_offset()));
}

void Entry::destroy(Entry* e) {
  if (e->type() != ValueType::kString) {
    e->container()->~Container();
  } else if (e->out_of_line()) {
    std::free(const_cast<char*>(e->string_value().data()));
  }
  std::free(e);
}

std::string_view Entry::key() const {
  uint64_t len;
  const unsigned char* k = varint::get(bytes() + key_offset(), &len);
  return {reinterpret_cast<const char*>(k), len};
}

size_t Entry::value_offset() const {
  std::string_view k = key();
  return static_cast<size_t>(reinterpret_cast<const unsigned char*>(k.data()) - bytes()) + k.size();
}

std::string_view Entry::string_value() const {
  if (out_of_line()) {
    uint64_t fields[2];
    std::memcpy(fields, bytes() + value_offset(), sizeof(fields));
    return {reinterpret_cast<const char*>(static_cast<uintptr_t>(fields[0])), fields[1]};
  }
  uint64_t len;
  const unsigned char* v = varint::get(bytes() + value_offset(), &len);
  return {reinterpret_cast<const char*>(v), len};
}

Entry* Entry::set_string(Entry* e, std::string_view value) {
  std::string_view old = e->string_value();
  if (old.size() == value.size()) {
    // Same size (the common overwrite): no allocation. memmove, as `value` may
    // alias the old bytes.
    std::memmove(const_cast<char*>(old.data()), value.data(), value.size());
    return e;
  }
  // Build the replacement before freeing the old entry: `value` may point into it.
  Entry* fresh = build_string(e, e->bytes()[0], e->key(), value);
  destroy(e);
  return fresh;
}

Entry* Entry::append_string(Entry* e, std::string_view tail) {
  // Double while small, then grow by 1 MiB steps: the slack stays bounded.
  constexpr size_t kStep = size_t{1} << 20;
  auto grown_capacity = [](size_t needed) { return needed < kStep ? needed * 2 : needed + kStep; };
  const std::string_view old = e->string_value();
  const size_t new_len = old.size() + tail.size();
  if (e->out_of_line()) {
    char* buffer = const_cast<char*>(old.data());
    if (new_len > malloc_usable_size(buffer)) {
      buffer = static_cast<char*>(std::realloc(buffer, grown_capacity(new_len)));
      if (!buffer) throw std::bad_alloc();
    }
    std::memcpy(buffer + old.size(), tail.data(), tail.size());
    e->set_buffer(buffer, new_len);
    return e;
  }
  if (new_len >= kOutOfLineBytes) {
    // Moving out of line: one buffer with room to keep growing.
    char* buffer = static_cast<char*>(std::malloc(grown_capacity(new_len)));
    if (!buffer) throw std::bad_alloc();
    std::memcpy(buffer, old.data(), old.size());
    std::memcpy(buffer + old.size(), tail.data(), tail.size());
    Entry* moved = allocate(e->bytes()[0] | kOutOfLine, e->key(), 2 * sizeof(uint64_t));
    std::memcpy(moved->bytes() + 1, e->bytes() + 1, moved->key_offset() - 1);
    moved->set_buffer(buffer, new_len);
    std::free(e);
    return moved;
  }
  const size_t len_at = e->value_offset();
  const size_t old_prefix = varint::size(old.size()), new_prefix = varint::size(new_len);
  const size_t needed = len_at + new_prefix + new_len;
  if (needed > malloc_usable_size(e)) {
    void* grown = std::realloc(e, grown_capacity(needed));
    if (!grown) throw std::bad_alloc();
    e = static_cast<Entry*>(grown);
  }
  unsigned char* at = e->bytes() + len_at;
  if (new_prefix != old_prefix) std::memmove(at + new_prefix, at + old_prefix, old.size());
  varint::put(at, new_len);
  std::memcpy(at + new_prefix + old.size(), tail.data(), tail.size());
  return e;
}

Entry* Entry::set_has_expiry(Entry* e, bool has_expiry) {
  if (e->has_expiry() == has_expiry) return e;
  if (e->type() != ValueType::kString) {
    // The object's offset shifts with the header (and its alignment), so it
    // moves as an object rather than as bytes.
    const uint8_t flags = has_expiry ? (e->bytes()[0] | kHasExpiry) : (e->bytes()[0] & ~kHasExpiry);
    Entry* moved = move_container(e, flags, e->key());
    if (has_expiry) moved->set_expiry_slot(0);
    return moved;
  }
  size_t tail = e->block_size() - e->key_offset();
  size_t new_size = kHeaderBytes + (has_expiry ? 4 : 0) + tail;
  auto* p = static_cast<unsigned char*>(std::malloc(new_size));
  if (!p) throw std::bad_alloc();
  std::memcpy(p, e->bytes(), kHeaderBytes);
  p[0] = has_expiry ? (p[0] | kHasExpiry) : (p[0] & ~kHasExpiry);
  if (has_expiry) std::memset(p + kHeaderBytes, 0, 4);
  std::memcpy(p + kHeaderBytes + (has_expiry ? 4 : 0), e->bytes() + e->key_offset(), tail);
  std::free(e);
  return reinterpret_cast<Entry*>(p);
}

Entry* Entry::clone(const Entry* e, std::string_view new_key, bool with_expiry) {
  if (e->type() != ValueType::kString) {
    return make_container(new_key, e->type(), e->container()->clone(), with_expiry);
  }
  Entry* copy = make_string(new_key, e->string_value(), with_expiry);
  copy->set_raw_flag(e->raw_flag());
  return copy;
}

Entry* Entry::rekey(Entry* e, std::string_view new_key, bool with_expiry) {
  if (e->type() != ValueType::kString) {
    return move_container(e, (e->bytes()[0] & kTypeMask) | (with_expiry ? kHasExpiry : 0), new_key);
  }
  if (!e->out_of_line()) {
    Entry* copy = clone(e, new_key, with_expiry);
    destroy(e);
    return copy;
  }
  uint8_t flags = with_expiry ? (e->bytes()[0] | kHasExpiry) : (e->bytes()[0] & ~kHasExpiry);
  Entry* moved = allocate(flags, new_key, 2 * sizeof(uint64_t));
  std::string_view value = e->string_value();
  moved->set_buffer(const_cast<char*>(value.data()), value.size());  // ownership moves
  std::free(e);
  return moved;
}

void Entry::set_raw_flag(bool raw) {
  bytes()[0] = raw ? (bytes()[0] | kRawFlag) : (bytes()[0] & ~kRawFlag);
}

uint32_t Entry::expiry_slot() const {
  uint32_t slot;
  std::memcpy(&slot, bytes() + kHeaderBytes, 4);
  return slot;
}

void Entry::set_expiry_slot(uint32_t slot) {
  std::memcpy(bytes() + kHeaderBytes, &slot, 4);
}

uint32_t Entry::access_clock() const {
  return bytes()[1] | (bytes()[2] << 8) | (static_cast<uint32_t>(bytes()[3]) << 16);
}

void Entry::set_access_clock(uint32_t clock) {
  bytes()[1] = clock & 0xff;
  bytes()[2] = (clock >> 8) & 0xff;
  bytes()[3] = (clock >> 16) & 0xff;
}

size_t Entry::block_size() const {
  size_t end = value_offset();
  if (type() != ValueType::kString) return container_offset() + container()->object_size();
  if (out_of_line()) return end + 2 * sizeof(uint64_t);
  std::string_view v = string_value();
  return static_cast<size_t>(reinterpret_cast<const unsigned char*>(v.data()) - bytes()) + v.size();
}

size_t Entry::allocation_size() const {
  // A container's own measure counts its object, which lives in this block.
  if (type() != ValueType::kString) return container_offset() + container()->memory_usage();
  size_t size = block_size();
  if (out_of_line()) {
    size += malloc_usable_size(const_cast<char*>(string_value().data()));
  }
  return size;
}

}  // namespace vireo
