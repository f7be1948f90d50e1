#include <cstdio>
#include <cstring>
#include <string>

#include "core/version.h"
#include "server/config.h"
#include "server/log.h"
#include "server/server.h"

int main(int argc, char** argv) {
  vireo::Config config;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string k = argv[i], v = argv[i + 1];
    if (k == "--port") config.settings().port = std::stoi(v);
    if (k == "--bind") config.settings().bind = {v};
    if (k == "--dir") config.settings().dir = v;
  }
  vireo::Server server(config);
  return server.run();
}
