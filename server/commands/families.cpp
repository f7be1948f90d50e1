#include "server/commands/families.h"

#include "core/command_table.h"

namespace vireo {

void register_server_commands(CommandTable& table) {
  table.add(session_commands());
  table.add(client_commands());
  table.add(info_commands());
  table.add(admin_commands());
  table.add(config_commands());
  table.add(transaction_commands());
  table.add(pubsub_commands());
  table.add(persistence_commands());
  table.add(replication_commands());
}

}  // namespace vireo
