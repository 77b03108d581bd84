// The runner's controls and limits (interpreter.hpp): pause/resume/speed/skip for the page's
// toolbar, cancel a task by id, stop, and ending a run whose guard tripped (watchdog.hpp).
// Kept apart from interpreter.cpp, which owns the run's normal course and its end.
#include "aio/task.hpp"
#include "scenario/interpreter.hpp"
#include "scenario/run_clock.hpp"
#include "scenario/watchdog.hpp"

namespace aio::scenario {

void runner::pause() {
  paused_ = true;
  if (real_clock_) real_clock_->pause();
}

void runner::resume() {
  paused_ = false;
  if (real_clock_) real_clock_->resume();
}

void runner::set_speed(double speed) {
  if (!real_clock_) return;
  real_clock_->set_speed(speed);
  speed_ = real_clock_->speed();
  guard_->set_speed(speed_);
}

void runner::skip_to(double t) {
  if (real_clock_) real_clock_->skip_to(t);
  else loop_->clock().wait_until(t);
}

bool runner::cancel_task(std::uint64_t id, const std::string& message) {
  if (finished_) return false;
  for (auto* t : loop_->all_tasks()) {
    if (t->id() == id) {
      t->cancel(message);
      return true;
    }
  }
  return false;
}

void runner::stop(const std::string& message) {
  if (finished_) return;
  finish(2, "stopped", message);
}

bool runner::check_limits() {
  if (finished_ || !guard_->tripped()) return finished_;
  value d{{"type", "diagnostic"}, {"t", trace_time(*loop_)}, {"severity", "error"}, {"message", guard_->message()}, {"pointer", guard_->pointer()}};
  if (!guard_->task().empty()) d["task"] = guard_->task();
  sink_.emit(d);
  finish(2, "failed", "stopped by a limit");
  return true;
}

}  // namespace aio::scenario
