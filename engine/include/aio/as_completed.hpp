// as_completed(fs, timeout): the results of `fs` in the order they complete (asyncio.as_completed,
// 3.11.7): a sequence of size() awaitables; the i-th co_await gives the i-th result to arrive
// (or rethrows that future's exception / cancelled_error). Built as CPython builds it: a
// done-callback per future feeds a queue; each awaitable is a `queue.get()` then `f.result()`.
//  - Like CPython's generator, nothing happens until the first next(): that call registers the
//    callbacks, wraps coroutines in tasks and starts the timeout's call_later.
//  - After the timeout every awaitable not yet satisfied raises timeout_error; the futures are
//    NOT cancelled. Duplicates count once.
//  - Cancelling a task awaiting one of them raises cancelled_error there; nothing is lost: the
//    next awaitable still gets the next result.
// Usage:
//   auto ac = aio::as_completed(tasks, 0.12);
//   for (std::size_t i = 0; i < ac.size(); ++i) { T v = co_await ac.next(); }
//   for (auto next : aio::as_completed(tasks)) { T v = co_await std::move(next); }
#pragma once
#include <cstddef>
#include <deque>
#include <optional>
#include <stdexcept>
#include <type_traits>
#include <vector>

#include "aio/coro.hpp"
#include "aio/future.hpp"
#include "aio/task.hpp"

namespace aio {

namespace detail {
/// What CPython's as_completed closures share: `todo`, the `done` Queue, the timer.
class as_completed_state final : public refcounted {
 public:
  /// The generator's first step: register on every future of `todo`, arm the timeout.
  as_completed_state(event_loop& loop, std::vector<ref_ptr<future_base>> todo, std::optional<double> timeout);
  ~as_completed_state() override;
  /// `await done.get()` (asyncio.Queue.get): the next completed future, or null after the timeout.
  static coro<ref_ptr<future_base>> get(ref_ptr<as_completed_state> s);

  struct link;  // one `_on_completion` registration

 private:
  static void on_completion(void* link);
  static void drop_link(void* link);
  void on_timeout();
  void put(ref_ptr<future_base> item);  // Queue.put_nowait: append, wake the first live getter
  void wakeup_next();

  event_loop* loop_;
  std::vector<link*> todo_;                 // registrations not yet fired, in input order
  std::deque<ref_ptr<future_base>> done_;   // the Queue's items (null = the timeout's dummy)
  std::deque<ref_ptr<future_base>> getters_;  // the Queue's _getters
  handle_ref timeout_handle_;
};

/// _wait_for_one: the next result, or timeout_error.
template <class T>
coro<T> wait_for_one(ref_ptr<as_completed_state> s) {
  ref_ptr<future_base> f = co_await as_completed_state::get(std::move(s));
  if (!f) throw timeout_error();
  if constexpr (std::is_void_v<T>)
    f->check_result();
  else
    co_return stored_value<T>(*f);
}
}  // namespace detail

template <class T>
class as_completed_range {
 public:
  as_completed_range(std::vector<future<T>> fs, std::optional<double> timeout) : timeout_(timeout) {
    for (auto& f : fs) {  // `set(fs)`: duplicates count once
      bool seen = false;
      for (auto& g : fs_) seen = seen || g.base() == f.base();
      if (!seen) fs_.push_back(f);
    }
    size_ = fs_.size();
  }
  as_completed_range(std::vector<coro<T>> cs, std::optional<double> timeout)
      : coros_(std::move(cs)), timeout_(timeout), size_(coros_.size()) {}

  /// How many awaitables the sequence yields (distinct futures).
  std::size_t size() const noexcept { return size_; }

  /// The next awaitable; the first call starts everything. Calling it more than size() times
  /// throws std::out_of_range (the generator is exhausted).
  coro<T> next() {
    if (yielded_ >= size_) throw std::out_of_range("as_completed: no more awaitables");
    if (!state_) start();
    ++yielded_;
    return detail::wait_for_one<T>(state_);
  }

  struct iterator {
    as_completed_range* r;
    std::size_t i;
    coro<T> operator*() const { return r->next(); }
    iterator& operator++() {
      ++i;
      return *this;
    }
    bool operator!=(const iterator& o) const { return i != o.i; }
  };
  iterator begin() { return {this, yielded_}; }
  iterator end() { return {this, size_}; }

 private:
  void start() {
    event_loop& loop = coros_.empty() && !fs_.empty() ? fs_.front().base()->loop() : event_loop::running();
    for (auto& c : coros_) fs_.push_back(create_task(loop, std::move(c)).as_future());  // ensure_future
    coros_.clear();
    std::vector<detail::ref_ptr<future_base>> todo;
    for (auto& f : fs_) todo.push_back(f.state());
    state_ = detail::ref_ptr<detail::as_completed_state>(new detail::as_completed_state(loop, std::move(todo), timeout_));
  }

  std::vector<future<T>> fs_;
  std::vector<coro<T>> coros_;
  std::optional<double> timeout_;
  std::size_t size_ = 0;
  std::size_t yielded_ = 0;
  detail::ref_ptr<detail::as_completed_state> state_;
};

template <class T>
as_completed_range<T> as_completed(std::vector<future<T>> fs, std::optional<double> timeout = std::nullopt) {
  return as_completed_range<T>(std::move(fs), timeout);
}
template <class T>
as_completed_range<T> as_completed(const std::vector<task<T>>& ts, std::optional<double> timeout = std::nullopt) {
  std::vector<future<T>> fs;
  for (auto& t : ts) fs.push_back(t.as_future());
  return as_completed_range<T>(std::move(fs), timeout);
}
/// Coroutines become tasks at the first next() (each coroutine object is distinct).
template <class T>
as_completed_range<T> as_completed(std::vector<coro<T>> cs, std::optional<double> timeout = std::nullopt) {
  return as_completed_range<T>(std::move(cs), timeout);
}

}  // namespace aio
