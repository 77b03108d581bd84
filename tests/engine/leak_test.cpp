// Leak check: 100,000 tasks, each holding a counted RAII guard, that sleep, await other tasks,
// nested coroutines and generators at varied points, cancelled at seeded-random moments (before
// their first step, while sleeping, while awaiting a task, deep inside a nested coroutine or a
// generator). Afterwards every guard was destroyed exactly once and no coroutine frame is alive
// (aio/debug.hpp's frame counter). Under the asan preset LeakSanitizer checks the rest.
#include <doctest/doctest.h>

#include <array>
#include <cstdint>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "aio/aio.hpp"
#include "aio/debug.hpp"
#include "aio/generator.hpp"

using namespace aio;

namespace {

constexpr int kTasks = 100000;
constexpr int kWave = 1000;  // tasks started per wave; a wave every 20 ms of virtual time
enum kind { sleeper, awaits_task, nested_coro, generator_consumer, catches_and_cleans, kinds };

struct counts {
  long made = 0, destroyed = 0;
};

struct stats {
  counts top, inner;  // guards held by the tasks (coroutine parameters) / made inside bodies
  long entered = 0;   // top-level task bodies that started running
  long cancelled_before_start = 0;
  std::array<long, kinds> cancelled{}, cancelled_early{};  // cancelled tasks / of those, before starting
  std::vector<std::string> reports;
};

// Counted RAII guard; a moved-from guard owns nothing and counts nothing.
class guard {
 public:
  explicit guard(counts* c) : c_(c) { ++c_->made; }
  guard(guard&& o) noexcept : c_(std::exchange(o.c_, nullptr)) {}
  guard& operator=(guard&&) = delete;
  ~guard() {
    if (c_) ++c_->destroyed;
  }

 private:
  counts* c_;
};

double ms(std::uint32_t r, int shift, int range) { return ((r >> shift) % range) * 0.001; }

coro<void> nested(int depth, std::uint32_t r, stats* s) {
  guard g(&s->inner);
  co_await aio::sleep(ms(r, depth * 3, 8));
  if (depth > 0) co_await nested(depth - 1, r, s);
  co_await aio::sleep(0.001);
}

generator<int> pages(std::uint32_t r, stats* s) {
  guard g(&s->inner);
  for (int i = 0; i < 3; ++i) {
    co_await aio::sleep(ms(r, 5 + i * 4, 10));
    co_yield i;
  }
}

// The guard is a parameter: it lives in the frame even if the body never starts.
coro<void> worker(guard g, std::uint32_t r, stats* s, bool top) {
  if (top) ++s->entered;
  switch (r % kinds) {
    case sleeper:
      for (std::uint32_t i = 0; i <= (r >> 3) % 3; ++i) co_await aio::sleep(ms(r, 6 + 4 * i, 30));
      break;
    case awaits_task: {
      auto child = create_task(worker(guard(&s->inner), r - r % kinds, s, false));  // a sleeper
      co_await child;
      break;
    }
    case nested_coro:
      co_await nested(3, r, s);
      break;
    case generator_consumer: {
      auto gen = pages(r, s);
      while (auto page = co_await gen.next()) co_await aio::sleep(ms(r, 9 + *page, 4));
      break;
    }
    case catches_and_cleans: {
      bool cancelled = false;
      try {
        co_await aio::sleep(ms(r, 4, 40));
      } catch (const cancelled_error&) {
        cancelled = true;
      }
      guard cleanup(&s->inner);
      co_await aio::sleep(0.002);  // cleanup that awaits, then the cancellation goes on
      if (cancelled) throw cancelled_error();
      break;
    }
  }
  (void)g;
}

coro<void> spawn_all(stats* s) {
  std::mt19937 rng(20240611u);  // fixed seed: the same run every time, on every platform
  event_loop& loop = event_loop::running();
  for (int wave = 0; wave < kTasks / kWave; ++wave) {
    for (int i = 0; i < kWave; ++i) {
      std::uint32_t r = rng(), when = rng();
      auto t = create_task(worker(guard(&s->top), r, s, true));
      auto k = static_cast<kind>(r % kinds);
      t.add_done_callback([s, k](future_base& f) {
        if (f.cancelled()) ++s->cancelled[k];
      });
      switch (when % 4) {
        case 0:  // before its first step
          t.cancel();
          ++s->cancelled_before_start;
          ++s->cancelled_early[k];
          break;
        case 1:
        case 2:  // somewhere in its life (or after it: then cancel() just returns false)
          loop.call_later(ms(when, 2, 60), [t] { t.cancel(); });
          break;
        default:  // left alone
          break;
      }
    }
    co_await aio::sleep(0.02);
  }
  co_await aio::sleep(1);  // every task has long finished by now
}

}  // namespace

TEST_CASE("leak check: 100,000 tasks cancelled at random points run every cleanup and free every frame") {
  stats s;
  const auto frames_before = debug::live_coroutine_frames();
  {
    event_loop loop;
    loop.set_exception_handler([&s](event_loop&, const error_context& c) { s.reports.push_back(c.message); });
    run(loop, spawn_all(&s));
    CHECK(loop.all_tasks().empty());
    // Everything ended on its own (none torn down by the loop's destructor below).
    CHECK(debug::live_coroutine_frames() == frames_before);
  }
  CHECK(s.reports.empty());
  CHECK(s.top.made == kTasks);
  CHECK(s.top.destroyed == kTasks);
  CHECK(s.inner.made > kTasks / 4);
  CHECK(s.inner.destroyed == s.inner.made);
  // Cancelled before the first step: the body never ran, yet its guard was destroyed.
  CHECK(s.cancelled_before_start > kTasks / 5);
  CHECK(s.entered == kTasks - s.cancelled_before_start);
  for (int k = 0; k < kinds; ++k) {
    INFO("kind " << k);
    CHECK(s.cancelled[k] - s.cancelled_early[k] > kTasks / 50);  // cancelled mid-flight, often
  }
  CHECK(debug::live_coroutine_frames() == frames_before);
}
