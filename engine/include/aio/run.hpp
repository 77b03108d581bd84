// run(main): asyncio.run for C++. Makes a loop (real clock unless one is given), runs `main` as a
// task to completion, then cancels any tasks still pending and lets them finish their cleanup,
// and returns main's result (or rethrows its exception).
//
// run_sequence is the same thing one loop pass at a time (the scenario runner and the WASM driver
// step it and park between deadlines). It follows CPython 3.11's asyncio.Runner pass for pass,
// because what leftover tasks print at the end depends on how many passes they get:
//   1. run_until_complete(main): main's task completes in pass N; the done callback that stops
//      the loop runs in pass N+1, which runs in full (every callback ready at its start).
//   2. _cancel_all_tasks: snapshot the pending tasks (creation order: see below), cancel() each,
//      run_until_complete(gather(*them, return_exceptions=True)): the gather completes one pass
//      after the last of them finished (its child callbacks are call_soon'ed) and the loop stops
//      one pass after that. Those that ended with an exception are reported.
//   3. run_until_complete(shutdown_asyncgens()) and 4. run_until_complete(shutdown_default_
//      executor()): each a task that returns at once (no async generator or executor to shut
//      down here), so 2 passes each, in which other ready callbacks run too.
//   5. loop.close(): tasks still pending (spawned during the cleanup) are never run again.
// CPython's all_tasks() is a set, so the order in which step 2 cancels is unspecified there; the
// engine cancels in creation order (the differential check pins CPython down the same way).
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "aio/clock.hpp"
#include "aio/coro.hpp"
#include "aio/event_loop.hpp"
#include "aio/task.hpp"

namespace aio {

/// asyncio.Runner.run(main) followed by Runner.close(), steppable.
class run_sequence {
 public:
  enum class phase { main, cancel_all, shutdown_asyncgens, shutdown_executor, closed };

  /// `main` is a task already created on `loop` (its first step queued).
  run_sequence(event_loop& loop, task_base& main);
  run_sequence(const run_sequence&) = delete;
  run_sequence& operator=(const run_sequence&) = delete;

  /// One loop pass, then what asyncio does when the current run_until_complete stops. Returns
  /// when the loop next has work (event_loop::never once closed, or when stuck()).
  double step();
  phase current() const noexcept { return phase_; }
  bool closed() const noexcept { return phase_ == phase::closed; }
  /// Nothing ready, no timer, no outside work, and the awaited future is not done: a real loop
  /// would wait forever (in phase main: a deadlock; in cancel_all: a task that will not end).
  bool stuck() const noexcept;
  /// Give up on the future awaited now (the caller saw stuck()) and go on with the next phase:
  /// from main, cancel everything pending (main too); later phases end the sequence.
  void abandon();
  /// Loops passes so far (for tests that count them).
  std::size_t passes() const noexcept { return passes_; }
  task_base& main() const noexcept { return *main_; }

  /// step() and let the clock wait, to the end. Throws deadlock_error, after cleaning up, if
  /// main can never complete.
  void run_to_end();

  struct stop_flag;  // (internal) set by the callback that stops the current run_until_complete

 private:
  void on_stopped();
  void await_future(future_base& f);
  void start_cancel_all();
  void start_shutdown_step();

  event_loop& loop_;
  detail::ref_ptr<task_base> main_;
  std::vector<detail::ref_ptr<task_base>> cancelled_;
  std::shared_ptr<stop_flag> stop_;
  phase phase_ = phase::main;
  std::size_t passes_ = 0;
  // run_to_end's deadlock report: a member, not a local, so the loop there keeps no local with
  // a destructor alive (in WASM with JS exceptions that would route every step() through a
  // JS trampoline).
  std::string deadlock_;
};

/// Cancel every pending task on `loop` and run until they are all done (asyncio.run's epilogue,
/// _cancel_all_tasks, pass for pass).
void cancel_all_tasks(event_loop& loop);

template <class T>
T run(event_loop& loop, coro<T> main) {
  auto t = create_task(loop, std::move(main), "main");
  run_sequence seq(loop, *t.base());
  seq.run_to_end();
  if constexpr (std::is_void_v<T>)
    t.result();
  else
    return t.result();
}

template <class T>
T run(coro<T> main, std::unique_ptr<clock> clk = make_real_clock()) {
  event_loop loop(std::move(clk));
  return run(loop, std::move(main));
}

}  // namespace aio
