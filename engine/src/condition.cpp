#include "aio/condition.hpp"

namespace aio {

condition::condition(std::string name) : own_(std::make_unique<aio::lock>()), lock_(own_.get()) {
  own_->set_observed(false);
  set_name(std::move(name));
}

condition::condition(aio::lock& lk, std::string name) : lock_(&lk) { set_name(std::move(name)); }

void condition::set_name(std::string n) {
  name_ = std::move(n);
  waiters_.set_label(detail::kind_label("condition", name_));
  if (own_) own_->set_name(name_);
}

coro<bool> condition::acquire() {
  co_await lock_->acquire();
  detail::report(*this, "acquired");
  co_return true;
}

void condition::release() {
  lock_->release();
  detail::report(*this, "release");
}

coro<condition::guard> condition::scoped() {
  co_await acquire();
  co_return guard(*this);
}

// CPython 3.11 Condition.wait. C++ cannot co_await in a handler, so the `finally` that
// re-acquires the lock runs after the try blocks, with the first failure kept aside.
coro<bool> condition::wait() {
  if (!locked()) throw lock_error("cannot wait on un-acquired lock");
  release();
  std::exception_ptr failure;
  {
    auto w = waiters_.park();
    detail::report(*this, "wait");
    try {
      co_await w;
    } catch (...) {
      failure = std::current_exception();
    }
    w.leave();
  }
  // Must re-acquire the lock even if the wait was cancelled.
  bool cancelled = false;
  for (;;) {
    try {
      co_await lock_->acquire();
      break;
    } catch (const cancelled_error&) {
      cancelled = true;
    }
  }
  if (cancelled) {
    detail::report(*this, "cancelled");
    throw cancelled_error();  // a new, bare CancelledError replaces the first failure
  }
  if (failure) {
    detail::report(*this, "cancelled");
    std::rethrow_exception(failure);
  }
  detail::report(*this, "waited");
  co_return true;
}

void condition::notify(std::size_t n) {
  if (!locked()) throw lock_error("cannot notify on un-acquired lock");
  waiters_.wake(n);
  detail::report(*this, "notify");
}

void condition::notify_all() { notify(waiters_.size()); }

primitive_stats condition::stats() const {
  primitive_stats s;
  s.kind = "condition";
  s.name = name_;
  s.holders = lock_->stats().holders;
  s.waiters = waiters_.task_names();
  s.value = locked() ? 1 : 0;
  return s;
}

}  // namespace aio
