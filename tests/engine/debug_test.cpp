// Tests for aio/debug.hpp: the loop's reports (exception handler, default handler and its log
// sink), "exception was never retrieved", "destroyed but pending", and debug mode's slow-callback
// warning. Ports of CPython's test_base_events / test_tasks cases name their originals.
#include <doctest/doctest.h>

#include <cstdlib>
#include <regex>
#include <stdexcept>
#include <string>
#include <vector>

#include "aio/aio.hpp"
#include "aio/debug.hpp"
#include "aio/detail/platform.hpp"
#include "aio/generator.hpp"

using namespace aio;

namespace {
struct recorded {
  std::string message;
  std::exception_ptr exception;
  task_base* task;
  future_base* future;
  handle* hnd;
  std::string context;  // the failed-on report's message ("Unhandled error in exception handler")
  std::string task_name;
};

struct recorder {
  std::vector<recorded> reports;
  event_loop::exception_handler handler() {
    return [this](event_loop&, const error_context& c) {
      reports.push_back({c.message, c.exception, c.task, c.future, c.handle, c.context ? c.context->message : "",
                         c.task ? c.task->name() : ""});
    };
  }
  std::vector<std::string> messages() const {
    std::vector<std::string> v;
    for (auto& r : reports) v.push_back(r.message);
    return v;
  }
};

std::string what(const std::exception_ptr& e) {
  try {
    std::rethrow_exception(e);
  } catch (const std::exception& x) {
    return x.what();
  } catch (...) {
    return "?";
  }
}

void zero_error() { throw std::domain_error("division by zero"); }

coro<int> zero_error_coro() {
  co_await aio::sleep(0.01);
  zero_error();
  co_return 0;
}
}  // namespace

TEST_CASE("test_set_exc_handler_custom (test_base_events): the handler gets the callback's report, then the default handler logs it") {
  event_loop loop;
  loop.set_debug(true);
  CHECK_FALSE(loop.get_exception_handler());
  recorder rec;
  loop.set_exception_handler(rec.handler());
  CHECK(static_cast<bool>(loop.get_exception_handler()));
  auto h = loop.call_soon(zero_error);
  loop.run_once();
  REQUIRE(rec.reports.size() == 1);
  CHECK(rec.reports[0].message == "Exception in callback");
  CHECK(what(rec.reports[0].exception) == "division by zero");
  CHECK(rec.reports[0].hnd == h.get());

  std::vector<std::string> log;
  loop.set_log_sink([&log](const std::string& entry) { log.push_back(entry); });
  loop.set_exception_handler(nullptr);
  loop.call_soon(zero_error);
  loop.run_once();
  REQUIRE(log.size() == 1);
  CHECK(std::regex_search(log[0], std::regex("^Exception in callback.*division by zero")));
  CHECK(rec.reports.size() == 1);  // the custom handler was not called again
}

TEST_CASE("test_set_exc_handler_broken (test_base_events): a handler that throws goes to the default handler") {
  event_loop loop;
  std::vector<std::string> log;
  loop.set_log_sink([&log](const std::string& entry) { log.push_back(entry); });
  loop.set_exception_handler([](event_loop&, const error_context&) { throw std::runtime_error("spam"); });
  loop.call_soon(zero_error);
  loop.run_once();
  REQUIRE(log.size() == 1);
  // The entry carries the handler's exception and, as `context`, the report it failed on.
  CHECK(std::regex_search(log[0], std::regex("^Unhandled error in exception handler context: Exception in callback")));
  CHECK(log[0].find("exception: spam") != std::string::npos);
}

TEST_CASE("test_default_exc_handler_coro (test_base_events): a failed task dropped unretrieved logs 'exception was never retrieved'") {
  std::vector<std::string> log;
  event_loop loop;
  loop.set_log_sink([&log](const std::string& entry) { log.push_back(entry); });
  {
    auto fut = create_task(loop, zero_error_coro(), "zero");
    fut.add_done_callback([&loop](future_base&) { loop.stop(); });
    loop.run_forever();
    CHECK(fut.done());
    CHECK(log.empty());  // nothing yet: the task is still referenced
  }  // fut = None
  REQUIRE(log.size() == 1);
  CHECK(std::regex_search(log[0], std::regex("^Task exception was never retrieved.*task: zero.*division by zero")));
}

TEST_CASE("never retrieved: reported with the exception and the task, unless result() or exception() was called") {
  event_loop loop;
  recorder rec;
  loop.set_exception_handler(rec.handler());
  auto body = []() -> coro<void> {
    auto failing = [](const char* msg) -> coro<void> {
      co_await aio::sleep(0);
      throw std::runtime_error(msg);
    };
    auto a = create_task(failing("dropped"), "dropped");
    auto b = create_task(failing("awaited"), "awaited");
    auto c = create_task(failing("inspected"), "inspected");
    co_await aio::sleep(1);
    try {
      co_await b;
    } catch (const std::runtime_error&) {
    }
    CHECK(c.exception() != nullptr);
    future<int> plain(event_loop::running());
    plain.set_exception(std::make_exception_ptr(std::runtime_error("plain")));
  };
  run(loop, body());
  REQUIRE(rec.reports.size() == 2);
  CHECK(rec.reports[0].message == "Future exception was never retrieved");
  CHECK(what(rec.reports[0].exception) == "plain");
  CHECK(rec.reports[0].task == nullptr);
  CHECK(rec.reports[1].message == "Task exception was never retrieved");
  CHECK(what(rec.reports[1].exception) == "dropped");
  CHECK(rec.reports[1].task_name == "dropped");
}

TEST_CASE("never retrieved: gather retrieves its children's exceptions, also those that fail after it is done") {
  event_loop loop;
  recorder rec;
  loop.set_exception_handler(rec.handler());
  auto body = []() -> coro<std::string> {
    auto fail_after = [](double d, const char* msg) -> coro<int> {
      co_await aio::sleep(d);
      throw std::runtime_error(msg);
    };
    std::string first;
    try {
      co_await gather(fail_after(1, "first"), fail_after(2, "second"));
    } catch (const std::runtime_error& e) {
      first = e.what();
    }
    co_await aio::sleep(5);  // the second child fails while nobody looks
    co_return first;
  };
  CHECK(run(loop, body()) == "first");
  CHECK(rec.messages().empty());
}

TEST_CASE("test_log_destroyed_pending_task (test_tasks): the handler gets 'Task was destroyed but it is pending!'") {
  // CPython: the task's only reference is its wake-up callback on a future that only the task's
  // coroutine holds; the garbage collector finds that cycle. Without a collector the cycle lives
  // until the loop goes, which destroys the coroutine and reports the task.
  recorder rec;
  {
    event_loop loop;
    loop.set_debug(true);
    loop.set_exception_handler(rec.handler());
    auto kill_me = [](event_loop* l) -> coro<void> {
      future<void> f(*l);
      co_await f;
      throw std::runtime_error("code never reached");
    };
    {
      auto task = create_task(loop, kill_me(&loop), "kill_me");
      CHECK(loop.all_tasks().size() == 1);
      loop.run_once();  // the task now waits for its future
      CHECK(loop.ready_count() == 0);
    }  // task = None
    CHECK(rec.reports.empty());
  }
  REQUIRE(rec.reports.size() == 1);
  CHECK(rec.reports[0].message == "Task was destroyed but it is pending!");
  CHECK(rec.reports[0].task_name == "kill_me");
}

TEST_CASE("test_log_slow_callbacks (test_base_events): debug mode names the slow handle or task") {
  event_loop loop;
  recorder rec;
  loop.set_exception_handler(rec.handler());
  loop.set_debug(true);
  loop.slow_callback_duration = 0.0;

  loop.call_soon([&loop] { loop.stop(); });
  loop.run_forever();
  REQUIRE(rec.reports.size() == 1);
  CHECK(std::regex_search(rec.reports[0].message, std::regex("^Executing <Handle.*> took .* seconds$")));

  auto stop_loop_coro = [](event_loop* l) -> coro<void> {
    l->stop();
    co_return;
  };
  auto t = create_task(loop, stop_loop_coro(&loop), "stop_loop_coro");
  loop.run_forever();
  REQUIRE(rec.reports.size() == 2);
  CHECK(std::regex_search(rec.reports[1].message, std::regex("^Executing <Task.*stop_loop_coro.*> took .* seconds$")));
  CHECK(rec.reports[1].task == t.base());
}

TEST_CASE("slow callback: a 0.15 s busy step is reported with its task and the real duration, quick ones are not") {
  event_loop loop;  // virtual clock: only the platform's real clock can see the step take time
  recorder rec;
  loop.set_exception_handler(rec.handler());
  loop.set_debug(true);
  loop.slow_callback_duration = 0.1;
  auto busy = [](double seconds) -> coro<void> {
    co_await aio::sleep(1);
    double until = detail::platform::monotonic_seconds() + seconds;
    while (detail::platform::monotonic_seconds() < until) {
    }
    co_await aio::sleep(1);
  };
  auto slow = create_task(loop, busy(0.15), "busy");
  auto quick = create_task(loop, busy(0.0), "quick");
  loop.run_until_done(*slow.base());
  loop.run_until_done(*quick.base());
  REQUIRE(rec.reports.size() == 1);
  std::smatch m;
  REQUIRE(std::regex_match(rec.reports[0].message, m,
                           std::regex(R"(^Executing <Task pending name='busy' wait_for=<sleep 1000ms>> took (\d+\.\d{3}) seconds$)")));
  double took = std::strtod(m[1].str().c_str(), nullptr);
  CHECK(took >= 0.15);
  CHECK(took < 2.0);
  CHECK(rec.reports[0].task_name == "busy");
}

TEST_CASE("slow callback: nothing is reported outside debug mode") {
  event_loop loop;
  recorder rec;
  loop.set_exception_handler(rec.handler());
  loop.slow_callback_duration = 0.0;
  loop.call_soon([] {});
  loop.run_once();
  CHECK(rec.reports.empty());
}

TEST_CASE("debug reprs: task states and handles") {
  event_loop loop;
  auto body = [](event_loop* l) -> coro<void> {
    auto t = create_task([]() -> coro<void> { co_await aio::sleep(3); }(), "sleeper");
    co_await aio::sleep(0);
    CHECK(debug::task_repr(*t.base()) == "<Task pending name='sleeper' wait_for=<sleep 3000ms>>");
    t.cancel();
    CHECK(debug::task_repr(*t.base()) == "<Task cancelling name='sleeper' wait_for=<sleep 3000ms>>");
    try {
      co_await t;
    } catch (const cancelled_error&) {
    }
    CHECK(debug::task_repr(*t.base()) == "<Task cancelled name='sleeper'>");
    auto f = create_task([](bool fail) -> coro<int> {
      if (fail) throw std::runtime_error("boom");
      co_return 0;
    }(true), "failing");
    co_await aio::sleep(0);
    CHECK(debug::task_repr(*f.base()) == "<Task finished name='failing' exception=boom>");
    f.exception();
    auto timer = l->call_later(1.5, [] {});
    CHECK(debug::handle_repr(*timer) == "<TimerHandle when=1.5>");
    timer->cancel();
    CHECK(debug::handle_repr(*timer) == "<Handle cancelled>");
  };
  run(loop, body(&loop));
}

TEST_CASE("live_coroutine_frames counts every coro and generator frame until it is destroyed") {
  // Called through pointers the optimiser cannot see through: a frame that provably dies within
  // its caller may otherwise be elided into the caller's own frame (clang's HALO at -O2), and
  // such a frame is never allocated, so never counted.
  coro<int> (*volatile make_coro)() = zero_error_coro;
  generator<int> (*volatile make_gen)() = [] () -> generator<int> { co_yield 1; };
  const auto before = debug::live_coroutine_frames();
  {
    auto c = make_coro();  // lazy: the frame exists before anything runs
    auto g = make_gen();
    CHECK(debug::live_coroutine_frames() == before + 2);
  }
  CHECK(debug::live_coroutine_frames() == before);
}
