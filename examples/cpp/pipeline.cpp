// A producer, two workers and a queue; a timeout around a slow job; a cancellation with
// cleanup. Prints the trace asyncio would print for the same program (see pipeline.py).
// Build: the `examples` target of the dev or wasm preset; ctest runs it and checks the output.
#include <cstdio>
#include <string>

#include "aio/aio.hpp"

namespace {

aio::coro<void> process(int job) { co_await aio::sleep(job == 3 ? 5.0 : 1.0 * job); }

void say(const std::string& who, const std::string& what) {
  std::printf("[%6.0fms] %-9s %s\n", aio::event_loop::running().time() * 1000, who.c_str(), what.c_str());
}

aio::coro<void> worker(std::string name, aio::queue<int>& jobs) {
  try {
    for (;;) {
      int job = co_await jobs.get();
      say(name, "job " + std::to_string(job) + " started");
      try {
        // Job 3 is slow: give up on it after 1.5 s.
        co_await aio::wait_for(process(job), 1.5);
        say(name, "job " + std::to_string(job) + " done");
      } catch (const aio::timeout_error&) {
        say(name, "job " + std::to_string(job) + " timed out");
      }
      jobs.task_done();
    }
  } catch (const aio::cancelled_error&) {
    say(name, "cancelled, cleaning up");
    throw;  // stay cancelled, as asyncio expects
  }
}

aio::coro<void> main_task() {
  aio::queue<int> jobs(2);  // bounded: the producer waits when two jobs are queued
  auto a = aio::create_task(worker("worker-a", jobs), "worker-a");
  auto b = aio::create_task(worker("worker-b", jobs), "worker-b");
  for (int job = 1; job <= 4; ++job) {
    co_await jobs.put(job);
    say("main", "queued job " + std::to_string(job));
  }
  co_await jobs.join();
  say("main", "all jobs handled");
  a.cancel();
  b.cancel();
  std::vector<aio::task<void>> workers{a, b};
  auto r = co_await aio::gather(aio::return_exceptions, workers);
  say("main", "workers stopped: " + std::to_string(r.size()));
}

}  // namespace

int main() {
  // The virtual clock makes the run instant and deterministic; aio::run(main_task()) alone
  // would use the real clock and take 3.5 s.
  aio::run(main_task(), aio::make_virtual_clock());
}
