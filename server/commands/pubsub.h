#pragma once

#include "core/command_table.h"
#include "core/resp/reply_writer.h"

namespace vireo {

class Connection;
class Server;

// Redis's subscribed mode: a RESP2 client with any subscription may run only
// (P|S)SUBSCRIBE, (P|S)UNSUBSCRIBE, PING, QUIT and RESET (its socket carries
// messages, which a RESP2 client could not tell from replies). Replies the
// error and returns true when `cmd` is refused; RESP3 clients run anything.
bool refused_in_subscribed_mode(const Connection& c, const Command& cmd, ReplyWriter& writer);

// Drops every subscription of `c`, silently (RESET, disconnection).
void drop_subscriptions(Server& server, Connection& c);

}  // namespace vireo
