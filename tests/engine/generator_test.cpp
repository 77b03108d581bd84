// Tests for aio/generator.hpp: async generators run inline in the consumer's task.
#include <doctest/doctest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "aio/aio.hpp"
#include "aio/debug.hpp"
#include "aio/generator.hpp"

using namespace aio;

namespace {
using log_t = std::vector<std::string>;

struct counted {
  int* n;
  ~counted() { ++*n; }
};

generator<int> ticks(int n, double every) {
  for (int i = 0; i < n; ++i) {
    co_await aio::sleep(every);
    co_yield i;
  }
}

coro<int> twice(int x) {
  co_await aio::sleep(0.5);
  co_return 2 * x;
}

// The `finally` of a Python async generator: C++ allows no co_await inside a catch handler, so
// the handler keeps the exception and the awaiting cleanup runs after it.
generator<int> guarded(log_t* log, int* cleaned) {
  counted c{cleaned};
  std::exception_ptr closing;
  try {
    for (int i = 0;; ++i) {
      co_yield i;
      log->push_back("resumed after " + std::to_string(i));
    }
  } catch (const generator_exit&) {
    log->push_back("GeneratorExit");
    closing = std::current_exception();
  }
  co_await aio::sleep(2);  // cleanup may await
  log->push_back("cleanup done");
  std::rethrow_exception(closing);
}
}  // namespace

TEST_CASE("generator: co_await g.next() yields values with awaits between, then nullopt") {
  event_loop loop;
  auto body = [](event_loop* l) -> coro<std::vector<double>> {
    std::vector<double> times;
    auto g = ticks(3, 1.5);
    int expect = 0;
    while (auto item = co_await g.next()) {
      CHECK(*item == expect++);
      times.push_back(l->time());
    }
    CHECK(expect == 3);
    CHECK(g.done());
    auto again = co_await g.next();  // an ended generator keeps answering nullopt
    CHECK_FALSE(again.has_value());
    co_return times;
  };
  auto times = run(loop, body(&loop));
  CHECK(times == std::vector<double>{1.5, 3.0, 4.5});
}

TEST_CASE("generator: the body runs inline, like awaiting a coroutine: no loop pass per item") {
  event_loop loop;
  log_t log;
  auto body = [](event_loop* l, log_t* log) -> coro<void> {
    l->call_soon([log] { log->push_back("soon"); });
    auto g = [](log_t* log) -> generator<int> {
      log->push_back("gen start");
      co_yield 1;
      int v = co_await twice(2);  // a coroutine awaited inside the generator
      co_yield v;
    }(log);
    auto a = co_await g.next();
    log->push_back("got " + std::to_string(*a));
    auto b = co_await g.next();
    log->push_back("got " + std::to_string(*b));
  };
  run(loop, body(&loop, &log));
  CHECK(log == log_t{"gen start", "got 1", "soon", "got 4"});
}

TEST_CASE("generator: an exception in the body propagates to the consumer, the generator has ended") {
  event_loop loop;
  auto body = []() -> coro<int> {
    auto g = []() -> generator<int> {
      co_yield 1;
      co_await aio::sleep(1);
      throw std::runtime_error("page fetch failed");
    }();
    int got = 0;
    try {
      while (auto item = co_await g.next()) got += *item;
    } catch (const std::runtime_error& e) {
      CHECK(std::string(e.what()) == "page fetch failed");
      got += 100;
    }
    auto after = co_await g.next();
    CHECK_FALSE(after.has_value());
    co_return got;
  };
  CHECK(run(loop, body()) == 101);
}

TEST_CASE("generator: leaving the loop early destroys the frame at its yield, running destructors") {
  event_loop loop;
  int cleaned = 0;
  log_t log;
  auto before = debug::live_coroutine_frames();
  auto body = [](int* cleaned, log_t* log) -> coro<void> {
    {
      auto g = guarded(log, cleaned);
      while (auto item = co_await g.next())
        if (*item == 2) break;
      CHECK(*cleaned == 0);
    }  // ~generator: no GeneratorExit, no awaiting cleanup, only RAII
    CHECK(*cleaned == 1);
  };
  run(loop, body(&cleaned, &log));
  CHECK(log == log_t{"resumed after 0", "resumed after 1"});
  CHECK(debug::live_coroutine_frames() == before);
}

TEST_CASE("generator: aclose() raises generator_exit at the yield, cleanup may await, later next() is nullopt") {
  event_loop loop;
  int cleaned = 0;
  log_t log;
  auto body = [](event_loop* l, int* cleaned, log_t* log) -> coro<void> {
    auto g = guarded(log, cleaned);
    auto first = co_await g.next();
    CHECK(*first == 0);
    co_await g.aclose();
    CHECK(l->time() == 2.0);  // the cleanup's sleep ran inside aclose()
    CHECK(*cleaned == 1);
    CHECK_FALSE(g.valid());
    auto after = co_await g.next();
    CHECK_FALSE(after.has_value());
    co_await g.aclose();  // closing again does nothing
  };
  run(loop, body(&loop, &cleaned, &log));
  CHECK(log == log_t{"GeneratorExit", "cleanup done"});
}

TEST_CASE("generator: aclose() before the first next() runs nothing of the body") {
  event_loop loop;
  int cleaned = 0;
  log_t log;
  auto body = [](int* cleaned, log_t* log) -> coro<void> {
    auto g = guarded(log, cleaned);
    co_await g.aclose();
  };
  run(loop, body(&cleaned, &log));
  CHECK(log.empty());
  CHECK(cleaned == 0);  // the body never ran: its guard was never made
}

TEST_CASE("generator: aclose() reports a body that yields again, and rethrows a cleanup's own exception") {
  event_loop loop;
  auto body = []() -> coro<int> {
    int checks = 0;
    auto stubborn = []() -> generator<int> {
      for (;;) {
        try {
          co_yield 1;
        } catch (const generator_exit&) {
        }
      }
    }();
    co_await stubborn.next();
    try {
      co_await stubborn.aclose();
    } catch (const std::runtime_error& e) {
      CHECK(std::string(e.what()) == "async generator ignored GeneratorExit");
      ++checks;
    }
    auto failing = []() -> generator<int> {
      bool closing = false;
      try {
        co_yield 1;
      } catch (const generator_exit&) {
        closing = true;
      }
      co_await aio::sleep(1);
      if (closing) throw std::logic_error("cleanup failed");
    }();
    co_await failing.next();
    try {
      co_await failing.aclose();
    } catch (const std::logic_error& e) {
      CHECK(std::string(e.what()) == "cleanup failed");
      ++checks;
    }
    co_return checks;
  };
  CHECK(run(loop, body()) == 2);
}

TEST_CASE("generator: cancelling the consumer raises cancelled_error at the generator's own await") {
  event_loop loop;
  log_t log;
  auto body = [](log_t* log) -> coro<void> {
    auto consumer = create_task([](log_t* log) -> coro<void> {
      auto g = [](log_t* log) -> generator<int> {
        co_yield 1;
        try {
          co_await aio::sleep(10);
        } catch (const cancelled_error& e) {
          log->push_back("generator saw cancel: " + e.message());
          throw;
        }
        co_yield 2;
      }(log);
      while (auto item = co_await g.next()) log->push_back("item " + std::to_string(*item));
      log->push_back("not reached");
    }(log));
    co_await aio::sleep(1);
    consumer.cancel("stop");
    try {
      co_await consumer;
    } catch (const cancelled_error&) {
      log->push_back("consumer cancelled");
    }
    CHECK(consumer.cancelled());
  };
  run(loop, body(&log));
  CHECK(log == log_t{"item 1", "generator saw cancel: stop", "consumer cancelled"});
}

TEST_CASE("generator: a second next() while the body is suspended throws (already running)") {
  event_loop loop;
  auto body = []() -> coro<bool> {
    auto g = ticks(3, 1.0);
    auto first = create_task([](generator<int>* g) -> coro<int> {
      auto v = co_await g->next();
      co_return *v;
    }(&g));
    co_await aio::sleep(0.5);  // `first` is now suspended inside the generator's sleep
    bool threw = false;
    try {
      co_await g.next();
    } catch (const std::runtime_error& e) {
      threw = std::string(e.what()) == "anext(): asynchronous generator is already running";
    }
    int v = co_await first;
    CHECK(v == 0);
    auto second = co_await g.next();  // free again
    CHECK(*second == 1);
    co_return threw;
  };
  CHECK(run(loop, body()));
}

namespace {
// Each level re-yields what the level below yields: a chain deeper than the inline limit.
generator<int> relay(int depth, int n) {
  if (depth == 0) {
    for (int i = 0; i < n; ++i) {
      if (i % 2) co_await aio::sleep(0.001);
      co_yield i;
    }
    co_return;
  }
  auto inner = relay(depth - 1, n);
  while (auto v = co_await inner.next()) co_yield *v;
}
}  // namespace

TEST_CASE("generator: 100,000 synchronous yields and a 300-deep chain of generators stay stack-safe") {
  event_loop loop;
  auto before = debug::live_coroutine_frames();
  auto body = []() -> coro<long> {
    long sum = 0;
    auto flat = []() -> generator<int> {
      for (int i = 0; i < 100000; ++i) co_yield 1;
    }();
    while (auto v = co_await flat.next()) sum += *v;
    auto deep = relay(300, 6);
    while (auto v = co_await deep.next()) sum += *v;
    co_return sum;
  };
  CHECK(run(loop, body()) == 100000 + 15);
  CHECK(debug::live_coroutine_frames() == before);
}
