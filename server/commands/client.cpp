// STUB: replaced by its family's implementation.
#include "server/commands/families.h"

namespace vireo {

std::span<const CommandSpec> client_commands() { return {}; }

}  // namespace vireo
