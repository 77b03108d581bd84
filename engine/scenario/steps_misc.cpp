// Verbs for the rest of a program's life: `block` (a blocking call that freezes the loop),
// `with` (async context managers declared under `contexts:`), the `servers:` that simulated
// fetches answer from (latency, status, body, per-call sequences, seeded jitter) and the verb
// list. `fetch` itself, simulated and real, is in steps_fetch.cpp.
#include <cmath>

#include "aio/sleep.hpp"
#include "scenario/interpreter.hpp"
#include "scenario/parse_context.hpp"
#include "scenario/python_writer.hpp"
#include "scenario/step_util.hpp"
#include "scenario/watchdog.hpp"

namespace aio::scenario {

namespace {


/// block: the loop's thread is busy for `delay`; no other task runs and timers fire late.
struct block_step final : step_node {
  templ delay;
  coro<void> run(exec_context& cx, frame& f) const override {
    value v = cx.eval(delay, f, pointer + "/block");
    std::string err;
    auto d = parse_duration(v, &err);
    if (!d) throw scenario_error(err, pointer + "/block");
    auto& clock = cx.loop.clock();
    if (clock.is_virtual()) {
      clock.wait_until(clock.now() + *d);  // time passes, nothing else runs
    } else {
      // Refused up front when it would outlast the watchdog; ticks while it spins.
      std::string at = pointer + "/block";
      if (cx.guard) cx.guard->on_block(*d, at);
      double until = clock.now() + *d;
      while (clock.now() < until) {
        if (cx.guard) cx.guard->tick(at);
      }
    }
    co_return;
  }
  void to_python(py_writer& py) const override {
    py.need("block");
    py.line("block(" + py.value(delay) + ")  # a blocking call: the event loop is frozen meanwhile");
  }
};

/// with: an async context manager declared under contexts: (enter steps, exit steps that run
/// even when the body fails or is cancelled).
struct with_step final : step_node {
  std::string name;
  std::string as;
  block body;
  coro<void> run(exec_context& cx, frame& f) const override {
    const auto& ctx = cx.sc.contexts.at(name);
    frame cf;  // the context manager's own variables, like a separate function
    co_await cx.exec(ctx.enter, cf);
    if (!as.empty()) cx.assign(f, as, ctx.value ? cx.eval(*ctx.value, cf, ctx.pointer + "/value") : value(nullptr));
    std::exception_ptr err;
    try {
      co_await cx.exec(body, f);
    } catch (...) {
      err = std::current_exception();
    }
    cf.state = flow::next;
    cf.vars["error"] = err ? error_value(err) : value(nullptr);
    co_await cx.exec(ctx.exit, cf);
    if (err) std::rethrow_exception(err);
  }
  void to_python(py_writer& py) const override {
    py.line("async with " + py.name(name) + "()" + (as.empty() ? "" : " as " + py.name(as)) + ":");
    py.body(body);
  }
};

step_ptr parse_block(parse_context& pc, const json& s, const std::string& p) {
  auto t = pc.duration(s["block"], ptr(p, "block"), "block");
  if (!t) return nullptr;
  auto n = make_node<block_step>(p);
  n->delay = std::move(*t);
  return n;
}

step_ptr parse_with(parse_context& pc, const json& s, const std::string& p) {
  auto name = pc.name(s["with"], ptr(p, "with"), "with (a context declared under contexts:)");
  if (!s.contains("steps")) pc.error(p, "`with: name` runs the `steps:` that follow inside the context");
  if (!name || !s.contains("steps")) return nullptr;
  pc.refs.push_back({*name, {"context"}, ptr(p, "with")});
  auto n = make_node<with_step>(p);
  n->name = *name;
  if (auto* a = parse_context::opt(s, "as"))
    if (auto as = pc.name(*a, ptr(p, "as"), "'as'")) n->as = *as;
  n->body = pc.steps(s["steps"], ptr(p, "steps"));
  return n;
}

std::optional<server_response> parse_response(parse_context& pc, const json& v, const std::string& p, const server_response& defaults) {
  server_response r = defaults;
  if (!v.is_object()) {
    pc.error(p, "a response is a map: latency, status, body");
    return std::nullopt;
  }
  for (auto& [k, x] : v.items()) {
    if (k == "latency") {
      std::string err;
      auto d = parse_duration(x, &err);
      if (!d)
        pc.error(ptr(p, k), err);
      else
        r.latency = *d;
    } else if (k == "status") {
      if (!x.is_number_integer() || x.get<int>() < 100 || x.get<int>() > 599)
        pc.error(ptr(p, k), "status is an HTTP status code, 100-599");
      else
        r.status = x.get<int>();
    } else if (k == "body") {
      r.body = x.is_string() ? x.get<std::string>() : x.dump();
    } else {
      pc.unknown_key(ptr(p, k), k, {"latency", "status", "body"}, "a response");
    }
  }
  return r;
}

}  // namespace

step_ptr parse_fetch(parse_context& pc, const json& s, const std::string& p);  // steps_fetch.cpp

void parse_servers(parse_context& pc, scenario& sc, const json& v, const std::string& pointer) {
  if (!v.is_object()) {
    pc.error(pointer, "servers is a map of name: {latency, status, body, sequence, jitter}");
    return;
  }
  for (auto& [name, cfg] : v.items()) {
    std::string p = ptr(pointer, name);
    sim_server srv;
    srv.pointer = p;
    if (!cfg.is_object()) {
      pc.error(p, "a server is a map: latency, status, body, sequence, jitter");
      continue;
    }
    json base = json::object();
    for (auto& [k, x] : cfg.items())
      if (k == "latency" || k == "status" || k == "body") base[k] = x;
    if (auto r = parse_response(pc, base, p, srv.base)) srv.base = *r;
    for (auto& [k, x] : cfg.items()) {
      if (k == "sequence") {
        if (!x.is_array() || x.empty()) {
          pc.error(ptr(p, k), "sequence is a list of responses, one per call (the last one repeats)");
          continue;
        }
        for (std::size_t i = 0; i < x.size(); ++i)
          if (auto r = parse_response(pc, x[i], ptr(ptr(p, k), i), srv.base)) srv.responses.push_back(*r);
      } else if (k == "jitter") {
        std::string err;
        auto d = parse_duration(x, &err);
        if (!d)
          pc.error(ptr(p, k), err);
        else
          srv.jitter = *d;
      } else if (k != "latency" && k != "status" && k != "body") {
        pc.unknown_key(ptr(p, k), k, {"latency", "status", "body", "sequence", "jitter"}, "a server");
      }
    }
    sc.servers[name] = std::move(srv);
  }
}

void parse_contexts(parse_context& pc, scenario& sc, const json& v, const std::string& pointer) {
  if (!v.is_object()) {
    pc.error(pointer, "contexts is a map of name: {enter: [steps], exit: [steps]}");
    return;
  }
  for (auto& [name, cfg] : v.items()) {
    std::string p = ptr(pointer, name);
    context_def c;
    c.pointer = p;
    if (!cfg.is_object()) {
      pc.error(p, "a context is a map: enter: [steps], exit: [steps]");
      continue;
    }
    for (auto& [k, x] : cfg.items()) {
      if (k == "value")
        c.value = pc.tmpl(x, ptr(p, k), "value");
      else if (k == "enter")
        c.enter = pc.steps(x, ptr(p, k));
      else if (k == "exit")
        c.exit = pc.steps(x, ptr(p, k));
      else
        pc.unknown_key(ptr(p, k), k, {"enter", "exit", "value"}, "a context");
    }
    sc.contexts[name] = std::move(c);
  }
}

void add_misc_verbs(std::vector<verb>& out) {
  out.push_back({"block", {}, parse_block, "a blocking call (time.sleep): freezes the event loop"});
  out.push_back({"with", {"as", "steps"}, parse_with, "async with context: steps"});
  out.push_back({"fetch", {"as"}, parse_fetch, "await an HTTP request: a real URL, or a simulated server (sim://name/path)"});
}

}  // namespace aio::scenario
