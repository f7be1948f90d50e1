#pragma once

#include <cstddef>
#include <memory>

namespace vireo {

// Where a container's most recent allocation lives: for a hash table, its
// bucket array, which the table itself does not expose.
struct AllocationSite {
  const char* base = nullptr;
  size_t stride = 0;  // sizeof of the allocated elements
};

// std::allocator that writes each allocation's address to an AllocationSite,
// so that the owner of a hash table can prefetch the bucket a key will land in
// before looking it up (a bulk load overlaps many keys' cache misses that
// way). Instances are interchangeable (they compare equal) and never
// propagate: each stays with the container it was built for, and its site.
template <class T>
class LocatingAllocator {
 public:
  using value_type = T;

  LocatingAllocator() = default;
  explicit LocatingAllocator(AllocationSite* site) : site_(site) {}
  template <class U>
  LocatingAllocator(const LocatingAllocator<U>& other) : site_(other.site()) {}  // NOLINT

  T* allocate(size_t n) {
    T* p = std::allocator<T>().allocate(n);
    if (site_) *site_ = {reinterpret_cast<const char*>(p), sizeof(T)};
    return p;
  }
  void deallocate(T* p, size_t n) { std::allocator<T>().deallocate(p, n); }

  AllocationSite* site() const { return site_; }

  template <class U>
  bool operator==(const LocatingAllocator<U>&) const {
    return true;
  }

 private:
  AllocationSite* site_ = nullptr;
};

}  // namespace vireo
