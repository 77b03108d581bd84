// gather(aws...): run awaitables concurrently and collect their results in argument order
// (asyncio.gather). Coroutines are wrapped in tasks; the same future given twice is one child.
// The first exception (or a child's cancellation, as a cancelled_error exception) goes to the
// awaiting task at once, but the siblings keep running. With return_exceptions every outcome is
// collected instead. Cancelling the gather cancels its unfinished children; the gather then
// raises cancelled_error, even with return_exceptions.
#pragma once
#include <exception>
#include <optional>
#include <tuple>
#include <type_traits>
#include <vector>

#include "aio/future.hpp"
#include "aio/task.hpp"

namespace aio {

/// One child's outcome when gathering with return_exceptions.
template <class T>
struct outcome {
  std::optional<detail::storage_t<T>> value;
  std::exception_ptr error;  // set if the child failed or was cancelled (a cancelled_error)
  bool ok() const noexcept { return !error; }
  const detail::storage_t<T>& get() const {
    if (error) std::rethrow_exception(error);
    return *value;
  }
};

struct return_exceptions_t {};
inline constexpr return_exceptions_t return_exceptions{};

namespace detail {

/// The shared machinery of a gather: counts children, applies asyncio's rules, and asks the
/// typed subclass to build the result once all children are done.
class gather_core : public future_base {
 public:
  gather_core(event_loop& loop, std::vector<ref_ptr<future_base>> children, bool return_exceptions);
  bool cancel(std::string msg = {}) override;
  std::string describe() const override { return "gather " + std::to_string(children_.size()); }
  const std::vector<ref_ptr<future_base>>& children() const noexcept { return children_; }

 protected:
  /// Store the final value from children_ (all done, none failed unless return_exceptions).
  virtual void build_result() = 0;
  /// Call once the subclass is fully constructed.
  void attach();
  /// A child's outcome as an exception_ptr (cancelled → cancelled_error), nullptr if it succeeded.
  static std::exception_ptr outcome_error(future_base& f);

 private:
  static void child_done(void* link);
  void on_child_done(future_base& child);
  std::vector<ref_ptr<future_base>> children_;
  std::size_t nfuts_ = 0, nfinished_ = 0;
  bool return_exceptions_;
  bool cancel_requested_ = false;
};

template <class R, class Build>
class gather_state final : public gather_core {
 public:
  gather_state(event_loop& loop, std::vector<ref_ptr<future_base>> ch, bool rex, Build b)
      : gather_core(loop, std::move(ch), rex), build_(std::move(b)) {
    attach();
  }
  ~gather_state() override { value.destroy_if(holds_value_()); }
  void* value_slot() noexcept override { return &value; }
  value_box<R> value;

 private:
  void build_result() override {
    value.emplace(build_(children()));
    finish_();
  }
  Build build_;
};

template <class R, class Build>
future<R> make_gather(event_loop& loop, std::vector<ref_ptr<future_base>> ch, bool rex, Build b) {
  if (ch.empty()) {
    future<R> f(loop);
    f.set_result(b(ch));
    return f;
  }
  auto* g = new gather_state<R, Build>(loop, std::move(ch), rex, std::move(b));
  return future<R>(ref_ptr<future_base>(g));
}

// Turn each argument into a future: tasks and futures as they are, coroutines into new tasks.
template <class T>
future<T> to_future(event_loop&, const future<T>& f) { return f; }
template <class T>
future<T> to_future(event_loop&, const task<T>& t) { return t.as_future(); }
template <class T>
future<T> to_future(event_loop& loop, coro<T>&& c) { return create_task(loop, std::move(c)).as_future(); }
template <coro_convertible A>
auto to_future(event_loop& loop, A&& a) { return create_task(loop, std::move(a).as_coro()).as_future(); }

template <class A>
concept awaitable_child = requires(event_loop& l, A&& a) { to_future(l, std::forward<A>(a)); };

}  // namespace detail

/// Homogeneous gather: results in the order of `fs`.
template <class T>
future<std::vector<detail::storage_t<T>>> gather(const std::vector<future<T>>& fs) {
  auto& loop = event_loop::running();
  std::vector<detail::ref_ptr<future_base>> ch;
  for (auto& f : fs) ch.push_back(f.state());
  using R = std::vector<detail::storage_t<T>>;
  return detail::make_gather<R>(loop, std::move(ch), false, [](const std::vector<detail::ref_ptr<future_base>>& c) {
    R r;
    r.reserve(c.size());
    for (auto& f : c) r.push_back(detail::stored_value<T>(*f));
    return r;
  });
}
template <class T>
future<std::vector<outcome<T>>> gather(return_exceptions_t, const std::vector<future<T>>& fs) {
  auto& loop = event_loop::running();
  std::vector<detail::ref_ptr<future_base>> ch;
  for (auto& f : fs) ch.push_back(f.state());
  using R = std::vector<outcome<T>>;
  return detail::make_gather<R>(loop, std::move(ch), true, [](const std::vector<detail::ref_ptr<future_base>>& c) {
    R r;
    for (auto& f : c) {
      outcome<T> o;
      if (f->cancelled())
        o.error = std::make_exception_ptr(cancelled_error(f->py_cancel_message()));  // as gather does
      else if (auto e = f->exception())
        o.error = e;
      else
        o.value.emplace(detail::stored_value<T>(*f));
      r.push_back(std::move(o));
    }
    return r;
  });
}
template <class T>
future<std::vector<detail::storage_t<T>>> gather(const std::vector<task<T>>& ts) {
  std::vector<future<T>> fs;
  for (auto& t : ts) fs.push_back(t.as_future());
  return gather(fs);
}
template <class T>
future<std::vector<outcome<T>>> gather(return_exceptions_t r, const std::vector<task<T>>& ts) {
  std::vector<future<T>> fs;
  for (auto& t : ts) fs.push_back(t.as_future());
  return gather(r, fs);
}

/// Heterogeneous gather: co_await gather(a(), b_task, c_future) gives a tuple of their values
/// (detail::unit for void).
template <class... A>
  requires(sizeof...(A) > 0 && (detail::awaitable_child<A> && ...))
auto gather(A&&... aws) {
  auto& loop = event_loop::running();
  auto futs = std::make_tuple(detail::to_future(loop, std::forward<A>(aws))...);
  std::vector<detail::ref_ptr<future_base>> ch;
  std::apply([&](auto&... f) { (ch.push_back(f.state()), ...); }, futs);
  using R = std::tuple<detail::storage_t<typename std::decay_t<decltype(detail::to_future(loop, std::forward<A>(aws)))>::value_type>...>;
  return detail::make_gather<R>(loop, std::move(ch), false, [futs](const std::vector<detail::ref_ptr<future_base>>&) {
    return std::apply([](auto&... f) { return R(detail::stored_value<typename std::decay_t<decltype(f)>::value_type>(*f.base())...); }, futs);
  });
}

}  // namespace aio
