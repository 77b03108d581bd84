// Tests for engine/scenario/watchdog.hpp (run limits) and the runner's controls
// (interpreter_control.cpp), with run_clock.hpp's pausable real clock.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "aio/detail/platform.hpp"
#include "scenario/interpreter.hpp"
#include "scenario/run_clock.hpp"
#include "scenario/watchdog.hpp"

using namespace aio::scenario;
using json = nlohmann::ordered_json;

namespace {
struct outcome {
  int code;
  std::vector<json> events;
  double wall_ms;
  std::vector<json> of(const std::string& type) const {
    std::vector<json> out;
    for (auto& e : events)
      if (e["type"] == type) out.push_back(e);
    return out;
  }
};

outcome run_with(const char* text, run_options opt) {
  vector_sink sink;
  double t0 = aio::detail::platform::monotonic_seconds();
  int code = run_document(json::parse(text), opt, sink);
  return {code, sink.events, (aio::detail::platform::monotonic_seconds() - t0) * 1000.0};
}
}  // namespace

TEST_CASE("watchdog: an endless loop without awaits is stopped, naming the task and the step") {
  run_options opt;
  opt.watchdog_ms = 200;
  auto r = run_with(R"({"tasks": {"main": [{"set": {"n": 0}}, {"loop": [{"set": {"n": "{n + 1}"}}]}]}})", opt);
  CHECK(r.code == 2);
  CHECK(r.wall_ms < 200 + 1000);
  auto d = r.of("diagnostic");
  REQUIRE(d.size() == 1);
  CHECK(d[0]["severity"] == "error");
  CHECK(d[0]["task"] == "main");
  CHECK(d[0]["pointer"].get<std::string>().rfind("/tasks/main/1/loop", 0) == 0);
  CHECK(d[0]["message"].get<std::string>().find("watchdog") != std::string::npos);
  CHECK(r.of("end").back()["status"] == "failed");
}

TEST_CASE("watchdog: try/except and finally do not keep a runaway loop alive") {
  run_options opt;
  opt.watchdog_ms = 150;
  auto r = run_with(R"({"tasks": {"main": [
    {"try": [{"loop": [{"set": {"x": 1}}]}], "except": [{"steps": [{"print": "caught"}]}],
     "finally": [{"loop": [{"set": {"y": 1}}]}]}]}})",
                    opt);
  CHECK(r.code == 2);
  CHECK(r.wall_ms < 150 + 1000);
  for (auto& p : r.of("print")) CHECK(p["text"] != "caught");
}

TEST_CASE("watchdog: a real-clock block longer than the limit is refused at once") {
  run_options opt;
  opt.clock = "real";
  opt.watchdog_ms = 300;
  auto r = run_with(R"({"tasks": {"main": [{"print": "before"}, {"block": "1h"}, {"print": "after"}]}})", opt);
  CHECK(r.code == 2);
  CHECK(r.wall_ms < 300);
  auto d = r.of("diagnostic");
  REQUIRE(d.size() == 1);
  CHECK(d[0]["pointer"] == "/tasks/main/1/block");
  CHECK(d[0]["message"].get<std::string>().find("block") != std::string::npos);
}

TEST_CASE("watchdog: a short real-clock block is allowed, and virtual runs never trip it") {
  run_options opt;
  opt.clock = "real";
  opt.watchdog_ms = 2000;
  auto r = run_with(R"({"tasks": {"main": [{"block": "50ms"}, {"print": "after"}]}})", opt);
  CHECK(r.code == 0);
  run_options v;
  v.watchdog_ms = 100;
  auto r2 = run_with(R"({"tasks": {"main": [{"block": "1h"}, {"print": "after"}]}})", v);
  CHECK(r2.code == 0);
}

TEST_CASE("limits: too many live tasks stops the run with a clear error") {
  run_options opt;
  opt.max_tasks = 200;
  auto r = run_with(R"({"tasks": {"sleeper": [{"sleep": "1h"}],
    "main": [{"repeat": 1000, "steps": [{"spawn": {"call": "sleeper"}}]}, {"sleep": "1s"}]}})",
                    opt);
  CHECK(r.code == 2);
  auto d = r.of("diagnostic");
  REQUIRE(!d.empty());
  CHECK(d.back()["message"].get<std::string>().find("too many tasks") != std::string::npos);
}

TEST_CASE("limits: the trace-event limit stops a runaway printer inside one callback") {
  run_options opt;
  opt.max_events = 1000;
  auto r = run_with(R"({"tasks": {"main": [{"loop": [{"print": "spam"}]}]}})", opt);
  CHECK(r.code == 2);
  CHECK(r.events.size() < 1200);
  CHECK(r.of("diagnostic").back()["message"].get<std::string>().find("1000 trace events") != std::string::npos);
}

TEST_CASE("run_clock: pausing stops time, the speed factor scales it, skip_to jumps") {
  run_clock c(4.0);
  CHECK(c.speed() == 4.0);
  c.pause();
  double t = c.now();
  double until = aio::detail::platform::monotonic_seconds() + 0.02;
  while (aio::detail::platform::monotonic_seconds() < until) {
  }
  CHECK(c.now() == t);  // paused wall time is not counted
  c.skip_to(t + 5);
  CHECK(c.now() == doctest::Approx(t + 5));
  c.resume();
  until = aio::detail::platform::monotonic_seconds() + 0.05;
  while (aio::detail::platform::monotonic_seconds() < until) {
  }
  CHECK(c.now() - (t + 5) >= 0.2 - 1e-9);  // 50 ms of wall time at 4x
  CHECK(clamp_speed(100) == 10.0);
  CHECK(clamp_speed(0.01) == doctest::Approx(0.1));
  CHECK(clamp_speed(-1) == 1.0);
}

TEST_CASE("runner controls: cancel a task by id lands at its await, with the page's message") {
  vector_sink sink;
  auto parsed = parse_scenario(json::parse(R"({"tasks": {
    "worker": [{"try": [{"sleep": "10s"}], "except": [{"error": "CancelledError", "steps": [{"print": "cancelled at {now}"}, {"raise": "CancelledError"}]}]}],
    "main": [{"spawn": {"call": "worker"}, "as": "w"}, {"sleep": "1s"}, {"await": "w", "as": "r"}]}})"));
  REQUIRE(parsed.ok());
  runner r(parsed.value, {}, sink);
  std::uint64_t id = 0;
  for (int i = 0; i < 10 && id == 0; ++i) {
    r.step();
    for (auto& e : sink.events)
      if (e["type"] == "task" && e["task"] != "main" && e["state"] == "suspended") id = e["id"].get<std::uint64_t>();
  }
  REQUIRE(id != 0);
  CHECK(r.cancel_task(id, "cancelled from the page"));
  CHECK_FALSE(r.cancel_task(987654, "nobody"));
  r.run_to_end();
  bool printed = false, cancelling = false;
  for (auto& e : sink.events) {
    if (e["type"] == "print" && e["text"] == "cancelled at 0") printed = true;
    if (e["type"] == "task" && e["state"] == "cancelling" && e.value("message", "") == "cancelled from the page") cancelling = true;
  }
  CHECK(printed);
  CHECK(cancelling);
  CHECK(r.exit_code() == 2);  // main awaited the cancelled worker
}

TEST_CASE("runner controls: stop ends the run with status stopped") {
  vector_sink sink;
  auto parsed = parse_scenario(json::parse(R"({"tasks": {"main": [{"sleep": "1h"}]}})"));
  REQUIRE(parsed.ok());
  runner r(parsed.value, {}, sink);
  r.step();
  r.stop("stopped from the page");
  CHECK(r.finished());
  CHECK(sink.events.back()["type"] == "end");
  CHECK(sink.events.back()["status"] == "stopped");
}
