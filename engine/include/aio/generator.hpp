// generator<T>: an async generator (Python's `async def` with `yield`). Lazy like coro: each
// `co_await g.next()` runs the body inline in the awaiting task, with no loop pass, until its
// next co_yield (an engaged optional), its end (std::nullopt) or an exception (rethrown to the
// consumer). The body may co_await anything between yields; since it runs in the consumer's
// task, cancelling that task raises cancelled_error at the generator's own await. One next() or
// aclose() at a time: a second one while the body is suspended throws std::runtime_error.
//
// Closing. asyncio's aclose() throws GeneratorExit into the generator at its suspended yield, so
// its `finally` blocks run and may await. `co_await g.aclose()` does the same: generator_exit is
// raised at the co_yield, catch blocks and destructors run, and cleanup may co_await. C++ has no
// `finally` and forbids co_await inside a catch handler, so the spelling is: catch, keep the
// exception_ptr, await the cleanup after the handler, rethrow. Yielding again instead is an
// error ("async generator ignored GeneratorExit"). Destroying the generator without aclose() (the
// consumer leaves its loop early) destroys the frame at the yield: destructors of everything in
// scope run (RAII), but no code that would need to await can, as C++ destructors cannot suspend.
//
//   aio::generator<int> pages() { for (int i = 0; i < 3; ++i) { co_await aio::sleep(1); co_yield i; } }
//   auto g = pages();
//   while (auto item = co_await g.next()) use(*item);
#pragma once
#include <exception>
#include <optional>
#include <stdexcept>
#include <type_traits>
#include <utility>

#include "aio/coro.hpp"

namespace aio {

/// Raised at a suspended co_yield by aclose() (Python's GeneratorExit). Like cancelled_error it
/// does not derive from std::exception, so `catch (const std::exception&)` does not swallow it.
class generator_exit {
 public:
  const char* what() const noexcept { return "GeneratorExit"; }
};

template <class T>
class generator;

namespace detail {

struct generator_promise_base : coro_promise_base {
  std::exception_ptr exc;  // what the body raised (rethrown to the consumer)
  void unhandled_exception() noexcept { exc = std::current_exception(); }
  bool produced = false;  // the body reached a co_yield during the current next()
  bool closing = false;   // aclose(): the suspended co_yield raises generator_exit
  bool running = false;   // a next()/aclose() is in progress (the body may be suspended)
  bool started = false;   // the body has run (before that, aclose() runs nothing)
};

/// Resume the body on behalf of `consumer`. Returns true if the consumer must stay suspended (the
/// body is awaiting something); false if it yielded or ended synchronously. Like start_child,
/// inline up to kInlineDepth nested resumptions, trampolined through the ready queue beyond.
bool resume_generator(generator_promise_base& p, coro_handle<> gen, coro_handle<> consumer);
/// The end of aclose(), once the body's frame is gone: deliver a cancellation that arrived
/// meanwhile, then fail if the body yielded again instead of ending (`ignored`), else rethrow
/// what its cleanup raised, generator_exit itself (the expected ending) excepted.
void finish_aclose(bool ignored, std::exception_ptr e);

template <class T>
struct generator_promise : generator_promise_base {
  std::optional<T> value;  // the last co_yield's value until next() takes it

  generator<T> get_return_object() noexcept;
  void return_void() noexcept {}

  struct yield_awaiter {
    generator_promise* p;
    bool await_ready() const noexcept { return false; }
    void await_suspend(coro_handle<>) noexcept {
      p->produced = true;
      // Hands the value to the consumer; it may destroy this frame (an early exit), so nothing
      // here is touched afterwards.
      coro_promise_base::resume_continuation(*p);
    }
    void await_resume() const {
      if (p->closing) throw generator_exit{};
    }
  };
  template <class U = T>
  yield_awaiter yield_value(U&& v) {
    value.emplace(std::forward<U>(v));
    return {this};
  }
};

}  // namespace detail

template <class T>
class [[nodiscard]] generator {
  static_assert(!std::is_void_v<T> && !std::is_reference_v<T>, "generator<T> yields values");

 public:
  using promise_type = detail::generator_promise<T>;
  using value_type = T;

  generator() = default;
  explicit generator(detail::coro_handle<promise_type> h) noexcept : h_(h) {}
  generator(generator&& o) noexcept : h_(std::exchange(o.h_, {})) {}
  generator& operator=(generator o) noexcept {
    std::swap(h_, o.h_);
    return *this;
  }
  /// Destroys the frame wherever it is suspended (RAII cleanup only; see aclose()).
  ~generator() {
    if (h_) h_.destroy();
  }

  /// False once closed (or moved from).
  bool valid() const noexcept { return static_cast<bool>(h_); }
  /// The body has ended (returned, failed, or was closed).
  bool done() const noexcept { return !h_ || h_.done(); }

  struct next_awaiter {
    detail::coro_handle<promise_type> h;
    bool await_ready() const {
      if (!h || h.done()) return true;
      if (h.promise().running) throw std::runtime_error("anext(): asynchronous generator is already running");
      return false;
    }
    bool await_suspend(detail::coro_handle<> consumer) {
      auto& p = h.promise();
      p.running = true;
      return detail::resume_generator(p, h, consumer);
    }
    std::optional<T> await_resume() {
      std::exception_ptr e;
      std::optional<T> v;
      if (h) {
        auto& p = h.promise();
        p.running = false;
        e = std::exchange(p.exc, nullptr);
        if (!e && !h.done()) v = std::exchange(p.value, std::nullopt);
      }
      detail::future_awaiter_base::deliver_pending();  // as coro's awaiter: a cancel wins
      if (e) std::rethrow_exception(e);
      return v;
    }
  };
  /// co_await g.next(): the next value, or std::nullopt once the body has ended.
  next_awaiter next() noexcept { return next_awaiter{h_}; }

  struct close_awaiter {
    generator* g;
    bool resumed = false;
    bool await_ready() const {
      auto h = g->h_;
      if (!h || h.done() || !h.promise().started) return true;
      if (h.promise().running) throw std::runtime_error("aclose(): asynchronous generator is already running");
      return false;
    }
    bool await_suspend(detail::coro_handle<> consumer) {
      auto& p = g->h_.promise();
      p.closing = p.running = resumed = true;
      return detail::resume_generator(p, g->h_, consumer);
    }
    void await_resume() {
      auto h = std::exchange(g->h_, {});  // closed whatever happens: the frame goes now
      if (!h) return;
      bool ignored = resumed && !h.done();  // it yielded again instead of ending
      std::exception_ptr e = std::exchange(h.promise().exc, nullptr);
      h.destroy();
      detail::finish_aclose(ignored, e);
    }
  };
  /// co_await g.aclose(): raise generator_exit at the suspended co_yield and run the body's
  /// cleanup to its end (which may await). Rethrows any other exception the cleanup raises.
  /// Not started or already ended: just releases the frame. Later next() calls give nullopt.
  close_awaiter aclose() noexcept { return close_awaiter{this}; }

 private:
  detail::coro_handle<promise_type> h_;
};

namespace detail {
template <class T>
generator<T> generator_promise<T>::get_return_object() noexcept {
  return generator<T>(coro_handle<generator_promise<T>>::from_promise(*this));
}
}  // namespace detail

}  // namespace aio
