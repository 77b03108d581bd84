// Tests for engine/scenario/parser.cpp: every invalid input is a diagnostic at its pointer.
#include <doctest/doctest.h>

#include <string>

#include "scenario/model.hpp"

using namespace aio::scenario;
using json = nlohmann::ordered_json;

namespace {
diagnostic only_error(const char* text) {
  auto r = parse_scenario(json::parse(text));
  REQUIRE(r.diagnostics.size() == 1);
  return r.diagnostics[0];
}
bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }
}  // namespace

TEST_CASE("a valid scenario parses into tasks and steps") {
  auto r = parse_scenario(json::parse(R"({"title": "t", "clock": "real", "tasks": {"main": [{"print": "x"}, {"sleep": "1.5s"}]}})"));
  CHECK(r.ok());
  CHECK(r.value.clock == "real");
  REQUIRE(r.value.tasks.count("main"));
  CHECK(r.value.tasks["main"].steps.size() == 2);
}

TEST_CASE("a misspelt step name gets a suggestion at its pointer") {
  auto d = only_error(R"({"tasks": {"main": [{"print": "a"}, {"slep": "1s"}]}})");
  CHECK(d.pointer == "/tasks/main/1/slep");
  CHECK(contains(d.message, "did you mean 'sleep'"));
}

TEST_CASE("unknown top-level and step keys are errors with suggestions") {
  CHECK(contains(only_error(R"({"taks": {}, "tasks": {"main": []}})").message, "did you mean 'tasks'"));
  auto d = only_error(R"({"tasks": {"w": [], "main": [{"spawn": "w", "ass": "x"}]}})");
  CHECK(d.pointer == "/tasks/main/0/ass");
  CHECK(contains(d.message, "did you mean 'as'"));
}

TEST_CASE("bad durations are caught before running") {
  auto d = only_error(R"({"tasks": {"main": [{"sleep": "2 parsecs"}]}})");
  CHECK(d.pointer == "/tasks/main/0/sleep");
  CHECK(contains(d.message, "unknown unit"));
  CHECK(contains(only_error(R"({"tasks": {"main": [{"sleep": -1}]}})").message, "zero or more"));
}

TEST_CASE("calls are checked against the tasks and their parameters") {
  CHECK(contains(only_error(R"({"tasks": {"worker": [], "main": [{"spawn": "wroker"}]}})").message, "did you mean 'worker'"));
  auto both = parse_scenario(json::parse(R"({"tasks": {"w": {"params": ["n"], "steps": []}, "main": [{"await": {"call": "w", "args": {"m": 1}}}]}})"));
  REQUIRE(both.diagnostics.size() == 2);  // m is unknown, and n is missing
  CHECK(both.diagnostics[0].pointer == "/tasks/main/0/await/args/m");
  CHECK(contains(both.diagnostics[0].message, "did you mean 'n'"));
  CHECK(contains(both.diagnostics[1].message, "missing the argument 'n'"));
  auto r = parse_scenario(json::parse(R"({"tasks": {"w": {"params": ["n"], "steps": []}, "main": [{"await": {"call": "w"}}]}})"));
  CHECK_FALSE(r.ok());
  CHECK(contains(r.diagnostics[0].message, "missing the argument 'n'"));
}

TEST_CASE("a missing main task and a bad expression are reported") {
  CHECK(contains(only_error(R"({"tasks": {"mian": []}})").message, "did you mean 'mian'"));
  auto d = only_error(R"({"tasks": {"main": [{"print": "{1 +}"}]}})");
  CHECK(d.pointer == "/tasks/main/0/print");
  CHECK(contains(d.message, "bad expression"));
}

TEST_CASE("a step with two actions, or a bare word, is explained") {
  CHECK(contains(only_error(R"({"tasks": {"main": [{"print": "a", "sleep": 1}]}})").message, "split it into two steps"));
  CHECK(contains(only_error(R"({"tasks": {"main": ["prnt"]}})").message, "did you mean 'print: ...'"));
}

TEST_CASE("parse_duration") {
  CHECK(*parse_duration(json(0)) == 0.0);
  CHECK(*parse_duration(json("250ms")) == doctest::Approx(0.25));
  CHECK(*parse_duration(json("1.5s")) == 1.5);
  CHECK(*parse_duration(json("2m")) == 120.0);
  CHECK(*parse_duration(json(3)) == 3.0);
  CHECK_FALSE(parse_duration(json("soon")));
}

TEST_CASE("expect is a list of text lines, checked for its shape only") {
  CHECK(parse_scenario(json::parse(R"({"tasks": {"main": []}, "expect": ["[   500ms] done", "any time", 3]})")).ok());
  auto d = only_error(R"({"tasks": {"main": []}, "expect": "done"})");
  CHECK(d.pointer == "/expect");
  CHECK(contains(d.message, "expect is a list"));
  d = only_error(R"({"tasks": {"main": []}, "expect": ["ok", {"a": 1}]})");
  CHECK(d.pointer == "/expect/1");
  CHECK(contains(d.message, "not a map"));
}
