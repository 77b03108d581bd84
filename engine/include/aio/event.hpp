// event: asyncio.Event, a flag tasks can wait for. set() completes every waiter's future at once
// (in FIFO order) and each of them returns from wait() even if clear() is called before it runs;
// wait() on a set event returns without suspending.
// Cancellation: a cancelled waiter just leaves the queue; the flag is untouched.
#pragma once
#include <cstdint>
#include <optional>
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
  /// Set the flag and wake every current waiter. (set and clear are inline: with no observer
  /// and nobody to wake they make no call at all.)
  void set() {
    if (!value_) {
      value_ = true;
      if (!waiters_.empty()) waiters_.wake(SIZE_MAX);
    }
    detail::report(*this, "set");
  }
  void clear() {
    value_ = false;
    detail::report(*this, "clear");
  }
  class wait_op;
  /// co_await ev.wait(): return at once if set, else wait until set() is called. Returns true.
  /// An awaitable with no coroutine frame of its own; as_coro() makes it a coro<bool> (what
  /// create_task, wait_for, gather and shield do with it).
  wait_op wait() noexcept;

  primitive_stats stats() const;

 private:
  detail::wait_queue waiters_;
  std::string name_;
  bool value_ = false;
  bool observed_ = true;
};

/// What event::wait() returns. Awaited, it suspends only while the flag is clear; the ticket
/// that parks the task lives in this object, inside the awaiting coroutine's frame, so waiting
/// allocates the ticket's future and nothing else. Move it only before it is awaited.
class [[nodiscard]] event::wait_op {
 public:
  explicit wait_op(event& e) noexcept : e_(&e) {}
  wait_op(wait_op&& o) noexcept : e_(o.e_) {}
  wait_op& operator=(wait_op&&) = delete;

  bool await_ready() {
    if (!e_->value_) return false;
    detail::report(*e_, "waited");
    return true;
  }
  void await_suspend(detail::coro_handle<> h);
  bool await_resume() {
    if (!w_) return true;
    // Woken by set(), nothing to deliver: leave the queue without a call that can throw.
    if (w_->future().state() == future_base::status::finished && !detail::future_awaiter_base::has_pending()) {
      w_->leave();
      detail::report(*e_, "waited");
      return true;
    }
    resume_parked_();
    return true;
  }
  /// The same wait as a coroutine (lazy: nothing happens until it runs).
  coro<bool> as_coro() && { return run_(e_); }

 private:
  static coro<bool> run_(event* e) { co_return co_await wait_op(*e); }
  void resume_parked_();
  event* e_;
  std::optional<detail::wait_queue::ticket> w_;
};

inline event::wait_op event::wait() noexcept { return wait_op(*this); }

}  // namespace aio
