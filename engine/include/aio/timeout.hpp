// timeout / timeout_at: asyncio.timeout() (3.11.7 timeouts.py), an async context manager that
// cancels the task running its body when the deadline passes and turns that cancellation into
// timeout_error on exit. The body runs inline in the current task (no extra loop pass).
// Rules, exactly as CPython's state machine (created → active → expiring → expired | finished):
//  - on expiry it calls task.cancel(): the body sees cancelled_error at its current await;
//  - on exit it raises timeout_error (nested: cause_of() gives the cancelled_error) only if the
//    body ended with cancelled_error AND uncancel() brings cancelling() back to the value it had
//    on entry; otherwise the body's outcome passes through (a foreign cancel stays a cancel; of
//    nested timeouts expiring together only the outermost converts);
//  - a deadline already past fires on the next loop pass (call_soon); nullopt means no deadline;
//  - entering twice raises std::runtime_error; reschedule() outside the active state raises too.
//
// C++ shape (Python's `async with` has no direct equivalent, so "exit" is a function call):
//   co_await aio::timeout(1.5, work());                                  // a coro<T> body
//   co_await aio::timeout(1.5, [&](aio::timeout_scope& cm) -> aio::coro<T> { ... cm.reschedule(x); ... });
//   auto cm = aio::timeout_scope::after(1.5);          // `async with timeout(1.5) as cm:`
//   co_await aio::with_timeout(cm, work());  ...  cm.expired();
// or by hand: cm.enter(); try { ... } catch (...) { err = std::current_exception(); } cm.exit(err);
#pragma once
#include <concepts>
#include <exception>
#include <optional>
#include <type_traits>

#include "aio/coro.hpp"
#include "aio/errors.hpp"
#include "aio/exception_group.hpp"
#include "aio/handle.hpp"
#include "aio/task.hpp"

namespace aio {

namespace detail {
class timeout_state;
/// `raise TimeoutError from cause`: throws a timeout_error nesting `cause` (see cause_of()).
[[noreturn]] void raise_timeout_from(std::exception_ptr cause);
}  // namespace detail

class timeout_scope {
 public:
  enum class state { created, active, expiring, expired, finished };

  /// asyncio.timeout(delay): deadline = running loop's time() + delay (nullopt: none).
  static timeout_scope after(std::optional<double> delay);
  /// asyncio.timeout_at(when): an absolute deadline on the loop's clock (nullopt: none).
  static timeout_scope at(std::optional<double> when);

  std::optional<double> when() const noexcept;
  /// Move the deadline (only while active); a deadline in the past fires on the next pass.
  void reschedule(std::optional<double> when);
  /// The deadline passed while the body ran (state expiring or expired).
  bool expired() const noexcept;
  state current_state() const noexcept;

  /// __aenter__: binds to the current task, records its cancelling() and arms the deadline.
  /// Throws std::runtime_error if already entered or if no task is running.
  void enter();
  /// __aexit__ followed by Python's re-raise: disarms the deadline, then throws timeout_error
  /// (see the rules above) or rethrows `body_error`; returns normally if it is null.
  void exit(std::exception_ptr body_error);

 private:
  explicit timeout_scope(std::optional<double> when);
  detail::ref_ptr<detail::timeout_state> s_;
};

namespace detail {
class timeout_state final : public refcounted {
 public:
  using state = timeout_scope::state;
  explicit timeout_state(std::optional<double> w) : when(w) {}
  ~timeout_state() override;
  void on_timeout();
  void reschedule(std::optional<double> w);

  state st = state::created;
  std::optional<double> when;
  handle_ref handler;         // the armed call_at / call_soon; null when disarmed
  ref_ptr<task_base> task;    // the task the body runs in (set by enter)
  int cancelling_on_entry = 0;
};
}  // namespace detail

/// `async with cm: return await body` — runs `body` inline inside the entered scope.
template <class T>
coro<T> with_timeout(timeout_scope cm, coro<T> body) {
  cm.enter();
  std::exception_ptr err;
  std::optional<detail::storage_t<T>> value;
  try {
    if constexpr (std::is_void_v<T>) {
      co_await std::move(body);
      value.emplace();
    } else {
      value.emplace(co_await std::move(body));
    }
  } catch (...) {
    err = std::current_exception();
  }
  cm.exit(err);  // throws unless the body succeeded
  if constexpr (!std::is_void_v<T>) co_return std::move(*value);
}

template <class T>
coro<T> timeout(std::optional<double> delay, coro<T> body) {
  co_return co_await with_timeout(timeout_scope::after(delay), std::move(body));
}
template <class T>
coro<T> timeout_at(std::optional<double> when, coro<T> body) {
  co_return co_await with_timeout(timeout_scope::at(when), std::move(body));
}

/// Body given as a callable taking the scope (`async with timeout(d) as cm:`). The callable is
/// kept in this coroutine's frame, so a capturing lambda is safe. (g++ 12 bug: a lambda
/// temporary with non-trivial by-value captures in a co_await expression is destroyed twice;
/// name such a lambda before passing it.)
template <class F>
  requires std::invocable<F&, timeout_scope&>
auto timeout(std::optional<double> delay, F body) -> coro<typename std::invoke_result_t<F&, timeout_scope&>::value_type> {
  timeout_scope cm = timeout_scope::after(delay);
  co_return co_await with_timeout(cm, body(cm));
}
template <class F>
  requires std::invocable<F&, timeout_scope&>
auto timeout_at(std::optional<double> when, F body) -> coro<typename std::invoke_result_t<F&, timeout_scope&>::value_type> {
  timeout_scope cm = timeout_scope::at(when);
  co_return co_await with_timeout(cm, body(cm));
}

}  // namespace aio
