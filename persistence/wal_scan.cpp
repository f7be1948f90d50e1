#include "persistence/wal_scan.h"

#include <dirent.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "persistence/wal_format.h"

namespace vireo::wal {
namespace {

// A file's bytes, mapped read-only for the length of a scan.
class MappedFile {
 public:
  explicit MappedFile(const std::string& path) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      error_ = fmt::format("can't open {}: {}", path, std::strerror(errno));
      return;
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
      error_ = fmt::format("can't stat {}: {}", path, std::strerror(errno));
    } else if (st.st_size > 0) {
      size_ = static_cast<size_t>(st.st_size);
      void* p = mmap(nullptr, size_, PROT_READ, MAP_PRIVATE, fd, 0);
      if (p == MAP_FAILED) {
        error_ = fmt::format("can't map {}: {}", path, std::strerror(errno));
        size_ = 0;
      } else {
        data_ = static_cast<const char*>(p);
        madvise(p, size_, MADV_SEQUENTIAL);
      }
    }
    ::close(fd);
  }
  ~MappedFile() {
    if (data_) munmap(const_cast<char*>(data_), size_);
  }
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  std::string_view bytes() const { return {data_, size_}; }
  const std::string& error() const { return error_; }

 private:
  const char* data_ = nullptr;
  size_t size_ = 0;
  std::string error_;
};

bool all_zero(std::string_view bytes) {
  return std::all_of(bytes.begin(), bytes.end(), [](char c) { return c == 0; });
}

// `bytes` up to its last non-zero byte: zero-filled space after the data
// (the writer's preallocation, or a crash in the middle of a write) holds
// nothing.
std::string_view without_zero_tail(std::string_view bytes) {
  size_t n = bytes.size();
  while (n > 0 && bytes[n - 1] == 0)
    --n;
  return bytes.substr(0, n);
}

std::string fsync_path(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return fmt::format("can't open {}: {}", path, std::strerror(errno));
  std::string error;
  if (fsync(fd) != 0) error = fmt::format("can't fsync {}: {}", path, std::strerror(errno));
  ::close(fd);
  return error;
}

std::string parent_dir(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? "." : path.substr(0, slash == 0 ? 1 : slash);
}

}  // namespace

std::vector<SegmentFile> list_segments(const std::string& dir, std::string* error) {
  std::vector<SegmentFile> segments;
  DIR* d = opendir(dir.c_str());
  if (!d) {
    if (errno != ENOENT) *error = fmt::format("can't read {}: {}", dir, std::strerror(errno));
    return segments;
  }
  while (dirent* e = readdir(d)) {
    auto lsn = parse_segment_name(e->d_name);
    if (!lsn) continue;
    SegmentFile s{*lsn, dir + "/" + e->d_name, 0};
    struct stat st;
    if (stat(s.path.c_str(), &st) == 0) s.size = static_cast<uint64_t>(st.st_size);
    segments.push_back(std::move(s));
  }
  closedir(d);
  std::sort(segments.begin(), segments.end(),
            [](const SegmentFile& a, const SegmentFile& b) { return a.start_lsn < b.start_lsn; });
  return segments;
}

LogScanResult scan_log(const std::vector<SegmentFile>& segments, uint64_t from_lsn,
                       const std::function<std::string(uint64_t, std::string_view)>& visit) {
  LogScanResult result;
  if (segments.empty()) {
    result.start_lsn = result.end_lsn = from_lsn;
    return result;
  }
  // Segments wholly before `from_lsn` (their successor starts at or before
  // it) are not read: a checkpoint covers them.
  size_t first = 0;
  while (first + 1 < segments.size() && segments[first + 1].start_lsn <= from_lsn)
    ++first;
  result.start_lsn = result.end_lsn = segments[first].start_lsn;
  auto problem = [&](LogProblem::Kind kind, const SegmentFile& s, uint64_t offset,
                     uint64_t data_end, std::string what) {
    result.problems.push_back({kind, s.path, offset, result.end_lsn,
                               std::max(data_end, offset) - offset, std::move(what)});
  };
  if (from_lsn < result.start_lsn) {
    problem(LogProblem::Kind::kCorrupt, segments[first], 0, segments[first].size,
            fmt::format("the log starts at position {}, after {} where replay must begin: "
                        "the records between are missing",
                        result.start_lsn, from_lsn));
    return result;
  }
  for (size_t i = first; i < segments.size(); ++i) {
    const SegmentFile& s = segments[i];
    const bool last = i + 1 == segments.size();
    MappedFile file(s.path);
    if (!file.error().empty()) {
      result.error = file.error();
      return result;
    }
    std::string_view bytes = file.bytes();
    const size_t data_end = without_zero_tail(bytes).size();
    if (s.start_lsn != result.end_lsn) {
      problem(LogProblem::Kind::kCorrupt, s, 0, data_end,
              fmt::format("the segment starts at log position {} but the one before it ends at {}",
                          s.start_lsn, result.end_lsn));
      return result;
    }
    auto header_lsn = parse_segment_header(bytes);
    if (!header_lsn || *header_lsn != s.start_lsn) {
      // A crash while a new segment was being created leaves a short or
      // zero-filled header, or one cut short with only zeros after it;
      // anything else is damage.
      bool torn = last && (bytes.size() < kSegmentHeaderSize ||
                           all_zero(bytes.substr(0, kSegmentHeaderSize)) ||
                           all_zero(bytes.substr(kSegmentHeaderSize)));
      problem(
          torn ? LogProblem::Kind::kTornTail : LogProblem::Kind::kCorrupt, s, 0, data_end,
          header_lsn ? "the segment header names another log position" : "no valid segment header");
      return result;
    }
    std::string_view records = bytes.substr(kSegmentHeaderSize);
    size_t pos = 0;
    while (true) {
      RecordRead r = read_record(records, pos);
      if (r.status == RecordRead::Status::kEnd) break;
      if (r.status != RecordRead::Status::kRecord) {
        std::string_view rest = records.substr(pos);
        // Zero-filled space after the last record is where the segment's
        // records end (the writer fills space ahead of its writes).
        if (all_zero(rest)) break;
        // A torn write is the end of the last file: a record cut short, or
        // a last record the disk did not finish, with only zeros after it.
        const size_t extent = std::max<size_t>(r.claimed, kRecordHeaderSize);
        bool torn = last && (r.status == RecordRead::Status::kIncomplete || extent >= rest.size() ||
                             all_zero(rest.substr(extent)));
        problem(torn ? LogProblem::Kind::kTornTail : LogProblem::Kind::kCorrupt, s,
                kSegmentHeaderSize + pos, data_end, r.problem);
        return result;
      }
      const uint64_t lsn = result.end_lsn;
      result.end_lsn += r.next - pos;
      pos = r.next;
      if (lsn < from_lsn) continue;
      if (std::string e = visit(lsn, r.payload); !e.empty()) {
        result.error = fmt::format("{} at log position {} ({}, offset {})", e, lsn, s.path,
                                   kSegmentHeaderSize + pos - (result.end_lsn - lsn));
        return result;
      }
      ++result.records;
    }
  }
  return result;
}

LogRangeReader::~LogRangeReader() {
  for (const File& f : files_)
    ::close(f.fd);
}

std::string LogRangeReader::open(const std::vector<SegmentFile>& segments, uint64_t from,
                                 uint64_t to) {
  if (segments.empty() || from < segments.front().start_lsn) {
    return fmt::format("the log on disk does not reach back to position {}", from);
  }
  at_ = from;
  to_ = to;
  uint64_t covered = from;
  for (size_t i = 0; i < segments.size() && covered < to; ++i) {
    const SegmentFile& s = segments[i];
    const uint64_t records = s.size > kSegmentHeaderSize ? s.size - kSegmentHeaderSize : 0;
    // A segment ends where the next begins (the last: where its file ends).
    const uint64_t end =
        i + 1 < segments.size() ? segments[i + 1].start_lsn : s.start_lsn + records;
    if (covered >= end) continue;
    if (covered < s.start_lsn || end > s.start_lsn + records) {
      return fmt::format("{} does not hold positions {} to {}", s.path, covered, end);
    }
    const int fd = ::open(s.path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return fmt::format("can't open {}: {}", s.path, std::strerror(errno));
    files_.push_back({fd, s.path, s.start_lsn, std::min(end, to)});
    covered = std::min(end, to);
  }
  if (covered < to)
    return fmt::format("the log on disk ends at position {}, before {}", covered, to);
  return "";
}

std::string LogRangeReader::read(char* buf, size_t n, size_t* got) {
  *got = 0;
  while (current_ < files_.size() && at_ >= files_[current_].end_lsn)
    ++current_;
  if (at_ >= to_ || current_ == files_.size() || n == 0) return "";
  const File& f = files_[current_];
  const size_t want = static_cast<size_t>(std::min<uint64_t>(n, f.end_lsn - at_));
  ssize_t r;
  do {
    r = pread(f.fd, buf, want, static_cast<off_t>(kSegmentHeaderSize + (at_ - f.start_lsn)));
  } while (r < 0 && errno == EINTR);
  if (r <= 0) {
    return fmt::format("can't read {}: {}", f.path,
                       r < 0 ? std::strerror(errno) : "it is shorter than listed");
  }
  *got = static_cast<size_t>(r);
  at_ += *got;
  return "";
}

std::string truncate_log(const std::vector<SegmentFile>& segments, const LogProblem& at) {
  auto it = std::find_if(segments.begin(), segments.end(),
                         [&](const SegmentFile& s) { return s.path == at.path; });
  if (it == segments.end()) return fmt::format("{} is not a segment of this log", at.path);
  for (auto later = it + 1; later != segments.end(); ++later) {
    if (unlink(later->path.c_str()) != 0) {
      return fmt::format("can't remove {}: {}", later->path, std::strerror(errno));
    }
  }
  if (at.offset < kSegmentHeaderSize) {
    if (unlink(at.path.c_str()) != 0) {
      return fmt::format("can't remove {}: {}", at.path, std::strerror(errno));
    }
  } else {
    if (truncate(at.path.c_str(), static_cast<off_t>(at.offset)) != 0) {
      return fmt::format("can't truncate {}: {}", at.path, std::strerror(errno));
    }
    if (std::string e = fsync_path(at.path); !e.empty()) return e;
  }
  return fsync_path(parent_dir(at.path));
}

}  // namespace vireo::wal
