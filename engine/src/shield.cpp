#include "aio/shield.hpp"

namespace aio::detail {

namespace {
// What both of shield's closures share. Each callback registration owns one reference.
// It references inner and outer as CPython's closures do; the outer → state → outer and
// inner → state → inner cycles end when the futures complete (callbacks are posted, then run).
struct shield_state final : refcounted {
  ref_ptr<future_base> inner;
  ref_ptr<future_base> outer;
  shield_copy_fn copy;
};

void release_state(void* p) { static_cast<shield_state*>(p)->release(); }

// shield's _inner_done_callback.
void inner_done(void* p) {
  auto s = ref_ptr<shield_state>::adopt(static_cast<shield_state*>(p));
  future_base& inner = *s->inner;
  future_base& outer = *s->outer;
  if (outer.cancelled()) {
    if (!inner.cancelled()) inner.exception();  // mark the inner's outcome retrieved
    return;
  }
  if (inner.cancelled()) {
    outer.cancel();
  } else if (auto e = inner.exception()) {
    outer.set_exception(e);
  } else {
    s->copy(inner, outer);
  }
}

// shield's _outer_done_callback: once the outer is done, stop mirroring.
void outer_done(void* p) {
  auto s = ref_ptr<shield_state>::adopt(static_cast<shield_state*>(p));
  if (!s->inner->done()) s->inner->remove_done_callback(&inner_done, s.get());
}
}  // namespace

void shield_link(const ref_ptr<future_base>& inner, const ref_ptr<future_base>& outer, shield_copy_fn copy) {
  ref_ptr<shield_state> s(new shield_state);
  s->inner = inner;
  s->outer = outer;
  s->copy = copy;
  s->add_ref();
  inner->add_done_callback(callback_for<&inner_done, &release_state>, s.get());
  s->add_ref();
  outer->add_done_callback(callback_for<&outer_done, &release_state>, s.get());
}

}  // namespace aio::detail
