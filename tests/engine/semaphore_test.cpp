// Tests for aio/semaphore.hpp (asyncio.Semaphore / BoundedSemaphore, CPython 3.11.7). Expected
// traces were recorded by running the same scenario on CPython 3.11.7.
#include <doctest/doctest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "aio/aio.hpp"
#include "aio/semaphore.hpp"

using namespace aio;

namespace {
using strings = std::vector<std::string>;

coro<bool> acquire_append(semaphore& sem, std::vector<int>& result, int v) {
  co_await sem.acquire();
  result.push_back(v);
  co_return true;
}

coro<void> tagged(semaphore& sem, strings& result, std::string tag) {
  co_await sem.acquire();
  result.push_back(tag + "_1");
  co_await aio::sleep(0.01);
  sem.release();
  co_await sem.acquire();
  result.push_back(tag + "_2");
  co_await aio::sleep(0.01);
  sem.release();
}

coro<void> worker(semaphore& sem, strings& log, std::string tag, double hold) {
  log.push_back(tag + " try locked=" + (sem.locked() ? "True" : "False"));
  try {
    auto g = co_await sem.scoped();
    log.push_back(tag + " in v=" + std::to_string(sem.value()));
    co_await aio::sleep(hold);
    log.push_back(tag + " out");
  } catch (const cancelled_error&) {
    log.push_back(tag + " cancelled v=" + std::to_string(sem.value()));
    throw;
  }
}

struct recorder : observer {
  strings ops;
  void on_primitive(const primitive_op& op) override { ops.push_back(std::string(op.op) + " " + op.task->name() + " v=" + std::to_string(op.after.value)); }
};
}  // namespace

TEST_CASE("test_acquire_fifo_order (test_locks): tasks re-acquiring queue behind the others") {
  event_loop loop;
  strings result;
  auto body = [](semaphore& sem, strings& result) -> coro<void> {
    std::vector<task<void>> ts;
    for (const char* t : {"c1", "c2", "c3"}) ts.push_back(create_task(tagged(sem, result, t)));
    co_await gather(ts);
  };
  semaphore sem(1);
  run(loop, body(sem, result));
  CHECK(result == strings{"c1_1", "c2_1", "c3_1", "c1_2", "c2_2", "c3_2"});
}

TEST_CASE("test_acquire_fifo_order_2 (test_locks): a release-then-acquire queues behind waiting tasks") {
  event_loop loop;
  std::vector<int> result;
  auto c2 = [](semaphore& sem, std::vector<int>& result) -> coro<bool> {
    co_await sem.acquire();
    result.push_back(2);
    sem.release();
    co_await sem.acquire();
    result.push_back(4);
    co_return true;
  };
  auto body = [&](semaphore& sem) -> coro<void> {
    auto t1 = create_task(acquire_append(sem, result, 1));
    auto t2 = create_task(c2(sem, result));
    auto t3 = create_task(acquire_append(sem, result, 3));
    co_await aio::sleep(0);
    sem.release();
    sem.release();
    std::vector<task<bool>> ts{t1, t2, t3};
    co_await gather(ts);
  };
  semaphore sem(1);
  run(loop, body(sem));
  CHECK(result == std::vector<int>{1, 2, 3, 4});
}

TEST_CASE("test_acquire_fifo_order_3 (test_locks): a cancelled waiter is skipped") {
  event_loop loop;
  std::vector<int> result;
  auto body = [&](semaphore& sem) -> coro<void> {
    auto t1 = create_task(acquire_append(sem, result, 1));
    auto t2 = create_task(acquire_append(sem, result, 2));
    auto t3 = create_task(acquire_append(sem, result, 3));
    co_await aio::sleep(0);
    t1.cancel();
    co_await aio::sleep(0);
    sem.release();
    sem.release();
    std::vector<task<bool>> ts{t1, t2, t3};
    co_await gather(return_exceptions, ts);
  };
  semaphore sem(0);
  run(loop, body(sem));
  CHECK(result == std::vector<int>{2, 3});
}

TEST_CASE("semaphore: locked() while waiters queue / pending and woken waiters cancelled (CPython trace)") {
  event_loop loop;
  strings log;
  auto body = [](semaphore& sem, strings& log) -> coro<void> {
    std::vector<task<void>> ts;
    for (const char* t : {"a", "b", "c", "d", "e", "f"}) ts.push_back(create_task(worker(sem, log, t, 1), t));
    co_await aio::sleep(0);
    log.push_back("main v=" + std::to_string(sem.value()) + " locked=" + (sem.locked() ? "True" : "False"));
    CHECK(sem.stats().waiters == strings{"c", "d", "e", "f"});
    ts[3].cancel();  // d: pending
    co_await aio::sleep(1);
    log.push_back("main t=1 v=" + std::to_string(sem.value()));
    ts[4].cancel();  // e: woken with a permit it has not used; gives it back, f gets it
    co_await gather(return_exceptions, ts);
    log.push_back("end v=" + std::to_string(sem.value()));
  };
  semaphore sem(2);
  run(loop, body(sem, log));
  CHECK(log == strings{"a try locked=False", "a in v=1", "b try locked=False", "b in v=0", "c try locked=True",
                       "d try locked=True", "e try locked=True", "f try locked=True", "main v=0 locked=True",
                       "d cancelled v=0", "a out", "b out", "main t=1 v=0", "c in v=0", "e cancelled v=0", "f in v=0",
                       "c out", "f out", "end v=2"});
}

TEST_CASE("semaphore: locked() with a permit free while a woken waiter has not run / not locked by cancelled waiters (CPython trace)") {
  event_loop loop;
  strings log;
  auto w = [](semaphore& sem, strings& log, std::string tag) -> coro<void> {
    co_await sem.acquire();
    log.push_back(tag + " got v=" + std::to_string(sem.value()));
  };
  auto state = [](semaphore& sem) {
    return "v=" + std::to_string(sem.value()) + " locked=" + (sem.locked() ? "True" : "False");
  };
  auto body = [&](semaphore& sem) -> coro<void> {
    auto t = create_task(w(sem, log, "t"), "t");
    co_await aio::sleep(0);
    sem.release();  // hands the permit to t
    sem.release();  // a free permit, but t is still queued: a newcomer must wait behind it
    log.push_back(state(sem));
    auto n = create_task(w(sem, log, "n"), "n");
    co_await aio::sleep(0);
    log.push_back(state(sem));
    co_await t;
    co_await n;
  };
  semaphore sem(0);
  run(loop, body(sem));
  CHECK(log == strings{"v=1 locked=True", "t got v=1", "n got v=0", "v=0 locked=True"});

  strings log2;
  auto body2 = [&](semaphore& sem) -> coro<void> {
    co_await sem.acquire();
    auto c = create_task(w(sem, log2, "c"), "c");
    co_await aio::sleep(0);
    c.cancel();
    sem.release();  // c's future is cancelled: the permit stays free
    log2.push_back(state(sem));
    CHECK(sem.stats().waiters.empty());  // c's entry is still queued, but stats() omits cancelled waiters
    co_await sem.acquire();  // fast path: the only queued waiter is cancelled
    log2.push_back("fast v=" + std::to_string(sem.value()));
    co_await aio::sleep(0);
    log2.push_back(std::string("c cancelled=") + (c.cancelled() ? "True" : "False"));
  };
  semaphore sem1(1);
  event_loop loop2;
  run(loop2, body2(sem1));
  CHECK(log2 == strings{"v=1 locked=False", "fast v=0", "c cancelled=True"});
}

TEST_CASE("semaphore: negative initial value and bounded over-release raise std::invalid_argument") {
  CHECK_THROWS_AS(semaphore(-1), std::invalid_argument);
  CHECK_THROWS_AS(bounded_semaphore(-1), std::invalid_argument);
  event_loop loop;
  auto body = [](bounded_semaphore& b) -> coro<void> {
    CHECK_THROWS_WITH_AS(b.release(), "BoundedSemaphore released too many times", std::invalid_argument);
    co_await b.acquire();
    co_await b.acquire();
    CHECK(b.locked());
    b.release();
    b.release();
    CHECK_THROWS_AS(b.release(), std::invalid_argument);
    CHECK(b.value() == 2);
  };
  bounded_semaphore b(2);
  run(loop, body(b));
  semaphore plain(1);
  plain.release();  // unbounded: fine
  CHECK(plain.value() == 2);
}

TEST_CASE("semaphore: stats, waiting_on() label and observer operations") {
  event_loop loop;
  recorder rec;
  loop.set_observer(&rec);
  auto body = [](bounded_semaphore& sem, recorder& rec) -> coro<void> {
    auto g = co_await sem.scoped();
    auto w = create_task([](bounded_semaphore& s) -> coro<void> {
      auto g = co_await s.scoped();
    }(sem), "w");
    co_await aio::sleep(0);
    auto s = sem.stats();
    CHECK(s.kind == "bounded_semaphore");
    CHECK(s.name == "pool");
    CHECK(s.holders == strings{"main"});
    CHECK(s.waiters == strings{"w"});
    CHECK(s.value == 0);
    CHECK(s.capacity == 1);
    REQUIRE(w.base()->waiting_on() != nullptr);
    CHECK(w.base()->waiting_on()->describe() == "semaphore pool");
    g.release();
    co_await w;
    CHECK(sem.stats().holders.empty());
    CHECK(sem.value() == 1);
    CHECK(rec.ops == strings{"acquired main v=0", "wait w v=0", "release main v=0", "acquired w v=0", "release w v=1"});
  };
  bounded_semaphore sem(1, "pool");
  run(loop, body(sem, rec));
  loop.set_observer(nullptr);
}
