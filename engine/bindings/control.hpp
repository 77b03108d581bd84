// The page's controls over a running scenario (docs/protocol.md, docs/engine-abi.md): the worker
// pushes commands onto `Module.aioControl` and wakes the parked loop; aio_run's loop drains them
// between passes. While paused nothing runs and the real clock stands still; `step` runs one
// loop iteration, `step_event` iterations until the next trace event, each then pausing again.
#pragma once
#include <cstddef>

#include "scenario/interpreter.hpp"

namespace aio::bindings {

/// Command codes in `Module.aioControl` entries `{op, arg}` (docs/engine-abi.md).
enum class control_op : int { none = 0, pause = 1, resume = 2, step = 3, step_event = 4, stop = 5, cancel = 6, speed = 7 };

class controller {
 public:
  controller(scenario::runner& r, scenario::trace_sink& sink) : r_(r), sink_(sink) {}

  /// Apply every queued command.
  void drain();
  /// Apply one command (also used by tests and drain()).
  void apply(control_op op, double arg);
  void pause();
  /// What to do before the next pass: < 0 step now; +infinity park until woken; otherwise park
  /// that many wall milliseconds. May jump a virtual (or, when stepping, a paused) clock forward.
  double plan();
  /// One runner pass; out-of-memory and other escapes end the run with a diagnostic.
  void step();
  bool stepping() const noexcept { return steps_ > 0 || to_event_; }

 private:
  void emit_state();
  scenario::runner& r_;
  scenario::trace_sink& sink_;
  long steps_ = 0;
  double last_flush_ms_ = 0;
  double last_park_ms_ = 0;  // wall ms when the loop last parked (or is due to wake)
  static constexpr double kYieldEveryMs = 50;
  bool to_event_ = false;
};

}  // namespace aio::bindings
