#include "aio/task_group.hpp"

#include <algorithm>
#include <stdexcept>

namespace aio {

namespace detail {

// TaskGroup._abort: cancel every child still running (in creation order).
void task_group_state::abort() {
  aborting = true;
  auto snapshot = tasks;  // cancel() never runs callbacks inline, but stay safe
  for (auto& t : snapshot)
    if (!t->done()) t->cancel();
}

// TaskGroup._on_task_done, rule for rule.
void task_group_state::on_task_done(task_base& t) {
  auto it = std::find_if(tasks.begin(), tasks.end(), [&](const ref_ptr<task_base>& x) { return x.get() == &t; });
  if (it != tasks.end()) tasks.erase(it);

  if (on_completed && tasks.empty() && !on_completed->done()) static_cast<future_state<void>&>(*on_completed).set();

  if (t.cancelled()) return;
  std::exception_ptr exc = t.exception();
  if (!exc) return;
  errors.push_back(exc);

  if (parent->done()) {
    loop->call_exception_handler({"Task " + t.name() + " has errored out but its parent task " + parent->name() +
                                      " is already completed",
                                  exc, &t, nullptr});
    return;
  }
  if (!aborting && !parent_cancel_requested) {
    // Interrupt whatever the body is awaiting; exit() uncancels the parent again.
    abort();
    parent_cancel_requested = true;
    parent->cancel();
  }
}

}  // namespace detail

task_group::task_group() : s_(new detail::task_group_state) {}

// TaskGroup.__aenter__ (3.11.7).
void task_group::enter() {
  auto& s = *s_;
  if (s.entered) throw std::runtime_error("TaskGroup has already been entered");
  if (!s.loop) s.loop = &event_loop::running();
  task_base* parent = s.loop->current_task();
  if (!parent) throw std::runtime_error("TaskGroup cannot determine the parent task");
  s.parent = detail::ref_ptr<task_base>(parent);
  s.entered = true;
}

void task_group::check_can_create() const {
  auto& s = *s_;
  if (!s.entered) throw std::runtime_error("TaskGroup has not been entered");
  if (s.exiting && s.tasks.empty()) throw std::runtime_error("TaskGroup is finished");
  if (s.aborting) throw std::runtime_error("TaskGroup is shutting down");
}

void task_group::adopt(task_base& t) {
  detail::ref_ptr<detail::task_group_state> s = s_;
  t.add_done_callback([s](future_base& f) { s->on_task_done(static_cast<task_base&>(f)); });
  s_->tasks.emplace_back(&t);
}

coro<void> task_group::exit(std::exception_ptr body_error) { return detail::task_group_exit(s_, std::move(body_error)); }

namespace detail {

// TaskGroup.__aexit__ (3.11.7), then the re-raise `async with` does when __aexit__ returns None.
// A free coroutine holding the state, so it does not depend on the task_group object's lifetime.
coro<void> task_group_exit(ref_ptr<task_group_state> keep, std::exception_ptr exc) {
  auto& s = *keep;
  s.exiting = true;

  const bool et_cancelled = is_cancelled_error(exc);
  std::exception_ptr propagate_cancellation = et_cancelled ? exc : nullptr;
  if (s.parent_cancel_requested) {
    // We cancelled the parent ourselves: we *must* uncancel it. With no other cancel request
    // left, the cancellation that reached the body was ours and does not propagate.
    if (s.parent->uncancel() == 0) propagate_cancellation = nullptr;
  }
  // The parent is being cancelled, or the body raised: stop the children.
  if (exc && !s.aborting) s.abort();

  // A loop, because the wait can be cancelled repeatedly (the parent cancelled again and again).
  while (!s.tasks.empty()) {
    if (!s.on_completed) {
      s.on_completed = ref_ptr<future_base>(new future_state<void>(*s.loop));
      s.on_completed->set_label("task group");
    }
    std::exception_ptr cancelled;
    try {
      co_await future<void>(s.on_completed);
    } catch (const cancelled_error&) {
      cancelled = std::current_exception();
    }
    if (cancelled && !s.aborting) {
      // The parent was cancelled while the children still run: pass it on, then to our caller.
      propagate_cancellation = cancelled;
      s.abort();
    }
    s.on_completed = nullptr;
  }

  // A cancellation propagates unless there are errors: those take priority.
  if (propagate_cancellation && s.errors.empty()) std::rethrow_exception(propagate_cancellation);
  if (exc && !et_cancelled) s.errors.push_back(exc);
  if (!s.errors.empty()) {
    auto errors = std::move(s.errors);
    s.errors.clear();
    throw exception_group("unhandled errors in a TaskGroup", std::move(errors));
  }
  if (exc) std::rethrow_exception(exc);
}

}  // namespace detail
}  // namespace aio
