#include "aio/future.hpp"

#include "aio/observer.hpp"
#include "aio/task.hpp"

namespace aio {

namespace {
const std::string k_empty;

// A std::function done-callback. While registered on a pending future it holds no reference to
// it (the future owns the callback: a reference would be a cycle, and a future that never
// completes would leak with it); once queued to run it holds one (`fut`), taken by
// schedule_callbacks_ or by add_done_callback on a done future.
struct function_callback {
  std::function<void(future_base&)> f;
  future_base* self;
  detail::ref_ptr<future_base> fut;
};
void run_function_callback(void* p) {
  std::unique_ptr<function_callback> cb(static_cast<function_callback*>(p));
  cb->f(*cb->self);
}
void pin_function_callback(const detail::done_callback& c, future_base* self) {
  if (c.ops->fn == &run_function_callback) static_cast<function_callback*>(c.arg)->fut = detail::ref_ptr<future_base>(self);
}
void drop_function_callback(void* p) { delete static_cast<function_callback*>(p); }
constexpr const detail::callback_ops& k_function_ops = detail::callback_for<&run_function_callback, &drop_function_callback>;
void drop(const detail::done_callback& c) noexcept {
  if (c.ops->drop) c.ops->drop(c.arg);
}
}  // namespace

future_base::~future_base() {
  report_unretrieved_("Future", nullptr);
  if (cb0_.ops) drop(cb0_);
  if (x_)
    for (auto& cb : x_->more_cbs) drop(cb);
}

void future_base::report_unretrieved_slow_(const char* kind, task_base* t) noexcept {
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

const std::string& future_base::cancel_message() const noexcept { return x_ ? x_->cancel_msg : k_empty; }

bool future_base::cancel(std::string msg) {
  if (st_ != status::pending) return false;
  cancel_state_(std::move(msg));
  return true;
}

void future_base::cancel_state_(std::string msg) {
  st_ = status::cancelled;
  if (!msg.empty()) extras_().cancel_msg = std::move(msg);
  schedule_callbacks_();
}

std::string future_base::take_cancel_message() {
  if (!cancelled_exc_) return cancel_message();
  cancelled_exc_ = false;
  return x_ ? std::exchange(x_->cancel_msg, std::string()) : std::string();
}

std::exception_ptr future_base::exception() {
  if (st_ == status::cancelled) throw cancelled_error(take_cancel_message());
  if (st_ == status::pending) throw invalid_state_error("Exception is not set.");
  retrieved_ = true;
  return exc_;
}

void future_base::check_result_slow_() {
  if (st_ == status::cancelled) throw cancelled_error(take_cancel_message());
  if (st_ == status::pending) throw invalid_state_error("Result is not set.");
  retrieved_ = true;
  if (exc_) std::rethrow_exception(exc_);
}

void future_base::set_exception(std::exception_ptr e) {
  if (st_ != status::pending) throw invalid_state_error("future is already done");
  exc_ = std::move(e);
  finish_();
}

void future_base::finish_() noexcept {
  st_ = status::finished;
  schedule_callbacks_();
}

// asyncio's __schedule_callbacks: each callback is queued with call_soon, in registration order.
// The entries take over the callbacks' `arg` ownership.
void future_base::schedule_callbacks_() noexcept {
  if (!cb0_.ops) return;  // none registered (the first slot is always filled first)
  if (!has_more_cbs_() && cb0_.ops != &k_function_ops) {
    // The common case, one engine callback (the awaiting task's wake-up): no pinning, no list.
    loop_->post(*cb0_.ops, cb0_.arg);
    cb0_.ops = nullptr;
    return;
  }
  schedule_callbacks_slow_();
}

void future_base::schedule_callbacks_slow_() noexcept {
  auto cb = std::exchange(cb0_, {nullptr, nullptr});
  pin_function_callback(cb, this);
  loop_->post(*cb.ops, cb.arg);
  if (!has_more_cbs_()) return;
  auto more = std::move(x_->more_cbs);
  x_->more_cbs.clear();
  for (auto& c : more) {
    pin_function_callback(c, this);
    loop_->post(*c.ops, c.arg);
  }
}

void future_base::add_done_callback(const detail::callback_ops& ops, void* arg) {
  if (done()) {
    loop_->post(ops, arg);
  } else if (!cb0_.ops) {
    cb0_ = {&ops, arg};
  } else {
    extras_().more_cbs.push_back({&ops, arg});
  }
}

std::size_t future_base::remove_done_callback(void (*fn)(void*), void* arg) {
  // Gather the registrations in order, drop the matching ones, store the rest back.
  if (!cb0_.ops) return 0;
  std::vector<detail::done_callback> all;
  all.push_back(cb0_);
  if (x_) all.insert(all.end(), x_->more_cbs.begin(), x_->more_cbs.end());
  std::size_t n = 0;
  std::vector<detail::done_callback> kept;
  for (auto& c : all) {
    if (c.ops->fn == fn && c.arg == arg) {
      drop(c);
      ++n;
    } else {
      kept.push_back(c);
    }
  }
  cb0_ = {nullptr, nullptr};
  if (x_) x_->more_cbs.clear();
  if (!kept.empty()) {
    cb0_ = kept.front();
    if (kept.size() > 1) x_->more_cbs.assign(kept.begin() + 1, kept.end());  // (x_ held them)
  }
  return n;
}

void future_base::add_done_callback(std::function<void(future_base&)> f) {
  auto* cb = new function_callback{std::move(f), this, {}};
  if (done()) cb->fut = detail::ref_ptr<future_base>(this);  // queued at once
  add_done_callback(k_function_ops, cb);
}

namespace detail {

void future_awaiter_base::await_suspend(coro_handle<> h) {
  task_base* t = current_task();
  if (!t) throw std::runtime_error("a future can only be awaited inside a task");
  if (f == t) throw std::runtime_error("a task cannot await itself");
  t->suspend_on(h, *f);
}

void future_awaiter_base::deliver_pending_slow() {
  if (task_base* t = current_task())
    if (auto e = t->take_pending()) std::rethrow_exception(e);
}

}  // namespace detail
}  // namespace aio
