// sleep(seconds): suspend the current task on the loop's clock (asyncio.sleep).
// sleep(0) (or any delay <= 0) is a bare yield: exactly one loop pass, no timer.
// sleep(d > 0) is a future completed by a call_later timer; cancelling the task cancels the
// future and the timer, and raises cancelled_error at this await.
#pragma once
#include <chrono>
#include <optional>
#include <string>
#include <type_traits>

#include "aio/future.hpp"
#include "aio/task.hpp"

namespace aio {

namespace detail {
/// The future a sleeping task waits on. Its label ("sleep 1500ms") is built only when an
/// observer asks (describe()), never on the hot path.
class sleep_future final : public future_base {
 public:
  sleep_future(event_loop& loop, double delay) : future_base(loop), delay_(delay) {}
  void* value_slot() noexcept override { return &value_; }
  std::string describe() const override;
  /// futures._set_result_unless_cancelled
  void fire() {
    if (done()) return;
    value_.emplace();
    finish_();
  }

 private:
  double delay_;
  std::optional<unit> value_;
};

/// The call_later timer of sleep(), with the future it completes as a member: a sleep costs one
/// allocation, not two. The loop's heap holds the timer by reference count; the member future
/// is never counted on its own: it holds one reference to itself for its whole life, so a stray
/// ref_ptr taken on it (through a task's waiting_on()) can never `delete` a member.
class sleep_timer final : public timer_handle {
 public:
  sleep_timer(event_loop& loop, double delay) : fut_(loop, delay) { fut_.add_ref(); }
  sleep_future& future() noexcept { return fut_; }

 private:
  void invoke() override { fut_.fire(); }
  sleep_future fut_;
};

class sleep_awaiter {
 public:
  explicit sleep_awaiter(double seconds) noexcept : delay_(seconds) {}
  sleep_awaiter(sleep_awaiter&&) noexcept = default;
  ~sleep_awaiter() {
    if (timer_) timer_->cancel();
  }
  bool await_ready() const noexcept { return false; }
  void await_suspend(coro_handle<> h);
  /// Inline, and with no call that can throw on the way to a normal return (no exception
  /// trampoline in WASM): the timer's cancel is the `finally: h.cancel()` of asyncio.sleep.
  [[gnu::always_inline]] void await_resume() {
    if (!timer_) {  // sleep(0)
      future_awaiter_base::deliver_pending();
      return;
    }
    timer_->cancel();
    ref_ptr<sleep_timer> t = std::move(timer_);
    future_awaiter_base::deliver_pending();
    t->future().check_result();
  }

 private:
  double delay_;
  ref_ptr<sleep_timer> timer_;  // null for sleep(0), which only yields
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
