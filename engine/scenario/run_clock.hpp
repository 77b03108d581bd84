// The real clock of a scenario run, as the page controls it: monotonic wall time scaled by a
// speed factor that can change mid-run, and that stands still while the run is paused.
//   now() = base + (wall - since) * speed   (running)
//   now() = base                              (paused)
// Pausing freezes `base`; resuming restarts `since` at the current wall time, so the paused
// wall time is never counted against a sleep (the clock's epoch shifts by the paused duration).
// Changing the speed keeps now() continuous. skip_to() jumps forward (stepping while paused).
#pragma once
#include "aio/clock.hpp"

namespace aio::scenario {

class run_clock final : public aio::clock {
 public:
  explicit run_clock(double speed = 1.0);
  double now() const noexcept override;
  void wait_until(double deadline) override;
  void wake() override;
  bool is_virtual() const override { return false; }

  void pause() noexcept;
  void resume() noexcept;
  bool paused() const noexcept { return paused_; }
  /// 0.1x–10x; other values are clamped.
  void set_speed(double speed) noexcept;
  double speed() const noexcept { return speed_; }
  /// Move the clock forward to `t` (never back).
  void skip_to(double t) noexcept;

 private:
  double wall() const noexcept;
  double base_ = 0;   // loop seconds at `since_`
  double since_;      // platform seconds
  double speed_ = 1.0;
  bool paused_ = false;
};

/// Clamp a speed factor to the supported 0.1x–10x.
double clamp_speed(double speed) noexcept;

}  // namespace aio::scenario
