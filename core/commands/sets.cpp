#include "core/commands/families.h"

namespace vireo {

// Placeholder until the family lands.
std::span<const CommandSpec> set_commands() {
  return {};
}

}  // namespace vireo
