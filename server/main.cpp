#include <cstdio>

#include "core/version.h"

int main() {
  std::printf("vireo %s\n", vireo::kVireoVersion);
  return 0;
}
