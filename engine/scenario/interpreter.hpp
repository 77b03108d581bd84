// Runs a parsed scenario on an aio event loop. Each scenario task call is a coroutine; `spawn`
// and `gather` make real aio tasks, `sleep` is aio::sleep, so the trace is exactly the engine's
// behaviour. The runner is steppable like the loop: the CLI and tests drive it to the end, the
// WASM bindings step it and park between deadlines. Its passes are aio::run_sequence's (run.hpp):
// main, then asyncio.run's cleanup of leftover tasks exactly as CPython 3.11 paces it.
#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <random>
#include <stdexcept>
#include <string>

#include "aio/event_loop.hpp"
#include "aio/task.hpp"
#include "scenario/model.hpp"
#include "scenario/step.hpp"
#include "scenario/trace.hpp"

namespace aio {
class run_sequence;
}

namespace aio::scenario {

/// A mistake in the scenario found while running it (unknown handle, bad expression, ...).
class scenario_error : public std::runtime_error {
 public:
  scenario_error(const std::string& msg, std::string pointer) : std::runtime_error(msg), pointer(std::move(pointer)) {}
  std::string pointer;
  mutable bool reported = false;
};

/// An exception a scenario raises on purpose (the `raise` step), e.g. ValueError: bad input.
class scenario_raise : public std::runtime_error {
 public:
  scenario_raise(std::string type, std::string message)
      : std::runtime_error(type + (message.empty() ? "" : ": " + message)), type(std::move(type)), message(std::move(message)) {}
  std::string type;
  std::string message;
};

/// The Python name of an exception's type: "ValueError", "TimeoutError", "CancelledError", ...
std::string error_type(const std::exception_ptr& e);
/// An exception as a scenario value: {"error": type, "message": text}.
value error_value(const std::exception_ptr& e);
/// Whether an `except` handler for `types` catches `e` (empty: any Exception, like a bare
/// `except Exception:`; CancelledError is caught only when named, or by BaseException).
bool error_matches(const std::exception_ptr& e, const std::vector<std::string>& types);

struct run_options {
  std::string clock;           // "virtual" | "real"; empty: the scenario's own clock:
  double speed = 1.0;          // real clock speed factor
  std::size_t max_events = 200000;  // a runaway scenario stops with an error past this
  http_client* http = nullptr;  // the network for real-URL fetch (http.hpp); null: none
  double watchdog_ms = 5000;        // longest a loop pass may run in wall time (0: no watchdog)
  std::size_t max_tasks = 10000;    // tasks alive at once
};

class run_guard;
class run_clock;

class runner {
 public:
  runner(const scenario& sc, const run_options& opt, trace_sink& sink);
  ~runner();
  runner(const runner&) = delete;
  runner& operator=(const runner&) = delete;

  /// One loop pass. Returns the loop time at which there is more to do (event_loop::never if
  /// nothing is scheduled); finished() tells whether the run is over.
  double step();
  bool finished() const noexcept { return finished_; }
  /// 0: main finished normally; 2: it failed, was cancelled, deadlocked or hit a limit.
  int exit_code() const noexcept { return exit_code_; }
  event_loop& loop() noexcept { return *loop_; }
  bool real_clock() const noexcept { return real_; }
  double speed() const noexcept { return speed_; }
  /// step() and let the clock wait until the end (virtual runs, native real runs).
  int run_to_end();

  // ---- the page's controls (engine/bindings; docs/protocol.md) ----
  /// Pause: the real clock stands still (paused time is not counted against sleeps).
  void pause();
  void resume();
  bool paused() const noexcept { return paused_; }
  /// Change the real clock's speed factor mid-run (0.1x–10x); now() stays continuous.
  void set_speed(double speed);
  /// While paused, move the clock to the next deadline so a step has something to run (the
  /// real clock's epoch jumps; the virtual clock jumps as it always does).
  void skip_to(double t);
  /// Cancel the live task with this id exactly as task.cancel(message) would. False: no such
  /// live task.
  bool cancel_task(std::uint64_t id, const std::string& message);
  /// End the run now (the page's Stop): an `end` event with status "stopped".
  void stop(const std::string& message);
  /// The limits and watchdog of this run.
  run_guard& guard() noexcept { return *guard_; }
  /// If the guard tripped (watchdog, events, tasks, or guard().trip() from outside), end the run
  /// with its diagnostic. Returns finished(). step() calls it after every pass.
  bool check_limits();

 private:
  void check_progress();
  void finish(int code, const std::string& status, const std::string& message = {});
  std::string explain_deadlock() const;

  std::unique_ptr<event_loop> loop_;
  std::unique_ptr<task_tracer> tracer_;
  std::unique_ptr<exec_context> cx_;
  std::unique_ptr<run_guard> guard_;
  run_clock* real_clock_ = nullptr;  // owned by loop_ (real runs only)
  bool paused_ = false;
  trace_sink& sink_;
  task<value> main_;
  std::unique_ptr<run_sequence> seq_;  // asyncio.run's passes: main, then the cleanup
  std::size_t max_events_;
  double speed_ = 1.0;
  bool real_ = false;
  bool cleanup_ = false;
  bool finished_ = false;
  int exit_code_ = 0;
  std::string end_message_;
};

/// Validate and run a scenario document to the end; diagnostics and events go to `sink`.
/// Returns 0 ok, 1 invalid scenario, 2 failed run.
int run_document(const nlohmann::ordered_json& doc, const run_options& opt, trace_sink& sink);

/// Emit the diagnostics of a parse as `diagnostic` events.
void emit_diagnostics(const std::vector<diagnostic>& ds, trace_sink& sink);

}  // namespace aio::scenario
