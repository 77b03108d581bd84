#include "aio/future.hpp"

#include "aio/observer.hpp"
#include "aio/task.hpp"

namespace aio {

namespace {
const std::string k_empty;

struct function_callback {
  std::function<void(future_base&)> f;
  detail::ref_ptr<future_base> fut;
};
void run_function_callback(void* p) {
  std::unique_ptr<function_callback> cb(static_cast<function_callback*>(p));
  cb->f(*cb->fut);
}
void drop_function_callback(void* p) { delete static_cast<function_callback*>(p); }
}  // namespace

future_base::~future_base() {
  report_unretrieved_("Future", nullptr);
  for (auto& cb : callbacks_)
    if (cb.drop) cb.drop(cb.arg);
}

void future_base::report_unretrieved_(const char* kind, task_base* t) noexcept {
  if (st_ != status::finished || !exc_ || retrieved_) return;
  retrieved_ = true;
  if (!event_loop::alive(loop_)) return;  // the future outlived its loop: nobody to tell
  // A handler that takes and drops a reference must not delete this a second time: the count
  // is dead from here on, so pin it (the handler must not keep a reference past its return).
  add_ref();
  try {
    loop_->call_exception_handler({std::string(kind) + " exception was never retrieved", exc_, t, this});
  } catch (...) {  // out of memory building the message: nothing sensible left to do
  }
}

const std::string& future_base::cancel_message() const noexcept { return cancel_msg_ ? *cancel_msg_ : k_empty; }

bool future_base::cancel(std::string msg) {
  if (st_ != status::pending) return false;
  cancel_state_(std::move(msg));
  return true;
}

void future_base::cancel_state_(std::string msg) {
  st_ = status::cancelled;
  if (!msg.empty()) cancel_msg_ = std::make_unique<std::string>(std::move(msg));
  schedule_callbacks_();
}

std::exception_ptr future_base::exception() {
  if (st_ == status::cancelled) throw cancelled_error(cancel_message());
  if (st_ == status::pending) throw invalid_state_error("Exception is not set.");
  retrieved_ = true;
  return exc_;
}

void future_base::check_result() {
  if (st_ == status::cancelled) throw cancelled_error(cancel_message());
  if (st_ == status::pending) throw invalid_state_error("Result is not set.");
  retrieved_ = true;
  if (exc_) std::rethrow_exception(exc_);
}

void future_base::set_exception(std::exception_ptr e) {
  if (st_ != status::pending) throw invalid_state_error("future is already done");
  exc_ = std::move(e);
  finish_();
}

void future_base::finish_() {
  st_ = status::finished;
  schedule_callbacks_();
}

// asyncio's __schedule_callbacks: each callback is queued with call_soon, in registration order.
// The entries take over the callbacks' `arg` ownership.
void future_base::schedule_callbacks_() {
  auto cbs = std::move(callbacks_);
  callbacks_.clear();
  for (auto& cb : cbs) loop_->post(cb.fn, cb.arg, cb.drop);
}

void future_base::add_done_callback(void (*fn)(void*), void* arg, void (*drop)(void*)) {
  if (done())
    loop_->post(fn, arg, drop);
  else
    callbacks_.push_back({fn, arg, drop});
}

std::size_t future_base::remove_done_callback(void (*fn)(void*), void* arg) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < callbacks_.size();) {
    if (callbacks_[i].fn == fn && callbacks_[i].arg == arg) {
      if (callbacks_[i].drop) callbacks_[i].drop(callbacks_[i].arg);
      callbacks_.erase(callbacks_.begin() + static_cast<std::ptrdiff_t>(i));
      ++n;
    } else {
      ++i;
    }
  }
  return n;
}

void future_base::add_done_callback(std::function<void(future_base&)> f) {
  auto* cb = new function_callback{std::move(f), detail::ref_ptr<future_base>(this)};
  add_done_callback(&run_function_callback, cb, &drop_function_callback);
}

namespace detail {

void future_awaiter_base::await_suspend(coro_handle<> h) {
  task_base* t = current_task();
  if (!t) throw std::runtime_error("a future can only be awaited inside a task");
  if (f == t) throw std::runtime_error("a task cannot await itself");
  t->suspend_on(h, *f);
}

void future_awaiter_base::deliver_pending() {
  if (task_base* t = current_task())
    if (auto e = t->take_pending()) std::rethrow_exception(e);
}

}  // namespace detail
}  // namespace aio
