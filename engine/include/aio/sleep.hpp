// sleep(seconds): suspend the current task on the loop's clock (asyncio.sleep).
// sleep(0) (or any delay <= 0) is a bare yield: exactly one loop pass, no timer.
// sleep(d > 0) is a future completed by a call_later timer; cancelling the task cancels the
// future and the timer, and raises cancelled_error at this await.
#pragma once
#include <chrono>
#include <type_traits>

#include "aio/future.hpp"
#include "aio/task.hpp"

namespace aio {

namespace detail {
class sleep_awaiter {
 public:
  explicit sleep_awaiter(double seconds) noexcept : delay_(seconds) {}
  sleep_awaiter(sleep_awaiter&&) noexcept = default;
  ~sleep_awaiter();
  bool await_ready() const noexcept { return false; }
  void await_suspend(coro_handle<> h);
  /// Inline, and with no call that can throw on the way to a normal return (no exception
  /// trampoline in WASM): the timer's cancel is the `finally: h.cancel()` of asyncio.sleep.
  void await_resume() {
    if (timer_) {
      timer_->cancel();
      timer_ = {};
    }
    future_awaiter_base::deliver_pending();
    if (fut_) fut_->check_result();
  }

 private:
  double delay_;
  ref_ptr<future_base> fut_;
  timer_ref timer_;
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
