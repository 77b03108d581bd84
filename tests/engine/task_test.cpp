// Tests for aio/task.hpp and aio/coro.hpp: scheduling order, cancellation, stack safety.
#include <doctest/doctest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "aio/aio.hpp"
#include "aio/observer.hpp"

using namespace aio;

namespace {
coro<int> answer() { co_return 42; }
coro<int> add_one(int x) { co_return x + 1; }

coro<void> stepper(std::vector<std::string>& log, std::string name) {
  for (int i = 0; i < 3; ++i) {
    log.push_back(name + std::to_string(i));
    co_await sleep(0);
  }
}
}  // namespace

TEST_CASE("create_task: a task first runs on the next pass, interleaved FIFO with call_soon (asyncio trace)") {
  event_loop loop;
  std::vector<std::string> log;
  auto body = [&]() -> coro<void> {
    loop.call_soon([&] { log.push_back("cb1"); });
    auto a = create_task(stepper(log, "a"));
    auto b = create_task(stepper(log, "b"));
    loop.call_soon([&] { log.push_back("cb2"); });
    co_await a;
    co_await b;
  };
  run(loop, body());
  CHECK(log == std::vector<std::string>{"cb1", "a0", "b0", "cb2", "a1", "b1", "a2", "b2"});
}

TEST_CASE("awaiting a coroutine runs it inline: no loop pass") {
  event_loop loop;
  std::vector<std::string> log;
  auto body = [&]() -> coro<int> {
    loop.call_soon([&] { log.push_back("soon"); });
    int v = co_await answer();
    log.push_back("after await");
    v = co_await add_one(v);
    co_await sleep(0);
    log.push_back("after yield");
    co_return v;
  };
  CHECK(run(loop, body()) == 43);
  CHECK(log == std::vector<std::string>{"after await", "soon", "after yield"});
}

TEST_CASE("test_cancel_task_ignoring (test_tasks): a task that catches cancelled_error finishes with 42") {
  event_loop loop;
  auto body = []() -> coro<int> {
    auto t = create_task([]() -> coro<int> {
      try {
        co_await sleep(10);
      } catch (const cancelled_error&) {
      }
      co_return 42;
    }());
    co_await sleep(0);
    co_await sleep(0);
    CHECK(t.cancel());
    int r = co_await t;
    CHECK_FALSE(t.cancelled());
    co_return r;
  };
  CHECK(run(loop, body()) == 42);
}

TEST_CASE("test_cancel_at_end (test_tasks): cancel just before return ends cancelled, a second cancel is refused") {
  event_loop loop;
  auto body = []() -> coro<void> {
    task<int> t;
    t = create_task([](task<int>* self) -> coro<int> {
      CHECK(self->cancel());
      CHECK(self->cancel());  // still pending: counts again
      co_return 12;
    }(&t));
    try {
      co_await t;
      FAIL("expected cancellation");
    } catch (const cancelled_error&) {
    }
    CHECK(t.cancelled());
    CHECK_FALSE(t.cancel());
  };
  run(loop, body());
}

TEST_CASE("test_cancel_current_task (test_tasks): self-cancel makes the next await raise at once") {
  event_loop loop;
  double at = -1;
  auto body = [&]() -> coro<void> {
    current_task()->cancel();
    try {
      co_await sleep(100);
    } catch (const cancelled_error&) {
      at = loop.time();
      throw;
    }
  };
  auto t = create_task(loop, body());
  loop.run_until_done(*t.base());
  CHECK(t.cancelled());
  CHECK(at == 0.0);
}

TEST_CASE("test_uncancel_basic (test_tasks): cancelling() counts requests, uncancel() lets the task resume") {
  event_loop loop;
  auto body = [&]() -> coro<int> {
    auto t = create_task([]() -> coro<int> {
      try {
        co_await sleep(10);
      } catch (const cancelled_error&) {
        CHECK(current_task()->cancelling() == 1);
        CHECK(current_task()->uncancel() == 0);
      }
      co_await sleep(1);
      co_return 7;
    }());
    co_await sleep(0);
    t.cancel();
    co_return co_await t;
  };
  CHECK(run(loop, body()) == 7);
  CHECK(loop.time() == doctest::Approx(1.0));
}

TEST_CASE("cancelling a task before its first step: the body never runs") {
  event_loop loop;
  bool ran = false;
  auto body = [&]() -> coro<void> {
    auto t = create_task([](bool* flag) -> coro<void> {
      *flag = true;
      co_return;
    }(&ran));
    t.cancel("early");
    try {
      co_await t;
    } catch (const cancelled_error& e) {
      CHECK(e.message() == "early");
    }
    CHECK(t.cancelled());
  };
  run(loop, body());
  CHECK_FALSE(ran);
}

TEST_CASE("an exception escaping a task fails it and reaches its awaiter") {
  event_loop loop;
  auto body = []() -> coro<void> {
    auto t = create_task([]() -> coro<int> {
      co_await sleep(1);
      throw std::runtime_error("boom");
    }());
    std::string what;
    try {
      co_await t;
    } catch (const std::runtime_error& e) {
      what = e.what();
    }
    CHECK(what == "boom");
    CHECK(t.done());
    CHECK_FALSE(t.cancelled());
  };
  run(loop, body());
}

namespace {
coro<long> nest(long n) {
  if (n == 0) {
    co_await sleep(0);
    co_return 0;
  }
  co_return 1 + co_await nest(n - 1);
}
coro<long> leaf(long i) { co_return i; }
}  // namespace

TEST_CASE("100,000-deep nesting of awaited coroutines does not overflow the stack") {
  event_loop loop;
  CHECK(run(loop, nest(100000)) == 100000);
}

TEST_CASE("1,000,000 sequential synchronous awaits stay within a bounded stack") {
  event_loop loop;
  auto body = []() -> coro<long> {
    long sum = 0;
    for (long i = 0; i < 1000000; ++i) sum += co_await leaf(1);
    co_return sum;
  };
  CHECK(run(loop, body()) == 1000000);
}

TEST_CASE("task names and ids") {
  event_loop loop;
  auto body = []() -> coro<void> {
    auto a = create_task(answer(), "fetcher");
    auto b = create_task(answer());
    CHECK(a.name() == "fetcher");
    CHECK(b.name() == "Task-" + std::to_string(b.id()));
    int va = co_await a;  // (no co_await inside doctest macros: g++ 12 miscompiles some)
    CHECK(va == 42);
    co_await b;
  };
  run(loop, body());
}

TEST_CASE("a pending task destroyed with its loop is reported and its frame destroyed") {
  std::vector<std::string> reports;
  int destroyed = 0;
  struct guard {
    int* n;
    ~guard() { ++*n; }
  };
  {
    event_loop loop;
    loop.set_exception_handler([&](event_loop&, const error_context& c) { reports.push_back(c.message); });
    auto t = create_task(loop, [](int* n) -> coro<void> {
      guard g{n};
      co_await sleep(1000);
    }(&destroyed));
    loop.run_once();
    CHECK(destroyed == 0);
  }
  CHECK(destroyed == 1);
  CHECK(reports == std::vector<std::string>{"Task was destroyed but it is pending!"});
}

namespace {
coro<int> sleeps_long() {
  co_await aio::sleep(10);
  co_return 1;
}
coro<std::string> cancel_message_of(task<int> t) {
  try {
    co_await t;
  } catch (const cancelled_error& e) {
    co_return e.message();
  }
  co_return "not cancelled";
}
std::string message_of(const std::exception_ptr& e) {
  try {
    std::rethrow_exception(e);
  } catch (const cancelled_error& c) {
    return c.message();
  } catch (...) {
    return "not a cancelled_error";
  }
}
coro<void> cancelled_messages(std::vector<std::string>* seen) {
  auto t = create_task(sleeps_long());
  co_await aio::sleep(0);
  t.cancel("stop");
  seen->push_back(co_await cancel_message_of(t));
  seen->push_back(co_await cancel_message_of(t));  // the CancelledError was handed out already
  auto t2 = create_task(sleeps_long());
  co_await aio::sleep(0);
  t2.cancel("stop2");
  std::vector<task<int>> ts;
  ts.push_back(t2);
  auto g = gather(return_exceptions, ts);
  auto outcomes = co_await g;
  seen->push_back(message_of(outcomes[0].error));  // gather reads _cancel_message: None
  seen->push_back(co_await cancel_message_of(t2));  // so the task still has its exception
  auto t3 = create_task(sleeps_long());
  co_await aio::sleep(0);
  t3.cancel("m3");
  co_await aio::sleep(0);
  try {
    t3.result();
  } catch (const cancelled_error& e) {
    seen->push_back(e.message());
  }
  seen->push_back(co_await cancel_message_of(t3));
}
}  // namespace

TEST_CASE("a task that ended cancelled hands out its CancelledError's message once (CPython's _cancelled_exc)") {
  // CPython 3.11 prints: stop, '', '', stop2, m3, '' for the same program.
  event_loop loop;
  std::vector<std::string> seen;
  run(loop, cancelled_messages(&seen));
  CHECK(seen == std::vector<std::string>{"stop", "", "", "stop2", "m3", ""});
}

TEST_CASE("an observer that throws from on_task_created: create_task raises, and the task, already queued, still runs") {
  // The observer is told after the task is fully made and queued, so its exception cannot
  // leave a half-constructed task in the ready queue (ASan checks the memory side).
  struct throwing : observer {
    int created = 0;
    void on_task_created(task_base&, task_base*) override {
      if (++created == 1) throw std::runtime_error("observer failed");
    }
  };
  event_loop loop;
  throwing obs;
  loop.set_observer(&obs);
  int ran = 0;
  auto body = [](int& ran) -> coro<void> {
    ++ran;
    co_return;
  };
  bool raised = false;
  try {
    (void)create_task(loop, body(ran));
  } catch (const std::runtime_error& e) {
    raised = std::string(e.what()) == "observer failed";
  }
  CHECK(raised);
  CHECK(loop.all_tasks().size() == 1);
  loop.run_once();
  CHECK(ran == 1);
  CHECK(loop.all_tasks().empty());
  loop.set_observer(nullptr);
}
