#include "aio/event_loop.hpp"

#include <algorithm>
#include <new>
#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <exception>
#include <mutex>

#include "aio/debug.hpp"
#include "aio/detail/platform.hpp"
#include "aio/future.hpp"
#include "aio/observer.hpp"
#include "aio/task.hpp"

namespace aio {

namespace {
// Loops alive on this thread: a future that outlives its loop must not report to it.
thread_local std::vector<const event_loop*> t_alive;

std::string describe_exception(const std::exception_ptr& e) {
  if (!e) return {};
  try {
    std::rethrow_exception(e);
  } catch (const cancelled_error& c) {
    return std::string("CancelledError: ") + c.message();
  } catch (const std::exception& x) {
    return x.what();
  } catch (...) {
    return "unknown exception";
  }
}
}  // namespace

// Callbacks posted from other threads. `out` counts remote work begun and not yet posted back;
// `nonempty` mirrors !items.empty() so the loop thread can test it without taking the lock.
struct event_loop::remote_inbox {
  std::mutex mu;
  std::condition_variable idle;  // notified when `out` drops to zero
  std::vector<ready_item> items;
  std::atomic<bool> nonempty{false};
  int out = 0;
};

event_loop::event_loop(std::unique_ptr<aio::clock> clk) : clock_(std::move(clk)), inbox_(new remote_inbox) {
  if (!clock_) clock_ = make_virtual_clock();
  vclock_ = dynamic_cast<const virtual_clock*>(clock_.get());
  t_alive.push_back(this);
}

bool event_loop::alive(const event_loop* l) noexcept {
  return std::find(t_alive.begin(), t_alive.end(), l) != t_alive.end();
}

event_loop::~event_loop() {
  // Work lent to other threads comes back here; wait for it so no worker outlives the loop,
  // then drop what it posted along with the ready queue.
  {
    std::unique_lock<std::mutex> lk(inbox_->mu);
    inbox_->idle.wait(lk, [this] { return inbox_->out == 0; });
  }
  drain_remote();
  // Tasks still pending when the loop goes away are destroyed and reported, as asyncio's
  // Task.__del__ does ("Task was destroyed but it is pending!"). Destroying a coroutine frame
  // releases what it held, which may free other tasks, so restart from the head each time.
  event_loop* saved = detail::t_current_loop;
  detail::t_current_loop = this;
  // Queued callbacks (task steps, wake-ups, handles) hold references: drop them unrun.
  // Destroying a task's frame can queue more (a scoped guard releasing a lock wakes a waiter),
  // so repeat until the ready queue, the timers and the task list are all empty.
  for (;;) {
    while (!ready_.empty()) {
      auto it = ready_.pop_front();
      if (it.ops->drop) it.ops->drop(it.arg);
    }
    auto timers = std::move(timers_);
    timers_.clear();
    cancelled_timers_ = 0;
    for (auto& e : timers) {
      if (e.live()) e.unlive();
      e.drop_dead();
    }
    if (!tasks_head_) break;
    while (tasks_head_) {
      detail::ref_ptr<task_base> keep(tasks_head_);
      keep->destroy_pending();
      if (tasks_head_ == keep.get()) unregister_task(*keep);
    }
  }
  detail::t_current_loop = saved;
  if (auto it = std::find(t_alive.begin(), t_alive.end(), this); it != t_alive.end()) t_alive.erase(it);
}

void event_loop::throw_no_running_loop() { throw std::runtime_error("no running event loop"); }

// ---- scheduling ----

void event_loop::drop_handle(void* p) { static_cast<handle*>(p)->release(); }
constinit const detail::callback_ops event_loop::handle_ops_{&event_loop::run_handle, &event_loop::drop_handle};

void event_loop::run_handle(void* p) {
  auto h = detail::ref_ptr<handle>::adopt(static_cast<handle*>(p));
  try {
    h->run();
  } catch (...) {
    auto& loop = *detail::t_current_loop;
    loop.call_exception_handler({"Exception in callback", std::current_exception(), nullptr, nullptr, h.get()});
  }
}

handle_ref event_loop::call_soon(std::function<void()> f) {
  handle_ref h(new detail::function_handle<handle>(std::move(f)));
  h->add_ref();  // the ready queue's reference
  post(handle_ops_, h.get());
  return h;
}

// ---- other threads ----

void event_loop::push_remote(ready_item it, bool ends_remote) noexcept {
  {
    std::lock_guard<std::mutex> lk(inbox_->mu);
    inbox_->items.push_back(it);
    inbox_->nonempty.store(true, std::memory_order_release);
    if (ends_remote && --inbox_->out == 0) inbox_->idle.notify_all();
  }
  // The loop may be gone from here on (ends_remote): platform::wake is process-wide.
  detail::platform::wake();
}

void event_loop::call_soon_threadsafe(std::function<void()> f) {
  auto* h = new detail::function_handle<handle>(std::move(f));
  h->add_ref();  // the queue's reference, handed to the loop thread with the entry
  push_remote({&handle_ops_, h}, false);
}

void event_loop::begin_remote() {
  std::lock_guard<std::mutex> lk(inbox_->mu);
  ++inbox_->out;
}

void event_loop::post_remote(const detail::callback_ops& ops, void* arg) noexcept {
  push_remote({&ops, arg}, true);
}

void event_loop::drain_remote() {
  std::lock_guard<std::mutex> lk(inbox_->mu);
  for (auto& it : inbox_->items) ready_.push_back(it);
  inbox_->items.clear();
  inbox_->nonempty.store(false, std::memory_order_relaxed);
}

timer_ref event_loop::call_later(double delay, std::function<void()> f) { return call_at(time() + delay, std::move(f)); }

timer_ref event_loop::call_at(double when, std::function<void()> f) {
  timer_ref t(new detail::function_handle<timer_handle>(std::move(f)));
  schedule(t, when);
  return t;
}

void event_loop::schedule(timer_ref t, double when) {
  if (t->in_heap_) cancel_timer(*t);  // rescheduling: the old entry goes
  if (t->stale_) purge_cancelled_timers();  // (rare) one entry per handle at most
  const std::uint32_t seq = next_timer_seq();
  t->when_ = when;
  t->loop_ = this;
  timer_handle* raw = t.get();
  heap_push({when, seq, reinterpret_cast<std::uintptr_t>(raw)});
  t->in_heap_ = true;
  t.leak();  // the heap's reference
  if (observer_) observer_->on_timer_scheduled({when, raw, nullptr});
}

void event_loop::schedule_sleep(task_base& t, double when) {
  const std::uint32_t seq = next_timer_seq();
  heap_push({when, seq, reinterpret_cast<std::uintptr_t>(&t) | 1u});
  t.sleep_seq_ = seq;
  t.add_ref();  // the heap's reference
  if (observer_) observer_->on_timer_scheduled({when, nullptr, &t});
}

// asyncio's TimerHandle.cancel → loop._timer_handle_cancelled: the entry stays in the heap,
// counted, and is dropped at the start of the next run_once() if it is on top then, or all at
// once when cancelled entries are more than half of a heap of over 100 (drop_cancelled_timers).
// Dropping it now instead would change the heap's shape, and with it the order in which timers
// with equal deadlines fire. timer_count() does not count them.
void event_loop::cancel_timer(timer_handle& t) noexcept {
  if (!t.in_heap_) return;
  t.in_heap_ = false;
  t.stale_ = true;
  ++cancelled_timers_;
}

void handle::cancel() noexcept {
  if (cancelled_) return;
  cancelled_ = true;
  on_cancel();
}

void timer_handle::on_cancel() noexcept {
  if (loop_) loop_->cancel_timer(*this);
}

// ---- the timer heap: Python's heapq, step for step ----
// Entries compare by (when, seq): timers with equal deadlines fire in scheduling order. asyncio's
// TimerHandle compares deadlines only and leaves ties in whatever order heapq's algorithms produce
// (for eight equal deadlines 0..7 it pops 0, 2, 6, 5, 7, 4, 1, 3); the reference leaves that order
// unspecified and asks for (when, seq), which is what a learner expects. Everything else --
// lazy removal of cancelled timers, compaction, the clock resolution -- is asyncio's.
// heap_push is heapq.heappush (_siftdown), heap_pop is heapq.heappop (_siftup: down to a leaf,
// taking the right child on ties, then _siftdown), purge_cancelled_timers uses heapq.heapify.
// (A 4-ary heap was tried: more comparisons per pop, and slower on 100,000 timers.)

bool event_loop::timer_entry::live() const noexcept {
  return is_sleep() ? sleeper()->sleep_seq_ == seq : handle()->in_heap_;
}

void event_loop::timer_entry::unlive() const noexcept {
  if (is_sleep())
    sleeper()->sleep_seq_ = 0;
  else
    handle()->in_heap_ = false;
}

void event_loop::timer_entry::drop_dead() const noexcept {
  if (is_sleep()) {
    sleeper()->release();
  } else {
    handle()->stale_ = false;
    handle()->release();
  }
}

bool event_loop::timer_entry::operator<(const timer_entry& o) const noexcept {
  return when < o.when || (when == o.when && seq < o.seq);
}

void event_loop::heap_push(timer_entry e) {
  timers_.push_back(e);
  std::size_t i = timers_.size() - 1;
  while (i > 0) {
    std::size_t p = (i - 1) / 2;
    if (!(e < timers_[p])) break;
    timers_[i] = timers_[p];
    i = p;
  }
  timers_[i] = e;
}

namespace {
// heapq._siftdown(heap, start, pos)
template <class E>
void sift_down(std::vector<E>& h, std::size_t start, std::size_t pos) {
  E item = h[pos];
  while (pos > start) {
    std::size_t parent = (pos - 1) / 2;
    if (!(item < h[parent])) break;
    h[pos] = h[parent];
    pos = parent;
  }
  h[pos] = item;
}
// heapq._siftup(heap, pos)
template <class E>
void sift_up(std::vector<E>& h, std::size_t pos) {
  std::size_t end = h.size(), start = pos, child = 2 * pos + 1;
  E item = h[pos];
  while (child < end) {
    std::size_t right = child + 1;
    if (right < end && !(h[child] < h[right])) child = right;
    h[pos] = h[child];
    pos = child;
    child = 2 * pos + 1;
  }
  h[pos] = item;
  sift_down(h, start, pos);
}
}  // namespace

// Sequence numbers would pass 2^32: number the entries afresh, 1..n, in their order. A sorted
// array is a heap, every comparison between entries gives what it gave before, and a sleeping
// task's sleep_seq_ follows its live entry. (Liveness is read for all entries first: a dead
// entry's old number may equal some live entry's new one.) Never runs in practice below 4e9
// timers; a test forces it with set_timer_seq().
void event_loop::renumber_timers() noexcept {
  constexpr std::uintptr_t k_live_mark = 2;  // tasks are at least 8-byte aligned: bit 1 is free
  for (auto& e : timers_) {
    if (e.is_sleep() && e.live()) {
      e.sleeper()->sleep_seq_ = 0;
      e.target |= k_live_mark;
    }
  }
  std::sort(timers_.begin(), timers_.end());
  std::uint32_t n = 0;
  for (auto& e : timers_) {
    e.seq = ++n;
    if (e.target & k_live_mark) {
      e.target &= ~k_live_mark;
      e.sleeper()->sleep_seq_ = n;
    }
  }
  timer_seq_ = n;
}

event_loop::timer_entry event_loop::heap_pop() {
  timer_entry last = timers_.back();
  timers_.pop_back();
  if (timers_.empty()) return last;
  timer_entry top = timers_[0];
  timers_[0] = last;
  sift_up(timers_, 0);
  return top;
}

// The start of asyncio's _run_once: compact the heap when cancelled entries are more than half
// of a heap of over 100, else drop the cancelled entries on top.
void event_loop::drop_cancelled_timers() {
  if (timers_.size() > 100 && 2 * cancelled_timers_ > timers_.size()) return purge_cancelled_timers();
  while (!timers_.empty() && !timers_[0].live()) {
    timer_entry e = heap_pop();
    --cancelled_timers_;
    e.drop_dead();
  }
}

// Remove every cancelled entry and re-heapify (asyncio's compaction of _scheduled).
void event_loop::purge_cancelled_timers() {
  std::vector<timer_entry> live;
  live.reserve(timers_.size() - cancelled_timers_);
  for (auto& e : timers_) {
    if (e.live()) {
      live.push_back(e);
    } else {
      e.drop_dead();
    }
  }
  timers_ = std::move(live);
  for (std::size_t i = timers_.size() / 2; i-- > 0;) sift_up(timers_, i);  // heapq.heapify
  cancelled_timers_ = 0;
}

double event_loop::next_deadline() const noexcept {
  if (!ready_.empty() || inbox_->nonempty.load(std::memory_order_acquire)) return time();
  if (timers_.empty()) return never;
  if (timers_[0].live()) return timers_[0].when;
  double first = never;  // cancelled entries on top stay until the next run_once
  for (auto& e : timers_)
    if (e.live() && e.when < first) first = e.when;
  return first;
}

// ---- one iteration ----
//
// Phase 0, other threads. Callbacks posted with call_soon_threadsafe join the ready queue first:
// asyncio appends them to _ready while select() waits, so they precede this pass's due timers.
//
// Phase 1, due timers. Every timer whose deadline has passed (within 1 ns) moves to the END of the ready queue,
// in heap order: callbacks queued by the previous pass run before them, as in asyncio's
// _run_once. A timer handle cancelled after this point is skipped when its turn comes.
//
// Phase 2, ready callbacks. Run exactly the callbacks present now (`ntodo`). Anything they queue
// (a task's next step, a future's done-callbacks) waits for the next pass; that batching is what
// gives asyncio its ordering, e.g. a task created now first runs on the next pass.
//
// Nothing here waits: the caller gets the next deadline and decides how time passes (virtual
// clock: jump; real clock: sleep or park the WASM stack until a browser timer fires).
double event_loop::run_once() {
  event_loop* saved = detail::t_current_loop;
  detail::t_current_loop = this;
  running_ = true;

  if (inbox_->nonempty.load(std::memory_order_acquire)) drain_remote();
  if (cancelled_timers_) drop_cancelled_timers();
  // asyncio's `end_time = self.time() + self._clock_resolution`: a timer due within the clock's
  // resolution (1 ns: time.get_clock_info('monotonic') on Linux) fires in this pass too. With
  // float deadlines that matters: 2.4 + 0.05 is 2.4499999999999997, a hair before 2.43 + 0.02.
  constexpr double clock_resolution = 1e-9;
  const double end_time = timers_.empty() ? 0.0 : time() + clock_resolution;
  while (!timers_.empty() && timers_[0].when < end_time) {
    timer_entry e = heap_pop();  // its heap reference moves to the ready queue
    if (!e.live()) {             // cancelled: drop it
      --cancelled_timers_;
      e.drop_dead();
      continue;
    }
    e.unlive();
    if (e.is_sleep()) {
      if (observer_) observer_->on_timer_fired({e.when, nullptr, e.sleeper()});
      post(detail::callback_for<&task_base::sleep_fire_cb, &task_base::release_cb>, e.sleeper());
    } else {
      if (observer_) observer_->on_timer_fired({e.when, e.handle(), nullptr});
      post(handle_ops_, e.handle());
    }
  }

  std::size_t ntodo = ready_.size();
  while (ntodo-- > 0) {
    ready_item it = ready_.pop_front();
    if (debug_)
      run_debug(it);
    else
      it.ops->fn(it.arg);
  }

  running_ = false;
  detail::t_current_loop = saved;
  if (lost_post_) [[unlikely]] {  // a callback could not be queued (see post())
    lost_post_ = false;
    throw std::bad_alloc();
  }
  return next_deadline();
}

// Debug mode: time the callback on the platform's real clock (the virtual clock stands still
// while callbacks run) and report it if slow, naming it the way asyncio's _format_handle does.
void event_loop::run_debug(ready_item it) {
  // A task step may drop the task's last reference: keep it to name it afterwards. Anything
  // else is described before it runs, while `arg` is surely alive.
  detail::ref_ptr<task_base> task;
  std::string what;
  if (task_base::is_step_callback(it.ops))
    task = detail::ref_ptr<task_base>(static_cast<task_base*>(it.arg));
  else if (it.ops == &handle_ops_)
    what = debug::handle_repr(*static_cast<handle*>(it.arg));
  else
    what = "<Handle>";
  double t0 = detail::platform::monotonic_seconds();
  it.ops->fn(it.arg);
  double dt = detail::platform::monotonic_seconds() - t0;
  if (dt >= slow_callback_duration) {
    if (task) what = debug::task_repr(*task);
    call_exception_handler({debug::slow_callback_message(what, dt), nullptr, task.get(), nullptr});
  }
}

void event_loop::run_until_done(future_base& f) {
  stopping_ = false;
  while (!f.done()) {
    double next = run_once();
    if (f.done()) break;
    if (next == never && !has_external())
      throw deadlock_error("the event loop has nothing left to run, but the awaited " + f.describe() +
                           " is not done: every task is waiting for something that can never happen");
    if (next > time()) clock_->wait_until(next);
  }
}

void event_loop::run_forever() {
  stopping_ = false;
  while (!stopping_) {
    double next = run_once();
    if (stopping_) break;
    if (next == never && !has_external()) break;
    if (next > time()) clock_->wait_until(next);
  }
  stopping_ = false;
}

// ---- tasks ----

std::vector<task_base*> event_loop::all_tasks() const {
  std::vector<task_base*> v;
  for (auto* t = tasks_head_; t; t = t->next_in_loop)
    if (!t->done()) v.push_back(t);
  return v;
}

// ---- error reporting ----

// asyncio's call_exception_handler, with its two layers of protection: a custom handler that
// throws is reported through the default one, and a default handler (or log sink) that throws
// is reported on stderr; nothing escapes (reports are made from destructors too).
void event_loop::call_exception_handler(const error_context& ctx) {
  if (observer_) observer_->on_report(ctx);
  try {
    if (!handler_) {
      default_exception_handler(ctx);
      return;
    }
    try {
      handler_(*this, ctx);
    } catch (...) {
      default_exception_handler(
          {"Unhandled error in exception handler", std::current_exception(), ctx.task, ctx.future, ctx.handle, &ctx});
    }
  } catch (...) {
    std::fprintf(stderr, "aio: Exception in default exception handler\n");
  }
}

void event_loop::default_exception_handler(const error_context& ctx) {
  std::string line = ctx.message.empty() ? std::string("Unhandled exception in event loop") : ctx.message;
  if (ctx.context) line += " context: " + ctx.context->message;
  if (ctx.task) line += " task: " + ctx.task->name();
  if (ctx.exception) line += " exception: " + describe_exception(ctx.exception);
  if (log_sink_)
    log_sink_(line);
  else
    std::fprintf(stderr, "aio: %s\n", line.c_str());
}

}  // namespace aio
