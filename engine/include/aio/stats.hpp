// primitive_stats: a snapshot of a synchronisation primitive or queue, returned by stats() and
// sent to observers after every operation (it feeds the inspector and the terminal).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace aio {

class task_base;

struct primitive_stats {
  std::string kind;                 // "lock", "semaphore", "bounded_semaphore", "event", "condition", "barrier", "queue", ...
  std::string name;                 // the primitive's name (set by its owner; may be empty)
  std::vector<std::string> holders;  // tasks holding it (lock owner; semaphore holders if tracked)
  std::vector<std::string> waiters;  // tasks waiting, in FIFO order (for a queue: getters)
  std::vector<std::string> putters;  // queue only: tasks blocked in put(), in order
  long value = 0;                   // permits left (semaphore), 1/0 (lock locked, event set), items (queue), parties arrived (barrier)
  long capacity = 0;                // initial permits, maxsize (0 = unbounded), parties
  long unfinished = 0;              // queue only: items put but not yet task_done()
  bool closed = false;              // queue shut down, barrier broken
};

/// One operation on a primitive, as observers see it.
struct primitive_op {
  const char* op;             // "acquire", "acquired", "release", "wait", "woken", "set", "clear", "notify", "put", "get", "task_done", "join", "shutdown", ...
  task_base* task;            // the task that did it (nullptr outside any task)
  const primitive_stats& after;  // the primitive's state after the operation
};

}  // namespace aio
