// Run limits: the watchdog (a callback that runs too long in wall time without yielding to the
// loop), the trace-event limit and the live-task limit. Steps call tick() cheaply; every
// kCheckEvery ticks it reads the platform clock. When a limit is exceeded the guard trips: it
// records a diagnostic naming the task and the step, and throws limit_exceeded, which no
// scenario `except` catches (it is a scenario_error). Once tripped, every later tick throws at
// once, so `finally` blocks and the rest of the pass unwind quickly; the runner then ends the run
// (runner::check_limits) with the diagnostic. See docs/protocol.md ("Limits").
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>

#include "scenario/interpreter.hpp"

namespace aio::scenario {

/// Thrown by run_guard when a limit is exceeded. A scenario_error (so no `except` catches it),
/// already reported: the runner emits one diagnostic for the run, the tracer none.
class limit_exceeded : public scenario_error {
 public:
  explicit limit_exceeded(const std::string& msg) : scenario_error(msg, "") { reported = true; }
};

struct run_limits {
  double watchdog_ms = 5000;         // longest a loop pass may run in wall time
  std::size_t max_events = 200000;   // trace events per run
  std::size_t max_tasks = 10000;     // tasks alive at once
};

class run_guard {
 public:
  static constexpr unsigned kCheckEvery = 64;

  run_guard(const run_limits& limits, event_loop& loop, trace_sink& sink);

  /// A loop pass begins: the watchdog measures from here.
  void begin_pass() noexcept;
  /// Called by every step and expression evaluation; throws limit_exceeded when over a limit.
  void tick(const std::string& pointer) {
    if (tripped_) throw limit_exceeded(message_);
    if (++ticks_ % kCheckEvery == 0) check(pointer);
  }
  /// A new task is about to be created (exec_context::start).
  void on_spawn(const std::string& pointer);
  /// A `block:` of `seconds` loop-clock time is about to freeze a real-clock loop: refused when
  /// it would outlast the watchdog at the clock's speed (set_speed).
  void on_block(double seconds, const std::string& pointer);
  void set_speed(double speed) noexcept { speed_ = speed > 0 ? speed : 1.0; }
  /// Trip from outside a step (the runner's own checks); does not throw.
  void trip(const std::string& what, const std::string& pointer);

  bool tripped() const noexcept { return tripped_; }
  const std::string& message() const noexcept { return message_; }
  const std::string& pointer() const noexcept { return pointer_; }
  const std::string& task() const noexcept { return task_; }
  const run_limits& limits() const noexcept { return limits_; }
  /// Wall milliseconds since begin_pass().
  double pass_ms() const noexcept;

 private:
  void check(const std::string& pointer);
  [[noreturn]] void fail(const std::string& what, const std::string& pointer);

  run_limits limits_;
  event_loop& loop_;
  trace_sink& sink_;
  double pass_start_ = 0;  // platform seconds
  double last_flush_ = 0;
  double speed_ = 1.0;
  std::uint64_t ticks_ = 0;
  std::uint64_t spawns_ = 0;
  bool tripped_ = false;
  std::string message_, pointer_, task_;
};

}  // namespace aio::scenario
