#include "aio/detail/wait_queue.hpp"


namespace aio::detail {

std::string task_label(const task_base* t) { return t ? t->name() : std::string("(no task)"); }

namespace {
const std::string k_no_label;
}

wait_queue::~wait_queue() {
  for (ticket* t = head_; t; t = t->next_) t->q_ = nullptr;
}

const std::string& wait_queue::label() const noexcept { return label_ ? label_->text : k_no_label; }

wait_queue::ticket::ticket(wait_queue& q) : q_(&q), f_(event_loop::running()) {
  f_.add_ref();  // its own, never dropped (see the header)
  f_.set_label(q.label_);  // shared, not copied
  task_ = f_.loop().current_task();
  prev_ = q.tail_;
  if (q.tail_)
    q.tail_->next_ = this;
  else
    q.head_ = this;
  q.tail_ = this;
  ++q.size_;
}

wait_queue::ticket wait_queue::park() { return ticket(*this); }

void wait_queue::unlink_(ticket& t) noexcept {
  if (t.prev_)
    t.prev_->next_ = t.next_;
  else
    head_ = t.next_;
  if (t.next_)
    t.next_->prev_ = t.prev_;
  else
    tail_ = t.prev_;
  t.prev_ = t.next_ = nullptr;
  t.q_ = nullptr;
  --size_;
}

bool wait_queue::ticket::leave() noexcept {
  if (!q_) return false;
  q_->unlink_(*this);
  return true;
}

bool wait_queue::all_cancelled() const noexcept {
  for (ticket* t = head_; t; t = t->next_)
    if (!t->f_.cancelled()) return false;
  return true;
}

void wait_queue::complete(future_base& f) noexcept { static_cast<future_state<void>&>(f).set_pending_void(); }

bool wait_queue::wake_first() noexcept {
  if (!head_ || head_->f_.done()) return false;
  complete(head_->f_);
  return true;
}

std::size_t wait_queue::wake(std::size_t n) noexcept {
  std::size_t woken = 0;
  for (ticket* t = head_; t && woken < n; t = t->next_) {
    if (!t->f_.done()) {
      complete(t->f_);
      ++woken;
    }
  }
  return woken;
}

// Completing a future only queues its callbacks (nothing runs inline), so the popped ticket and
// its future are still alive while we look at them.
bool wait_queue::pop_wake_one() noexcept {
  while (head_) {
    future_base* f = &head_->f_;  // the ticket stays alive: its frame is waiting
    pop_front_();
    if (!f->done()) {
      complete(*f);
      return true;
    }
  }
  return false;
}

void wait_queue::pop_wake_all() noexcept {
  while (head_) {
    future_base* f = &head_->f_;  // the ticket stays alive: its frame is waiting
    pop_front_();
    if (!f->done()) complete(*f);
  }
}

std::vector<std::string> wait_queue::task_names() const {
  std::vector<std::string> names;
  for (ticket* t = head_; t; t = t->next_)
    if (!t->f_.cancelled()) names.push_back(task_label(t->task_));
  return names;
}

void report_guard_error(std::exception_ptr e) {
  if (event_loop* loop = event_loop::current())
    loop->call_exception_handler({"exception releasing a scoped guard", std::move(e), loop->current_task(), nullptr});
}

}  // namespace aio::detail
