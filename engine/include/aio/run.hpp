// run(main): asyncio.run for C++. Makes a loop (real clock unless one is given), runs `main` as a
// task to completion, then cancels any tasks still pending and lets them finish their cleanup,
// and returns main's result (or rethrows its exception).
#pragma once
#include <memory>

#include "aio/clock.hpp"
#include "aio/coro.hpp"
#include "aio/event_loop.hpp"
#include "aio/task.hpp"

namespace aio {

/// Cancel every pending task on `loop` and run until they are all done (asyncio.run's epilogue).
void cancel_all_tasks(event_loop& loop);

template <class T>
T run(event_loop& loop, coro<T> main) {
  auto t = create_task(loop, std::move(main), "main");
  try {
    loop.run_until_done(*t.base());
  } catch (...) {
    cancel_all_tasks(loop);
    throw;
  }
  cancel_all_tasks(loop);
  if constexpr (std::is_void_v<T>)
    t.result();
  else
    return t.result();
}

template <class T>
T run(coro<T> main, std::unique_ptr<clock> clk = make_real_clock()) {
  event_loop loop(std::move(clk));
  return run(loop, std::move(main));
}

}  // namespace aio
