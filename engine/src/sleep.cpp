#include "aio/sleep.hpp"

#include <stdexcept>

namespace aio::detail {

void sleep_awaiter::await_suspend(coro_handle<> h) {
  task_base* t = current_task();
  if (!t) throw std::runtime_error("sleep() must be awaited inside a task");
  if (delay_ <= 0) {
    t->yield_at(h);  // asyncio's __sleep0: a bare yield, one loop pass
    return;
  }
  t->sleep_at(h, delay_);
  task_ = t;
}

}  // namespace aio::detail
