// task_group: structured concurrency (asyncio.TaskGroup, 3.11.7 taskgroups.py). Children made
// with create_task run concurrently; leaving the block waits for all of them.
//  - The first child failure that is not a cancellation cancels every other child and the parent
//    task (once); the parent is uncancel()ed on exit, so cancelling() is back to 0 afterwards.
//  - All failures, children's (in completion order) then the body's, are raised together as
//    exception_group("unhandled errors in a TaskGroup"). Cancelled children are not errors.
//  - create_task while aborting raises std::runtime_error ("is shutting down"), as it does before
//    enter ("has not been entered") and after a finished exit ("is finished").
//  - An external cancel of the parent cancels the children and, once they are done, re-raises
//    cancelled_error — unless errors were collected: those take priority.
// C++ shape: Python's `async with TaskGroup() as tg:` is
//   co_await aio::with_task_group([&](aio::task_group& tg) -> aio::coro<void> {
//     tg.create_task(work());
//     co_return;
//   });                                   // <- the block's exit: waits, then raises if needed
// or by hand, making the exit explicit:
//   aio::task_group tg; tg.enter();
//   std::exception_ptr err;
//   try { ... } catch (...) { err = std::current_exception(); }
//   co_await tg.exit(err);               // __aexit__; rethrows err if nothing takes priority
// task_group is a handle: copies share one group, so children may be given one by value.
// Not modelled: KeyboardInterrupt/SystemExit (C++ has no such base exceptions).
#pragma once
#include <concepts>
#include <exception>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "aio/coro.hpp"
#include "aio/exception_group.hpp"
#include "aio/future.hpp"
#include "aio/task.hpp"

namespace aio {

namespace detail {
class task_group_state final : public refcounted {
 public:
  void abort();
  void on_task_done(task_base& t);

  bool entered = false;
  bool exiting = false;
  bool aborting = false;
  bool parent_cancel_requested = false;
  event_loop* loop = nullptr;
  ref_ptr<task_base> parent;
  std::vector<ref_ptr<task_base>> tasks;  // children not yet done, in creation order
  std::vector<std::exception_ptr> errors;
  ref_ptr<future_base> on_completed;      // set while exit() waits for the last child
};
coro<void> task_group_exit(ref_ptr<task_group_state> s, std::exception_ptr body_error);
}  // namespace detail

class task_group {
 public:
  task_group();

  /// __aenter__: binds the group to the current task. Throws std::runtime_error if already
  /// entered or if no task is running.
  void enter();

  /// Start `c` as a child task. `c` is only consumed on success, so the caller still owns it
  /// when this throws (std::runtime_error: not entered, finished, or shutting down).
  template <class T>
  task<T> create_task(coro<T>&& c, std::string name = {}) {
    check_can_create();
    auto t = aio::create_task(*s_->loop, std::move(c), std::move(name));
    adopt(*t.base());
    return t;
  }
  template <detail::coro_convertible A>
  auto create_task(A&& a, std::string name = {}) {
    return create_task(std::move(a).as_coro(), std::move(name));
  }

  /// __aexit__ plus the re-raise of `async with`: waits for every child, then throws
  /// exception_group, cancelled_error or `body_error` per the rules above.
  coro<void> exit(std::exception_ptr body_error);

  /// Children still running (len(tg._tasks)).
  std::size_t size() const noexcept { return s_->tasks.size(); }
  bool aborting() const noexcept { return s_->aborting; }

 private:
  void check_can_create() const;
  void adopt(task_base& t);
  detail::ref_ptr<detail::task_group_state> s_;
};

/// `async with TaskGroup() as tg: return await body(tg)`. The callable is kept in this
/// coroutine's frame for the whole block, so a capturing lambda is safe. (g++ 12 bug: a lambda
/// temporary with non-trivial by-value captures in a co_await expression is destroyed twice;
/// name such a lambda before passing it. [&] captures are unaffected.)
template <class F>
  requires std::invocable<F&, task_group&>
auto with_task_group(F body) -> coro<typename std::invoke_result_t<F&, task_group&>::value_type> {
  using T = typename std::invoke_result_t<F&, task_group&>::value_type;
  task_group tg;
  tg.enter();
  std::exception_ptr err;
  std::optional<detail::storage_t<T>> value;
  try {
    if constexpr (std::is_void_v<T>) {
      co_await body(tg);
      value.emplace();
    } else {
      value.emplace(co_await body(tg));
    }
  } catch (...) {
    err = std::current_exception();
  }
  co_await tg.exit(err);  // throws whenever err is set
  if constexpr (!std::is_void_v<T>) co_return std::move(*value);
}

}  // namespace aio
