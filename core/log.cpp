#include "core/log.h"

#include <sys/time.h>
#include <unistd.h>

#include <cstdio>
#include <ctime>

namespace vireo {
namespace {

LogLevel g_level = LogLevel::kNotice;
FILE* g_out = nullptr;  // null: stdout
char g_role = 'M';

}  // namespace

void Log::set_level(LogLevel level) {
  g_level = level;
}
LogLevel Log::level() {
  return g_level;
}
void Log::set_role(char role) {
  g_role = role;
}

bool Log::set_file(const std::string& path) {
  FILE* f = nullptr;
  if (!path.empty()) {
    f = std::fopen(path.c_str(), "a");
    if (!f) return false;
  }
  if (g_out) std::fclose(g_out);
  g_out = f;
  return true;
}

void Log::write(LogLevel level, std::string_view message) {
  static constexpr char kMarks[] = {'.', '-', '*', '#'};
  struct timeval tv;
  gettimeofday(&tv, nullptr);
  struct tm tm;
  localtime_r(&tv.tv_sec, &tm);
  char stamp[64];
  size_t n = std::strftime(stamp, sizeof(stamp), "%d %b %Y %H:%M:%S", &tm);
  FILE* out = g_out ? g_out : stdout;
  fmt::print(out, "{}:{} {}.{:03d} {} {}\n", getpid(), g_role, std::string_view(stamp, n),
             static_cast<int>(tv.tv_usec / 1000), kMarks[static_cast<int>(level)], message);
  std::fflush(out);
}

}  // namespace vireo
