// Tests for aio/event.hpp (asyncio.Event). Expected traces were recorded by running the same
// scenario on CPython 3.11.7.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "aio/aio.hpp"
#include "aio/event.hpp"

using namespace aio;

namespace {
using strings = std::vector<std::string>;

coro<void> waiter(event& ev, strings& log, std::string tag) {
  try {
    bool r = co_await ev.wait();
    CHECK(r);
    log.push_back(tag + " woke set=" + (ev.is_set() ? "True" : "False"));
  } catch (const cancelled_error&) {
    log.push_back(tag + " cancelled");
    throw;
  }
}

struct recorder : observer {
  strings ops;
  void on_primitive(const primitive_op& op) override {
    ops.push_back(std::string(op.op) + " " + (op.task ? op.task->name() : "-") + " " + std::to_string(op.after.value) + "/" +
                  std::to_string(op.after.waiters.size()));
  }
};
}  // namespace

TEST_CASE("event: set() wakes every current waiter even if clear() follows / a set event does not suspend (CPython trace)") {
  event_loop loop;
  strings log;
  auto body = [](event& ev, strings& log) -> coro<void> {
    std::vector<task<void>> ts;
    for (const char* t : {"a", "b", "c"}) ts.push_back(create_task(waiter(ev, log, t), t));
    co_await aio::sleep(0);
    ts[1].cancel();
    ev.set();
    ev.clear();
    auto late = create_task(waiter(ev, log, "late"), "late");
    log.push_back("main set+clear");
    co_await aio::sleep(0);
    log.push_back("main waiters=" + std::to_string(ev.stats().waiters.size()));
    co_await aio::sleep(0);
    event_loop::running().call_soon([&log] { log.push_back("soon"); });
    ev.set();
    co_await ev.wait();  // already set: returns without a loop pass, before "soon"
    log.push_back("main passed");
    ts.push_back(late);
    co_await gather(return_exceptions, ts);
  };
  event ev;
  run(loop, body(ev, log));
  CHECK(log == strings{"main set+clear", "b cancelled", "a woke set=False", "c woke set=False", "main waiters=1", "main passed",
                       "soon", "late woke set=True"});
}

TEST_CASE("event: waiters wake in FIFO order / a cancelled waiter leaves the queue and the flag alone") {
  event_loop loop;
  strings log;
  auto body = [](event& ev, strings& log) -> coro<void> {
    std::vector<task<void>> ts;
    for (const char* t : {"w1", "w2", "w3"}) ts.push_back(create_task(waiter(ev, log, t), t));
    co_await aio::sleep(0);
    CHECK(ev.stats().waiters == strings{"w1", "w2", "w3"});
    ts[0].cancel();
    co_await aio::sleep(0);
    CHECK(ts[0].cancelled());
    CHECK_FALSE(ev.is_set());
    CHECK(ev.stats().waiters == strings{"w2", "w3"});
    ev.set();
    co_await gather(return_exceptions, ts);
    CHECK(ev.stats().waiters.empty());
  };
  event ev;
  run(loop, body(ev, log));
  CHECK(log == strings{"w1 cancelled", "w2 woke set=True", "w3 woke set=True"});
}

TEST_CASE("event: stats, waiting_on() label and observer operations") {
  event_loop loop;
  recorder rec;
  loop.set_observer(&rec);
  auto body = [](event& ev) -> coro<void> {
    auto t = create_task([](event& e) -> coro<void> { co_await e.wait(); }(ev), "w");
    co_await aio::sleep(0);
    auto s = ev.stats();
    CHECK(s.kind == "event");
    CHECK(s.name == "ready");
    CHECK(s.waiters == strings{"w"});
    CHECK(s.value == 0);
    REQUIRE(t.base()->waiting_on() != nullptr);
    CHECK(t.base()->waiting_on()->describe() == "event ready");
    ev.set();
    co_await t;
    ev.clear();
    ev.set_name("go");
    CHECK(ev.stats().name == "go");
  };
  event ev("ready");
  run(loop, body(ev));
  loop.set_observer(nullptr);
  CHECK(rec.ops == strings{"wait w 0/1", "set main 1/1", "waited w 1/0", "clear main 0/0"});
}

#include "aio/debug.hpp"
#include "aio/gather.hpp"
#include "aio/shield.hpp"
#include "aio/wait_for.hpp"

TEST_CASE("event: a task parked in wait() holds no coroutine frame besides its own") {
  // wait() is an awaitable, not a coroutine: while a task waits, the only live frame it owns is
  // its own body's (a coroutine wait() would add one more, parked inside it).
  event_loop loop;
  event ev;
  std::int64_t base = -1, parked = -1, after = -1;
  auto waiter_body = [](event& ev) -> coro<void> { co_await ev.wait(); };
  auto body = [](event& ev, std::int64_t& base, std::int64_t& parked, std::int64_t& after, coro<void> w) -> coro<void> {
    base = debug::live_coroutine_frames();  // main's frame and w's (not started) are counted
    auto t = create_task(std::move(w), "w");
    co_await sleep(0);  // w runs to its wait() and parks
    CHECK(ev.stats().waiters == strings{"w"});
    parked = debug::live_coroutine_frames();
    ev.set();
    co_await t;
    after = debug::live_coroutine_frames();
  };
  run(loop, body(ev, base, parked, after, waiter_body(ev)));
  CHECK(parked == base);
  CHECK(after == base - 1);  // w's frame is gone
}

TEST_CASE("event: wait() is also a coroutine for create_task, wait_for, gather and shield (lazy until run)") {
  event_loop loop;
  event ev;
  strings log;
  auto body = [](event& ev, strings& log) -> coro<void> {
    auto lazy = ev.wait().as_coro();  // nothing happens until it runs
    CHECK(ev.stats().waiters.empty());
    auto t = create_task(ev.wait(), "w");
    co_await sleep(0);
    CHECK(ev.stats().waiters == strings{"w"});
    try {
      co_await wait_for(ev.wait(), 0.1);
    } catch (const timeout_error&) {
      log.push_back("timeout at " + std::to_string(static_cast<int>(event_loop::running().time() * 1000)));
    }
    CHECK(ev.stats().waiters == strings{"w"});  // the timed-out waiter left
    event_loop::running().call_later(0.1, [&ev] { ev.set(); });
    auto both = co_await gather(ev.wait(), std::move(lazy));
    log.push_back(std::string("gather ") + (std::get<0>(both) && std::get<1>(both) ? "true true" : "?"));
    bool shielded = co_await shield(ev.wait());
    log.push_back(std::string("shield ") + (shielded ? "true" : "false"));
    bool from_task = co_await t;
    log.push_back(std::string("task ") + (from_task ? "true" : "false"));
  };
  run(loop, body(ev, log));
  CHECK(log == strings{"timeout at 100", "gather true true", "shield true", "task true"});
}
