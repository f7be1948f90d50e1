#include "tests/core/keyspace_image.h"

#include <algorithm>
#include <vector>

#include "core/database.h"
#include "core/object_info.h"

namespace vireo::test {
namespace {

// A container's contents through its own read command, in a canonical order
// (hash fields and set members sorted: their iteration order is not part of
// the state).
std::string container_image(CommandFixture& f, int db, const std::string& key, ValueType type) {
  const int selected = f.client().db;
  f.client().db = db;
  std::vector<std::string> read;
  bool unordered = false;
  switch (type) {
    case ValueType::kList:
      read = {"LRANGE", key, "0", "-1"};
      break;
    case ValueType::kHash:
      read = {"HGETALL", key};
      unordered = true;
      break;
    case ValueType::kSet:
      read = {"SMEMBERS", key};
      unordered = true;
      break;
    default:
      read = {"ZRANGE", key, "0", "-1", "WITHSCORES"};
      break;
  }
  std::string reply = f.run(read);
  f.client().db = selected;
  auto items = decode_commands(reply);
  if (items.size() != 1) return reply;
  std::vector<std::string> elements = items[0];
  if (type == ValueType::kHash) {
    std::vector<std::string> pairs;
    for (size_t i = 0; i + 1 < elements.size(); i += 2)
      pairs.push_back(elements[i] + "=" + elements[i + 1]);
    elements = pairs;
  }
  if (unordered) std::sort(elements.begin(), elements.end());
  std::string out;
  for (const auto& e : elements)
    out += e + "\n";
  return out;
}

}  // namespace

KeyspaceImage image_of(CommandFixture& f, bool encodings) {
  Keyspace& ks = f.keyspace();
  KeyspaceImage image;
  for (int db = 0; db < ks.count(); ++db) {
    Database& d = ks.db(db);
    d.for_each([&](const Entry* e) {
      std::string value = e->type() == ValueType::kString ? std::string(e->string_value()) : "";
      image[{db, std::string(e->key())}] = {std::string(type_name(e->type())), value, d.deadline(e),
                                            encodings ? std::string(encoding_name(*e)) : ""};
    });
    for (auto& [where, key_image] : image) {
      if (where.first != db || key_image.type == "string") continue;
      const Entry* e = d.find(where.second);
      if (e) key_image.value = container_image(f, db, where.second, e->type());
    }
  }
  return image;
}

std::string difference(const KeyspaceImage& expected, const KeyspaceImage& actual,
                       std::string_view expected_name, std::string_view actual_name) {
  std::string out;
  auto show = [](const KeyspaceImage& image, const std::pair<int, std::string>& where) {
    auto it = image.find(where);
    if (it == image.end()) return std::string("(absent)");
    const KeyImage& key = it->second;
    std::string shown = key.type + " [" + key.value + "] deadline " + std::to_string(key.deadline);
    if (!key.encoding.empty()) shown += " encoding " + key.encoding;
    return shown;
  };
  std::map<std::pair<int, std::string>, bool> keys;
  for (const auto& [where, unused] : expected)
    keys[where] = true;
  for (const auto& [where, unused] : actual)
    keys[where] = true;
  for (const auto& [where, unused] : keys) {
    if (show(expected, where) == show(actual, where)) continue;
    out += "\n  db " + std::to_string(where.first) + " key " + where.second + ": " +
           std::string(expected_name) + " " + show(expected, where) + ", " +
           std::string(actual_name) + " " + show(actual, where);
  }
  return out;
}

}  // namespace vireo::test
