#include "aio/run.hpp"

#include "aio/future.hpp"

namespace aio {

// What stops the loop: asyncio's _run_until_complete_cb, a done callback of the awaited future
// (so it runs in the pass after the future completed), which calls loop.stop(); the loop then
// stops after that pass.
struct run_sequence::stop_flag {
  bool stopped = false;
  std::size_t finished = 0;  // gather: children done so far
};

namespace {

/// gather(*tasks, return_exceptions=True) followed by run_until_complete's stop callback: each
/// child's done callback counts it; the last one completes the gather, whose own done callback
/// (one pass later) sets the flag.
template <class Flag>
void gather_then_stop(event_loop& loop, const std::vector<detail::ref_ptr<task_base>>& tasks, const std::shared_ptr<Flag>& flag) {
  std::size_t n = tasks.size();
  for (auto& t : tasks)
    t->add_done_callback([&loop, flag, n](future_base&) {
      if (++flag->finished == n) loop.call_soon([flag] { flag->stopped = true; });
    });
}

/// The tasks _cancel_all_tasks cancels: all_tasks() not done, in creation order.
std::vector<detail::ref_ptr<task_base>> pending_tasks(event_loop& loop) {
  std::vector<detail::ref_ptr<task_base>> out;
  for (auto* t : loop.all_tasks())
    if (!t->done()) out.emplace_back(t);
  return out;
}

void report_failures(event_loop& loop, const std::vector<detail::ref_ptr<task_base>>& tasks) {
  for (auto& t : tasks)
    if (t->done() && !t->cancelled())
      if (auto e = t->exception()) loop.call_exception_handler({"unhandled exception during asyncio.run() shutdown", e, t.get(), nullptr});
}

}  // namespace

run_sequence::run_sequence(event_loop& loop, task_base& main) : loop_(loop), main_(&main) { await_future(main); }

void run_sequence::await_future(future_base& f) {
  stop_ = std::make_shared<stop_flag>();
  auto flag = stop_;
  f.add_done_callback([flag](future_base&) { flag->stopped = true; });
}

bool run_sequence::stuck() const noexcept {
  return !closed() && loop_.next_deadline() == event_loop::never && !loop_.has_external();
}

double run_sequence::step() {
  if (closed()) return event_loop::never;
  double next = loop_.run_once();
  ++passes_;
  if (!stop_->stopped) return next;  // (the common case: run_once's own answer is current)
  on_stopped();
  if (closed()) return event_loop::never;
  return loop_.next_deadline();
}

void run_sequence::on_stopped() {
  switch (phase_) {
    case phase::main:
      start_cancel_all();
      break;
    case phase::cancel_all:
      report_failures(loop_, cancelled_);
      phase_ = phase::shutdown_asyncgens;
      start_shutdown_step();
      break;
    case phase::shutdown_asyncgens:
      phase_ = phase::shutdown_executor;
      start_shutdown_step();
      break;
    case phase::shutdown_executor:
    case phase::closed:
      phase_ = phase::closed;
      break;
  }
}

void run_sequence::start_cancel_all() {
  phase_ = phase::cancel_all;
  cancelled_ = pending_tasks(loop_);
  if (cancelled_.empty()) {  // nothing to cancel: _cancel_all_tasks returns without a pass
    phase_ = phase::shutdown_asyncgens;
    start_shutdown_step();
    return;
  }
  for (auto& t : cancelled_) t->cancel();
  stop_ = std::make_shared<stop_flag>();
  gather_then_stop(loop_, cancelled_, stop_);
}

void run_sequence::start_shutdown_step() {
  // run_until_complete(loop.shutdown_asyncgens()) with no generator to close: a task whose
  // first step returns (pass 1), then its done callback stops the loop (pass 2).
  stop_ = std::make_shared<stop_flag>();
  auto flag = stop_;
  event_loop* loop = &loop_;
  loop_.call_soon([loop, flag] { loop->call_soon([flag] { flag->stopped = true; }); });
}

void run_sequence::abandon() {
  if (phase_ == phase::main) {
    start_cancel_all();
  } else {
    phase_ = phase::closed;
  }
}

void run_sequence::run_to_end() {
  deadlock_.clear();
  while (!closed()) {
    double next = step();
    if (closed()) break;
    if (next == event_loop::never && !loop_.has_external()) {  // stuck(), from step's answer
      if (phase_ == phase::main && deadlock_.empty())
        deadlock_ = "the event loop has nothing left to run, but the awaited " + main_->describe() +
                   " is not done: every task is waiting for something that can never happen";
      abandon();  // from main: cancel everything and let it clean up; later: give up
      continue;
    }
    if (next > loop_.time()) loop_.clock().wait_until(next);
  }
  if (!deadlock_.empty()) throw deadlock_error(deadlock_);
}

void cancel_all_tasks(event_loop& loop) {
  auto pending = pending_tasks(loop);
  if (pending.empty()) return;
  for (auto& t : pending) t->cancel();
  auto flag = std::make_shared<run_sequence::stop_flag>();
  gather_then_stop(loop, pending, flag);
  while (!flag->stopped) {
    double next = loop.run_once();
    if (flag->stopped) break;
    if (next == event_loop::never && !loop.has_external()) break;  // a task that cannot finish its cleanup
    if (next > loop.time()) loop.clock().wait_until(next);
  }
  report_failures(loop, pending);
}

}  // namespace aio
