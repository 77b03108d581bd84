// barrier: asyncio.Barrier (3.11). wait() blocks until `parties` tasks have arrived, then all of
// them return their arrival index (0..parties-1); tasks arriving while it drains or resets wait
// for that to finish. Built on a condition exactly as CPython's, so wake-ups are FIFO.
// reset() and abort() make waiting tasks raise broken_barrier_error (abort: for good, until
// reset()). Cancellation: a cancelled waiter leaves its arrival slot and wakes the others, as in
// CPython (the barrier's count goes down; it is not broken).
#pragma once
#include <cstddef>
#include <stdexcept>
#include <string>

#include "aio/condition.hpp"
#include "aio/coro.hpp"
#include "aio/stats.hpp"

namespace aio {

/// Waiting on a barrier that was reset or aborted (Python's BrokenBarrierError).
class broken_barrier_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class barrier {
 public:
  /// Throws std::invalid_argument (Python's ValueError) if parties < 1.
  explicit barrier(std::size_t parties, std::string name = {});
  barrier(const barrier&) = delete;
  barrier& operator=(const barrier&) = delete;

  const std::string& name() const noexcept { return name_; }
  /// Also relabels what waiting tasks show: "barrier <name>".
  void set_name(std::string n);
  /// Observers get this primitive's operations unless turned off (internal parts of another
  /// primitive, which reports for them).
  void set_observed(bool on) noexcept { observed_ = on; }
  bool observed() const noexcept { return observed_; }

  /// Arrive and wait for the others; returns this task's arrival index.
  coro<std::size_t> wait();
  /// Back to the initial state; tasks waiting now get broken_barrier_error.
  coro<void> reset();
  /// Break the barrier: waiting and future wait() calls raise broken_barrier_error.
  coro<void> abort();

  std::size_t parties() const noexcept { return parties_; }
  /// Tasks waiting for the barrier to fill (0 while it drains or resets).
  std::size_t n_waiting() const noexcept { return state_ == state::filling ? count_ : 0; }
  bool broken() const noexcept { return state_ == state::broken; }

  primitive_stats stats() const;

 private:
  enum class state { filling, draining, resetting, broken };
  coro<void> block_();
  coro<void> wait_();
  void exit_();

  condition cond_;
  std::string name_;
  std::size_t parties_;
  std::size_t count_ = 0;  // tasks inside wait() past block_()
  state state_ = state::filling;
  bool observed_ = true;
};

}  // namespace aio
