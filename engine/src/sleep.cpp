#include "aio/sleep.hpp"

#include <cmath>
#include <cstdio>

namespace aio::detail {

namespace {
std::string sleep_label(double d);

/// The future a sleeping task waits on. Its label ("sleep 1500ms") is built only when an
/// observer asks (describe()), never on the hot path.
class sleep_future final : public future_base {
 public:
  sleep_future(event_loop& loop, double delay) : future_base(loop), delay_(delay) {}
  void* value_slot() noexcept override { return &value_; }
  std::string describe() const override { return sleep_label(delay_); }
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

/// The call_later callback of sleep().
class sleep_timer final : public timer_handle {
 public:
  explicit sleep_timer(ref_ptr<sleep_future> f) : f_(std::move(f)) {}

 private:
  void invoke() override { f_->fire(); }
  ref_ptr<sleep_future> f_;
};

std::string sleep_label(double d) {
  char buf[48];
  double ms = d * 1000.0;
  if (std::fabs(ms - std::round(ms)) < 1e-9)
    std::snprintf(buf, sizeof buf, "sleep %.0fms", ms);
  else
    std::snprintf(buf, sizeof buf, "sleep %gms", ms);
  return buf;
}
}  // namespace

sleep_awaiter::~sleep_awaiter() {
  if (timer_) timer_->cancel();
}

void sleep_awaiter::await_suspend(coro_handle<> h) {
  task_base* t = current_task();
  if (!t) throw std::runtime_error("sleep() must be awaited inside a task");
  if (delay_ <= 0) {
    t->yield_at(h);  // asyncio's __sleep0: a bare yield, one loop pass
    return;
  }
  event_loop& loop = t->loop();
  ref_ptr<sleep_future> f(new sleep_future(loop, delay_));
  fut_ = f;
  timer_ = timer_ref(new sleep_timer(std::move(f)));
  loop.schedule(timer_, loop.time() + delay_);
  t->suspend_on(h, *fut_);
}

}  // namespace aio::detail
