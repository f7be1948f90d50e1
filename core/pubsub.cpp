#include "core/pubsub.h"

#include <algorithm>
#include <utility>

#include "core/glob.h"
#include "core/strconv.h"

namespace vireo {
namespace {

// A frame buffer grown past this by a large message is given back.
constexpr size_t kKeepFrameBytes = 64 * 1024;

void append_bulk(std::string& out, std::string_view data) {
  char digits[24];
  char* end = format_int64(static_cast<int64_t>(data.size()), digits);
  out += '$';
  out.append(digits, end);
  out += "\r\n";
  out += data;
  out += "\r\n";
}

}  // namespace

bool PubSub::subscribe(Subscriber& s, Subscription kind, std::string_view name) {
  Subscriber::Names& mine = s.names_[index(kind)];
  if (mine.find(name) != mine.end()) return false;
  mine.emplace(std::string(name), next_sequence_++);
  Table& table = tables_[index(kind)];
  auto it = table.find(name);
  if (it == table.end()) it = table.emplace(std::string(name), Subscribers()).first;
  it.value().push_back(&s);
  return true;
}

bool PubSub::unsubscribe(Subscriber& s, Subscription kind, std::string_view name) {
  Subscriber::Names& mine = s.names_[index(kind)];
  auto own = mine.find(name);
  if (own == mine.end()) return false;
  mine.erase(own);
  Table& table = tables_[index(kind)];
  auto it = table.find(name);
  Subscribers& subscribers = it.value();
  // Erase, not swap-remove: the others keep their delivery order.
  subscribers.erase(std::find(subscribers.begin(), subscribers.end(), &s));
  if (subscribers.empty()) table.erase(it);
  return true;
}

std::vector<std::string> PubSub::subscriptions_of(const Subscriber& s, Subscription kind) const {
  const Subscriber::Names& mine = s.names_[index(kind)];
  std::vector<std::pair<uint64_t, const std::string*>> ordered;
  ordered.reserve(mine.size());
  for (const auto& [name, sequence] : mine)
    ordered.emplace_back(sequence, &name);
  std::sort(ordered.begin(), ordered.end());
  std::vector<std::string> out;
  out.reserve(ordered.size());
  for (const auto& entry : ordered)
    out.push_back(*entry.second);
  return out;
}

void PubSub::unsubscribe_all(Subscriber& s) {
  for (Subscription kind : {Subscription::kChannel, Subscription::kPattern, Subscription::kShard}) {
    Subscriber::Names& mine = s.names_[index(kind)];
    Table& table = tables_[index(kind)];
    for (const auto& entry : mine) {
      auto it = table.find(entry.first);
      Subscribers& subscribers = it.value();
      subscribers.erase(std::find(subscribers.begin(), subscribers.end(), &s));
      if (subscribers.empty()) table.erase(it);
    }
    mine.clear();
  }
}

size_t PubSub::fan_out(const Subscribers& to, std::string_view kind,
                       std::initializer_list<std::string_view> fields) {
  frame_.clear();
  frame_ += '*';
  frame_ += static_cast<char>('1' + fields.size());  // at most 4 elements
  frame_ += "\r\n";
  append_bulk(frame_, kind);
  for (std::string_view field : fields)
    append_bulk(frame_, field);
  // RESP2 and RESP3 frames differ only in their first byte.
  for (Subscriber* s : to) {
    frame_[0] = s->delivery_protocol() >= 3 ? '>' : '*';
    s->deliver(frame_);
  }
  if (frame_.capacity() > kKeepFrameBytes) std::string().swap(frame_);
  return to.size();
}

size_t PubSub::publish(std::string_view channel, std::string_view message) {
  size_t delivered = 0;
  const Table& channels = tables_[index(Subscription::kChannel)];
  if (auto it = channels.find(channel); it != channels.end()) {
    delivered += fan_out(it->second, "message", {channel, message});
  }
  for (const auto& [pattern, subscribers] : tables_[index(Subscription::kPattern)]) {
    if (glob_match(pattern, channel)) {
      delivered += fan_out(subscribers, "pmessage", {pattern, channel, message});
    }
  }
  return delivered;
}

size_t PubSub::publish_shard(std::string_view channel, std::string_view message) {
  const Table& shards = tables_[index(Subscription::kShard)];
  auto it = shards.find(channel);
  return it == shards.end() ? 0 : fan_out(it->second, "smessage", {channel, message});
}

size_t PubSub::subscriber_count(Subscription kind, std::string_view name) const {
  const Table& table = tables_[index(kind)];
  auto it = table.find(name);
  return it == table.end() ? 0 : it->second.size();
}

std::vector<std::string_view> PubSub::names(Subscription kind,
                                            std::optional<std::string_view> pattern) const {
  std::vector<std::string_view> out;
  for (const auto& entry : tables_[index(kind)]) {
    if (!pattern || glob_match(*pattern, entry.first)) out.push_back(entry.first);
  }
  return out;
}

}  // namespace vireo
