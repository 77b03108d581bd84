// coro<T>: a coroutine function's result, like a Python coroutine object. Lazy: nothing runs
// until it is awaited (inline, in the awaiting task, with no extra loop pass, as Python's
// `await coro()` does) or wrapped in a task by create_task.
// Stack safety: inline resumption is bounded by kInlineDepth nested resumes; deeper chains
// trampoline through the ready queue (one loop pass), so 100,000-deep recursion cannot overflow
// the native or the JS stack. Symmetric transfer is not used (see docs/design.md).
#pragma once
#include <cstddef>
#include <cstdint>
#include <exception>
#include <new>
#include <optional>
#include <type_traits>
#include <utility>

#include "aio/future.hpp"
#include "aio/detail/coro.hpp"
#include "aio/detail/pool.hpp"

namespace aio {

template <class T>
class coro;

namespace detail {

/// How many coroutine resumptions may nest on the stack before the next one is trampolined.
inline constexpr int kInlineDepth = 48;

/// Current nesting of inline resumptions on this thread.
int& inline_depth() noexcept;

/// Live coroutine frames of every engine coroutine type (coro, generator) made on this thread, for
/// leak checks (aio/debug.hpp's live_coroutine_frames()). Always compiled in: one plain increment
/// per frame (a thread-local counter, not an atomic: a locked add per frame cost ~10% of a task).
inline thread_local std::int64_t t_live_frames = 0;

/// Base of every engine promise: the frame allocation goes through here to be counted, and
/// comes from the recycling pool (aio/detail/pool.hpp): frames are the most frequent allocation.
struct frame_counted {
  static void* operator new(std::size_t n) {
    void* p = pool_alloc(n);
    ++t_live_frames;
    return p;
  }
  static void operator delete(void* p, std::size_t n) noexcept {
    --t_live_frames;
    pool_free(p, n);
  }
};

/// What every engine coroutine's promise shares: who resumes when it ends, and the stack-depth
/// flag. How it ended (value or exception) is kept by the derived promise.
struct coro_promise_base : frame_counted {
  coro_handle<> continuation;  // the awaiting coroutine (none for a task's top coroutine)
  bool inline_start = false;   // true while the awaiter's await_suspend is still on the stack

  suspend_always initial_suspend() noexcept { return {}; }

  struct final_awaiter {
    bool await_ready() const noexcept { return false; }
    template <class P>
    void await_suspend(coro_handle<P> h) noexcept {
      resume_continuation(h.promise());
    }
    void await_resume() const noexcept {}
  };
  final_awaiter final_suspend() noexcept { return {}; }

  /// At final suspend: hand control back to the awaiting coroutine, inline if the stack allows.
  static void resume_continuation(coro_promise_base& p) noexcept;
};

/// Start `child` on behalf of `parent`; returns true if the parent must stay suspended.
bool start_child(coro_promise_base& cp, coro_handle<> child, coro_handle<> parent);

/// A coroutine ends with a value or an exception, never both: one slot holds whichever it was,
/// and the tag sits in the base's tail padding. (With a std::optional<T> next to an
/// exception_ptr, the frame of a coro<u64> was 16 bytes larger.)
template <class T>
struct coro_promise : coro_promise_base {
  enum class outcome : std::uint8_t { none, value, error };
  outcome out = outcome::none;
  union {
    T value;
    std::exception_ptr exc_;
  };

  coro_promise() noexcept {}
  coro_promise(const coro_promise&) = delete;
  ~coro_promise() {
    if (out == outcome::value)
      value.~T();
    else if (out == outcome::error)
      exc_.~exception_ptr();
  }
  coro<T> get_return_object() noexcept;
  void unhandled_exception() noexcept {
    if (out == outcome::value) value.~T();  // a local's throwing destructor after co_return
    ::new (static_cast<void*>(&exc_)) std::exception_ptr(std::current_exception());
    out = outcome::error;
  }
  template <class U = T>
  void return_value(U&& v) {
    ::new (static_cast<void*>(&value)) T(std::forward<U>(v));
    out = outcome::value;
  }
  /// The exception it ended with (null if it returned a value or has not ended).
  std::exception_ptr exception() const noexcept { return out == outcome::error ? exc_ : nullptr; }
  bool failed() const noexcept { return out == outcome::error; }
  T take() {
    if (out == outcome::error) std::rethrow_exception(exc_);
    return std::move(value);
  }
};

template <>
struct coro_promise<void> : coro_promise_base {
  std::exception_ptr exc;
  coro<void> get_return_object() noexcept;
  void return_void() noexcept {}
  void unhandled_exception() noexcept { exc = std::current_exception(); }
  std::exception_ptr exception() const noexcept { return exc; }
  bool failed() const noexcept { return static_cast<bool>(exc); }
  void take() {
    if (exc) std::rethrow_exception(exc);
  }
};

}  // namespace detail

template <class T = void>
class [[nodiscard]] coro {
 public:
  using promise_type = detail::coro_promise<T>;
  using value_type = T;

  coro() = default;
  explicit coro(detail::coro_handle<promise_type> h) noexcept : h_(h) {}
  coro(coro&& o) noexcept : h_(std::exchange(o.h_, {})) {}
  coro& operator=(coro o) noexcept {
    std::swap(h_, o.h_);
    return *this;
  }
  ~coro() {
    if (h_) h_.destroy();
  }

  bool valid() const noexcept { return static_cast<bool>(h_); }
  /// Give up the frame (create_task takes it).
  detail::coro_handle<promise_type> release() noexcept { return std::exchange(h_, {}); }

  struct awaiter {
    detail::coro_handle<promise_type> h;
    bool await_ready() const noexcept { return false; }
    bool await_suspend(detail::coro_handle<> parent) { return detail::start_child(h.promise(), h, parent); }
    T await_resume() {
      detail::future_awaiter_base::deliver_pending();
      return h.promise().take();
    }
  };
  awaiter operator co_await() && noexcept { return awaiter{h_}; }

 private:
  detail::coro_handle<promise_type> h_;
};

namespace detail {
/// An awaitable that can also become a coroutine (event::wait_op, a queue's put/get): awaited
/// directly it runs without a frame of its own; the functions that take a coro<T> (create_task,
/// wait_for, gather, shield, task_group) take it too, through as_coro().
template <class A>
concept coro_convertible = std::is_object_v<A> && requires(A&& a) { std::move(a).as_coro(); };

template <class T>
coro<T> coro_promise<T>::get_return_object() noexcept {
  return coro<T>(coro_handle<coro_promise<T>>::from_promise(*this));
}
inline coro<void> coro_promise<void>::get_return_object() noexcept {
  return coro<void>(coro_handle<coro_promise<void>>::from_promise(*this));
}
}  // namespace detail

}  // namespace aio
