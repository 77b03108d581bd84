#include "aio/task.hpp"

#include <cmath>
#include <cstdio>

#include "aio/observer.hpp"

namespace aio {

// The loop's intrusive list of live tasks. Defined here, next to their callers (a task's first
// step and its end), so they inline into them.
void event_loop::register_task(task_base& t) noexcept {
  t.prev_in_loop = tasks_tail_;
  t.next_in_loop = nullptr;
  if (tasks_tail_)
    tasks_tail_->next_in_loop = &t;
  else
    tasks_head_ = &t;
  tasks_tail_ = &t;
}

void event_loop::unregister_task(task_base& t) noexcept {
  if (t.prev_in_loop)
    t.prev_in_loop->next_in_loop = t.next_in_loop;
  else if (tasks_head_ == &t)
    tasks_head_ = t.next_in_loop;
  if (t.next_in_loop)
    t.next_in_loop->prev_in_loop = t.prev_in_loop;
  else if (tasks_tail_ == &t)
    tasks_tail_ = t.prev_in_loop;
  t.prev_in_loop = t.next_in_loop = nullptr;
}

task_base::task_base(event_loop& loop, detail::coro_handle<> top) noexcept
    : future_base(loop), top_(top), resume_point_(top), id_(loop.next_task_id()) {}

task_base::~task_base() {
  report_unretrieved_("Task", this);  // before ~future_base, while this is still a task
  // The last reference went while the task was pending (its step or wake-up was dropped).
  if (top_) destroy_frame_();
}

void task_base::schedule_first_step() noexcept {
  loop_->register_task(*this);
  add_ref();  // the queued step's reference
  loop_->post(step_ops_, this);
}

void task_base::report_created_(observer& o) { o.on_task_created(*this, loop_->current_task()); }

// The queued step's reference is released by hand after step(), not by a ref_ptr: a local with a
// destructor would put step() under an exception landing pad, which in WASM with JS-based
// exceptions costs a JS trampoline on every step. step() only throws when the run is already
// lost (out of memory, an observer that throws); that reference is then leaked, not freed twice.
void task_base::step_cb(void* self) {
  auto* t = static_cast<task_base*>(self);
  t->step();
  t->release();
}

// asyncio's __wakeup: the awaited future is done; step. The awaiter reads its outcome on resume.
void task_base::wakeup_cb(void* self) { step_cb(self); }

void task_base::release_cb(void* self) { static_cast<task_base*>(self)->release(); }
constinit const detail::callback_ops task_base::step_ops_{&task_base::step_cb, &task_base::release_cb};
constinit const detail::callback_ops task_base::wakeup_ops_{&task_base::wakeup_cb, &task_base::release_cb};

bool task_base::cancel(std::string msg) {
  if (done()) return false;
  ++num_cancels_requested_;
  if (auto* o = loop_->observer()) o->on_cancel_requested(*this, loop_->current_task(), msg);
  // Leave fut_waiter_ set: it may be a task that ignores the cancellation and is cancelled again.
  if (fut_waiter_ && fut_waiter_->cancel(msg)) return true;
  if (sleep_ == sleep_state::pending) {  // its sleep "future" is still pending: cancel it
    cancel_sleep_(std::move(msg));
    return true;
  }
  // Otherwise a step is already queued (or the task is running): deliver it there.
  must_cancel_ = true;
  set_cancel_msg_(std::move(msg));
  return true;
}

void task_base::suspend_on(detail::coro_handle<> h, future_base& f) {
  resume_point_ = h;
  fut_waiter_ = &f;
  add_ref();  // the done-callback's reference
  f.add_done_callback(wakeup_ops_, this);
  if (auto* o = loop_->observer()) o->on_task_suspended(*this, &f);
  if (must_cancel_ && f.cancel(cancel_message())) must_cancel_ = false;
}

void task_base::sleep_at(detail::coro_handle<> h, double delay) {
  loop_->schedule_sleep(*this, loop_->time() + delay);  // may throw (heap growth): nothing changed then
  resume_point_ = h;
  sleep_delay_ = static_cast<float>(delay);
  sleep_ = sleep_state::pending;
  if (auto* o = loop_->observer()) o->on_task_suspended(*this, nullptr);
  // asyncio's __step: `if self._must_cancel: if self._fut_waiter.cancel(msg): ...`
  if (must_cancel_) {
    must_cancel_ = false;
    cancel_sleep_(cancel_message());
  }
}

// The sleep future's cancel(): the timer goes, and the task's wake-up is queued to raise
// cancelled_error(msg) at the sleep, as the cancelled future's result() would in __wakeup.
void task_base::cancel_sleep_(std::string msg) {
  if (sleep_seq_) cancel_sleep_entry_();
  sleep_ = sleep_state::cancelled;
  set_inject_(std::make_exception_ptr(cancelled_error(std::move(msg))));
  add_ref();  // the wake-up's reference
  loop_->post(wakeup_ops_, this);
}

// TimerHandle.cancel on the sleep's timer: its heap entry stays, counted as cancelled, and is
// dropped lazily (event_loop::cancel_timer).
void task_base::cancel_sleep_entry_() noexcept {
  sleep_seq_ = 0;
  loop_->count_cancelled_timer();
}

void task_base::sleep_fire_cb(void* self) {
  auto* t = static_cast<task_base*>(self);
  if (t->sleep_ == sleep_state::pending) {
    t->sleep_ = sleep_state::fired;
    t->loop_->post(wakeup_ops_, t);  // the reference moves on
    return;
  }
  t->release();  // cancelled since it was due
}

namespace {
std::string sleep_label(double d) {
  char buf[48];
  double ms = d * 1000.0;
  if (std::fabs(ms - std::round(ms)) < 1e-9)
    std::snprintf(buf, sizeof buf, "sleep %.0fms", ms);
  else
    std::snprintf(buf, sizeof buf, "sleep %gms", ms);
  return buf;
}
}  // namespace

std::string task_base::waiting_for() const {
  if (fut_waiter_) return fut_waiter_->describe();
  if (sleeping()) return sleep_label(sleep_delay_);
  return {};
}

void task_base::yield_at(detail::coro_handle<> h, bool report) {
  resume_point_ = h;
  add_ref();
  loop_->post(step_ops_, this);
  if (report)
    if (auto* o = loop_->observer()) o->on_task_suspended(*this, nullptr);
}

// asyncio's Task.__step: deliver a requested cancellation as cancelled_error at the await the
// task is suspended on, resume the coroutine, and record how it ended if it did.
void task_base::step() {
  if (done()) return;
  if (must_cancel_) {
    set_inject_(std::make_exception_ptr(cancelled_error(cancel_message())));
    must_cancel_ = false;
  }
  fut_waiter_ = nullptr;
  event_loop& loop = *loop_;
  task_base* prev = loop.current_task();
  loop.set_current_task(this);
  auto* o = loop.observer();
  if (!started_) {
    started_ = true;
    if (o) o->on_task_started(*this);
    if (has_inject_()) {
      // Cancelled before its first step: like coro.throw() on a fresh coroutine, the body never runs.
      loop.set_current_task(prev);
      finish_from_coroutine();
      return;
    }
  } else if (o) {
    o->on_task_resumed(*this);
  }
  resume_point_.resume();
  loop.set_current_task(prev);
  if (top_.done()) finish_from_coroutine();
}

// Task.__step's `except CancelledError as exc: self._cancelled_exc = exc; super().cancel()`:
// the message is exactly the exception's, handed out once (future_base::take_cancel_message).
void task_base::end_cancelled_(std::string msg) {
  cancel_state_({});
  set_cancel_msg_(std::move(msg));
  cancelled_exc_ = true;
}

// Only step() calls this, under step_cb's reference: the task outlives it.
void task_base::finish_from_coroutine() {
  if (top_.done() && !must_cancel_ && !has_inject_() && store_result_()) {
    // The common ending, a value, kept free of locals with destructors: in WASM with JS-based
    // exceptions every call made while such a local is alive goes through a JS trampoline.
    finish_();
    end_coroutine_();
    return;
  }
  finish_slow_();
}

// Every other ending: an exception, or a cancellation that arrived as it returned or before it
// started.
void task_base::finish_slow_() {
  std::exception_ptr e = top_.done() ? top_exception_() : nullptr;
  if (e) {
    try {
      std::rethrow_exception(e);
    } catch (const cancelled_error& c) {
      end_cancelled_(c.message());
    } catch (...) {
      exc_ = e;
      finish_();
    }
  } else {
    // Cancelled right before its coroutine returned (or before it started).
    must_cancel_ = false;
    std::string msg = cancel_message();
    if (has_inject_()) {
      try {
        std::rethrow_exception(clear_inject_());
      } catch (const cancelled_error& c) {
        msg = c.message();
      }
    }
    end_cancelled_(std::move(msg));
  }
  clear_inject_();
  end_coroutine_();
}

// Unregister, tell the observer how it ended, and free the finished coroutine's frame.
void task_base::end_coroutine_() {
  auto h = std::exchange(top_, {});
  resume_point_ = {};
  loop_->unregister_task(*this);
  if (auto* o = loop_->observer()) {
    if (cancelled())
      o->on_task_cancelled(*this, cancel_message());
    else if (exc_)
      o->on_task_failed(*this, exc_);
    else
      o->on_task_done(*this);
  }
  h.destroy();
}

void task_base::destroy_pending() {
  if (!top_) return;
  detail::ref_ptr<task_base> keep(this);  // destroying the frame may drop other references
  destroy_frame_();
}

void task_base::destroy_frame_() {
  loop_->unregister_task(*this);
  if (!done()) loop_->call_exception_handler({"Task was destroyed but it is pending!", nullptr, this, nullptr});
  auto h = std::exchange(top_, {});
  resume_point_ = {};
  h.destroy();    // a sleep's awaiter drops its timer entry here (end_sleep)
  clear_inject_();  // a cancellation queued for a sleep that will never resume
}

}  // namespace aio
