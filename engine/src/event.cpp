#include "aio/event.hpp"

#include <cstdint>

namespace aio {

void event::set_name(std::string n) {
  name_ = std::move(n);
  waiters_.set_label(detail::kind_label("event", name_));
}

// CPython's Event.wait: the waiter returns once woken, without looking at the flag again.
void event::wait_op::await_suspend(detail::coro_handle<> h) {
  auto& w = w_.emplace(e_->waiters_);
  detail::report(*e_, "wait");
  detail::future_awaiter_base{&w.future()}.await_suspend(h);
}

void event::wait_op::resume_parked_() {
  try {
    detail::future_awaiter_base::deliver_pending();
    w_->future().check_result();
  } catch (const cancelled_error&) {
    w_->leave();
    detail::report(*e_, "cancelled");
    throw;
  }
  w_->leave();
  detail::report(*e_, "waited");
}

primitive_stats event::stats() const {
  primitive_stats s;
  s.kind = "event";
  s.name = name_;
  s.waiters = waiters_.task_names();
  s.value = value_ ? 1 : 0;
  return s;
}

}  // namespace aio
