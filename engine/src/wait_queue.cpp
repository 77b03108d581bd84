#include "aio/detail/wait_queue.hpp"

#include <algorithm>

namespace aio::detail {

std::string task_label(const task_base* t) { return t ? t->name() : std::string("(no task)"); }

wait_queue::~wait_queue() {
  for (auto& e : entries_) e.owner->q_ = nullptr;
}

wait_queue::ticket::ticket(wait_queue& q) : q_(&q) {
  event_loop& loop = event_loop::running();
  f_ = ref_ptr<future_base>(new future_state<void>(loop));
  f_->set_label(q.label_);
  q.entries_.push_back({f_, loop.current_task(), this});
}

wait_queue::ticket wait_queue::park() { return ticket(*this); }

bool wait_queue::ticket::leave() noexcept {
  if (!q_) return false;
  auto& es = q_->entries_;
  auto it = std::find_if(es.begin(), es.end(), [this](const entry& e) { return e.owner == this; });
  q_ = nullptr;
  if (it == es.end()) return false;  // unreachable while the invariant on q_ holds
  es.erase(it);
  return true;
}

bool wait_queue::all_cancelled() const noexcept {
  return std::all_of(entries_.begin(), entries_.end(), [](const entry& e) { return e.fut->cancelled(); });
}

void wait_queue::complete(future_base& f) { static_cast<future_state<void>&>(f).set(); }

bool wait_queue::wake_first() {
  if (entries_.empty() || entries_.front().fut->done()) return false;
  complete(*entries_.front().fut);
  return true;
}

std::size_t wait_queue::wake(std::size_t n) {
  std::size_t woken = 0;
  for (auto& e : entries_) {
    if (woken >= n) break;
    if (!e.fut->done()) {
      complete(*e.fut);
      ++woken;
    }
  }
  return woken;
}

void wait_queue::pop_front_() {
  entries_.front().owner->q_ = nullptr;
  entries_.pop_front();
}

bool wait_queue::pop_wake_one() {
  while (!entries_.empty()) {
    ref_ptr<future_base> f = entries_.front().fut;
    pop_front_();
    if (!f->done()) {
      complete(*f);
      return true;
    }
  }
  return false;
}

void wait_queue::pop_wake_all() {
  while (!entries_.empty()) {
    ref_ptr<future_base> f = entries_.front().fut;
    pop_front_();
    if (!f->done()) complete(*f);
  }
}

std::vector<std::string> wait_queue::task_names() const {
  std::vector<std::string> names;
  for (auto& e : entries_)
    if (!e.fut->cancelled()) names.push_back(task_label(e.task));
  return names;
}

void report_guard_error(std::exception_ptr e) {
  if (event_loop* loop = event_loop::current())
    loop->call_exception_handler({"exception releasing a scoped guard", std::move(e), loop->current_task(), nullptr});
}

}  // namespace aio::detail
