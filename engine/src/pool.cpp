#include "aio/detail/pool.hpp"

namespace aio::detail {

namespace {
void free_all(pool_lists& l) noexcept {
  for (auto& h : l.head) {
    while (void* p = h) {
      h = *static_cast<void**>(p);
      ::operator delete(p);
    }
  }
}

/// Armed on a thread's first pool miss; its destructor returns the thread's blocks to the heap.
struct reaper {
  bool armed = false;
  ~reaper() {
    free_all(t_pool);
    t_pool.dead = true;  // frees after this (static destructors, later thread_locals) bypass the lists
  }
};
thread_local reaper t_reaper;
}  // namespace

void* pool_refill(std::size_t cls) {
  if (!t_pool.registered && !t_pool.dead) {
    t_pool.registered = true;
    t_reaper.armed = true;  // first use constructs it, which registers its destructor for thread exit
  }
  return ::operator new((cls + 1) * kPoolGranule);
}

void pool_free_slow(void* p) noexcept { ::operator delete(p); }

std::size_t pool_cached_blocks() noexcept {
  std::size_t n = 0;
  for (void* h : t_pool.head)
    for (void* p = h; p; p = *static_cast<void**>(p)) ++n;
  return n;
}

void pool_trim() noexcept { free_all(t_pool); }

}  // namespace aio::detail
