// Native platform: steady_clock time; waiting is a condition-variable wait that wake() (from any
// thread, e.g. an executor worker) cuts short.
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <mutex>

#include "aio/detail/platform.hpp"

namespace aio::detail::platform {

namespace {
std::mutex g_mu;
std::condition_variable g_cv;
bool g_woken = false;
}  // namespace

double monotonic_seconds() noexcept {
  using namespace std::chrono;
  return duration<double>(steady_clock::now().time_since_epoch()).count();
}

void wait_for(double seconds) noexcept {
  std::unique_lock<std::mutex> lk(g_mu);
  if (!std::isfinite(seconds))
    g_cv.wait(lk, [] { return g_woken; });
  else if (seconds > 0)
    g_cv.wait_for(lk, std::chrono::duration<double>(seconds), [] { return g_woken; });
  g_woken = false;
}

void wake() noexcept {
  {
    std::lock_guard<std::mutex> lk(g_mu);
    g_woken = true;
  }
  g_cv.notify_all();
}

}  // namespace aio::detail::platform
