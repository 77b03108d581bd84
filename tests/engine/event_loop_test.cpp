// Tests for aio/event_loop.hpp and aio/clock.hpp: FIFO batches, timer order, the steppable loop.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "aio/aio.hpp"
#include "aio/detail/platform.hpp"

using namespace aio;

TEST_CASE("call_soon is FIFO and run_once runs only the callbacks present when it starts") {
  event_loop loop;
  std::vector<int> log;
  loop.call_soon([&] {
    log.push_back(1);
    loop.call_soon([&] { log.push_back(3); });
  });
  loop.call_soon([&] { log.push_back(2); });
  loop.run_once();
  CHECK(log == std::vector<int>{1, 2});
  loop.run_once();
  CHECK(log == std::vector<int>{1, 2, 3});
}

TEST_CASE("run_once reports the next deadline: now if ready, the first timer, or never") {
  event_loop loop;
  CHECK(loop.run_once() == event_loop::never);
  loop.call_later(2.5, [] {});
  CHECK(loop.run_once() == doctest::Approx(2.5));
  loop.call_soon([] {});
  CHECK(loop.ready_count() == 1);
  double next = loop.run_once();
  CHECK(next == doctest::Approx(2.5));
}

TEST_CASE("timers fire in (deadline, sequence) order and the virtual clock jumps to each") {
  event_loop loop;
  std::vector<std::string> log;
  loop.call_later(2, [&] { log.push_back("b@" + std::to_string(loop.time())); });
  loop.call_later(1, [&] { log.push_back("a@" + std::to_string(loop.time())); });
  loop.call_later(2, [&] { log.push_back("c@" + std::to_string(loop.time())); });
  loop.run_forever();
  CHECK(log == std::vector<std::string>{"a@1.000000", "b@2.000000", "c@2.000000"});
  CHECK(loop.time() == 2.0);
}

TEST_CASE("due timers run after the callbacks already queued, in the same pass") {
  event_loop loop;
  std::vector<std::string> log;
  loop.call_later(0, [&] { log.push_back("timer"); });
  loop.call_soon([&] { log.push_back("soon"); });
  loop.run_once();
  CHECK(log == std::vector<std::string>{"soon", "timer"});
}

TEST_CASE("a cancelled handle or timer never runs, even after it became due") {
  event_loop loop;
  int n = 0;
  auto h = loop.call_soon([&] { ++n; });
  auto t = loop.call_later(1, [&] { ++n; });
  h->cancel();
  t->cancel();
  CHECK(loop.timer_count() == 0);
  loop.run_forever();
  CHECK(n == 0);
  // Cancelled while already moved to the ready queue by its pass:
  timer_ref late;
  loop.call_later(1, [&] { late->cancel(); });
  late = loop.call_later(1, [&] { ++n; });
  loop.run_forever();
  CHECK(n == 0);
}

TEST_CASE("the virtual clock does not move while anything is ready") {
  event_loop loop;
  loop.call_later(5, [] {});
  int spins = 0;
  std::function<void()> spin = [&] {
    if (++spins < 100) loop.call_soon(spin);
  };
  loop.call_soon(spin);
  while (spins < 100) {
    loop.run_once();
    CHECK(loop.time() == 0.0);
  }
}

TEST_CASE("real clock: a timer waits for real time (generous slack)") {
  event_loop loop(make_real_clock());
  bool fired = false;
  loop.call_later(0.05, [&] { fired = true; });
  auto t0 = detail::platform::monotonic_seconds();
  loop.run_forever();
  double took = detail::platform::monotonic_seconds() - t0;
  CHECK(fired);
  CHECK(took >= 0.045);
  CHECK(took < 2.0);
}

TEST_CASE("real clock speed factor: at 4x a 0.2 s timer takes about 0.05 s") {
  event_loop loop(make_real_clock(4.0));
  loop.call_later(0.2, [] {});
  auto t0 = detail::platform::monotonic_seconds();
  loop.run_forever();
  double took = detail::platform::monotonic_seconds() - t0;
  CHECK(took >= 0.045);
  CHECK(took < 1.0);
}

TEST_CASE("an exception in a callback goes to the exception handler and the loop goes on") {
  event_loop loop;
  std::vector<std::string> msgs;
  loop.set_exception_handler([&](event_loop&, const error_context& c) { msgs.push_back(c.message); });
  bool after = false;
  loop.call_soon([] { throw std::runtime_error("bad"); });
  loop.call_soon([&] { after = true; });
  loop.run_once();
  CHECK(after);
  CHECK(msgs == std::vector<std::string>{"Exception in callback"});
}

TEST_CASE("run_until_done reports a deadlock instead of hanging") {
  event_loop loop;
  future<int> never(loop);
  auto body = [&]() -> coro<int> { co_return co_await never; };
  auto t = create_task(loop, body());
  CHECK_THROWS_AS(loop.run_until_done(*t.base()), deadlock_error);
}

TEST_CASE("a loop destroyed while one task holds a lock and another waits for it frees everything") {
  int cleaned = 0;
  {
    aio::lock lk;  // declared first: it must outlive the loop's teardown of the tasks using it
    event_loop loop;
    loop.set_exception_handler([](event_loop&, const error_context&) {});
    auto holder = [](aio::lock* l, int* n) -> coro<void> {
      auto g = co_await l->scoped();
      struct bump {
        int* n;
        ~bump() { ++*n; }
      } b{n};
      co_await aio::sleep(100);
    };
    auto t1 = create_task(loop, holder(&lk, &cleaned));
    auto t2 = create_task(loop, holder(&lk, &cleaned));
    loop.run_once();
    loop.run_once();
    CHECK(lk.locked());
  }  // ASan/LeakSanitizer would report the wake-up queued by the guard's release
  CHECK(cleaned == 1);
}

TEST_CASE("timers with equal deadlines fire in the order they were scheduled: (when, seq)") {
  // asyncio's TimerHandle compares deadlines only, and heapq would pop eight equal ones as
  // [0, 2, 6, 5, 7, 4, 1, 3]; the reference leaves tie order unspecified and asks for (when, seq).
  event_loop loop;
  std::vector<int> order;
  for (int i = 0; i < 8; ++i) loop.call_later(1, [&order, i] { order.push_back(i); });
  loop.call_later(0.5, [&order] { order.push_back(-1); });
  loop.run_forever();
  CHECK(order == std::vector<int>{-1, 0, 1, 2, 3, 4, 5, 6, 7});
}

TEST_CASE("a cancelled timer left in the heap until the next pass does not disturb later ties") {
  // heap [a(1, cancelled), b(2), c(2)], then d(2) is pushed before the next pass drops a: with
  // (when, seq) entries the heap's shape cannot reorder b, c and d.
  event_loop loop;
  std::vector<std::string> log;
  auto a = loop.call_later(1, [&] { log.push_back("a"); });
  loop.call_later(2, [&] { log.push_back("b"); });
  loop.call_later(2, [&] { log.push_back("c"); });
  a->cancel();
  loop.call_later(2, [&] { log.push_back("d"); });
  loop.run_forever();
  CHECK(log == std::vector<std::string>{"b", "c", "d"});
}

TEST_CASE("a timer due within the clock resolution (1 ns) fires in the same pass, like asyncio's end_time") {
  event_loop loop;
  std::vector<std::string> log;
  loop.call_at(2.43 + 0.02, [&] { log.push_back("later by an ulp"); });  // 2.45
  loop.call_at(2.4 + 0.05, [&] { log.push_back("first"); });           // 2.4499999999999997
  loop.call_at(2.46, [&] { log.push_back("next pass"); });
  double next = loop.run_once();
  CHECK(next == 2.4 + 0.05);
  loop.clock().wait_until(next);
  loop.run_once();
  CHECK(log == std::vector<std::string>{"first", "later by an ulp"});
  CHECK(loop.time() == 2.4 + 0.05);
}

TEST_CASE("timer heap: 5,000 timers with random and tied deadlines, some cancelled, fire in exact (when, seq) order") {
  // The heap's shape is free (4-ary); the order is not. Check it against a sort, with enough
  // cancellations to trigger compaction (more than half of a heap over 100) on the way.
  event_loop loop;
  std::uint32_t x = 7;
  auto rnd = [&x] { return x = x * 1664525u + 1013904223u; };
  struct expect {
    double when;
    int seq;
  };
  std::vector<expect> want;
  std::vector<int> fired;
  std::vector<timer_ref> handles;
  for (int i = 0; i < 5000; ++i) {
    double when = static_cast<double>((rnd() >> 16) % 500) / 100.0;  // many ties
    handles.push_back(loop.call_at(when, [&fired, i] { fired.push_back(i); }));
    if ((rnd() >> 16) % 3 == 0) {
      handles.back()->cancel();
    } else {
      want.push_back({when, i});
    }
  }
  std::stable_sort(want.begin(), want.end(), [](const expect& a, const expect& b) { return a.when < b.when; });
  loop.run_forever();
  std::vector<int> want_seq;
  for (auto& e : want) want_seq.push_back(e.seq);
  CHECK(fired.size() == want_seq.size());
  CHECK(fired == want_seq);
  CHECK(loop.timer_count() == 0);
}

TEST_CASE("timer sequence numbers renumbered before 2^32: ties keep scheduling order, a sleep's live entry stays the live one") {
  // Sequence numbers are 32-bit; when they would run out the heap is numbered afresh 1..n in
  // (when, seq) order. Set up the collision a naive renumbering falls into: task t has a dead
  // entry (its cancelled sleep: deadline 10, seq 2) and a live one (deadline 6) that becomes 2.
  event_loop loop;
  std::vector<std::string> log;
  double woke_at = -1;
  loop.call_at(2, [&log] { log.push_back("h"); });  // seq 1; keeps the dead entry off the top
  auto sleeper = [&]() -> coro<void> {
    try {
      co_await sleep(10);  // seq 2
    } catch (const cancelled_error&) {
      log.push_back("t cancelled");
    }
    co_await sleep(5);  // seq 4, deadline 6
    woke_at = loop.time();
  };
  auto body = [&]() -> coro<void> {
    auto t = create_task(sleeper());
    co_await sleep(0);  // t's first step: its sleep(10) takes seq 2
    co_await sleep(1);  // seq 3
    t.cancel();
    co_await sleep(0);  // t catches it and sleeps again
    for (int i = 0; i < 3; ++i) loop.call_at(30, [&log, i] { log.push_back("a" + std::to_string(i)); });
    loop.set_timer_seq(std::numeric_limits<std::uint32_t>::max() - 1);
    for (int i = 0; i < 2; ++i) loop.call_at(30, [&log, i] { log.push_back("b" + std::to_string(i)); });  // b1 renumbers
    // h, t's live and dead entries, a0-a2 and b0 numbered 1..7, then b1 took 8.
    CHECK(loop.timer_seq() == 8);
    co_await t;
    co_await sleep(30);  // past the ties at 30
  };
  run(loop, body());
  CHECK(woke_at == 6.0);
  CHECK(log == std::vector<std::string>{"t cancelled", "h", "a0", "a1", "a2", "b0", "b1"});
  CHECK(loop.timer_count() == 0);
}
