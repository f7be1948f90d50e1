#pragma once

#include <span>

#include "core/command.h"

namespace vireo {

class CommandTable;

// Server-level command families: they need the server or the connection, so
// they live above core/ (DESIGN.md). One file each.
std::span<const CommandSpec> session_commands();  // session.cpp: HELLO AUTH QUIT RESET
std::span<const CommandSpec> client_commands();   // client.cpp: CLIENT
std::span<const CommandSpec> info_commands();     // info.cpp: INFO
std::span<const CommandSpec> admin_commands();    // admin.cpp: DEBUG SHUTDOWN SLOWLOG MONITOR
std::span<const CommandSpec> config_commands();   // config.cpp: CONFIG
// transactions.cpp: MULTI EXEC DISCARD WATCH UNWATCH
std::span<const CommandSpec> transaction_commands();
// pubsub.cpp: SUBSCRIBE UNSUBSCRIBE PSUBSCRIBE PUNSUBSCRIBE SSUBSCRIBE SUNSUBSCRIBE PUBLISH
// SPUBLISH PUBSUB
std::span<const CommandSpec> pubsub_commands();
// persistence.cpp: SAVE BGSAVE BGREWRITEAOF LASTSAVE
std::span<const CommandSpec> persistence_commands();
// replication.cpp: PSYNC SYNC REPLCONF ROLE
std::span<const CommandSpec> replication_commands();

// Registers every family above.
void register_server_commands(CommandTable& table);

}  // namespace vireo
