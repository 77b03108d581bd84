// The benchmark workloads on the aio engine, one coroutine per workload. Each mirrors, statement
// by statement, bench/python/bench_asyncio.py and bench/node/bench_node.mjs: same sizes, same
// seeded durations, same checksum. Each main times itself from its first statement to just
// before it returns (after dropping its task handles), so loop set-up/teardown is excluded
// for every implementation alike.
#pragma once
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "aio/coro.hpp"
#include "aio/event_loop.hpp"
#include "aio/sleep.hpp"
#include "aio/task.hpp"

#if __has_include("aio/event.hpp")
#include "aio/event.hpp"
#define AIO_BENCH_HAVE_EVENT 1
#endif
#if __has_include("aio/queue.hpp")
#include "aio/queue.hpp"
#define AIO_BENCH_HAVE_QUEUE 1
#endif

namespace bench {

using aio::coro;
using aio::create_task;
using aio::task;
using u64 = std::uint64_t;

inline double now_ms() {
  using namespace std::chrono;
  return duration<double, std::milli>(steady_clock::now().time_since_epoch()).count();
}

/// What every workload's main returns: its own elapsed time and a checksum that the runner
/// compares across implementations (so a broken port cannot pass as a fast one).
struct result {
  double ms = 0;
  u64 check = 0;
};

/// The durations of workload 5: a 32-bit LCG (Numerical Recipes constants), 1..10000 ms.
/// Python and JS compute the same sequence.
inline std::vector<u64> lcg_durations_ms(std::size_t n, std::uint32_t seed = 12345) {
  std::vector<u64> v(n);
  std::uint32_t x = seed;
  for (auto& d : v) {
    x = x * 1664525u + 1013904223u;
    d = (x >> 16) % 10000u + 1u;
  }
  return v;
}

// ---- 1. create + await n tasks, each returning a value ----
inline coro<u64> w1_child(u64 i) { co_return i; }

inline coro<result> w1_main(u64 n) {
  double t0 = now_ms();
  std::vector<task<u64>> ts;
  ts.reserve(n);
  for (u64 i = 0; i < n; ++i) ts.push_back(create_task(w1_child(i)));
  u64 sum = 0;
  for (auto& t : ts) sum += co_await t;
  ts.clear();
  co_return result{now_ms() - t0, sum};
}

// ---- 3. n tasks, each yielding `yields` times with sleep(0) ----
inline coro<u64> w3_child(u64 i, int yields) {
  for (int k = 0; k < yields; ++k) co_await aio::sleep(0);
  co_return i;
}

inline coro<result> w3_main(u64 n, int yields) {
  double t0 = now_ms();
  std::vector<task<u64>> ts;
  ts.reserve(n);
  for (u64 i = 0; i < n; ++i) ts.push_back(create_task(w3_child(i, yields)));
  u64 sum = 0;
  for (auto& t : ts) sum += co_await t;
  ts.clear();
  co_return result{now_ms() - t0, sum};
}

// ---- 5. n tasks sleeping seeded random durations on the virtual clock ----
inline coro<u64> w5_child(u64 ms) {
  co_await aio::sleep(static_cast<double>(ms) / 1000.0);
  co_return ms;
}

inline coro<result> w5_main(std::vector<u64> durations) {
  double t0 = now_ms();
  std::vector<task<u64>> ts;
  ts.reserve(durations.size());
  for (u64 d : durations) ts.push_back(create_task(w5_child(d)));
  u64 sum = 0;
  for (auto& t : ts) sum += co_await t;
  ts.clear();
  // The loop's final virtual time (ms) is part of the checksum: it must equal the longest sleep.
  u64 end_ms = static_cast<u64>(aio::event_loop::running().time() * 1000.0 + 0.5);
  co_return result{now_ms() - t0, sum * 100000u + end_ms};
}

// ---- 6. memory: n tasks pending in sleep(1000) ----
// The memory probe is called after every task has taken its first step (all are suspended on
// their sleep) and before any of them finishes.
inline coro<u64> w6_child() {
  co_await aio::sleep(1000.0);
  co_return 1;
}

template <class Probe>
coro<result> w6_main(u64 n, Probe* probe) {
  probe->before();
  std::vector<task<u64>> ts;
  ts.reserve(n);
  for (u64 i = 0; i < n; ++i) ts.push_back(create_task(w6_child()));
  co_await aio::sleep(0);  // one loop pass: every child has run up to its sleep
  probe->after();
  u64 sum = 0;
  for (auto& t : ts) sum += co_await t;
  ts.clear();
  co_return result{0, sum};
}

#ifdef AIO_BENCH_HAVE_EVENT
// ---- 2. ping-pong between two tasks through two events, n round trips ----
inline coro<u64> w2_ping(aio::event* ping, aio::event* pong, u64 n) {
  for (u64 i = 0; i < n; ++i) {
    ping->set();
    co_await pong->wait();
    pong->clear();
  }
  co_return n;
}
inline coro<u64> w2_pong(aio::event* ping, aio::event* pong, u64 n) {
  for (u64 i = 0; i < n; ++i) {
    co_await ping->wait();
    ping->clear();
    pong->set();
  }
  co_return n;
}
inline coro<result> w2_main(u64 n) {
  double t0 = now_ms();
  aio::event ping, pong;
  auto a = create_task(w2_ping(&ping, &pong, n));
  auto b = create_task(w2_pong(&ping, &pong, n));
  u64 ra = co_await a;
  u64 rb = co_await b;
  co_return result{now_ms() - t0, ra + rb};
}
#endif

#ifdef AIO_BENCH_HAVE_QUEUE
// ---- 4. n items through a bounded queue, one producer, one consumer ----
inline coro<u64> w4_producer(aio::queue<u64>* q, u64 n) {
  for (u64 i = 0; i < n; ++i) co_await q->put(i);
  co_return 0;
}
inline coro<u64> w4_consumer(aio::queue<u64>* q, u64 n) {
  u64 sum = 0;
  for (u64 i = 0; i < n; ++i) sum += co_await q->get();
  co_return sum;
}
inline coro<result> w4_main(u64 n, long maxsize) {
  double t0 = now_ms();
  aio::queue<u64> q(maxsize);
  auto p = create_task(w4_producer(&q, n));
  auto c = create_task(w4_consumer(&q, n));
  u64 sum = co_await c;
  co_await p;
  co_return result{now_ms() - t0, sum};
}
#endif

}  // namespace bench
