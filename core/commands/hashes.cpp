#include "core/commands/families.h"

namespace vireo {

// Placeholder until the family lands.
std::span<const CommandSpec> hash_commands() {
  return {};
}

}  // namespace vireo
