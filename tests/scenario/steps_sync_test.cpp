// Tests for engine/scenario/steps_sync.cpp: declarations, locks, semaphores, events, conditions,
// barriers and queues as scenario steps, and shared variables.
#include <doctest/doctest.h>

#include "scenario_test_util.hpp"

using namespace aio::scenario;
using namespace aio::scenario::testing;
using strings = std::vector<std::string>;

namespace {
// Three tasks each add 1 to a shared counter three times, with a read-sleep-write race.
const char* k_counter = R"({"shared": {"count": 0}, "locks": ["guard"], "tasks": {
  "unsafe": [{"repeat": 3, "steps": [{"set": {"v": "{count}"}}, {"sleep": "10ms"}, {"set": {"count": "{v + 1}"}}]}],
  "safe": [{"repeat": 3, "steps": [{"lock": "guard", "steps": [{"set": {"v": "{count}"}}, {"sleep": "10ms"}, {"set": {"count": "{v + 1}"}}]}]}],
  "main": [{"gather": [{"call": "WHICH"}, {"call": "WHICH"}, {"call": "WHICH"}]}, {"print": "count={count} at {now}"}]}})";

std::string with(const char* text, const std::string& which) {
  std::string s = text;
  for (auto pos = s.find("WHICH"); pos != std::string::npos; pos = s.find("WHICH")) s.replace(pos, 5, which);
  return s;
}
}  // namespace

TEST_CASE("the lost-update race: without a lock updates are lost, with one they are not") {
  auto unsafe = run_json(nlohmann::ordered_json::parse(with(k_counter, "unsafe")));
  CHECK(unsafe.texts() == strings{"count=3 at 30"});
  auto safe = run_json(nlohmann::ordered_json::parse(with(k_counter, "safe")));
  CHECK(safe.texts() == strings{"count=9 at 90"});
}

TEST_CASE("a semaphore limits concurrency") {
  auto r = run_text(R"({"semaphores": {"pool": 2}, "tasks": {
    "job": {"params": ["i"], "steps": [{"semaphore": "pool", "steps": [{"print": "start {i}"}, {"sleep": 1}]}]},
    "main": [{"gather": [{"call": "job", "args": {"i": 1}}, {"call": "job", "args": {"i": 2}}, {"call": "job", "args": {"i": 3}}]}]}})");
  CHECK(r.prints() == strings{"[0] job start 1", "[0] job-2 start 2", "[1000] job-3 start 3"});
}

TEST_CASE("a bounded semaphore released too often raises ValueError") {
  auto r = run_text(R"({"bounded_semaphores": {"b": 1}, "tasks": {"main": [
    {"try": [{"release": "b"}], "except": [{"error": "ValueError", "steps": [{"print": "over-release refused"}]}]}]}})");
  CHECK(r.texts() == strings{"over-release refused"});
}

TEST_CASE("an event wakes every waiter, a condition notifies one at a time") {
  auto r = run_text(R"({"events": ["go"], "conditions": ["c"], "shared": {"ready": 0}, "tasks": {
    "waiter": {"params": ["n"], "steps": [{"wait_event": "go"}, {"print": "w{n} woke"}]},
    "cw": {"params": ["n"], "steps": [{"condition": "c", "steps": [{"wait_condition": "c", "until": "ready > 0"}, {"print": "c{n}"}]}]},
    "main": [{"spawn": "waiter", "args": {"n": 1}, "as": "a"}, {"spawn": "waiter", "args": {"n": 2}, "as": "b"},
             {"sleep": 1}, {"set_event": "go"}, {"clear_event": "go"}, {"await": "a"}, {"await": "b"},
             {"spawn": "cw", "args": {"n": 1}, "as": "x"}, {"spawn": "cw", "args": {"n": 2}, "as": "y"}, {"sleep": 1},
             {"condition": "c", "steps": [{"set": {"ready": 1}}, {"notify": "c"}]}, {"sleep": 1}, {"print": "after one notify"},
             {"condition": "c", "steps": [{"notify_all": "c"}]}, {"await": "x"}, {"await": "y"}]}})");
  CHECK(r.code == 0);
  CHECK(r.texts() == strings{"w1 woke", "w2 woke", "c1", "after one notify", "c2"});
}

TEST_CASE("a barrier releases its parties together") {
  auto r = run_text(R"({"barriers": {"b": 2}, "tasks": {
    "p": {"params": ["d"], "steps": [{"sleep": "{d}"}, {"barrier": "b", "as": "i"}, {"print": "through at {now}"}]},
    "main": [{"gather": [{"call": "p", "args": {"d": 1}}, {"call": "p", "args": {"d": 2}}]}]}})");
  CHECK(r.texts() == strings{"through at 2000", "through at 2000"});
}

TEST_CASE("queues: bounded put blocks, join waits for task_done, priority and lifo orders, nowait errors") {
  auto r = run_text(R"({"queues": {"q": 1, "pq": {"kind": "priority"}, "lq": {"kind": "lifo"}}, "tasks": {
    "consumer": [{"loop": [{"get": "q", "as": "x"}, {"sleep": 1}, {"print": "done {x}"}, {"task_done": "q"}]}],
    "main": [{"spawn": "consumer", "as": "c"}, {"put": "q", "item": "a"}, {"put": "q", "item": "b"}, {"print": "b queued at {now}"},
             {"join": "q"}, {"print": "joined at {now}"}, {"cancel": "c"},
             {"put": "pq", "item": [3, "c"]}, {"put": "pq", "item": [1, "a"]}, {"put": "pq", "item": [2, "b"]},
             {"get": "pq", "as": "p1"}, {"get": "pq", "as": "p2"}, {"print": "{p1[1]}{p2[1]}"},
             {"put": "lq", "item": 1}, {"put": "lq", "item": 2}, {"get": "lq", "as": "l"}, {"print": "lifo {l}"},
             {"try": [{"get": "q", "nowait": true}], "except": [{"error": "QueueEmpty", "steps": [{"print": "empty"}]}]}]}})");
  CHECK(r.code == 0);
  CHECK(r.texts() == strings{"b queued at 0", "done a", "done b", "joined at 2000", "ab", "lifo 2", "empty"});
}

TEST_CASE("objects are declared, named uniquely and used by the right steps") {
  auto r = parse_scenario(nlohmann::ordered_json::parse(R"({"locks": ["db", "go"], "events": ["go"], "queues": {"q": {"kind": "ring"}}, "tasks": {"main": [
    {"lock": "bd", "steps": []}, {"set_event": "q"}, {"put": "q"}]}})"));
  strings msgs;
  for (auto& d : r.diagnostics) msgs.push_back(d.pointer + " " + d.message);
  REQUIRE(msgs.size() == 5);
  CHECK(msgs[0].find("/events/0 'go' is already declared (lock)") == 0);  // keys are read in document order
  CHECK(msgs[1].find("/queues/q/kind") == 0);
  CHECK(msgs[2].find("put needs `item:`") != std::string::npos);
  CHECK(msgs[3].find("/tasks/main/0/lock no lock named 'bd': did you mean 'db'?") == 0);
  CHECK(msgs[4].find("'q' is a queue, but this step needs an event") != std::string::npos);
}
