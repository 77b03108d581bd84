// Basic verbs: print, sleep, set, return, spawn, await, gather, cancel.
#include "aio/gather.hpp"
#include "aio/sleep.hpp"
#include "scenario/interpreter.hpp"
#include "scenario/parse_context.hpp"
#include "scenario/python_writer.hpp"
#include "scenario/step_util.hpp"

namespace aio::scenario {

namespace {


/// Seconds for a duration template: a literal when constant (the shortest text that reads back
/// as the engine's double, so 250ms is 0.25), else dur(...) at run time.
std::string py_seconds(py_writer& py, const templ& t) {
  try {  // constant: no names (not even now), no random()
    value v = t.eval([](const std::string&) -> const value* { return nullptr; }, []() -> double { throw expr_error("random", 0); });
    if (auto d = parse_duration(v)) return to_display(value(*d));
  } catch (const expr_error&) {
  }
  py.need("dur");
  return "dur(" + py.value(t) + ")";
}

std::optional<std::string> as_name(parse_context& pc, const json& s, const std::string& pointer) {
  if (auto* a = parse_context::opt(s, "as")) return pc.name(*a, ptr(pointer, "as"), "'as'");
  return std::string();
}

struct print_step final : step_node {
  templ text;
  coro<void> run(exec_context& cx, frame& f) const override {
    cx.print(to_display(cx.eval(text, f, pointer + "/print")));
    co_return;
  }
  void to_python(py_writer& py) const override { py.line("out(" + py.value(text) + ")"); }  // out() formats
};

struct sleep_step final : step_node {
  templ delay;
  coro<void> run(exec_context& cx, frame& f) const override {
    value v = cx.eval(delay, f, pointer + "/sleep");
    std::string err;
    auto d = parse_duration(v, &err);
    if (!d) throw scenario_error(err, pointer + "/sleep");
    co_await aio::sleep(*d);
  }
  void to_python(py_writer& py) const override { py.line("await asyncio.sleep(" + py_seconds(py, delay) + ")"); }
};

struct set_step final : step_node {
  std::vector<std::pair<std::string, templ>> sets;
  coro<void> run(exec_context& cx, frame& f) const override {
    for (auto& [k, t] : sets) cx.assign(f, k, cx.eval(t, f, ptr(pointer + "/set", k)));
    co_return;
  }
  void to_python(py_writer& py) const override {
    for (auto& [k, t] : sets) py.line(py.name(k) + " = " + py.value(t));
  }
};

struct return_step final : step_node {
  templ result;
  coro<void> run(exec_context& cx, frame& f) const override {
    f.result = cx.eval(result, f, pointer + "/return");
    f.state = flow::ret;
    co_return;
  }
  void to_python(py_writer& py) const override { py.line("return " + py.value(result)); }
};

struct spawn_step final : step_node {
  call_spec call;
  std::string handle;
  coro<void> run(exec_context& cx, frame& f) const override {
    f.handles[handle] = cx.start(call, f, handle);
    co_return;
  }
  void to_python(py_writer& py) const override {
    std::string creator = py.group() ? *py.group() + ".create_task(" : std::string("asyncio.create_task(");
    py.line(py.name(handle) + " = " + creator + py_call(py, call) + ", name=" + py.quote(handle) + ")");
  }
};

struct await_step final : step_node {
  awaitable_ref target;
  std::string as;
  coro<void> run(exec_context& cx, frame& f) const override {
    value v;
    if (target.call) {
      v = co_await cx.call(*target.call, f);
    } else {
      task<value> t = cx.handle(target, f);
      v = co_await t;
    }
    if (!as.empty()) cx.assign(f, as, std::move(v));
  }
  void to_python(py_writer& py) const override {
    py.line((as.empty() ? "" : py.name(as) + " = ") + "await " + py_awaitable(py, target));
  }
};

struct gather_step final : step_node {
  std::vector<awaitable_ref> items;
  std::string as;
  bool return_exceptions = false;
  coro<void> run(exec_context& cx, frame& f) const override {
    std::vector<future<value>> children;
    for (auto& item : items) children.push_back(cx.to_future(item, f));
    value results = value::array();
    if (return_exceptions) {
      auto g = gather(aio::return_exceptions, children);
      auto outcomes = co_await g;
      for (auto& o : outcomes) results.push_back(o.ok() ? *o.value : error_value(o.error));
    } else {
      auto g = gather(children);
      auto values = co_await g;
      for (auto& v : values) results.push_back(std::move(v));
    }
    if (!as.empty()) cx.assign(f, as, std::move(results));
  }
  void to_python(py_writer& py) const override {
    std::string args;
    for (auto& i : items) args += (args.empty() ? "" : ", ") + py_awaitable(py, i);
    std::string call = "await asyncio.gather(" + args + (return_exceptions ? std::string(args.empty() ? "" : ", ") + "return_exceptions=True" : "") + ")";
    if (as.empty()) return py.line(call);
    // With return_exceptions the list holds exception objects: outcomes() turns them into the
    // scenario's {error, message} values.
    py.line(py.name(as) + " = " + (return_exceptions ? "outcomes(" + call + ")" : call));
  }
};

struct cancel_step final : step_node {
  awaitable_ref target;
  std::optional<templ> message;
  coro<void> run(exec_context& cx, frame& f) const override {
    std::string msg = message ? to_display(cx.eval(*message, f, pointer + "/message")) : std::string();
    cx.handle(target, f).cancel(msg);
    co_return;
  }
  void to_python(py_writer& py) const override {
    py.line(py_awaitable(py, target) + ".cancel(" + (message ? py.display(*message) : "") + ")");
  }
};

step_ptr parse_print(parse_context& pc, const json& s, const std::string& p) {
  auto t = pc.tmpl(s["print"], ptr(p, "print"), "print");
  if (!t) return nullptr;
  auto n = make_node<print_step>(p);
  n->text = std::move(*t);
  return n;
}

step_ptr parse_sleep(parse_context& pc, const json& s, const std::string& p) {
  auto t = pc.duration(s["sleep"], ptr(p, "sleep"), "sleep");
  if (!t) return nullptr;
  auto n = make_node<sleep_step>(p);
  n->delay = std::move(*t);
  return n;
}

step_ptr parse_set(parse_context& pc, const json& s, const std::string& p) {
  const json& a = s["set"];
  std::string ap = ptr(p, "set");
  if (!a.is_object() || a.empty()) {
    pc.error(ap, "set takes a map of variable: value, e.g. `set: {count: 0}`");
    return nullptr;
  }
  auto n = make_node<set_step>(p);
  for (auto& [k, x] : a.items()) {
    if (k == "now") pc.error(ptr(ap, k), "'now' is the loop's clock and cannot be set");
    if (auto t = pc.tmpl(x, ptr(ap, k), "a value")) n->sets.emplace_back(k, std::move(*t));
  }
  return n;
}

step_ptr parse_return(parse_context& pc, const json& s, const std::string& p) {
  auto t = pc.tmpl(s["return"], ptr(p, "return"), "return");
  if (!t) return nullptr;
  auto n = make_node<return_step>(p);
  n->result = std::move(*t);
  return n;
}

step_ptr parse_spawn(parse_context& pc, const json& s, const std::string& p) {
  const json& a = s["spawn"];
  std::string ap = ptr(p, "spawn");
  auto n = make_node<spawn_step>(p);
  if (a.is_string()) {
    // `spawn: task` with the step's own `args:` key (so argument errors point at it).
    n->call.task = a.get<std::string>();
    n->call.pointer = p;
    if (auto* args = parse_context::opt(s, "args")) pc.args(*args, ptr(p, "args"), n->call.args);
    pc.calls.push_back(n->call);
  } else if (auto call = pc.call(a, ap)) {
    n->call = std::move(*call);
  } else {
    return nullptr;
  }
  auto as = as_name(pc, s, p);
  if (!as) return nullptr;
  n->handle = as->empty() ? n->call.task : *as;
  return n;
}

step_ptr parse_await(parse_context& pc, const json& s, const std::string& p) {
  auto r = pc.awaitable(s["await"], ptr(p, "await"));
  auto as = as_name(pc, s, p);
  if (!r || !as) return nullptr;
  auto n = make_node<await_step>(p);
  n->target = std::move(*r);
  n->as = *as;
  return n;
}

step_ptr parse_gather(parse_context& pc, const json& s, const std::string& p) {
  const json& a = s["gather"];
  std::string ap = ptr(p, "gather");
  if (!a.is_array()) {
    pc.error(ap, "gather takes a list of handles or calls");
    return nullptr;
  }
  auto n = make_node<gather_step>(p);
  for (std::size_t i = 0; i < a.size(); ++i)
    if (auto r = pc.awaitable(a[i], ptr(ap, i))) n->items.push_back(std::move(*r));
  auto as = as_name(pc, s, p);
  if (!as) return nullptr;
  n->as = *as;
  if (auto* re = parse_context::opt(s, "return_exceptions")) {
    if (!re->is_boolean())
      pc.error(ptr(p, "return_exceptions"), "return_exceptions is true or false");
    else
      n->return_exceptions = re->get<bool>();
  }
  return n;
}

step_ptr parse_cancel(parse_context& pc, const json& s, const std::string& p) {
  auto h = pc.name(s["cancel"], ptr(p, "cancel"), "cancel (the handle of a spawned task)");
  if (!h) return nullptr;
  auto n = make_node<cancel_step>(p);
  n->target.handle = *h;
  n->target.pointer = ptr(p, "cancel");
  if (auto* m = parse_context::opt(s, "message")) {
    n->message = pc.tmpl(*m, ptr(p, "message"), "message");
    if (!n->message) return nullptr;
  }
  return n;
}

}  // namespace

void add_basic_verbs(std::vector<verb>& out) {
  out.push_back({"print", {}, parse_print, "print a line from the current task"});
  out.push_back({"sleep", {}, parse_sleep, "await asyncio.sleep(duration)"});
  out.push_back({"set", {}, parse_set, "set variables"});
  out.push_back({"return", {}, parse_return, "return a value from this task"});
  out.push_back({"spawn", {"as", "args"}, parse_spawn, "asyncio.create_task(task(args)), kept as a handle"});
  out.push_back({"await", {"as"}, parse_await, "await a handle, or a call run inline"});
  out.push_back({"gather", {"as", "return_exceptions"}, parse_gather, "await asyncio.gather(...)"});
  out.push_back({"cancel", {"message"}, parse_cancel, "handle.cancel(message)"});
}

}  // namespace aio::scenario
