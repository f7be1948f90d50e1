// The writing half of checkpoints: streaming a keyspace to a descriptor, and
// landing it durably under its final name.
#include "persistence/checkpoint.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "core/strconv.h"
#include "core/types/hash_value.h"
#include "core/types/list_value.h"
#include "core/types/set_value.h"
#include "core/types/zset_value.h"
#include "core/varint.h"
#include "persistence/checkpoint_format.h"
#include "persistence/crc32c.h"
#include "persistence/durable_file.h"

namespace vireo {

using namespace checkpoint_format;

namespace {

// The longest varint, and the most bytes an entry's head (kind, deadline, key
// length) takes before the key bytes.
constexpr size_t kMaxVarint = 10;
constexpr size_t kMaxEntryHead = 1 + 8 + kMaxVarint;

}  // namespace

// A write buffer that checksums what it hands to write(2). After a failure
// it keeps accepting bytes (so the walk over the keyspace needs no error
// checks) but writes nothing more.
class CheckpointSink {
 public:
  CheckpointSink(int fd, size_t capacity)
      : fd_(fd),
        capacity_(std::max<size_t>(capacity, 4096)),
        buffer_(new unsigned char[capacity_]) {}

  // At least `n` (at most the capacity) contiguous bytes to fill, then pass
  // their end to commit().
  unsigned char* room(size_t n) {
    if (capacity_ - used_ < n) flush();
    return buffer_.get() + used_;
  }
  void commit(unsigned char* end) { used_ = static_cast<size_t>(end - buffer_.get()); }

  void put(const void* data, size_t n) {
    if (n > capacity_ - used_) {
      flush();
      if (n >= capacity_) return emit(data, n);  // too big to be worth copying
    }
    std::memcpy(buffer_.get() + used_, data, n);
    used_ += n;
  }
  void put_byte(uint8_t b) {
    unsigned char* p = room(1);
    *p = b;
    commit(p + 1);
  }
  void put_varint(uint64_t v) { commit(varint::put(room(kMaxVarint), v)); }
  void put_string(std::string_view s) {
    if (s.size() <= capacity_ - kMaxVarint) {
      commit(varint::put_prefixed(room(kMaxVarint + s.size()), s));
    } else {
      put_varint(s.size());
      put(s.data(), s.size());
    }
  }

  // Writes out what is buffered and then the checksum of everything so far.
  void finish() {
    flush();
    unsigned char crc[4];
    put_le(crc, crc_, 4);
    write_all(crc, sizeof crc);
  }

  const std::string& error() const { return error_; }
  uint64_t bytes() const { return bytes_; }

 private:
  void flush() {
    emit(buffer_.get(), used_);
    used_ = 0;
  }
  void emit(const void* data, size_t n) {
    crc_ = crc32c(crc_, data, n);
    write_all(data, n);
  }
  void write_all(const void* data, size_t n) {
    auto* p = static_cast<const char*>(data);
    while (n > 0 && error_.empty()) {
      ssize_t w = ::write(fd_, p, n);
      if (w < 0 && errno == EINTR) continue;
      if (w <= 0) {
        error_ = fmt::format("write failed after {} bytes: {}", bytes_,
                             w < 0 ? std::strerror(errno) : "no progress");
        return;
      }
      p += w;
      n -= static_cast<size_t>(w);
      bytes_ += static_cast<uint64_t>(w);
    }
  }

  int fd_;
  size_t capacity_;
  std::unique_ptr<unsigned char[]> buffer_;
  size_t used_ = 0;
  uint32_t crc_ = 0;
  uint64_t bytes_ = 0;  // handed to write(2) successfully
  std::string error_;
};

CheckpointWriter::CheckpointWriter(int fd, size_t buffer_bytes)
    : sink_(std::make_unique<CheckpointSink>(fd, buffer_bytes)) {}

CheckpointWriter::~CheckpointWriter() = default;

namespace {

// Writes one entry's kind byte, deadline and key.
void put_head(CheckpointSink& out, Kind kind, int64_t deadline, std::string_view key) {
  const bool has_deadline = deadline != kNoExpiry;
  unsigned char* p = out.room(kMaxEntryHead);
  *p++ = kind | (has_deadline ? kHasDeadline : 0);
  if (has_deadline) p = put_le(p, static_cast<uint64_t>(deadline), 8);
  out.commit(p);
  out.put_string(key);
}

void put_entry(CheckpointSink& out, const Database& db, const Entry* e) {
  const int64_t deadline = db.deadline(e);
  switch (e->type()) {
    case ValueType::kString: {
      std::string_view value = e->string_value();
      std::optional<int64_t> integer;
      if (value.size() < kInt64Chars) integer = parse_int64(value);
      if (integer) {
        put_head(out, kInteger, deadline, e->key());
        out.put_varint(zigzag(*integer));
      } else {
        put_head(out, kString, deadline, e->key());
        out.put_string(value);
      }
      return;
    }
    case ValueType::kList: {
      const auto& list = *e->value_as<ListValue>();
      put_head(out, kList, deadline, e->key());
      out.put_varint(list.size());
      for (std::string_view item : list)
        out.put_string(item);
      return;
    }
    case ValueType::kSet: {
      const auto& set = *e->value_as<SetValue>();
      put_head(out, kSet, deadline, e->key());
      out.put_varint(set.size());
      set.for_each([&](std::string_view member) { out.put_string(member); });
      return;
    }
    case ValueType::kZSet: {
      const auto& zset = *e->value_as<ZSetValue>();
      put_head(out, kZSet, deadline, e->key());
      out.put_varint(zset.size());
      zset.visit_all([&](std::string_view member, double score) {
        out.put_string(member);
        out.commit(put_le(out.room(8), double_bits(score), 8));
      });
      return;
    }
    case ValueType::kHash: {
      const auto& hash = *e->value_as<HashValue>();
      put_head(out, kHash, deadline, e->key());
      out.put_varint(hash.size());
      hash.for_each([&](std::string_view field, std::string_view value) {
        out.put_string(field);
        out.put_string(value);
      });
      return;
    }
  }
}

}  // namespace

CheckpointWriteResult CheckpointWriter::write(const Keyspace& keyspace, uint64_t lsn,
                                              int64_t created_ms) {
  CheckpointSink& out = *sink_;
  CheckpointWriteResult result;
  unsigned char header[kCheckpointHeaderBytes];
  std::memcpy(header, kCheckpointMagic, sizeof kCheckpointMagic);
  put_le(header + kVersionAt, kCheckpointVersion, 4);
  put_le(header + kLsnAt, lsn, 8);
  put_le(header + kCreatedAt, static_cast<uint64_t>(created_ms), 8);
  put_le(header + kDatabasesAt, static_cast<uint32_t>(keyspace.count()), 4);
  put_le(header + kHeaderCrcAt, crc32c(0, header, kHeaderCrcAt), 4);
  out.put(header, sizeof header);

  for (int index = 0; index < keyspace.count(); ++index) {
    const Database& db = keyspace.db(index);
    if (db.size() == 0) continue;
    out.put_byte(kDatabaseMarker);
    out.put_varint(static_cast<uint64_t>(index));
    out.put_varint(db.size());
    // The table lists entries in hash order, scattered over the heap: each
    // one is fetched kAhead entries before it is written, so that the cache
    // misses overlap instead of costing one full memory latency per key.
    constexpr size_t kAhead = 16;
    const Entry* pending[kAhead];
    uint64_t written = 0;
    db.for_each_stored([&](const Entry* e) {
      __builtin_prefetch(e);
      const Entry*& slot = pending[written % kAhead];
      if (written >= kAhead) {
        put_entry(out, db, slot);
        if (after_key_) after_key_();
      }
      slot = e;
      ++written;
    });
    for (uint64_t i = written > kAhead ? written - kAhead : 0; i < written; ++i) {
      put_entry(out, db, pending[i % kAhead]);
      if (after_key_) after_key_();
    }
    result.keys += written;
    if (written != db.size()) {
      result.error =
          fmt::format("database {} listed {} keys but holds {}", index, written, db.size());
      return result;
    }
    if (!out.error().empty()) break;
  }
  out.put_byte(kEndMarker);
  out.finish();
  result.error = out.error();
  result.bytes = out.bytes();
  return result;
}

namespace {

std::string errno_text(std::string_view what, const std::string& path) {
  return fmt::format("{} {}: {}", what, path, std::strerror(errno));
}

}  // namespace

CheckpointWriteResult write_checkpoint_file(const std::string& dir, const std::string& name,
                                            const Keyspace& keyspace, uint64_t lsn,
                                            int64_t created_ms,
                                            const std::function<void()>& after_key) {
  const std::string final_path = dir + "/" + name;
  const std::string temp_path = final_path + ".tmp";
  CheckpointWriteResult result;
  int fd = ::open(temp_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    result.error = errno_text("cannot create", temp_path);
    return result;
  }
  {
    CheckpointWriter writer(fd);
    if (after_key) writer.set_after_key(after_key);
    result = writer.write(keyspace, lsn, created_ms);
  }
  if (!result.ok()) {
    result.error = temp_path + ": " + result.error;
  } else if (!sync_file(fd)) {
    result.error = errno_text("cannot fsync", temp_path);
  }
  // close() reports delayed write errors on some file systems (NFS).
  if (::close(fd) != 0 && result.ok()) result.error = errno_text("cannot close", temp_path);
  if (result.ok() && ::rename(temp_path.c_str(), final_path.c_str()) != 0) {
    result.error =
        fmt::format("cannot rename {} to {}: {}", temp_path, final_path, std::strerror(errno));
  }
  if (!result.ok()) {
    ::unlink(temp_path.c_str());
    return result;
  }
  // The rename is durable only once the directory entry is.
  result.error = sync_directory(dir);
  return result;
}

}  // namespace vireo
