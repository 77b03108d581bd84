// semaphore / bounded_semaphore: asyncio.Semaphore and BoundedSemaphore (CPython 3.11.7).
// FIFO: locked() is true while the count is 0 or any waiter is not cancelled, so a newcomer
// never overtakes a queued task; release() adds a permit and, if a waiter is pending, hands it
// over at once (the count goes down for the waiter it wakes).
// Cancellation: a cancelled waiter leaves the queue; if it had already been handed a permit it
// gives it back and wakes the next pending waiter (test_acquire_fifo_order_3).
#pragma once
#include <stdexcept>
#include <string>
#include <vector>

#include "aio/coro.hpp"
#include "aio/detail/wait_queue.hpp"
#include "aio/stats.hpp"

namespace aio {

class semaphore {
 public:
  using guard = detail::release_guard<semaphore>;

  /// Throws std::invalid_argument (Python's ValueError) if value < 0.
  explicit semaphore(long value = 1, std::string name = {});
  semaphore(const semaphore&) = delete;
  semaphore& operator=(const semaphore&) = delete;

  const std::string& name() const noexcept { return name_; }
  /// Also relabels what waiting tasks show: "semaphore <name>".
  void set_name(std::string n);
  /// Observers get this primitive's operations unless turned off (internal parts of another
  /// primitive, which reports for them).
  void set_observed(bool on) noexcept { observed_ = on; }
  bool observed() const noexcept { return observed_; }

  /// True if acquire() would not return at once.
  bool locked() const noexcept { return value_ == 0 || !waiters_.all_cancelled(); }
  long value() const noexcept { return value_; }
  coro<bool> acquire();
  /// Add a permit; wake the first pending waiter. A bounded_semaphore throws
  /// std::invalid_argument (Python's ValueError) when released above its initial value.
  void release();
  /// auto g = co_await sem.scoped();  — acquire now, release when `g` is destroyed.
  coro<guard> scoped();

  primitive_stats stats() const;

 protected:
  semaphore(long value, std::string name, bool bounded);

 private:
  bool wake_up_next_();
  void forget_holder_();

  detail::wait_queue waiters_;
  std::string name_;
  std::vector<std::string> holders_;  // tasks that acquired and have not released (stats only)
  long value_;
  long initial_;
  bool bounded_;
  bool observed_ = true;
};

class bounded_semaphore : public semaphore {
 public:
  explicit bounded_semaphore(long value = 1, std::string name = {}) : semaphore(value, std::move(name), true) {}
};

}  // namespace aio
