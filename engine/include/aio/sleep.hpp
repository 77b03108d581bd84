// sleep(seconds): suspend the current task on the loop's clock (asyncio.sleep).
// sleep(0) (or any delay <= 0) is a bare yield: exactly one loop pass, no timer.
// sleep(d > 0) behaves as asyncio's: a future completed by a call_later timer, the task waking
// one pass after the timer fires; cancelling the task cancels both and raises cancelled_error
// at this await. Neither is allocated: the task's own entry in the timer heap stands for them.
#pragma once
#include <chrono>
#include <utility>
#include <type_traits>

#include "aio/future.hpp"
#include "aio/task.hpp"

namespace aio {

namespace detail {
/// co_await sleep(d). For d > 0 the task's own timer-heap entry is the timer (task_base::
/// sleep_at): nothing is allocated, and the awaiter holds only the task it put to sleep.
class sleep_awaiter {
 public:
  explicit sleep_awaiter(double seconds) noexcept : delay_(seconds) {}
  sleep_awaiter(sleep_awaiter&& o) noexcept : delay_(o.delay_), task_(std::exchange(o.task_, nullptr)) {}
  /// A frame destroyed while its task sleeps (loop teardown) drops the timer entry.
  ~sleep_awaiter() {
    if (task_) task_->end_sleep();
  }
  bool await_ready() const noexcept { return false; }
  void await_suspend(coro_handle<> h);
  /// Inline, and with no call that can throw on the way to a normal return (no exception
  /// trampoline in WASM): end_sleep() is the `finally: h.cancel()` of asyncio.sleep; a
  /// cancellation arrives as the task's pending cancelled_error.
  [[gnu::always_inline]] void await_resume() {
    if (task_) {
      task_->end_sleep();
      task_ = nullptr;
    }
    future_awaiter_base::deliver_pending();
  }

 private:
  double delay_;
  task_base* task_ = nullptr;  // the sleeping task (delay > 0), until resumed
};
}  // namespace detail

/// co_await aio::sleep(1.5);  — seconds on the running loop's clock.
template <class N>
  requires std::is_arithmetic_v<N>
detail::sleep_awaiter sleep(N seconds) noexcept {
  return detail::sleep_awaiter(static_cast<double>(seconds));
}
template <class Rep, class Period>
detail::sleep_awaiter sleep(std::chrono::duration<Rep, Period> d) noexcept {
  return detail::sleep_awaiter(std::chrono::duration<double>(d).count());
}

}  // namespace aio
