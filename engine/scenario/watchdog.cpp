#include "scenario/watchdog.hpp"

#include <cmath>
#include <cstdio>

#include "aio/detail/platform.hpp"
#include "aio/event_loop.hpp"
#include "aio/task.hpp"
#include "scenario/trace.hpp"

namespace aio::scenario {

namespace {
std::string seconds_text(double ms) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f s", ms / 1000.0);
  return buf;
}
}  // namespace

run_guard::run_guard(const run_limits& limits, event_loop& loop, trace_sink& sink)
    : limits_(limits), loop_(loop), sink_(sink), pass_start_(detail::platform::monotonic_seconds()) {}

void run_guard::begin_pass() noexcept { pass_start_ = last_flush_ = detail::platform::monotonic_seconds(); }

double run_guard::pass_ms() const noexcept { return (detail::platform::monotonic_seconds() - pass_start_) * 1000.0; }

void run_guard::check(const std::string& pointer) {
  double now = detail::platform::monotonic_seconds();
  // A long pass hands its events over every 100 ms, so the page sees them live (and, if the
  // worker ends up stuck, knows the last task that ran).
  if (now - last_flush_ >= 0.1) {
    last_flush_ = now;
    sink_.flush();
  }
  if (limits_.watchdog_ms > 0 && (now - pass_start_) * 1000.0 > limits_.watchdog_ms)
    fail("watchdog: ran for more than " + seconds_text(limits_.watchdog_ms) +
             " without yielding to the event loop, so nothing else could run. A loop needs an await "
             "(e.g. sleep: 0) to let other tasks go on",
         pointer);
  if (sink_.count() > limits_.max_events)
    fail("the run was stopped after " + std::to_string(limits_.max_events) + " trace events: does a loop run forever?", pointer);
}

void run_guard::on_spawn(const std::string& pointer) {
  if (tripped_) throw limit_exceeded(message_);
  // Counting live tasks walks the loop's task list: do it every 64 spawns (and once there are
  // enough that the limit could be near), so spawning stays O(1) amortised.
  if (++spawns_ % 64 != 0 || spawns_ < limits_.max_tasks / 2) return;
  std::size_t live = loop_.all_tasks().size();
  if (live >= limits_.max_tasks)
    fail("too many tasks: " + std::to_string(live) + " are alive and the limit is " + std::to_string(limits_.max_tasks) +
             " (does a loop spawn tasks that never finish?)",
         pointer);
}

void run_guard::on_block(double seconds, const std::string& pointer) {
  double wall_ms = seconds / speed_ * 1000.0;
  if (limits_.watchdog_ms > 0 && wall_ms > limits_.watchdog_ms)
    fail("watchdog: this block: would freeze the event loop for " + seconds_text(wall_ms) + " of wall time, longer than the " +
             seconds_text(limits_.watchdog_ms) + " limit; the run was stopped instead",
         pointer);
  tick(pointer);
}

void run_guard::trip(const std::string& what, const std::string& pointer) {
  if (tripped_) return;
  tripped_ = true;
  auto* t = loop_.current_task();
  task_ = t ? t->name() : std::string();
  pointer_ = pointer;
  message_ = task_.empty() ? what : "task " + task_ + ": " + what;
}

void run_guard::fail(const std::string& what, const std::string& pointer) {
  trip(what, pointer);
  throw limit_exceeded(message_);
}

}  // namespace aio::scenario
