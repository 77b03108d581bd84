// handle / timer_handle: a scheduled callback that can be cancelled before it runs
// (asyncio.Handle / asyncio.TimerHandle). A cancelled handle is skipped when its turn comes.
// Timers order by (when, seq): equal deadlines run in the order they were scheduled.
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
  bool scheduled() const noexcept { return heap_index_ != npos; }

 protected:
  void on_cancel() noexcept override;

 private:
  friend class event_loop;
  friend class detail_timer_heap_access;
  static constexpr std::size_t npos = static_cast<std::size_t>(-1);
  double when_ = 0;
  std::uint64_t seq_ = 0;
  std::size_t heap_index_ = npos;
  event_loop* loop_ = nullptr;
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
