#include "core/commands/families.h"

#include "core/command_table.h"

namespace vireo {

void register_core_commands(CommandTable& table) {
  table.add(connection_commands());
  table.add(string_commands());
  table.add(key_commands());
  table.add(expire_commands());
  table.add(introspection_commands());
}

}  // namespace vireo
