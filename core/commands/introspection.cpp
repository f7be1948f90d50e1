// STUB: replaced by its family's implementation.
#include "core/commands/families.h"

namespace vireo {

std::span<const CommandSpec> introspection_commands() { return {}; }

}  // namespace vireo
