#include "control.hpp"

#include <emscripten.h>

#include <cmath>
#include <new>

#include "scenario/trace.hpp"
#include "scenario/watchdog.hpp"

namespace aio::bindings {

namespace {
// The next queued command from JS (0: none); its argument goes to *arg.
EM_JS(int, aio_host_next_control, (double* arg), {
  const q = Module.aioControl;
  if (!q || q.length === 0) return 0;
  const c = q.shift();
  HEAPF64[arg >> 3] = typeof c.arg === 'number' ? c.arg : 0;
  return c.op | 0;
});
}  // namespace

void controller::drain() {
  double arg = 0;
  for (int op; (op = aio_host_next_control(&arg)) != 0;) apply(static_cast<control_op>(op), arg);
}

void controller::pause() {
  if (r_.paused()) return;
  r_.pause();
  emit_state();
}

void controller::apply(control_op op, double arg) {
  if (r_.finished()) return;
  switch (op) {
    case control_op::pause:
      steps_ = 0;
      to_event_ = false;
      pause();
      return;
    case control_op::resume:
      steps_ = 0;
      to_event_ = false;
      if (r_.paused()) {
        r_.resume();
        emit_state();
      }
      return;
    case control_op::step:
      if (r_.paused()) ++steps_;
      return;
    case control_op::step_event:
      if (r_.paused()) to_event_ = true;
      return;
    case control_op::stop:
      r_.stop("stopped from the page");
      return;
    case control_op::cancel: {
      auto id = static_cast<std::uint64_t>(arg);
      if (!r_.cancel_task(id, "cancelled from the page"))
        sink_.emit(scenario::value{{"type", "diagnostic"}, {"t", scenario::trace_time(r_.loop())}, {"severity", "warning"}, {"pointer", ""},
                                   {"message", "cancel from the page: task " + std::to_string(id) + " is no longer running"}});
      return;
    }
    case control_op::speed:
      if (r_.real_clock()) {
        r_.set_speed(arg);
        emit_state();
      }
      return;
    case control_op::none:
      return;
  }
}

double controller::plan() {
  if (r_.paused() && !stepping()) return INFINITY;
  // A loop that has not parked for 50 ms (a long virtual run, a real run that always has
  // something ready) yields once, so controls and heartbeats get through.
  double wall = emscripten_get_now();
  if (wall - last_park_ms_ >= kYieldEveryMs) {
    last_park_ms_ = wall;
    return 0;
  }
  // next_deadline() is time() itself when something is ready: read it first, so a real clock
  // that moved on in between does not turn "ready now" into a wait.
  double next = r_.loop().next_deadline();
  double now = r_.loop().time();
  if (next <= now) return -1;
  // Nothing scheduled: wait for outside work (a fetch) if some is out; otherwise the runner's
  // pass finds the deadlock or the end.
  if (next == event_loop::never) return r_.loop().has_external() ? (last_park_ms_ = wall, INFINITY) : -1;
  if (stepping()) {
    r_.skip_to(next);  // a step does not wait: the (paused) clock jumps to the next deadline
    return -1;
  }
  if (r_.real_clock()) {
    last_park_ms_ = wall + (next - now) / r_.speed() * 1000.0;
    return (next - now) / r_.speed() * 1000.0;
  }
  // A real fetch in flight takes no virtual time: wait for its answer before jumping (http.hpp).
  if (r_.loop().has_external()) return INFINITY;
  r_.loop().clock().wait_until(next);  // virtual: jump
  return -1;
}

void controller::step() {
  // Hand the events over at least every frame even when the loop never parks (a long virtual
  // run), so the page shows them as they come.
  double now = emscripten_get_now();
  if (now - last_flush_ms_ >= 16) {
    last_flush_ms_ = now;
    sink_.flush();
  }
  std::size_t before = sink_.count();
  try {
    r_.step();
  } catch (const std::bad_alloc&) {
    r_.guard().trip("out of memory: the run needed more memory than the engine may use (512 MB)", "");
    r_.check_limits();
  } catch (const std::exception& e) {
    r_.guard().trip(std::string("internal error: ") + e.what(), "");
    r_.check_limits();
  }
  if (r_.finished()) return;
  if (steps_ > 0) {
    if (--steps_ == 0 && !to_event_) emit_state();
  } else if (to_event_ && sink_.count() > before) {
    to_event_ = false;
    emit_state();
  }
}

void controller::emit_state() {
  sink_.emit(scenario::value{{"type", "control"},
                             {"t", scenario::trace_time(r_.loop())},
                             {"state", r_.paused() ? "paused" : "running"},
                             {"speed", r_.speed()}});
}

}  // namespace aio::bindings
