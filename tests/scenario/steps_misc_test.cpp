// Tests for engine/scenario/steps_misc.cpp: block, with (contexts), fetch (simulated servers).
#include <doctest/doctest.h>

#include "scenario_test_util.hpp"

using namespace aio::scenario;
using namespace aio::scenario::testing;
using strings = std::vector<std::string>;

TEST_CASE("block freezes the loop: a timer due meanwhile fires late") {
  auto r = run_text(R"({"tasks": {
    "ticker": [{"sleep": "100ms"}, {"print": "tick at {now}"}],
    "main": [{"spawn": "ticker", "as": "t"}, {"sleep": 0}, {"block": "1s"}, {"print": "unblocked at {now}"}, {"await": "t"}]}})");
  CHECK(r.texts() == strings{"unblocked at 1000", "tick at 1000"});
}

TEST_CASE("with runs enter, the body, and exit even when the body fails") {
  auto r = run_text(R"({"contexts": {"conn": {"enter": [{"print": "open"}, {"set": {"id": 7}}], "value": "{id}", "exit": [
      {"if": "error", "then": [{"print": "close after {error.error}"}], "else": [{"print": "close"}]}]}},
    "tasks": {"main": [
      {"with": "conn", "as": "c", "steps": [{"print": "using {c}"}]},
      {"try": [{"with": "conn", "steps": [{"raise": "ValueError: nope"}]}], "except": [{"steps": [{"print": "caught"}]}]}]}})");
  CHECK(r.code == 0);
  CHECK(r.texts() == strings{"open", "using 7", "close", "open", "close after ValueError", "caught"});
}

TEST_CASE("fetch from a simulated server: latency, per-call sequence, JSON bodies") {
  auto r = run_text(R"({"servers": {"api": {"latency": "200ms", "sequence": [{"status": 503, "body": "busy"}, {"body": {"v": 1}, "latency": "50ms"}]}},
    "tasks": {"main": [
      {"fetch": "sim://api/items", "as": "a"}, {"print": "{a.status} {a.body} at {now}"},
      {"fetch": "sim://api/items", "as": "b"}, {"print": "{b.status} v={b.json.v} at {now}"},
      {"fetch": "sim://api/items", "as": "c"}, {"print": "{c.status} at {now}"}]}})");
  CHECK(r.code == 0);
  CHECK(r.texts() == strings{"503 busy at 200", "200 v=1 at 250", "200 at 300"});
}

TEST_CASE("unknown servers and contexts are reported with suggestions") {
  auto r = parse_scenario(nlohmann::ordered_json::parse(R"({"servers": {"api": {}}, "contexts": {"conn": {"enter": [], "exit": []}},
    "tasks": {"main": [{"fetch": "sim://apl/x"}, {"with": "con", "steps": []}, {"fetch": "ftp://example.com"}]}})"));
  REQUIRE(r.diagnostics.size() == 3);
  CHECK(r.diagnostics[0].message.find("sim://") != std::string::npos);
  CHECK(r.diagnostics[1].message == "no server named 'apl': did you mean 'api'?");
  CHECK(r.diagnostics[2].message == "no context named 'con': did you mean 'conn'?");
}
