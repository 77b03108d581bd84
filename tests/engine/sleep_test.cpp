// Tests for aio/sleep.hpp.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "aio/aio.hpp"

using namespace aio;

TEST_CASE("test_sleep_zero (test_tasks): sleep(0) lets an earlier call_soon run") {
  event_loop loop;
  bool ran = false;
  auto body = [&]() -> coro<bool> {
    loop.call_soon([&] { ran = true; });
    CHECK_FALSE(ran);
    co_await sleep(0);
    co_return ran;
  };
  CHECK(run(loop, body()));
}

TEST_CASE("sleep(0) is exactly one loop pass and takes no time") {
  event_loop loop;
  int passes = 0;
  auto body = [&]() -> coro<void> {
    co_await sleep(0);
  };
  auto t = create_task(loop, body());
  while (!t.done()) {
    loop.run_once();
    ++passes;
  }
  CHECK(passes == 2);  // first step, then the step after the yield
  CHECK(loop.time() == 0.0);
}

TEST_CASE("sleeps on the virtual clock: durations add up exactly, instantly") {
  event_loop loop;
  auto body = [&]() -> coro<double> {
    co_await sleep(2.0);
    co_await sleep(std::chrono::milliseconds(1000));
    co_await sleep(1.5);
    co_return loop.time();
  };
  CHECK(run(loop, body()) == 4.5);
}

TEST_CASE("cancelling a sleeping task raises at its sleep and removes the timer") {
  event_loop loop;
  std::string caught;
  auto body = [&]() -> coro<void> {
    // A lambda coroutine keeps its captures in the lambda object, which dies with this
    // full-expression: pass state as parameters (they are copied into the frame).
    auto t = create_task([](std::string* out) -> coro<void> {
      try {
        co_await sleep(100);
      } catch (const cancelled_error& e) {
        *out = e.message();
        throw;
      }
    }(&caught));
    co_await sleep(1);
    CHECK(loop.timer_count() == 1);
    t.cancel("stop it");
    try {
      co_await t;
    } catch (const cancelled_error&) {
    }
    CHECK(loop.timer_count() == 0);
  };
  run(loop, body());
  CHECK(caught == "stop it");
  CHECK(loop.time() == 1.0);
}

TEST_CASE("a sleep wakes its task one pass after its timer fires (asyncio ordering)") {
  event_loop loop;
  std::vector<std::string> log;
  auto body = [&]() -> coro<void> {
    loop.call_later(1, [&] {
      log.push_back("timer");
      loop.call_soon([&] { log.push_back("soon-from-timer"); });
    });
    co_await sleep(1);  // scheduled after the timer above: same deadline, later sequence
    log.push_back("woke");
  };
  run(loop, body());
  CHECK(log == std::vector<std::string>{"timer", "soon-from-timer", "woke"});
}
