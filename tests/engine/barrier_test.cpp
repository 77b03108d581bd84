// Tests for aio/barrier.hpp (asyncio.Barrier, 3.11). Expected traces were recorded by running
// the same scenario on CPython 3.11.7.
#include <doctest/doctest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "aio/aio.hpp"
#include "aio/barrier.hpp"

using namespace aio;

namespace {
using strings = std::vector<std::string>;

coro<void> party(barrier& b, strings& log, std::string tag) {
  try {
    std::size_t i = co_await b.wait();
    log.push_back(tag + " passed " + std::to_string(i));
  } catch (const broken_barrier_error& e) {
    log.push_back(tag + " broken: " + e.what());
  } catch (const cancelled_error&) {
    log.push_back(tag + " cancelled n_waiting=" + std::to_string(b.n_waiting()));
    throw;
  }
}

struct recorder : observer {
  strings ops;
  void on_primitive(const primitive_op& op) override {
    ops.push_back(std::string(op.op) + " " + op.task->name() + " " + std::to_string(op.after.value) + "/" +
                  std::to_string(op.after.capacity));
  }
};
}  // namespace

TEST_CASE("barrier: arrival indexes, a second round waits for the drain, cancel, reset, abort (CPython trace)") {
  event_loop loop;
  strings log;
  auto body = [](barrier& b, strings& log) -> coro<void> {
    auto n_waiting = [&] { return "n_waiting=" + std::to_string(b.n_waiting()); };
    std::vector<task<void>> ts;
    for (const char* t : {"a", "b", "c", "d", "e"}) ts.push_back(create_task(party(b, log, t), t));
    co_await aio::sleep(0);
    log.push_back("main " + n_waiting());
    co_await aio::sleep(0);
    log.push_back("main " + n_waiting());
    for (int i = 0; i < 4; ++i) co_await aio::sleep(0);
    log.push_back("main " + n_waiting());
    ts[4].cancel();  // e: waiting in the second round
    co_await aio::sleep(0);
    log.push_back("main after cancel " + n_waiting());
    co_await b.reset();
    log.push_back("main reset");
    co_await gather(return_exceptions, ts);
    log.push_back("main " + n_waiting());
    auto f = create_task(party(b, log, "f"), "f");
    co_await aio::sleep(0);
    co_await b.abort();
    co_await f;
    try {
      co_await b.wait();
    } catch (const broken_barrier_error& e) {
      log.push_back(std::string("main broken: ") + e.what() + " broken=" + (b.broken() ? "True" : "False"));
    }
    co_await b.reset();
    log.push_back(std::string("main reset broken=") + (b.broken() ? "True" : "False"));
    std::vector<task<void>> ts2;
    for (const char* t : {"x", "y"}) ts2.push_back(create_task(party(b, log, t), t));
    co_await aio::sleep(0);
    std::size_t i = co_await b.wait();
    log.push_back("main passed " + std::to_string(i));
    co_await gather(ts2);
  };
  barrier b(3);
  run(loop, body(b, log));
  CHECK(log == strings{"c passed 2", "main n_waiting=0", "a passed 0", "b passed 1", "main n_waiting=0", "main n_waiting=2",
                       "e cancelled n_waiting=1", "main after cancel n_waiting=1", "main reset",
                       "d broken: Abort or reset of barrier", "main n_waiting=0", "f broken: Abort or reset of barrier",
                       "main broken: Barrier aborted broken=True", "main reset broken=False", "main passed 2", "x passed 0",
                       "y passed 1"});
}

TEST_CASE("barrier: parties must be at least 1 / a barrier of one never blocks") {
  CHECK_THROWS_AS(barrier(0), std::invalid_argument);
  event_loop loop;
  auto body = [](barrier& b) -> coro<void> {
    std::size_t i = co_await b.wait();
    CHECK(i == 0);
    i = co_await b.wait();
    CHECK(i == 0);
    CHECK(b.parties() == 1);
  };
  barrier b(1);
  run(loop, body(b));
}

TEST_CASE("barrier: stats, waiting_on() label and observer operations") {
  event_loop loop;
  recorder rec;
  loop.set_observer(&rec);
  strings log;
  auto body = [](barrier& b, strings& log) -> coro<void> {
    auto t = create_task(party(b, log, "w"), "w");
    co_await aio::sleep(0);
    auto s = b.stats();
    CHECK(s.kind == "barrier");
    CHECK(s.name == "b");
    CHECK(s.waiters == strings{"w"});
    CHECK(s.value == 1);
    CHECK(s.capacity == 2);
    CHECK_FALSE(s.closed);
    REQUIRE(t.base()->waiting_on() != nullptr);
    CHECK(t.base()->waiting_on()->describe() == "barrier b");
    co_await b.wait();
    co_await t;
    co_await b.abort();
    CHECK(b.stats().closed);
  };
  barrier b(2, "b");
  run(loop, body(b, log));
  loop.set_observer(nullptr);
  // Only the barrier's own operations: its condition and lock are internal.
  CHECK(rec.ops == strings{"wait w 1/2", "wait main 2/2", "passed main 0/2", "passed w 0/2", "abort main 0/2"});
}
