#pragma once

#include <string>

#include "core/command_table.h"
#include "core/resp/reply_writer.h"

namespace vireo {

class Connection;
class Server;

// Redis's subscribed mode: a RESP2 client with any subscription may run only
// (P|S)SUBSCRIBE, (P|S)UNSUBSCRIBE, PING, QUIT and RESET (its socket carries
// messages, which a RESP2 client could not tell from replies). Returns the
// error when `cmd` is refused, else an empty string; RESP3 clients run anything.
std::string subscribed_mode_refusal(const Connection& c, const Command& cmd);

// Drops every subscription of `c`, silently (RESET, disconnection).
void drop_subscriptions(Server& server, Connection& c);

}  // namespace vireo
