// WASM platform: performance.now() time; waiting parks the whole WASM stack with Asyncify until
// a browser timer for the deadline fires or JS wakes it (a control message, a fetch completing).
#include <emscripten.h>

#include <cmath>

#include "aio/detail/platform.hpp"

extern "C" void aio_platform_park(double ms) noexcept;

namespace aio::detail::platform {

double monotonic_seconds() noexcept { return emscripten_get_now() / 1000.0; }

void wait_for(double seconds) noexcept {
  if (std::isfinite(seconds) && seconds <= 0) return;
  if (!emscripten_has_asyncify()) {
    // A module linked without Asyncify (the doctest suites under node) cannot hand control
    // back to JS, so it spins on the clock. The playground's module always has Asyncify.
    if (!std::isfinite(seconds)) return;
    double until = emscripten_get_now() + seconds * 1000.0;
    while (emscripten_get_now() < until) {
    }
    return;
  }
  aio_platform_park(std::isfinite(seconds) ? seconds * 1000.0 : -1.0);
}

void wake() noexcept {
  EM_ASM({
    if (Module.aioWake) Module.aioWake();
    else Module.aioWakePending = true;
  });
}

}  // namespace aio::detail::platform
