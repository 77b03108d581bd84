// Tests for aio/timeout.hpp (asyncio.timeout / timeout_at, 3.11.7), ported from test_timeouts
// plus rules of our own (expected values checked against CPython 3.11.7 on a virtual-time loop).
// `async with asyncio.timeout(d) as cm: ...` is written `cm = timeout_scope::after(d)` and
// `co_await with_timeout(cm, block())`; time.sleep(x) ("the loop is busy") advances the clock.
#include <doctest/doctest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "aio/aio.hpp"
#include "aio/timeout.hpp"

using namespace aio;

namespace {
coro<void> nap(double s) { co_await aio::sleep(s); }
void busy(event_loop& loop, double dt) { static_cast<virtual_clock&>(loop.clock()).advance(dt); }

/// Awaits `c`; true if it raised E.
template <class E, class T>
coro<bool> raises(coro<T> c) {
  try {
    co_await std::move(c);
  } catch (const E&) {
    co_return true;
  }
  co_return false;
}
}  // namespace

TEST_CASE("test_timeout_basic (test_timeouts)") {
  event_loop loop;
  auto body = [](event_loop& loop) -> coro<void> {
    auto cm = timeout_scope::after(0.01);
    bool t = co_await raises<timeout_error>(with_timeout(cm, nap(10)));
    CHECK(t);
    CHECK(cm.expired());
    CHECK(loop.time() == doctest::Approx(0.01));
  };
  run(loop, body(loop));
}

TEST_CASE("timeout passes the body's value through when it finishes in time") {
  event_loop loop;
  auto body = []() -> coro<void> {
    auto twice = [](int x) -> coro<int> {
      co_await aio::sleep(0.5);
      co_return 2 * x;
    };
    int v = co_await timeout(1.0, twice(21));
    CHECK(v == 42);
    // reschedule() from inside the block: the new deadline (0.1 s) cuts the 0.5 s body short.
    auto block = [&](timeout_scope& cm) -> coro<int> {
      cm.reschedule(current_task()->loop().time() + 0.1);
      co_return co_await twice(1);
    };
    bool t = co_await raises<timeout_error>(timeout_at(std::nullopt, block));
    CHECK(t);
  };
  run(loop, body());
}

TEST_CASE("test_timeout_at_basic (test_timeouts)") {
  event_loop loop;
  auto body = [](event_loop& loop) -> coro<void> {
    double deadline = loop.time() + 0.01;
    auto cm = timeout_scope::at(deadline);
    bool t = co_await raises<timeout_error>(with_timeout(cm, nap(10)));
    CHECK(t);
    CHECK(cm.expired());
    CHECK(cm.when() == deadline);
  };
  run(loop, body(loop));
}

TEST_CASE("test_nested_timeouts (test_timeouts): only the outermost expiring timeout converts") {
  event_loop loop;
  auto body = [](event_loop& loop) -> coro<void> {
    double deadline = loop.time() + 0.01;
    auto cm1 = timeout_scope::at(deadline);
    auto cm2 = timeout_scope::at(deadline);
    bool cancelled = false;
    auto block1 = [&]() -> coro<void> {
      try {
        co_await with_timeout(cm2, nap(10));
      } catch (const cancelled_error&) {
        cancelled = true;
        throw;
      }
    };
    bool t = co_await raises<timeout_error>(with_timeout(cm1, block1()));
    CHECK(t);
    CHECK(cancelled);
    CHECK(cm1.expired());
    CHECK(cm2.expired());
  };
  run(loop, body(loop));
}

TEST_CASE("test_waiter_cancelled (test_timeouts): the body sees cancelled_error, the caller timeout_error") {
  event_loop loop;
  auto body = []() -> coro<void> {
    bool cancelled = false;
    auto block = [&]() -> coro<void> {
      try {
        co_await aio::sleep(10);
      } catch (const cancelled_error&) {
        cancelled = true;
        throw;
      }
    };
    bool t = co_await raises<timeout_error>(timeout(0.01, block()));
    CHECK(t);
    CHECK(cancelled);
  };
  run(loop, body());
}

TEST_CASE("test_timeout_not_called / test_timeout_disabled / test_timeout_at_disabled (test_timeouts)") {
  event_loop loop;
  auto body = [](event_loop& loop) -> coro<void> {
    auto cm = timeout_scope::after(10);
    co_await with_timeout(cm, nap(0.01));
    CHECK_FALSE(cm.expired());
    CHECK(*cm.when() > loop.time());
    CHECK(cm.current_state() == timeout_scope::state::finished);
    CHECK(loop.timer_count() == 0);  // the 10 s deadline was disarmed on exit
    auto none = timeout_scope::after(std::nullopt);
    co_await with_timeout(none, nap(0.01));
    CHECK_FALSE(none.expired());
    CHECK_FALSE(none.when().has_value());
    auto none_at = timeout_scope::at(std::nullopt);
    co_await with_timeout(none_at, nap(0.01));
    CHECK_FALSE(none_at.expired());
    CHECK_FALSE(none_at.when().has_value());
  };
  run(loop, body(loop));
}

TEST_CASE("test_timeout_zero / test_timeout_zero_sleep_zero / test_timeout_in_the_past_sleep_zero (test_timeouts)") {
  event_loop loop;
  auto body = [](event_loop& loop) -> coro<void> {
    for (double delay : {0.0, -11.0}) {
      for (double sleep_for : {10.0, 0.0}) {
        CAPTURE(delay);
        CAPTURE(sleep_for);
        double t0 = loop.time();
        auto cm = timeout_scope::after(delay);
        bool t = co_await raises<timeout_error>(with_timeout(cm, nap(sleep_for)));
        CHECK(t);
        CHECK(cm.expired());
        CHECK(*cm.when() == t0 + delay);
        CHECK(loop.time() == t0);  // a deadline in the past fires on the next pass: no time passes
      }
    }
  };
  run(loop, body(loop));
}

TEST_CASE("a deadline in the past fires via call_soon, in FIFO order with other callbacks (CPython trace)") {
  // CPython 3.11.7: [('soon1', False), ('soon2', True), ('timeout', 0.0)]
  event_loop loop;
  std::vector<std::string> log;
  auto body = [&]() -> coro<void> {
    auto cm = timeout_scope::after(-1);
    loop.call_soon([&, cm] { log.push_back(std::string("soon1 ") + (cm.expired() ? "expired" : "active")); });
    cm.enter();
    loop.call_soon([&, cm] { log.push_back(std::string("soon2 ") + (cm.expired() ? "expired" : "active")); });
    std::exception_ptr err;
    try {
      co_await aio::sleep(0);
      log.push_back("after sleep0");
    } catch (...) {
      err = std::current_exception();
    }
    try {
      cm.exit(err);
    } catch (const timeout_error&) {
      log.push_back("timeout");
    }
  };
  run(loop, body());
  CHECK(log == std::vector<std::string>{"soon1 active", "soon2 expired", "timeout"});
}

TEST_CASE("test_foreign_exception_passed / test_foreign_exception_on_timeout (test_timeouts)") {
  event_loop loop;
  auto body = []() -> coro<void> {
    auto cm = timeout_scope::after(0.01);
    auto raise_key = []() -> coro<void> {
      throw std::out_of_range("KeyError");
      co_return;
    };
    bool k = co_await raises<std::out_of_range>(with_timeout(cm, raise_key()));
    CHECK(k);
    CHECK_FALSE(cm.expired());
    auto crash = []() -> coro<void> {
      try {
        co_await aio::sleep(1);
      } catch (...) {
      }
      throw std::domain_error("ZeroDivisionError");  // `finally: 1/0`
    };
    bool z = co_await raises<std::domain_error>(timeout(0.01, crash()));
    CHECK(z);
  };
  run(loop, body());
}

TEST_CASE("test_foreign_cancel_doesnt_timeout_if_not_expired (test_timeouts): an external cancel stays a cancel") {
  event_loop loop;
  auto body = []() -> coro<void> {
    auto cm = timeout_scope::after(10);
    auto block = []() -> coro<void> {
      current_task()->cancel();
      co_await aio::sleep(10);
    };
    bool c = co_await raises<cancelled_error>(with_timeout(cm, block()));
    CHECK(c);
    CHECK_FALSE(cm.expired());
    current_task()->uncancel();
  };
  run(loop, body());
}

TEST_CASE("test_outer_task_is_not_cancelled (test_timeouts): the converted task finishes normally") {
  event_loop loop;
  auto body = []() -> coro<void> {
    auto outer = []() -> coro<void> {
      bool t = co_await raises<timeout_error>(timeout(0.001, nap(10)));
      CHECK(t);
      CHECK(current_task()->cancelling() == 0);
    };
    auto t = create_task(outer());
    co_await t;
    CHECK_FALSE(t.cancelled());
    CHECK(t.done());
  };
  run(loop, body());
}

TEST_CASE("test_nested_timeouts_concurrent (test_timeouts): the outer expires while the inner is active") {
  // CPython 3.11.7: the inner sees cancelled_error, the outer converts at t=0.01.
  event_loop loop;
  auto body = [](event_loop& loop) -> coro<void> {
    bool inner_cancelled = false;
    auto block = [&]() -> coro<void> {
      auto inner = [&]() -> coro<void> {
        busy(loop, 0.01);  // time.sleep(0.01): the loop is busy
        co_await aio::sleep(1);
      };
      try {
        co_await timeout(0.1, inner());
      } catch (const cancelled_error&) {
        inner_cancelled = true;
        throw;
      }
    };
    bool t = co_await raises<timeout_error>(timeout(0.002, block()));
    CHECK(t);
    CHECK(inner_cancelled);
    CHECK(loop.time() == doctest::Approx(0.01));
  };
  run(loop, body(loop));
}

TEST_CASE("test_nested_timeouts_loop_busy (test_timeouts): both deadlines pass while busy, the outer converts") {
  // CPython 3.11.7 (checked on the real loop too): both timers fire in the same pass, so the
  // inner (2) sees cancelled_error and only the outer (1) converts, at t0 + 0.1 <= t0 + 1.
  event_loop loop;
  auto body = [](event_loop& loop) -> coro<void> {
    double t0 = loop.time();
    std::vector<std::string> seen;
    auto block1 = [&]() -> coro<void> {
      auto block2 = [&]() -> coro<void> {
        busy(loop, 0.1);  // time.sleep(0.1)
        co_await aio::sleep(1);
      };
      try {
        co_await timeout(0.01, block2());  // (2)
      } catch (const timeout_error&) {
        seen.push_back("inner timeout");
      } catch (const cancelled_error&) {
        seen.push_back("inner cancelled");
        throw;
      }
      co_await aio::sleep(10);
    };
    bool t = co_await raises<timeout_error>(timeout(0.1, block1()));  // (1)
    CHECK(t);
    CHECK(seen == std::vector<std::string>{"inner cancelled"});
    double t1 = loop.time();
    CHECK(t1 == doctest::Approx(t0 + 0.1));
  };
  run(loop, body(loop));
}

TEST_CASE("nested timeouts: an inner one that expires alone converts, then the outer one does") {
  event_loop loop;
  auto body = [](event_loop& loop) -> coro<void> {
    std::vector<std::string> seen;
    auto block1 = [&]() -> coro<void> {
      bool inner = co_await raises<timeout_error>(timeout(0.01, nap(1)));
      if (inner) seen.push_back("inner timeout at " + std::to_string(loop.time()));
      CHECK(current_task()->cancelling() == 0);  // (2) uncancelled its own request; (1) is pending
      co_await aio::sleep(10);
    };
    bool t = co_await raises<timeout_error>(timeout(0.1, block1()));
    CHECK(t);
    CHECK(seen == std::vector<std::string>{"inner timeout at " + std::to_string(0.01)});
    CHECK(loop.time() == doctest::Approx(0.1));
    CHECK(current_task()->cancelling() == 0);
  };
  run(loop, body(loop));
}

TEST_CASE("test_reschedule (test_timeouts): when() follows reschedule(), a foreign cancel is not a timeout") {
  event_loop loop;
  auto body = [](event_loop& loop) -> coro<void> {
    future<timeout_scope> fut(loop);
    double deadline1 = loop.time() + 10;
    double deadline2 = deadline1 + 20;
    auto f = [](future<timeout_scope> fut, double deadline1) -> coro<void> {
      auto cm = timeout_scope::at(deadline1);
      cm.enter();
      fut.set_result(cm);
      std::exception_ptr err;
      try {
        co_await aio::sleep(50);
      } catch (...) {
        err = std::current_exception();
      }
      cm.exit(err);
    };
    auto t = create_task(f(fut, deadline1));
    timeout_scope cm = co_await fut;
    CHECK(cm.when() == deadline1);
    cm.reschedule(deadline2);
    CHECK(cm.when() == deadline2);
    cm.reschedule(std::nullopt);
    CHECK_FALSE(cm.when().has_value());
    t.cancel();
    bool c = co_await raises<cancelled_error>(coro<void>([](task<void> t) -> coro<void> { co_await t; }(t)));
    CHECK(c);
    CHECK_FALSE(cm.expired());
  };
  run(loop, body(loop));
}

TEST_CASE("test_nested_timeout_in_finally (test_timeouts): a timeout in cleanup converts against its entry count") {
  // CPython 3.11.7: the inner converts at t=0.02 with cancelling()==1, the outer at 0.02 with 0.
  event_loop loop;
  auto body = [](event_loop& loop) -> coro<void> {
    std::vector<std::string> seen;
    auto block = [&]() -> coro<void> {
      std::exception_ptr err;
      try {
        co_await aio::sleep(1);
      } catch (...) {
        err = std::current_exception();
      }
      // finally: a nested timeout, entered while the task has one cancel request pending
      bool inner = co_await raises<timeout_error>(timeout(0.01, nap(10)));
      CHECK(inner);
      seen.push_back("inner cancelling=" + std::to_string(current_task()->cancelling()));
      if (err) std::rethrow_exception(err);
    };
    bool t = co_await raises<timeout_error>(timeout(0.01, block()));
    CHECK(t);
    CHECK(seen == std::vector<std::string>{"inner cancelling=1"});
    CHECK(loop.time() == doctest::Approx(0.02));
    CHECK(current_task()->cancelling() == 0);
  };
  run(loop, body(loop));
}

TEST_CASE("test_timeout_after_cancellation / test_cancel_in_timeout_after_cancellation (test_timeouts)") {
  event_loop loop;
  auto body = []() -> coro<void> {
    current_task()->cancel();
    bool c = co_await raises<cancelled_error>(nap(1));  // work which is cancelled
    CHECK(c);
    CHECK(current_task()->cancelling() == 1);  // nobody uncancelled it
    // Our own expiry still converts: uncancel() brings the count back to 1, its value on entry.
    bool t = co_await raises<timeout_error>(timeout(0.0, nap(1)));
    CHECK(t);
    // A foreign cancel inside does not convert, even though the deadline is far.
    auto block = []() -> coro<void> {
      current_task()->cancel();
      co_await aio::sleep(2);
    };
    bool c2 = co_await raises<cancelled_error>(timeout(1.0, block()));
    CHECK(c2);
  };
  run(loop, body());
}

TEST_CASE("test_timeout_exception_cause (test_timeouts): the cause is the cancelled_error") {
  event_loop loop;
  auto body = []() -> coro<void> {
    bool caught = false;
    try {
      co_await timeout(0, nap(1));
    } catch (const timeout_error& e) {
      caught = true;
      auto cause = cause_of(e);
      CHECK(is_cancelled_error(cause));
    }
    CHECK(caught);
  };
  run(loop, body());
}

TEST_CASE("test_timeout_already_entered / test_timeout_double_enter (test_timeouts)") {
  event_loop loop;
  auto body = []() -> coro<void> {
    auto cm = timeout_scope::after(0.01);
    // Named first: g++ 12 destroys a lambda *temporary* with non-trivial by-value captures twice
    // when it sits in a co_await full-expression.
    auto block = [cm](timeout_scope&) -> coro<void> {
      timeout_scope inner = cm;
      inner.enter();
      CHECK_THROWS_WITH_AS(inner.enter(), "Timeout has already been entered", std::runtime_error);
      inner.exit(nullptr);
      co_return;
    };
    co_await timeout(std::nullopt, block);
    CHECK_THROWS_WITH_AS(cm.enter(), "Timeout has already been entered", std::runtime_error);
  };
  run(loop, body());
}

TEST_CASE("test_timeout_finished / test_timeout_expired / test_timeout_expiring / test_timeout_not_entered (test_timeouts)") {
  event_loop loop;
  auto body = []() -> coro<void> {
    auto finished = timeout_scope::after(0.01);
    co_await with_timeout(finished, nap(0));
    CHECK_THROWS_WITH_AS(finished.reschedule(0.02), "Cannot change state of finished Timeout", std::runtime_error);

    auto expired = timeout_scope::after(0.01);
    bool t = co_await raises<timeout_error>(with_timeout(expired, nap(1)));
    CHECK(t);
    CHECK(expired.current_state() == timeout_scope::state::expired);
    CHECK_THROWS_WITH_AS(expired.reschedule(0.02), "Cannot change state of expired Timeout", std::runtime_error);

    co_await timeout(0.01, [](timeout_scope& cm) -> coro<void> {
      bool c = co_await raises<cancelled_error>(nap(1));
      CHECK(c);
      CHECK_THROWS_WITH_AS(cm.reschedule(0.02), "Cannot change state of expiring Timeout", std::runtime_error);
    });  // the body swallowed the cancellation: no timeout_error

    auto not_entered = timeout_scope::after(0.01);
    CHECK_THROWS_WITH_AS(not_entered.reschedule(0.02), "Timeout has not been entered", std::runtime_error);
  };
  run(loop, body());
}

TEST_CASE("test_timeout_without_task (test_timeouts): entering outside a task raises") {
  auto cm = timeout_scope::at(0.01);
  CHECK_THROWS_WITH_AS(cm.enter(), "Timeout should be used inside a task", std::runtime_error);
  CHECK_THROWS_WITH_AS(cm.reschedule(0.02), "Timeout has not been entered", std::runtime_error);
}
