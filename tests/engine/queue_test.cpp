// Tests for aio/queue.hpp (asyncio.Queue / PriorityQueue / LifoQueue, 3.11, with 3.13's
// shutdown). Expected traces were recorded by running the same scenario on CPython 3.11.7
// (shutdown: 3.13.0).
#include <doctest/doctest.h>

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "aio/aio.hpp"
#include "aio/queue.hpp"
#if __has_include("aio/wait_for.hpp")
#include "aio/wait_for.hpp"
#define AIO_HAVE_WAIT_FOR 1
#endif

using namespace aio;

namespace {
using strings = std::vector<std::string>;

coro<void> producer(queue<int>& q, int n, strings& log) {
  for (int i = 0; i < n; ++i) {
    co_await q.put(i);
    log.push_back("put" + std::to_string(i));
  }
}
coro<void> consumer(queue<int>& q, int n, strings& log) {
  for (int i = 0; i < n; ++i) {
    int v = co_await q.get();
    log.push_back("get" + std::to_string(v));
  }
}
coro<int> get_one(queue<int>& q) { co_return co_await q.get(); }

struct recorder : observer {
  strings ops;
  void on_primitive(const primitive_op& op) override {
    ops.push_back(std::string(op.op) + " " + (op.task ? op.task->name() : "-") + " " + std::to_string(op.after.value) + "/" +
                  std::to_string(op.after.unfinished));
  }
};
}  // namespace

TEST_CASE("test_get_cancel_drop_one_pending_reader (test_queues): a woken reader that is cancelled loses no item") {
  event_loop loop;
  auto body = [](queue<int>& q) -> coro<void> {
    auto reader = create_task(get_one(q));
    co_await aio::sleep(0);
    q.put_nowait(1);
    q.put_nowait(2);
    reader.cancel();
    bool cancelled = false;
    try {
      co_await reader;
    } catch (const cancelled_error&) {
      cancelled = true;
    }
    if (cancelled) {  // try again (outside the handler: C++ cannot co_await in one)
      reader = create_task(get_one(q));
      co_await reader;
    }
    CHECK(reader.result() == 1);  // 2 would mean 1 was dropped
  };
  queue<int> q;
  run(loop, body(q));
}

TEST_CASE("test_get_cancel_drop_many_pending_readers (test_queues): a cancelled woken reader wakes the next one (CPython trace)") {
  event_loop loop;
  strings log;
  auto reader = [](queue<int>& q, strings& log, std::string tag) -> coro<int> {
    int v = co_await q.get();
    log.push_back(tag + " got " + std::to_string(v));
    co_return v;
  };
  auto body = [&](queue<int>& q) -> coro<void> {
    auto r1 = create_task(reader(q, log, "r1"), "r1");
    auto r2 = create_task(reader(q, log, "r2"), "r2");
    auto r3 = create_task(reader(q, log, "r3"), "r3");
    co_await aio::sleep(0);
    q.put_nowait(1);  // wakes r1
    q.put_nowait(2);  // wakes r2
    r1.cancel();      // r1 must hand its wake-up to r3, or item 2 is stranded
    try {
      co_await r1;
    } catch (const cancelled_error&) {
      log.push_back("r1 cancelled");
    }
    co_await r3;
    co_await r2;
    log.push_back(std::to_string(r2.result()) + " " + std::to_string(r3.result()) + " getters=" +
                  std::to_string(q.stats().waiters.size()));
  };
  queue<int> q;
  run(loop, body(q));
  CHECK(log == strings{"r2 got 1", "r3 got 2", "r1 cancelled", "1 2 getters=0"});
}

TEST_CASE("test_task_done (test_queues): two workers, join() returns once every item is done") {
  event_loop loop;
  auto worker = [](queue<int>& q, bool& running, int& acc) -> coro<void> {
    while (running) {
      int item = co_await q.get();
      acc += item;
      q.task_done();
    }
  };
  auto body = [&](queue<int>& q) -> coro<void> {
    for (int i = 0; i < 100; ++i) q.put_nowait(i);
    bool running = true;
    int acc = 0;
    std::vector<task<void>> ts{create_task(worker(q, running, acc)), create_task(worker(q, running, acc))};
    co_await q.join();
    CHECK(acc == 4950);
    running = false;  // close the workers
    for (std::size_t i = 0; i < ts.size(); ++i) q.put_nowait(0);
    co_await gather(ts);
  };
  queue<int> q;
  run(loop, body(q));
  lifo_queue<int> lq;
  CHECK_THROWS_AS(lq.task_done(), std::invalid_argument);  // test_task_done_underflow
}

TEST_CASE("test_cancelled_getters_not_being_held_in_self_getters (test_queues), by direct cancellation: a cancelled get leaves no getter behind") {
  event_loop loop;
  auto body = [](queue<int>& q) -> coro<void> {
    auto getter = create_task(get_one(q), "getter");
    event_loop::running().call_later(0.1, [getter] { getter.cancel(); });  // what wait_for(q.get(), 0.1) does
    bool cancelled = false;
    try {
      co_await getter;
    } catch (const cancelled_error&) {
      cancelled = true;
    }
    CHECK(cancelled);
    CHECK(event_loop::running().time() == doctest::Approx(0.1));
    CHECK(q.stats().waiters.empty());
    q.put_nowait(7);  // nobody is woken for nothing: the item stays
    CHECK(q.qsize() == 1);
  };
  queue<int> q(5);
  run(loop, body(q));
}

#ifdef AIO_HAVE_WAIT_FOR
TEST_CASE("test_cancelled_getters_not_being_held_in_self_getters (test_queues): wait_for(q.get(), 0.1) cleans up its getter") {
  event_loop loop;
  auto body = [](queue<int>& q) -> coro<void> {
    bool timed_out = false;
    try {
      co_await wait_for(q.get(), 0.1);
    } catch (const timeout_error&) {
      timed_out = true;
    }
    CHECK(timed_out);
    CHECK(q.stats().waiters.empty());
  };
  queue<int> q(5);
  run(loop, body(q));
}
#endif

TEST_CASE("queue: Queue(1) alternates put0 get0 put1 get1 ... (CPython trace)") {
  event_loop loop;
  strings log;
  auto body = [](queue<int>& q, strings& log) -> coro<void> { co_await gather(producer(q, 5, log), consumer(q, 5, log)); };
  queue<int> q(1);
  run(loop, body(q, log));
  CHECK(log == strings{"put0", "get0", "put1", "get1", "put2", "get2", "put3", "get3", "put4", "get4"});
}

TEST_CASE("queue: no strict handoff: a woken getter whose item was taken waits again, at the back (CPython trace)") {
  event_loop loop;
  strings log;
  auto getter = [](queue<std::string>& q, strings& log, std::string tag) -> coro<void> {
    std::string v = co_await q.get();
    log.push_back(tag + " got " + v);
  };
  auto body = [&](queue<std::string>& q) -> coro<void> {
    auto g1 = create_task(getter(q, log, "g1"), "g1");
    auto g2 = create_task(getter(q, log, "g2"), "g2");
    co_await aio::sleep(0);
    q.put_nowait("x");  // wakes g1
    log.push_back("main stole " + q.get_nowait());
    co_await aio::sleep(0);
    log.push_back("getters=" + std::to_string(q.stats().waiters.size()));
    CHECK(q.stats().waiters == strings{"g2", "g1"});
    q.put_nowait("y");
    q.put_nowait("z");
    co_await g1;
    co_await g2;
  };
  queue<std::string> q;
  run(loop, body(q));
  CHECK(log == strings{"main stole x", "getters=2", "g2 got y", "g1 got z"});
}

TEST_CASE("queue: put blocks when full / pending and woken putters cancelled lose no slot (CPython trace)") {
  event_loop loop;
  strings log;
  auto putter = [](queue<int>& q, strings& log, int v) -> coro<void> {
    try {
      co_await q.put(v);
      log.push_back("put " + std::to_string(v));
    } catch (const cancelled_error&) {
      log.push_back("put " + std::to_string(v) + " cancelled");
      throw;
    }
  };
  auto body = [&](queue<int>& q) -> coro<void> {
    q.put_nowait(0);
    CHECK_THROWS_AS(q.put_nowait(99), queue_full);
    auto p1 = create_task(putter(q, log, 1), "p1");
    auto p2 = create_task(putter(q, log, 2), "p2");
    auto p3 = create_task(putter(q, log, 3), "p3");
    co_await aio::sleep(0);
    CHECK(q.stats().putters == strings{"p1", "p2", "p3"});
    p3.cancel();                                            // pending
    log.push_back("got " + std::to_string(q.get_nowait()));  // wakes p1
    p1.cancel();                                            // woken, then cancelled: p2 gets the slot
    std::vector<task<void>> ps{p1, p2, p3};
    co_await gather(return_exceptions, ps);
    log.push_back("qsize=" + std::to_string(q.qsize()) + " putters=" + std::to_string(q.stats().putters.size()) +
                  " full=" + (q.full() ? "True" : "False"));
    int v = q.get_nowait();
    CHECK(v == 2);
    CHECK_THROWS_AS(q.get_nowait(), queue_empty);
  };
  queue<int> q(1);
  run(loop, body(q));
  CHECK(log == strings{"got 0", "put 3 cancelled", "put 1 cancelled", "put 2", "qsize=1 putters=0 full=True"});
}

TEST_CASE("queue: shutdown(): puts raise, gets drain then raise, blocked putters and getters are woken (CPython 3.13 trace)") {
  event_loop loop;
  strings log;
  auto getter = [](queue<int>& q, strings& log, std::string tag) -> coro<void> {
    try {
      for (;;) {
        int v = co_await q.get();
        log.push_back(tag + " got " + std::to_string(v));
        q.task_done();
      }
    } catch (const queue_shut_down&) {
      log.push_back(tag + " shut down");
    }
  };
  auto putter = [](queue<int>& q, strings& log, int v) -> coro<void> {
    try {
      co_await q.put(v);
      log.push_back("put " + std::to_string(v));
    } catch (const queue_shut_down&) {
      log.push_back("put " + std::to_string(v) + " shut down");
    }
  };
  auto body = [&](queue<int>& q, queue<int>& q2) -> coro<void> {
    q.put_nowait(1);
    q.put_nowait(2);
    auto p = create_task(putter(q, log, 3));
    co_await aio::sleep(0);
    q.shutdown();
    log.push_back("after shutdown qsize=" + std::to_string(q.qsize()) + " unfinished=" + std::to_string(q.unfinished_tasks()));
    try {
      q.put_nowait(9);
    } catch (const queue_shut_down&) {
      log.push_back("put_nowait shut down");
    }
    auto g = create_task(getter(q, log, "g"));
    co_await gather(p, g);
    log.push_back("unfinished=" + std::to_string(q.unfinished_tasks()));
    co_await q.join();
    log.push_back("joined");
    // Getters blocked on an empty queue are woken and raise.
    auto g1 = create_task(getter(q2, log, "g1"));
    auto g2 = create_task(getter(q2, log, "g2"));
    co_await aio::sleep(0);
    q2.shutdown();
    CHECK(q2.stats().closed);
    co_await gather(g1, g2);
  };
  queue<int> q(2), q2;
  run(loop, body(q, q2));
  CHECK(log == strings{"after shutdown qsize=2 unfinished=2", "put_nowait shut down", "put 3 shut down", "g got 1", "g got 2",
                       "g shut down", "unfinished=0", "joined", "g1 shut down", "g2 shut down"});
}

TEST_CASE("queue: shutdown(immediate): items dropped and counted done, join released, gets raise at once (CPython 3.13 trace)") {
  event_loop loop;
  strings log;
  auto body = [&](queue<std::string>& q) -> coro<void> {
    q.put_nowait("a");
    q.put_nowait("b");
    auto j = create_task([](queue<std::string>& q, strings& log) -> coro<void> {
      co_await q.join();
      log.push_back("join released");
    }(q, log), "joiner");
    auto p = create_task([](queue<std::string>& q, strings& log) -> coro<void> {
      co_await q.put("c");
      log.push_back("put c");
    }(q, log), "putter");
    co_await aio::sleep(0);
    REQUIRE(j.base()->waiting_on() != nullptr);
    CHECK(j.base()->waiting_on()->describe() == "queue jobs join");
    std::string v = co_await q.get();
    log.push_back("main got " + v);  // no task_done: unfinished stays
    co_await aio::sleep(0);          // the putter puts c
    log.push_back("qsize=" + std::to_string(q.qsize()) + " unfinished=" + std::to_string(q.unfinished_tasks()));
    q.shutdown(true);
    log.push_back("after immediate qsize=" + std::to_string(q.qsize()) + " unfinished=" + std::to_string(q.unfinished_tasks()));
    try {
      q.get_nowait();
    } catch (const queue_shut_down&) {
      log.push_back("get_nowait shut down");
    }
    q.task_done();
    log.push_back("unfinished=" + std::to_string(q.unfinished_tasks()));
    co_await gather(j, p);
  };
  queue<std::string> q(2, "jobs");
  run(loop, body(q));
  CHECK(log == strings{"main got a", "put c", "qsize=2 unfinished=3", "after immediate qsize=0 unfinished=1",
                       "get_nowait shut down", "unfinished=0", "join released"});
}

TEST_CASE("priority_queue: least first, ties in insertion order / lifo_queue: last in, first out") {
  using entry = std::pair<int, std::string>;
  struct by_priority {
    bool operator()(const entry& a, const entry& b) const { return a.first < b.first; }
  };
  priority_queue<entry, by_priority> pq;
  for (auto& e : std::vector<entry>{{3, "c"}, {1, "a1"}, {2, "b1"}, {1, "a2"}, {2, "b2"}, {0, "z"}, {1, "a3"}}) pq.put_nowait(e);
  strings order;
  while (!pq.empty()) order.push_back(pq.get_nowait().second);
  CHECK(order == strings{"z", "a1", "a2", "a3", "b1", "b2", "c"});
  CHECK(pq.stats().kind == "priority_queue");

  priority_queue<int> ints;
  for (int v : {5, 1, 4, 2, 3}) ints.put_nowait(v);
  std::vector<int> got;
  while (!ints.empty()) got.push_back(ints.get_nowait());
  CHECK(got == std::vector<int>{1, 2, 3, 4, 5});

  lifo_queue<int> lq(3);
  for (int v : {1, 2, 3}) lq.put_nowait(v);
  CHECK(lq.full());
  CHECK_THROWS_AS(lq.put_nowait(4), queue_full);
  got.clear();
  while (!lq.empty()) got.push_back(lq.get_nowait());
  CHECK(got == std::vector<int>{3, 2, 1});
  CHECK(lq.stats().kind == "lifo_queue");
}

TEST_CASE("queue: maxsize <= 0 is unbounded / join() with nothing unfinished returns at once") {
  event_loop loop;
  auto body = [](queue<int>& q) -> coro<void> {
    co_await q.join();
    for (int i = 0; i < 1000; ++i) co_await q.put(i);
    CHECK_FALSE(q.full());
    CHECK(q.qsize() == 1000);
    CHECK(q.maxsize() == -1);
    CHECK(q.stats().capacity == 0);
  };
  queue<int> q(-1);
  run(loop, body(q));
  CHECK(loop.time() == 0.0);
}

TEST_CASE("queue: stats, waiting_on() labels and observer operations") {
  event_loop loop;
  recorder rec;
  loop.set_observer(&rec);
  auto body = [](queue<int>& q) -> coro<void> {
    q.put_nowait(1);
    auto p = create_task([](queue<int>& q) -> coro<void> { co_await q.put(2); }(q), "putter");
    co_await aio::sleep(0);
    REQUIRE(p.base()->waiting_on() != nullptr);
    CHECK(p.base()->waiting_on()->describe() == "queue jobs put");
    auto s = q.stats();
    CHECK(s.kind == "queue");
    CHECK(s.name == "jobs");
    CHECK(s.putters == strings{"putter"});
    CHECK(s.waiters.empty());
    CHECK(s.value == 1);
    CHECK(s.capacity == 1);
    CHECK(s.unfinished == 1);
    CHECK_FALSE(s.closed);
    CHECK(q.get_nowait() == 1);
    CHECK(q.stats().putters.empty());  // a queue pops the waiter it wakes
    co_await p;
    CHECK(q.get_nowait() == 2);
    q.task_done();
    auto g = create_task(get_one(q), "getter");
    co_await aio::sleep(0);
    REQUIRE(g.base()->waiting_on() != nullptr);
    CHECK(g.base()->waiting_on()->describe() == "queue jobs get");
    CHECK(q.stats().waiters == strings{"getter"});
    q.put_nowait(3);
    int v = co_await g;
    CHECK(v == 3);
  };
  queue<int> q(1, "jobs");
  run(loop, body(q));
  loop.set_observer(nullptr);
  CHECK(rec.ops == strings{"put main 1/1", "put_wait putter 1/1", "get main 0/1", "put putter 1/2", "get main 0/2",
                           "task_done main 0/1", "get_wait getter 0/1", "put main 1/2", "get getter 0/2"});
}

#include "aio/debug.hpp"
#include "aio/gather.hpp"

TEST_CASE("queue: put()/get() that need not wait return at once / waiting ones wait in order") {
  event_loop loop;
  queue<int> q(2);
  strings log;
  auto body = [](queue<int>& q, strings& log) -> coro<void> {
    co_await q.put(1);
    co_await q.put(2);  // room for both: no suspension
    int a = co_await q.get();
    CHECK(event_loop::running().ready_count() == 0);  // nothing was scheduled on the way
    auto c = create_task(consumer(q, 3, log), "c");
    co_await q.put(3);  // [2] -> [2, 3]: room, no suspension
    CHECK(c.base()->started() == false);
    co_await q.put(4);  // full: waits until the consumer takes one
    log.push_back("put4 done a=" + std::to_string(a));
    co_await c;
  };
  run(loop, body(q, log));
  CHECK(log == strings{"get2", "get3", "put4 done a=1", "get4"});
}

TEST_CASE("queue: put()/get() as coroutines: create_task, wait_for, gather, lazy until run") {
  event_loop loop;
  queue<std::string> q;
  strings log;
  auto body = [](queue<std::string>& q, strings& log) -> coro<void> {
    auto lazy_put = q.put("late").as_coro();
    CHECK(q.qsize() == 0);  // not run yet
    auto g = create_task(q.get(), "getter");
    co_await sleep(0);
    CHECK(q.stats().waiters == strings{"getter"});
    co_await std::move(lazy_put);
    std::string got = co_await g;
    log.push_back("getter got " + got);
    auto both = co_await gather(q.put("x"), q.get());
    std::string second = std::get<1>(both);
    log.push_back("gather got " + second);
    try {
      co_await wait_for(q.get(), 0.25);
    } catch (const timeout_error&) {
      log.push_back("empty: timeout");
    }
    CHECK(q.stats().waiters.empty());
  };
  run(loop, body(q, log));
  CHECK(log == strings{"getter got late", "gather got x", "empty: timeout"});
}

namespace {
struct no_default {
  explicit no_default(int v) : v(v) {}
  int v;
};
}  // namespace

TEST_CASE("queue: items without a default constructor (deque store) and with one (ring store) keep FIFO order across growth") {
  event_loop loop;
  queue<no_default> a;
  queue<int> b;
  auto body = [](queue<no_default>& a, queue<int>& b) -> coro<void> {
    for (int i = 0; i < 300; ++i) {  // past the ring's first capacity (64) while wrapped
      co_await a.put(no_default(i));
      co_await b.put(i);
      if (i % 3 == 0) {
        CHECK((co_await a.get()).v == i / 3);
        CHECK(co_await b.get() == i / 3);
      }
    }
    for (int i = 100; i < 300; ++i) {
      CHECK((co_await a.get()).v == i);
      CHECK(co_await b.get() == i);
    }
    CHECK(a.empty());
    CHECK(b.empty());
  };
  run(loop, body(a, b));
}
