// Tests for aio/future.hpp's done-callbacks: the first is stored inline, more spill to a vector;
// either way they are posted in registration order, and removal keeps the order of the rest.
#include <doctest/doctest.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "aio/aio.hpp"

using namespace aio;

namespace {
std::vector<int>* g_log = nullptr;
void log_cb(void* arg) { g_log->push_back(static_cast<int>(reinterpret_cast<std::intptr_t>(arg))); }
void* tag(int i) { return reinterpret_cast<void*>(static_cast<std::intptr_t>(i)); }
int* g_dropped = nullptr;
void ignore_cb(void*) {}
void count_drop(void*) { ++*g_dropped; }
}  // namespace

TEST_CASE("done-callbacks run in registration order, in the pass after the future is done") {
  event_loop loop;
  std::vector<int> log;
  g_log = &log;
  future<int> f(loop);
  for (int i = 1; i <= 5; ++i) f.base()->add_done_callback(detail::callback_for<&log_cb>, tag(i));
  f.set_result(7);
  CHECK(log.empty());
  loop.run_once();
  CHECK(log == std::vector<int>{1, 2, 3, 4, 5});
  g_log = nullptr;
}

TEST_CASE("removing done-callbacks keeps the others in order, the inline one included") {
  event_loop loop;
  std::vector<int> log;
  g_log = &log;
  future<void> f(loop);
  for (int i : {1, 2, 1, 3}) f.base()->add_done_callback(detail::callback_for<&log_cb>, tag(i));
  CHECK(f.base()->remove_done_callback(&log_cb, tag(1)) == 2);  // the inline first and a spilled one
  CHECK(f.base()->remove_done_callback(&log_cb, tag(9)) == 0);
  f.base()->add_done_callback(detail::callback_for<&log_cb>, tag(4));
  f.set_result();
  loop.run_once();
  CHECK(log == std::vector<int>{2, 3, 4});
  g_log = nullptr;
}

TEST_CASE("a callback whose future dies pending is dropped, releasing its argument") {
  int dropped = 0;
  {
    event_loop loop;
    future<int> f(loop);
    g_dropped = &dropped;
    for (int i = 0; i < 3; ++i) f.base()->add_done_callback(detail::callback_for<&ignore_cb, &count_drop>, nullptr);
  }
  CHECK(dropped == 3);
  g_dropped = nullptr;
}

TEST_CASE("a std::function callback on a future that never completes does not keep it alive") {
  // The callback holds no reference to its pending future (that would be a cycle: a pending
  // future with a callback, dropped by everyone, would leak with everything it holds).
  auto sentinel = std::make_shared<int>(0);
  std::weak_ptr<int> watch = sentinel;
  {
    event_loop loop;
    future<int> f(loop);
    f.base()->add_done_callback([s = std::move(sentinel)](future_base&) { ++*s; });
    f.base()->add_done_callback([](future_base&) {});
  }
  CHECK(watch.expired());
}

TEST_CASE("a std::function callback queued by completion keeps its future alive until it runs") {
  event_loop loop;
  std::string seen;
  {
    future<int> f(loop);
    f.base()->add_done_callback([&seen](future_base& fb) { seen = fb.done() ? "done" : "pending"; });
    f.set_result(1);
  }  // the last handle is gone; the queued callback still holds the future
  loop.run_once();
  CHECK(seen == "done");
  future<int> g(loop);
  g.set_result(2);
  g.base()->add_done_callback([&seen](future_base&) { seen = "late"; });  // done: queued at once
  loop.run_once();
  CHECK(seen == "late");
}

TEST_CASE("labels are shared by the futures of one wait queue and shown by describe()") {
  event_loop loop;
  future<void> f(loop), g(loop);
  CHECK(f.base()->describe() == "future");
  auto l = detail::make_label("lock db");
  f.base()->set_label(l);
  g.base()->set_label(l);
  CHECK(f.base()->describe() == "lock db");
  CHECK(g.base()->describe() == "lock db");
  f.base()->set_label(std::string("other"));
  CHECK(f.base()->describe() == "other");
  CHECK(g.base()->describe() == "lock db");
}
