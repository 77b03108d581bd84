#include "aio/sleep.hpp"

#include <cmath>
#include <cstdio>

namespace aio::detail {

namespace {
/// The call_later callback of sleep(): futures._set_result_unless_cancelled.
class sleep_timer final : public timer_handle {
 public:
  explicit sleep_timer(ref_ptr<future_base> f) : f_(std::move(f)) {}

 private:
  void invoke() override {
    if (!f_->done()) static_cast<future_state<void>&>(*f_).set();
  }
  ref_ptr<future_base> f_;
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
  fut_ = ref_ptr<future_base>(new future_state<void>(loop));
  fut_->set_label(sleep_label(delay_));
  timer_ = timer_ref(new sleep_timer(fut_));
  loop.schedule(timer_, loop.time() + delay_);
  t->suspend_on(h, *fut_);
}

void sleep_awaiter::await_resume() {
  if (timer_) {
    timer_->cancel();  // the `finally: h.cancel()` of asyncio.sleep
    timer_ = {};
  }
  future_awaiter_base::deliver_pending();
  if (fut_) fut_->check_result();
}

}  // namespace aio::detail
