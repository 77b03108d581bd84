// Named synchronisation objects a scenario declares at the top level (locks:, semaphores:,
// bounded_semaphores:, events:, conditions:, barriers:, queues:), and their run-time instances.
// Names are unique across all kinds, so a step can say `lock: db` and errors can say what `db` is.
#pragma once
#include <map>
#include <memory>
#include <string>

#include "aio/barrier.hpp"
#include "aio/condition.hpp"
#include "aio/event.hpp"
#include "aio/lock.hpp"
#include "aio/queue.hpp"
#include "aio/semaphore.hpp"
#include "scenario/expr.hpp"

namespace aio::scenario {

/// One declaration. kind: lock, semaphore, bounded_semaphore, event, condition, barrier, queue.
struct declared_object {
  std::string kind;
  std::string name;
  long value = 0;          // semaphore permits, barrier parties, queue maxsize (0: unbounded)
  std::string queue_kind;  // queue: "fifo" | "lifo" | "priority"
  std::string lock;        // condition: the lock it uses (empty: its own)
  std::string pointer;
};

/// A scenario queue of values, whichever order it keeps.
class value_queue {
 public:
  value_queue(const std::string& kind, long maxsize, const std::string& name);
  queue_base& base() noexcept;
  coro<void> put(value v);
  void put_nowait(value v);
  coro<value> get();
  value get_nowait();

 private:
  std::unique_ptr<queue<value>> fifo_;
  std::unique_ptr<lifo_queue<value>> lifo_;
  std::unique_ptr<priority_queue<value>> prio_;
};

/// The run-time objects of one run, made from the declarations when the run starts.
class object_table {
 public:
  explicit object_table(const std::map<std::string, declared_object>& decls);
  aio::lock& lock(const std::string& n) { return *locks_.at(n); }
  aio::semaphore& semaphore(const std::string& n) { return *sems_.at(n); }
  aio::event& event(const std::string& n) { return *events_.at(n); }
  aio::condition& condition(const std::string& n) { return *conds_.at(n); }
  aio::barrier& barrier(const std::string& n) { return *barriers_.at(n); }
  value_queue& queue(const std::string& n) { return *queues_.at(n); }

 private:
  std::map<std::string, std::unique_ptr<aio::lock>> locks_;
  std::map<std::string, std::unique_ptr<aio::semaphore>> sems_;
  std::map<std::string, std::unique_ptr<aio::event>> events_;
  std::map<std::string, std::unique_ptr<aio::condition>> conds_;
  std::map<std::string, std::unique_ptr<aio::barrier>> barriers_;
  std::map<std::string, std::unique_ptr<value_queue>> queues_;
};

}  // namespace aio::scenario
