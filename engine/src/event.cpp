#include "aio/event.hpp"

#include <cstdint>

namespace aio {

void event::set_name(std::string n) {
  name_ = std::move(n);
  waiters_.set_label(detail::kind_label("event", name_));
}

void event::set() {
  if (!value_) {
    value_ = true;
    waiters_.wake(SIZE_MAX);
  }
  detail::report(*this, "set");
}

void event::clear() {
  value_ = false;
  detail::report(*this, "clear");
}

// CPython's Event.wait: the waiter returns once woken, without looking at the flag again.
coro<bool> event::wait() {
  if (value_) {
    detail::report(*this, "waited");
    co_return true;
  }
  auto w = waiters_.park();
  detail::report(*this, "wait");
  try {
    co_await w;
  } catch (const cancelled_error&) {
    w.leave();
    detail::report(*this, "cancelled");
    throw;
  }
  w.leave();
  detail::report(*this, "waited");
  co_return true;
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
