// Tests for aio/executor.hpp: run_in_executor / to_thread on the platform's default executor,
// and the simulated executor on the virtual clock. Cases needing real threads are guarded by
// AIO_TEST_HAS_THREADS (set by tests/CMakeLists.txt), the only platform switch in this file.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "aio/aio.hpp"
#include "aio/detail/platform.hpp"
#include "aio/executor.hpp"

using namespace aio;

namespace {
int add(int a, int b) { return a + b; }
double now() { return detail::platform::monotonic_seconds(); }
}  // namespace

TEST_CASE("run_in_executor: fn(args...) runs on the default executor, its result arrives in a later pass") {
  event_loop loop(make_real_clock());
  auto body = []() -> coro<int> {
    auto f = run_in_executor(add, 40, 2);
    CHECK_FALSE(f.done());  // never completed inline
    int v = co_await f;
    std::string s = co_await to_thread([](std::string a) { return a + "!"; }, std::string("hi"));
    CHECK(s == "hi!");
    bool ran = false;
    co_await run_in_executor([&ran] { ran = true; });  // void: the future completes after fn ran
    CHECK(ran);
    co_return v;
  };
  CHECK(run(loop, body()) == 42);
}

TEST_CASE("run_in_executor: an exception thrown by fn is raised at the await") {
  event_loop loop(make_real_clock());
  auto body = []() -> coro<std::string> {
    try {
      co_await run_in_executor([]() -> int { throw std::out_of_range("no such page"); });
    } catch (const std::out_of_range& e) {
      co_return e.what();
    }
    co_return "not raised";
  };
  CHECK(run(loop, body()) == "no such page");
}

TEST_CASE("run_in_executor with simulated_duration: fn runs after that much loop time, the loop goes on meanwhile") {
  event_loop loop;  // virtual clock: exact times
  std::vector<std::string> log;
  auto body = [](event_loop* l, std::vector<std::string>* log) -> coro<void> {
    auto ticker = create_task([](event_loop* l, std::vector<std::string>* log) -> coro<void> {
      for (int i = 0; i < 3; ++i) {
        co_await aio::sleep(1);
        log->push_back("tick " + std::to_string(l->time()).substr(0, 3));
      }
    }(l, log));
    auto slow = run_in_executor([l, log] {
      log->push_back("job A at " + std::to_string(l->time()).substr(0, 3));
      return 'A';
    }, simulated_duration{2.5});
    auto slower = run_in_executor([l, log] {
      log->push_back("job B at " + std::to_string(l->time()).substr(0, 3));
      return 'B';
    }, simulated_duration{2.75});
    char a = co_await slow;
    char b = co_await slower;
    CHECK(a == 'A');
    CHECK(b == 'B');
    CHECK(l->time() == 2.75);  // concurrent: max(2.5, 2.75), not the sum
    co_await ticker;
  };
  run(loop, body(&loop, &log));
  CHECK(log == std::vector<std::string>{"tick 1.0", "tick 2.0", "job A at 2.5", "job B at 2.7", "tick 3.0"});
}

TEST_CASE("run_in_executor with simulated_duration: exceptions, and cancelling the awaiting task does not stop the job") {
  event_loop loop;
  std::vector<std::string> log;
  auto body = [](event_loop* l, std::vector<std::string>* log) -> coro<void> {
    auto failing = run_in_executor([]() -> int { throw std::runtime_error("disk full"); }, simulated_duration{1});
    try {
      co_await failing;
    } catch (const std::runtime_error& e) {
      log->push_back(std::string(e.what()) + " at " + std::to_string(l->time()).substr(0, 3));
    }
    auto waiter = create_task([](event_loop* l, std::vector<std::string>* log) -> coro<int> {
      co_return co_await run_in_executor([l, log] {
        log->push_back("job ran at " + std::to_string(l->time()).substr(0, 3));
        return 7;
      }, simulated_duration{2});
    }(l, log));
    co_await aio::sleep(0.5);
    waiter.cancel();
    try {
      co_await waiter;
    } catch (const cancelled_error&) {
      log->push_back("waiter cancelled at " + std::to_string(l->time()).substr(0, 3));
    }
    co_await aio::sleep(5);
  };
  run(loop, body(&loop, &log));
  CHECK(log == std::vector<std::string>{"disk full at 1.0", "waiter cancelled at 1.5", "job ran at 3.0"});
}

TEST_CASE("default executor: a thread pool where the platform has threads, none in WASM") {
  CHECK((detail::default_executor_workers() > 0) == static_cast<bool>(AIO_TEST_HAS_THREADS));
}

TEST_CASE("call_soon_threadsafe: the callback runs on the loop thread before the pass's due timers") {
  event_loop loop;
  std::vector<std::string> log;
  loop.call_later(0, [&] { log.push_back("timer"); });
  loop.call_soon_threadsafe([&] { log.push_back("threadsafe"); });
  CHECK(loop.next_deadline() <= loop.time());
  loop.run_once();
  CHECK(log == std::vector<std::string>{"threadsafe", "timer"});
}

#if AIO_TEST_HAS_THREADS

TEST_CASE("run_in_executor (threads): fn runs on a worker thread while the loop keeps running") {
  event_loop loop(make_real_clock());
  auto body = []() -> coro<int> {
    auto loop_thread = std::this_thread::get_id();
    auto job = run_in_executor([] {
      std::this_thread::sleep_for(std::chrono::milliseconds(60));
      return std::this_thread::get_id();
    });
    int ticks = 0;
    while (!job.done()) {
      co_await aio::sleep(0.005);
      ++ticks;
    }
    auto worker = co_await job;
    CHECK(worker != loop_thread);
    co_return ticks;
  };
  CHECK(run(loop, body()) >= 3);  // the loop was not blocked while the job slept
}

TEST_CASE("run_in_executor (threads): two 50 ms jobs run concurrently, in less than twice one job's time") {
  event_loop loop(make_real_clock());
  auto body = []() -> coro<double> {
    auto job = [] {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      return 1;
    };
    double t0 = now();
    auto a = run_in_executor(job);
    auto b = run_in_executor(job);
    int sum = co_await a;
    sum += co_await b;
    CHECK(sum == 2);
    co_return now() - t0;
  };
  double took = run(loop, body());
  CHECK(took >= 0.05);
  CHECK(took < 0.1);
}

TEST_CASE("run_in_executor (threads): cancelling the awaiting task cancels its future, the job runs to completion") {
  std::atomic<bool> finished{false};
  double cancelled_after = 0;
  {
    event_loop loop(make_real_clock());
    auto body = [](std::atomic<bool>* finished, double* cancelled_after) -> coro<void> {
      auto waiter = create_task([](std::atomic<bool>* finished) -> coro<void> {
        co_await run_in_executor([finished] {
          std::this_thread::sleep_for(std::chrono::milliseconds(150));
          finished->store(true);
        });
      }(finished));
      double t0 = now();
      co_await aio::sleep(0.01);
      waiter.cancel();
      try {
        co_await waiter;
      } catch (const cancelled_error&) {
      }
      *cancelled_after = now() - t0;
      CHECK(waiter.cancelled());
    };
    run(loop, body(&finished, &cancelled_after));
    CHECK(cancelled_after < 0.14);  // the task did not wait for the job
  }  // ~event_loop waits for the job still out (asyncio.run's shutdown_default_executor)
  CHECK(finished.load());
}

TEST_CASE("call_soon_threadsafe (threads): another thread wakes a real-clock loop waiting for it") {
  event_loop loop(make_real_clock());
  std::vector<std::string> log;
  loop.hold_external();  // the loop would otherwise find nothing to wait for
  std::thread other([&loop, &log] {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    loop.call_soon_threadsafe([&loop, &log] {
      log.push_back("from thread");
      loop.release_external();
      loop.stop();
    });
  });
  double t0 = now();
  loop.call_later(10, [&log] { log.push_back("timer"); });  // a long wait that gets cut short
  loop.run_forever();
  other.join();
  CHECK(now() - t0 < 5);
  CHECK(log == std::vector<std::string>{"from thread"});
}

#endif  // AIO_TEST_HAS_THREADS
