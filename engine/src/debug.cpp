#include "aio/debug.hpp"

#include <cstdio>
#include <exception>

#include "aio/coro.hpp"
#include "aio/handle.hpp"
#include "aio/task.hpp"

namespace aio::debug {

namespace {
std::string exception_text(const std::exception_ptr& e) {
  try {
    std::rethrow_exception(e);
  } catch (const cancelled_error& c) {
    return std::string("CancelledError(") + c.message() + ")";
  } catch (const std::exception& x) {
    return x.what();
  } catch (...) {
    return "unknown exception";
  }
}
}  // namespace

// base_tasks._task_repr_info: state ("cancelling" while a cancel is requested and not yet
// done), name, then what it waits for or how it ended.
std::string task_repr(const task_base& t) {
  std::string s = "<Task ";
  if (t.cancelled())
    s += "cancelled";
  else if (t.done())
    s += "finished";
  else if (t.cancelling() > 0)
    s += "cancelling";
  else
    s += "pending";
  s += " name='" + t.name() + "'";
  if (!t.done())
    if (std::string w = t.waiting_for(); !w.empty()) s += " wait_for=<" + w + ">";
  // exception() would mark it retrieved; a repr must not change what gets reported later.
  if (t.done() && !t.cancelled() && t.stored_exception()) s += " exception=" + exception_text(t.stored_exception());
  return s + ">";
}

std::string handle_repr(const handle& h) {
  if (h.cancelled()) return "<Handle cancelled>";
  if (auto* t = dynamic_cast<const timer_handle*>(&h)) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "<TimerHandle when=%g>", t->when());
    return buf;
  }
  return "<Handle>";
}

std::string slow_callback_message(const std::string& what, double seconds) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", seconds);
  return "Executing " + what + " took " + buf + " seconds";
}

std::int64_t live_coroutine_frames() noexcept { return detail::t_live_frames; }

}  // namespace aio::debug
