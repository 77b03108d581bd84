// wait_for(aw, timeout): await `aw` with a deadline (asyncio.wait_for, 3.11.7 tasks.py, built
// the same way: a waiter future released by a call_later timer or by aw's done-callback).
//  - timeout nullopt: plain `co_await aw` (a coroutine runs inline, no task);
//  - timeout <= 0: aw (wrapped in a task if a coroutine) is returned at once if already done,
//    else cancelled and waited for, then timeout_error;
//  - on expiry: aw is cancelled AND waited for; then timeout_error nesting the cancelled_error
//    (cause_of()). If aw's cleanup swallowed the cancel its result is returned; if the cleanup
//    raised another exception that exception wins.
//  - cancelling the caller cancels aw and waits for it, then re-raises cancelled_error — unless
//    aw had already finished, in which case its result is returned (3.11's behaviour).
#pragma once
#include <functional>
#include <optional>
#include <type_traits>

#include "aio/coro.hpp"
#include "aio/future.hpp"
#include "aio/task.hpp"
#include "aio/timeout.hpp"

namespace aio {

namespace detail {
/// The part of wait_for after the None check. `ensure` is ensure_future(aw), called at the point
/// where CPython calls it. Returns normally when the caller should return fut.result(); throws
/// otherwise (timeout_error, cancelled_error).
coro<void> wait_for_core(std::function<ref_ptr<future_base>()> ensure, double timeout);
/// tasks._cancel_and_wait: cancel `fut` and wait until it is done (cancellable itself).
coro<void> cancel_and_wait(ref_ptr<future_base> fut);
}  // namespace detail

template <class T>
coro<T> wait_for(future<T> fut, std::optional<double> timeout) {
  if (!timeout) co_return co_await fut;
  co_await detail::wait_for_core([&] { return fut.state(); }, *timeout);
  co_return fut.result();
}
/// An awaitable with a coroutine form (event::wait_op, queue ops), as asyncio.wait_for takes
/// any awaitable.
template <detail::coro_convertible A>
auto wait_for(A a, std::optional<double> timeout) {
  return wait_for(std::move(a).as_coro(), timeout);
}

template <class T>
coro<T> wait_for(task<T> t, std::optional<double> timeout) {
  co_return co_await wait_for(t.as_future(), timeout);
}

template <class T>
coro<T> wait_for(coro<T> c, std::optional<double> timeout) {
  if (!timeout) co_return co_await std::move(c);
  future<T> fut;
  co_await detail::wait_for_core(
      [&] {
        fut = create_task(std::move(c)).as_future();
        return fut.state();
      },
      *timeout);
  co_return fut.result();
}

}  // namespace aio
