#pragma once

#include <string>
#include <string_view>

namespace vireo {

// Small files that must survive a crash whole or not at all, and the
// directory fsyncs that make creating, renaming and removing files durable.

// write(2) of all `n` bytes of `data`, through short writes and EINTR;
// returns 0 or an errno (EIO for a write that takes nothing).
int write_all(int fd, const char* data, size_t n);

// fsync(2) of `fd`, retried on EINTR; false (errno set) on failure.
bool sync_file(int fd);

// fsyncs directory `dir`, so that the entries created, renamed or removed in
// it so far survive a crash. Returns "" or why not.
std::string sync_directory(const std::string& dir);

// Makes `dir`/`name` hold exactly `contents`, durably: after a crash the file
// holds either this or what it held before (a temporary file, fsync, rename,
// directory fsync). Returns "" or why not.
std::string replace_file_durably(const std::string& dir, const std::string& name,
                                 std::string_view contents);

// Removes `dir`/`name`, durably (a missing file is no error). Returns "" or
// why not.
std::string remove_file_durably(const std::string& dir, const std::string& name);

}  // namespace vireo
