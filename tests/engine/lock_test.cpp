// Tests for aio/lock.hpp (asyncio.Lock's rules, CPython 3.11). Expected traces were recorded
// by running the same scenario on CPython 3.11.7.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "aio/aio.hpp"
#include "aio/lock.hpp"

using namespace aio;

namespace {
using strings = std::vector<std::string>;

coro<void> worker(lock& lk, strings& log, std::string tag) {
  log.push_back(tag + " try");
  try {
    auto g = co_await lk.scoped();
    log.push_back(tag + " in");
    co_await aio::sleep(0);
    log.push_back(tag + " out");
  } catch (const cancelled_error&) {
    log.push_back(tag + " cancelled");
    throw;
  }
}

coro<bool> acquire_it(lock& lk) { co_return co_await lk.acquire(); }

struct recorder : observer {
  strings ops;
  std::vector<primitive_stats> after;
  void on_primitive(const primitive_op& op) override {
    ops.push_back(std::string(op.op) + (op.task ? " " + op.task->name() : std::string()));
    after.push_back(op.after);
  }
};
}  // namespace

TEST_CASE("test_finished_waiter_cancelled (test_locks): a woken waiter that is cancelled passes the lock on") {
  event_loop loop;
  auto body = [](lock& lk) -> coro<void> {
    co_await lk.acquire();
    CHECK(lk.locked());
    auto tb = create_task(acquire_it(lk), "tb");
    co_await aio::sleep(0);
    CHECK(lk.stats().waiters == strings{"tb"});
    // A second waiter; wake the first and cancel it. Without the fix tc is never woken.
    auto tc = create_task(acquire_it(lk), "tc");
    tb.cancel();
    lk.release();
    co_await aio::sleep(0);
    CHECK(lk.locked());
    CHECK(tb.cancelled());
    co_await tc;  // cleanup
    CHECK(lk.stats().holders == strings{"tc"});
  };
  lock lk;
  run(loop, body(lk));
}

TEST_CASE("lock: FIFO with a cancelled pending waiter, a cancelled woken waiter and a late arrival (CPython trace)") {
  event_loop loop;
  strings log;
  auto body = [](lock& lk, strings& log) -> coro<void> {
    co_await lk.acquire();
    std::vector<task<void>> ts;
    for (const char* t : {"a", "b", "c", "d"}) ts.push_back(create_task(worker(lk, log, t), t));
    co_await aio::sleep(0);
    ts[1].cancel();  // b: still pending in the queue
    lk.release();    // wakes a
    log.push_back("main released");
    ts[0].cancel();  // a: already woken; must pass the lock to c
    auto late = create_task(worker(lk, log, "e"), "e");
    co_await aio::sleep(0);
    log.push_back("main locked=" + std::to_string(lk.locked()) + " waiters=" + std::to_string(lk.stats().waiters.size()));
    // c was woken but has not run yet: it stays first in line, and e queues behind d.
    CHECK(lk.stats().waiters == strings{"c", "d", "e"});
    ts.push_back(late);
    co_await gather(return_exceptions, ts);
  };
  lock lk;
  run(loop, body(lk, log));
  CHECK(log == strings{"a try", "b try", "c try", "d try", "main released", "b cancelled", "a cancelled", "e try",
                       "main locked=0 waiters=3", "c in", "c out", "d in", "d out", "e in", "e out"});
}

TEST_CASE("lock: no barging: releasing and re-acquiring queues behind the woken waiter (CPython trace)") {
  event_loop loop;
  strings log;
  auto a = [](lock& lk, strings& log) -> coro<void> {
    co_await lk.acquire();
    log.push_back("a got");
    co_await aio::sleep(0);
    lk.release();
    log.push_back("a released");
    CHECK_FALSE(lk.locked());
    co_await lk.acquire();  // the lock is free, but b was woken first: a waits
    log.push_back("a got again");
    lk.release();
  };
  auto b = [](lock& lk, strings& log) -> coro<void> {
    co_await lk.acquire();
    log.push_back("b got");
    lk.release();
  };
  auto body = [&](lock& lk) -> coro<void> {
    auto ta = create_task(a(lk, log), "a");
    auto tb = create_task(b(lk, log), "b");
    co_await ta;
    co_await tb;
  };
  lock lk;
  run(loop, body(lk));
  CHECK(log == strings{"a got", "a released", "b got", "a got again"});
}

TEST_CASE("lock: fast path once every waiter is cancelled") {
  event_loop loop;
  auto body = [](lock& lk) -> coro<void> {
    co_await lk.acquire();
    auto t = create_task(acquire_it(lk), "t");
    co_await aio::sleep(0);
    t.cancel();
    lk.release();  // t's future is cancelled: nobody is woken
    CHECK_FALSE(lk.locked());
    // t has not run its cleanup yet (its entry is still queued), but it is cancelled:
    // a new acquire takes the lock at once.
    co_await lk.acquire();
    CHECK(lk.locked());
    co_await aio::sleep(0);
    CHECK(t.cancelled());
    CHECK(lk.stats().waiters.empty());
    lk.release();
  };
  lock lk;
  run(loop, body(lk));
}

TEST_CASE("lock: release of an unlocked lock raises lock_error") {
  lock lk;
  CHECK_THROWS_AS(lk.release(), lock_error);
  event_loop loop;
  auto body = [](lock& lk) -> coro<void> {
    co_await lk.acquire();
    lk.release();
    CHECK_THROWS_WITH_AS(lk.release(), "Lock is not acquired.", lock_error);
  };
  run(loop, body(lk));
}

TEST_CASE("lock: scoped() releases when the guard goes, also when the body throws or is cancelled") {
  event_loop loop;
  auto body = [](lock& lk) -> coro<void> {
    {
      auto g = co_await lk.scoped();
      CHECK(lk.locked());
      CHECK(g.owns());
    }
    CHECK_FALSE(lk.locked());
    try {
      auto g = co_await lk.scoped();
      throw std::runtime_error("boom");
    } catch (const std::runtime_error&) {
    }
    CHECK_FALSE(lk.locked());
    auto holder = create_task(
        [](lock& lk) -> coro<void> {
          auto g = co_await lk.scoped();
          co_await aio::sleep(100);
        }(lk),
        "holder");
    co_await aio::sleep(0);
    CHECK(lk.locked());
    holder.cancel();
    std::vector<task<void>> just_holder{holder};
    co_await gather(return_exceptions, just_holder);
    CHECK(holder.cancelled());
    CHECK_FALSE(lk.locked());
    // release() early, then the guard does nothing.
    auto g = co_await lk.scoped();
    g.release();
    CHECK_FALSE(g.owns());
    CHECK_FALSE(lk.locked());
  };
  lock lk;
  run(loop, body(lk));
}

TEST_CASE("lock: stats, waiting_on() label and observer operations") {
  event_loop loop;
  recorder rec;
  loop.set_observer(&rec);
  auto body = [](lock& lk, recorder& rec) -> coro<void> {
    co_await lk.acquire();
    auto t1 = create_task(acquire_it(lk), "w1");
    auto t2 = create_task(acquire_it(lk), "w2");
    co_await aio::sleep(0);
    auto s = lk.stats();
    CHECK(s.kind == "lock");
    CHECK(s.name == "db");
    CHECK(s.holders == strings{"main"});
    CHECK(s.waiters == strings{"w1", "w2"});
    CHECK(s.value == 1);
    CHECK(s.capacity == 1);
    REQUIRE(t1.base()->waiting_on() != nullptr);
    CHECK(t1.base()->waiting_on()->describe() == "lock db");
    lk.release();
    co_await t1;
    CHECK(lk.stats().holders == strings{"w1"});
    CHECK(lk.stats().waiters == strings{"w2"});
    lk.release();
    co_await t2;
    lk.release();
    CHECK(rec.ops == strings{"acquired main", "wait w1", "wait w2", "release main", "acquired w1", "release main",
                             "acquired w2", "release main"});
    REQUIRE(rec.after.size() == 8);
    CHECK(rec.after[2].waiters == strings{"w1", "w2"});
    CHECK(rec.after[4].holders == strings{"w1"});
    CHECK(rec.after[7].value == 0);
  };
  lock lk("db");
  run(loop, body(lk, rec));
  loop.set_observer(nullptr);
}

TEST_CASE("lock: no observer attached, and an unobserved lock reports nothing") {
  event_loop loop;
  auto body = [](lock& lk) -> coro<void> {
    co_await lk.acquire();
    auto t = create_task(acquire_it(lk), "t");
    co_await aio::sleep(0);
    lk.release();
    co_await t;
    lk.release();
  };
  lock lk;
  run(loop, body(lk));  // no observer: nothing to call
  CHECK_FALSE(lk.locked());

  event_loop loop2;
  recorder rec;
  loop2.set_observer(&rec);
  lock quiet, loud("loud");
  quiet.set_observed(false);
  run(loop2, body(quiet));
  CHECK(rec.ops.empty());
  run(loop2, body(loud));
  CHECK(rec.ops.size() == 5);
  loop2.set_observer(nullptr);
}
