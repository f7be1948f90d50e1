#include "core/commands/families.h"

#include "core/command_table.h"

namespace vireo {

void register_core_commands(CommandTable& table) {
  table.add(connection_commands());
  table.add(string_commands());
  table.add(key_commands());
  table.add(expire_commands());
  table.add(introspection_commands());
  table.add(list_commands());
  table.add(hash_commands());
  table.add(set_commands());
  table.add(zset_commands());
  table.add(sort_commands());
}

}  // namespace vireo
