// Tests for aio/run.hpp: run() and run_sequence follow asyncio.Runner.run + close pass for pass.
// The expected traces are CPython 3.11's: the same program run with asyncio.run (and on
// tests/python/virtual_loop.py) prints exactly these lines.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "aio/aio.hpp"

using namespace aio;

namespace {
using log_t = std::vector<std::string>;

// Appends name0, name1, ... one per loop pass, forever (until cancelled).
coro<void> ticker(log_t& log, std::string name) {
  for (int i = 0;; ++i) {
    log.push_back(name + std::to_string(i));
    co_await aio::sleep(0);
  }
}

// Waits; when cancelled, starts a task asyncio.run's cleanup does not know about, takes three
// more passes to clean up, and ends cancelled.
coro<void> cleaner(log_t& log) {
  bool cancelled = false;
  try {
    co_await aio::sleep(10);
  } catch (const cancelled_error&) {
    cancelled = true;
  }
  if (!cancelled) co_return;
  log.push_back("cancelled");
  create_task(ticker(log, "late"));
  for (int i = 0; i < 3; ++i) {
    co_await aio::sleep(0);
    log.push_back("clean" + std::to_string(i));
  }
  throw cancelled_error();
}

coro<void> main_with_leftovers(log_t& log) {
  create_task(ticker(log, "t"));
  create_task(cleaner(log));
  co_await aio::sleep(0);
  co_await aio::sleep(0);
  log.push_back("main done");
}

coro<void> main_with_ticker(log_t& log) {
  create_task(ticker(log, "t"));
  co_await aio::sleep(0);
  log.push_back("main done");
}

coro<void> wait_forever(future<int>& f, log_t& log, std::string name) {
  try {
    co_await f;
  } catch (const cancelled_error&) {
    log.push_back(name + " cancelled");
    throw;
  }
}

coro<int> failing_main(log_t& log) {
  create_task(ticker(log, "t"));
  co_await aio::sleep(0);
  throw std::runtime_error("main failed");
}
}  // namespace

TEST_CASE("run: the pass after main's last one runs in full before the cleanup (asyncio.run)") {
  // asyncio.run: ['t0', 'main done', 't1'], then t is cancelled at its next await.
  event_loop loop;
  log_t log;
  run(loop, main_with_ticker(log));
  CHECK(log == log_t{"t0", "main done", "t1"});
  CHECK(loop.all_tasks().empty());
}

TEST_CASE("run: cancelled leftovers clean up, then shutdown_asyncgens and shutdown_default_executor take 2 passes each") {
  // The late ticker is not in the cleanup's snapshot: it prints once per pass until the loop
  // closes, so its count is the number of passes asyncio.run makes (CPython 3.11 prints this).
  event_loop loop;
  log_t log;
  run(loop, main_with_leftovers(log));
  CHECK(log == log_t{"t0", "t1", "main done", "t2", "cancelled", "late0", "clean0", "late1", "clean1", "late2", "clean2",
                     "late3", "late4", "late5", "late6", "late7", "late8"});
}

TEST_CASE("run_sequence: steppable, with the same passes and phases") {
  event_loop loop;
  log_t log;
  auto t = create_task(loop, main_with_ticker(log), "main");
  run_sequence seq(loop, *t.base());
  std::vector<run_sequence::phase> phases;
  while (!seq.closed()) {
    seq.step();
    phases.push_back(seq.current());
    REQUIRE(phases.size() < 100);
  }
  using p = run_sequence::phase;
  // main's 2 passes and the stopping pass; cancelling t (its pass, the gather's, the stop);
  // 2 passes for each shutdown step.
  CHECK(phases == std::vector<p>{p::main, p::main, p::cancel_all, p::cancel_all, p::cancel_all, p::shutdown_asyncgens,
                                 p::shutdown_asyncgens, p::shutdown_executor, p::shutdown_executor, p::closed});
  CHECK(seq.passes() == 10);
  CHECK(log == log_t{"t0", "main done", "t1"});
  CHECK(t.done());
}

TEST_CASE("run: main's exception is rethrown after the same cleanup") {
  event_loop loop;
  log_t log;
  CHECK_THROWS_WITH_AS(run(loop, failing_main(log)), "main failed", std::runtime_error);
  CHECK(log == log_t{"t0", "t1"});
  CHECK(loop.all_tasks().empty());
}

TEST_CASE("run: a main that can never finish throws deadlock_error after cancelling everything") {
  event_loop loop;
  future<int> never(loop);
  log_t log;
  auto body = [](future<int>* f, log_t* l) -> coro<int> {
    create_task(wait_forever(*f, *l, "w"));
    co_await wait_forever(*f, *l, "main");
    co_return 1;
  };
  CHECK_THROWS_AS(run(loop, body(&never, &log)), deadlock_error);
  CHECK(log == log_t{"main cancelled", "w cancelled"});  // creation order: main first
  CHECK(loop.all_tasks().empty());
}

TEST_CASE("cancel_all_tasks: cancels in creation order and returns after the gather's stop pass") {
  event_loop loop;
  log_t log;
  auto waiter = [](log_t* l, std::string name) -> coro<void> {
    try {
      co_await aio::sleep(5);
    } catch (const cancelled_error&) {
      l->push_back(name + " cancelled");
      throw;
    }
  };
  create_task(loop, waiter(&log, "a"));
  create_task(loop, waiter(&log, "b"));
  create_task(loop, waiter(&log, "c"));
  loop.run_once();  // they start and wait
  cancel_all_tasks(loop);
  CHECK(log == log_t{"a cancelled", "b cancelled", "c cancelled"});
  CHECK(loop.all_tasks().empty());
  CHECK(loop.time() == 0.0);
}
