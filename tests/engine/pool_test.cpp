// Tests for aio/detail/pool.hpp: the recycling allocator under coroutine frames, futures, tasks
// and handles. Under AddressSanitizer the pool is a pass-through (every block goes back to the
// heap), so the recycling checks only apply to ordinary builds.
#include <doctest/doctest.h>

#include <cstdint>
#include <cstring>
#include <vector>

#include "aio/aio.hpp"
#include "aio/debug.hpp"
#include "aio/detail/pool.hpp"

#if AIO_TEST_HAS_THREADS
#include <thread>
#endif

using namespace aio;
using detail::pool_alloc;
using detail::pool_free;

#ifndef AIO_POOL_DISABLED
TEST_CASE("a freed block is handed out again for any size of its class, and only its class") {
  detail::pool_trim();
  void* a = pool_alloc(40);  // the class of 33..40 bytes (and of 33..48 natively)
  pool_free(a, 40);
  CHECK(detail::pool_cached_blocks() == 1);
  void* other = pool_alloc(64);  // another class: not the cached block
  CHECK(other != a);
  void* b = pool_alloc(33);  // same class: the cached block
  CHECK(b == a);
  CHECK(detail::pool_cached_blocks() == 0);
  pool_free(b, 33);
  pool_free(other, 64);
  CHECK(detail::pool_cached_blocks() == 2);
  detail::pool_trim();
  CHECK(detail::pool_cached_blocks() == 0);
}

TEST_CASE("blocks over the largest class go straight to the heap") {
  detail::pool_trim();
  void* p = pool_alloc(detail::kMaxPooled + 1);
  pool_free(p, detail::kMaxPooled + 1);
  CHECK(detail::pool_cached_blocks() == 0);
}

TEST_CASE("futures, tasks and coroutine frames recycle their blocks from one run to the next") {
  auto child = [](int i) -> coro<int> {
    co_await aio::sleep(0.001 * i);
    co_return i;
  };
  auto run_batch = [&] {
    event_loop loop;
    auto main = [](decltype(child)* mk) -> coro<long> {
      std::vector<task<int>> ts;
      for (int i = 0; i < 200; ++i) ts.push_back(create_task((*mk)(i)));
      long sum = 0;
      for (auto& t : ts) sum += co_await t;
      co_return sum;
    };
    return run(loop, main(&child));
  };
  detail::pool_trim();
  CHECK(run_batch() == 199 * 200 / 2);
  std::size_t cached = detail::pool_cached_blocks();
  CHECK(cached >= 200 * 2);  // at least each task's object and frame came back (a sleep allocates none)
  CHECK(run_batch() == 199 * 200 / 2);
  CHECK(detail::pool_cached_blocks() == cached);  // the second run took all it needed from the lists
  detail::pool_trim();
}
#endif

TEST_CASE("pooled blocks are usable memory of the requested size, whatever the build") {
  std::vector<void*> blocks;
  for (std::size_t n = 1; n <= detail::kMaxPooled + 64; n += 7) {
    auto* p = static_cast<unsigned char*>(pool_alloc(n));
    std::memset(p, 0xab, n);
    blocks.push_back(p);
  }
  std::size_t n = 1;
  for (void* p : blocks) {
    CHECK(static_cast<unsigned char*>(p)[n - 1] == 0xab);
    CHECK(reinterpret_cast<std::uintptr_t>(p) % __STDCPP_DEFAULT_NEW_ALIGNMENT__ == 0);
    pool_free(p, n);
    n += 7;
  }
  detail::pool_trim();
}

TEST_CASE("every coroutine frame is still counted while frames are recycled") {
  auto before = debug::live_coroutine_frames();
  {
    event_loop loop;
    auto leaf = []() -> coro<int> { co_return 1; };
    auto main = [](decltype(leaf)* mk) -> coro<int> {
      int s = 0;
      for (int i = 0; i < 1000; ++i) s += co_await (*mk)();
      co_return s;
    };
    CHECK(run(loop, main(&leaf)) == 1000);
  }
  CHECK(debug::live_coroutine_frames() == before);
}

#if AIO_TEST_HAS_THREADS
TEST_CASE("a block allocated on one thread may be freed on another, and threads exit cleanly") {
  void* p = nullptr;
  std::thread([&] { p = pool_alloc(100); }).join();  // that thread's (empty) lists are freed at its exit
  pool_free(p, 100);                                 // joins this thread's lists
  std::thread([] {
    for (int i = 0; i < 1000; ++i) pool_free(pool_alloc(48), 48);
  }).join();
  void* q = pool_alloc(100);
  pool_free(q, 100);
  detail::pool_trim();
}
#endif
