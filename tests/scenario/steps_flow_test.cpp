// Tests for engine/scenario/steps_flow.cpp: if, loops, break/continue, raise, try/except/finally.
#include <doctest/doctest.h>

#include "scenario_test_util.hpp"

using namespace aio::scenario;
using namespace aio::scenario::testing;
using strings = std::vector<std::string>;

TEST_CASE("if / else on an expression") {
  auto r = run_text(R"({"tasks": {"main": [{"set": {"n": 5}},
    {"if": "n > 3", "then": [{"print": "big"}], "else": [{"print": "small"}]},
    {"if": "{n == 1}", "then": [{"print": "one"}]}]}})");
  CHECK(r.code == 0);
  CHECK(r.texts() == strings{"big"});
}

TEST_CASE("repeat with an index, for over a list, loop/while with break and continue") {
  auto r = run_text(R"({"tasks": {"main": [
    {"repeat": 3, "as": "i", "steps": [{"print": "r{i}"}]},
    {"for": "x", "in": "{['a', 'b']}", "steps": [{"print": "f{x}"}]},
    {"set": {"k": 0}},
    {"loop": [{"set": {"k": "{k + 1}"}}, {"if": "k == 2", "then": ["continue"]}, {"if": "k > 3", "then": ["break"]}, {"print": "k{k}"}]},
    {"loop": [{"print": "w{k}"}, {"set": {"k": "{k - 1}"}}], "while": "k > 2"}]}})");
  CHECK(r.code == 0);
  CHECK(r.texts() == strings{"r0", "r1", "r2", "fa", "fb", "k1", "k3", "w4", "w3"});
}

TEST_CASE("return inside a loop leaves the task call") {
  auto r = run_text(R"({"tasks": {
    "find": [{"for": "x", "in": "{[1, 2, 3]}", "steps": [{"if": "x == 2", "then": [{"return": "{x * 10}"}]}]}, {"return": -1}],
    "main": [{"await": {"call": "find"}, "as": "v"}, {"print": "{v}"}]}})");
  CHECK(r.texts() == strings{"20"});
}

TEST_CASE("raise and try/except by type, with the error bound by as, and finally always runs") {
  auto r = run_text(R"({"tasks": {"main": [
    {"try": [{"raise": "ValueError: bad input"}, {"print": "not reached"}],
     "except": [{"error": "KeyError", "steps": [{"print": "wrong handler"}]},
                {"error": ["ValueError", "TypeError"], "as": "e", "steps": [{"print": "caught {e.error}: {e.message}"}]}],
     "finally": [{"print": "finally"}]},
    {"try": [{"try": [{"raise": "KeyError"}], "finally": [{"print": "inner finally"}]}],
     "except": [{"steps": [{"print": "outer caught"}]}]}]}})");
  CHECK(r.code == 0);
  CHECK(r.texts() == strings{"caught ValueError: bad input", "finally", "inner finally", "outer caught"});
}

TEST_CASE("an uncaught raise fails the task with its type and message") {
  auto r = run_text(R"({"tasks": {"main": [{"raise": "RuntimeError: boom"}]}})");
  CHECK(r.code == 2);
  CHECK(r.events.back()["status"] == "failed");
  CHECK(r.events.back()["message"] == "RuntimeError: boom");
  CHECK(r.of("diagnostic").empty());  // raised on purpose: not a scenario mistake
}

TEST_CASE("a bare except does not catch cancellation, naming CancelledError does, and finally runs on cancel") {
  auto r = run_text(R"({"tasks": {
    "worker": [{"try": [{"try": [{"sleep": 10}], "except": [{"steps": [{"print": "swallowed"}]}]}],
                "finally": [{"print": "cleanup at {now}"}]}],
    "stubborn": [{"try": [{"sleep": 10}], "except": [{"error": "CancelledError", "steps": [{"print": "ignored cancel"}]}]}, {"return": "still here"}],
    "main": [{"spawn": "worker"}, {"spawn": "stubborn"}, {"sleep": 1}, {"cancel": "worker", "message": "stop"}, {"cancel": "stubborn"},
             {"try": [{"await": "worker"}], "except": [{"error": "CancelledError", "as": "e", "steps": [{"print": "worker: {e.error} {e.message}"}]}]},
             {"await": "stubborn", "as": "v"}, {"print": "{v}"}]}})");
  CHECK(r.code == 0);
  CHECK(r.texts() == strings{"cleanup at 1000", "ignored cancel", "worker: CancelledError stop", "still here"});
}

TEST_CASE("a scenario mistake inside try is not swallowed by except") {
  auto r = run_text(R"({"tasks": {"main": [{"try": [{"print": "{nope}"}], "except": [{"error": "Exception", "steps": [{"print": "hidden"}]}]}]}})");
  CHECK(r.code == 2);
  CHECK(r.texts().empty());
  REQUIRE(r.of("diagnostic").size() == 1);
  CHECK(r.of("diagnostic")[0]["pointer"] == "/tasks/main/0/try/0/print");
}

TEST_CASE("flow verbs are validated") {
  auto bad = parse_scenario(nlohmann::ordered_json::parse(R"({"tasks": {"main": [{"if": "x >"}, {"for": "i", "steps": []}, {"try": []}]}})"));
  CHECK(bad.diagnostics.size() == 4);  // bad expression + missing then, missing in, try without except/finally
}

TEST_CASE("set assigns in the order written, and raise CancelledError cancels the task") {
  auto r = run_text(R"({"tasks": {
    "quitter": [{"raise": "CancelledError: giving up"}],
    "main": [{"set": {"total": 5, "average": "{total / 5}"}}, {"print": "{average}"},
             {"spawn": "quitter", "as": "q"}, {"try": [{"await": "q"}], "except": [{"error": "CancelledError", "as": "e", "steps": [{"print": "{e.message}"}]}]}]}})");
  CHECK(r.code == 0);
  CHECK(r.texts() == strings{"1", "giving up"});
  bool cancelled = false;
  for (auto& t : r.of("task"))
    if (t["task"] == "q" && t["state"] == "cancelled") cancelled = true;
  CHECK(cancelled);
}
