#include "aio/semaphore.hpp"

#include <algorithm>

namespace aio {

semaphore::semaphore(long value, std::string name) : semaphore(value, std::move(name), false) {}

semaphore::semaphore(long value, std::string name, bool bounded) : value_(value), initial_(value), bounded_(bounded) {
  if (value < 0) throw std::invalid_argument("Semaphore initial value must be >= 0");
  set_name(std::move(name));
}

void semaphore::set_name(std::string n) {
  name_ = std::move(n);
  waiters_.set_label(detail::kind_label("semaphore", name_));
}

// CPython 3.11.7 Semaphore.acquire, step for step.
coro<bool> semaphore::acquire() {
  if (!locked()) {
    --value_;
    holders_.push_back(detail::task_label(current_task()));
    detail::report(*this, "acquired");
    co_return true;
  }
  auto w = waiters_.park();
  detail::report(*this, "wait");
  try {
    co_await w;
  } catch (const cancelled_error&) {
    w.leave();
    // Woken (handed a permit) but cancelled before running: give the permit back.
    if (!w.future().cancelled()) {
      ++value_;
      wake_up_next_();
    }
    detail::report(*this, "cancelled");
    throw;
  }
  w.leave();
  holders_.push_back(detail::task_label(current_task()));
  if (value_ > 0) wake_up_next_();
  detail::report(*this, "acquired");
  co_return true;
}

void semaphore::release() {
  if (bounded_ && value_ >= initial_) throw std::invalid_argument("BoundedSemaphore released too many times");
  ++value_;
  forget_holder_();
  wake_up_next_();
  detail::report(*this, "release");
}

// _wake_up_next: the permit goes to the first pending waiter now, not when it runs.
bool semaphore::wake_up_next_() {
  if (waiters_.wake(1) == 0) return false;
  --value_;
  return true;
}

// Semaphores have no owner: drop the releasing task's entry if it has one, else the oldest.
void semaphore::forget_holder_() {
  if (holders_.empty()) return;
  auto it = std::find(holders_.begin(), holders_.end(), detail::task_label(current_task()));
  holders_.erase(it != holders_.end() ? it : holders_.begin());
}

coro<semaphore::guard> semaphore::scoped() {
  co_await acquire();
  co_return guard(*this);
}

primitive_stats semaphore::stats() const {
  primitive_stats s;
  s.kind = bounded_ ? "bounded_semaphore" : "semaphore";
  s.name = name_;
  s.holders = holders_;
  s.waiters = waiters_.task_names();
  s.value = value_;
  s.capacity = initial_;
  return s;
}

}  // namespace aio
