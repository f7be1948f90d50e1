// LocatingAllocator: the site it writes always names the live bucket array of
// the hash table built on it, through growth, shrinking and swaps.
#include <tsl/robin_set.h>

#include <boost/test/unit_test.hpp>
#include <functional>

#include "core/locating_allocator.h"

using namespace vireo;

namespace {

using Set = tsl::robin_set<int, std::hash<int>, std::equal_to<int>, LocatingAllocator<int>, true>;

Set new_set(AllocationSite* site) {
  return Set(0, std::hash<int>(), std::equal_to<int>(), LocatingAllocator<int>(site));
}

// Every element of `set` lies inside the array `site` names.
bool site_holds_every_element(const Set& set, const AllocationSite& site) {
  const char* end = site.base + set.bucket_count() * site.stride;
  for (const int& v : set) {
    const char* p = reinterpret_cast<const char*>(&v);
    if (p < site.base || p >= end) return false;
  }
  return true;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(locating_allocator)

BOOST_AUTO_TEST_CASE(names_the_live_bucket_array) {
  AllocationSite site;
  Set set = new_set(&site);
  BOOST_TEST(site.base == nullptr);  // nothing allocated yet
  for (int i = 0; i < 5000; ++i) {
    set.insert(i);
    BOOST_TEST_REQUIRE(site_holds_every_element(set, site));
  }
  BOOST_TEST(site.stride >= sizeof(int));
  for (int i = 0; i < 4990; ++i)
    set.erase(i);
  set.rehash(0);  // shrinks into a new, smaller array
  BOOST_TEST(set.bucket_count() < 1024u);
  BOOST_TEST(site_holds_every_element(set, site));
}

// A table swapped in keeps the allocator (and site) of the one it replaced,
// so a table built aside on the same site can take its place.
BOOST_AUTO_TEST_CASE(a_set_swapped_in_reports_to_the_site) {
  AllocationSite site, other_site;
  Set kept = new_set(&site);
  for (int i = 0; i < 100; ++i)
    kept.insert(i);
  Set aside = new_set(&site);
  aside.reserve(300);
  for (int i = 0; i < 300; ++i)
    aside.insert(-i);
  kept.swap(aside);
  BOOST_TEST(kept.get_allocator().site() == &site);
  BOOST_TEST(site_holds_every_element(kept, site));
  Set elsewhere = new_set(&other_site);
  elsewhere.insert(1);
  BOOST_TEST(site_holds_every_element(kept, site));  // another site's table does not move it
}

BOOST_AUTO_TEST_SUITE_END()
