// Tests for aio/as_completed.hpp (asyncio.as_completed, 3.11.7), ported from test_tasks plus
// rules of our own (expected values checked against CPython 3.11.7 on a virtual-time loop).
#include <doctest/doctest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "aio/aio.hpp"
#include "aio/as_completed.hpp"
#include "aio/wait.hpp"

using namespace aio;

namespace {
coro<std::string> sleep_value(double s, std::string v) {
  co_await aio::sleep(s);
  co_return v;
}
void advance(event_loop& loop, double dt) { static_cast<virtual_clock&>(loop.clock()).advance(dt); }
}  // namespace

TEST_CASE("test_as_completed (test_tasks): results in completion order, coroutines become tasks") {
  event_loop loop;
  std::vector<std::string> completed;
  bool time_shifted = false;
  auto sleeper = [&](double dt, std::string x) -> coro<std::string> {
    co_await aio::sleep(dt);
    completed.push_back(x);
    if (!time_shifted && completed.size() == 2) {
      time_shifted = true;
      advance(loop, 0.14);
    }
    co_return x;
  };
  auto foo = [&]() -> coro<std::vector<std::string>> {
    std::vector<coro<std::string>> cs;
    cs.push_back(sleeper(0.01, "b"));
    cs.push_back(sleeper(0.15, "c"));
    cs.push_back(sleeper(0.01, "a"));
    std::vector<std::string> values;
    for (auto f : as_completed(std::move(cs))) values.push_back(co_await std::move(f));
    co_return values;
  };
  auto t = create_task(loop, foo());
  loop.run_until_done(*t.base());
  auto res = t.result();
  CHECK(loop.time() == doctest::Approx(0.15));
  REQUIRE(res.size() == 3);
  CHECK(((res[0] == "a" && res[1] == "b") || (res[0] == "b" && res[1] == "a")));
  CHECK(res[2] == "c");
}

TEST_CASE("test_as_completed_with_timeout (test_tasks): ('a', TimeoutError) at virtual t=0.12") {
  event_loop loop;
  auto a = create_task(loop, sleep_value(0.1, "a"));
  auto b = create_task(loop, sleep_value(0.15, "b"));
  auto foo = [](event_loop& loop, task<std::string> a, task<std::string> b) -> coro<std::vector<std::string>> {
    std::vector<std::string> values;
    std::vector<task<std::string>> fs{a, b};
    auto ac = as_completed(fs, 0.12);
    for (std::size_t i = 0; i < ac.size(); ++i) {
      auto f = ac.next();
      if (!values.empty()) advance(loop, 0.02);
      try {
        values.push_back("1:" + co_await std::move(f));
      } catch (const timeout_error&) {
        values.push_back("2:TimeoutError");
      }
    }
    co_return values;
  };
  auto t = create_task(loop, foo(loop, a, b));
  loop.run_until_done(*t.base());
  CHECK(t.result() == std::vector<std::string>{"1:a", "2:TimeoutError"});
  CHECK(loop.time() == doctest::Approx(0.12));
  CHECK_FALSE(b.done());  // the timeout did not cancel b
  auto w = create_task(loop, wait(std::vector<task<std::string>>{a, b}));
  loop.run_until_done(*w.base());
  CHECK(b.result() == "b");
}

TEST_CASE("test_as_completed_with_unused_timeout (test_tasks): the timer is disarmed when all are done") {
  event_loop loop;
  auto foo = [](event_loop& loop) -> coro<void> {
    std::vector<coro<std::string>> cs;
    cs.push_back(sleep_value(0.01, "a"));
    for (auto f : as_completed(std::move(cs), 1.0)) {
      auto v = co_await std::move(f);
      CHECK(v == "a");
    }
    CHECK(loop.timer_count() == 0);  // the 1 s timeout was cancelled by the last completion
  };
  run(loop, foo(loop));
  CHECK(loop.time() == doctest::Approx(0.01));
}

TEST_CASE("test_as_completed_reverse_wait (test_tasks): the awaitables are interchangeable") {
  event_loop loop;
  auto test = [](event_loop& loop) -> coro<void> {
    std::vector<coro<std::string>> cs;
    cs.push_back(sleep_value(0.05, "a"));
    cs.push_back(sleep_value(0.10, "b"));
    auto ac = as_completed(std::move(cs));
    CHECK(ac.size() == 2);
    std::vector<coro<std::string>> futs;
    futs.push_back(ac.next());
    futs.push_back(ac.next());
    auto x = co_await std::move(futs[1]);
    CHECK(x == "a");
    CHECK(loop.time() == doctest::Approx(0.05));
    advance(loop, 0.05);
    auto y = co_await std::move(futs[0]);
    CHECK(y == "b");
    CHECK(loop.time() == doctest::Approx(0.10));
  };
  run(loop, test(loop));
}

TEST_CASE("test_as_completed_concurrent (test_tasks): awaitables wrapped in tasks and waited together") {
  event_loop loop;
  auto test = []() -> coro<void> {
    std::vector<coro<std::string>> cs;
    cs.push_back(sleep_value(0.05, "a"));
    cs.push_back(sleep_value(0.05, "b"));
    auto ac = as_completed(std::move(cs));
    std::vector<task<std::string>> ts;
    for (std::size_t i = 0; i < 2; ++i) ts.push_back(create_task(ac.next()));
    auto [done, pending] = co_await wait(ts);
    CHECK(pending.empty());
    REQUIRE(done.size() == 2);
    CHECK(done[0].result() + done[1].result() == "ab");
  };
  run(loop, test());
  CHECK(loop.time() == doctest::Approx(0.05));
}

TEST_CASE("test_as_completed_duplicate_coroutines (test_tasks): a duplicate counts once") {
  event_loop loop;
  auto runner = []() -> coro<std::vector<std::string>> {
    auto c = create_task(sleep_value(0, "ham"));
    std::vector<task<std::string>> fs{c, c, create_task(sleep_value(0, "spam"))};
    std::vector<std::string> result;
    for (auto f : as_completed(fs)) result.push_back(co_await std::move(f));
    co_return result;
  };
  auto r = run(loop, runner());
  CHECK(r == std::vector<std::string>{"ham", "spam"});
}

TEST_CASE("as_completed: after the timeout every remaining await raises, nothing is cancelled") {
  event_loop loop;
  auto body = [](event_loop& loop) -> coro<void> {
    auto a = create_task(sleep_value(0.1, "a"));
    auto b = create_task(sleep_value(0.3, "b"));
    auto c = create_task(sleep_value(0.4, "c"));
    std::vector<task<std::string>> fs{a, b, c};
    std::vector<std::string> out;
    for (auto f : as_completed(fs, 0.2)) {
      try {
        out.push_back(co_await std::move(f));
      } catch (const timeout_error&) {
        out.push_back("timeout");
      }
      out.back() += "@" + std::to_string(static_cast<int>(loop.time() * 1000 + 0.5));
    }
    CHECK(out == std::vector<std::string>{"a@100", "timeout@200", "timeout@200"});
    CHECK_FALSE(b.cancelled());
    CHECK_FALSE(c.cancelled());
    auto v = co_await b;
    CHECK(v == "b");
    CHECK(loop.time() == doctest::Approx(0.3));
    c.cancel();
  };
  run(loop, body(loop));
}

TEST_CASE("as_completed is lazy like CPython's generator: the timeout starts at the first next()") {
  // CPython 3.11.7: ['a'] at t=0.12 (the timeout was armed at 0.05, so it would fire at 0.15).
  event_loop loop;
  auto body = [](event_loop& loop) -> coro<void> {
    auto a = create_task(sleep_value(0.12, "a"));
    std::vector<task<std::string>> fs{a};
    auto ac = as_completed(fs, 0.1);
    co_await aio::sleep(0.05);
    auto v = co_await ac.next();
    CHECK(v == "a");
    CHECK(loop.time() == doctest::Approx(0.12));
  };
  run(loop, body(loop));
}

TEST_CASE("as_completed wraps coroutines in tasks only at the first next()") {
  event_loop loop;
  auto body = [](event_loop& loop) -> coro<void> {
    std::vector<coro<std::string>> cs;
    cs.push_back(sleep_value(0.01, "a"));
    cs.push_back(sleep_value(0.02, "b"));
    auto ac = as_completed(std::move(cs));
    co_await aio::sleep(0.05);
    CHECK(loop.all_tasks().size() == 1);  // only this task: the coroutines have not started
    auto first = ac.next();
    CHECK(loop.all_tasks().size() == 3);
    auto v = co_await std::move(first);
    CHECK(v == "a");
    CHECK(loop.time() == doctest::Approx(0.06));
    auto w = co_await ac.next();
    CHECK(w == "b");
  };
  run(loop, body(loop));
}

TEST_CASE("as_completed: a getter woken and then cancelled passes the result on (Queue.get rule)") {
  // CPython 3.11.7 gives t1 cancelled, t2 'a' at t=0.1 for this scenario.
  event_loop loop;
  auto body = [](event_loop& loop) -> coro<void> {
    auto a = create_task(sleep_value(0.1, "a"));
    auto b = create_task(sleep_value(0.2, "b"));
    std::vector<task<std::string>> fs{a, b};
    auto ac = as_completed(fs);
    auto t1 = create_task(ac.next());
    auto t2 = create_task(ac.next());
    co_await a;  // our wake-up is queued right after as_completed's callback, which wakes t1
    t1.cancel();  // t1 is woken but has not run yet
    std::vector<task<std::string>> both{t1, t2};
    auto r = co_await gather(return_exceptions, both);
    CHECK_THROWS_AS(r[0].get(), cancelled_error);
    CHECK(r[1].get() == "a");
    CHECK(loop.time() == doctest::Approx(0.1));  // t2 did not have to wait for b
    b.cancel();
  };
  run(loop, body(loop));
}

TEST_CASE("as_completed: next() past size() throws out_of_range, an empty input yields nothing") {
  event_loop loop;
  auto body = []() -> coro<void> {
    auto t = create_task(sleep_value(0, "x"));
    std::vector<task<std::string>> fs{t};
    auto ac = as_completed(fs);
    auto v = co_await ac.next();
    CHECK(v == "x");
    CHECK_THROWS_AS((void)ac.next(), std::out_of_range);
    auto none = as_completed(std::vector<future<int>>{});
    CHECK(none.size() == 0);
    CHECK(none.begin().i == none.end().i);
  };
  run(loop, body());
}
