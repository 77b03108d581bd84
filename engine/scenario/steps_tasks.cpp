// Task combinator verbs: wait, as_completed, wait_for, timeout (a block), shield, task_group.
// Handles are values too: a variable may hold a handle's name (wait's done/pending lists), and
// `await`/`cancel` accept "{h}" for it. Python's export sorts wait()'s sets by task name, so
// both sides iterate them in the same order.
#include <algorithm>

#include "aio/shield.hpp"
#include "aio/task_group.hpp"
#include "aio/timeout.hpp"
#include "aio/wait.hpp"
#include "aio/as_completed.hpp"
#include "aio/wait_for.hpp"
#include "scenario/interpreter.hpp"
#include "scenario/parse_context.hpp"
#include "scenario/python_writer.hpp"
#include "scenario/step_util.hpp"

namespace aio::scenario {

namespace {


std::string py_list(py_writer& py, const std::vector<awaitable_ref>& items, bool as_tasks) {
  std::string out = "[";
  for (std::size_t i = 0; i < items.size(); ++i) {
    std::string a = py_awaitable(py, items[i]);
    if (as_tasks && items[i].call) a = "asyncio.create_task(" + a + ", name=" + py_writer::quote(items[i].call->task) + ")";
    out += (i ? ", " : "") + a;
  }
  return out + "]";
}
std::optional<double> eval_seconds(exec_context& cx, frame& f, const std::optional<templ>& t, const std::string& pointer) {
  if (!t) return std::nullopt;
  value v = cx.eval(*t, f, pointer);
  if (v.is_null()) return std::nullopt;
  std::string err;
  auto d = parse_duration(v, &err);
  if (!d) throw scenario_error(err, pointer);
  return d;
}
std::string py_seconds(py_writer& py, const std::optional<templ>& t) {
  if (!t) return "None";
  py.need("dur");
  return "dur(" + py.value(*t) + ")";
}

/// Starts every item as a task (calls get a handle named after their task) and returns them.
std::vector<task<value>> start_all(exec_context& cx, frame& f, const std::vector<awaitable_ref>& items) {
  std::vector<task<value>> out;
  for (auto& i : items) {
    if (i.call) {
      auto t = cx.start(*i.call, f);
      f.handles[t.name()] = t;
      out.push_back(t);
    } else {
      out.push_back(cx.handle(i, f));
    }
  }
  return out;
}

value sorted_names(const std::vector<task<value>>& ts) {
  std::vector<std::string> names;
  for (auto& t : ts) names.push_back(t.name());
  std::sort(names.begin(), names.end());
  value out = value::array();
  for (auto& n : names) out.push_back(n);
  return out;
}

struct wait_step final : step_node {
  std::vector<awaitable_ref> items;
  return_when when = return_when::all_completed;
  std::optional<templ> timeout;
  std::string done_var, pending_var;
  coro<void> run(exec_context& cx, frame& f) const override {
    auto ts = start_all(cx, f, items);
    auto secs = eval_seconds(cx, f, timeout, pointer + "/timeout");
    auto r = co_await aio::wait(ts, when, secs);
    if (!done_var.empty()) cx.assign(f, done_var, sorted_names(r.done));
    if (!pending_var.empty()) cx.assign(f, pending_var, sorted_names(r.pending));
  }
  void to_python(py_writer& py) const override {
    const char* rw = when == return_when::first_completed ? "asyncio.FIRST_COMPLETED" : when == return_when::first_exception ? "asyncio.FIRST_EXCEPTION" : "asyncio.ALL_COMPLETED";
    std::string d = done_var.empty() ? "_" : py.name(done_var), p = pending_var.empty() ? "_" : py.name(pending_var);
    py.line(d + ", " + p + " = await asyncio.wait(" + py_list(py, items, true) + ", timeout=" + py_seconds(py, timeout) + ", return_when=" + rw + ")");
    if (!done_var.empty()) py.line(d + " = sorted(" + d + ", key=asyncio.Task.get_name)");
    if (!pending_var.empty()) py.line(p + " = sorted(" + p + ", key=asyncio.Task.get_name)");
  }
};

struct as_completed_step final : step_node {
  std::vector<awaitable_ref> items;
  std::optional<templ> timeout;
  std::string as;
  block body;
  coro<void> run(exec_context& cx, frame& f) const override {
    std::vector<future<value>> fs;
    for (auto& t : start_all(cx, f, items)) fs.push_back(t.as_future());
    auto range = aio::as_completed(std::move(fs), eval_seconds(cx, f, timeout, pointer + "/timeout"));
    for (std::size_t i = 0; i < range.size(); ++i) {
      value v = co_await range.next();
      if (!as.empty()) cx.assign(f, as, std::move(v));
      co_await cx.exec(body, f);
      if (f.state == flow::brk) {
        f.state = flow::next;
        break;
      }
      if (f.state == flow::cont) f.state = flow::next;
      if (f.state == flow::ret) break;
    }
  }
  void to_python(py_writer& py) const override {
    std::string it = py.temp();
    py.line("for " + it + " in asyncio.as_completed(" + py_list(py, items, true) + ", timeout=" + py_seconds(py, timeout) + "):");
    py.indent();
    py.line((as.empty() ? "" : py.name(as) + " = ") + "await " + it);
    py.dedent();
    py.body(body);
  }
};

struct wait_for_step final : step_node {
  awaitable_ref target;
  std::optional<templ> timeout;
  std::string as;
  coro<void> run(exec_context& cx, frame& f) const override {
    auto secs = eval_seconds(cx, f, timeout, pointer + "/timeout");
    value v;
    if (target.call)
      v = co_await aio::wait_for(cx.call(*target.call, f), secs);
    else
      v = co_await aio::wait_for(cx.handle(target, f), secs);
    if (!as.empty()) cx.assign(f, as, std::move(v));
  }
  void to_python(py_writer& py) const override {
    py.line((as.empty() ? "" : py.name(as) + " = ") + "await asyncio.wait_for(" + py_awaitable(py, target) + ", timeout=" + py_seconds(py, timeout) + ")");
  }
};

struct timeout_step final : step_node {
  templ delay;
  block body;
  coro<void> run(exec_context& cx, frame& f) const override {
    auto secs = eval_seconds(cx, f, delay, pointer + "/timeout");
    auto cm = timeout_scope::after(secs);
    cm.enter();
    std::exception_ptr err;
    try {
      co_await cx.exec(body, f);
    } catch (...) {
      err = std::current_exception();
    }
    cm.exit(err);
  }
  void to_python(py_writer& py) const override {
    py.line("async with asyncio.timeout(" + py_seconds(py, delay) + "):");
    py.body(body);
  }
};

struct shield_step final : step_node {
  awaitable_ref target;
  std::string as;
  coro<void> run(exec_context& cx, frame& f) const override {
    future<value> inner = cx.to_future(target, f);
    value v = co_await aio::shield(inner);
    if (!as.empty()) cx.assign(f, as, std::move(v));
  }
  void to_python(py_writer& py) const override {
    py.line((as.empty() ? "" : py.name(as) + " = ") + "await asyncio.shield(" + py_awaitable(py, target) + ")");
  }
};

struct task_group_step final : step_node {
  block body;
  coro<void> run(exec_context& cx, frame& f) const override {
    task_group tg;
    tg.enter();
    task_group* outer = f.group;
    f.group = &tg;
    std::exception_ptr err;
    try {
      co_await cx.exec(body, f);
    } catch (...) {
      err = std::current_exception();
    }
    f.group = outer;
    co_await tg.exit(err);
  }
  void to_python(py_writer& py) const override {
    std::string tg = py.temp();
    py.line("async with asyncio.TaskGroup() as " + tg + ":");
    py.push_group(tg);
    py.body(body);
    py.pop_group();
  }
};

std::optional<std::vector<awaitable_ref>> items_of(parse_context& pc, const json& a, const std::string& ap, const char* verb) {
  if (!a.is_array() || a.empty()) {
    pc.error(ap, std::string(verb) + " takes a non-empty list of handles or calls");
    return std::nullopt;
  }
  std::vector<awaitable_ref> out;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (auto r = pc.awaitable(a[i], ptr(ap, i))) out.push_back(std::move(*r));
  return out;
}
std::string opt_name(parse_context& pc, const json& s, const std::string& p, const char* key) {
  if (auto* a = parse_context::opt(s, key))
    if (auto n = pc.name(*a, ptr(p, key), key)) return *n;
  return {};
}
std::optional<templ> opt_duration(parse_context& pc, const json& s, const std::string& p, const char* key) {
  if (auto* t = parse_context::opt(s, key)) return pc.duration(*t, ptr(p, key), key);
  return std::nullopt;
}

step_ptr parse_wait(parse_context& pc, const json& s, const std::string& p) {
  auto items = items_of(pc, s["wait"], ptr(p, "wait"), "wait");
  if (!items) return nullptr;
  auto n = make_node<wait_step>(p);
  n->items = std::move(*items);
  if (auto* rw = parse_context::opt(s, "return_when")) {
    std::string v = rw->is_string() ? rw->get<std::string>() : "";
    std::transform(v.begin(), v.end(), v.begin(), ::toupper);
    if (v == "FIRST_COMPLETED")
      n->when = return_when::first_completed;
    else if (v == "FIRST_EXCEPTION")
      n->when = return_when::first_exception;
    else if (v != "ALL_COMPLETED")
      pc.error(ptr(p, "return_when"), "return_when is FIRST_COMPLETED, FIRST_EXCEPTION or ALL_COMPLETED");
  }
  n->timeout = opt_duration(pc, s, p, "timeout");
  n->done_var = opt_name(pc, s, p, "done");
  n->pending_var = opt_name(pc, s, p, "pending");
  return n;
}

step_ptr parse_as_completed(parse_context& pc, const json& s, const std::string& p) {
  auto items = items_of(pc, s["as_completed"], ptr(p, "as_completed"), "as_completed");
  if (!s.contains("steps")) pc.error(p, "as_completed runs `steps:` for each result, in completion order");
  if (!items || !s.contains("steps")) return nullptr;
  auto n = make_node<as_completed_step>(p);
  n->items = std::move(*items);
  n->timeout = opt_duration(pc, s, p, "timeout");
  n->as = opt_name(pc, s, p, "as");
  n->body = pc.steps(s["steps"], ptr(p, "steps"));
  return n;
}

step_ptr parse_wait_for(parse_context& pc, const json& s, const std::string& p) {
  auto r = pc.awaitable(s["wait_for"], ptr(p, "wait_for"));
  if (!s.contains("timeout")) pc.error(p, "wait_for needs `timeout:` (a duration, or null for none)");
  if (!r || !s.contains("timeout")) return nullptr;
  auto n = make_node<wait_for_step>(p);
  n->target = std::move(*r);
  n->timeout = s["timeout"].is_null() ? std::optional<templ>(templ::parse("{null}")) : opt_duration(pc, s, p, "timeout");
  n->as = opt_name(pc, s, p, "as");
  return n;
}

step_ptr parse_timeout(parse_context& pc, const json& s, const std::string& p) {
  auto d = pc.duration(s["timeout"], ptr(p, "timeout"), "timeout");
  if (!s.contains("steps")) pc.error(p, "`timeout: 1s` limits the `steps:` that follow (async with asyncio.timeout)");
  if (!d || !s.contains("steps")) return nullptr;
  auto n = make_node<timeout_step>(p);
  n->delay = std::move(*d);
  n->body = pc.steps(s["steps"], ptr(p, "steps"));
  return n;
}

step_ptr parse_shield(parse_context& pc, const json& s, const std::string& p) {
  auto r = pc.awaitable(s["shield"], ptr(p, "shield"));
  if (!r) return nullptr;
  auto n = make_node<shield_step>(p);
  n->target = std::move(*r);
  n->as = opt_name(pc, s, p, "as");
  return n;
}

step_ptr parse_task_group(parse_context& pc, const json& s, const std::string& p) {
  auto n = make_node<task_group_step>(p);
  n->body = pc.steps(s["task_group"], ptr(p, "task_group"));
  return n;
}

}  // namespace

void add_task_verbs(std::vector<verb>& out) {
  out.push_back({"wait", {"return_when", "timeout", "done", "pending"}, parse_wait, "done, pending = await asyncio.wait(...)"});
  out.push_back({"as_completed", {"as", "timeout", "steps"}, parse_as_completed, "for each result of asyncio.as_completed(...)"});
  out.push_back({"wait_for", {"timeout", "as"}, parse_wait_for, "await asyncio.wait_for(aw, timeout)"});
  out.push_back({"timeout", {"steps"}, parse_timeout, "async with asyncio.timeout(delay): steps"});
  out.push_back({"shield", {"as"}, parse_shield, "await asyncio.shield(aw)"});
  out.push_back({"task_group", {}, parse_task_group, "async with asyncio.TaskGroup(): spawn steps join the group"});
}

}  // namespace aio::scenario
