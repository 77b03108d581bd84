// event: asyncio.Event, a flag tasks can wait for. set() completes every waiter's future at once
// (in FIFO order) and each of them returns from wait() even if clear() is called before it runs;
// wait() on a set event returns without suspending.
// Cancellation: a cancelled waiter just leaves the queue; the flag is untouched.
#pragma once
#include <string>

#include "aio/coro.hpp"
#include "aio/detail/wait_queue.hpp"
#include "aio/stats.hpp"

namespace aio {

class event {
 public:
  explicit event(std::string name = {}) { set_name(std::move(name)); }
  event(const event&) = delete;
  event& operator=(const event&) = delete;

  const std::string& name() const noexcept { return name_; }
  /// Also relabels what waiting tasks show: "event <name>".
  void set_name(std::string n);
  /// What waiting tasks show, when it should differ from "event <name>" (a queue's join()).
  void set_wait_label(std::string l) { waiters_.set_label(std::move(l)); }
  /// Observers get this primitive's operations unless turned off (internal parts of another
  /// primitive, which reports for them).
  void set_observed(bool on) noexcept { observed_ = on; }
  bool observed() const noexcept { return observed_; }

  bool is_set() const noexcept { return value_; }
  /// Set the flag and wake every current waiter.
  void set();
  void clear();
  /// Return at once if set, else wait until set() is called. Returns true.
  coro<bool> wait();

  primitive_stats stats() const;

 private:
  detail::wait_queue waiters_;
  std::string name_;
  bool value_ = false;
  bool observed_ = true;
};

}  // namespace aio
