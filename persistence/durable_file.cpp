#include "persistence/durable_file.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace vireo {
namespace {

std::string errno_text(std::string_view what, const std::string& path) {
  return fmt::format("{} {}: {}", what, path, std::strerror(errno));
}

}  // namespace

int write_all(int fd, const char* data, size_t n) {
  while (n > 0) {
    const ssize_t w = ::write(fd, data, n);
    if (w < 0 && errno == EINTR) continue;
    if (w < 0) return errno;
    if (w == 0) return EIO;  // retried, it would loop for ever
    data += w;
    n -= static_cast<size_t>(w);
  }
  return 0;
}

bool sync_file(int fd) {
  while (::fsync(fd) != 0) {
    if (errno != EINTR) return false;
  }
  return true;
}

std::string sync_directory(const std::string& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return errno_text("cannot open directory", dir);
  std::string error;
  if (!sync_file(fd)) error = errno_text("cannot fsync directory", dir);
  ::close(fd);
  return error;
}

std::string replace_file_durably(const std::string& dir, const std::string& name,
                                 std::string_view contents) {
  const std::string path = dir + "/" + name, temp = path + ".tmp";
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return errno_text("cannot create", temp);
  std::string error;
  if (int err = write_all(fd, contents.data(), contents.size())) {
    errno = err;
    error = errno_text("cannot write", temp);
  }
  if (error.empty() && !sync_file(fd)) error = errno_text("cannot fsync", temp);
  if (::close(fd) != 0 && error.empty()) error = errno_text("cannot close", temp);
  if (error.empty() && ::rename(temp.c_str(), path.c_str()) != 0) {
    error = fmt::format("cannot rename {} to {}: {}", temp, path, std::strerror(errno));
  }
  if (!error.empty()) {
    ::unlink(temp.c_str());
    return error;
  }
  return sync_directory(dir);
}

std::string remove_file_durably(const std::string& dir, const std::string& name) {
  const std::string path = dir + "/" + name;
  if (::unlink(path.c_str()) != 0) {
    if (errno == ENOENT) return "";
    return errno_text("cannot remove", path);
  }
  return sync_directory(dir);
}

}  // namespace vireo
