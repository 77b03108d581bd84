// Tests for engine/scenario/steps_executor.cpp: run_in_executor / to_thread, simulated jobs.
#include <doctest/doctest.h>

#include "scenario/python_export.hpp"
#include "scenario_test_util.hpp"

using namespace aio::scenario;
using namespace aio::scenario::testing;
using strings = std::vector<std::string>;

TEST_CASE("run_in_executor takes its duration off the loop: other tasks keep running") {
  auto r = run_text(R"({"tasks": {
    "ticker": [{"repeat": 3, "steps": [{"sleep": "300ms"}, {"print": "tick {now}"}]}],
    "main": [{"spawn": "ticker", "as": "t"},
             {"run_in_executor": {"duration": "1s", "result": "{21 * 2}", "name": "crunch"}, "as": "y"},
             {"print": "y={y} at {now}"}, {"await": "t"}]}})");
  CHECK(r.code == 0);
  CHECK(r.texts() == strings{"tick 300", "tick 600", "tick 900", "y=42 at 1000"});
  auto ex = r.of("executor");
  REQUIRE(ex.size() == 2);
  CHECK(ex[0]["state"] == "started");
  CHECK(ex[0]["job"] == "crunch");
  CHECK(ex[0]["duration"] == 1000.0);
  CHECK(ex[1]["state"] == "done");
  CHECK(ex[1]["result"] == 42.0);
  CHECK(ex[1]["t"] == 1000.0);
}

TEST_CASE("to_thread and the short form (a duration only)") {
  auto r = run_text(R"({"tasks": {"main": [{"to_thread": "250ms", "as": "v"}, {"print": "{v} at {now}"}, {"to_thread": {"duration": 0, "result": "x"}, "as": "w"}, {"print": "{w} at {now}"}]}})");
  CHECK(r.texts() == strings{"null at 250", "x at 250"});
}

TEST_CASE("cancelling the awaiting task abandons the job, which still runs to its end") {
  auto r = run_text(R"({"tasks": {
    "worker": [{"run_in_executor": {"duration": "1s", "result": 7}, "as": "v"}, {"print": "never"}],
    "main": [{"spawn": "worker", "as": "w"}, {"sleep": "200ms"}, {"cancel": "w"},
             {"try": [{"await": "w"}], "except": [{"error": "CancelledError", "steps": [{"print": "cancelled at {now}"}]}]},
             {"sleep": "2s"}, {"print": "main ends at {now}"}]}})");
  CHECK(r.texts() == strings{"cancelled at 200", "main ends at 2200"});
  auto ex = r.of("executor");
  REQUIRE(ex.size() == 3);
  CHECK(ex[1]["state"] == "abandoned");
  CHECK(ex[1]["t"] == 200.0);
  CHECK(ex[2]["state"] == "done");  // the thread finished its job anyway
  CHECK(ex[2]["t"] == 1000.0);
  CHECK(ex[2]["discarded"] == true);
}

TEST_CASE("run_in_executor errors point at the step") {
  auto r = parse_scenario(nlohmann::ordered_json::parse(R"({"tasks": {"main": [
    {"run_in_executor": {"result": 1}}, {"to_thread": "soon"}, {"run_in_executor": {"duration": "1s", "resutl": 2}}, {"to_thread": [1]}]}})"));
  REQUIRE(r.diagnostics.size() == 4);
  CHECK(r.diagnostics[0].pointer == "/tasks/main/0/run_in_executor");
  CHECK(r.diagnostics[0].message.find("needs `duration:`") != std::string::npos);
  CHECK(r.diagnostics[1].pointer == "/tasks/main/1/to_thread");
  CHECK(r.diagnostics[2].message == "unknown key 'resutl' in a run_in_executor step: did you mean 'result'?");
  CHECK(r.diagnostics[3].pointer == "/tasks/main/3/to_thread");
}

TEST_CASE("the Python export runs blocking_job in the default executor") {
  auto py = export_python_document(nlohmann::ordered_json::parse(R"({"tasks": {"main": [
    {"run_in_executor": {"duration": "1.5s", "result": "{2 + 2}"}, "as": "y"}, {"to_thread": "250ms"}]}})"));
  REQUIRE(py.ok());
  CHECK(py.program.find("def blocking_job(seconds, result):\n") != std::string::npos);
  CHECK(py.program.find("    y = await asyncio.get_running_loop().run_in_executor(None, blocking_job, 1.5, 2 + 2)") != std::string::npos);
  CHECK(py.program.find("    await asyncio.to_thread(blocking_job, 0.25, None)") != std::string::npos);
  CHECK(py.program.find("import time\n") != std::string::npos);
}
