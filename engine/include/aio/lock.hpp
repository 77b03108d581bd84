// lock: asyncio.Lock. Not owned by a task: any task may release it (the holder recorded for
// stats() is the task that acquired it). Strictly FIFO with no barging: acquire() takes the
// fast path only when no waiter is left that is not cancelled, so a newcomer queues behind a
// waiter that release() has woken but that has not run yet.
// Cancellation: a cancelled waiter leaves the queue; if it had already been woken (the lock is
// free), it wakes the next waiter, so the lock is never lost (test_finished_waiter_cancelled).
#pragma once
#include <stdexcept>
#include <string>

#include "aio/coro.hpp"
#include "aio/detail/wait_queue.hpp"
#include "aio/stats.hpp"

namespace aio {

/// Releasing a lock that is not acquired; waiting on / notifying a condition without its lock
/// (Python's RuntimeError).
class lock_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class lock {
 public:
  using guard = detail::release_guard<lock>;

  explicit lock(std::string name = {}) { set_name(std::move(name)); }
  lock(const lock&) = delete;
  lock& operator=(const lock&) = delete;

  const std::string& name() const noexcept { return name_; }
  /// Also relabels what waiting tasks show: "lock <name>".
  void set_name(std::string n);
  /// What waiting tasks show, when it should differ from "lock <name>".
  void set_wait_label(std::string l) { waiters_.set_label(std::move(l)); }
  /// Observers get this primitive's operations unless turned off (internal parts of another
  /// primitive, which reports for them).
  void set_observed(bool on) noexcept { observed_ = on; }
  bool observed() const noexcept { return observed_; }

  bool locked() const noexcept { return locked_; }
  /// Wait until the lock is free and it is our turn, then lock it. Returns true.
  coro<bool> acquire();
  /// Unlock and wake the first waiter. Throws lock_error if the lock is not locked.
  void release();
  /// auto g = co_await lk.scoped();  — acquire now, release when `g` is destroyed.
  coro<guard> scoped();

  primitive_stats stats() const;

 private:
  void wake_up_first_() { waiters_.wake_first(); }

  detail::wait_queue waiters_;
  std::string name_;
  std::string holder_;  // task that last acquired it (stats only); meaningful while locked_
  bool locked_ = false;
  bool observed_ = true;
};

}  // namespace aio
