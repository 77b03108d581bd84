// Tests for aio/shield.hpp (asyncio.shield, 3.11.7), ported from test_tasks (including gather's
// interplay with shields) plus rules of our own, checked against CPython 3.11.7.
#include <doctest/doctest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "aio/aio.hpp"
#include "aio/exception_group.hpp"
#include "aio/shield.hpp"

using namespace aio;

namespace {
/// test_utils.run_briefly: run the loop until a fresh task that yields once is done.
void run_briefly(event_loop& loop) {
  auto t = create_task(loop, []() -> coro<void> { co_await aio::sleep(0); }());
  loop.run_until_done(*t.base());
}
/// Call `f` from inside a loop callback (gather needs a running loop) and return its result.
template <class F>
auto in_loop(event_loop& loop, F f) {
  std::optional<decltype(f())> r;
  loop.call_soon([&] { r.emplace(f()); });
  loop.run_once();
  return std::move(*r);
}
}  // namespace

TEST_CASE("test_shield_result (test_tasks)") {
  event_loop loop;
  future<int> inner(loop);
  auto outer = shield(inner);
  inner.set_result(42);
  loop.run_until_done(*outer.base());
  CHECK(outer.result() == 42);
}

TEST_CASE("test_shield_exception (test_tasks): the very exception is passed on") {
  event_loop loop;
  future<int> inner(loop);
  auto outer = shield(inner);
  run_briefly(loop);
  auto exc = std::make_exception_ptr(std::runtime_error("expected"));
  inner.set_exception(exc);
  run_briefly(loop);
  CHECK(outer.exception() == exc);
}

TEST_CASE("test_shield_cancel_inner (test_tasks): a cancelled inner cancels the outer") {
  event_loop loop;
  future<int> inner(loop);
  auto outer = shield(inner);
  run_briefly(loop);
  inner.cancel();
  run_briefly(loop);
  CHECK(outer.cancelled());
}

TEST_CASE("test_shield_cancel_outer (test_tasks): the inner is untouched and lets go of the outer") {
  event_loop loop;
  future<int> inner(loop);
  auto outer = shield(inner);
  run_briefly(loop);
  const auto outer_refs_alone = 1u;  // our `outer` handle
  CHECK(outer.base()->use_count() > outer_refs_alone);  // the inner's callback refers to it
  outer.cancel();
  run_briefly(loop);
  CHECK(outer.cancelled());
  CHECK_FALSE(inner.done());
  // _outer_done_callback removed the inner's callback: nothing refers to the outer any more.
  CHECK(outer.base()->use_count() == outer_refs_alone);
  inner.set_result(1);
  run_briefly(loop);
  CHECK(outer.cancelled());
}

TEST_CASE("test_shield_shortcut (test_tasks): a done inner is returned as is") {
  event_loop loop;
  future<int> fut(loop);
  fut.set_result(42);
  auto s = shield(fut);
  CHECK(s.base() == fut.base());
  CHECK(s.result() == 42);
}

TEST_CASE("test_shield_effect (test_tasks): cancelling the awaiting task leaves the inner running") {
  event_loop loop;
  int proof = 0;
  future<void> waiter(loop);
  auto inner = [](future<void> w, int* proof) -> coro<void> {
    co_await w;
    *proof += 1;
  };
  auto outer = [&]() -> coro<void> {
    co_await shield(inner(waiter, &proof));
    proof += 100;
  };
  auto f = create_task(loop, outer());
  run_briefly(loop);
  f.cancel();
  loop.run_until_done(*f.base());
  CHECK(f.cancelled());
  waiter.set_result();
  run_briefly(loop);
  CHECK(proof == 1);
}

TEST_CASE("test_shield_gather (test_tasks): cancelling a shield over a gather leaves the gather running") {
  event_loop loop;
  future<int> child1(loop);
  future<int> child2(loop);
  auto parent = in_loop(loop, [&] { return gather(std::vector<future<int>>{child1, child2}); });
  auto outer = shield(parent);
  run_briefly(loop);
  outer.cancel();
  run_briefly(loop);
  CHECK(outer.cancelled());
  child1.set_result(1);
  child2.set_result(2);
  run_briefly(loop);
  CHECK(parent.result() == std::vector<int>{1, 2});
}

TEST_CASE("test_gather_shield (test_tasks): a cancelled gather cancels its shields but not their children") {
  event_loop loop;
  future<int> child1(loop);
  future<int> child2(loop);
  auto inner1 = shield(child1);
  auto inner2 = shield(child2);
  auto parent = in_loop(loop, [&] { return gather(inner1, inner2); });
  run_briefly(loop);
  CHECK(parent.cancel());
  run_briefly(loop);
  CHECK(is_cancelled_error(parent.exception()));  // the gather holds a cancelled_error exception
  CHECK(inner1.cancelled());
  CHECK(inner2.cancelled());
  CHECK_FALSE(child1.done());
  CHECK_FALSE(child2.done());
  child1.set_result(1);
  child2.set_result(2);
  run_briefly(loop);
  CHECK(child1.result() == 1);
  CHECK(inner1.cancelled());
}

TEST_CASE("shield mirrors through a done-callback: the outer is done one pass after the inner (CPython trace)") {
  // CPython 3.11.7: ['inner set', ('soon2', False), ('after1', False), ('after2', True), 1, 'outer done cb']
  event_loop loop;
  std::vector<std::string> log;
  auto body = [&]() -> coro<void> {
    future<int> inner(loop);
    auto outer = shield(inner);
    outer.add_done_callback([&](future_base&) { log.push_back("outer done cb"); });
    loop.call_soon([&, inner] {
      inner.set_result(1);
      log.push_back("inner set");
    });
    loop.call_soon([&, outer] { log.push_back(std::string("soon2 ") + (outer.done() ? "done" : "pending")); });
    co_await aio::sleep(0);
    log.push_back(std::string("after1 ") + (outer.done() ? "done" : "pending"));
    co_await aio::sleep(0);
    log.push_back(std::string("after2 ") + (outer.done() ? "done" : "pending"));
    int r = co_await outer;
    log.push_back(std::to_string(r));
    co_await aio::sleep(0);  // CPython's loop ran one more pass before stopping
  };
  run(loop, body());
  CHECK(log == std::vector<std::string>{"inner set", "soon2 pending", "after1 pending", "after2 done", "1",
                                        "outer done cb"});
}

TEST_CASE("shield: the cancelled caller can still collect the inner task's result later") {
  event_loop loop;
  auto body = [](event_loop& loop) -> coro<void> {
    auto work = create_task([]() -> coro<int> {
      co_await aio::sleep(1);
      co_return 7;
    }());
    auto caller = create_task([](task<int> w) -> coro<int> { co_return co_await shield(w); }(work));
    co_await aio::sleep(0.5);
    caller.cancel();
    bool cancelled = false;
    try {
      co_await caller;
    } catch (const cancelled_error&) {
      cancelled = true;
    }
    CHECK(cancelled);
    CHECK(loop.time() == doctest::Approx(0.5));
    CHECK_FALSE(work.cancelled());
    int v = co_await work;
    CHECK(v == 7);
    CHECK(loop.time() == doctest::Approx(1.0));
  };
  run(loop, body(loop));
}
