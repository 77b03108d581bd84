#include "scenario/trace.hpp"

#include <cmath>
#include <new>

#include "aio/generator.hpp"
#include "aio/task.hpp"
#include "scenario/interpreter.hpp"

namespace aio::scenario {

double trace_time(const event_loop& loop) {
  double ms = loop.time() * 1000.0;
  double r = std::round(ms * 1000.0) / 1000.0;  // microsecond precision, no float noise
  return r == 0 ? 0.0 : r;
}

std::string describe_error(const std::exception_ptr& e) {
  if (!e) return {};
  try {
    std::rethrow_exception(e);
  } catch (const cancelled_error& c) {
    return c.message().empty() ? "CancelledError" : "CancelledError: " + c.message();
  } catch (const generator_exit&) {
    return "GeneratorExit";
  } catch (const std::bad_alloc&) {
    return "MemoryError: out of memory (a run may use at most 512 MB)";
  } catch (const scenario_raise& r) {
    return r.type + (r.message.empty() ? "" : ": " + r.message);
  } catch (const scenario_error& s) {
    return std::string("ScenarioError: ") + s.what();
  } catch (const timeout_error&) {
    return "TimeoutError";
  } catch (const std::exception& x) {
    return x.what();
  } catch (...) {
    return "unknown error";
  }
}

value task_tracer::base(task_base& t, const char* state) const {
  return value{{"type", "task"}, {"t", trace_time(loop_)}, {"task", t.name()}, {"id", t.id()}, {"state", state}};
}

void task_tracer::on_task_created(task_base& t, task_base* parent) {
  auto e = base(t, "created");
  e["by"] = parent ? value(parent->name()) : value(nullptr);
  sink_.emit(e);
}
void task_tracer::on_task_started(task_base& t) { sink_.emit(base(t, "started")); }
// t.waiting_for() describes what it waits on: the future (`on`), a sleep, or nothing for a yield.
void task_tracer::on_task_suspended(task_base& t, const future_base* /*on*/) {
  auto e = base(t, "suspended");
  std::string w = t.waiting_for();
  e["on"] = w.empty() ? std::string("sleep 0 (yield)") : std::move(w);
  sink_.emit(e);
}
void task_tracer::on_task_resumed(task_base& t) { sink_.emit(base(t, "resumed")); }
void task_tracer::on_task_done(task_base& t) {
  auto e = base(t, "done");
  // Every scenario task is a task<value>.
  if (auto* v = aio::detail::held_value<value>(t); v && !v->is_null()) e["result"] = *v;
  sink_.emit(e);
}
void task_tracer::on_task_failed(task_base& t, const std::exception_ptr& x) {
  auto e = base(t, "failed");
  e["error"] = describe_error(x);
  sink_.emit(e);
  // A mistake in the scenario (not an exception it raised on purpose) is also a diagnostic,
  // once, where it happened: the editor marks that line.
  try {
    std::rethrow_exception(x);
  } catch (const scenario_error& s) {
    if (!s.reported) {
      s.reported = true;
      sink_.emit(value{{"type", "diagnostic"}, {"t", trace_time(loop_)}, {"severity", "error"}, {"task", t.name()}, {"message", s.what()}, {"pointer", s.pointer}});
    }
  } catch (...) {
  }
}
void task_tracer::on_task_cancelled(task_base& t, const std::string& msg) {
  auto e = base(t, "cancelled");
  if (!msg.empty()) e["message"] = msg;
  sink_.emit(e);
}
void task_tracer::on_cancel_requested(task_base& t, task_base* by, const std::string& msg) {
  auto e = base(t, "cancelling");
  e["by"] = by ? value(by->name()) : value(nullptr);
  if (!msg.empty()) e["message"] = msg;
  sink_.emit(e);
}

}  // namespace aio::scenario
