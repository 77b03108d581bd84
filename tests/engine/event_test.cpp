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
