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

// Registers every family above.
void register_core_commands(CommandTable& table);

}  // namespace vireo
