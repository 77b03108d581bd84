#include "aio/wait_for.hpp"

namespace aio::detail {

namespace {
// tasks._release_waiter as a done-callback: `arg` is the waiter, with a reference owned by the
// registration. (fn, waiter) is unique per waiter, which is what remove_done_callback matches.
void release_waiter_cb(void* p) {
  auto w = ref_ptr<future_base>::adopt(static_cast<future_base*>(p));
  if (!w->done()) static_cast<future_state<void>&>(*w).set();
}
void release_ref(void* p) { static_cast<future_base*>(p)->release(); }

void add_release_waiter(future_base& fut, const ref_ptr<future_base>& waiter) {
  waiter->add_ref();
  fut.add_done_callback(callback_for<&release_waiter_cb, &release_ref>, waiter.get());
}
void remove_release_waiter(future_base& fut, const ref_ptr<future_base>& waiter) {
  fut.remove_done_callback(&release_waiter_cb, waiter.get());
}

ref_ptr<future_base> new_waiter(event_loop& loop, const char* label) {
  ref_ptr<future_base> w(new future_state<void>(loop));
  w->set_label(label);
  return w;
}

/// `try: ... finally: timeout_handle.cancel()`.
struct cancel_timer_on_exit {
  timer_ref t;
  ~cancel_timer_on_exit() { t->cancel(); }
};
}  // namespace

coro<void> cancel_and_wait(ref_ptr<future_base> fut) {
  auto waiter = new_waiter(fut->loop(), "cancel and wait");
  add_release_waiter(*fut, waiter);
  std::exception_ptr err;
  try {
    fut->cancel();
    // Not `co_await fut`: waiting on our own waiter keeps this coroutine reliably cancellable.
    co_await future<void>(waiter);
  } catch (...) {
    err = std::current_exception();
  }
  remove_release_waiter(*fut, waiter);
  if (err) std::rethrow_exception(err);
}

// asyncio.wait_for (3.11.7) from `if timeout <= 0:` on.
coro<void> wait_for_core(std::function<ref_ptr<future_base>()> ensure, double timeout) {
  event_loop& loop = event_loop::running();
  if (timeout <= 0) {
    auto fut = ensure();
    if (fut->done()) co_return;
    co_await cancel_and_wait(fut);
    if (fut->cancelled()) raise_timeout_from(std::make_exception_ptr(cancelled_error(fut->cancel_message())));
    co_return;  // the cancellation was swallowed (a result) or replaced (an exception)
  }

  auto waiter = new_waiter(loop, "wait_for");
  cancel_timer_on_exit guard{loop.call_later(timeout, [waiter] {
    if (!waiter->done()) static_cast<future_state<void>&>(*waiter).set();
  })};
  auto fut = ensure();
  add_release_waiter(*fut, waiter);

  std::exception_ptr cancelled;
  try {
    co_await future<void>(waiter);  // until aw is done or the timer fires
  } catch (const cancelled_error&) {
    cancelled = std::current_exception();
  }
  if (cancelled) {
    if (fut->done()) co_return;
    remove_release_waiter(*fut, waiter);
    // Make sure aw is no longer running when wait_for returns (bpo-32751).
    co_await cancel_and_wait(fut);
    std::rethrow_exception(cancelled);
  }
  if (fut->done()) co_return;
  remove_release_waiter(*fut, waiter);
  co_await cancel_and_wait(fut);
  // A cleanup that raised something else, or swallowed the cancel, decides the outcome (bpo-40607).
  if (fut->cancelled()) raise_timeout_from(std::make_exception_ptr(cancelled_error(fut->cancel_message())));
}

}  // namespace aio::detail
