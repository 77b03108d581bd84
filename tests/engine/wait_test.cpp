// Tests for aio/wait.hpp (asyncio.wait, 3.11.7), ported from test_tasks plus rules of our own.
#include <doctest/doctest.h>

#include <algorithm>
#include <stdexcept>
#include <string>
#include <vector>

#include "aio/aio.hpp"
#include "aio/wait.hpp"

using namespace aio;

namespace {
coro<void> nap(double s) { co_await aio::sleep(s); }
coro<int> value_after(double s, int v) {
  co_await aio::sleep(s);
  co_return v;
}
coro<void> fail_after(double s) {
  co_await aio::sleep(s);
  throw std::domain_error("err");  // ZeroDivisionError stand-in
}
template <class F>
bool same_set(std::vector<F> got, std::vector<F> want) {
  if (got.size() != want.size()) return false;
  for (auto& w : want)
    if (std::find(got.begin(), got.end(), w) == got.end()) return false;
  return true;
}
/// test_utils.run_briefly: run the loop until a fresh task that yields once is done.
void run_briefly(event_loop& loop) {
  auto t = create_task(loop, []() -> coro<void> { co_await aio::sleep(0); }());
  loop.run_until_done(*t.base());
}
/// "move forward to close generator": let everything left finish, as the CPython tests do.
void finish_all(event_loop& loop, std::vector<task<void>> ts) {
  auto t = create_task(loop, wait(std::move(ts)));
  loop.run_until_done(*t.base());
}
}  // namespace

TEST_CASE("test_wait (test_tasks): all_completed returns every task at the slowest, again at once") {
  event_loop loop;
  auto a = create_task(loop, nap(0.1));
  auto b = create_task(loop, nap(0.15));
  auto foo = [](task<void> a, task<void> b) -> coro<int> {
    std::vector<task<void>> fs{b, a};
    auto [done, pending] = co_await wait(fs);
    CHECK(same_set(done, {a, b}));
    CHECK(pending.empty());
    co_return 42;
  };
  auto t1 = create_task(loop, foo(a, b));
  loop.run_until_done(*t1.base());
  CHECK(t1.result() == 42);
  CHECK(loop.time() == doctest::Approx(0.15));
  // Doing it again takes no time (every future already done: callbacks posted at once).
  auto t2 = create_task(loop, foo(a, b));
  loop.run_until_done(*t2.base());
  CHECK(t2.result() == 42);
  CHECK(loop.time() == doctest::Approx(0.15));
}

TEST_CASE("test_wait_first_completed (test_tasks): {b} done, {a} pending at t=0.1") {
  event_loop loop;
  auto a = create_task(loop, nap(10.0));
  auto b = create_task(loop, nap(0.1));
  auto t = create_task(loop, wait(std::vector<task<void>>{b, a}, return_when::first_completed));
  loop.run_until_done(*t.base());
  auto r = t.result();
  CHECK(same_set(r.done, {b}));
  CHECK(same_set(r.pending, {a}));
  CHECK_FALSE(a.done());
  CHECK(b.done());
  CHECK(loop.time() == doctest::Approx(0.1));
  finish_all(loop, {a, b});
}

TEST_CASE("test_wait_really_done (test_tasks): tasks finished in the same iteration count as done") {
  event_loop loop;
  auto coro1 = []() -> coro<void> { co_await aio::sleep(0); };
  auto coro2 = []() -> coro<void> {
    co_await aio::sleep(0);
    co_await aio::sleep(0);
  };
  auto a = create_task(loop, coro1());
  auto b = create_task(loop, coro2());
  auto t = create_task(loop, wait(std::vector<task<void>>{b, a}, return_when::first_completed));
  loop.run_until_done(*t.base());
  auto r = t.result();
  CHECK(same_set(r.done, {a, b}));
  CHECK(r.pending.empty());
  CHECK(a.done());
  CHECK(b.done());
}

TEST_CASE("test_wait_first_exception (test_tasks): a task already failed returns at once") {
  event_loop loop;
  auto a = create_task(loop, nap(10.0));
  auto b = create_task(loop, []() -> coro<void> { throw std::domain_error("err"); co_return; }());
  auto t = create_task(loop, wait(std::vector<task<void>>{b, a}, return_when::first_exception));
  loop.run_until_done(*t.base());
  auto r = t.result();
  CHECK(same_set(r.done, {b}));
  CHECK(same_set(r.pending, {a}));
  CHECK(loop.time() == 0.0);
  finish_all(loop, {a, b});
}

TEST_CASE("test_wait_first_exception_in_wait (test_tasks): returns when the exception happens") {
  event_loop loop;
  auto a = create_task(loop, nap(10.0));
  auto b = create_task(loop, fail_after(0.01));
  auto t = create_task(loop, wait(std::vector<task<void>>{b, a}, return_when::first_exception));
  loop.run_until_done(*t.base());
  auto r = t.result();
  CHECK(same_set(r.done, {b}));
  CHECK(same_set(r.pending, {a}));
  CHECK(loop.time() == doctest::Approx(0.01));
  finish_all(loop, {a, b});
}

TEST_CASE("first_exception ignores cancelled futures: waits for the rest") {
  event_loop loop;
  auto body = [](event_loop& loop) -> coro<void> {
    future<void> x(loop);
    auto y = create_task(nap(1));
    x.cancel();
    std::vector<future<void>> fs{x, y.as_future()};
    auto [done, pending] = co_await wait(fs, return_when::first_exception);
    CHECK(loop.time() == doctest::Approx(1.0));  // the cancelled x did not count as an exception
    CHECK(done.size() == 2);
    CHECK(pending.empty());
  };
  run(loop, body(loop));
}

TEST_CASE("test_wait_with_exception (test_tasks): a failed task is simply done") {
  event_loop loop;
  auto a = create_task(loop, nap(0.1));
  auto b = create_task(loop, fail_after(0.15));
  auto foo = [](task<void> a, task<void> b) -> coro<void> {
    std::vector<task<void>> fs{b, a};
    auto [done, pending] = co_await wait(fs);
    CHECK(done.size() == 2);
    CHECK(pending.empty());
    int errors = 0;
    for (auto& f : done) errors += f.exception() ? 1 : 0;
    CHECK(errors == 1);
  };
  auto t = create_task(loop, foo(a, b));
  loop.run_until_done(*t.base());
  t.result();
  CHECK(loop.time() == doctest::Approx(0.15));
}

TEST_CASE("test_wait_with_timeout (test_tasks): the timeout neither raises nor cancels") {
  event_loop loop;
  auto a = create_task(loop, nap(0.1));
  auto b = create_task(loop, nap(0.15));
  auto foo = [](task<void> a, task<void> b) -> coro<void> {
    std::vector<task<void>> fs{b, a};
    auto [done, pending] = co_await wait(fs, return_when::all_completed, 0.11);
    CHECK(same_set(done, {a}));
    CHECK(same_set(pending, {b}));
    CHECK_FALSE(b.cancelled());
  };
  auto t = create_task(loop, foo(a, b));
  loop.run_until_done(*t.base());
  t.result();
  CHECK(loop.time() == doctest::Approx(0.11));
  finish_all(loop, {a, b});
  CHECK(loop.time() == doctest::Approx(0.15));
  CHECK_FALSE(b.cancelled());
}

TEST_CASE("test_wait_concurrent_complete (test_tasks): a task finishing at the timeout is done") {
  event_loop loop;
  auto a = create_task(loop, nap(0.1));
  auto b = create_task(loop, nap(0.15));
  auto t = create_task(loop, wait(std::vector<task<void>>{b, a}, return_when::all_completed, 0.1));
  loop.run_until_done(*t.base());
  auto r = t.result();
  CHECK(same_set(r.done, {a}));
  CHECK(same_set(r.pending, {b}));
  CHECK(loop.time() == doctest::Approx(0.1));
  finish_all(loop, {a, b});
}

TEST_CASE("test_wait_duplicate_coroutines (test_tasks): the same task twice is one element") {
  event_loop loop;
  auto c = create_task(loop, value_after(0, 1));
  auto d = create_task(loop, value_after(0, 2));
  auto t = create_task(loop, wait(std::vector<task<int>>{c, c, d}));
  loop.run_until_done(*t.base());
  auto r = t.result();
  CHECK(r.pending.empty());
  REQUIRE(r.done.size() == 2);
  CHECK(r.done[0].result() + r.done[1].result() == 3);
}

TEST_CASE("test_wait_errors (test_tasks): an empty set raises invalid_argument at the await") {
  event_loop loop;
  auto body = []() -> coro<void> {
    auto w = wait(std::vector<task<void>>{});  // nothing happens until awaited, like a coroutine
    bool raised = false;
    try {
      co_await std::move(w);
    } catch (const std::invalid_argument&) {
      raised = true;
    }
    CHECK(raised);
  };
  run(loop, body());
}

TEST_CASE("wait removes its callbacks and its timer when it returns") {
  event_loop loop;
  auto body = [](event_loop& loop) -> coro<void> {
    auto a = create_task(nap(10));
    auto b = create_task(nap(0.1));
    co_await aio::sleep(0);
    const auto refs_a = a.base()->use_count();
    {
      std::vector<task<void>> fs{a, b};
      auto [done, pending] = co_await wait(fs, return_when::first_completed, 5.0);
      CHECK(same_set(pending, {a}));
    }
    // Our registration on `a` held a reference to it (through its link); it is gone.
    CHECK(a.base()->use_count() == refs_a);
    // Only a's own sleep timer is left: the 5 s timeout timer was cancelled.
    CHECK(loop.timer_count() == 1);
    a.cancel();
  };
  run(loop, body(loop));
}

TEST_CASE("wait: cancelling the waiting task disarms the timeout and unhooks the futures (the finally clause)") {
  event_loop loop;
  auto body = [](event_loop& loop) -> coro<void> {
    auto a = create_task(nap(10));
    co_await aio::sleep(0);
    const auto refs_a = a.base()->use_count();
    auto w = create_task([](task<void> a) -> coro<void> {
      std::vector<task<void>> fs{a};
      co_await wait(fs, return_when::all_completed, 5.0);
    }(a));
    co_await aio::sleep(0);
    CHECK(loop.timer_count() == 2);  // a's sleep and wait's 5 s timeout
    w.cancel();
    bool cancelled = false;
    try {
      co_await w;
    } catch (const cancelled_error&) {
      cancelled = true;
    }
    CHECK(cancelled);
    CHECK_FALSE(a.done());
    CHECK(loop.timer_count() == 1);  // the timeout is gone
    CHECK(a.base()->use_count() == refs_a);  // and so is our callback on `a`
    a.cancel();
  };
  run(loop, body(loop));
}

TEST_CASE("test_yield_wait_does_not_shield_cancel (test_tasks): cancelling the waiter leaves the task running") {
  event_loop loop;
  int proof = 0;
  future<void> waiter(loop);
  auto inner = [](future<void> w, int* p) -> coro<void> {
    co_await w;
    *p += 1;
  };
  auto outer = [&]() -> coro<void> {
    std::vector<task<void>> fs{create_task(inner(waiter, &proof))};
    co_await wait(fs);
    proof += 100;
  };
  auto f = create_task(loop, outer());
  run_briefly(loop);
  f.cancel();
  loop.run_until_done(*f.base());
  CHECK(f.cancelled());
  waiter.set_result();
  run_briefly(loop);
  CHECK(proof == 1);
}

TEST_CASE("wait over tasks of different result types (task_base pointers)") {
  event_loop loop;
  auto body = []() -> coro<void> {
    auto i = create_task(value_after(0.2, 7));
    auto s = create_task([]() -> coro<std::string> {
      co_await aio::sleep(0.1);
      co_return "x";
    }());
    std::vector<task_base*> fs{i.base(), s.base()};
    auto [done, pending] = co_await wait(fs, return_when::first_completed);
    REQUIRE(done.size() == 1);
    CHECK(done[0] == s.base());
    CHECK(pending[0] == i.base());
    int v = co_await i;
    CHECK(v == 7);
  };
  run(loop, body());
}
