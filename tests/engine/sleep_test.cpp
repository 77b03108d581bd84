// Tests for aio/sleep.hpp.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "aio/aio.hpp"
#include "aio/debug.hpp"

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

namespace {
struct timer_recorder : observer {
  std::vector<std::string> log;
  void on_timer_scheduled(const timer_event& e) override {
    log.push_back("scheduled " + std::to_string(e.when) + (e.sleeper ? " sleep " + e.sleeper->name() : " handle"));
  }
  void on_timer_fired(const timer_event& e) override {
    log.push_back("fired " + std::to_string(e.when) + (e.sleeper ? " sleep " + e.sleeper->name() : " handle"));
  }
  void on_task_suspended(task_base& t, const future_base* on) override {
    log.push_back("suspended " + t.name() + " on " + (on ? on->describe() : t.waiting_for()));
  }
};
}  // namespace

TEST_CASE("a sleep's timer: waiting_for() names it, the observer hears it scheduled and fired") {
  event_loop loop;
  timer_recorder rec;
  loop.set_observer(&rec);
  auto body = [&]() -> coro<void> {
    auto t = create_task(
        []() -> coro<void> {
          co_await sleep(1.5);
        }(),
        "napper");
    co_await sleep(0);
    CHECK(t.base()->sleeping());
    CHECK(t.base()->waiting_on() == nullptr);
    CHECK(t.base()->waiting_for() == "sleep 1500ms");
    CHECK(loop.timer_count() == 1);
    co_await t;
    CHECK_FALSE(t.base()->sleeping());
    CHECK(t.base()->waiting_for().empty());
  };
  run(loop, body());
  loop.set_observer(nullptr);
  std::string log;
  for (auto& l : rec.log) log += l + "|";
  CHECK(log ==
        "suspended main on |"  // sleep(0): a bare yield
        "scheduled 1.500000 sleep napper|suspended napper on sleep 1500ms|"
        "suspended main on task napper|fired 1.500000 sleep napper|");
}

TEST_CASE("cancel() between a sleep's timer firing and the task waking still raises at the sleep") {
  // asyncio: the timer's callback completes the sleep future; a cancel() after that finds the
  // future done, sets _must_cancel, and the wake-up step throws CancelledError into the sleep.
  for (bool cancel_first : {false, true}) {
    CAPTURE(cancel_first);
    event_loop loop;
    std::string caught;
    auto body = [&]() -> coro<void> {
      task<void> t;
      if (cancel_first) loop.call_at(2, [&] { t.cancel("early"); });  // same deadline, runs before the sleep's timer
      t = create_task([](std::string* out) -> coro<void> {
        try {
          co_await sleep(2);
        } catch (const cancelled_error& e) {
          *out = e.message();
          throw;
        }
      }(&caught));
      if (!cancel_first) loop.call_at(2, [&] { t.cancel("late"); });  // runs after it
      try {
        co_await t;
      } catch (const cancelled_error&) {
      }
      CHECK(t.cancelled());
      CHECK(loop.time() == 2.0);
    };
    run(loop, body());
    CHECK(caught == (cancel_first ? "early" : "late"));
    CHECK(loop.timer_count() == 0);
  }
}

TEST_CASE("a task whose sleep was cancelled can catch it and sleep again: the dead entry never wakes it") {
  event_loop loop;
  auto body = [&]() -> coro<double> {
    auto t = create_task([](event_loop* l) -> coro<double> {
      try {
        co_await sleep(10);
      } catch (const cancelled_error&) {
        current_task()->uncancel();
      }
      co_await sleep(2);  // its cancelled 10 s entry is still in the heap, counted as cancelled
      co_return l->time();
    }(&loop));
    co_await sleep(1);
    t.cancel();
    co_await sleep(0);
    co_await sleep(0);
    CHECK(loop.timer_count() == 1);  // only the live 2 s sleep
    co_return co_await t;
  };
  CHECK(run(loop, body()) == 3.0);
  CHECK(loop.timer_count() == 0);
}

TEST_CASE("a task that cancelled itself raises at its next sleep at once, without waiting for the timer") {
  event_loop loop;
  auto body = [&]() -> coro<double> {
    current_task()->cancel("self");
    try {
      co_await sleep(5);
    } catch (const cancelled_error& e) {
      CHECK(e.message() == "self");
      current_task()->uncancel();
    }
    co_return loop.time();
  };
  CHECK(run(loop, body()) == 0.0);
  CHECK(loop.timer_count() == 0);
}

TEST_CASE("a task destroyed while it sleeps (loop teardown) takes its timer entry with it") {
  int cleanups = 0;
  std::vector<std::string> reports;
  {
    event_loop loop;
    loop.set_log_sink([&](const std::string& s) { reports.push_back(s); });
    for (int i = 0; i < 3; ++i)
      create_task(loop, [](int* c) -> coro<void> {
        struct guard {
          int* c;
          ~guard() { ++*c; }
        } g{c};
        co_await sleep(100);
      }(&cleanups));
    loop.run_once();  // each task runs up to its sleep; nobody holds a handle to them
    CHECK(loop.timer_count() == 3);
    CHECK(loop.all_tasks().size() == 3);
  }
  CHECK(cleanups == 3);
  REQUIRE(reports.size() == 3);
  CHECK(reports[0].find("Task was destroyed but it is pending!") != std::string::npos);
  CHECK(debug::live_coroutine_frames() == 0);
}

#ifndef AIO_POOL_DISABLED
TEST_CASE("sleep(d > 0) allocates nothing: a sleeping task holds only its task object and its frame") {
  auto child = []() -> coro<int> {
    co_await sleep(5);
    co_return 1;
  };
  std::ptrdiff_t taken = -1;
  auto run_batch = [&] {
    event_loop loop;
    auto main = [](decltype(child)* mk, std::ptrdiff_t* out) -> coro<int> {
      std::vector<task<int>> ts;
      ts.reserve(100);
      std::ptrdiff_t before = static_cast<std::ptrdiff_t>(detail::pool_cached_blocks());
      for (int i = 0; i < 100; ++i) ts.push_back(create_task((*mk)()));
      co_await sleep(0);  // every child is now asleep
      *out = before - static_cast<std::ptrdiff_t>(detail::pool_cached_blocks());
      int sum = 0;
      for (auto& t : ts) sum += co_await t;
      co_return sum;
    };
    return run(loop, main(&child, &taken));
  };
  CHECK(run_batch() == 100);  // warm-up: the pool's lists now hold every block a batch needs
  CHECK(run_batch() == 100);
  CHECK(taken == 200);  // two blocks per sleeping task, none for its sleep
  detail::pool_trim();
}
#endif
