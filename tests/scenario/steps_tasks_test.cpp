// Tests for engine/scenario/steps_tasks.cpp: wait, as_completed, wait_for, timeout, shield, task_group.
#include <doctest/doctest.h>

#include "scenario_test_util.hpp"

using namespace aio::scenario;
using namespace aio::scenario::testing;
using strings = std::vector<std::string>;

TEST_CASE("wait FIRST_COMPLETED then cancel the rest through the pending handles") {
  auto r = run_text(R"({"tasks": {
    "job": {"params": ["d"], "steps": [{"sleep": "{d}"}, {"return": "{d}"}]},
    "main": [{"wait": [{"call": "job", "args": {"d": 3}}, {"call": "job", "args": {"d": 1}}, {"call": "job", "args": {"d": 2}}],
              "return_when": "FIRST_COMPLETED", "done": "done", "pending": "pending"},
             {"print": "done={done} pending={pending} at {now}"},
             {"for": "h", "in": "{pending}", "steps": [{"cancel": "{h}"}]},
             {"for": "h", "in": "{done}", "steps": [{"await": "{h}", "as": "v"}, {"print": "{h} -> {v}"}]}]}})");
  CHECK(r.code == 0);
  CHECK(r.texts() == strings{R"(done=["job-2"] pending=["job","job-3"] at 1000)", "job-2 -> 1"});
}

TEST_CASE("wait with a timeout neither raises nor cancels") {
  auto r = run_text(R"({"tasks": {"slow": [{"sleep": 5}],
    "main": [{"spawn": "slow", "as": "s"}, {"wait": ["s"], "timeout": "1s", "pending": "p"}, {"print": "{p} at {now}"}, {"await": "s"}, {"print": "finished at {now}"}]}})");
  CHECK(r.texts() == strings{R"(["s"] at 1000)", "finished at 5000"});
}

TEST_CASE("as_completed yields results in completion order, and raises TimeoutError past its timeout") {
  auto r = run_text(R"({"tasks": {
    "job": {"params": ["d"], "steps": [{"sleep": "{d}"}, {"return": "{d}"}]},
    "main": [{"as_completed": [{"call": "job", "args": {"d": 3}}, {"call": "job", "args": {"d": 1}}], "as": "v", "steps": [{"print": "{v} at {now}"}]},
             {"try": [{"as_completed": [{"call": "job", "args": {"d": 5}}], "timeout": "2s", "as": "v", "steps": [{"print": "never"}]}],
              "except": [{"error": "TimeoutError", "steps": [{"print": "timed out at {now}"}]}]}]}})");
  CHECK(r.texts() == strings{"1 at 1000", "3 at 3000", "timed out at 5000"});
}

TEST_CASE("wait_for and timeout: a slow call becomes TimeoutError, the inner task is cancelled first") {
  auto r = run_text(R"({"tasks": {
    "slow": [{"try": [{"sleep": 10}], "finally": [{"print": "slow cleaned up at {now}"}]}],
    "main": [{"try": [{"wait_for": {"call": "slow"}, "timeout": "1s"}], "except": [{"error": "TimeoutError", "steps": [{"print": "wait_for timed out at {now}"}]}]},
             {"try": [{"timeout": "500ms", "steps": [{"await": {"call": "slow"}}]}], "except": [{"error": "TimeoutError", "steps": [{"print": "timeout block at {now}"}]}]}]}})");
  CHECK(r.texts() == strings{"slow cleaned up at 1000", "wait_for timed out at 1000", "slow cleaned up at 1500", "timeout block at 1500"});
}

TEST_CASE("shield keeps the inner task running when the awaiting task is cancelled") {
  auto r = run_text(R"({"tasks": {
    "important": [{"sleep": 2}, {"print": "important finished at {now}"}],
    "waiter": [{"spawn": "important", "as": "i"}, {"shield": "i"}],
    "main": [{"spawn": "waiter", "as": "w"}, {"sleep": 1}, {"cancel": "w"}, {"try": [{"await": "w"}], "except": [{"error": "CancelledError", "steps": [{"print": "waiter cancelled at {now}"}]}]}, {"sleep": 2}]}})");
  CHECK(r.texts() == strings{"waiter cancelled at 1000", "important finished at 2000"});
}

TEST_CASE("task_group: the first failure cancels the siblings and raises an ExceptionGroup") {
  auto r = run_text(R"({"tasks": {
    "ok": [{"try": [{"sleep": 5}, {"print": "ok finished"}], "except": [{"error": "CancelledError", "steps": [{"print": "ok cancelled at {now}"}, {"raise": "CancelledError"}]}]}],
    "bad": [{"sleep": 1}, {"raise": "ValueError: boom"}],
    "main": [{"try": [{"task_group": [{"spawn": "ok"}, {"spawn": "bad"}]}],
              "except": [{"error": "ExceptionGroup", "as": "e", "steps": [{"print": "group failed at {now}: {e.message}"}]}]}]}})");
  CHECK(r.code == 0);
  REQUIRE(r.texts().size() == 2);
  CHECK(r.texts()[0] == "ok cancelled at 1000");
  CHECK(r.texts()[1].rfind("group failed at 1000: ", 0) == 0);
}
