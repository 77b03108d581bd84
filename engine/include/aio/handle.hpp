// handle / timer_handle: a scheduled callback that can be cancelled before it runs
// (asyncio.Handle / asyncio.TimerHandle). A cancelled handle is skipped when its turn comes.
// Timers order by (when, seq): equal deadlines run in the order they were scheduled (asyncio
// leaves that order to heapq; see event_loop.cpp). The loop's heap holds (when, seq, handle)
// entries by value, so ordering never touches the handles; a cancelled timer's entry is dropped lazily, as asyncio does (see
// event_loop.cpp).
#pragma once
#include <cstddef>
#include <cstdint>
#include <functional>

#include "aio/detail/refcount.hpp"

namespace aio {

class event_loop;

class handle : public detail::refcounted {
 public:
  void cancel() noexcept;
  bool cancelled() const noexcept { return cancelled_; }
  /// Runs the callback unless cancelled (called by the loop).
  void run() {
    if (!cancelled_) invoke();
  }

 protected:
  virtual void invoke() = 0;
  virtual void on_cancel() noexcept {}
  bool cancelled_ = false;
};

class timer_handle : public handle {
 public:
  double when() const noexcept { return when_; }
  /// In the loop's timer heap: scheduled, neither fired nor cancelled yet.
  bool scheduled() const noexcept { return in_heap_; }

 protected:
  void on_cancel() noexcept override;

 private:
  friend class event_loop;
  friend class detail_timer_heap_access;
  double when_ = 0;
  event_loop* loop_ = nullptr;
  bool in_heap_ = false;  // its heap entry is live (not fired, not cancelled)
  bool stale_ = false;    // a cancelled entry of it is still in the heap
};

using handle_ref = detail::ref_ptr<handle>;
using timer_ref = detail::ref_ptr<timer_handle>;

namespace detail {
template <class Base>
class function_handle final : public Base {
 public:
  explicit function_handle(std::function<void()> f) : f_(std::move(f)) {}

 private:
  void invoke() override { f_(); }
  std::function<void()> f_;
};
}  // namespace detail

}  // namespace aio
