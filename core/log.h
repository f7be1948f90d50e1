#pragma once

#include <fmt/format.h>

#include <string>
#include <string_view>

namespace vireo {

enum class LogLevel { kDebug = 0, kVerbose = 1, kNotice = 2, kWarning = 3 };

// Redis-style log lines: "pid:role dd Mon yyyy hh:mm:ss.mmm <level-char> message",
// to stdout or to `logfile`. Messages below the configured level cost one
// comparison.
class Log {
 public:
  // Sets the minimum level written.
  static void set_level(LogLevel level);
  static LogLevel level();
  // Sends lines to `path` (appending), or to stdout when empty. Returns false
  // (and keeps the old target) if the file cannot be opened.
  static bool set_file(const std::string& path);
  // The role character: 'M' primary, 'S' replica, 'C' a forked child.
  static void set_role(char role);
  // Writes one line.
  static void write(LogLevel level, std::string_view message);
};

template <class... T>
void log_at(LogLevel level, fmt::format_string<T...> format, T&&... args) {
  if (level < Log::level()) return;
  Log::write(level, fmt::format(format, std::forward<T>(args)...));
}

template <class... T>
void log_debug(fmt::format_string<T...> format, T&&... args) {
  log_at(LogLevel::kDebug, format, std::forward<T>(args)...);
}
template <class... T>
void log_verbose(fmt::format_string<T...> format, T&&... args) {
  log_at(LogLevel::kVerbose, format, std::forward<T>(args)...);
}
template <class... T>
void log_notice(fmt::format_string<T...> format, T&&... args) {
  log_at(LogLevel::kNotice, format, std::forward<T>(args)...);
}
template <class... T>
void log_warning(fmt::format_string<T...> format, T&&... args) {
  log_at(LogLevel::kWarning, format, std::forward<T>(args)...);
}

}  // namespace vireo
