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

/// A future's value, constructed when it finishes with one. It holds one exactly while its
/// owner is finished without an exception (future_base::holds_value_()), so it needs no flag of
/// its own: a std::optional<std::uint64_t> took 16 bytes, this takes 8. The owner's destructor
/// calls destroy_if(holds_value_()).
template <class T>
struct value_box {
  union {
    T v;
  };
  value_box() noexcept {}
  value_box(const value_box&) = delete;
  ~value_box() {}
  template <class... A>
  void emplace(A&&... a) {
    ::new (static_cast<void*>(&v)) T(std::forward<A>(a)...);
  }
  void destroy_if(bool holds) noexcept {
    if constexpr (!std::is_trivially_destructible_v<T>)
      if (holds) v.~T();
  }
};

/// A done-callback: ops.fn(arg) is posted to the ready queue when the future is done. If the
/// callback is removed or the future dies first, ops.drop(arg) (when non-null) releases `arg`.
struct done_callback {
  const callback_ops* ops;
  void* arg;
};

/// What few futures need, allocated the first time one does (future_base::extras_()): a
/// cancellation message, done-callbacks beyond the first, and for a task a name it was given
/// and a cancellation waiting to be raised in it. Kept out of line, every future and task is
/// smaller by the sum of these.
struct future_extras {
  std::string cancel_msg;
  std::vector<done_callback> more_cbs;  // registrations after cb0_, in order
  std::string name;                     // task_base: "" means "Task-<id>"
  std::exception_ptr inject;            // task_base: the cancelled_error to raise on resumption
};

/// A future's label ("lock db", "queue q get"): an immutable, reference-counted string, so the
/// wait queue that parks a thousand futures shares one instead of copying it into each.
class label : public refcounted {
 public:
  explicit label(std::string t) : text(std::move(t)) {}
  const std::string text;
};
using label_ref = ref_ptr<const label>;
inline label_ref make_label(std::string t) { return t.empty() ? label_ref() : label_ref(new label(std::move(t))); }
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
  /// Throws like result() would, without returning the value. (Inline for the common case, a
  /// value: no call at all, so no exception trampoline in WASM.)
  void check_result() {
    if (st_ == status::finished && !exc_) {
      retrieved_ = true;
      return;
    }
    check_result_slow_();
  }
  /// The stored exception (null unless it failed) without marking it retrieved: for reprs and
  /// inspectors, which must not silence a later "exception was never retrieved" report.
  const std::exception_ptr& stored_exception() const noexcept { return exc_; }

  const std::string& cancel_message() const noexcept;
  /// The message of the cancelled_error that result()/exception() raise now (asyncio's
  /// Future._make_cancelled_error), consuming it like CPython: a task that ended cancelled keeps
  /// the CancelledError it ended with (_cancelled_exc) and hands out its message once; after
  /// that the message is empty, its _cancel_message being None.
  std::string take_cancel_message();
  /// Future._cancel_message without consuming anything: what gather(return_exceptions=True)
  /// reports for a cancelled child. Empty for a task that ended cancelled.
  std::string py_cancel_message() const { return cancelled_exc_ ? std::string() : cancel_message(); }
  /// What a task waiting on this future is suspended on, for observers ("future", "task x", ...).
  virtual std::string describe() const { return "future"; }
  /// Name what this future stands for ("lock db"): a plain future's describe() returns it.
  /// Tasks and gathers describe themselves and ignore it (so they carry no label field).
  virtual void set_label(detail::label_ref) noexcept {}
  void set_label(std::string l) { set_label(detail::make_label(std::move(l))); }

  /// Engine form: ops.fn(arg) is posted once done (ops is a detail::callback_for<fn, drop>).
  void add_done_callback(const detail::callback_ops& ops, void* arg);
  /// Removes every registration whose function is `fn` and argument `arg` (releasing each
  /// `arg` with its drop); returns how many were removed.
  std::size_t remove_done_callback(void (*fn)(void*), void* arg);
  /// Convenience form: f(*this) runs in a later loop pass once done.
  void add_done_callback(std::function<void(future_base&)> f);

  /// Type-erased access to the stored value (detail::value_box<storage_t<T>>*), for future<T>.
  virtual void* value_slot() noexcept = 0;

 protected:
  ~future_base() override;
  /// Call after storing the value: marks finished and schedules the callbacks.
  void finish_() noexcept;
  void cancel_state_(std::string msg);
  void schedule_callbacks_() noexcept;
  void schedule_callbacks_slow_() noexcept;
  /// At destruction: "<kind> exception was never retrieved" if it failed and neither result()
  /// nor exception() was called (asyncio's Future.__del__). Marks it retrieved.
  void report_unretrieved_(const char* kind, task_base* t) noexcept {
    if (st_ == status::finished && exc_ && !retrieved_) report_unretrieved_slow_(kind, t);
  }
  void report_unretrieved_slow_(const char* kind, task_base* t) noexcept;
  void check_result_slow_();
  /// The extras block, allocated on first use (may throw std::bad_alloc).
  detail::future_extras& extras_() {
    if (!x_) x_ = std::make_unique<detail::future_extras>();
    return *x_;
  }
  bool has_more_cbs_() const noexcept { return x_ && !x_->more_cbs.empty(); }
  /// Whether the subclass's value_box holds a value: it finished, and not with an exception.
  bool holds_value_() const noexcept { return st_ == status::finished && !exc_; }

  // The flags come first: they fill the padding after refcounted's 32-bit counter.
  status st_ = status::pending;
  bool retrieved_ : 1 = false;      // result()/exception() seen: no "never retrieved" report
  bool cancelled_exc_ : 1 = false;  // the cancel message is a task's one-shot _cancelled_exc message
  // task_base's flags live here too, in that same padding (a task is 8 bytes smaller in wasm32):
  bool must_cancel_ : 1 = false;  // cancel() found nothing to cancel: deliver at the next step
  bool started_ : 1 = false;      // its first step has run
  /// A task's sleep(delay > 0), as asyncio's sleep future would be: none, pending (its timer
  /// entry is live), fired (woken next pass), cancelled.
  enum class sleep_state : std::uint8_t { none, pending, fired, cancelled };
  sleep_state sleep_ = sleep_state::none;
  event_loop* loop_;
  std::exception_ptr exc_;
  // Done-callbacks in registration order: the first inline (almost every future has exactly one,
  // its awaiting task's wake-up), any more in the extras.
  detail::done_callback cb0_{nullptr, nullptr};
  std::unique_ptr<detail::future_extras> x_;  // null until one is needed
};

namespace detail {
template <class T>
class future_state final : public future_base {
 public:
  using future_base::future_base;
  ~future_state() override { value.destroy_if(holds_value_()); }
  using future_base::set_label;
  void set_label(label_ref l) noexcept override { label_ = std::move(l); }
  std::string describe() const override { return label_ ? label_->text : std::string("future"); }
  void* value_slot() noexcept override { return &value; }
  template <class... A>
  void set(A&&... a) {
    if (done()) throw invalid_state_error("future is already done");
    value.emplace(std::forward<A>(a)...);
    finish_();
  }
  /// set() for a void future known to be pending (wait queues): cannot throw.
  void set_pending_void() noexcept
    requires std::is_void_v<T>
  {
    value.emplace();
    finish_();
  }
  value_box<storage_t<T>> value;

 private:
  label_ref label_;
};

/// Awaiting any future: suspend the current task on it; on resume deliver a pending
/// cancellation first, then the future's outcome.
struct future_awaiter_base {
  future_base* f;
  bool await_ready() const noexcept { return f->done(); }
  void await_suspend(coro_handle<> h);
  /// Throws the cancellation the task was asked to deliver at this await, if any. Inline test;
  /// the lookup runs only while some task of the loop holds one.
  static void deliver_pending() {
    if (has_pending()) deliver_pending_slow();
  }
  /// Whether some task of the running loop holds a cancellation to deliver (deliver_pending()
  /// would look for one).
  static bool has_pending() noexcept {
    event_loop* l = event_loop::current();
    return l && l->pending_injections();
  }
  static void deliver_pending_slow();
};

/// The value box of `f`, a future<T> or task<T> (engaged only if it finished with a value).
template <class T>
value_box<storage_t<T>>& box_of(future_base& f) noexcept {
  return *static_cast<value_box<storage_t<T>>*>(f.value_slot());
}

/// The value `f` finished with, without checking or marking anything (for observers and
/// tracers); nullptr unless it finished with a value.
template <class T>
const storage_t<T>* held_value(future_base& f) noexcept {
  if (f.state() != future_base::status::finished || f.stored_exception()) return nullptr;
  return &box_of<T>(f).v;
}

template <class T>
const storage_t<T>& stored_value(future_base& f) {
  f.check_result();
  return box_of<T>(f).v;
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
