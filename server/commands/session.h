#pragma once

#include <string_view>

namespace vireo {

class Server;

// Whether `name` may be a client name (CLIENT SETNAME, HELLO SETNAME): printable
// ASCII without spaces, as Redis requires.
bool valid_client_name(std::string_view name);

// The error text for an invalid client name.
inline constexpr std::string_view kErrClientName =
    "ERR Client names cannot contain spaces, newlines or special characters.";

}  // namespace vireo
