#include "core/commands/families.h"

namespace vireo {

// Placeholder until the family lands.
std::span<const CommandSpec> zset_commands() {
  return {};
}

}  // namespace vireo
