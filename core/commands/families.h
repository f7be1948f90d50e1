#pragma once

#include <span>

#include "core/command.h"

namespace vireo {

class CommandTable;

// The data command families of core/, one file each.
std::span<const CommandSpec> string_commands();         // strings.cpp
std::span<const CommandSpec> key_commands();            // keys.cpp
std::span<const CommandSpec> expire_commands();         // expire.cpp
std::span<const CommandSpec> connection_commands();     // connection.cpp: PING ECHO SELECT
std::span<const CommandSpec> introspection_commands();  // introspection.cpp: COMMAND TIME
std::span<const CommandSpec> list_commands();           // lists.cpp (+ list_blocking.cpp)
std::span<const CommandSpec> hash_commands();           // hashes.cpp
std::span<const CommandSpec> set_commands();            // sets.cpp
std::span<const CommandSpec> zset_commands();           // zsets.cpp (+ zset_store.cpp)
std::span<const CommandSpec> sort_commands();           // sort.cpp: SORT SORT_RO

// Registers every family above.
void register_core_commands(CommandTable& table);

}  // namespace vireo
