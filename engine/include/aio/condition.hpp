// condition: asyncio.Condition over a lock (its own, or one shared with other conditions).
// wait() and notify() need the lock held (lock_error otherwise). wait() releases the lock,
// parks FIFO until notified, then re-acquires the lock (FIFO with the lock's other waiters)
// before returning. notify(n) wakes the first n waiters still pending.
// Cancellation: wait() re-acquires the lock even when cancelled (and keeps retrying if cancelled
// again meanwhile), then raises cancelled_error, so the caller always holds the lock after it.
#pragma once
#include <cstddef>
#include <memory>
#include <string>
#include <type_traits>

#include "aio/coro.hpp"
#include "aio/detail/wait_queue.hpp"
#include "aio/lock.hpp"
#include "aio/stats.hpp"

namespace aio {

class condition {
 public:
  using guard = detail::release_guard<condition>;

  /// A condition with its own lock (an internal part: the condition reports its operations).
  explicit condition(std::string name = {});
  /// A condition over `lk`, which must outlive it.
  explicit condition(aio::lock& lk, std::string name = {});
  condition(const condition&) = delete;
  condition& operator=(const condition&) = delete;

  const std::string& name() const noexcept { return name_; }
  /// Also relabels what waiting tasks show ("condition <name>"), and names an owned lock.
  void set_name(std::string n);
  /// What waiting tasks show, when it should differ from "condition <name>" (a barrier's).
  void set_wait_label(std::string l) { waiters_.set_label(std::move(l)); }
  /// Observers get this primitive's operations unless turned off (internal parts of another
  /// primitive, which reports for them).
  void set_observed(bool on) noexcept { observed_ = on; }
  bool observed() const noexcept { return observed_; }

  aio::lock& underlying_lock() const noexcept { return *lock_; }
  bool locked() const noexcept { return lock_->locked(); }
  coro<bool> acquire();
  void release();
  /// auto g = co_await cond.scoped();  — hold the lock until `g` is destroyed.
  coro<guard> scoped();

  /// Release the lock, wait for notify(), re-acquire the lock. Returns true.
  coro<bool> wait();
  /// Wait until pred() is truthy (checked before the first wait); returns its last value.
  template <class Pred>
  coro<std::decay_t<std::invoke_result_t<Pred&>>> wait_for(Pred pred) {
    auto result = pred();
    while (!result) {
      co_await wait();
      result = pred();
    }
    co_return result;
  }
  /// Wake the first `n` pending waiters (they still need the lock to return).
  void notify(std::size_t n = 1);
  void notify_all();

  primitive_stats stats() const;

 private:
  std::unique_ptr<aio::lock> own_;  // set when the condition made its own lock
  aio::lock* lock_;
  detail::wait_queue waiters_;
  std::string name_;
  bool observed_ = true;
};

}  // namespace aio
