// Tests for engine/scenario/lint.cpp: each learner lint warns on its pattern (with the step's
// pointer) and stays quiet on the correct version, and nolint silences it per step or per file.
#include <doctest/doctest.h>

#include "scenario/lint.hpp"
#include "scenario_test_util.hpp"

using namespace aio::scenario;
using namespace aio::scenario::testing;

namespace {
/// The warnings of a scenario as "pointer rule" strings.
std::vector<std::string> lints(const char* text) {
  auto r = parse_scenario(nlohmann::ordered_json::parse(text));
  std::vector<std::string> out;
  for (auto& d : r.diagnostics) {
    REQUIRE_MESSAGE(d.severity == diagnostic::level::warning, d.message);
    auto at = d.message.find("[lint ");
    std::string rule = at == std::string::npos ? "?" : d.message.substr(at + 6, d.message.find(':', at) - at - 6);
    out.push_back(d.pointer + " " + rule);
  }
  return out;
}
using strings = std::vector<std::string>;
}  // namespace

TEST_CASE("unused-task: a spawned task whose handle is never used") {
  CHECK(lints(R"({"tasks": {"job": [{"sleep": 1}], "main": [{"spawn": "job"}, {"sleep": 2}]}})") == strings{"/tasks/main/0/spawn unused-task"});
  CHECK(lints(R"({"tasks": {"job": [{"sleep": 1}], "main": [{"spawn": "job", "as": "j"}, {"await": "j"}]}})").empty());
  CHECK(lints(R"({"tasks": {"job": [{"sleep": 1}], "main": [{"spawn": "job", "as": "j"}, {"cancel": "j"}]}})").empty());
  CHECK(lints(R"({"tasks": {"job": [{"sleep": 1}], "main": [{"task_group": [{"spawn": "job"}]}]}})").empty());  // the group keeps it
  // a typo in the await: the run reports the unknown handle (did you mean ...?), the lint stays out
  CHECK(lints(R"({"tasks": {"job": [{"sleep": 1}], "main": [{"spawn": "job", "as": "worker"}, {"await": "wroker"}]}})").empty());
}

TEST_CASE("blocking-call: block where tasks run concurrently") {
  CHECK(lints(R"({"tasks": {"tick": [{"sleep": 1}], "main": [{"spawn": "tick", "as": "t"}, {"block": "1s"}, {"await": "t"}]}})") ==
        strings{"/tasks/main/1/block blocking-call"});
  CHECK(lints(R"({"tasks": {"main": [{"block": "1s"}, {"print": "alone: nothing else to freeze"}]}})").empty());
}

TEST_CASE("lock-held-sleep: a sleep of 1s or more inside a lock block") {
  CHECK(lints(R"({"locks": ["db"], "tasks": {"main": [{"lock": "db", "steps": [{"if": "true", "then": [{"sleep": "2s"}]}]}]}})") ==
        strings{"/tasks/main/0/steps/0/then/0/sleep lock-held-sleep"});
  CHECK(lints(R"({"locks": ["db"], "tasks": {"main": [{"lock": "db", "steps": [{"sleep": "100ms"}]}, {"sleep": "5s"}]}})").empty());
}

TEST_CASE("gather-error: gather over tasks that can raise, transitively") {
  const char* risky = R"({"tasks": {
    "fail": [{"sleep": 1}, {"raise": "ValueError: x"}],
    "calls_fail": [{"await": {"call": "fail"}}],
    "main": [{"spawn": "calls_fail", "as": "a"}, {"gather": ["a", {"call": "calls_fail"}]}]}})";
  CHECK(lints(risky) == strings{"/tasks/main/1/gather gather-error"});
  CHECK(lints(R"({"tasks": {"fail": [{"raise": "ValueError: x"}], "main": [{"gather": [{"call": "fail"}], "return_exceptions": true}]}})").empty());
  CHECK(lints(R"({"tasks": {"fail": [{"raise": "ValueError: x"}], "main": [{"try": [{"gather": [{"call": "fail"}]}], "except": [{"steps": []}]}]}})").empty());
  // a raise the task handles itself does not count
  CHECK(lints(R"({"tasks": {"ok": [{"try": [{"raise": "ValueError: x"}], "except": [{"steps": []}]}], "main": [{"gather": [{"call": "ok"}]}]}})").empty());
}

TEST_CASE("queue-no-consumer: items put on a queue nobody gets from") {
  CHECK(lints(R"({"queues": {"q": {}}, "tasks": {"main": [{"put": "q", "item": 1}]}})") == strings{"/tasks/main/0/put queue-no-consumer"});
  CHECK(lints(R"({"queues": {"q": {}}, "tasks": {"main": [{"put": "q", "item": 1}, {"get": "q", "as": "x"}]}})").empty());
}

TEST_CASE("never-completes: waits nothing can end") {
  CHECK(lints(R"({"queues": {"q": {}}, "tasks": {"main": [{"get": "q"}]}})") == strings{"/tasks/main/0/get never-completes"});
  CHECK(lints(R"({"events": ["go"], "tasks": {"main": [{"wait_event": "go"}]}})") == strings{"/tasks/main/0/wait_event never-completes"});
  CHECK(lints(R"({"queues": {"q": {}}, "tasks": {"main": [{"put": "q", "item": 1}, {"get": "q"}, {"join": "q"}]}})") ==
        strings{"/tasks/main/2/join never-completes"});
  CHECK(lints(R"({"conditions": ["c"], "tasks": {"main": [{"condition": "c", "steps": [{"wait_condition": "c"}]}]}})") ==
        strings{"/tasks/main/0/steps/0/wait_condition never-completes"});
  // the fixed versions, and waits bounded by a timeout
  CHECK(lints(R"({"events": ["go"], "tasks": {"setter": [{"set_event": "go"}], "main": [{"spawn": "setter", "as": "s"}, {"wait_event": "go"}, {"await": "s"}]}})").empty());
  CHECK(lints(R"({"queues": {"q": {}}, "tasks": {"main": [{"put": "q", "item": 1}, {"get": "q"}, {"task_done": "q"}, {"join": "q"}]}})").empty());
  CHECK(lints(R"({"queues": {"q": {}}, "tasks": {"main": [{"try": [{"timeout": "1s", "steps": [{"get": "q"}]}], "except": [{"steps": []}]}]}})").empty());
  CHECK(lints(R"({"queues": {"q": {}}, "tasks": {"main": [{"try": [{"get": "q", "nowait": true}], "except": [{"steps": []}]}]}})").empty());
}

TEST_CASE("nolint on a step silences it and the steps inside it, per rule or all") {
  CHECK(lints(R"({"tasks": {"job": [{"sleep": 1}], "main": [{"spawn": "job", "nolint": "unused-task"}]}})").empty());
  CHECK(lints(R"({"tasks": {"job": [{"sleep": 1}], "main": [{"spawn": "job", "nolint": ["blocking-call"]}]}})") == strings{"/tasks/main/0/spawn unused-task"});
  CHECK(lints(R"({"locks": ["db"], "tasks": {"main": [{"lock": "db", "nolint": true, "steps": [{"sleep": "2s"}]}]}})").empty());
  CHECK(lints(R"({"nolint": ["unused-task"], "tasks": {"job": [{"sleep": 1}], "main": [{"spawn": "job"}]}})").empty());
  CHECK(lints(R"({"nolint": true, "tasks": {"job": [{"sleep": 1}], "main": [{"spawn": "job"}]}})").empty());
}

TEST_CASE("a nolint naming no rule is itself a warning, with a suggestion") {
  auto r = parse_scenario(nlohmann::ordered_json::parse(R"({"tasks": {"main": [{"print": "x", "nolint": "unused-tsk"}]}})"));
  REQUIRE(r.ok());
  REQUIRE(r.diagnostics.size() == 1);
  CHECK(r.diagnostics[0].pointer == "/tasks/main/0/nolint");
  CHECK(r.diagnostics[0].message == "no lint rule named 'unused-tsk': did you mean 'unused-task'?");
}

TEST_CASE("lints run only on a scenario without errors, and reach the run's trace as warnings") {
  auto bad = parse_scenario(nlohmann::ordered_json::parse(R"({"tasks": {"job": [{"sleep": 1}], "main": [{"spawn": "job"}, {"sleeep": 1}]}})"));
  REQUIRE(bad.diagnostics.size() == 1);
  CHECK(bad.diagnostics[0].severity == diagnostic::level::error);
  auto r = run_text(R"({"tasks": {"job": [{"sleep": 1}], "main": [{"spawn": "job"}, {"print": "hi"}]}})");
  CHECK(r.code == 0);
  auto d = r.of("diagnostic");
  REQUIRE(d.size() >= 1);
  CHECK(d[0]["severity"] == "warning");
  CHECK(d[0]["pointer"] == "/tasks/main/0/spawn");
  CHECK(lint_rules().size() == 6);
}
