#include "core/commands/families.h"

namespace vireo {

// Placeholder until the family lands.
std::span<const CommandSpec> sort_commands() {
  return {};
}

}  // namespace vireo
