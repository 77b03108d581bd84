// WASM default executor: there are no threads, so a job is a simulated one of zero duration: fn
// runs on the loop thread in a later pass (blocking the loop while it runs) and the future is
// completed right after. See aio/executor.hpp and docs/design.md.
#include "aio/executor.hpp"

namespace aio::detail {

void submit_default(std::unique_ptr<executor_job> job) { submit_simulated(std::move(job), 0.0); }

unsigned default_executor_workers() noexcept { return 0; }

}  // namespace aio::detail
