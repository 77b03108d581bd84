// Tests for aio/handle.hpp's timers in the loop's heap: (when, seq) entries by value, cancelled
// entries dropped lazily (asyncio's way) without ever running or being counted.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "aio/aio.hpp"

using namespace aio;

TEST_CASE("a cancelled timer leaves timer_count and scheduled() at once, and never runs") {
  event_loop loop;
  int ran = 0;
  auto a = loop.call_later(1, [&] { ++ran; });
  auto b = loop.call_later(2, [&] { ran += 10; });
  CHECK(loop.timer_count() == 2);
  CHECK(a->scheduled());
  a->cancel();
  CHECK_FALSE(a->scheduled());
  CHECK(loop.timer_count() == 1);
  CHECK(loop.next_deadline() == doctest::Approx(2.0));  // the cancelled top is not the deadline
  loop.run_forever();
  CHECK(ran == 10);
  CHECK(loop.time() == 2.0);
  CHECK_FALSE(b->scheduled());
  CHECK(loop.timer_count() == 0);
}

TEST_CASE("cancelling most of many timers leaves exactly the rest, fired in deadline order") {
  event_loop loop;
  std::vector<int> fired;
  std::vector<timer_ref> ts;
  // 1000 timers over 10 distinct deadlines (ties among equal deadlines in scheduling order).
  auto deadline = [](int i) { return 1 + (i * 3) % 10; };
  for (int i = 0; i < 1000; ++i) ts.push_back(loop.call_later(deadline(i), [&fired, i] { fired.push_back(i); }));
  for (int i = 0; i < 1000; ++i)
    if (i % 5 != 0) ts[i]->cancel();  // 800 cancelled: more than half of a heap over 100
  CHECK(loop.timer_count() == 200);
  loop.run_forever();
  REQUIRE(fired.size() == 200);
  for (std::size_t k = 1; k < fired.size(); ++k) {
    CHECK(deadline(fired[k - 1]) <= deadline(fired[k]));
    if (deadline(fired[k - 1]) == deadline(fired[k])) CHECK(fired[k - 1] < fired[k]);
  }
  for (int i : fired) CHECK(i % 5 == 0);
  CHECK(loop.time() == 6.0);  // the last live deadline: cancelled ones never move the clock
  CHECK(loop.timer_count() == 0);
}

TEST_CASE("a timer cancelled from a callback of the same pass does not run") {
  event_loop loop;
  std::vector<std::string> log;
  timer_ref second;
  auto first = loop.call_later(1, [&] {
    log.push_back("first");
    second->cancel();
  });
  second = loop.call_later(1, [&] { log.push_back("second"); });
  loop.call_later(3, [&] { log.push_back("third"); });
  loop.run_forever();
  CHECK(log == std::vector<std::string>{"first", "third"});
}

TEST_CASE("sleeps cancelled by their tasks leave no timers behind") {
  event_loop loop;
  auto sleeper = [](double d) -> coro<void> { co_await aio::sleep(d); };
  auto main = [](decltype(sleeper)* mk) -> coro<int> {
    std::vector<task<void>> ts;
    for (int i = 0; i < 300; ++i) ts.push_back(create_task((*mk)(100.0 + i)));
    co_await aio::sleep(0);
    for (auto& t : ts) t.cancel();
    int n = 0;
    for (auto& t : ts) {
      try {
        co_await t;
      } catch (const cancelled_error&) {
        ++n;
      }
    }
    co_return n;
  };
  CHECK(run(loop, main(&sleeper)) == 300);
  CHECK(loop.timer_count() == 0);
  CHECK(loop.time() == 0.0);  // no cancelled deadline was waited for
}
