#pragma once

// Pieces shared by the sorted-set command files (zsets.cpp, zset_store.cpp).

#include <memory>
#include <span>
#include <string_view>

#include "core/command.h"
#include "core/context.h"
#include "core/types/zset_value.h"

namespace vireo::zset_detail {

// A WITHSCORES list of n members: RESP3 n [member, score] pairs, RESP2 2n flat items.
void begin_pairs(CommandContext& ctx, size_t n);
void reply_pair(CommandContext& ctx, std::string_view member, double score);

// Replaces `dst` with `result` and publishes `event` about it, or deletes it
// when `result` is empty (publishing "del"); propagates the command `args`
// whenever the keyspace changed.
void store_result(CommandContext& ctx, Args args, std::string_view dst,
                  std::unique_ptr<ZSetValue> result, std::string_view event);

// ZUNION ZUNIONSTORE ZINTER ZINTERSTORE ZINTERCARD ZDIFF ZDIFFSTORE (zset_store.cpp).
std::span<const CommandSpec> store_commands();

}  // namespace vireo::zset_detail
