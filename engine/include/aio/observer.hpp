// observer: receives every state change of the loop's tasks and timers as it happens, to feed
// the terminal, the timeline and the inspector. The loop holds at most one observer (a fan-out
// observer can forward to several); with none attached each hook costs one null-pointer test.
#pragma once
#include <exception>
#include <string>

namespace aio {

class task_base;
class future_base;
class timer_handle;
struct error_context;
struct primitive_op;

/// A timer of the loop: a handle, or the deadline of a task's sleep(d > 0) (which has no handle).
struct timer_event {
  double when;
  const timer_handle* handle;  // the handle, or nullptr for a sleep
  task_base* sleeper;          // the sleeping task, or nullptr for a handle
};

class observer {
 public:
  virtual ~observer() = default;
  /// A task was created; `parent` is the task that was running (nullptr at top level).
  virtual void on_task_created(task_base&, task_base* /*parent*/) {}
  /// First step of a task.
  virtual void on_task_started(task_base&) {}
  /// The task's coroutine suspended. `on` is the future it waits for ("task worker",
  /// "gather 3", "lock db", ...: on->describe()), nullptr for a sleep (t.waiting_for() is then
  /// "sleep 1500ms") or a bare yield (sleep(0); t.waiting_for() is "").
  virtual void on_task_suspended(task_base&, const future_base* /*on*/) {}
  /// The task was stepped again after a suspension.
  virtual void on_task_resumed(task_base&) {}
  virtual void on_task_done(task_base&) {}
  virtual void on_task_failed(task_base&, const std::exception_ptr&) {}
  /// `by` is the task that called cancel() (nullptr if none was running), `msg` the message.
  virtual void on_task_cancelled(task_base&, const std::string& /*msg*/) {}
  /// cancel() was requested on a task (before it has taken effect).
  virtual void on_cancel_requested(task_base&, task_base* /*by*/, const std::string& /*msg*/) {}
  /// A timer entered the loop's heap (call_later/call_at, a timeout, a sleep's deadline).
  virtual void on_timer_scheduled(const timer_event&) {}
  /// A timer's deadline passed: its callback (or the sleeper's wake-up) is queued.
  virtual void on_timer_fired(const timer_event&) {}
  /// A loop-level report that also went to the exception handler (slow callback, never retrieved, ...).
  virtual void on_report(const error_context&) {}
  /// An operation on a lock, semaphore, event, condition, barrier or queue, with its stats after.
  virtual void on_primitive(const primitive_op&) {}
};

}  // namespace aio
