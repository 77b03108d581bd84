#include "aio/wait.hpp"

#include <memory>

namespace aio::detail {

namespace {
struct wait_state;

// The `_on_completion` closure registered on one future. Owned by the state (so its address
// stays unique while remove_done_callback may look for it); each registration holds a
// reference to the state.
struct wait_link {
  wait_state* s;
  ref_ptr<future_base> f;  // a queued callback may run after wait() returned and fs was dropped
};

struct wait_state final : refcounted {
  ref_ptr<future_base> waiter;
  timer_ref timeout_handle;
  std::size_t counter = 0;
  return_when when = return_when::all_completed;
  std::vector<std::unique_ptr<wait_link>> links;
};

// `finally:` of _wait, also run if the coroutine frame is destroyed unfinished (loop teardown):
// disarm the timer and take our callbacks off the futures still pending. A done future's
// callbacks are already queued; Python cannot remove those either.
struct wait_cleanup {
  wait_state& s;
  ~wait_cleanup();
};

void release_waiter(future_base& w) {
  if (!w.done()) static_cast<future_state<void>&>(w).set();
}

void drop_link(void* p) { static_cast<wait_link*>(p)->s->release(); }

// _wait's _on_completion, rule for rule.
void on_completion(void* p) {
  auto* link = static_cast<wait_link*>(p);
  auto s = ref_ptr<wait_state>::adopt(link->s);
  future_base& f = *link->f;
  if (s->counter > 0) --s->counter;
  if (s->counter == 0 || s->when == return_when::first_completed ||
      (s->when == return_when::first_exception && !f.cancelled() && f.exception())) {
    if (s->timeout_handle) s->timeout_handle->cancel();
    release_waiter(*s->waiter);
  }
}

wait_cleanup::~wait_cleanup() {
  if (s.timeout_handle) s.timeout_handle->cancel();
  for (auto& l : s.links) l->f->remove_done_callback(&on_completion, l.get());
}
}  // namespace

coro<void> wait_core(std::vector<ref_ptr<future_base>> fs, return_when when, std::optional<double> timeout) {
  event_loop& loop = event_loop::running();
  ref_ptr<wait_state> s(new wait_state);
  s->waiter = ref_ptr<future_base>(new future_state<void>(loop));
  s->waiter->set_label("wait " + std::to_string(fs.size()));
  s->when = when;
  if (timeout) s->timeout_handle = loop.call_later(*timeout, [w = s->waiter] { release_waiter(*w); });
  s->counter = fs.size();
  for (auto& f : fs) {
    s->links.push_back(std::make_unique<wait_link>(wait_link{s.get(), f}));
    s->add_ref();
    f->add_done_callback(callback_for<&on_completion, &drop_link>, s->links.back().get());
  }

  wait_cleanup cleanup{*s};
  co_await future<void>(s->waiter);
}

}  // namespace aio::detail
