#include "scenario/objects.hpp"

namespace aio::scenario {

value_queue::value_queue(const std::string& kind, long maxsize, const std::string& name) {
  if (kind == "lifo")
    lifo_ = std::make_unique<lifo_queue<value>>(maxsize, name);
  else if (kind == "priority")
    prio_ = std::make_unique<priority_queue<value>>(maxsize, name);
  else
    fifo_ = std::make_unique<queue<value>>(maxsize, name);
}

queue_base& value_queue::base() noexcept {
  if (lifo_) return *lifo_;
  if (prio_) return *prio_;
  return *fifo_;
}

coro<void> value_queue::put(value v) {
  if (lifo_) return lifo_->put(std::move(v)).as_coro();
  if (prio_) return prio_->put(std::move(v)).as_coro();
  return fifo_->put(std::move(v)).as_coro();
}

void value_queue::put_nowait(value v) {
  if (lifo_)
    lifo_->put_nowait(std::move(v));
  else if (prio_)
    prio_->put_nowait(std::move(v));
  else
    fifo_->put_nowait(std::move(v));
}

coro<value> value_queue::get() {
  if (lifo_) return lifo_->get().as_coro();
  if (prio_) return prio_->get().as_coro();
  return fifo_->get().as_coro();
}

value value_queue::get_nowait() {
  if (lifo_) return lifo_->get_nowait();
  if (prio_) return prio_->get_nowait();
  return fifo_->get_nowait();
}

object_table::object_table(const std::map<std::string, declared_object>& decls) {
  // Locks first: conditions may use one.
  for (auto& [n, d] : decls)
    if (d.kind == "lock") locks_[n] = std::make_unique<aio::lock>(n);
  for (auto& [n, d] : decls) {
    if (d.kind == "semaphore")
      sems_[n] = std::make_unique<aio::semaphore>(d.value, n);
    else if (d.kind == "bounded_semaphore")
      sems_[n] = std::make_unique<aio::bounded_semaphore>(d.value, n);
    else if (d.kind == "event")
      events_[n] = std::make_unique<aio::event>(n);
    else if (d.kind == "condition")
      conds_[n] = d.lock.empty() ? std::make_unique<aio::condition>(n) : std::make_unique<aio::condition>(*locks_.at(d.lock), n);
    else if (d.kind == "barrier")
      barriers_[n] = std::make_unique<aio::barrier>(static_cast<std::size_t>(d.value), n);
    else if (d.kind == "queue")
      queues_[n] = std::make_unique<value_queue>(d.queue_kind, d.value, n);
  }
}

}  // namespace aio::scenario
