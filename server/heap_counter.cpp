#include "server/heap_counter.h"

#include <atomic>
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#if defined(VIREO_ASAN)

extern "C" size_t __sanitizer_get_current_allocated_bytes();

namespace vireo {

int64_t sanitizer_allocated_bytes() {
  return static_cast<int64_t>(__sanitizer_get_current_allocated_bytes());
}

const char* heap_allocator_name() {
  return "libc";
}

}  // namespace vireo

#elif defined(__GLIBC__)

// glibc's allocator under its internal names, which stay exported so that a
// replacement malloc can build on it.
extern "C" {
void* __libc_malloc(size_t size);
void __libc_free(void* block);
void* __libc_calloc(size_t count, size_t size);
void* __libc_realloc(void* block, size_t size);
void* __libc_memalign(size_t alignment, size_t size);
void* __libc_valloc(size_t size);
void* __libc_pvalloc(size_t size);
}

namespace vireo {
namespace heap_counter_detail {

// Zero-initialised statics and constant-initialised thread_locals: all of
// it works before any constructor runs, as malloc must (the C library and
// the dynamic loader allocate long before main).
alignas(64) std::atomic<int64_t> first_thread_bytes{0};
alignas(64) std::atomic<int64_t> other_threads_bytes{0};

}  // namespace heap_counter_detail

namespace {

std::atomic<bool> g_first_thread_seen{false};
// Which total this thread counts into; null until its first allocation.
__attribute__((tls_model("initial-exec"))) thread_local std::atomic<int64_t>* t_total = nullptr;

// A thread's first count, and every count off the first thread: out of
// line, so that the first thread's path is a load, an add and a store.
[[gnu::noinline, gnu::cold]] void count_elsewhere(int64_t delta) {
  namespace d = heap_counter_detail;
  if (t_total == nullptr) {
    t_total = g_first_thread_seen.exchange(true, std::memory_order_relaxed)
                  ? &d::other_threads_bytes
                  : &d::first_thread_bytes;
  }
  if (t_total == &d::first_thread_bytes) {
    t_total->store(t_total->load(std::memory_order_relaxed) + delta, std::memory_order_relaxed);
  } else {
    t_total->fetch_add(delta, std::memory_order_relaxed);
  }
}

inline void count(int64_t delta) {
  namespace d = heap_counter_detail;
  if (t_total == &d::first_thread_bytes) [[likely]] {
    d::first_thread_bytes.store(d::first_thread_bytes.load(std::memory_order_relaxed) + delta,
                                std::memory_order_relaxed);
  } else {
    count_elsewhere(delta);
  }
}

// What a block costs the heap: glibc keeps the chunk's size in the word
// before the block, its three low bits being flags. Mapped chunks (large
// blocks) keep their mapping's size there, so the same read covers them.
inline int64_t block_bytes(const void* block) {
  return static_cast<int64_t>(reinterpret_cast<const size_t*>(block)[-1] & ~size_t{7});
}

inline void* counted(void* block) {
  if (block) count(block_bytes(block));
  return block;
}

}  // namespace

const char* heap_allocator_name() {
  return "libc";
}

}  // namespace vireo

// The replacements: the set glibc's manual names for replacing malloc.
// malloc_usable_size keeps working unreplaced, since the blocks are glibc's.
extern "C" {

void* malloc(size_t size) noexcept {
  return vireo::counted(__libc_malloc(size));
}

void free(void* block) noexcept {
  if (!block) return;
  vireo::count(-vireo::block_bytes(block));
  __libc_free(block);
}

void* calloc(size_t count, size_t size) noexcept {
  return vireo::counted(__libc_calloc(count, size));
}

void* realloc(void* block, size_t size) noexcept {
  if (!block) return malloc(size);
  const int64_t before = vireo::block_bytes(block);
  void* moved = __libc_realloc(block, size);
  if (moved) {
    vireo::count(vireo::block_bytes(moved) - before);
  } else if (size == 0) {
    vireo::count(-before);  // glibc frees the block and returns null
  }
  return moved;
}

void* reallocarray(void* block, size_t count, size_t size) noexcept {
  size_t bytes;
  if (__builtin_mul_overflow(count, size, &bytes)) {
    errno = ENOMEM;
    return nullptr;
  }
  return realloc(block, bytes);
}

void* memalign(size_t alignment, size_t size) noexcept {
  return vireo::counted(__libc_memalign(alignment, size));
}

void* aligned_alloc(size_t alignment, size_t size) noexcept {
  return vireo::counted(__libc_memalign(alignment, size));
}

int posix_memalign(void** out, size_t alignment, size_t size) noexcept {
  if (alignment % sizeof(void*) != 0 || (alignment & (alignment - 1)) != 0 || alignment == 0) {
    return EINVAL;
  }
  void* block = vireo::counted(__libc_memalign(alignment, size));
  if (!block) return ENOMEM;
  *out = block;
  return 0;
}

void* valloc(size_t size) noexcept {
  return vireo::counted(__libc_valloc(size));
}

void* pvalloc(size_t size) noexcept {
  return vireo::counted(__libc_pvalloc(size));
}

}  // extern "C"

#else
#error "heap_counter.cpp counts glibc's heap: build with glibc, or with AddressSanitizer"
#endif
