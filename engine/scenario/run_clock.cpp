#include "scenario/run_clock.hpp"

#include <algorithm>
#include <cmath>

#include "aio/detail/platform.hpp"

namespace aio::scenario {

double clamp_speed(double speed) noexcept {
  if (!std::isfinite(speed) || speed <= 0) return 1.0;
  return std::clamp(speed, 0.1, 10.0);
}

run_clock::run_clock(double speed) : since_(wall()), speed_(clamp_speed(speed)) {}

double run_clock::wall() const noexcept { return detail::platform::monotonic_seconds(); }

double run_clock::now() const noexcept { return paused_ ? base_ : base_ + (wall() - since_) * speed_; }

void run_clock::wait_until(double deadline) {
  // Paused: nothing is due until resumed, so wait until woken (a control message).
  double w = paused_ ? INFINITY : (std::isfinite(deadline) ? (deadline - now()) / speed_ : deadline);
  if (w > 0) detail::platform::wait_for(w);
}

void run_clock::wake() { detail::platform::wake(); }

void run_clock::pause() noexcept {
  if (paused_) return;
  base_ = now();
  paused_ = true;
}

void run_clock::resume() noexcept {
  if (!paused_) return;
  since_ = wall();
  paused_ = false;
}

void run_clock::set_speed(double speed) noexcept {
  base_ = now();
  since_ = wall();
  speed_ = clamp_speed(speed);
}

void run_clock::skip_to(double t) noexcept {
  double n = now();
  if (t > n) base_ += t - n;
}

}  // namespace aio::scenario
