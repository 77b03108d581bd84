// Tests for engine/scenario/steps_gen.cpp: async generator tasks (yield) iterated by for_each.
#include <doctest/doctest.h>

#include "scenario/python_export.hpp"
#include "scenario_test_util.hpp"

using namespace aio::scenario;
using namespace aio::scenario::testing;
using strings = std::vector<std::string>;

namespace {
parse_result parse(const char* text) { return parse_scenario(nlohmann::ordered_json::parse(text)); }
bool has_error(const parse_result& r, const std::string& pointer, const std::string& part) {
  for (auto& d : r.diagnostics)
    if (d.severity == diagnostic::level::error && d.pointer == pointer && d.message.find(part) != std::string::npos) return true;
  return false;
}
std::vector<std::string> states(const result& r) {
  std::vector<std::string> out;
  for (auto& e : r.of("generator")) out.push_back(e["state"].get<std::string>());
  return out;
}
}  // namespace

TEST_CASE("for_each iterates a generator inline: each value arrives when it is yielded") {
  auto r = run_text(R"({"tasks": {
    "pages": {"params": ["n"], "steps": [{"repeat": "{n}", "as": "i", "steps": [{"sleep": "100ms"}, {"yield": "{i * 10}"}]}]},
    "main": [{"for_each": {"gen": "pages", "args": {"n": 3}, "as": "p", "steps": [{"print": "got {p} at {now}"}]}}, {"print": "after"}]}})");
  CHECK(r.code == 0);
  CHECK(r.texts() == strings{"got 0 at 100", "got 10 at 200", "got 20 at 300", "after"});
  CHECK(states(r) == strings{"created", "yielded", "yielded", "yielded", "exhausted"});
  CHECK(r.of("generator")[1]["value"] == 0.0);
  CHECK(r.of("generator")[1]["task"] == "main");  // the generator runs in the consumer's task
}

TEST_CASE("break closes the generator at once: its finally runs and may await") {
  auto r = run_text(R"({"tasks": {
    "gen": [{"try": [{"loop": [{"sleep": "10ms"}, {"yield": "{now}"}]}], "finally": [{"print": "cleanup"}, {"sleep": "5ms"}, {"print": "cleaned at {now}"}]}],
    "main": [{"for_each": "gen", "as": "v", "steps": [{"print": "v={v}"}, {"if": "v >= 20", "then": ["break"]}]}, {"print": "after at {now}"}]}})");
  CHECK(r.code == 0);
  CHECK(r.texts() == strings{"v=10", "v=20", "cleanup", "cleaned at 25", "after at 25"});
  auto g = r.of("generator");
  REQUIRE(g.size() == 5);
  CHECK(g[3]["state"] == "closing");
  CHECK(g[3]["why"] == "break");
  CHECK(g[4]["state"] == "closed");
}

TEST_CASE("an error in the loop body closes the generator before it propagates") {
  auto r = run_text(R"({"tasks": {
    "gen": [{"try": [{"yield": 1}, {"yield": 2}], "except": [{"steps": [{"print": "never: GeneratorExit is not an Exception"}]}], "finally": [{"print": "gen finally"}]}],
    "main": [{"try": [{"for_each": "gen", "as": "x", "steps": [{"raise": "ValueError: body"}]}], "except": [{"as": "e", "steps": [{"print": "caught {e.error}"}]}]}]}})");
  CHECK(r.code == 0);
  CHECK(r.texts() == strings{"gen finally", "caught ValueError"});
}

TEST_CASE("an error raised by the generator reaches the consumer") {
  auto r = run_text(R"({"tasks": {
    "gen": [{"yield": 1}, {"raise": "KeyError: k"}],
    "main": [{"try": [{"for_each": "gen", "as": "x", "steps": [{"print": "x={x}"}]}], "except": [{"error": "KeyError", "steps": [{"print": "caught"}]}]}]}})");
  CHECK(r.texts() == strings{"x=1", "caught"});
  CHECK(states(r).back() == "failed");
}

TEST_CASE("cancelling the consumer while the generator awaits runs the generator's finally") {
  auto r = run_text(R"({"tasks": {
    "gen": [{"try": [{"loop": [{"sleep": "100ms"}, {"yield": 1}]}], "finally": [{"print": "gen finally at {now}"}]}],
    "consumer": [{"for_each": "gen", "as": "x", "steps": [{"print": "x at {now}"}]}],
    "main": [{"spawn": "consumer", "as": "c"}, {"sleep": "150ms"}, {"cancel": "c"},
             {"try": [{"await": "c"}], "except": [{"error": "CancelledError", "steps": [{"print": "cancelled at {now}"}]}]}]}})");
  CHECK(r.texts() == strings{"x at 100", "gen finally at 150", "cancelled at 150"});
}

TEST_CASE("a generator that yields again when closed is a RuntimeError") {
  auto r = run_text(R"({"tasks": {
    "stubborn": [{"loop": [{"try": [{"yield": 1}], "except": [{"error": "GeneratorExit", "steps": [{"print": "ignoring"}]}]}]}],
    "main": [{"try": [{"for_each": "stubborn", "steps": ["break"]}], "except": [{"as": "e", "steps": [{"print": "{e.error}: {e.message}"}]}]}]}})");
  CHECK(r.texts() == strings{"ignoring", "RuntimeError: async generator ignored GeneratorExit"});
}

TEST_CASE("nested generators and 5000 synchronous yields keep a bounded stack") {
  auto r = run_text(R"({"tasks": {
    "many": {"params": ["n"], "steps": [{"repeat": "{n}", "as": "i", "steps": [{"yield": "{i}"}]}]},
    "doubled": [{"for_each": {"gen": "many", "args": {"n": 5000}, "as": "v", "steps": [{"yield": "{v * 2}"}]}}],
    "main": [{"set": {"total": 0}}, {"for_each": "doubled", "as": "v", "steps": [{"set": {"total": "{total + v}"}}]}, {"print": "{total}"}]}})");
  CHECK(r.code == 0);
  CHECK(r.texts() == strings{"24995000"});
}

TEST_CASE("generator misuse is a parse error with a pointer") {
  auto awaited = parse(R"({"tasks": {"gen": [{"yield": 1}], "main": [{"await": {"call": "gen"}}, {"spawn": "gen"}]}})");
  CHECK(has_error(awaited, "/tasks/main/0/await", "is an async generator"));
  CHECK(has_error(awaited, "/tasks/main/1", "cannot be awaited, spawned or gathered"));
  auto not_gen = parse(R"({"tasks": {"plain": [{"print": "x"}], "main": [{"for_each": "plain", "steps": []}]}})");
  CHECK(has_error(not_gen, "/tasks/main/0/for_each", "is not an async generator"));
  auto ret = parse(R"({"tasks": {"gen": [{"yield": 1}, {"return": 2}], "main": [{"for_each": "gen", "steps": []}]}})");
  CHECK(has_error(ret, "/tasks/gen/1", "cannot return a value"));
  auto main_gen = parse(R"({"tasks": {"main": [{"yield": 1}]}})");
  CHECK(has_error(main_gen, "/tasks/main", "cannot be an async generator"));
  auto in_ctx = parse(R"({"contexts": {"c": {"enter": [{"yield": 1}], "exit": []}}, "tasks": {"main": [{"print": "x"}]}})");
  CHECK(has_error(in_ctx, "/contexts/c/enter/0/yield", "belongs in a task"));
  auto no_steps = parse(R"({"tasks": {"gen": [{"yield": 1}], "main": [{"for_each": {"gen": "gen", "bogus": 1}}]}})");
  CHECK(has_error(no_steps, "/tasks/main/0/for_each/bogus", "unknown key"));
  CHECK(has_error(no_steps, "/tasks/main/0/for_each", "needs `steps:`"));
}

TEST_CASE("the Python export writes async def with yield and async for with aclose") {
  auto doc = nlohmann::ordered_json::parse(R"({"tasks": {
    "pages": {"params": ["n"], "steps": [{"repeat": "{n}", "as": "i", "steps": [{"yield": "{i}"}]}]},
    "main": [{"for_each": {"gen": "pages", "args": {"n": 2}, "as": "page", "steps": [{"print": "{page}"}, "break"]}}]}})");
  auto py = export_python_document(doc);
  REQUIRE(py.ok());
  const std::string& text = py.program;
  CHECK(text.find("async def pages(n):") != std::string::npos);
  CHECK(text.find("        yield i\n") != std::string::npos);
  CHECK(text.find("    page_gen = pages(n=2)\n    try:\n        async for page in page_gen:\n") != std::string::npos);
  CHECK(text.find("            break\n    finally:\n        await page_gen.aclose()") != std::string::npos);
}
