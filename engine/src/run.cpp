#include "aio/run.hpp"

#include <vector>

#include "aio/future.hpp"

namespace aio {

void cancel_all_tasks(event_loop& loop) {
  std::vector<detail::ref_ptr<task_base>> pending;
  for (auto* t : loop.all_tasks()) pending.emplace_back(t);
  if (pending.empty()) return;
  for (auto& t : pending) t->cancel();
  // Run until every one of them is done (their cleanup may await).
  for (auto& t : pending) {
    try {
      if (!t->done()) loop.run_until_done(*t);
    } catch (const deadlock_error&) {
      break;  // a task that cannot finish its cleanup: the loop's teardown reports it
    }
  }
  for (auto& t : pending)
    if (t->done() && !t->cancelled())
      if (auto e = t->exception())
        loop.call_exception_handler({"unhandled exception during aio::run() shutdown", e, t.get(), nullptr});
}

}  // namespace aio
