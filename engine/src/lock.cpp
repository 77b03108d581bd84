#include "aio/lock.hpp"

namespace aio {

void lock::set_name(std::string n) {
  name_ = std::move(n);
  waiters_.set_label(detail::kind_label("lock", name_));
}

// CPython 3.11 Lock.acquire, step for step.
coro<bool> lock::acquire() {
  if (!locked_ && waiters_.all_cancelled()) {
    locked_ = true;
    holder_ = detail::task_label(current_task());
    detail::report(*this, "acquired");
    co_return true;
  }
  auto w = waiters_.park();
  detail::report(*this, "wait");
  try {
    co_await w;
  } catch (const cancelled_error&) {
    // The entry goes first, so that waking below cannot pick ourselves.
    w.leave();
    if (!locked_) wake_up_first_();
    detail::report(*this, "cancelled");
    throw;
  }
  w.leave();
  locked_ = true;
  holder_ = detail::task_label(current_task());
  detail::report(*this, "acquired");
  co_return true;
}

void lock::release() {
  if (!locked_) throw lock_error("Lock is not acquired.");
  locked_ = false;
  holder_.clear();
  wake_up_first_();
  detail::report(*this, "release");
}

coro<lock::guard> lock::scoped() {
  co_await acquire();
  co_return guard(*this);
}

primitive_stats lock::stats() const {
  primitive_stats s;
  s.kind = "lock";
  s.name = name_;
  if (locked_) s.holders.push_back(holder_);
  s.waiters = waiters_.task_names();
  s.value = locked_ ? 1 : 0;
  s.capacity = 1;
  return s;
}

}  // namespace aio
