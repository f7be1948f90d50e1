#pragma once

#include <atomic>
#include <cstdint>

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define VIREO_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define VIREO_ASAN 1
#endif

namespace vireo {

// Bytes the process has taken from the heap and not given back, every
// thread and every library included (INFO used_memory; what maxmemory
// compares with). Cheap enough to ask before every command: a handful of
// loads, no system call, no walk over the allocator's free lists.
//
// How it is kept: this file's .cpp replaces malloc, free and their
// relatives for the whole process (glibc supports replacing them) with thin
// wrappers around glibc's own allocator that add or subtract the size of
// each block, read from glibc's chunk header (the block's usable size plus
// its 8-byte header, as much as it costs the heap). The first thread to
// allocate, the loop thread (it starts the process), counts with plain loads
// and stores; other threads (the lazy freer, libuv's pool) allocate seldom
// and count into a second total with atomic additions. A block freed by
// another thread than the one that allocated it makes one total go up and
// the other down: only their sum means anything.
//
// Under AddressSanitizer, which owns malloc, the sanitizer's own count is
// used instead. Valgrind's memcheck, which replaces glibc's allocator, cannot
// run this binary (callgrind and cachegrind can).
inline int64_t heap_allocated_bytes();

// The allocator the counter reports on (INFO mem_allocator).
const char* heap_allocator_name();

// The counters behind heap_allocated_bytes, in the header so that the sum
// inlines into maxmemory's check before every command.
namespace heap_counter_detail {
// Written by the first thread only: a relaxed load and store, no locked
// instruction. Readers elsewhere may see it a moment late, which a total
// that moves with every allocation tolerates.
extern std::atomic<int64_t> first_thread_bytes;
// Every other thread's, added atomically.
extern std::atomic<int64_t> other_threads_bytes;
}  // namespace heap_counter_detail

#ifdef VIREO_ASAN
int64_t sanitizer_allocated_bytes();
inline int64_t heap_allocated_bytes() {
  return sanitizer_allocated_bytes();
}
#else
inline int64_t heap_allocated_bytes() {
  namespace d = heap_counter_detail;
  return d::first_thread_bytes.load(std::memory_order_relaxed) +
         d::other_threads_bytes.load(std::memory_order_relaxed);
}
#endif

}  // namespace vireo
