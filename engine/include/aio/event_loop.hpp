// event_loop: asyncio's loop. A FIFO ready queue run in batches (each run_once() runs only the
// callbacks present when it starts, so work queued during a pass runs in the next), a timer heap
// ordered by (deadline, sequence), and an injected clock. run_once() never blocks: it returns
// when the loop next has work, and the caller (run_until_complete, the WASM driver, a debugger's
// "step") decides how to wait for it. One loop per thread; everything on it is single-threaded.
#pragma once
#include <cstdint>
#include <exception>
#include <functional>
#include <limits>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "aio/clock.hpp"
#include "aio/handle.hpp"
#include "aio/detail/chunk_queue.hpp"

namespace aio {

class task_base;
class future_base;
class observer;

/// What the exception handler receives (asyncio's context dict).
struct error_context {
  std::string message;
  std::exception_ptr exception;   // may be null
  task_base* task = nullptr;      // the task concerned, if any
  future_base* future = nullptr;  // the future concerned, if any
  aio::handle* handle = nullptr;  // the callback concerned ("Exception in callback"), if any
  /// "Unhandled error in exception handler": the report the custom handler failed on.
  const error_context* context = nullptr;
};

/// Thrown by run_until_complete when nothing is ready, no timer is pending, no external work is
/// outstanding, and the awaited future is still not done: nothing could ever complete it.
class deadlock_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

namespace detail {
/// The loop whose callbacks are running on this thread (event_loop::current()). Constant-
/// initialised, so reading it is a plain thread-local load, inlined on hot paths.
inline thread_local event_loop* t_current_loop = nullptr;

/// What a queued callback or a done-callback does: fn(arg) runs it; drop(arg), when non-null,
/// releases `arg` if it is discarded unrun. There is one constant instance per pair
/// (callback_for<fn, drop>), so a ready-queue entry and a done-callback registration are two
/// words, {&ops, arg}, instead of three.
struct callback_ops {
  void (*fn)(void*);
  void (*drop)(void*);
};
template <void (*Fn)(void*), void (*Drop)(void*) = nullptr>
inline constexpr callback_ops callback_for{Fn, Drop};
}  // namespace detail

class event_loop {
 public:
  static constexpr double never = std::numeric_limits<double>::infinity();

  explicit event_loop(std::unique_ptr<aio::clock> clk = make_virtual_clock());
  ~event_loop();
  event_loop(const event_loop&) = delete;
  event_loop& operator=(const event_loop&) = delete;

  /// The loop whose callbacks are running on this thread (asyncio.get_running_loop()).
  static event_loop* current() noexcept { return detail::t_current_loop; }
  /// current() or, failing that, throws std::runtime_error("no running event loop").
  static event_loop& running() {
    if (event_loop* l = detail::t_current_loop) return *l;
    throw_no_running_loop();
  }
  [[noreturn]] static void throw_no_running_loop();
  /// Whether `l` is a loop not yet destroyed on this thread (reports from futures that outlive
  /// their loop are dropped).
  static bool alive(const event_loop* l) noexcept;

  aio::clock& clock() noexcept { return *clock_; }
  double time() const noexcept { return vclock_ ? vclock_->now() : clock_->now(); }

  handle_ref call_soon(std::function<void()> f);
  timer_ref call_later(double delay, std::function<void()> f);
  timer_ref call_at(double when, std::function<void()> f);
  /// Schedule a timer object of your own (e.g. a subclass of timer_handle) at `when`.
  void schedule(timer_ref t, double when);

  /// One iteration: move due timers to the ready queue, then run the callbacks that are ready.
  /// Returns when the loop next has work: <= time() if callbacks are ready, a deadline if only
  /// timers are pending, `never` if nothing is scheduled.
  double run_once();
  /// What run_once() would return now: <= time() if callbacks are ready, else the first
  /// timer's deadline, else `never`.
  double next_deadline() const noexcept;
  /// Run until `f` is done: run_once, then let the clock wait until the next deadline.
  /// Throws deadlock_error if nothing can ever complete `f`.
  void run_until_done(future_base& f);
  /// Run until stop() is called (or nothing is left to run, which also returns).
  void run_forever();
  void stop() noexcept { stopping_ = true; }
  bool is_running() const noexcept { return running_; }

  /// Work that will arrive from outside the loop (a fetch in flight, an executor job) keeps the
  /// loop from declaring a deadlock while it waits. Pair every hold with a release.
  void hold_external() noexcept { ++external_; }
  void release_external() noexcept { --external_; }
  bool has_external() const noexcept { return external_ > 0; }

  // ---- other threads ----
  /// asyncio's call_soon_threadsafe: the entry point other threads may call while the loop
  /// exists. `f` runs on the loop thread in the next pass (before that pass's due timers, as
  /// in asyncio); a real-clock wait in progress is cut short (platform::wake).
  void call_soon_threadsafe(std::function<void()> f);
  /// Engine form, for work lent to another thread (executor jobs): call begin_remote() on the
  /// loop thread before handing the work over; the other thread ends it with post_remote(),
  /// whose fn(arg) then runs on the loop thread, and must not touch the loop afterwards. The
  /// destructor waits for remote work still out, so a worker never outlives its loop (asyncio.run
  /// likewise waits for the default executor's jobs in shutdown_default_executor).
  void begin_remote();
  void post_remote(const detail::callback_ops& ops, void* arg) noexcept;

  task_base* current_task() const noexcept { return current_task_; }
  /// Tasks not yet done, in creation order.
  std::vector<task_base*> all_tasks() const;

  void set_observer(aio::observer* o) noexcept { observer_ = o; }
  aio::observer* observer() const noexcept { return observer_; }

  using exception_handler = std::function<void(event_loop&, const error_context&)>;
  /// nullptr restores the default handler (writes to the log sink).
  void set_exception_handler(exception_handler h) { handler_ = std::move(h); }
  /// The custom handler, or an empty function when the default one is in use.
  const exception_handler& get_exception_handler() const noexcept { return handler_; }
  /// Calls the handler; if it throws, the default handler reports "Unhandled error in
  /// exception handler" with the thrown exception and the original report as `context`.
  void call_exception_handler(const error_context& ctx);
  /// Formats the report as one log entry (asyncio's default handler, which logs at ERROR).
  void default_exception_handler(const error_context& ctx);
  /// Where the default handler's entries go (asyncio's logger). nullptr: stderr.
  using log_sink = std::function<void(const std::string& entry)>;
  void set_log_sink(log_sink s) { log_sink_ = std::move(s); }

  /// Debug mode: report callbacks that run for at least slow_callback_duration seconds of real
  /// (platform) time, as "Executing <Task pending name='t'> took 0.150 seconds" (aio/debug.hpp).
  void set_debug(bool on) noexcept { debug_ = on; }
  bool debug() const noexcept { return debug_; }
  double slow_callback_duration = 0.1;

  /// Number of callbacks in the ready queue / timers pending (inspection, tests).
  std::size_t ready_count() const noexcept { return ready_.size(); }
  /// Blocks of detail::chunk_queue::block_items callbacks the ready queue holds now (inspection).
  std::size_t ready_blocks() const noexcept { return ready_.blocks(); }
  std::size_t timer_count() const noexcept { return timers_.size() - cancelled_timers_; }

  // ---- engine internals (used by futures, tasks and primitives) ----
  /// call_soon without a handle: ops.fn(arg) runs in a later pass, in FIFO order. `arg` is owned
  /// by the queue entry: if the loop is destroyed first, ops.drop(arg) (when non-null) releases it.
  /// Never throws (so waking a task needs no exception landing pad): if the ready queue cannot
  /// grow, the callback is lost (its `arg` leaked) and this pass of run_once() ends by throwing
  /// std::bad_alloc, which ends the run.
  void post(const detail::callback_ops& ops, void* arg) noexcept {
    if (!ready_.try_push_back({&ops, arg})) [[unlikely]]
      lost_post_ = true;
  }
  void cancel_timer(timer_handle& t) noexcept;
  /// Put task `t` to sleep until `when` (task_base::sleep_at): a heap entry of its own, holding
  /// a reference to it. May throw std::bad_alloc (heap growth), leaving nothing scheduled.
  void schedule_sleep(task_base& t, double when);
  /// A task's sleep entry was cancelled: it stays in the heap, counted, until dropped lazily.
  void count_cancelled_timer() noexcept { ++cancelled_timers_; }
  /// Tests: the last timer sequence number handed out (to exercise renumber_timers()).
  std::uint32_t timer_seq() const noexcept { return timer_seq_; }
  void set_timer_seq(std::uint32_t s) noexcept { timer_seq_ = s; }
  void set_current_task(task_base* t) noexcept { current_task_ = t; }
  void register_task(task_base& t) noexcept;
  void unregister_task(task_base& t) noexcept;
  std::uint64_t next_task_id() noexcept { return ++task_ids_; }
  /// Tasks holding a cancellation to raise at the await being resumed (task_base keeps it
  /// exact): awaiters skip looking for one while this is zero, the overwhelmingly common case.
  std::uint32_t pending_injections() const noexcept { return pending_injections_; }
  void count_injection(int delta) noexcept { pending_injections_ += static_cast<std::uint32_t>(delta); }

 private:
  struct ready_item {
    const detail::callback_ops* ops;
    void* arg;
  };
  struct remote_inbox;  // callbacks posted from other threads (mutex-protected)
  void push_remote(ready_item it, bool ends_remote) noexcept;
  void drain_remote();
  void run_debug(ready_item it);
  static void drop_handle(void* h);
  static void run_handle(void* h);
  static const detail::callback_ops handle_ops_;  // {run_handle, drop_handle}: a queued handle
  /// A timer heap entry, by value (24 bytes natively, 16 in wasm32): ordered by (deadline,
  /// scheduling sequence) without touching its target, so equal deadlines fire in the order they
  /// were scheduled. The target
  /// is a timer handle, or (low bit set) a task sleeping in sleep(d > 0); the entry holds a
  /// reference to it. A handle has at most one entry, live while its in_heap_; a task's entry is
  /// live while the task's sleep_seq_ is the entry's seq.
  struct timer_entry {
    double when;
    std::uint32_t seq;  // see next_timer_seq()
    std::uintptr_t target;
    bool operator<(const timer_entry& o) const noexcept;
    bool is_sleep() const noexcept { return target & 1u; }
    timer_handle* handle() const noexcept { return reinterpret_cast<timer_handle*>(target); }
    task_base* sleeper() const noexcept { return reinterpret_cast<task_base*>(target & ~std::uintptr_t(1)); }
    bool live() const noexcept;
    /// Make a live entry dead (it fired, or the loop is closing): its target no longer counts it.
    void unlive() const noexcept;
    /// Drop a dead (cancelled) entry: release its reference.
    void drop_dead() const noexcept;
  };
  /// The next scheduling sequence number. They are 32-bit (a wasm32 entry is 16 bytes, not 24):
  /// before they would run out, renumber_timers() numbers the entries in the heap afresh from 1,
  /// in their (when, seq) order, so ties keep breaking in scheduling order.
  std::uint32_t next_timer_seq() {
    if (timer_seq_ == std::numeric_limits<std::uint32_t>::max()) [[unlikely]]
      renumber_timers();
    return ++timer_seq_;
  }
  void renumber_timers() noexcept;
  void heap_push(timer_entry e);
  timer_entry heap_pop();
  void drop_cancelled_timers();
  void purge_cancelled_timers();

  std::unique_ptr<aio::clock> clock_;
  const virtual_clock* vclock_ = nullptr;  // clock_ when it is the (final) virtual clock: time() without a virtual call
  detail::chunk_queue<ready_item> ready_;  // asyncio's _ready deque
  std::vector<timer_entry> timers_;  // min-heap on (when, seq), heapq's algorithms; each holds a reference
  std::size_t cancelled_timers_ = 0;  // entries whose timer was cancelled, not yet removed
  std::uint32_t timer_seq_ = 0;
  std::uint64_t task_ids_ = 0;
  std::uint32_t pending_injections_ = 0;
  task_base* current_task_ = nullptr;
  task_base* tasks_head_ = nullptr;  // intrusive list of live tasks (all_tasks, close-time reports)
  task_base* tasks_tail_ = nullptr;
  aio::observer* observer_ = nullptr;
  exception_handler handler_;
  log_sink log_sink_;
  std::unique_ptr<remote_inbox> inbox_;
  int external_ = 0;
  bool running_ = false;
  bool stopping_ = false;
  bool debug_ = false;
  bool lost_post_ = false;  // post() could not queue a callback: run_once() throws bad_alloc
  event_loop* prev_current_ = nullptr;
};

}  // namespace aio
