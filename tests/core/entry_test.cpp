#include "core/entry.h"

#include <malloc.h>

#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <string>
#include <vector>

#include "core/types/hash_value.h"
#include "core/types/list_value.h"
#include "core/types/set_value.h"
#include "core/types/zset_value.h"

using namespace vireo;

namespace {

// Key lengths that put the container at every alignment remainder and give
// the key a one- and a two-byte length prefix.
std::vector<std::string> sample_keys() {
  std::vector<std::string> keys;
  for (size_t len : {0, 1, 2, 3, 5, 7, 16, 100, 200})
    keys.push_back(std::string(len, 'k'));
  return keys;
}

// A container's content as sorted text, to compare across moves and copies
// (a copied hash table need not iterate in the original's order).
std::string dump(const Entry* e) {
  std::vector<std::string> items;
  auto add = [&](std::string_view s) { items.emplace_back(s); };
  switch (e->type()) {
    case ValueType::kList:
      for (std::string_view s : *e->value_as<ListValue>())
        add(s);
      break;
    case ValueType::kHash:
      e->value_as<HashValue>()->for_each([&](std::string_view f, std::string_view v) {
        add(f);
        add(v);
      });
      break;
    case ValueType::kSet:
      e->value_as<SetValue>()->for_each([&](std::string_view m) { add(m); });
      break;
    case ValueType::kZSet:
      e->value_as<ZSetValue>()->visit_all([&](std::string_view m, double s) {
        add(m);
        add(std::to_string(s));
      });
      break;
    case ValueType::kString:
      add(e->string_value());
      break;
  }
  std::sort(items.begin(), items.end());
  std::string out;
  for (const std::string& item : items)
    out += item + ',';
  return out;
}

// One entry of each container type holding `n` elements (small n: compact
// encodings; large: the full ones).
std::vector<Entry*> filled_entries(std::string_view key, int n) {
  const ContainerLimits limits;
  std::vector<Entry*> entries;
  Entry* list = Entry::emplace_container<ListValue>(key, false, limits);
  Entry* hash = Entry::emplace_container<HashValue>(key, false, limits);
  Entry* set = Entry::emplace_container<SetValue>(key, false, limits);
  Entry* zset = Entry::emplace_container<ZSetValue>(key, false, limits);
  for (int i = 0; i < n; ++i) {
    const std::string s = "element-" + std::to_string(i);
    list->value_as<ListValue>()->push_back(s);
    hash->value_as<HashValue>()->set(s, "value", limits);
    set->value_as<SetValue>()->add(s, limits);
    zset->value_as<ZSetValue>()->set(s, i, limits);
  }
  return {list, hash, set, zset};
}

// The object lies inside the entry's own block, aligned for any container.
void check_in_place(const Entry* e) {
  auto at = reinterpret_cast<uintptr_t>(e->container());
  auto block = reinterpret_cast<uintptr_t>(e);
  BOOST_TEST(at % kContainerAlign == 0u);
  BOOST_TEST(at > block);
  BOOST_TEST(at + e->container()->object_size() <=
             block + malloc_usable_size(const_cast<Entry*>(e)));
}

}  // namespace

BOOST_AUTO_TEST_SUITE(entry)

BOOST_AUTO_TEST_CASE(containers_live_in_their_entry_at_every_key_length) {
  for (const std::string& key : sample_keys()) {
    for (Entry* e : filled_entries(key, 3)) {
      BOOST_TEST(e->key() == key);
      check_in_place(e);
      BOOST_TEST(e->container()->size() == 3u);
      Entry::destroy(e);
    }
  }
}

BOOST_AUTO_TEST_CASE(containers_survive_gaining_and_losing_an_expiry_slot) {
  for (const std::string& key : sample_keys()) {
    for (int n : {2, 600}) {
      for (Entry* e : filled_entries(key, n)) {
        const std::string before = dump(e);
        const ValueType type = e->type();
        e->set_access_clock(12345);
        e = Entry::set_has_expiry(e, true);
        e->set_expiry_slot(77);
        BOOST_TEST(e->has_expiry());
        BOOST_TEST(e->expiry_slot() == 77u);
        BOOST_TEST((e->type() == type));
        BOOST_TEST(e->key() == key);
        BOOST_TEST(e->access_clock() == 12345u);
        check_in_place(e);
        BOOST_TEST((dump(e) == before));
        e = Entry::set_has_expiry(e, false);
        BOOST_TEST(!e->has_expiry());
        BOOST_TEST(e->access_clock() == 12345u);
        check_in_place(e);
        BOOST_TEST((dump(e) == before));
        Entry::destroy(e);
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(rekey_moves_containers_and_clone_copies_them) {
  for (int n : {2, 600}) {
    for (Entry* e : filled_entries("a", n)) {
      const std::string before = dump(e);
      Entry* copy = Entry::clone(e, "copy-of-a", true);
      e = Entry::rekey(e, std::string(150, 'b'), true);
      BOOST_TEST(e->key() == std::string(150, 'b'));
      BOOST_TEST(e->has_expiry());
      check_in_place(e);
      check_in_place(copy);
      BOOST_TEST((dump(e) == before));
      BOOST_TEST((dump(copy) == before));
      // The copy is independent: freeing the original leaves it whole.
      Entry::destroy(e);
      BOOST_TEST((dump(copy) == before));
      Entry::destroy(copy);
    }
  }
}

BOOST_AUTO_TEST_CASE(make_container_takes_over_a_heap_built_value) {
  const ContainerLimits limits;
  auto zset = std::make_unique<ZSetValue>(limits);
  zset->set("m", 1.5, limits);
  ZSetValue twin(limits);  // the same content, for its own measure
  twin.set("m", 1.5, limits);
  Entry* e = Entry::make_container("k", ValueType::kZSet, std::move(zset), false);
  check_in_place(e);
  BOOST_TEST(dump(e) == "1.500000,m,");
  // The object's own bytes are counted once: its measure plus the entry's
  // header and key ("k": 6 bytes, padded to 8 for the object).
  BOOST_TEST(e->allocation_size() == 8 + twin.memory_usage());
  Entry::destroy(e);
}

BOOST_AUTO_TEST_CASE(a_moved_from_value_owns_nothing) {
  // Relocation ends the source object; its destructor must then free nothing
  // twice (ASan would report it), for every encoding.
  const ContainerLimits limits;
  for (int n : {0, 3, 600}) {
    ZSetValue z(limits);
    HashValue h(limits);
    for (int i = 0; i < n; ++i) {
      z.set("m" + std::to_string(i), i, limits);
      h.set("f" + std::to_string(i), "v", limits);
    }
    ZSetValue z2(std::move(z));
    HashValue h2(std::move(h));
    BOOST_TEST(z.size() == 0u);
    BOOST_TEST(h.size() == 0u);
    BOOST_TEST(z2.size() == static_cast<size_t>(n));
    BOOST_TEST(h2.size() == static_cast<size_t>(n));
  }
}

BOOST_AUTO_TEST_CASE(sets_move_in_each_encoding) {
  // Integers (intset), then strings (listpack), then past the limits
  // (hashtable): each survives its entry's moves and leaves nothing behind.
  const ContainerLimits limits;
  for (int n : {3, 20, 600}) {
    Entry* e = Entry::emplace_container<SetValue>("s", false, limits);
    for (int i = 0; i < n; ++i) {
      e->value_as<SetValue>()->add(n == 3 ? std::to_string(i) : "m" + std::to_string(i), limits);
    }
    const std::string before = dump(e);
    const std::string_view encoding = e->container()->encoding();
    e = Entry::set_has_expiry(e, true);
    e = Entry::rekey(e, "a longer name for the set", false);
    check_in_place(e);
    BOOST_TEST(e->container()->encoding() == encoding);
    BOOST_TEST((dump(e) == before));
    SetValue moved(std::move(*e->value_as<SetValue>()));
    BOOST_TEST(e->container()->size() == 0u);
    BOOST_TEST(moved.size() == static_cast<size_t>(n));
    Entry::destroy(e);
  }
}

BOOST_AUTO_TEST_SUITE_END()
