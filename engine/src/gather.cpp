#include "aio/gather.hpp"

#include <algorithm>

namespace aio::detail {

namespace {
struct gather_link {
  ref_ptr<gather_core> g;
  future_base* child;
};
void delete_link(void* p) { delete static_cast<gather_link*>(p); }
}  // namespace

gather_core::gather_core(event_loop& loop, std::vector<ref_ptr<future_base>> children, bool return_exceptions)
    : future_base(loop), children_(std::move(children)), return_exceptions_(return_exceptions) {}

void gather_core::attach() {
  // One done-callback per distinct child: the same future passed twice is one child.
  std::vector<future_base*> seen;
  for (auto& c : children_) {
    if (std::find(seen.begin(), seen.end(), c.get()) != seen.end()) continue;
    seen.push_back(c.get());
    ++nfuts_;
    auto* link = new gather_link{ref_ptr<gather_core>(this), c.get()};
    c->add_done_callback(callback_for<&gather_core::child_done, &delete_link>, link);
  }
}

void gather_core::child_done(void* p) {
  std::unique_ptr<gather_link> link(static_cast<gather_link*>(p));
  link->g->on_child_done(*link->child);
}

std::exception_ptr gather_core::outcome_error(future_base& f) {
  if (f.cancelled()) return std::make_exception_ptr(cancelled_error(f.take_cancel_message()));
  return f.exception();
}

// asyncio.gather's _done_callback, rule for rule.
void gather_core::on_child_done(future_base& child) {
  ++nfinished_;
  if (done()) {
    if (!child.cancelled()) child.exception();  // mark the exception retrieved
    return;
  }
  if (!return_exceptions_) {
    if (auto e = outcome_error(child)) {
      set_exception(e);
      return;
    }
  }
  if (nfinished_ == nfuts_) {
    if (cancel_requested_) {
      set_exception(std::make_exception_ptr(cancelled_error(cancel_message())));
      return;
    }
    build_result();
  }
}

bool gather_core::cancel(std::string msg) {
  if (done()) return false;
  bool ret = false;
  for (auto& c : children_)
    if (c->cancel(msg)) ret = true;
  if (ret) {
    cancel_requested_ = true;
    if (!msg.empty()) extras_().cancel_msg = std::move(msg);
  }
  return ret;
}

}  // namespace aio::detail
