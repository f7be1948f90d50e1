// vireo-server [configfile] [--name value ...]
#include <fmt/format.h>

#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "core/hash.h"
#include "core/log.h"
#include "core/version.h"
#include "server/config.h"
#include "server/server.h"

namespace {

void print_usage() {
  fmt::print(
      "Usage: vireo-server [/path/to/vireo.conf] [options] [-]\n"
      "       vireo-server - (read the configuration from standard input)\n"
      "       vireo-server -v or --version\n"
      "       vireo-server -h or --help\n\n"
      "Options are configuration directives written as flags, applied after the file:\n"
      "       vireo-server --port 6381\n"
      "       vireo-server /etc/vireo/6381.conf --loglevel verbose --dir /var/lib/vireo\n");
}

}  // namespace

int main(int argc, char** argv) {
  // A client that disconnects with replies pending must cost a failed write,
  // not the process.
  std::signal(SIGPIPE, SIG_IGN);
  // A file-size limit (RLIMIT_FSIZE) must fail the write with EFBIG, which
  // the log reports and retries, rather than kill the process.
  std::signal(SIGXFSZ, SIG_IGN);
  std::vector<std::string> args(argv + 1, argv + argc);
  if (!args.empty() && (args[0] == "-v" || args[0] == "--version")) {
    fmt::print("Vireo server v={} (Redis {} compatible)\n", vireo::kVireoVersion,
               vireo::kRedisCompatVersion);
    return 0;
  }
  if (!args.empty() && (args[0] == "-h" || args[0] == "--help")) {
    print_usage();
    return 0;
  }
  vireo::Config config;
  if (auto error = config.load_args(args)) {
    std::fputs(error->format().c_str(), stderr);
    return 1;
  }
  const vireo::Settings& settings = config.settings();
  if (!settings.unixsocket.empty()) {
    // Accepted by the parser so redis.conf files load, but refused rather than
    // silently ignored: a client would wait on a socket that never appears.
    std::fputs("*** FATAL CONFIG ERROR *** unixsocket is not supported yet: use TCP.\n", stderr);
    return 1;
  }
  if (!vireo::Log::set_file(settings.logfile)) {
    fmt::print(stderr, "Can't open the log file: {}\n", settings.logfile);
    return 1;
  }
  vireo::set_hash_seed(std::random_device{}() | (uint64_t{std::random_device{}()} << 32));
  vireo::log_notice("Vireo {} (Redis {} compatible), pid={}, just started", vireo::kVireoVersion,
                    vireo::kRedisCompatVersion, getpid());
  if (config.file().empty()) {
    vireo::log_warning("No config file specified, using the default config.");
  } else {
    vireo::log_notice("Configuration loaded from {}", config.file());
  }
  // Everything the server writes (logs aside) is relative to `dir`, as in Redis.
  if (chdir(settings.dir.c_str()) != 0) {
    vireo::log_warning("Can't chdir to '{}': {}", settings.dir, std::strerror(errno));
    return 1;
  }
  if (!settings.pidfile.empty()) std::ofstream(settings.pidfile) << getpid() << "\n";
  vireo::Server server(config);
  int status = server.run();
  if (!settings.pidfile.empty()) unlink(settings.pidfile.c_str());
  return status;
}
