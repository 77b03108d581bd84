#include "aio/generator.hpp"

#include "aio/task.hpp"

namespace aio::detail {

// start_child's twin: the body runs inline until it yields, ends or suspends on an await. A
// yield or the end reached on this stack is seen here (inline_start makes the yield and final
// awaiters leave the consumer alone); reached later, from a loop callback, they resume the
// consumer themselves through resume_continuation.
bool resume_generator(generator_promise_base& p, coro_handle<> gen, coro_handle<> consumer) {
  p.continuation = consumer;
  p.produced = false;
  p.started = true;
  int& d = inline_depth();
  if (d < kInlineDepth) {
    p.inline_start = true;
    ++d;
    gen.resume();
    --d;
    p.inline_start = false;
    return !(p.produced || gen.done());
  }
  task_base* t = current_task();
  if (!t) throw std::runtime_error("generators nested this deeply must run inside a task");
  t->yield_at(gen, false);
  return true;
}

void finish_aclose(bool ignored, std::exception_ptr e) {
  future_awaiter_base::deliver_pending();
  if (ignored) throw std::runtime_error("async generator ignored GeneratorExit");
  if (!e) return;
  try {
    std::rethrow_exception(e);
  } catch (const generator_exit&) {  // the expected way for the body to end
  }
}

}  // namespace aio::detail
