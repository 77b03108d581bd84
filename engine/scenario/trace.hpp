// Trace events: what a scenario run reports, one JSON object per event (docs/engine-abi.md has
// the fields). The interpreter and the task observer write them to a trace_sink; the WASM
// bindings buffer them as JSONL for JS, the tests keep them in a vector.
#pragma once
#include <string>
#include <vector>

#include "aio/observer.hpp"
#include "scenario/expr.hpp"

namespace aio {
class event_loop;
}

namespace aio::scenario {

class trace_sink {
 public:
  virtual ~trace_sink() = default;
  virtual void emit(const value& event) = 0;
  /// Called before the loop waits for time to pass (real clock): hand buffered events over.
  virtual void flush() {}
  std::size_t count() const noexcept { return count_; }

 protected:
  std::size_t count_ = 0;
};

/// Keeps every event (tests, the native runner).
class vector_sink final : public trace_sink {
 public:
  void emit(const value& e) override {
    ++count_;
    events.push_back(e);
  }
  std::vector<value> events;
};

/// Turns the engine's task observer hooks into `task` trace events.
class task_tracer final : public aio::observer {
 public:
  task_tracer(event_loop& loop, trace_sink& sink) : loop_(loop), sink_(sink) {}
  void on_task_created(task_base& t, task_base* parent) override;
  void on_task_started(task_base& t) override;
  void on_task_suspended(task_base& t, const future_base* on) override;
  void on_task_resumed(task_base& t) override;
  void on_task_done(task_base& t) override;
  void on_task_failed(task_base& t, const std::exception_ptr& e) override;
  void on_task_cancelled(task_base& t, const std::string& msg) override;
  void on_cancel_requested(task_base& t, task_base* by, const std::string& msg) override;

 private:
  value base(task_base& t, const char* state) const;
  event_loop& loop_;
  trace_sink& sink_;
};

/// Milliseconds on the loop's clock, as trace events carry them.
double trace_time(const event_loop& loop);
/// The text of an exception for a trace ("RuntimeError: boom", "CancelledError: msg").
std::string describe_error(const std::exception_ptr& e);

}  // namespace aio::scenario
