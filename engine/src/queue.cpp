#include "aio/queue.hpp"

namespace aio {

queue_base::queue_base(const char* kind, long maxsize, std::string name) : kind_(kind), maxsize_(maxsize) {
  finished_.set_observed(false);  // an internal part: observers see the queue's own ops
  finished_.set();
  set_name(std::move(name));
}

void queue_base::set_name(std::string n) {
  name_ = std::move(n);
  std::string base = detail::kind_label(kind_, name_);
  getters_.set_label(base + " get");
  putters_.set_label(base + " put");
  finished_.set_wait_label(base + " join");
}

// CPython 3.13 Queue.put's wait loop. A woken putter re-checks full(): no strict handoff.
coro<void> queue_base::wait_for_slot_() {
  while (full()) {
    if (shut_down_) throw queue_shut_down();
    auto w = putters_.park();
    detail::report(*this, "put_wait");
    try {
      co_await w;
    } catch (...) {
      w.cancel();  // just in case it is still pending
      w.leave();   // it may already have been popped by get_nowait() or shutdown()
      // Woken by get_nowait() but leaving: pass the free slot on to the next putter.
      if (!full() && !w.future().cancelled()) putters_.pop_wake_one();
      detail::report(*this, "cancelled");
      throw;
    }
  }
}

// CPython 3.13 Queue.get's wait loop. A woken getter re-checks empty().
coro<void> queue_base::wait_for_item_() {
  while (empty()) {
    if (shut_down_) throw queue_shut_down();
    auto w = getters_.park();
    detail::report(*this, "get_wait");
    try {
      co_await w;
    } catch (...) {
      w.cancel();
      w.leave();
      // Woken by put_nowait() but leaving: the item must not be stranded, wake the next getter.
      if (!empty() && !w.future().cancelled()) getters_.pop_wake_one();
      detail::report(*this, "cancelled");
      throw;
    }
  }
}

void queue_base::throw_put_error_() const {
  if (shut_down_) throw queue_shut_down();
  throw queue_full();
}

void queue_base::throw_get_error_() const {
  if (shut_down_) throw queue_shut_down();
  throw queue_empty();
}

void queue_base::task_done() {
  if (unfinished_ <= 0) throw std::invalid_argument("task_done() called too many times");
  if (--unfinished_ == 0) finished_.set();
  detail::report(*this, "task_done");
}

coro<void> queue_base::join() {
  detail::report(*this, "join");
  if (unfinished_ > 0) {
    co_await finished_.wait();
    detail::report(*this, "joined");
  }
}

void queue_base::shutdown(bool immediate) {
  shut_down_ = true;
  if (immediate) {
    while (!empty()) {
      drop_one_();
      if (unfinished_ > 0) --unfinished_;
    }
    if (unfinished_ == 0) finished_.set();  // may release join()
  }
  // Every blocked getter and putter re-checks and raises queue_shut_down.
  getters_.pop_wake_all();
  putters_.pop_wake_all();
  detail::report(*this, "shutdown");
}

primitive_stats queue_base::stats() const {
  primitive_stats s;
  s.kind = kind_;
  s.name = name_;
  s.waiters = getters_.task_names();
  s.putters = putters_.task_names();
  s.value = static_cast<long>(qsize());
  s.capacity = maxsize_ > 0 ? maxsize_ : 0;
  s.unfinished = unfinished_;
  s.closed = shut_down_;
  return s;
}

}  // namespace aio
