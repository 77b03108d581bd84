#include "aio/sleep.hpp"

#include <cmath>
#include <cstdio>

namespace aio::detail {

namespace {
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

void sleep_awaiter::await_suspend(coro_handle<> h) {
  task_base* t = current_task();
  if (!t) throw std::runtime_error("sleep() must be awaited inside a task");
  if (delay_ <= 0) {
    t->yield_at(h);  // asyncio's __sleep0: a bare yield, one loop pass
    return;
  }
  event_loop& loop = t->loop();
  timer_ = ref_ptr<sleep_timer>(new sleep_timer(loop, delay_));
  loop.schedule(timer_ref(timer_.get()), loop.time() + delay_);
  t->suspend_on(h, timer_->future());
}

std::string sleep_future::describe() const { return sleep_label(delay_); }

}  // namespace aio::detail
