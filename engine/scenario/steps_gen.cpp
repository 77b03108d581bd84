// Async generators: a task whose steps contain `yield:` is an async generator (Python: an
// `async def` containing `yield`), iterated with `for_each:` (`async for item in gen(...)`).
// The generator's body runs inline in the consumer's task, as in Python: no task, no extra loop
// pass; a yield hands the value straight to the consumer, and the next turn of the loop resumes
// the body right after the yield. Leaving the loop early (break, return, an exception, a
// cancellation) closes the generator at once, like `contextlib.aclosing`: GeneratorExit is
// raised at the suspended yield, so the body's `finally` steps run (and may await) before the
// consumer goes on. The machinery mirrors aio::generator (aio/generator.hpp), with one
// difference: the yield is a step nested anywhere in the body's coroutine chain, so the body is
// resumed where that step is suspended rather than at its top.
#include <set>

#include "aio/generator.hpp"
#include "aio/task.hpp"
#include "scenario/interpreter.hpp"
#include "scenario/parse_context.hpp"
#include "scenario/python_writer.hpp"
#include "scenario/step_util.hpp"
#include "scenario/step_walk.hpp"
#include "scenario/trace.hpp"

namespace aio::scenario {

/// One iteration of a generator task: its body's coroutine chain and the hand-over state.
struct gen_state {
  using handle = detail::coro_handle<detail::coro_promise<void>>;
  handle body;                          // the body's top coroutine (owns the whole chain)
  detail::coro_handle<> resume_at;      // where the body goes on: its start, then its last yield
  std::optional<value> item;            // the value the last yield handed over
  bool produced = false;                // a yield was reached during the current resumption
  bool inline_run = false;              // resume() is still on the stack (it sees produced/done)
  bool closing = false;                 // aclose(): the suspended yield raises GeneratorExit
  bool started = false;
  std::string name;                     // the generator task's name, for the trace

  ~gen_state() {
    if (body) body.destroy();  // wherever it is suspended: frames are destroyed, nothing runs
  }
  bool done() const { return !body || body.done(); }

  /// Resume the body on behalf of `consumer`; true if the consumer must stay suspended (the body
  /// awaits something). Like aio's resume_generator: inline up to kInlineDepth, else trampolined.
  bool resume(detail::coro_handle<> consumer) {
    auto& top = body.promise();
    top.continuation = consumer;
    produced = false;
    started = true;
    int& d = detail::inline_depth();
    if (d < detail::kInlineDepth) {
      top.inline_start = inline_run = true;
      ++d;
      resume_at.resume();
      --d;
      top.inline_start = inline_run = false;
      return !(produced || body.done());
    }
    task_base* t = current_task();
    if (!t) throw std::runtime_error("async generators nested this deeply must run inside a task");
    t->yield_at(resume_at, false);
    return true;
  }
  std::exception_ptr take_error() { return body ? std::exchange(body.promise().exc, nullptr) : nullptr; }
};

namespace {

value gen_event(exec_context& cx, const std::string& gen, const char* state) {
  auto* t = current_task();
  return value{{"type", "generator"}, {"t", trace_time(cx.loop)}, {"task", t ? t->name() : std::string()}, {"gen", gen}, {"state", state}};
}

/// The body of a generator task: its parameters, then its steps with `yield` handing values over.
coro<void> gen_body(exec_context& cx, const task_def* def, value args, gen_state* st) {
  frame f;
  f.gen = st;
  for (auto& p : def->params) f.vars[p] = args.contains(p) ? args[p] : value(nullptr);
  co_await cx.exec(def->steps, f);
}

struct next_awaiter {
  gen_state* st;
  bool await_ready() const { return st->done(); }
  bool await_suspend(detail::coro_handle<> consumer) { return st->resume(consumer); }
  std::optional<value> await_resume() {
    std::exception_ptr e;
    std::optional<value> v;
    if (st->done())
      e = st->take_error();
    else
      v = std::exchange(st->item, std::nullopt);
    detail::future_awaiter_base::deliver_pending();  // as coro's awaiter: a cancel wins
    if (e) std::rethrow_exception(e);
    return v;
  }
};

struct close_awaiter {
  gen_state* st;
  bool resumed = false;
  bool await_ready() const { return st->done() || !st->started; }
  bool await_suspend(detail::coro_handle<> consumer) {
    st->closing = resumed = true;
    return st->resume(consumer);
  }
  void await_resume() {
    bool ignored = resumed && !st->done();  // it yielded again instead of ending
    std::exception_ptr e = st->take_error();
    if (st->body) std::exchange(st->body, {}).destroy();
    detail::finish_aclose(ignored, e);
  }
};

struct yield_awaiter {
  gen_state* st;
  detail::coro_promise_base* top;
  bool await_ready() const noexcept { return false; }
  void await_suspend(detail::coro_handle<> h) noexcept {
    st->resume_at = h;
    st->produced = true;
    if (st->inline_run) return;  // resume() is on the stack and hands the value over
    detail::coro_promise_base::resume_continuation(*top);  // wake the consumer (may destroy us)
  }
  void await_resume() const {
    if (st->closing) throw generator_exit{};
  }
};

/// yield: hand a value to the for_each iterating this generator, and wait for its next turn.
struct yield_step final : step_node {
  templ what;
  coro<void> run(exec_context& cx, frame& f) const override {
    if (!f.gen) throw scenario_error("yield runs only inside an async generator task, iterated with for_each", pointer + "/yield");
    gen_state* st = f.gen;
    st->item = cx.eval(what, f, pointer + "/yield");
    auto e = gen_event(cx, st->name, "yielded");
    e["value"] = *st->item;
    cx.sink.emit(e);
    co_await yield_awaiter{st, &st->body.promise()};
  }
  void to_python(py_writer& py) const override { py.line("yield " + py.value(what)); }
};

/// for_each: iterate a generator task (`async for item in gen(args)`), closing it on early exit.
struct for_each_step final : step_node {
  call_spec call;
  std::string as;
  block body;
  coro<void> run(exec_context& cx, frame& f) const override {
    const task_def* def = &cx.sc.tasks.at(call.task);
    value args = value::object();
    for (auto& [k, t] : call.args) args[k] = cx.eval(t, f, call.pointer + "/args/" + k);
    gen_state st;
    st.name = call.task;
    st.body = gen_body(cx, def, std::move(args), &st).release();
    st.resume_at = st.body;
    cx.sink.emit(gen_event(cx, st.name, "created"));
    std::exception_ptr err;
    const char* why = nullptr;  // why the loop left early
    try {
      for (;;) {
        std::optional<value> item = co_await next_awaiter{&st};
        if (!item) break;
        if (!as.empty()) cx.assign(f, as, std::move(*item));
        co_await cx.exec(body, f);
        bool ret = f.state == flow::ret;
        if (loop_should_stop(f)) {
          why = ret ? "return" : "break";
          break;
        }
      }
    } catch (...) {
      err = std::current_exception();
    }
    if (!st.done() && st.started) {
      if (!why) why = "an exception";
      auto e = gen_event(cx, st.name, "closing");
      e["why"] = why;
      cx.sink.emit(e);
      std::exception_ptr close_err;
      try {
        co_await close_awaiter{&st};
      } catch (...) {
        close_err = std::current_exception();
      }
      if (close_err) err = close_err;  // an exception in the generator's cleanup replaces it
      auto c = gen_event(cx, st.name, close_err ? "failed" : "closed");
      if (close_err) c["error"] = describe_error(close_err);
      cx.sink.emit(c);
    } else if (err) {
      auto c = gen_event(cx, st.name, "failed");
      c["error"] = describe_error(err);
      cx.sink.emit(c);
    } else {
      cx.sink.emit(gen_event(cx, st.name, "exhausted"));
    }
    if (err) std::rethrow_exception(err);
  }
  void to_python(py_writer& py) const override {
    // try/finally + aclose() is what `async with contextlib.aclosing(...)` does: leaving the
    // loop early runs the generator's finally now, not whenever it is garbage-collected.
    std::string g = py.name((as.empty() ? call.task : as) + "_gen");
    py.line(g + " = " + py_call(py, call));
    py.line("try:");
    py.indent();
    py.line("async for " + (as.empty() ? std::string("_") : py.name(as)) + " in " + g + ":");
    py.loop_body(body);
    py.dedent();
    py.line("finally:");
    py.indent();
    py.line("await " + g + ".aclose()  # leaving early closes the generator: its finally runs now");
    py.dedent();
  }
};

step_ptr parse_yield(parse_context& pc, const json& s, const std::string& p) {
  auto t = pc.tmpl(s["yield"], ptr(p, "yield"), "yield");
  if (!t) return nullptr;
  auto n = make_node<yield_step>(p);
  n->what = std::move(*t);
  return n;
}

// for_each: {gen: pages, args: {n: 3}, as: page, steps: [...]}, or flat like spawn:
// for_each: pages / args: / as: / steps: as keys of the step.
step_ptr parse_for_each(parse_context& pc, const json& s, const std::string& p) {
  const json& a = s["for_each"];
  std::string ap = ptr(p, "for_each");
  auto n = make_node<for_each_step>(p);
  const json* steps = parse_context::opt(s, "steps");
  std::string steps_p = ptr(p, "steps");
  const json* as = parse_context::opt(s, "as");
  std::string as_p = ptr(p, "as");
  n->call.pointer = ap;
  if (a.is_string()) {
    n->call.task = a.get<std::string>();
    if (auto* args = parse_context::opt(s, "args")) pc.args(*args, ptr(p, "args"), n->call.args);
  } else if (a.is_object()) {
    for (auto& [k, x] : a.items()) {
      if (k == "gen") {
        if (auto g = pc.name(x, ptr(ap, k), "gen (the generator task)")) n->call.task = *g;
      } else if (k == "args") {
        pc.args(x, ptr(ap, k), n->call.args);
      } else if (k == "as") {
        as = &x;
        as_p = ptr(ap, k);
      } else if (k == "steps") {
        steps = &x;
        steps_p = ptr(ap, k);
      } else {
        pc.unknown_key(ptr(ap, k), k, {"gen", "args", "as", "steps"}, "for_each");
      }
    }
    if (!a.contains("gen")) pc.error(ap, "for_each needs `gen:`, the async generator task to iterate");
    if (s.contains("args")) pc.error(ptr(p, "args"), "put args inside the for_each map, next to gen:");
  } else {
    pc.error(ap, std::string("for_each takes a generator task: `for_each: {gen: pages, args: {n: 3}, as: page, steps: [...]}`, not ") + type_of(a));
    return nullptr;
  }
  if (!steps) pc.error(ap, "for_each needs `steps:` to run for each value the generator yields");
  if (n->call.task.empty() || !steps) return nullptr;
  if (as)
    if (auto nm = pc.name(*as, as_p, "'as'")) n->as = *nm;
  n->call.iterate = true;
  pc.calls.push_back(n->call);
  n->body = pc.steps(*steps, steps_p);
  return n;
}

}  // namespace

void check_generators(parse_context& pc, scenario& sc, const json& doc) {
  if (!doc.is_object()) return;
  if (doc.contains("tasks") && doc["tasks"].is_object())
    for (auto& [name, t] : doc["tasks"].items()) {
      const json* steps = task_steps(t);
      if (!steps) continue;
      std::vector<std::string> returns;
      bool yields = false;
      walk_steps(*steps, task_steps_pointer(t, ptr("/tasks", name)), [&](const step_at& s, const step_path&) {
        if (s.verb == "yield") yields = true;
        if (s.verb == "return") returns.push_back(s.pointer);
      });
      auto it = sc.tasks.find(name);
      if (!yields || it == sc.tasks.end()) continue;
      it->second.generator = true;
      for (auto& r : returns)
        pc.error(r, "'" + name + "' is an async generator (it has a yield step): it cannot return a value (Python: SyntaxError); yield the value instead, or break out of its loop to end it");
      if (name == sc.main) pc.error(it->second.pointer, "the main task '" + name + "' cannot be an async generator (it has a yield step): iterate it from another task with for_each");
    }
  if (doc.contains("contexts") && doc["contexts"].is_object())
    for (auto& [name, c] : doc["contexts"].items())
      for (const char* part : {"enter", "exit"})
        if (c.is_object() && c.contains(part))
          walk_steps(c[part], ptr(ptr("/contexts", name), part), [&](const step_at& s, const step_path&) {
            if (s.verb == "yield") pc.error(ptr(s.pointer, "yield"), "yield belongs in a task (which makes it an async generator), not in a context's enter or exit steps");
          });
  for (auto& c : pc.calls) {
    auto it = sc.tasks.find(c.task);
    if (it == sc.tasks.end()) continue;  // reported by check_call
    if (it->second.generator && !c.iterate)
      pc.error(c.pointer, "'" + c.task + "' is an async generator (it has a yield step): it cannot be awaited, spawned or gathered; iterate it with `for_each: {gen: " + c.task + ", as: item, steps: [...]}`");
    else if (!it->second.generator && c.iterate)
      pc.error(c.pointer, "'" + c.task + "' is not an async generator: for_each iterates a task that has `yield:` steps (await or spawn '" + c.task + "' instead)");
  }
}

void add_gen_verbs(std::vector<verb>& out) {
  out.push_back({"yield", {}, parse_yield, "yield a value (makes the task an async generator)"});
  out.push_back({"for_each", {"args", "as", "steps"}, parse_for_each, "async for item in generator(args): steps (closed on early exit)"});
}

}  // namespace aio::scenario
