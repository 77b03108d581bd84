// The loop's clock, chosen when the loop is made (injected, never global).
// virtual_clock: time stands still while anything is ready and jumps straight to the next
//   deadline when nothing is (Trio's MockClock with autojump_threshold=0): deterministic, instant.
// real_clock: monotonic wall time scaled by a speed factor; waiting goes through the platform
//   seam (a thread sleep natively, an Asyncify park on a browser timer in WASM).
// Times are seconds since the clock was made, as doubles, like loop.time() in asyncio.
#pragma once
#include <memory>

namespace aio {

class clock {
 public:
  virtual ~clock() = default;
  /// Never throws (so the hot paths that read it need no exception landing pad; that matters in
  /// WASM with JS-based exceptions, where a call that may throw goes through a JS trampoline).
  virtual double now() const noexcept = 0;
  /// Let time pass until `deadline` (or +infinity: until woken). May return early when woken.
  virtual void wait_until(double deadline) = 0;
  /// Interrupt a wait_until in progress (from an external event source).
  virtual void wake() {}
  virtual bool is_virtual() const = 0;
};

class virtual_clock final : public clock {
 public:
  double now() const noexcept override { return now_; }
  void wait_until(double deadline) override;
  bool is_virtual() const override { return true; }
  /// Move time forward by hand (tests); never backwards.
  void advance(double seconds) { wait_until(now_ + seconds); }

 private:
  double now_ = 0;
};

class real_clock final : public clock {
 public:
  /// speed > 1 runs faster than wall time: at 4x a 2 s sleep takes 0.5 s.
  explicit real_clock(double speed = 1.0);
  double now() const noexcept override;
  void wait_until(double deadline) override;
  void wake() override;
  bool is_virtual() const override { return false; }
  double speed() const noexcept { return speed_; }

 private:
  double origin_;
  double speed_;
};

std::unique_ptr<clock> make_virtual_clock();
std::unique_ptr<clock> make_real_clock(double speed = 1.0);

}  // namespace aio
