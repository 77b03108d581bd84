// wait_queue: the one parking lot under every lock, semaphore, event, condition, barrier and
// queue (trio's _parking_lot.py). A FIFO of waiters, each a pending future plus the task that
// parked it; waking completes the future with set_result, so wake-ups go through call_soon as in
// CPython. Cancellation: task::cancel() cancels the parked future; the waiter's ticket removes
// the entry when it leaves, or when its coroutine frame is destroyed (CPython's `finally: remove`).
#pragma once
#include <cstddef>
#include <exception>
#include <string>
#include <utility>
#include <vector>

#include "aio/event_loop.hpp"
#include "aio/future.hpp"
#include "aio/observer.hpp"
#include "aio/stats.hpp"
#include "aio/task.hpp"

namespace aio::detail {

/// "Task-3", or "(no task)" for code running outside any task.
std::string task_label(const task_base* t);

/// The wake-up shapes CPython uses are all here: wake the first / the first n pending entries
/// and leave them queued (Lock, Semaphore, Condition, Event), or pop until one is pending (Queue).
class wait_queue {
 public:
  class ticket;

  explicit wait_queue(std::string label = {}) : label_(make_label(std::move(label))) {}
  wait_queue(const wait_queue&) = delete;
  wait_queue& operator=(const wait_queue&) = delete;
  /// Entries still queued are dropped; their tickets are detached (they no longer touch us).
  ~wait_queue();

  /// What a task parked here is suspended on (its future's describe()): "lock db", ...
  const std::string& label() const noexcept;
  void set_label(std::string l) { label_ = make_label(std::move(l)); }

  /// Append a new pending future for the current task; await the returned ticket.
  [[nodiscard]] ticket park();

  bool empty() const noexcept { return head_ == nullptr; }
  std::size_t size() const noexcept { return size_; }
  /// True when no entry is left that is not cancelled (CPython's `all(w.cancelled() ...)`).
  bool all_cancelled() const noexcept;

  /// Lock._wake_up_first: complete the first entry's future if it is still pending. The entry
  /// stays queued until its task runs. Returns true if a future was completed.
  bool wake_first() noexcept;
  /// Semaphore._wake_up_next, Condition.notify(n), Event.set: complete the first `n` pending
  /// futures, in FIFO order, leaving the entries queued. Returns how many were completed.
  std::size_t wake(std::size_t n) noexcept;
  /// Queue._wakeup_next: pop entries until one is pending and complete it. Returns true if one was.
  bool pop_wake_one() noexcept;
  /// Queue.shutdown: pop every entry, completing those still pending.
  void pop_wake_all() noexcept;

  /// Names of the tasks parked here, FIFO; entries already woken stay listed until their task
  /// runs, cancelled ones are left out (their tasks are about to leave).
  std::vector<std::string> task_names() const;

  /// A parked waiter: it is the queue entry (an intrusive list node) until it is woken and
  /// popped, or leaves. Lives in the waiting coroutine's frame (its address never changes);
  /// its destructor removes the entry if it is still queued.
  class ticket {
   public:
    /// Park the running task at the back of `q` (what park() returns; public so an awaitable
    /// can hold its ticket in place, e.g. in a std::optional).
    explicit ticket(wait_queue& q);
    ticket(const ticket&) = delete;
    ticket& operator=(const ticket&) = delete;
    ~ticket() { leave(); }
    future_base& future() noexcept { return f_; }
    const future_base& future() const noexcept { return f_; }
    /// Remove the entry if it is still queued; true if it was (CPython's waiters.remove(fut)).
    bool leave() noexcept;
    /// Cancel the future if still pending (Queue's `getter.cancel()  # just in case`).
    void cancel() { f_.cancel(); }
    aio::future<void>::awaiter operator co_await() noexcept { return {{&f_}, ref_ptr<future_base>(&f_)}; }

   private:
    friend class wait_queue;
    wait_queue* q_;  // non-null exactly while this ticket is linked into q_'s list
    // The parked future is a member (no allocation per wait). It holds a reference to itself for
    // its whole life, so references taken on it (an awaiter's, a task's waiting_on() user's)
    // can never `delete` a member; it dies with the ticket, which the waiting frame owns.
    future_state<void> f_;
    task_base* task_;  // the parked task (alive: its frame holds this ticket)
    ticket* prev_ = nullptr;
    ticket* next_ = nullptr;
  };

 private:
  static void complete(future_base& f) noexcept;
  void unlink_(ticket& t) noexcept;
  void pop_front_() noexcept { unlink_(*head_); }

  ticket* head_ = nullptr;  // FIFO of parked tickets
  ticket* tail_ = nullptr;
  std::size_t size_ = 0;
  label_ref label_;
};

/// "kind" or "kind name": the default label of a primitive's waiters.
inline std::string kind_label(const char* kind, const std::string& name) {
  return name.empty() ? std::string(kind) : std::string(kind) + " " + name;
}

/// report()'s slow part, out of line: only runs when an observer listens.
template <class P>
[[gnu::noinline, gnu::cold]] void report_to(const P& p, const char* op, event_loop& loop, observer& o) {
  primitive_stats s = p.stats();
  o.on_primitive({op, loop.current_task(), s});
}

/// Send `op` with p.stats() to the running loop's observer, if one is attached and p is observed.
/// With no observer this is three inlined tests.
template <class P>
inline void report(const P& p, const char* op) {
  if (!p.observed()) return;
  event_loop* loop = event_loop::current();
  if (!loop) return;
  if (observer* o = loop->observer()) report_to(p, op, *loop, *o);
}

/// A failure inside a destructor (a guard's release) goes to the loop's exception handler.
void report_guard_error(std::exception_ptr e);

/// Holds a lock, semaphore or condition from scoped() until destroyed (or release()d early):
/// C++'s `async with`. Move-only.
template <class P>
class [[nodiscard]] release_guard {
 public:
  explicit release_guard(P& p) noexcept : p_(&p) {}
  release_guard(release_guard&& o) noexcept : p_(std::exchange(o.p_, nullptr)) {}
  release_guard& operator=(release_guard&& o) noexcept {
    if (this != &o) {
      reset_();
      p_ = std::exchange(o.p_, nullptr);
    }
    return *this;
  }
  ~release_guard() { reset_(); }
  bool owns() const noexcept { return p_ != nullptr; }
  /// Release now (may throw what P::release throws).
  void release() {
    if (P* p = std::exchange(p_, nullptr)) p->release();
  }

 private:
  void reset_() noexcept {
    if (!p_) return;
    try {
      std::exchange(p_, nullptr)->release();
    } catch (...) {
      report_guard_error(std::current_exception());
    }
  }
  P* p_;
};

}  // namespace aio::detail
