// run_in_executor / to_thread: a blocking job that runs off the event loop, in a worker thread
// (asyncio's loop.run_in_executor(None, fn) and asyncio.to_thread(fn)). The awaiting task is
// suspended on the job's future while other tasks keep running (unlike `block:`, which freezes
// the loop). The job is simulated on the loop's clock with aio's simulated executor: it takes
// exactly `duration`, in the native build and in the browser alike, so runs are deterministic.
// Cancelling the awaiting task cancels the future only: the job itself runs to completion in its
// thread (a thread cannot be interrupted), and its result is discarded.
#include <memory>

#include "aio/executor.hpp"
#include "aio/task.hpp"
#include "scenario/interpreter.hpp"
#include "scenario/parse_context.hpp"
#include "scenario/python_writer.hpp"
#include "scenario/step_util.hpp"
#include "scenario/trace.hpp"

namespace aio::scenario {

namespace {

/// What the trace says about one job; shared with the job, which may outlive the step.
struct job_info {
  std::string name, task;
  bool finished = false, abandoned = false;
};

value job_event(const event_loop& loop, const job_info& j, const char* state) {
  return value{{"type", "executor"}, {"t", trace_time(loop)}, {"task", j.task}, {"job", j.name}, {"state", state}};
}

/// Seconds for a duration template: a literal when constant, else dur(...) at run time.
std::string py_seconds(py_writer& py, const templ& t) {
  try {
    value v = t.eval([](const std::string&) -> const value* { return nullptr; }, []() -> double { throw expr_error("random", 0); });
    if (auto d = parse_duration(v)) return to_display(value(*d));
  } catch (const expr_error&) {
  }
  py.need("dur");
  return "dur(" + py.value(t) + ")";
}

struct executor_step final : step_node {
  templ duration;
  std::optional<templ> result;
  std::string as;
  templ name;  // for the trace
  bool to_thread = false;
  coro<void> run(exec_context& cx, frame& f) const override {
    std::string verb = to_thread ? "/to_thread" : "/run_in_executor";
    value dv = cx.eval(duration, f, pointer + verb);
    std::string err;
    auto d = parse_duration(dv, &err);
    if (!d) throw scenario_error(err, pointer + verb);
    value r = result ? cx.eval(*result, f, pointer + verb + "/result") : value(nullptr);
    auto info = std::make_shared<job_info>();
    info->name = to_display(cx.eval(name, f, pointer + verb + "/name"));
    if (auto* t = current_task()) info->task = t->name();
    auto e = job_event(cx.loop, *info, "started");
    e["duration"] = *d * 1000.0;
    cx.sink.emit(e);
    // The job: runs once `duration` has passed (the "thread" is done), on the loop thread.
    event_loop* loop = &cx.loop;
    trace_sink* sink = &cx.sink;
    auto job = [info, loop, sink, r]() -> value {
      info->finished = true;
      auto done = job_event(*loop, *info, "done");
      if (!r.is_null()) done["result"] = r;
      if (info->abandoned) done["discarded"] = true;
      sink->emit(done);
      return r;
    };
    future<value> fut = run_in_executor(std::move(job), simulated_duration{*d});
    value v;
    try {
      v = co_await fut;
    } catch (const cancelled_error&) {
      if (!info->finished) {  // the future is cancelled; the thread cannot be
        info->abandoned = true;
        cx.sink.emit(job_event(cx.loop, *info, "abandoned"));
      }
      throw;
    }
    if (!as.empty()) cx.assign(f, as, std::move(v));
  }
  void to_python(py_writer& py) const override {
    py.need("blocking_job");
    std::string job = "blocking_job, " + py_seconds(py, duration) + ", " + (result ? py.value(*result) : std::string("None"));
    std::string call = to_thread ? "await asyncio.to_thread(" + job + ")" : "await asyncio.get_running_loop().run_in_executor(None, " + job + ")";
    std::string label;
    for (char c : name.text()) label += (static_cast<unsigned char>(c) < 0x20) ? ' ' : c;
    py.line((as.empty() ? "" : py.name(as) + " = ") + call + "  # " + label + ": blocking, so it runs in a worker thread");
  }
};

step_ptr parse_executor(parse_context& pc, const json& s, const std::string& p, bool to_thread) {
  const char* verb = to_thread ? "to_thread" : "run_in_executor";
  const json& a = s[verb];
  std::string ap = ptr(p, verb);
  auto n = make_node<executor_step>(p);
  n->to_thread = to_thread;
  n->name = templ::parse("job");
  const json* dur = nullptr;
  std::string dur_p = ap;
  const json* as = parse_context::opt(s, "as");
  std::string as_p = ptr(p, "as");
  if (a.is_object()) {
    for (auto& [k, x] : a.items()) {
      if (k == "duration") {
        dur = &x;
        dur_p = ptr(ap, k);
      } else if (k == "result") {
        n->result = pc.tmpl(x, ptr(ap, k), "result");
        if (!n->result) return nullptr;
      } else if (k == "name") {
        auto nm = pc.tmpl(x, ptr(ap, k), "name");
        if (!nm) return nullptr;
        n->name = std::move(*nm);
      } else if (k == "as") {
        as = &x;
        as_p = ptr(ap, k);
      } else {
        pc.unknown_key(ptr(ap, k), k, {"duration", "result", "name", "as"}, std::string("a ") + verb + " step");
      }
    }
    if (!dur) {
      pc.error(ap, std::string(verb) + " needs `duration:`, how long the blocking job takes, e.g. `" + verb + ": {duration: 2s, result: done}`");
      return nullptr;
    }
  } else if (a.is_string() || a.is_number()) {
    dur = &a;  // `run_in_executor: 2s`: a job that takes 2s and returns nothing
  } else {
    pc.error(ap, std::string(verb) + " takes {duration: 2s, result: value, name: job} (or just a duration), not " + type_of(a));
    return nullptr;
  }
  auto d = pc.duration(*dur, dur_p, "duration");
  if (!d) return nullptr;
  n->duration = std::move(*d);
  if (as)
    if (auto nm = pc.name(*as, as_p, "'as'")) n->as = *nm;
  return n;
}

step_ptr parse_run_in_executor(parse_context& pc, const json& s, const std::string& p) { return parse_executor(pc, s, p, false); }
step_ptr parse_to_thread(parse_context& pc, const json& s, const std::string& p) { return parse_executor(pc, s, p, true); }

}  // namespace

void add_executor_verbs(std::vector<verb>& out) {
  out.push_back({"run_in_executor", {"as"}, parse_run_in_executor, "await loop.run_in_executor(None, job): a blocking job in a worker thread; the loop keeps running"});
  out.push_back({"to_thread", {"as"}, parse_to_thread, "await asyncio.to_thread(job): the same, the modern spelling"});
}

}  // namespace aio::scenario
