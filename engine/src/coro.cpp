#include "aio/coro.hpp"

#include "aio/task.hpp"

namespace aio::detail {

int& inline_depth() noexcept {
  thread_local int depth = 0;
  return depth;
}

// Python runs an awaited coroutine inline, in the same task step. So do we, until kInlineDepth
// resumptions are nested on this stack; then the child starts from the ready queue instead.
bool start_child(coro_promise_base& cp, coro_handle<> child, coro_handle<> parent) {
  cp.continuation = parent;
  int& d = inline_depth();
  if (d < kInlineDepth) {
    cp.inline_start = true;
    ++d;
    child.resume();
    --d;
    cp.inline_start = false;
    return !child.done();  // finished synchronously: the parent goes on without suspending
  }
  task_base* t = current_task();
  if (!t) throw std::runtime_error("coroutines nested this deeply must run inside a task");
  t->yield_at(child, false);
  return true;
}

// The child finished after having suspended at least once: resume its awaiter, which is what
// Python's `yield from` does when the inner generator returns.
void coro_promise_base::resume_continuation(coro_promise_base& p) noexcept {
  if (p.inline_start) return;  // start_child is still on the stack and sees done()
  coro_handle<> parent = p.continuation;
  if (!parent) return;  // a task's top coroutine: the task's step sees done()
  int& d = inline_depth();
  if (d < kInlineDepth) {
    ++d;
    parent.resume();  // may destroy p's frame; p is not touched after this
    --d;
    return;
  }
  if (task_base* t = current_task()) t->yield_at(parent, false);
}

}  // namespace aio::detail
