// Tests for aio/gather.hpp (asyncio.gather's rules).
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "aio/aio.hpp"

using namespace aio;

namespace {
coro<int> after(double s, int v) {
  co_await sleep(s);
  co_return v;
}
coro<int> fail_after(double s, std::string what) {
  co_await sleep(s);
  throw std::runtime_error(what);
}
}  // namespace

TEST_CASE("gather: results in argument order, total time = the slowest") {
  event_loop loop;
  auto body = [&]() -> coro<void> {
    auto [a, b, c] = co_await gather(after(2, 1), after(1, 2), after(1.5, 3));
    CHECK(a == 1);
    CHECK(b == 2);
    CHECK(c == 3);
    CHECK(loop.time() == 2.0);
  };
  run(loop, body());
}

TEST_CASE("gather over a vector of tasks, the same task twice is one child") {
  event_loop loop;
  auto body = [&]() -> coro<void> {
    auto t = create_task(after(1, 7));
    std::vector<task<int>> ts{t, create_task(after(2, 8)), t};
    auto r = co_await gather(ts);
    CHECK(r == std::vector<int>{7, 8, 7});
  };
  run(loop, body());
}

TEST_CASE("gather: the first exception reaches the caller but siblings keep running") {
  event_loop loop;
  auto body = [&]() -> coro<void> {
    auto slow = create_task(after(3, 1));
    auto failing = create_task(fail_after(1, "boom"));
    // (g++ 12 cannot keep an initializer_list temporary across a co_await: build the vector first)
    std::vector<task<int>> both{failing, slow};
    try {
      co_await gather(both);
      CHECK(false);  // gather must raise
    } catch (const std::runtime_error& e) {
      CHECK(std::string(e.what()) == "boom");
    }
    CHECK(loop.time() == 1.0);
    CHECK_FALSE(slow.done());
    int v = co_await slow;
    CHECK(v == 1);
    CHECK(loop.time() == 3.0);
  };
  run(loop, body());
}

TEST_CASE("test_result_exception_one_cancellation: return_exceptions collects every outcome in order") {
  event_loop loop;
  auto body = [&]() -> coro<void> {
    auto a = create_task(after(1, 1));
    auto b = create_task(fail_after(1, "bad"));
    auto c = create_task(after(5, 3));
    auto g = gather(return_exceptions, std::vector<task<int>>{a, b, c});
    co_await sleep(2);
    c.cancel();
    auto r = co_await g;
    REQUIRE(r.size() == 3);
    CHECK(r[0].get() == 1);
    CHECK_THROWS_AS(r[1].get(), std::runtime_error);
    CHECK_THROWS_AS(r[2].get(), cancelled_error);
  };
  run(loop, body());
}

TEST_CASE("test_one_cancellation: a cancelled child is a cancelled_error exception, the gather itself is not cancelled") {
  event_loop loop;
  auto body = [&]() -> coro<void> {
    auto a = create_task(after(1, 1));
    auto b = create_task(after(2, 2));
    auto g = gather(std::vector<task<int>>{a, b});
    co_await sleep(0.5);
    a.cancel();
    bool raised = false;
    try {
      co_await g;
    } catch (const cancelled_error&) {
      raised = true;
    }
    CHECK(raised);
    CHECK_FALSE(g.cancelled());
    CHECK(g.done());
    int vb = co_await b;
    CHECK(vb == 2);
  };
  run(loop, body());
}

TEST_CASE("test_cancellation_broadcast, test_cancel_gather_1: cancelling the gather cancels its children") {
  event_loop loop;
  auto body = [&]() -> coro<void> {
    auto a = create_task(after(1, 1));
    auto b = create_task(after(2, 2));
    auto g = gather(return_exceptions, std::vector<task<int>>{a, b});
    co_await sleep(0);
    CHECK(g.cancel());
    bool raised = false;
    try {
      co_await g;
    } catch (const cancelled_error&) {
      raised = true;
    }
    CHECK(raised);
    CHECK(a.cancelled());
    CHECK(b.cancelled());
    CHECK_FALSE(g.cancel());  // done: refused
  };
  run(loop, body());
}

TEST_CASE("gather of nothing completes at once with no children") {
  event_loop loop;
  auto body = [&]() -> coro<void> {
    auto r = co_await gather(std::vector<task<int>>{});
    CHECK(r.empty());
  };
  run(loop, body());
}
