// future<T>: a result that will exist later (asyncio.Future). States: pending → finished (a value
// or an exception) or pending → cancelled; never back. Done-callbacks are scheduled with the
// loop's call_soon in registration order when it becomes done, never run inline.
// Awaiting a pending future suspends the current task until then; awaiting a cancelled future
// raises cancelled_error, a failed one rethrows its exception.
#pragma once
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "aio/errors.hpp"
#include "aio/event_loop.hpp"
#include "aio/detail/coro.hpp"
#include "aio/detail/refcount.hpp"

namespace aio {

namespace detail {
/// What a future stores for a void result.
struct unit {};
template <class T>
using storage_t = std::conditional_t<std::is_void_v<T>, unit, T>;

/// A done-callback: fn(arg) is posted to the ready queue when the future is done. If the
/// callback is removed or the future dies first, drop(arg) (when non-null) releases `arg`.
struct done_callback {
  void (*fn)(void*);
  void* arg;
  void (*drop)(void*);
};
}  // namespace detail

class future_base : public detail::refcounted {
 public:
  enum class status : std::uint8_t { pending, finished, cancelled };

  explicit future_base(event_loop& loop) noexcept : loop_(&loop) {}

  event_loop& loop() const noexcept { return *loop_; }
  status state() const noexcept { return st_; }
  bool done() const noexcept { return st_ != status::pending; }
  bool cancelled() const noexcept { return st_ == status::cancelled; }

  /// Cancel a pending future (returns false if already done). Tasks override this.
  virtual bool cancel(std::string msg = {});
  /// nullptr if it finished with a value; the exception if it failed.
  /// Throws cancelled_error if cancelled, invalid_state_error if still pending.
  std::exception_ptr exception();
  void set_exception(std::exception_ptr e);
  /// Throws like result() would, without returning the value.
  void check_result();
  /// The stored exception (null unless it failed) without marking it retrieved: for reprs and
  /// inspectors, which must not silence a later "exception was never retrieved" report.
  const std::exception_ptr& stored_exception() const noexcept { return exc_; }

  const std::string& cancel_message() const noexcept;
  /// What a task waiting on this future is suspended on, for observers ("future", "task x", ...).
  virtual std::string describe() const { return label_.empty() ? std::string("future") : label_; }
  void set_label(std::string l) { label_ = std::move(l); }

  void add_done_callback(void (*fn)(void*), void* arg, void (*drop)(void*) = nullptr);
  /// Removes every registration of (fn, arg); returns how many were removed.
  std::size_t remove_done_callback(void (*fn)(void*), void* arg);
  /// Convenience form: f(*this) runs in a later loop pass once done.
  void add_done_callback(std::function<void(future_base&)> f);

  /// Type-erased access to the stored value (std::optional<storage_t<T>>*), for future<T>.
  virtual void* value_slot() noexcept = 0;

 protected:
  ~future_base() override;
  /// Call after storing the value: marks finished and schedules the callbacks.
  void finish_();
  void cancel_state_(std::string msg);
  void schedule_callbacks_();
  /// At destruction: "<kind> exception was never retrieved" if it failed and neither result()
  /// nor exception() was called (asyncio's Future.__del__). Marks it retrieved.
  void report_unretrieved_(const char* kind, task_base* t) noexcept;

  event_loop* loop_;
  status st_ = status::pending;
  bool retrieved_ = false;  // result()/exception() seen: no "never retrieved" report
  std::exception_ptr exc_;
  std::unique_ptr<std::string> cancel_msg_;
  std::string label_;
  std::vector<detail::done_callback> callbacks_;
};

namespace detail {
template <class T>
class future_state final : public future_base {
 public:
  using future_base::future_base;
  void* value_slot() noexcept override { return &value; }
  template <class... A>
  void set(A&&... a) {
    if (done()) throw invalid_state_error("future is already done");
    value.emplace(std::forward<A>(a)...);
    finish_();
  }
  std::optional<storage_t<T>> value;
};

/// Awaiting any future: suspend the current task on it; on resume deliver a pending
/// cancellation first, then the future's outcome.
struct future_awaiter_base {
  future_base* f;
  bool await_ready() const noexcept { return f->done(); }
  void await_suspend(coro_handle<> h);
  /// Throws the cancellation the task was asked to deliver at this await, if any.
  static void deliver_pending();
};

template <class T>
const storage_t<T>& stored_value(future_base& f) {
  f.check_result();
  return **static_cast<std::optional<storage_t<T>>*>(f.value_slot());
}
}  // namespace detail

template <class T = void>
class future {
 public:
  using value_type = T;
  future() = default;
  /// A new pending future on `loop`.
  explicit future(event_loop& loop) : s_(new detail::future_state<T>(loop)) {}
  /// Wrap an existing state (e.g. a task's) whose value slot holds a T.
  explicit future(detail::ref_ptr<future_base> s) : s_(std::move(s)) {}

  bool valid() const noexcept { return static_cast<bool>(s_); }
  bool done() const noexcept { return s_->done(); }
  bool cancelled() const noexcept { return s_->cancelled(); }
  bool cancel(std::string msg = {}) const { return s_->cancel(std::move(msg)); }
  std::exception_ptr exception() const { return s_->exception(); }
  void set_exception(std::exception_ptr e) const { s_->set_exception(std::move(e)); }

  template <class... A>
  void set_result(A&&... a) const {
    static_cast<detail::future_state<T>&>(*s_).set(std::forward<A>(a)...);
  }
  /// The value; rethrows the exception; throws cancelled_error / invalid_state_error.
  decltype(auto) result() const {
    if constexpr (std::is_void_v<T>)
      s_->check_result();
    else
      return detail::stored_value<T>(*s_);
  }

  void add_done_callback(std::function<void(future_base&)> f) const { s_->add_done_callback(std::move(f)); }
  future_base* base() const noexcept { return s_.get(); }
  const detail::ref_ptr<future_base>& state() const noexcept { return s_; }

  struct awaiter : detail::future_awaiter_base {
    detail::ref_ptr<future_base> keep;
    T await_resume() {
      deliver_pending();
      if constexpr (std::is_void_v<T>)
        f->check_result();
      else
        return detail::stored_value<T>(*f);
    }
  };
  awaiter operator co_await() const noexcept { return awaiter{{s_.get()}, s_}; }

 private:
  detail::ref_ptr<future_base> s_;
};

}  // namespace aio
