// The one seam between the engine and its platform. engine/src/platform/native/ and
// engine/src/platform/wasm/ each implement it; CMake picks one source list. No #ifdefs elsewhere.
#pragma once

namespace aio::detail::platform {

/// Monotonic time in seconds from an arbitrary origin.
double monotonic_seconds() noexcept;

/// Block (natively) or park (WASM, via Asyncify: only the top-level loop may call this) for at
/// most `seconds` (negative or infinity allowed: infinity waits for wake()). Returns early on wake().
void wait_for(double seconds) noexcept;

/// Make a wait_for in progress, or the next one, return at once.
void wake() noexcept;

}  // namespace aio::detail::platform
