// Control flow verbs: if/else, repeat, for, loop/while, break, continue, raise, try/except/finally.
#include <cmath>

#include "scenario/interpreter.hpp"
#include "scenario/parse_context.hpp"
#include "scenario/python_writer.hpp"
#include "scenario/step_util.hpp"

namespace aio::scenario {

namespace {


/// Conditions are expressions (`if: "count > 3"`); "{count > 3}" means the same.
std::optional<templ> condition(parse_context& pc, const json& v, const std::string& pointer, const char* what) {
  if (v.is_string()) {
    std::string s = v.get<std::string>();
    if (s.size() < 2 || s.front() != '{' || s.back() != '}') s = "{" + s + "}";
    return pc.tmpl(json(s), pointer, what);
  }
  return pc.tmpl(v, pointer, what);
}

/// Leaving a loop body: break ends the loop, continue goes on, return propagates.
/// A template's value when it needs no names (not even now) and no random(): nullopt otherwise.
std::optional<value> constant(const templ& t) {
  try {
    return t.eval([](const std::string&) -> const value* { return nullptr; }, []() -> double { throw expr_error("random", 0); });
  } catch (const expr_error&) {
    return std::nullopt;
  }
}

/// "ValueError: bad input" → ("ValueError", "bad input"), as the raise step splits it.
std::pair<std::string, std::string> split_error(const std::string& text) {
  auto colon = text.find(':');
  std::string type = colon == std::string::npos ? text : text.substr(0, colon);
  std::string msg = colon == std::string::npos ? "" : text.substr(colon + 1);
  msg.erase(0, msg.find_first_not_of(' '));
  return {type.empty() ? "Exception" : type, msg};
}

struct if_step final : step_node {
  templ cond;
  block then_steps, else_steps;
  coro<void> run(exec_context& cx, frame& f) const override {
    bool yes = truthy(cx.eval(cond, f, pointer + "/if"));
    co_await cx.exec(yes ? then_steps : else_steps, f);
  }
  void to_python(py_writer& py) const override {
    py.line("if " + py.value(cond) + ":");
    py.body(then_steps);
    if (!else_steps.empty()) {
      py.line("else:");
      py.body(else_steps);
    }
  }
};

struct repeat_step final : step_node {
  templ count;
  std::string as;
  block body;
  coro<void> run(exec_context& cx, frame& f) const override {
    value n = cx.eval(count, f, pointer + "/repeat");
    if (!n.is_number() || n.get<double>() < 0) throw scenario_error("repeat needs a count of zero or more, got " + to_display(n), pointer + "/repeat");
    long total = static_cast<long>(n.get<double>());
    for (long i = 0; i < total; ++i) {
      if (!as.empty()) cx.assign(f, as, static_cast<double>(i));
      co_await cx.exec(body, f);
      if (loop_should_stop(f)) break;
    }
  }
  void to_python(py_writer& py) const override {
    std::string n = "to_int(" + py.value(count) + ")";
    if (auto c = constant(count); c && c->is_number() && c->get<double>() >= 0) n = to_display(value(std::trunc(c->get<double>())));
    py.line("for " + (as.empty() ? std::string("_") : py.name(as)) + " in range(" + n + "):");
    py.loop_body(body);
  }
};

struct for_step final : step_node {
  std::string var;
  templ items;
  block body;
  coro<void> run(exec_context& cx, frame& f) const override {
    value list = cx.eval(items, f, pointer + "/in");
    if (list.is_object()) {
      value keys = value::array();
      for (auto& [k, v] : list.items()) keys.push_back(k);
      list = keys;
    }
    if (!list.is_array()) throw scenario_error("for ... in needs a list, got " + to_display(list), pointer + "/in");
    for (auto& item : list) {
      cx.assign(f, var, item);
      co_await cx.exec(body, f);
      if (loop_should_stop(f)) break;
    }
  }
  void to_python(py_writer& py) const override {
    // A map iterates over its keys in insertion order, in both.
    py.line("for " + py.name(var) + " in " + py.value(items) + ":");
    py.loop_body(body);
  }
};

struct loop_step final : step_node {
  std::optional<templ> cond;  // `while:`; none: until break
  block body;
  coro<void> run(exec_context& cx, frame& f) const override {
    for (;;) {
      if (cond && !truthy(cx.eval(*cond, f, pointer + "/while"))) break;
      co_await cx.exec(body, f);
      if (loop_should_stop(f)) break;
    }
  }
  void to_python(py_writer& py) const override {
    py.line("while " + (cond ? py.value(*cond) : std::string("True")) + ":");
    py.loop_body(body);
  }
};

struct jump_step final : step_node {
  flow to;
  coro<void> run(exec_context&, frame& f) const override {
    f.state = to;
    co_return;
  }
  void to_python(py_writer& py) const override {
    if (!py.in_loop()) return py.line("return  # " + std::string(to == flow::brk ? "break" : "continue") + " outside a loop ends the task call");
    py.line(to == flow::brk ? "break" : "continue");
  }
};

struct raise_step final : step_node {
  templ what;
  coro<void> run(exec_context& cx, frame& f) const override {
    auto [type, msg] = split_error(to_display(cx.eval(what, f, pointer + "/raise")));
    if (type == "CancelledError") throw cancelled_error(msg);  // raising it cancels, as in Python
    throw scenario_raise(type, msg);
  }
  void to_python(py_writer& py) const override {
    // Constant text raises the class itself: `raise ValueError('bad input')`.
    if (auto c = constant(what)) {
      auto [type, msg] = split_error(to_display(*c));
      std::string cls = py.raise_class(type);
      if (!cls.empty()) return py.line("raise " + cls + (msg.empty() ? "" : "(" + py_writer::quote(msg) + ")"));
    }
    py.line("raise make_error(" + py.value(what) + ")");
  }
};

struct handler {
  std::vector<std::string> types;  // empty: any Exception (not CancelledError)
  std::string as;
  block steps;
};

struct try_step final : step_node {
  block body, finally_steps;
  std::vector<handler> handlers;
  bool has_finally = false;

  coro<void> run(exec_context& cx, frame& f) const override {
    std::exception_ptr err;
    try {
      co_await cx.exec(body, f);
    } catch (...) {
      err = std::current_exception();
    }
    if (err) {
      std::string type = error_type(err);
      for (auto& h : handlers) {
        if (!error_matches(err, h.types)) continue;
        if (!h.as.empty()) cx.assign(f, h.as, error_value(err));
        std::exception_ptr again;
        try {
          co_await cx.exec(h.steps, f);
        } catch (...) {
          again = std::current_exception();
        }
        err = again;
        break;
      }
    }
    if (has_finally) {
      flow saved = f.state;
      f.state = flow::next;
      co_await cx.exec(finally_steps, f);  // an exception here replaces the pending one
      if (f.state == flow::next) f.state = saved;
    }
    if (err) std::rethrow_exception(err);
  }
  void to_python(py_writer& py) const override {
    py.line("try:");
    py.body(body);
    for (auto& h : handlers) {
      // Classes by name: (ValueError, TypeError); errors('...') for names that are not identifiers.
      std::string classes, names;
      bool dynamic = false;
      for (auto& t : h.types) {
        std::string cls = py.error_class(t);
        dynamic |= cls.empty();
        classes += (classes.empty() ? "" : ", ") + cls;
        names += (names.empty() ? "" : ", ") + py_writer::quote(t);
      }
      if (h.types.size() > 1) classes = "(" + classes + ")";
      std::string what = h.types.empty() ? std::string("Exception") : dynamic ? "errors(" + names + ")" : classes;
      // The handler's `as` copies the exception as a scenario value ({error, message}), which
      // outlives the except block (Python unbinds `exc` when the block ends).
      std::string var = h.as.empty() ? std::string() : "exc";
      py.line("except " + what + (var.empty() ? "" : " as " + var) + ":");
      py.indent();
      if (!var.empty()) py.line(py.name(h.as) + " = err_value(" + var + ")");
      py.dedent();
      if (h.steps.empty() && !var.empty()) {
        continue;  // the assignment above is the body
      }
      py.body(h.steps);
    }
    if (has_finally) {
      py.line("finally:");
      py.body(finally_steps);
    }
  }
};

step_ptr parse_if(parse_context& pc, const json& s, const std::string& p) {
  auto c = condition(pc, s["if"], ptr(p, "if"), "if");
  if (!s.contains("then")) pc.error(p, "an if step needs `then:` steps (and may have `else:`)");
  if (!c || !s.contains("then")) return nullptr;
  auto n = make_node<if_step>(p);
  n->cond = std::move(*c);
  n->then_steps = pc.steps(s["then"], ptr(p, "then"));
  if (auto* e = parse_context::opt(s, "else")) n->else_steps = pc.steps(*e, ptr(p, "else"));
  return n;
}

step_ptr parse_repeat(parse_context& pc, const json& s, const std::string& p) {
  auto c = pc.tmpl(s["repeat"], ptr(p, "repeat"), "repeat");
  if (!s.contains("steps")) pc.error(p, "repeat needs `steps:` to repeat");
  if (!c || !s.contains("steps")) return nullptr;
  auto n = make_node<repeat_step>(p);
  n->count = std::move(*c);
  n->body = pc.steps(s["steps"], ptr(p, "steps"));
  if (auto* a = parse_context::opt(s, "as"))
    if (auto nm = pc.name(*a, ptr(p, "as"), "'as'")) n->as = *nm;
  return n;
}

step_ptr parse_for(parse_context& pc, const json& s, const std::string& p) {
  auto var = pc.name(s["for"], ptr(p, "for"), "for (the loop variable)");
  if (!s.contains("in")) pc.error(p, "for needs `in:` with a list, e.g. `for: x` `in: \"{[1, 2, 3]}\"`");
  if (!s.contains("steps")) pc.error(p, "for needs `steps:`");
  if (!var || !s.contains("in") || !s.contains("steps")) return nullptr;
  auto items = pc.tmpl(s["in"].is_array() ? json("{" + s["in"].dump() + "}") : s["in"], ptr(p, "in"), "in");
  if (!items) return nullptr;
  auto n = make_node<for_step>(p);
  n->var = *var;
  n->items = std::move(*items);
  n->body = pc.steps(s["steps"], ptr(p, "steps"));
  return n;
}

step_ptr parse_loop(parse_context& pc, const json& s, const std::string& p) {
  auto n = make_node<loop_step>(p);
  n->body = pc.steps(s["loop"], ptr(p, "loop"));
  if (auto* w = parse_context::opt(s, "while")) {
    n->cond = condition(pc, *w, ptr(p, "while"), "while");
    if (!n->cond) return nullptr;
  }
  return n;
}

step_ptr parse_jump(parse_context&, const std::string& p, flow to) {
  auto n = make_node<jump_step>(p);
  n->to = to;
  return n;
}
step_ptr parse_break(parse_context& pc, const json&, const std::string& p) { return parse_jump(pc, p, flow::brk); }
step_ptr parse_continue(parse_context& pc, const json&, const std::string& p) { return parse_jump(pc, p, flow::cont); }

step_ptr parse_raise(parse_context& pc, const json& s, const std::string& p) {
  auto t = pc.tmpl(s["raise"], ptr(p, "raise"), "raise");
  if (!t) return nullptr;
  auto n = make_node<raise_step>(p);
  n->what = std::move(*t);
  return n;
}

step_ptr parse_try(parse_context& pc, const json& s, const std::string& p) {
  auto n = make_node<try_step>(p);
  n->body = pc.steps(s["try"], ptr(p, "try"));
  if (auto* ex = parse_context::opt(s, "except")) {
    std::string ep = ptr(p, "except");
    if (!ex->is_array()) {
      pc.error(ep, "except is a list of handlers: `- error: TimeoutError` with `steps:` (and `as:`)");
      return nullptr;
    }
    for (std::size_t i = 0; i < ex->size(); ++i) {
      const json& h = (*ex)[i];
      std::string hp = ptr(ep, i);
      if (!h.is_object()) {
        pc.error(hp, "a handler is a map: `error:` (optional), `as:` (optional), `steps:`");
        continue;
      }
      handler hd;
      for (auto& [k, x] : h.items()) {
        if (k == "error") {
          if (x.is_string())
            hd.types.push_back(x.get<std::string>());
          else if (x.is_array())
            for (std::size_t j = 0; j < x.size(); ++j) {
              if (auto t = pc.name(x[j], ptr(ptr(hp, k), j), "an error type")) hd.types.push_back(*t);
            }
          else
            pc.error(ptr(hp, k), "error is an exception type name or a list of them");
        } else if (k == "as") {
          if (auto a = pc.name(x, ptr(hp, k), "'as'")) hd.as = *a;
        } else if (k == "steps") {
          hd.steps = pc.steps(x, ptr(hp, k));
        } else {
          pc.unknown_key(ptr(hp, k), k, {"error", "as", "steps"}, "an except handler");
        }
      }
      n->handlers.push_back(std::move(hd));
    }
  }
  if (auto* fin = parse_context::opt(s, "finally")) {
    n->finally_steps = pc.steps(*fin, ptr(p, "finally"));
    n->has_finally = true;
  }
  if (!s.contains("except") && !s.contains("finally")) pc.error(p, "a try step needs `except:` or `finally:`");
  return n;
}

}  // namespace

void add_flow_verbs(std::vector<verb>& out) {
  out.push_back({"if", {"then", "else"}, parse_if, "if condition: then steps, else steps"});
  out.push_back({"repeat", {"steps", "as"}, parse_repeat, "for i in range(count)"});
  out.push_back({"for", {"in", "steps"}, parse_for, "for item in list"});
  out.push_back({"loop", {"while"}, parse_loop, "while condition (or forever, until break)"});
  out.push_back({"break", {}, parse_break, "leave the innermost loop"});
  out.push_back({"continue", {}, parse_continue, "go on with the next turn of the innermost loop"});
  out.push_back({"raise", {}, parse_raise, "raise an exception: \"ValueError: message\""});
  out.push_back({"try", {"except", "finally"}, parse_try, "try / except by error type / finally"});
}

}  // namespace aio::scenario
