// Tests for engine/scenario/interpreter.hpp: scenarios run on the virtual clock, checked by trace.
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "scenario/interpreter.hpp"

using namespace aio::scenario;
using json = nlohmann::ordered_json;

namespace {
struct result {
  int code;
  std::vector<json> events;
  std::vector<std::string> prints() const {
    std::vector<std::string> out;
    for (auto& e : events)
      if (e["type"] == "print") out.push_back("[" + to_display(e["t"]) + "] " + e["task"].get<std::string>() + " " + e["text"].get<std::string>());
    return out;
  }
  std::vector<json> of(const std::string& type) const {
    std::vector<json> out;
    for (auto& e : events)
      if (e["type"] == type) out.push_back(e);
    return out;
  }
};

result run_json(const json& doc) {
  vector_sink sink;
  int code = run_document(doc, {}, sink);
  return {code, sink.events};
}
}  // namespace

TEST_CASE("hello: print, sleep, print at the right virtual times") {
  auto r = run_json(json::parse(R"({"tasks": {"main": [{"print": "hi"}, {"sleep": "250ms"}, {"print": "bye"}]}})"));
  CHECK(r.code == 0);
  CHECK(r.prints() == std::vector<std::string>{"[0] main hi", "[250] main bye"});
  CHECK(r.events.back()["type"] == "end");
  CHECK(r.events.back()["status"] == "ok");
}

TEST_CASE("the gather-vs-sequential example: 4500 ms one by one, 2000 ms with gather") {
  // The same file the page and the CLI run, converted to JSON by hand here.
  json doc = json::parse(R"({
    "main": "main",
    "tasks": {
      "download": {"params": ["name", "seconds"], "steps": [
        {"print": "start {name}"}, {"sleep": "{seconds}s"}, {"print": "done {name}"}, {"return": "{name}"}]},
      "main": {"steps": [
        {"set": {"t0": "{now}"}},
        {"await": {"call": "download", "args": {"name": "a", "seconds": 2}}},
        {"await": {"call": "download", "args": {"name": "b", "seconds": 1}}},
        {"await": {"call": "download", "args": {"name": "c", "seconds": 1.5}}},
        {"print": "sequential took {now - t0} ms"},
        {"set": {"t1": "{now}"}},
        {"gather": [{"call": "download", "args": {"name": "a", "seconds": 2}},
                    {"call": "download", "args": {"name": "b", "seconds": 1}},
                    {"call": "download", "args": {"name": "c", "seconds": 1.5}}], "as": "names"},
        {"print": "gather took {now - t1} ms: {names}"}]}
    }})");
  auto r = run_json(doc);
  REQUIRE(r.code == 0);
  auto p = r.prints();
  REQUIRE(p.size() >= 2);
  REQUIRE(p.size() == 14);
  CHECK(p[0] == "[0] main start a");  // awaited calls run inline, in main
  CHECK(p[5] == "[4500] main done c");
  CHECK(p[6] == "[4500] main sequential took 4500 ms");
  // gather's children run as tasks of their own, started in argument order
  CHECK(p[7] == "[4500] download start a");
  CHECK(p[8] == "[4500] download-2 start b");
  CHECK(p[9] == "[4500] download-3 start c");
  CHECK(p[12] == "[6500] download done a");
  CHECK(p.back() == "[6500] main gather took 2000 ms: [\"a\",\"b\",\"c\"]");
}

TEST_CASE("spawn then await: the spawned task runs concurrently and its result comes back") {
  auto r = run_json(json::parse(R"({"tasks": {
    "worker": {"params": ["n"], "steps": [{"sleep": 1}, {"print": "worker {n}"}, {"return": "{n * 2}"}]},
    "main": [{"spawn": "worker", "args": {"n": 21}, "as": "w"}, {"print": "spawned"}, {"await": "w", "as": "v"}, {"print": "got {v}"}]}})"));
  CHECK(r.code == 0);
  CHECK(r.prints() == std::vector<std::string>{"[0] main spawned", "[1000] w worker 21", "[1000] main got 42"});
  auto tasks = r.of("task");
  REQUIRE(!tasks.empty());
  CHECK(tasks[0]["state"] == "created");
  CHECK(tasks[0]["task"] == "main");
  bool saw_suspended_on_task = false;
  for (auto& t : tasks)
    if (t["task"] == "main" && t["state"] == "suspended" && t["on"] == "task w") saw_suspended_on_task = true;
  CHECK(saw_suspended_on_task);
}

TEST_CASE("a run-time error points at the step that failed") {
  auto r = run_json(json::parse(R"({"tasks": {"main": [{"print": "ok"}, {"print": "{missing + 1}"}]}})"));
  CHECK(r.code == 2);
  auto d = r.of("diagnostic");
  REQUIRE(d.size() == 1);
  CHECK(d[0]["pointer"] == "/tasks/main/1/print");
  CHECK(d[0]["message"].get<std::string>().find("unknown name 'missing'") != std::string::npos);
  CHECK(r.events.back()["status"] == "failed");
}

TEST_CASE("awaiting an unknown handle suggests the right name") {
  auto r = run_json(json::parse(R"({"tasks": {"w": [{"sleep": 1}], "main": [{"spawn": "w", "as": "worker"}, {"await": "wroker"}]}})"));
  CHECK(r.code == 2);
  auto d = r.of("diagnostic");
  REQUIRE(d.size() == 1);
  CHECK(d[0]["message"].get<std::string>().find("did you mean 'worker'") != std::string::npos);
  CHECK(d[0]["pointer"] == "/tasks/main/1/await");
}

TEST_CASE("a deadlock is reported with who waits on what, not a hang") {
  auto r = run_json(json::parse(R"({"tasks": {
    "a": [{"await": {"call": "b"}}],
    "b": [{"spawn": "c", "as": "c"}, {"await": "c"}],
    "c": [{"await": {"call": "c2"}}],
    "c2": [{"gather": []}, {"sleep": 1}, {"gather": ["x"]}],
    "main": [{"spawn": "a"}, {"await": "a"}]}})"));
  CHECK(r.code == 2);  // c2 awaits an unknown handle: a scenario error, not a deadlock
}

TEST_CASE("tasks still pending when main returns are cancelled, like asyncio.run") {
  auto r = run_json(json::parse(R"({"tasks": {"bg": [{"sleep": 100}, {"print": "never"}], "main": [{"spawn": "bg"}, {"sleep": 1}]}})"));
  CHECK(r.code == 0);
  CHECK(r.prints().empty());
  bool cancelled = false;
  for (auto& t : r.of("task"))
    if (t["task"] == "bg" && t["state"] == "cancelled") cancelled = true;
  CHECK(cancelled);
  CHECK(r.events.back()["t"] == 1000);
}

TEST_CASE("a runaway scenario is stopped by the event limit") {
  json doc = json::parse(R"({"tasks": {"spin": [{"sleep": 0}, {"await": {"call": "spin"}}], "main": [{"await": {"call": "spin"}}]}})");
  vector_sink sink;
  run_options opt;
  opt.max_events = 5000;
  int code = run_document(doc, opt, sink);
  CHECK(code == 2);
  CHECK(sink.events.back()["type"] == "end");
  CHECK(sink.events.size() < 5100);
}

TEST_CASE("after main, the run makes exactly asyncio.run's passes: cleanup, gather, shutdown steps") {
  // `late` is spawned during the cleanup, so asyncio.run never cancels it: it prints once per
  // pass until the loop closes. The exported program prints the same lines on CPython 3.11
  // (tests/differential runs it; tests/python/test_virtual_loop.py has the plain-Python twin).
  auto r = run_json(json::parse(R"({"tasks": {
    "ticker": {"params": ["name"], "steps": [
      {"for": "i", "in": "{range(1000)}", "steps": [{"print": "{name}{i}"}, {"sleep": 0}]}]},
    "cleaner": [{"try": [{"sleep": 10}], "except": [{"error": "CancelledError", "steps": [
      {"print": "cancelled"},
      {"spawn": {"call": "ticker", "args": {"name": "late"}}, "as": "late"},
      {"for": "i", "in": "{range(3)}", "steps": [{"sleep": 0}, {"print": "clean{i}"}]}]}]}],
    "main": [
      {"spawn": {"call": "ticker", "args": {"name": "t"}}, "as": "t"},
      {"spawn": "cleaner", "as": "c"},
      {"sleep": 0}, {"sleep": 0},
      {"print": "main done"}]}})"));
  CHECK(r.code == 0);
  std::vector<std::string> texts;
  for (auto& e : r.of("print")) texts.push_back(e["text"].get<std::string>());
  CHECK(texts == std::vector<std::string>{"t0", "t1", "main done", "t2", "cancelled", "late0", "clean0", "late1", "clean1",
                                          "late2", "clean2", "late3", "late4", "late5", "late6", "late7", "late8"});
  CHECK(r.events.back()["type"] == "end");
  CHECK(r.events.back()["status"] == "ok");
}
