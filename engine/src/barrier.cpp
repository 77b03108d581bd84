#include "aio/barrier.hpp"

namespace aio {

barrier::barrier(std::size_t parties, std::string name) : parties_(parties) {
  if (parties < 1) throw std::invalid_argument("parties must be > 0");
  cond_.set_observed(false);  // internal parts: the barrier reports its own operations
  cond_.underlying_lock().set_observed(false);
  set_name(std::move(name));
}

void barrier::set_name(std::string n) {
  name_ = std::move(n);
  std::string label = detail::kind_label("barrier", name_);
  cond_.set_name(name_);
  cond_.set_wait_label(label);
  cond_.underlying_lock().set_wait_label(label);
}

// CPython 3.11 Barrier.wait: `async with self._cond:` around block / arrive / wait-or-release,
// with `finally: count -= 1; _exit()` once past block. C++ cannot co_await in a handler, so
// failures are held until the lock is released.
coro<std::size_t> barrier::wait() {
  co_await cond_.acquire();
  std::exception_ptr failure;
  std::size_t index = 0;
  try {
    co_await block_();
  } catch (...) {
    failure = std::current_exception();
  }
  if (!failure) {
    index = count_++;
    detail::report(*this, "wait");
    try {
      if (index + 1 == parties_) {
        state_ = state::draining;  // _release: the last arrival lets everyone through
        cond_.notify_all();
      } else {
        co_await wait_();
      }
    } catch (...) {
      failure = std::current_exception();
    }
    --count_;
    exit_();
  }
  cond_.release();
  detail::report(*this, failure ? "failed" : "passed");
  if (failure) std::rethrow_exception(failure);
  co_return index;
}

// Block while the barrier drains or resets; raise if it is broken.
coro<void> barrier::block_() {
  co_await cond_.wait_for([this] { return state_ != state::draining && state_ != state::resetting; });
  if (state_ == state::broken) throw broken_barrier_error("Barrier aborted");
}

// Wait until the barrier is released; raise if it was reset or broken meanwhile.
coro<void> barrier::wait_() {
  co_await cond_.wait_for([this] { return state_ != state::filling; });
  if (state_ == state::broken || state_ == state::resetting) throw broken_barrier_error("Abort or reset of barrier");
}

// The last task out of a drain or reset lets the next round fill.
void barrier::exit_() {
  if (count_ == 0) {
    if (state_ == state::resetting || state_ == state::draining) state_ = state::filling;
    cond_.notify_all();
  }
}

coro<void> barrier::reset() {
  co_await cond_.acquire();
  if (count_ > 0) {
    if (state_ != state::resetting) state_ = state::resetting;
  } else {
    state_ = state::filling;
  }
  cond_.notify_all();
  cond_.release();
  detail::report(*this, "reset");
}

coro<void> barrier::abort() {
  co_await cond_.acquire();
  state_ = state::broken;
  cond_.notify_all();
  cond_.release();
  detail::report(*this, "abort");
}

primitive_stats barrier::stats() const {
  primitive_stats s;
  s.kind = "barrier";
  s.name = name_;
  s.waiters = cond_.stats().waiters;
  s.value = static_cast<long>(n_waiting());
  s.capacity = static_cast<long>(parties_);
  s.closed = broken();
  return s;
}

}  // namespace aio
