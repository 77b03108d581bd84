// run_in_executor / to_thread: run blocking work away from the loop and await its result
// (asyncio's loop.run_in_executor(None, fn, *args) and asyncio.to_thread). The returned future
// is completed on the loop thread, in a later pass, with fn's value or exception.
// Cancelling the future (or a task awaiting it) abandons the result; the job itself runs to
// completion, as in asyncio. (asyncio also drops a job still queued for a worker; here the pool
// starts a worker for every job beyond the idle ones, up to its maximum, so jobs rarely queue.)
//
// Native vs WASM (docs/design.md, "Executor offload: native vs WASM"):
// - run_in_executor(fn, args...) natively runs fn on a shared pool of std::thread workers
//   (asyncio's default ThreadPoolExecutor: min(32, cores + 4) workers, started on demand), so the
//   loop goes on meanwhile. WASM has no threads: fn runs on the loop thread, in a later pass, and
//   blocks the loop while it runs. The result arrives asynchronously either way.
// - run_in_executor(fn, simulated_duration{d}), on both platforms, simulates a job that takes d
//   seconds of loop time without blocking the loop: fn runs synchronously on the loop thread once
//   d seconds have passed on the loop's clock (deterministic under the virtual clock; the
//   playground uses it in both builds so runs trace the same). Every simulated job starts at
//   once (unlimited workers), so cancelling its future never stops fn from running.
#pragma once
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <type_traits>
#include <utility>

#include "aio/event_loop.hpp"
#include "aio/future.hpp"

namespace aio {

/// How long a simulated executor job takes, in seconds of loop time.
struct simulated_duration {
  double seconds;
};

namespace detail {

/// One run_in_executor call. execute() runs on a worker thread (natively) or on the loop thread;
/// everything else, including construction and destruction, happens on the loop thread: the
/// worker never touches the future, whose reference count is single-threaded.
class executor_job {
 public:
  executor_job(event_loop& loop, ref_ptr<future_base> f) noexcept : loop_(&loop), fut_(std::move(f)) {}
  virtual ~executor_job() = default;

  /// Worker side: call fn and keep its outcome (never throws).
  void execute() noexcept { run(); }
  /// Loop side: hand the outcome to the future, unless it was cancelled meanwhile
  /// (futures._copy_future_state).
  virtual void deliver() = 0;

  event_loop& loop() const noexcept { return *loop_; }
  future_base& fut() const noexcept { return *fut_; }

  /// Loop callbacks for a finished job (deliver, then delete) and for one dropped unrun.
  static void complete_cb(void* job);
  static void drop_cb(void* job);

 protected:
  virtual void run() noexcept = 0;
  event_loop* loop_;
  ref_ptr<future_base> fut_;
  std::exception_ptr exc_;
};

template <class R, class Fn>
class executor_job_of final : public executor_job {
 public:
  executor_job_of(event_loop& loop, ref_ptr<future_base> f, Fn fn) : executor_job(loop, std::move(f)), fn_(std::move(fn)) {}
  void deliver() override {
    if (fut_->done()) return;
    if (exc_)
      fut_->set_exception(exc_);
    else if constexpr (std::is_void_v<R>)
      static_cast<future_state<void>&>(*fut_).set();
    else
      static_cast<future_state<R>&>(*fut_).set(std::move(*value_));
  }

 private:
  void run() noexcept override {
    try {
      if constexpr (std::is_void_v<R>)
        fn_();
      else
        value_.emplace(fn_());
    } catch (...) {
      exc_ = std::current_exception();
    }
  }
  Fn fn_;
  std::optional<storage_t<R>> value_;
};

/// The platform's default executor (engine/src/platform/*/executor.cpp): natively the thread
/// pool, in WASM a simulated job of zero duration. Takes ownership of the job.
void submit_default(std::unique_ptr<executor_job> job);
/// The simulated executor (portable): the job runs and completes `seconds` of loop time later.
void submit_simulated(std::unique_ptr<executor_job> job, double seconds);
/// Workers the default executor may start: 0 when the platform has no threads.
unsigned default_executor_workers() noexcept;

template <class F, class... A>
using executor_result_t = std::remove_cvref_t<std::invoke_result_t<std::decay_t<F>, std::decay_t<A>...>>;

template <class R, class Fn>
std::unique_ptr<executor_job> make_job(future<R>& f, Fn fn, const char* label) {
  auto& loop = event_loop::running();
  f = future<R>(loop);
  f.base()->set_label(label);
  return std::make_unique<executor_job_of<R, Fn>>(loop, f.state(), std::move(fn));
}

}  // namespace detail

/// co_await run_in_executor(fn, args...): fn(args...) on the default executor (see above).
/// fn and args are decay-copied into the job, as std::thread does.
template <class F, class... A>
future<detail::executor_result_t<F, A...>> run_in_executor(F&& fn, A&&... args) {
  using R = detail::executor_result_t<F, A...>;
  future<R> f;
  auto call = [fn = std::forward<F>(fn), ... args = std::forward<A>(args)]() mutable -> decltype(auto) {
    return std::invoke(std::move(fn), std::move(args)...);
  };
  detail::submit_default(detail::make_job(f, std::move(call), "run_in_executor"));
  return f;
}

/// co_await run_in_executor(fn, simulated_duration{d}): a job that takes d seconds of loop time
/// and then runs fn() on the loop thread (both platforms; see above).
template <class F>
future<detail::executor_result_t<F>> run_in_executor(F&& fn, simulated_duration d) {
  using R = detail::executor_result_t<F>;
  future<R> f;
  detail::submit_simulated(detail::make_job(f, std::decay_t<F>(std::forward<F>(fn)), "run_in_executor (simulated)"), d.seconds);
  return f;
}

/// asyncio.to_thread(fn, *args): run_in_executor on the default executor.
template <class F, class... A>
future<detail::executor_result_t<F, A...>> to_thread(F&& fn, A&&... args) {
  return run_in_executor(std::forward<F>(fn), std::forward<A>(args)...);
}

}  // namespace aio
