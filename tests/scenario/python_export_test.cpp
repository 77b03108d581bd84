// Tests for engine/scenario/python_export.hpp: the shape of the exported program. Whether it
// behaves like the engine (output, timestamps, numbers) is tests/differential's job: it runs
// hundreds of exported programs on CPython and compares them with the engine byte for byte.
#include <doctest/doctest.h>

#include <string>

#include "scenario/python_export.hpp"

using namespace aio::scenario;

namespace {
std::string export_text(const char* json_text) {
  auto r = export_python_document(nlohmann::ordered_json::parse(json_text));
  for (auto& d : r.diagnostics) INFO(d.pointer << ": " << d.message);
  REQUIRE(r.ok());
  return r.program;
}
bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }
/// The text of `async def name(...)` up to the next top-level definition.
std::string function(const std::string& text, const std::string& name) {
  auto at = text.find("async def " + name + "(");
  REQUIRE(at != std::string::npos);
  auto end = text.find("\n\n\n", at);
  return text.substr(at, end == std::string::npos ? std::string::npos : end - at);
}
}  // namespace

TEST_CASE("a small scenario becomes a complete asyncio program: docstring, tasks, _main, asyncio.run") {
  auto py = export_text(R"({"title": "Two workers", "description": "They sleep.", "tasks": {
    "worker": {"params": ["n"], "steps": [{"print": "worker {n} starts"}, {"sleep": "250ms"}, {"return": "{n * 2}"}]},
    "main": [{"spawn": {"call": "worker", "args": {"n": 1}}, "as": "w"}, {"await": "w", "as": "r"},
             {"gather": [{"call": "worker", "args": {"n": 2}}, "w"], "as": "rs"}, {"print": "{r} {rs}"}]}})");
  CHECK(py.rfind("\"\"\"Two workers\n\nThey sleep.\n", 0) == 0);
  CHECK(has(py, "import asyncio\n"));
  CHECK(has(py, "async def worker(n):\n    out(f\"worker {fmt(n)} starts\")\n    await asyncio.sleep(0.25)\n    return n * 2\n"));
  CHECK(has(py, "    w = asyncio.create_task(worker(n=1), name='w')\n    r = await w\n"));
  CHECK(has(py, "    rs = await asyncio.gather(worker(n=2), w)\n"));
  CHECK(has(py, "async def _main():"));
  CHECK(has(py, "    T0 = asyncio.get_running_loop().time()\n    await main()\n"));
  const std::string tail = "\n\n\nif __name__ == \"__main__\":\n    asyncio.run(_main())\n";
  CHECK(py.substr(py.size() - tail.size()) == tail);
}

TEST_CASE("only the prelude helpers the program uses are written, with what they need") {
  auto plain = export_text(R"({"tasks": {"main": [{"print": "hi"}, {"sleep": 1}]}})");
  CHECK(has(plain, "def out(value):"));
  CHECK(has(plain, "def fmt(value):"));
  CHECK(has(plain, "def now():"));
  CHECK_FALSE(has(plain, "rnd_random"));
  CHECK_FALSE(has(plain, "SEED"));
  CHECK_FALSE(has(plain, "def dur("));
  CHECK_FALSE(has(plain, "import re"));

  auto random = export_text(R"({"seed": 42, "tasks": {"main": [{"set": {"d": "{randint(1, 6)}"}}, {"sleep": "{d}ms"}]}})");
  CHECK(has(random, "SEED = 42"));
  CHECK(has(random, "def rnd_randint(a, b):"));
  CHECK(has(random, "def rnd_random():"));  // rnd_randint draws from it
  CHECK(has(random, "    d = rnd_randint(1, 6)\n    await asyncio.sleep(dur(f\"{fmt(d)}ms\"))\n"));
  CHECK(has(random, "import re\n"));
}

TEST_CASE("raise and except name exception classes: builtins, asyncio's, declared ones, errors() otherwise") {
  auto py = export_text(R"({"tasks": {"main": [{"try": [{"raise": "PaymentError: card declined"}, {"raise": "ValueError"},
      {"raise": "KeyError: {1 + 1}"}, {"raise": "KeyError: {now}"}, {"raise": "my-error: odd name"}],
    "except": [{"error": ["PaymentError", "ValueError"], "as": "e", "steps": [{"print": "{e.error}: {e.message}"}]},
               {"error": "CancelledError", "steps": [{"print": "cancelled"}]},
               {"error": ["my-error", "KeyError"], "steps": []},
               {"steps": [{"print": "anything else"}]}]}]}})");
  CHECK(has(py, "class PaymentError(Exception):"));
  CHECK(has(py, "        raise PaymentError('card declined')\n"));
  CHECK(has(py, "        raise ValueError\n"));
  CHECK(has(py, "        raise KeyError('2')\n"));  // constant text: the class itself
  CHECK(has(py, "        raise make_error(f\"KeyError: {fmt(now())}\")\n"));
  CHECK(has(py, "        raise make_error('my-error: odd name')\n"));
  CHECK(has(py, "    except (PaymentError, ValueError) as exc:\n        e = err_value(exc)\n        out(f\"{fmt(e['error'])}: {fmt(e['message'])}\")\n"));
  CHECK(has(py, "    except asyncio.CancelledError:\n"));
  CHECK(has(py, "    except errors('my-error', 'KeyError'):\n        pass\n"));
  CHECK(has(py, "    except Exception:\n"));
  CHECK(has(py, "def make_error(text):"));
  CHECK(has(py, "def errors(*names):"));
}

TEST_CASE("names: keywords, builtins and task names are not shadowed; break outside a loop returns") {
  auto py = export_text(R"({"tasks": {
    "judge": [{"return": 1}],
    "main": [{"spawn": "judge", "as": "judge"}, {"await": "judge", "as": "class"}, {"set": {"len": "{class + 1}"}},
             {"repeat": 2, "steps": [{"if": "len > 1", "then": ["break"]}]},
             {"for": "x", "in": [1, 2], "steps": ["continue"]}, {"if": "true", "then": ["break"]}]}})");
  CHECK(has(py, "    judge_ = asyncio.create_task(judge(), name='judge')\n    class_ = await judge_\n    len_ = class_ + 1\n"));
  CHECK(has(py, "    for _ in range(2):\n        if len_ > 1:\n            break\n"));
  CHECK(has(py, "    for x in [1, 2]:\n        continue\n"));
  CHECK(has(py, "    if True:\n        return  # break outside a loop ends the task call\n"));
}

TEST_CASE("expressions keep the scenario's grouping with as few parentheses as Python needs") {
  auto py = export_text(R"({"tasks": {"main": [{"set": {"a": 1, "b": 2, "c": 3, "xs": "{[1, 2]}", "m": "{ {k: 'v'} }"}},
    {"print": "{(a + b) * c} {a - (b - c)} {a - b - c}"}, {"print": "{not (a == b)} {(a < b) == (b < c)} {-(a + b)}"},
    {"print": "{m.k} {xs[0]} {xs[a - 1]} {str(a / 3)} {int('7')} {range(3)} {a > 1 or b > 1 and c > 1}"}]}})");
  CHECK(has(py, "    m = {'k': 'v'}\n"));
  CHECK(has(py, "{fmt((a + b) * c)} {fmt(a - (b - c))} {fmt(a - b - c)}"));
  CHECK(has(py, "{fmt(not a == b)} {fmt((a < b) == (b < c))} {fmt(-(a + b))}"));
  CHECK(has(py, "out(f\"{fmt(m['k'])} {fmt(xs[0])} {fmt(xs[idx(a - 1)])} {fmt(fmt(a / 3))} {fmt(to_int('7'))} {fmt(frange(3))} {fmt(a > 1 or b > 1 and c > 1)}\")"));
}

TEST_CASE("shared variables are module globals, declared global where a task assigns them") {
  auto py = export_text(R"({"shared": {"count": 0, "log": []}, "locks": ["db"], "queues": {"jobs": {"maxsize": 2}},
    "tasks": {"bump": {"params": ["log"], "steps": [{"set": {"count": "{count + 1}", "log": "{log + [count]}"}}]},
              "show": [{"print": "{count}"}],
              "main": [{"await": {"call": "bump", "args": {"log": "{[]}"}}}, {"await": {"call": "show"}}]}})");
  CHECK(has(py, "\ncount = 0\nlog = []\n"));
  CHECK(has(py, "db = asyncio.Lock()\n"));
  CHECK(has(py, "jobs = asyncio.Queue(maxsize=2)\n"));
  CHECK(function(py, "bump") == "async def bump(log):\n    global count\n    count = count + 1\n    log = log + [count]");
  CHECK(function(py, "show") == "async def show():\n    out(count)");
}

TEST_CASE("an invalid scenario exports nothing and says why") {
  auto r = export_python_document(nlohmann::ordered_json::parse(R"({"tasks": {"main": [{"slep": 1}]}})"));
  CHECK_FALSE(r.ok());
  CHECK(r.program.empty());
  REQUIRE_FALSE(r.diagnostics.empty());
  CHECK(r.diagnostics[0].pointer == "/tasks/main/0/slep");
}

TEST_CASE("wait's done/pending lists hold the tasks: \"{h}\" exports as the variable, fmt() prints a task's name") {
  auto py = export_text(R"({"tasks": {
    "job": [{"sleep": 1}, {"return": "ok"}],
    "main": [{"spawn": "job", "as": "a"}, {"spawn": "job", "as": "b"},
             {"wait": ["a", "b"], "return_when": "FIRST_COMPLETED", "done": "done", "pending": "pending"},
             {"print": "done={done}"},
             {"for": "h", "in": "{done}", "steps": [{"await": "{h}", "as": "r"}]},
             {"for": "h", "in": "{pending}", "steps": [{"cancel": "{h}"}]},
             {"set": {"name": "a"}}, {"await": "{'' + name}"}]}})");
  CHECK(has(py, "    done = sorted(done, key=asyncio.Task.get_name)\n"));
  CHECK(has(py, "        r = await h\n"));
  CHECK(has(py, "        h.cancel()\n"));
  CHECK(has(py, "    await locals()[fmt('' + name)]\n"));  // a computed name: looked up by name
  CHECK(has(py, "    if isinstance(value, asyncio.Task):  # a task handle prints as its name\n"));
}
