// shield(aw): protect `aw` from cancellation (asyncio.shield, 3.11.7). Returns a new outer future
// that mirrors the inner one (a coroutine is first wrapped in a task on the running loop).
// Cancelling the outer future — or the task awaiting it — does not touch the inner one, which
// keeps running; the outer then just stops mirroring it (its callback on the inner is removed).
// If the inner is cancelled the outer is cancelled; its result or exception is copied over.
// If the inner is already done it is returned as is. Mirroring goes through done-callbacks
// (call_soon), so the outer completes one loop pass after the inner, as in CPython.
#pragma once
#include <type_traits>

#include "aio/coro.hpp"
#include "aio/future.hpp"
#include "aio/task.hpp"

namespace aio {

namespace detail {
/// Copies a finished (not cancelled, not failed) inner's value into the pending outer.
using shield_copy_fn = void (*)(future_base& inner, future_base& outer);
/// Links inner → outer with shield's two done-callbacks.
void shield_link(const ref_ptr<future_base>& inner, const ref_ptr<future_base>& outer, shield_copy_fn copy);

template <class T>
void shield_copy(future_base& inner, future_base& outer) {
  if constexpr (std::is_void_v<T>)
    static_cast<future_state<T>&>(outer).set();
  else
    static_cast<future_state<T>&>(outer).set(stored_value<T>(inner));
}
}  // namespace detail

template <class T>
future<T> shield(const future<T>& inner) {
  if (inner.done()) return inner;  // shortcut: nothing to protect
  future<T> outer(inner.base()->loop());
  detail::shield_link(inner.state(), outer.state(), &detail::shield_copy<T>);
  return outer;
}

template <class T>
future<T> shield(const task<T>& inner) {
  return shield(inner.as_future());
}

/// A coroutine is wrapped in a task on the running loop (ensure_future), then shielded.
template <class T>
future<T> shield(coro<T> c) {
  return shield(create_task(std::move(c)).as_future());
}
template <detail::coro_convertible A>
auto shield(A a) {
  return shield(std::move(a).as_coro());
}

}  // namespace aio
