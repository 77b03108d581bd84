#include "aio/timeout.hpp"

#include <stdexcept>
#include <string>

namespace aio {

namespace detail {

[[noreturn]] void raise_timeout_from(std::exception_ptr cause) {
  try {
    std::rethrow_exception(cause);
  } catch (...) {
    std::throw_with_nested(timeout_error());
  }
}

namespace {
const char* state_name(timeout_scope::state s) {
  switch (s) {
    case timeout_scope::state::created: return "created";
    case timeout_scope::state::active: return "active";
    case timeout_scope::state::expiring: return "expiring";
    case timeout_scope::state::expired: return "expired";
    case timeout_scope::state::finished: return "finished";
  }
  return "?";
}
}  // namespace

// The armed handle captures a raw pointer: it never runs after this destructor cancels it, and
// holding no reference avoids a state → handle → state cycle.
timeout_state::~timeout_state() {
  if (handler) handler->cancel();
}

// Timeout.reschedule.
void timeout_state::reschedule(std::optional<double> w) {
  if (st != state::active) {
    if (st == state::created) throw std::runtime_error("Timeout has not been entered");
    throw std::runtime_error(std::string("Cannot change state of ") + state_name(st) + " Timeout");
  }
  when = w;
  if (handler) handler->cancel();
  if (!w) {
    handler = nullptr;
    return;
  }
  event_loop& loop = task->loop();
  if (*w <= loop.time())
    handler = loop.call_soon([this] { on_timeout(); });
  else
    handler = loop.call_at(*w, [this] { on_timeout(); });
}

// Timeout._on_timeout: cancel the task and remember that we did.
void timeout_state::on_timeout() {
  ref_ptr<timeout_state> keep(this);
  task->cancel();
  st = state::expiring;
  handler = nullptr;  // drop the reference early, as CPython does
}

}  // namespace detail

timeout_scope::timeout_scope(std::optional<double> when) : s_(new detail::timeout_state(when)) {}

timeout_scope timeout_scope::after(std::optional<double> delay) {
  event_loop& loop = event_loop::running();
  return timeout_scope(delay ? std::optional<double>(loop.time() + *delay) : std::nullopt);
}

timeout_scope timeout_scope::at(std::optional<double> when) { return timeout_scope(when); }

std::optional<double> timeout_scope::when() const noexcept { return s_->when; }
void timeout_scope::reschedule(std::optional<double> when) { s_->reschedule(when); }
bool timeout_scope::expired() const noexcept { return s_->st == state::expiring || s_->st == state::expired; }
timeout_scope::state timeout_scope::current_state() const noexcept { return s_->st; }

// Timeout.__aenter__ (3.11.7).
void timeout_scope::enter() {
  if (s_->st != state::created) throw std::runtime_error("Timeout has already been entered");
  task_base* t = current_task();
  if (!t) throw std::runtime_error("Timeout should be used inside a task");
  s_->st = state::active;
  s_->task = detail::ref_ptr<task_base>(t);
  s_->cancelling_on_entry = t->cancelling();
  s_->reschedule(s_->when);
}

// Timeout.__aexit__ (3.11.7), then the re-raise `async with` does when __aexit__ returns None.
void timeout_scope::exit(std::exception_ptr body_error) {
  auto& s = *s_;
  if (s.st != state::active && s.st != state::expiring)
    throw std::runtime_error("Timeout exited while not entered");
  if (s.handler) {
    s.handler->cancel();
    s.handler = nullptr;
  }
  if (s.st == state::expiring) {
    s.st = state::expired;
    // Only a cancellation we caused, with no newer cancel request pending, becomes a timeout.
    if (s.task->uncancel() <= s.cancelling_on_entry && is_cancelled_error(body_error))
      detail::raise_timeout_from(body_error);
  } else {
    s.st = state::finished;
  }
  if (body_error) std::rethrow_exception(body_error);
}

}  // namespace aio
