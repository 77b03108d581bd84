#include "aio/as_completed.hpp"

#include <algorithm>

namespace aio::detail {

// One `_on_completion` registration on one future. Owned by that registration (the future's
// callback list, then the ready queue); it holds a reference to the state.
struct as_completed_state::link {
  as_completed_state* s;
  ref_ptr<future_base> f;
};

as_completed_state::as_completed_state(event_loop& loop, std::vector<ref_ptr<future_base>> todo,
                                       std::optional<double> timeout)
    : loop_(&loop) {
  for (auto& f : todo) {
    auto* l = new link{this, f};
    add_ref();
    todo_.push_back(l);
    f->add_done_callback(callback_for<&on_completion, &drop_link>, l);
  }
  // The timer captures a raw pointer: the destructor cancels it, and no cycle forms.
  if (!todo_.empty() && timeout) timeout_handle_ = loop.call_later(*timeout, [this] { on_timeout(); });
}

as_completed_state::~as_completed_state() {
  if (timeout_handle_) timeout_handle_->cancel();
}

void as_completed_state::drop_link(void* p) {
  auto* l = static_cast<link*>(p);
  as_completed_state* s = l->s;
  delete l;
  s->release();
}

// as_completed's _on_completion.
void as_completed_state::on_completion(void* p) {
  std::unique_ptr<link> l(static_cast<link*>(p));
  auto s = ref_ptr<as_completed_state>::adopt(l->s);
  if (s->todo_.empty()) return;  // _on_timeout() was here first
  s->todo_.erase(std::find(s->todo_.begin(), s->todo_.end(), l.get()));
  s->put(l->f);
  if (s->todo_.empty() && s->timeout_handle_) s->timeout_handle_->cancel();
}

// as_completed's _on_timeout: unhook every pending future and queue one dummy for each.
void as_completed_state::on_timeout() {
  ref_ptr<as_completed_state> keep(this);  // removing the callbacks drops their references
  auto todo = std::move(todo_);
  todo_.clear();
  for (link* l : todo) {
    ref_ptr<future_base> f = l->f;
    f->remove_done_callback(&on_completion, l);  // deletes l if it was still registered
    put(nullptr);
  }
}

// Queue.put_nowait; _wakeup_next(getters) wakes the first getter that is not done.
void as_completed_state::put(ref_ptr<future_base> item) {
  done_.push_back(std::move(item));
  wakeup_next();
}

void as_completed_state::wakeup_next() {
  while (!getters_.empty()) {
    auto g = std::move(getters_.front());
    getters_.pop_front();
    if (!g->done()) {
      static_cast<future_state<void>&>(*g).set();
      break;
    }
  }
}

// Queue.get, rule for rule: a woken getter re-checks; a getter interrupted after being woken
// passes the wake-up on so that no item is stranded.
coro<ref_ptr<future_base>> as_completed_state::get(ref_ptr<as_completed_state> s) {
  while (s->done_.empty()) {
    ref_ptr<future_base> getter(new future_state<void>(*s->loop_));
    getter->set_label("as_completed");
    s->getters_.push_back(getter);
    std::exception_ptr err;
    try {
      co_await future<void>(getter);
    } catch (...) {
      err = std::current_exception();
    }
    if (err) {
      getter->cancel();  // in case it is not done yet
      auto it = std::find(s->getters_.begin(), s->getters_.end(), getter);
      if (it != s->getters_.end()) s->getters_.erase(it);
      // Woken by put() but unable to take the item: wake the next getter in line.
      if (!s->done_.empty() && !getter->cancelled()) s->wakeup_next();
      std::rethrow_exception(err);
    }
  }
  auto item = std::move(s->done_.front());
  s->done_.pop_front();
  co_return item;
}

}  // namespace aio::detail
