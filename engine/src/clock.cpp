#include "aio/clock.hpp"

#include <cmath>

#include "aio/detail/platform.hpp"

namespace aio {

void virtual_clock::wait_until(double deadline) {
  // Autojump: nothing is ready, so time moves straight to the next deadline.
  if (std::isfinite(deadline) && deadline > now_) now_ = deadline;
}

real_clock::real_clock(double speed) : origin_(detail::platform::monotonic_seconds()), speed_(speed > 0 ? speed : 1.0) {}

double real_clock::now() const noexcept { return (detail::platform::monotonic_seconds() - origin_) * speed_; }

void real_clock::wait_until(double deadline) {
  double wall = std::isfinite(deadline) ? (deadline - now()) / speed_ : deadline;
  if (wall > 0) detail::platform::wait_for(wall);
}

void real_clock::wake() { detail::platform::wake(); }

std::unique_ptr<clock> make_virtual_clock() { return std::make_unique<virtual_clock>(); }
std::unique_ptr<clock> make_real_clock(double speed) { return std::make_unique<real_clock>(speed); }

}  // namespace aio
