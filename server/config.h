#pragma once
// TEMPORARY STAND-IN (not committed): replaced by helper/config.
#include <cstdint>
#include <string>
#include <vector>
namespace vireo {
struct Settings {
  int port = 6380;
  std::vector<std::string> bind{"127.0.0.1", "-::1"};
  bool protected_mode = true;
  std::string requirepass;
  int databases = 16;
  std::string dir = ".";
  int hz = 10;
  int64_t timeout = 0;
  int64_t tcp_keepalive = 300;
  int64_t maxclients = 10000;
  std::string loglevel = "notice";
  std::string logfile;
  int64_t proto_max_bulk_len = 512LL * 1024 * 1024;
  int64_t client_query_buffer_limit = 1024LL * 1024 * 1024;
  int64_t slowlog_log_slower_than = 10000;
  int64_t slowlog_max_len = 128;
  int tcp_backlog = 511;
  std::string enable_debug_command = "no";
};
class Config {
 public:
  Settings& settings() { return s_; }
  const Settings& settings() const { return s_; }
 private:
  Settings s_;
};
}  // namespace vireo
