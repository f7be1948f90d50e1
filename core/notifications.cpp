#include "core/notifications.h"

#include <fmt/format.h>

namespace vireo {

void KeyspaceEvents::publish(std::string_view event, int db, std::string_view key) const {
  // Built in a reused buffer: with notifications on, every write publishes.
  fmt::memory_buffer channel;
  if (flags_ & notify::kKeyspace) {
    fmt::format_to(std::back_inserter(channel), "__keyspace@{}__:{}", db, key);
    publisher_->publish({channel.data(), channel.size()}, event);
  }
  if (flags_ & notify::kKeyevent) {
    channel.clear();
    fmt::format_to(std::back_inserter(channel), "__keyevent@{}__:{}", db, event);
    publisher_->publish({channel.data(), channel.size()}, key);
  }
}

}  // namespace vireo
