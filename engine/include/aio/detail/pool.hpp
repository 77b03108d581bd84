// The engine's recycling allocator: coroutine frames, tasks, futures and timer handles come and
// go by the hundred thousand, mostly in a few sizes, so freed blocks are kept on per-thread free
// lists by size class (steps of operator new's alignment, 16 bytes natively and 8 in wasm32, up
// to kMaxPooled) and handed out again without malloc.
// A miss takes a fresh block from ::operator new; blocks of larger sizes go straight to it.
// Blocks are independent heap blocks, so one freed on another thread than the one that allocated
// it (a callback posted from a worker) simply joins that thread's lists. A thread's lists are
// returned to the heap when the thread exits.
// Under AddressSanitizer (or with AIO_NO_POOL defined) every call goes straight to the heap, so
// use-after-free and leak checks keep seeing each object.
#pragma once
#include <cstddef>
#include <new>

#if defined(__SANITIZE_ADDRESS__)
#define AIO_POOL_DISABLED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define AIO_POOL_DISABLED 1
#endif
#endif
#if defined(AIO_NO_POOL) && !defined(AIO_POOL_DISABLED)
#define AIO_POOL_DISABLED 1
#endif

namespace aio::detail {

/// Size classes step by operator new's own alignment: 16 bytes natively, 8 in wasm32.
inline constexpr std::size_t kPoolGranule = __STDCPP_DEFAULT_NEW_ALIGNMENT__;
inline constexpr std::size_t kMaxPooled = 1024;
inline constexpr std::size_t kPoolClasses = kMaxPooled / kPoolGranule;

/// A thread's free lists. Trivially constructible and destructible, so the hot path reads a
/// plain thread_local without an initialisation guard.
struct pool_lists {
  void* head[kPoolClasses];
  bool registered;  // the thread-exit reaper is armed
  bool dead;        // the thread is exiting: lists were freed, bypass them
};
inline thread_local pool_lists t_pool{};

/// Slow paths (pool.cpp): a fresh block, and parking a block once the thread is exiting.
void* pool_refill(std::size_t cls);
void pool_free_slow(void* p) noexcept;

inline constexpr std::size_t pool_class(std::size_t n) noexcept { return (n + kPoolGranule - 1) / kPoolGranule - 1; }

inline void* pool_alloc(std::size_t n) {
#ifdef AIO_POOL_DISABLED
  return ::operator new(n);
#else
  if (n > kMaxPooled || n == 0) return ::operator new(n);
  std::size_t c = pool_class(n);
  void* p = t_pool.head[c];
  if (!p) return pool_refill(c);
  t_pool.head[c] = *static_cast<void**>(p);
  return p;
#endif
}

inline void pool_free(void* p, std::size_t n) noexcept {
#ifdef AIO_POOL_DISABLED
  (void)n;
  ::operator delete(p);
#else
  if (!p) return;
  if (n > kMaxPooled || n == 0 || t_pool.dead) return pool_free_slow(p);
  std::size_t c = pool_class(n);
  *static_cast<void**>(p) = t_pool.head[c];
  t_pool.head[c] = p;
#endif
}

/// Blocks cached on this thread's free lists, all classes (tests, stats).
std::size_t pool_cached_blocks() noexcept;
/// Return this thread's cached blocks to the heap (tests; idle memory trimming).
void pool_trim() noexcept;

/// Derive from this to allocate instances from the pool. The class must be deleted through its
/// own type or a virtual destructor (sized operator delete then gets the dynamic type's size).
struct pooled {
  static void* operator new(std::size_t n) { return pool_alloc(n); }
  static void operator delete(void* p, std::size_t n) noexcept { pool_free(p, n); }
};

}  // namespace aio::detail
