// The loading half of checkpoints: checking a file and rebuilding a keyspace
// from it.
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <new>

#include "core/strconv.h"
#include "core/types/hash_value.h"
#include "core/types/list_value.h"
#include "core/types/set_value.h"
#include "core/types/zset_value.h"
#include "persistence/checkpoint.h"
#include "persistence/checkpoint_format.h"
#include "persistence/crc32c.h"

namespace vireo {

using namespace checkpoint_format;

namespace {

// Thrown inside the parser only; load_checkpoint_bytes turns it into a result.
struct ParseError {
  size_t offset;
  std::string what;
};

// Bounds-checked reads over the file's bytes. The checksum already vouches
// for them, so a failure here means a file written by a broken or hostile
// writer: it must still be an error, never a read past the end.
class Reader {
 public:
  Reader(const unsigned char* begin, const unsigned char* end)
      : begin_(begin), p_(begin), end_(end) {}

  size_t offset() const { return static_cast<size_t>(p_ - begin_); }
  size_t remaining() const { return static_cast<size_t>(end_ - p_); }
  [[noreturn]] void fail_at(size_t offset, std::string what) const {
    throw ParseError{offset, std::move(what)};
  }

  uint8_t u8() {
    need(1);
    return *p_++;
  }
  uint64_t fixed64() {
    need(8);
    uint64_t v = get_le(p_, 8);
    p_ += 8;
    return v;
  }
  uint64_t varint() {
    const size_t at = offset();
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      const uint8_t b = u8();
      v |= static_cast<uint64_t>(b & 0x7f) << shift;
      if (!(b & 0x80)) {
        if (shift == 63 && b > 1) break;
        return v;
      }
    }
    fail_at(at, "varint overflows 64 bits");
  }
  std::string_view bytes(uint64_t n) {
    need(n);
    std::string_view s(reinterpret_cast<const char*>(p_), static_cast<size_t>(n));
    p_ += n;
    return s;
  }
  // A length-prefixed string.
  std::string_view string() { return bytes(varint()); }

 private:
  void need(uint64_t n) const {
    if (n > remaining()) {
      fail_at(offset(),
              fmt::format("{} bytes needed, {} left before the checksum", n, remaining()));
    }
  }

  const unsigned char* begin_;
  const unsigned char* p_;
  const unsigned char* end_;
};

// The header's fields, or what is wrong with them. Checks everything but the
// whole-file checksum.
std::string parse_header(const unsigned char* h, CheckpointInfo* info) {
  if (std::memcmp(h, kCheckpointMagic, sizeof kCheckpointMagic) != 0) {
    return "at byte 0: not a checkpoint (bad magic)";
  }
  const auto version = static_cast<uint32_t>(get_le(h + kVersionAt, 4));
  if (version != kCheckpointVersion) {
    return fmt::format("at byte {}: format version {}, this build reads {}", kVersionAt, version,
                       kCheckpointVersion);
  }
  const auto stored = static_cast<uint32_t>(get_le(h + kHeaderCrcAt, 4));
  if (stored != crc32c(0, h, kHeaderCrcAt)) {
    return fmt::format("at byte {}: header checksum mismatch", kHeaderCrcAt);
  }
  info->lsn = get_le(h + kLsnAt, 8);
  info->created_ms = static_cast<int64_t>(get_le(h + kCreatedAt, 8));
  info->databases = static_cast<uint32_t>(get_le(h + kDatabasesAt, 4));
  return {};
}

// Rebuilds the databases from the body, between the header and the checksum.
class Loader {
 public:
  Loader(Reader& in, Keyspace& keyspace, const CheckpointLoadOptions& options, uint32_t databases,
         CheckpointLoadResult& result)
      : in_(in),
        keyspace_(keyspace),
        limits_(options.limits),
        keep_expired_(options.keep_expired),
        progress_(options.progress),
        databases_(databases),
        result_(result) {}
  Loader(const Loader&) = delete;
  Loader& operator=(const Loader&) = delete;
  // Entries built but not added when parsing fails.
  ~Loader() {
    for (; waiting_ > 0; --waiting_)
      Entry::destroy(built_[next_ % kAddLag].entry), ++next_;
  }

  void run() {
    int64_t last_index = -1;
    for (;;) {
      const size_t at = in_.offset();
      const uint8_t marker = in_.u8();
      if (marker == kEndMarker) break;
      if (marker != kDatabaseMarker) {
        in_.fail_at(at, fmt::format("expected a database or end marker, found 0x{:02x}", marker));
      }
      const uint64_t index = in_.varint();
      if (static_cast<int64_t>(index) <= last_index || index >= databases_) {
        in_.fail_at(at, fmt::format("database {} out of order or beyond the header's {}", index,
                                    databases_));
      }
      if (index >= static_cast<uint64_t>(keyspace_.count())) {
        in_.fail_at(at, fmt::format("database {} does not exist here (databases {})", index,
                                    keyspace_.count()));
      }
      last_index = static_cast<int64_t>(index);
      const uint64_t keys = count("keys");
      Database& db = keyspace_.db(static_cast<int>(index));
      // A count is a promise the file makes, not the truth: bounded by what
      // the remaining bytes could hold (count() checks), it is safe to size by.
      db.reserve(keys);
      access_ = db.fresh_access();
      try {
        for (uint64_t i = 0; i < keys; ++i)
          load_entry(db);
      } catch (const ParseError&) {
        // A duplicate among the entries still waiting lies before the fault.
        add_waiting(db, 0);
        throw;
      }
      add_waiting(db, 0);
    }
    if (in_.remaining() != 0) in_.fail_at(in_.offset(), "data after the end marker");
  }

 private:
  // A non-zero count of things each at least one byte long.
  uint64_t count(std::string_view of) {
    const size_t at = in_.offset();
    const uint64_t n = in_.varint();
    if (n == 0 || n > in_.remaining()) {
      in_.fail_at(at, fmt::format("impossible count of {}: {}", of, n));
    }
    return n;
  }

  void load_entry(Database& db) {
    const size_t at = in_.offset();
    const uint8_t tag = in_.u8();
    const uint8_t kind = tag & ~kHasDeadline;
    if (kind > kLastKind) in_.fail_at(at, fmt::format("unknown entry kind 0x{:02x}", tag));
    int64_t deadline = kNoExpiry;
    if (tag & kHasDeadline) {
      deadline = static_cast<int64_t>(in_.fixed64());
      if (deadline < 0) in_.fail_at(at + 1, fmt::format("negative deadline {}", deadline));
    }
    const std::string_view key = in_.string();
    const bool drop = deadline != kNoExpiry && !keep_expired_ && deadline <= keyspace_.now();

    Entry* e = nullptr;
    const bool with_expiry = deadline != kNoExpiry;
    switch (kind) {
      case kString: {
        const std::string_view value = in_.string();
        if (!drop) e = Entry::make_string(key, value, with_expiry);
        break;
      }
      case kInteger: {
        char digits[kInt64Chars];
        const char* end = format_int64(unzigzag(in_.varint()), digits);
        if (!drop)
          e = Entry::make_string(key, {digits, static_cast<size_t>(end - digits)}, with_expiry);
        break;
      }
      case kList:
        e = adopt_container(key, ValueType::kList, load_list(), drop, with_expiry);
        break;
      case kSet:
        e = adopt_container(key, ValueType::kSet, load_set(), drop, with_expiry);
        break;
      case kZSet:
        e = adopt_container(key, ValueType::kZSet, load_zset(), drop, with_expiry);
        break;
      case kHash:
        e = adopt_container(key, ValueType::kHash, load_hash(), drop, with_expiry);
        break;
    }
    if (drop) {
      ++result_.keys_expired;
      return;
    }
    e->set_access_clock(access_);
    db.prefetch(key);
    add_waiting(db, kAddLag - 1);
    built_[(next_ + waiting_++) % kAddLag] = {e, deadline, at};
  }

  // Adds the oldest waiting entries to `db` until `keep` are left.
  void add_waiting(Database& db, size_t keep) {
    while (waiting_ > keep) {
      const Built b = built_[next_++ % kAddLag];
      --waiting_;
      if (db.present(b.entry->key())) {
        Entry::destroy(b.entry);
        in_.fail_at(b.at, "duplicate key");
      }
      db.adopt(b.entry, b.deadline);
      if (++result_.keys_loaded % 4096 == 0 && progress_) progress_();
    }
  }

  // The entry for a container just parsed, or nullptr (the container freed)
  // when the key is dropped.
  static Entry* adopt_container(std::string_view key, ValueType type,
                                std::unique_ptr<Container> value, bool drop, bool with_expiry) {
    return drop ? nullptr : Entry::make_container(key, type, std::move(value), with_expiry);
  }

  std::unique_ptr<Container> load_list() {
    const uint64_t n = count("list items");
    auto list = std::make_unique<ListValue>(limits_);
    for (uint64_t i = 0; i < n; ++i)
      list->push_back(in_.string());
    return list;
  }

  std::unique_ptr<Container> load_set() {
    const uint64_t n = count("set members");
    auto set = std::make_unique<SetValue>(limits_);
    for (uint64_t i = 0; i < n; ++i) {
      const size_t at = in_.offset();
      if (!set->add(in_.string(), limits_)) in_.fail_at(at, "duplicate set member");
    }
    return set;
  }

  std::unique_ptr<Container> load_zset() {
    const uint64_t n = count("sorted set members");
    auto zset = std::make_unique<ZSetValue>(limits_);
    zset->presize(n, 0, limits_);
    for (uint64_t i = 0; i < n; ++i) {
      const size_t at = in_.offset();
      const std::string_view member = in_.string();
      const double score = bits_double(in_.fixed64());
      if (std::isnan(score)) in_.fail_at(at, "score is NaN");
      if (!zset->set(member, score, limits_)) in_.fail_at(at, "duplicate sorted set member");
    }
    return zset;
  }

  std::unique_ptr<Container> load_hash() {
    const uint64_t n = count("hash fields");
    auto hash = std::make_unique<HashValue>(limits_);
    for (uint64_t i = 0; i < n; ++i) {
      const size_t at = in_.offset();
      const std::string_view field = in_.string();
      if (!hash->set(field, in_.string(), limits_)) in_.fail_at(at, "duplicate hash field");
    }
    return hash;
  }

  Reader& in_;
  Keyspace& keyspace_;
  const ContainerLimits& limits_;
  const bool keep_expired_;
  const std::function<void()>& progress_;
  const uint32_t databases_;
  CheckpointLoadResult& result_;
  uint32_t access_ = 0;  // the idle clock every loaded key starts with

  // An entry parsed and built, not yet in its database.
  struct Built {
    Entry* entry;
    int64_t deadline;
    size_t at;  // where it starts in the file
  };
  // Entries wait this many places between being built, when their bucket is
  // prefetched, and being added: the table's cache misses (a million keys
  // span more than the caches) then overlap the parsing of the next ones
  // instead of stalling every key.
  static constexpr size_t kAddLag = 8;
  std::array<Built, kAddLag> built_{};
  size_t next_ = 0;  // ring position of the oldest waiting entry
  size_t waiting_ = 0;
};

void empty_keyspace(Keyspace& keyspace) {
  for (int i = 0; i < keyspace.count(); ++i) {
    for (Entry* e : keyspace.db(i).release_all())
      Entry::destroy(e);
  }
}

// A file mapped read-only for the duration of a load.
class Mapping {
 public:
  explicit Mapping(const std::string& path) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      error_ = fmt::format("{}: cannot open: {}", path, std::strerror(errno));
      return;
    }
    struct stat st;
    if (::fstat(fd, &st) != 0) {
      error_ = fmt::format("{}: cannot stat: {}", path, std::strerror(errno));
    } else if (st.st_size > 0) {
      size_ = static_cast<size_t>(st.st_size);
      // Populated up front: the checksum pass reads every page anyway.
      void* p = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
      if (p == MAP_FAILED) {
        error_ = fmt::format("{}: cannot map: {}", path, std::strerror(errno));
        size_ = 0;
      } else {
        data_ = p;
        ::madvise(data_, size_, MADV_SEQUENTIAL);
      }
    }
    ::close(fd);
  }
  ~Mapping() {
    if (data_) ::munmap(data_, size_);
  }
  Mapping(const Mapping&) = delete;
  Mapping& operator=(const Mapping&) = delete;

  const std::string& error() const { return error_; }
  std::string_view bytes() const { return {static_cast<const char*>(data_), size_}; }

 private:
  void* data_ = nullptr;
  size_t size_ = 0;
  std::string error_;
};

}  // namespace

CheckpointLoadResult load_checkpoint_bytes(std::string_view bytes, std::string_view name,
                                           Keyspace& keyspace,
                                           const CheckpointLoadOptions& options) {
  CheckpointLoadResult result;
  auto fail = [&](std::string what) {
    result.error = fmt::format("{}: {}", name, what);
    return result;
  };
  const auto* data = reinterpret_cast<const unsigned char*>(bytes.data());
  const size_t size = bytes.size();
  if (size < kCheckpointHeaderBytes + kTrailerBytes) {
    return fail(fmt::format("at byte {}: too short for a checkpoint", size));
  }
  CheckpointInfo info;
  // The magic and version first, so that a file of another kind or a newer
  // format says so rather than "checksum mismatch".
  if (std::string why = parse_header(data, &info); !why.empty()) return fail(std::move(why));
  const size_t body_end = size - 4;
  const auto stored = static_cast<uint32_t>(get_le(data + body_end, 4));
  const uint32_t computed = crc32c(0, data, body_end);
  if (stored != computed) {
    return fail(fmt::format("at byte {}: checksum mismatch (stored {:08x}, computed {:08x})",
                            body_end, stored, computed));
  }
  if (keyspace.total_keys() != 0) return fail("at byte 0: the keyspace to load into is not empty");
  result.lsn = info.lsn;
  result.created_ms = info.created_ms;

  Reader in(data, data + body_end);
  in.bytes(kCheckpointHeaderBytes);
  try {
    Loader(in, keyspace, options, info.databases, result).run();
  } catch (const ParseError& e) {
    empty_keyspace(keyspace);
    return fail(fmt::format("at byte {}: {}", e.offset, e.what));
  } catch (const std::bad_alloc&) {
    empty_keyspace(keyspace);
    return fail(fmt::format("at byte {}: out of memory", in.offset()));
  }
  return result;
}

CheckpointLoadResult load_checkpoint(const std::string& path, Keyspace& keyspace,
                                     const CheckpointLoadOptions& options) {
  Mapping file(path);
  if (!file.error().empty()) {
    CheckpointLoadResult result;
    result.error = file.error();
    return result;
  }
  return load_checkpoint_bytes(file.bytes(), path, keyspace, options);
}

CheckpointInfo read_checkpoint_header(const std::string& path) {
  CheckpointInfo info;
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    info.error = fmt::format("{}: cannot open: {}", path, std::strerror(errno));
    return info;
  }
  unsigned char header[kCheckpointHeaderBytes];
  unsigned char end_marker = 0;
  struct stat st {};
  std::string why;
  errno = 0;  // a short pread sets none
  if (::fstat(fd, &st) != 0) {
    why = fmt::format("cannot stat: {}", std::strerror(errno));
  } else if (static_cast<uint64_t>(st.st_size) < kCheckpointHeaderBytes + kTrailerBytes) {
    why = fmt::format("at byte {}: too short for a checkpoint", st.st_size);
  } else if (::pread(fd, header, sizeof header, 0) != static_cast<ssize_t>(sizeof header) ||
             ::pread(fd, &end_marker, 1, st.st_size - static_cast<off_t>(kTrailerBytes)) != 1) {
    why = fmt::format("cannot read: {}", errno ? std::strerror(errno) : "short read");
  } else if (why = parse_header(header, &info); why.empty() && end_marker != kEndMarker) {
    why = fmt::format("at byte {}: no end marker (truncated?)", st.st_size - kTrailerBytes);
  }
  ::close(fd);
  info.file_bytes = static_cast<uint64_t>(st.st_size);
  if (!why.empty()) info.error = fmt::format("{}: {}", path, why);
  return info;
}

}  // namespace vireo
