// task<T>: a coroutine scheduled on the loop (asyncio.Task). create_task() queues its first step
// with call_soon, so it starts on the next loop pass. While it awaits a future it is suspended on
// it; when that future is done the task's wake-up is queued with call_soon.
// Cancellation is edge-triggered, exactly as in asyncio: cancel() cancels the future the task
// waits on (or marks the task so its next step delivers the cancellation), and cancelled_error
// is raised at the task's current await. The task ends cancelled only if cancelled_error escapes
// its coroutine; catching it lets the task go on. cancelling()/uncancel() count the requests.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <utility>

#include "aio/coro.hpp"
#include "aio/future.hpp"

namespace aio {

class task_base : public future_base {
 public:
  std::uint64_t id() const noexcept { return id_; }
  /// The task's name ("Task-<id>" unless one was given).
  std::string name() const { return x_ && !x_->name.empty() ? x_->name : "Task-" + std::to_string(id_); }
  void set_name(std::string n) {
    if (!n.empty() || x_) extras_().name = std::move(n);
  }

  bool cancel(std::string msg = {}) override;
  /// Number of cancel() requests not yet matched by uncancel().
  int cancelling() const noexcept { return num_cancels_requested_; }
  int uncancel() noexcept {
    if (num_cancels_requested_ > 0) --num_cancels_requested_;
    return num_cancels_requested_;
  }
  /// The future this task is suspended on (nullptr when running, ready, sleeping or done).
  future_base* waiting_on() const noexcept { return fut_waiter_; }
  /// Whether it is suspended in a sleep(delay > 0) (its timer pending, fired or cancelled, and
  /// the task not yet resumed).
  bool sleeping() const noexcept { return sleep_ != sleep_state::none; }
  /// What it is suspended on, for reprs and traces: the future's describe(), "sleep 1500ms"
  /// while sleeping, "" otherwise.
  std::string waiting_for() const;
  std::string describe() const override { return "task " + name(); }
  bool started() const noexcept { return started_; }

  // ---- engine internals ----
  /// Suspend the running task on `f` at resume point `h` (future awaiter).
  void suspend_on(detail::coro_handle<> h, future_base& f);
  /// Suspend for exactly one loop pass at `h` (a bare yield, sleep(0), a trampoline).
  void yield_at(detail::coro_handle<> h, bool report = true);
  /// Suspend at `h` until `delay` seconds from now (sleep(delay > 0)). The timer is the task's
  /// own entry in the loop's heap: no handle, no future, no allocation. It behaves as asyncio's
  /// sleep future with its call_later handle: firing completes it (the task wakes one pass
  /// later), cancel() cancels it and wakes the task with cancelled_error.
  void sleep_at(detail::coro_handle<> h, double delay);
  /// The sleep's `finally: h.cancel()`, when the awaiting frame resumes or is destroyed: its
  /// heap entry, if still there, is cancelled. Inline and non-throwing (no WASM trampoline).
  void end_sleep() noexcept {
    if (sleep_seq_) cancel_sleep_entry_();
    sleep_ = sleep_state::none;
  }
  /// The cancellation to raise at the await being resumed, if any (consumed).
  std::exception_ptr take_pending() noexcept {
    if (!has_inject_()) return {};  // the common case: no exception_ptr traffic (costly in WASM)
    return clear_inject_();
  }
  /// Mark it cancelled by the CancelledError its coroutine ended with (message `msg`).
  void end_cancelled_(std::string msg);
  /// Destroy the coroutine of a task that never finished (loop teardown). Reports it.
  void destroy_pending();
  /// True for the loop callbacks that step a task (their arg is the task_base*): debug mode
  /// names the task in its slow-callback report.
  static bool is_step_callback(const detail::callback_ops* ops) noexcept { return ops == &step_ops_ || ops == &wakeup_ops_; }
  /// The loop's timer heap calls this when the sleep's deadline passes (asyncio's
  /// _set_result_unless_cancelled on the sleep future): the task wakes in the next pass.
  static void sleep_fire_cb(void* self);
  /// Releases a reference (the `drop` of the callbacks that hold one on a task).
  static void release_cb(void* self);

 protected:
  task_base(event_loop& loop, detail::coro_handle<> top) noexcept;
  ~task_base() override;
  /// Register the task and queue its first step. Cannot throw, so a constructor that calls it
  /// needs no exception landing pad (a JS trampoline in WASM).
  void schedule_first_step() noexcept;

 public:
  /// Tell the observer, if any, that the task exists: create_task does it once the task is
  /// fully constructed (an observer that throws then cannot leave a half-made task queued).
  void report_created() {
    if (auto* o = loop_->observer()) report_created_(*o);
  }

 protected:
  void report_created_(observer& o);
  /// The top coroutine has returned: if with a value, move it into this future and return true;
  /// if with an exception, store nothing and return false.
  virtual bool store_result_() = 0;
  /// The exception the finished top coroutine ended with (null if it returned a value).
  virtual std::exception_ptr top_exception_() const noexcept = 0;
  detail::coro_handle<> top() const noexcept { return top_; }

 private:
  friend class event_loop;  // the timer heap reads and clears sleep_seq_
  static void step_cb(void* self);
  static void wakeup_cb(void* self);
  /// The callbacks that step it: {step_cb or wakeup_cb, release_cb}, each holding a reference.
  static const detail::callback_ops step_ops_;
  static const detail::callback_ops wakeup_ops_;
  void cancel_sleep_(std::string msg);
  /// The message of this task's cancellation; the extras are allocated only for a non-empty one.
  void set_cancel_msg_(std::string msg) {
    if (!msg.empty() || x_) extras_().cancel_msg = std::move(msg);
  }
  void cancel_sleep_entry_() noexcept;
  void step();
  void finish_from_coroutine();
  void finish_slow_();
  void end_coroutine_();
  void destroy_frame_();
  /// The pending cancellation (extras' `inject`) changes only through these, which keep the
  /// loop's pending_injections() exact. set_inject_ may throw std::bad_alloc (the extras).
  bool has_inject_() const noexcept { return x_ && x_->inject; }
  void set_inject_(std::exception_ptr e) {
    auto& x = extras_();
    if (!x.inject) loop_->count_injection(1);
    x.inject = std::move(e);
  }
  std::exception_ptr clear_inject_() noexcept {
    if (!has_inject_()) return nullptr;
    loop_->count_injection(-1);
    return std::exchange(x_->inject, nullptr);
  }

  // (Ordered so that nothing is padded, natively or in wasm32; the flags are future_base's.)
  detail::coro_handle<> top_;
  detail::coro_handle<> resume_point_;
  future_base* fut_waiter_ = nullptr;

 public:
  task_base* next_in_loop = nullptr;  // event_loop's intrusive list of live tasks
  task_base* prev_in_loop = nullptr;

 private:
  // sleep(delay > 0): the sequence number of its live timer-heap entry (0: none; the loop
  // renumbers before 2^32), and the delay, for "sleep 1500ms" (a float: only ever printed).
  std::uint32_t sleep_seq_ = 0;
  std::uint64_t id_;
  float sleep_delay_ = 0;
  int num_cancels_requested_ = 0;
};

namespace detail {
template <class T>
class task_state final : public task_base {
 public:
  task_state(event_loop& loop, coro_handle<coro_promise<T>> h) : task_base(loop, h) { schedule_first_step(); }
  task_state(event_loop& loop, coro_handle<coro_promise<T>> h, std::string name) : task_base(loop, h) {
    set_name(std::move(name));
    schedule_first_step();
  }
  ~task_state() override { value.destroy_if(holds_value_()); }
  void* value_slot() noexcept override { return &value; }
  value_box<storage_t<T>> value;

 private:
  // The top coroutine's promise, found from its frame (the task keeps no pointer to it).
  coro_promise<T>& promise_() const noexcept { return coro_handle<coro_promise<T>>::from_address(top().address()).promise(); }
  bool store_result_() override {
    auto& p = promise_();
    if (p.failed()) return false;
    if constexpr (std::is_void_v<T>) {
      value.emplace();
    } else {
      value.emplace(p.take());
    }
    return true;
  }
  std::exception_ptr top_exception_() const noexcept override { return promise_().exception(); }
};
}  // namespace detail

template <class T = void>
class task {
 public:
  using value_type = T;
  task() = default;
  explicit task(detail::ref_ptr<detail::task_state<T>> s) : s_(std::move(s)) {}

  bool valid() const noexcept { return static_cast<bool>(s_); }
  std::string name() const { return s_->name(); }
  void set_name(std::string n) const { s_->set_name(std::move(n)); }
  std::uint64_t id() const noexcept { return s_->id(); }
  bool cancel(std::string msg = {}) const { return s_->cancel(std::move(msg)); }
  int cancelling() const noexcept { return s_->cancelling(); }
  int uncancel() const noexcept { return s_->uncancel(); }
  bool done() const noexcept { return s_->done(); }
  bool cancelled() const noexcept { return s_->cancelled(); }
  std::exception_ptr exception() const { return s_->exception(); }
  decltype(auto) result() const { return as_future().result(); }
  void add_done_callback(std::function<void(future_base&)> f) const { s_->add_done_callback(std::move(f)); }

  future<T> as_future() const { return future<T>(detail::ref_ptr<future_base>(s_.get())); }
  operator future<T>() const { return as_future(); }
  task_base* base() const noexcept { return s_.get(); }
  /// Awaiting a task: future<T>'s awaiter, except that the value is read from the task's own
  /// slot (no virtual value_slot() call).
  struct awaiter : detail::future_awaiter_base {
    detail::ref_ptr<future_base> keep;
    T await_resume() {
      deliver_pending();
      f->check_result();
      if constexpr (!std::is_void_v<T>) return static_cast<detail::task_state<T>*>(f)->value.v;
    }
  };
  awaiter operator co_await() const noexcept { return awaiter{{s_.get()}, detail::ref_ptr<future_base>(s_.get())}; }
  friend bool operator==(const task& a, const task& b) noexcept { return a.s_ == b.s_; }

 private:
  detail::ref_ptr<detail::task_state<T>> s_;
};

/// Wrap a coroutine in a task on the running loop (or `loop`); its first step runs next pass.
template <class T>
task<T> create_task(event_loop& loop, coro<T> c, std::string name) {
  auto h = c.release();
  auto* s = new detail::task_state<T>(loop, h, std::move(name));
  task<T> t(detail::ref_ptr<detail::task_state<T>>{s});
  s->report_created();
  return t;
}
template <class T>
task<T> create_task(coro<T> c, std::string name) {
  return create_task(event_loop::running(), std::move(c), std::move(name));
}
// Unnamed ("Task-<id>"): the common case, without passing an empty name string along.
template <class T>
task<T> create_task(event_loop& loop, coro<T> c) {
  auto h = c.release();
  auto* s = new detail::task_state<T>(loop, h);
  task<T> t(detail::ref_ptr<detail::task_state<T>>{s});
  s->report_created();
  return t;
}
template <class T>
task<T> create_task(coro<T> c) {
  return create_task(event_loop::running(), std::move(c));
}

// The same for an awaitable with a coroutine form (event::wait_op, queue ops): as_coro().
template <detail::coro_convertible A>
auto create_task(event_loop& loop, A a, std::string name) {
  return create_task(loop, std::move(a).as_coro(), std::move(name));
}
template <detail::coro_convertible A>
auto create_task(A a, std::string name) {
  return create_task(std::move(a).as_coro(), std::move(name));
}
template <detail::coro_convertible A>
auto create_task(event_loop& loop, A a) {
  return create_task(loop, std::move(a).as_coro());
}
template <detail::coro_convertible A>
auto create_task(A a) {
  return create_task(std::move(a).as_coro());
}

/// The task whose step is running (nullptr between steps).
inline task_base* current_task() noexcept {
  auto* l = event_loop::current();
  return l ? l->current_task() : nullptr;
}

}  // namespace aio
