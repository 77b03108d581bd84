// queue<T>, priority_queue<T>, lifo_queue<T>: asyncio.Queue / PriorityQueue / LifoQueue (3.11) with
// 3.13's shutdown(). maxsize <= 0 is unbounded. Blocked getters/putters are woken one at a time,
// FIFO, and re-check when they run (no strict handoff). Cancellation never loses an item: a woken
// waiter that is cancelled wakes the next in line. shutdown(): puts raise queue_shut_down, gets
// raise once empty (at once if immediate, which drops the items as task_done), blocked tasks wake.
#pragma once
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "aio/coro.hpp"
#include "aio/detail/ring.hpp"
#include "aio/detail/wait_queue.hpp"
#include "aio/event.hpp"
#include "aio/stats.hpp"

namespace aio {

/// put_nowait() on a full queue (QueueFull).
class queue_full : public std::runtime_error {
 public:
  queue_full() : std::runtime_error("QueueFull") {}
};
/// get_nowait() on an empty queue (QueueEmpty).
class queue_empty : public std::runtime_error {
 public:
  queue_empty() : std::runtime_error("QueueEmpty") {}
};
/// put on a shut-down queue, or get on one that is shut down and empty (QueueShutDown).
class queue_shut_down : public std::runtime_error {
 public:
  queue_shut_down() : std::runtime_error("QueueShutDown") {}
};

/// What every queue shares, whatever its item type and order.
class queue_base {
 public:
  queue_base(const queue_base&) = delete;
  queue_base& operator=(const queue_base&) = delete;

  const std::string& name() const noexcept { return name_; }
  /// Also relabels what waiting tasks show: "<kind> <name> get" / "put" / "join".
  void set_name(std::string n);
  void set_observed(bool on) noexcept { observed_ = on; }
  bool observed() const noexcept { return observed_; }

  std::size_t qsize() const noexcept { return size_(); }
  long maxsize() const noexcept { return maxsize_; }
  bool empty() const noexcept { return size_() == 0; }
  bool full() const noexcept { return maxsize_ > 0 && qsize() >= static_cast<std::size_t>(maxsize_); }
  bool is_shut_down() const noexcept { return shut_down_; }
  long unfinished_tasks() const noexcept { return unfinished_; }

  /// One item taken by get() is fully processed. Throws std::invalid_argument (ValueError)
  /// when called more often than items were put.
  void task_done();
  /// Wait until every item put has been matched by task_done() (returns at once if so).
  coro<void> join();
  /// Refuse puts from now on; see the header comment.
  void shutdown(bool immediate = false);

  primitive_stats stats() const;

 protected:
  queue_base(const char* kind, long maxsize, std::string name);
  ~queue_base() = default;

  /// put()'s `while self.full()` loop: wait for a slot (raises queue_shut_down when shut down).
  coro<void> wait_for_slot_();
  /// get()'s `while self.empty()` loop: wait for an item (raises queue_shut_down when shut down).
  coro<void> wait_for_item_();
  /// After storing an item: count it, wake a getter.
  [[gnu::always_inline]] void after_put_() {
    ++unfinished_;
    if (finished_.is_set()) finished_.clear();
    if (!getters_.empty()) getters_.pop_wake_one();
    detail::report(*this, "put");
  }
  /// After taking an item: wake a putter.
  [[gnu::always_inline]] void after_get_() {
    if (!putters_.empty()) putters_.pop_wake_one();
    detail::report(*this, "get");
  }
  [[noreturn]] void throw_put_error_() const;
  [[noreturn]] void throw_get_error_() const;

 private:
  virtual std::size_t size_() const noexcept = 0;
  virtual void drop_one_() = 0;

  const char* kind_;
  std::string name_;
  detail::wait_queue getters_;
  detail::wait_queue putters_;
  event finished_;  // set while unfinished_ == 0
  long maxsize_;
  long unfinished_ = 0;
  bool shut_down_ = false;
  bool observed_ = true;
};

/// A queue of T whose order is given by Store (push, pop, size, clear one).
template <class T, class Store>
class basic_queue : public queue_base {
 public:
  using value_type = T;
  explicit basic_queue(long maxsize = 0, std::string name = {}) : queue_base(Store::kind, maxsize, std::move(name)) {}

  class put_op;
  class get_op;
  /// co_await q.put(item): wait while full, then store `item`. An awaitable with no coroutine
  /// frame unless it has to wait; as_coro() makes it a coro<void> (create_task, wait_for, ...).
  put_op put(T item) { return put_op(*this, std::move(item)); }
  /// Store `item` now; throws queue_full or queue_shut_down.
  void put_nowait(T item) { put_now_(std::move(item)); }
  /// co_await q.get(): wait while empty, then take the next item (frameless unless it waits).
  get_op get() noexcept { return get_op(*this); }
  /// Take the next item now; throws queue_empty or queue_shut_down.
  T get_nowait() { return get_now_(); }

 private:
  std::size_t size_() const noexcept override { return store_.size(); }
  // put_nowait/get_nowait's bodies, always inlined into the awaitables: a call left in a
  // coroutine body costs a JS exception trampoline in WASM even when nothing throws.
  [[gnu::always_inline]] void put_now_(T&& item) {
    if (is_shut_down() || full_()) throw_put_error_();
    store_.push(std::move(item));
    after_put_();
  }
  [[gnu::always_inline]] T get_now_() {
    if (store_.size() == 0) throw_get_error_();
    T v = store_.pop();
    after_get_();
    return v;
  }
  /// full() without the virtual call (the hot paths know the store).
  bool full_() const noexcept {
    long m = maxsize();
    return m > 0 && store_.size() >= static_cast<std::size_t>(m);
  }
  void drop_one_() override { store_.pop(); }
  Store store_;
};

/// What put() returns. When there is room, awaiting it stores the item at once (asyncio's put
/// does not suspend then either); when full, it runs the wait loop as a child coroutine.
template <class T, class Store>
class [[nodiscard]] basic_queue<T, Store>::put_op {
 public:
  put_op(basic_queue& q, T item) : q_(&q), item_(std::move(item)) {}
  bool await_ready() const noexcept { return !q_->full_(); }
  bool await_suspend(detail::coro_handle<> parent) {
    wait_ = q_->wait_for_slot_();
    return std::move(wait_).operator co_await().await_suspend(parent);
  }
  [[gnu::always_inline]] void await_resume() {
    if (wait_.valid()) std::move(wait_).operator co_await().await_resume();
    q_->put_now_(std::move(item_));
  }
  coro<void> as_coro() && { return run_(q_, std::move(item_)); }

 private:
  static coro<void> run_(basic_queue* q, T item) { co_await put_op(*q, std::move(item)); }
  basic_queue* q_;
  T item_;
  coro<void> wait_;
};

/// What get() returns: takes an item at once when there is one, else waits as a child coroutine.
template <class T, class Store>
class [[nodiscard]] basic_queue<T, Store>::get_op {
 public:
  explicit get_op(basic_queue& q) noexcept : q_(&q) {}
  bool await_ready() const noexcept { return q_->store_.size() != 0; }
  bool await_suspend(detail::coro_handle<> parent) {
    wait_ = q_->wait_for_item_();
    return std::move(wait_).operator co_await().await_suspend(parent);
  }
  [[gnu::always_inline]] T await_resume() {
    if (wait_.valid()) std::move(wait_).operator co_await().await_resume();
    return q_->get_now_();
  }
  coro<T> as_coro() && { return run_(q_); }

 private:
  static coro<T> run_(basic_queue* q) { co_return co_await get_op(*q); }
  basic_queue* q_;
  coro<void> wait_;
};

namespace detail {
/// FIFO order: a ring buffer (size is a field, no block bookkeeping) when T allows it (a popped
/// slot keeps a moved-from T until reused), else a std::deque.
template <class T>
struct fifo_store {
  static constexpr const char* kind = "queue";
  static constexpr bool use_ring = std::is_default_constructible_v<T> && std::is_move_assignable_v<T>;
  std::conditional_t<use_ring, ring<T>, std::deque<T>> items;
  std::size_t size() const noexcept { return items.size(); }
  void push(T v) { items.push_back(std::move(v)); }
  T pop() {
    if constexpr (use_ring) {
      return items.pop_front();
    } else {
      T v = std::move(items.front());
      items.pop_front();
      return v;
    }
  }
};

template <class T>
struct lifo_store {
  static constexpr const char* kind = "lifo_queue";
  std::vector<T> items;
  std::size_t size() const noexcept { return items.size(); }
  void push(T v) { items.push_back(std::move(v)); }
  T pop() {
    T v = std::move(items.back());
    items.pop_back();
    return v;
  }
};

/// heapq order: the least item by Compare first; equal items in insertion order.
template <class T, class Compare>
struct heap_store {
  static constexpr const char* kind = "priority_queue";
  struct slot {
    T item;
    std::uint64_t seq;
  };
  std::vector<slot> items;
  std::uint64_t next_seq = 0;
  Compare cmp;
  // std::*_heap keep the greatest on top: "greater" means later in our order.
  bool later(const slot& a, const slot& b) const {
    if (cmp(b.item, a.item)) return true;
    if (cmp(a.item, b.item)) return false;
    return a.seq > b.seq;
  }
  std::size_t size() const noexcept { return items.size(); }
  void push(T v) {
    items.push_back({std::move(v), next_seq++});
    std::push_heap(items.begin(), items.end(), [this](const slot& a, const slot& b) { return later(a, b); });
  }
  T pop() {
    std::pop_heap(items.begin(), items.end(), [this](const slot& a, const slot& b) { return later(a, b); });
    T v = std::move(items.back().item);
    items.pop_back();
    return v;
  }
};
}  // namespace detail

template <class T>
class queue : public basic_queue<T, detail::fifo_store<T>> {
 public:
  using basic_queue<T, detail::fifo_store<T>>::basic_queue;
};

template <class T>
class lifo_queue : public basic_queue<T, detail::lifo_store<T>> {
 public:
  using basic_queue<T, detail::lifo_store<T>>::basic_queue;
};

template <class T, class Compare = std::less<T>>
class priority_queue : public basic_queue<T, detail::heap_store<T, Compare>> {
 public:
  using basic_queue<T, detail::heap_store<T, Compare>>::basic_queue;
};

}  // namespace aio
