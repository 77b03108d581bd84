// Tests for aio/wait_for.hpp (asyncio.wait_for, 3.11.7), ported from test_waitfor plus rules of
// our own (expected values checked against CPython 3.11.7 on a virtual-time loop).
#include <doctest/doctest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "aio/aio.hpp"
#include "aio/wait.hpp"
#include "aio/wait_for.hpp"

using namespace aio;

namespace {
constexpr double kEpsilon = 0.0001;  // test_waitfor's _EPSILON

/// test_waitfor's SlowTask: runs for 0.2 s of loop time, ignoring cancel requests.
struct slow_task {
  bool exited = false;
  static coro<std::string> run(event_loop& loop, slow_task* self) {
    double exit_at = loop.time() + 0.2;
    for (;;) {
      double to_sleep = exit_at - loop.time();
      if (to_sleep <= 0) break;
      try {
        co_await aio::sleep(to_sleep);
      } catch (const cancelled_error&) {
      }
    }
    self->exited = true;
    co_return "slow";
  }
};

bool nests_cancelled_error(const timeout_error& e) {
  auto c = cause_of(e);
  return c && is_cancelled_error(c);
}
}  // namespace

TEST_CASE("test_asyncio_wait_for_cancelled (test_waitfor): cancelling wait_for waits for the inner task") {
  event_loop loop;
  auto body = [](event_loop& loop) -> coro<void> {
    slow_task t;
    auto w = create_task(wait_for(slow_task::run(loop, &t), 0.4));
    co_await aio::sleep(0);
    w.cancel();
    std::vector<task<std::string>> ws{w};
    co_await wait(ws);
    CHECK(t.exited);
    CHECK(w.cancelled());
    CHECK(loop.time() == doctest::Approx(0.2));
  };
  run(loop, body(loop));
}

TEST_CASE("test_asyncio_wait_for_timeout (test_waitfor): a task swallowing the cancel returns its result") {
  // 3.11.7 (bpo-40607): after cancel-and-wait, `return fut.result()`; no TimeoutError here.
  event_loop loop;
  auto body = [](event_loop& loop) -> coro<void> {
    slow_task t;
    auto r = co_await wait_for(slow_task::run(loop, &t), 0.1);
    CHECK(r == "slow");
    CHECK(t.exited);
    CHECK(loop.time() == doctest::Approx(0.2));
  };
  run(loop, body(loop));
}

TEST_CASE("test_wait_for_timeout_less_then_0_or_0_future_done (test_waitfor)") {
  event_loop loop;
  auto body = [](event_loop& loop) -> coro<void> {
    future<std::string> fut(loop);
    fut.set_result("done");
    auto ret = co_await wait_for(fut, 0);
    CHECK(ret == "done");
    CHECK(fut.done());
  };
  run(loop, body(loop));
}

TEST_CASE("test_wait_for_timeout_less_then_0_or_0_coroutine_do_not_started (test_waitfor)") {
  event_loop loop;
  auto body = []() -> coro<void> {
    bool foo_started = false;
    auto foo = [](bool* started) -> coro<void> {
      *started = true;
      co_return;
    };
    bool timed_out = false;
    try {
      co_await wait_for(foo(&foo_started), 0);
    } catch (const timeout_error& e) {
      timed_out = true;
      CHECK(nests_cancelled_error(e));
    }
    CHECK(timed_out);
    CHECK_FALSE(foo_started);
  };
  run(loop, body());
}

TEST_CASE("test_wait_for_timeout_less_then_0_or_0 (test_waitfor): a running task is cancelled and waited for") {
  for (double timeout : {0.0, -1.0}) {
    CAPTURE(timeout);
    event_loop loop;
    auto body = [](event_loop& loop, double timeout) -> coro<void> {
      bool foo_running = false;
      future<void> started(loop);
      auto foo = [](future<void> started, bool* running) -> coro<std::string> {
        *running = true;
        started.set_result();
        try {
          co_await aio::sleep(10);
        } catch (...) {
          *running = false;
          throw;
        }
        *running = false;
        co_return "done";
      };
      auto fut = create_task(foo(started, &foo_running));
      co_await started;
      bool timed_out = false;
      try {
        co_await wait_for(fut, timeout);
      } catch (const timeout_error&) {
        timed_out = true;
      }
      CHECK(timed_out);
      CHECK(fut.done());
      CHECK(fut.cancelled());
      CHECK_FALSE(foo_running);
    };
    run(loop, body(loop, timeout));
  }
}

TEST_CASE("test_wait_for (test_waitfor): on timeout the task is cancelled, at t=0.1") {
  event_loop loop;
  auto body = [](event_loop& loop) -> coro<void> {
    bool foo_running = false;
    auto foo = [](bool* running) -> coro<std::string> {
      *running = true;
      try {
        co_await aio::sleep(300);
      } catch (...) {
        *running = false;
        throw;
      }
      co_return "done";
    };
    auto fut = create_task(foo(&foo_running));
    bool timed_out = false;
    try {
      co_await wait_for(fut, 0.1);
    } catch (const timeout_error&) {
      timed_out = true;
    }
    CHECK(timed_out);
    CHECK(loop.time() == doctest::Approx(0.1));
    CHECK(fut.cancelled());
    CHECK_FALSE(foo_running);
    CHECK(loop.timer_count() == 0);  // wait_for's timer is gone too
  };
  run(loop, body(loop));
}

TEST_CASE("test_wait_for_blocking (test_waitfor): no timeout awaits the coroutine inline") {
  event_loop loop;
  auto body = [](event_loop& loop) -> coro<void> {
    auto c = []() -> coro<std::string> { co_return "done"; };
    auto res = co_await wait_for(c(), std::nullopt);
    CHECK(res == "done");
    CHECK(loop.all_tasks().size() == 1);  // no task was created for it
  };
  run(loop, body(loop));
}

TEST_CASE("test_wait_for_race_condition (test_waitfor): a future completed before the timeout") {
  event_loop loop;
  auto body = [](event_loop& loop) -> coro<void> {
    future<std::string> fut(loop);
    loop.call_later(0.1, [fut] { fut.set_result("ok"); });
    auto res = co_await wait_for(fut, 0.2);
    CHECK(res == "ok");
    CHECK(loop.time() == doctest::Approx(0.1));
  };
  run(loop, body(loop));
}

TEST_CASE("test_wait_for_cancellation_race_condition (test_waitfor): a swallowed cancel returns the result") {
  event_loop loop;
  auto body = []() -> coro<void> {
    auto inner = []() -> coro<int> {
      bool cancelled = false;
      try {
        co_await aio::sleep(1);
      } catch (const cancelled_error&) {
        cancelled = true;
      }
      CHECK(cancelled);
      co_return 1;
    };
    int result = co_await wait_for(inner(), 0.01);
    CHECK(result == 1);
  };
  run(loop, body());
}

TEST_CASE("test_wait_for_waits_for_task_cancellation (test_waitfor): cleanup completes before timeout_error") {
  event_loop loop;
  auto body = [](event_loop& loop) -> coro<void> {
    bool task_done = false;
    auto inner = [](bool* done) -> coro<void> {
      std::exception_ptr cancelled;
      try {
        co_await aio::sleep(10);
      } catch (const cancelled_error&) {
        cancelled = std::current_exception();
      }
      if (cancelled) co_await aio::sleep(kEpsilon);  // `except CancelledError: await sleep; raise`
      *done = true;                                  // `finally: task_done = True`
      if (cancelled) std::rethrow_exception(cancelled);
    };
    auto inner_task = create_task(inner(&task_done));
    bool timed_out = false;
    try {
      co_await wait_for(inner_task, kEpsilon);
    } catch (const timeout_error& e) {
      timed_out = true;
      CHECK(nests_cancelled_error(e));  // __context__/__cause__ is the CancelledError
    }
    CHECK(timed_out);
    CHECK(task_done);
    CHECK(inner_task.cancelled());
    CHECK(loop.time() == doctest::Approx(2 * kEpsilon));
  };
  run(loop, body(loop));
}

TEST_CASE("test_wait_for_waits_for_task_cancellation_w_timeout_0 (test_waitfor)") {
  event_loop loop;
  auto body = [](event_loop& loop) -> coro<void> {
    bool task_done = false;
    auto inner = [](bool* done) -> coro<void> {
      std::exception_ptr cancelled;
      try {
        co_await aio::sleep(10);
      } catch (const cancelled_error&) {
        cancelled = std::current_exception();
      }
      if (cancelled) co_await aio::sleep(kEpsilon);
      *done = true;
      if (cancelled) std::rethrow_exception(cancelled);
    };
    auto inner_task = create_task(inner(&task_done));
    co_await aio::sleep(kEpsilon);
    bool timed_out = false;
    try {
      co_await wait_for(inner_task, 0);
    } catch (const timeout_error& e) {
      timed_out = true;
      CHECK(nests_cancelled_error(e));
    }
    CHECK(timed_out);
    CHECK(task_done);
    CHECK(loop.time() == doctest::Approx(2 * kEpsilon));
  };
  run(loop, body(loop));
}

TEST_CASE("test_wait_for_reraises_exception_during_cancellation (test_waitfor): a cleanup exception wins") {
  struct foo_exception : std::runtime_error {
    foo_exception() : std::runtime_error("FooException") {}
  };
  event_loop loop;
  auto body = []() -> coro<void> {
    auto inner = []() -> coro<void> {
      try {
        co_await aio::sleep(0.2);
      } catch (...) {
      }
      throw foo_exception();  // `finally: raise FooException`
    };
    auto inner_task = create_task(inner());
    bool raised = false;
    try {
      co_await wait_for(inner_task, kEpsilon);
    } catch (const foo_exception&) {
      raised = true;
    }
    CHECK(raised);
  };
  run(loop, body());
}

TEST_CASE("test_wait_for_self_cancellation (test_waitfor): wait_for is cancellable while it waits for the cleanup") {
  event_loop loop;
  auto body = [](event_loop& loop) -> coro<void> {
    auto inner = []() -> coro<int> {
      // Three tries of 0.3 s, each started only if the previous one was cancelled.
      for (int attempt = 0; attempt < 3; ++attempt) {
        bool cancelled = false;
        try {
          co_await aio::sleep(0.3);
        } catch (const cancelled_error&) {
          if (attempt == 2) throw;
          cancelled = true;
        }
        if (!cancelled) break;
      }
      co_return 42;
    };
    auto inner_task = create_task(inner());
    auto w = create_task(wait_for(inner_task, 0.1));
    co_await aio::sleep(0.2);
    w.cancel();
    bool cancelled = false;
    try {
      co_await w;
    } catch (const cancelled_error&) {
      cancelled = true;
    }
    CHECK(cancelled);
    CHECK(loop.time() == doctest::Approx(0.2));
    int r = co_await inner_task;
    CHECK(r == 42);
    CHECK(loop.time() == doctest::Approx(0.4));
  };
  run(loop, body(loop));
}

TEST_CASE("test_cancel_blocking_wait_for / test_cancel_wait_for (test_waitfor): cancelling the wait cancels the task") {
  for (std::optional<double> timeout : {std::optional<double>(), std::optional<double>(60.0)}) {
    CAPTURE(timeout.has_value());
    event_loop loop;
    auto body = [](event_loop& loop, std::optional<double> timeout) -> coro<void> {
      auto blocking = [](event_loop& loop) -> coro<void> {
        future<void> fut(loop);
        co_await fut;  // never set
      };
      auto t = create_task(blocking(loop));
      auto w = create_task(wait_for(t, timeout));
      loop.call_soon([w] { w.cancel(); });
      bool cancelled = false;
      try {
        co_await w;
      } catch (const cancelled_error&) {
        cancelled = true;
      }
      CHECK(cancelled);
      CHECK(t.cancelled());  // Python issue #23219
    };
    run(loop, body(loop, timeout));
  }
}

TEST_CASE("wait_for: a caller cancelled after the inner finished returns the result (3.11 behaviour)") {
  // CPython 3.11.7 gives (5, cancelled() False) for this scenario.
  event_loop loop;
  auto body = []() -> coro<void> {
    auto inner = []() -> coro<int> {
      co_await aio::sleep(1);
      co_return 5;
    };
    auto t = create_task(inner());
    auto w = create_task(wait_for(t, 10));
    co_await aio::sleep(0);
    co_await t;  // our wake-up is queued after wait_for's release of its waiter
    w.cancel();
    int r = co_await w;
    CHECK(r == 5);
    CHECK_FALSE(w.cancelled());
  };
  run(loop, body());
}
