// The heap counter behind INFO used_memory and maxmemory: every allocation
// path adds what the block costs and every release takes exactly that back.
#include <boost/test/unit_test.hpp>

#include <malloc.h>

#include <cstdlib>
#include <memory>
#include <thread>

#include "core/lazy_free.h"
#include "server/heap_counter.h"

using vireo::heap_allocated_bytes;

namespace {

// What a block of `requested` bytes may cost at most: glibc's header and
// rounding (AddressSanitizer counts the bytes asked for).
constexpr int64_t kSlack = 64;

// Keeps the compiler from eliding an allocation paired with its release.
void* volatile g_sink;

void check_costs(int64_t delta, size_t requested) {
  BOOST_TEST(delta >= static_cast<int64_t>(requested));
  BOOST_TEST(delta <= static_cast<int64_t>(requested) + kSlack);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(heap_counter)

BOOST_AUTO_TEST_CASE(malloc_and_free_balance) {
  vireo::lazy_free().drain();  // no other thread allocating meanwhile
  const int64_t start = heap_allocated_bytes();
  void* p = std::malloc(1000);
  g_sink = p;
  check_costs(heap_allocated_bytes() - start, 1000);
#ifndef VIREO_ASAN
  // The chunk header read is glibc's block size: usable size plus the header.
  BOOST_TEST(heap_allocated_bytes() - start ==
             static_cast<int64_t>(malloc_usable_size(p) + sizeof(size_t)));
#endif
  std::free(p);
  BOOST_TEST(heap_allocated_bytes() == start);
  std::free(nullptr);
  BOOST_TEST(heap_allocated_bytes() == start);
}

BOOST_AUTO_TEST_CASE(calloc_realloc_and_aligned_blocks_balance) {
  const int64_t start = heap_allocated_bytes();
  void* c = std::calloc(10, 100);
  g_sink = c;
  check_costs(heap_allocated_bytes() - start, 1000);
  void* r = std::realloc(c, 50000);  // grows, probably moving
  g_sink = r;
  check_costs(heap_allocated_bytes() - start, 50000);
  r = std::realloc(r, 10);
  g_sink = r;
  check_costs(heap_allocated_bytes() - start, 10);
  std::free(r);
  BOOST_TEST(heap_allocated_bytes() == start);

  void* a = nullptr;
  BOOST_TEST(posix_memalign(&a, 256, 3000) == 0);
  BOOST_TEST(reinterpret_cast<uintptr_t>(a) % 256 == 0u);
  BOOST_TEST(heap_allocated_bytes() - start >= 3000);
  std::free(a);
  void* b = std::aligned_alloc(64, 640);
  g_sink = b;
  BOOST_TEST(heap_allocated_bytes() - start >= 640);
  std::free(b);
  BOOST_TEST(heap_allocated_bytes() == start);
#ifndef VIREO_ASAN  // AddressSanitizer aborts on a bad alignment
  BOOST_TEST(posix_memalign(&a, 3, 10) == EINVAL);
  BOOST_TEST(heap_allocated_bytes() == start);
#endif
}

BOOST_AUTO_TEST_CASE(realloc_to_zero_frees) {
  const int64_t start = heap_allocated_bytes();
  void* p = std::malloc(100);
  g_sink = p;
  BOOST_TEST(std::realloc(p, 0) == nullptr);  // glibc frees the block
  BOOST_TEST(heap_allocated_bytes() == start);
  void* q = std::realloc(nullptr, 100);  // malloc
  g_sink = q;
  check_costs(heap_allocated_bytes() - start, 100);
  std::free(q);
  BOOST_TEST(heap_allocated_bytes() == start);
}

BOOST_AUTO_TEST_CASE(large_mapped_blocks_and_operator_new_count) {
  const int64_t start = heap_allocated_bytes();
  constexpr size_t kLarge = 8 << 20;  // past glibc's mmap threshold
  auto big = std::make_unique<char[]>(kLarge);
  g_sink = big.get();
  // A mapped block costs whole pages.
  BOOST_TEST(heap_allocated_bytes() - start >= static_cast<int64_t>(kLarge));
  BOOST_TEST(heap_allocated_bytes() - start <= static_cast<int64_t>(kLarge) + 4096);
  big.reset();
  BOOST_TEST(heap_allocated_bytes() == start);
}

BOOST_AUTO_TEST_CASE(a_block_freed_on_another_thread_balances) {
  vireo::lazy_free().drain();
  // Starting threads allocates a little for good (the C library's per-thread
  // bookkeeping): pay that before measuring.
  std::thread([] { g_sink = nullptr; }).join();
  const int64_t start = heap_allocated_bytes();
  void* p = nullptr;
  std::thread([&] { p = std::malloc(5000); }).join();
  check_costs(heap_allocated_bytes() - start, 5000);
  std::free(p);
  BOOST_TEST(heap_allocated_bytes() == start);
  void* q = std::malloc(7000);
  g_sink = q;
  std::thread([q] { std::free(q); }).join();
  BOOST_TEST(heap_allocated_bytes() == start);
}

BOOST_AUTO_TEST_SUITE_END()
