// Tests for aio/detail/wait_queue.hpp: the parking lot under every primitive (FIFO, wake-up
// shapes, removal on cancellation and on frame destruction, labels, guards).
#include <doctest/doctest.h>

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "aio/aio.hpp"
#include "aio/detail/wait_queue.hpp"

using namespace aio;
using detail::wait_queue;

namespace {
using strings = std::vector<std::string>;

// Park once; log when woken or cancelled.
coro<void> park_once(wait_queue& q, strings& log, std::string tag) {
  auto t = q.park();
  try {
    co_await t;
    log.push_back(tag + " woken");
  } catch (const cancelled_error&) {
    log.push_back(tag + " cancelled");
    t.leave();
    throw;
  }
  t.leave();
}

std::vector<task<void>> park_all(wait_queue& q, strings& log, std::vector<std::string> tags) {
  std::vector<task<void>> ts;
  for (auto& t : tags) ts.push_back(create_task(park_once(q, log, t), t));
  return ts;
}

struct releasable {
  int releases = 0;
  bool fail = false;
  void release() {
    ++releases;
    if (fail) throw std::runtime_error("cannot release");
  }
};
}  // namespace

TEST_CASE("wait_queue: wake(n) completes the first n pending futures in FIFO order / entries stay until they leave") {
  event_loop loop;
  strings log;
  auto body = [](wait_queue& q, strings& log) -> coro<void> {
    auto ts = park_all(q, log, {"a", "b", "c", "d"});
    co_await aio::sleep(0);
    CHECK(q.size() == 4);
    CHECK(q.task_names() == strings{"a", "b", "c", "d"});
    CHECK(q.wake(2) == 2);
    CHECK(q.size() == 4);          // woken entries stay queued until their task runs
    CHECK(q.wake(1) == 1);         // skips the two done ones: wakes c
    CHECK(q.wake_first() == false);  // the first entry is already done
    co_await aio::sleep(0);
    CHECK(log == strings{"a woken", "b woken", "c woken"});
    CHECK(q.task_names() == strings{"d"});
    CHECK(q.wake_first());
    co_await gather(ts);
    CHECK(q.empty());
  };
  wait_queue q("test");
  run(loop, body(q, log));
}

TEST_CASE("wait_queue: pop_wake_one skips and drops cancelled entries / pop_wake_all empties the queue") {
  event_loop loop;
  strings log;
  auto body = [](wait_queue& q, strings& log) -> coro<void> {
    auto ts = park_all(q, log, {"a", "b", "c", "d"});
    co_await aio::sleep(0);
    ts[0].cancel();
    ts[1].cancel();
    CHECK_FALSE(q.all_cancelled());
    CHECK(q.task_names() == strings{"c", "d"});  // cancelled entries are not listed
    CHECK(q.pop_wake_one());  // drops a and b (cancelled), wakes c
    CHECK(q.size() == 1);
    q.pop_wake_all();
    CHECK(q.empty());
    CHECK_FALSE(q.pop_wake_one());
    co_await gather(return_exceptions, ts);
    CHECK(log == strings{"a cancelled", "b cancelled", "c woken", "d woken"});
    CHECK(q.all_cancelled());  // vacuously: no entry
  };
  wait_queue q;
  run(loop, body(q, log));
}

TEST_CASE("wait_queue: all_cancelled, and the label shown by a parked task") {
  event_loop loop;
  strings log;
  auto body = [](wait_queue& q, strings& log) -> coro<void> {
    auto ts = park_all(q, log, {"a"});
    co_await aio::sleep(0);
    REQUIRE(ts[0].base()->waiting_on() != nullptr);
    CHECK(ts[0].base()->waiting_on()->describe() == "lock db");
    CHECK_FALSE(q.all_cancelled());
    ts[0].cancel();
    CHECK(q.all_cancelled());
    CHECK(q.size() == 1);  // it leaves when it runs
    co_await gather(return_exceptions, ts);
    CHECK(q.empty());
  };
  wait_queue q("lock db");
  CHECK(q.label() == "lock db");
  run(loop, body(q, log));
}

TEST_CASE("wait_queue: a task destroyed while parked (loop teardown) removes its entry") {
  wait_queue q;
  strings log;
  {
    event_loop loop;
    auto t = create_task(loop, park_once(q, log, "stuck"), "stuck");
    loop.set_exception_handler([](event_loop&, const error_context&) {});  // "destroyed but pending" is expected
    while (loop.ready_count() > 0) loop.run_once();
    CHECK(q.size() == 1);
  }
  CHECK(q.empty());
  CHECK(log.empty());
}

TEST_CASE("wait_queue: destroying the queue first detaches the parked tickets") {
  strings log;
  event_loop loop;
  loop.set_exception_handler([](event_loop&, const error_context&) {});
  auto q = std::make_unique<wait_queue>();
  auto t = create_task(loop, park_once(*q, log, "orphan"), "orphan");
  while (loop.ready_count() > 0) loop.run_once();
  CHECK(q->size() == 1);
  q.reset();  // the task's ticket must not touch it when the task's frame goes
}

TEST_CASE("release_guard: releases once, on destruction or early / a failing release goes to the exception handler") {
  releasable r;
  {
    detail::release_guard<releasable> g(r);
    CHECK(g.owns());
    auto moved = std::move(g);
    CHECK_FALSE(g.owns());
  }
  CHECK(r.releases == 1);
  {
    detail::release_guard<releasable> g(r);
    g.release();
    CHECK(r.releases == 2);
  }
  CHECK(r.releases == 2);

  event_loop loop;
  std::vector<std::string> reports;
  loop.set_exception_handler([&](event_loop&, const error_context& c) { reports.push_back(c.message); });
  auto body = [](releasable& r) -> coro<void> {
    r.fail = true;
    detail::release_guard<releasable> g(r);
    co_return;
  };
  run(loop, body(r));
  CHECK(r.releases == 3);
  CHECK(reports == strings{"exception releasing a scoped guard"});
}
