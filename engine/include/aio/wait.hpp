// wait(fs, return_when, timeout): wait until some or all of the given futures/tasks are done
// (asyncio.wait, 3.11.7), and return {done, pending} — the distinct elements of `fs`, in the order
// first given (Python returns sets). Built as CPython builds it: one waiter future, one
// done-callback per future, an optional call_later timer; all removed when wait returns.
//  - all_completed: every future done; first_completed: any; first_exception: the first one that
//    finishes with an exception (a cancelled future does not count), else all.
//  - The timeout neither raises nor cancels anything: what is not done is simply in `pending`.
//  - A future that finished during the same loop pass as the one that woke wait() is in `done`.
//  - Empty `fs` raises std::invalid_argument (ValueError) at the co_await. Bare coroutines are not
//    accepted (a compile error here; TypeError in 3.11): wrap them with create_task.
// Cancelling the waiting task raises cancelled_error at the co_await and leaves `fs` running.
#pragma once
#include <optional>
#include <stdexcept>
#include <type_traits>
#include <vector>

#include "aio/coro.hpp"
#include "aio/future.hpp"
#include "aio/task.hpp"

namespace aio {

enum class return_when { first_completed, first_exception, all_completed };

template <class F>
struct wait_result {
  std::vector<F> done;
  std::vector<F> pending;
};

namespace detail {
/// _wait: returns once the return_when condition holds or the timeout passes. `fs` is distinct
/// and non-empty.
coro<void> wait_core(std::vector<ref_ptr<future_base>> fs, return_when when, std::optional<double> timeout);

template <class F>
future_base* wait_base_of(const F& f) {
  if constexpr (std::is_pointer_v<F>)
    return f;  // task_base*, future_base*: for waiting on tasks of different result types
  else
    return f.base();
}
}  // namespace detail

/// F is future<T>, task<T>, or a pointer to a future_base/task_base (mixed result types).
template <class F>
coro<wait_result<F>> wait(std::vector<F> fs, return_when when = return_when::all_completed,
                          std::optional<double> timeout = std::nullopt) {
  if (fs.empty()) throw std::invalid_argument("Set of Tasks/Futures is empty.");
  std::vector<F> distinct;  // `fs = set(fs)`
  std::vector<detail::ref_ptr<future_base>> bases;
  for (auto& f : fs) {
    future_base* b = detail::wait_base_of(f);
    bool seen = false;
    for (auto& x : bases) seen = seen || x.get() == b;
    if (seen) continue;
    distinct.push_back(f);
    bases.emplace_back(b);
  }
  co_await detail::wait_core(bases, when, timeout);
  wait_result<F> r;
  for (std::size_t i = 0; i < distinct.size(); ++i) (bases[i]->done() ? r.done : r.pending).push_back(distinct[i]);
  co_return r;
}

}  // namespace aio
