#include "scenario/interpreter.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <unordered_map>

#include "aio/gather.hpp"
#include "aio/run.hpp"
#include "aio/sleep.hpp"

namespace aio::scenario {

namespace {

/// The variables and task handles of one scenario task call.
struct frame {
  std::map<std::string, value> vars;
  std::map<std::string, task<value>> handles;
  bool returned = false;
  value result;
};

std::string error_type(const std::exception_ptr& e) {
  try {
    std::rethrow_exception(e);
  } catch (const scenario_raise& r) {
    return r.type;
  } catch (const cancelled_error&) {
    return "CancelledError";
  } catch (const timeout_error&) {
    return "TimeoutError";
  } catch (const scenario_error&) {
    return "ScenarioError";
  } catch (...) {
    return "Exception";
  }
}

}  // namespace

using scenario_step = step;  // (inside runner, `step` names runner::step)

struct runner::impl {
  const scenario& sc;
  event_loop& loop;
  trace_sink& sink;
  std::mt19937_64 rng;
  std::map<std::string, int> name_uses;
  std::unordered_map<std::uint64_t, const scenario_step*> current_step;  // task id → step being run

  impl(const scenario& s, event_loop& l, trace_sink& k) : sc(s), loop(l), sink(k), rng(s.seed) {}

  std::string unique_name(const std::string& base) {
    int n = ++name_uses[base];
    return n == 1 ? base : base + "-" + std::to_string(n);
  }

  value eval(const templ& t, frame& f, const std::string& pointer) {
    value now = trace_time(loop);
    auto lookup = [&](const std::string& name) -> const value* {
      if (name == "now") return &now;
      auto it = f.vars.find(name);
      return it == f.vars.end() ? nullptr : &it->second;
    };
    auto rnd = [this] { return std::uniform_real_distribution<double>(0.0, 1.0)(rng); };
    try {
      return t.eval(lookup, rnd);
    } catch (const expr_error& e) {
      std::string known;
      for (auto& [k, v] : f.vars) known += (known.empty() ? "" : ", ") + k;
      std::string msg = std::string(e.what()) + " in \"" + t.text() + "\"";
      if (std::string(e.what()).rfind("unknown name", 0) == 0)
        msg += known.empty() ? " (no variables are set here; `now` is the clock in ms)" : " (variables here: " + known + ", now)";
      throw scenario_error(msg, pointer);
    }
  }

  value eval_args(const call_spec& c, frame& f) {
    value args = value::object();
    for (auto& [k, t] : c.args) args[k] = eval(t, f, c.pointer + "/args/" + k);
    return args;
  }

  coro<value> call_task(const task_def* def, value args) {
    frame f;
    for (auto& p : def->params) f.vars[p] = args.contains(p) ? args[p] : value(nullptr);
    co_await exec(def->steps, f);
    co_return std::move(f.result);
  }

  coro<void> exec(const block& b, frame& f) {
    for (auto& s : b) {
      if (f.returned) break;
      if (auto* t = current_task()) current_step[t->id()] = &s;
      co_await exec_step(s, f);
    }
  }

  task<value>& handle_of(const awaitable_ref& r, frame& f) {
    auto it = f.handles.find(r.handle);
    if (it != f.handles.end()) return it->second;
    std::vector<std::string> names;
    for (auto& [n, h] : f.handles) names.push_back(n);
    std::string msg = "no task handle '" + r.handle + "' here";
    if (auto s = did_you_mean(r.handle, names))
      msg += ": did you mean '" + *s + "'?";
    else if (sc.tasks.count(r.handle))
      msg += ": '" + r.handle + "' is a task; spawn it first, or await {call: " + r.handle + "}";
    else
      msg += names.empty() ? " (spawn a task first)" : "";
    throw scenario_error(msg, r.pointer);
  }

  /// A call as a task of its own, named `name` (or after the task it runs), made unique.
  task<value> start_call(const call_spec& c, frame& f, const std::string& name = {}) {
    const task_def* def = &sc.tasks.at(c.task);
    return create_task(loop, call_task(def, eval_args(c, f)), unique_name(name.empty() ? c.task : name));
  }

  coro<void> exec_step(const scenario_step& s, frame& f) {
    switch (s.op) {
      case scenario_step::kind::print: {
        value text = eval(s.value, f, s.pointer + "/print");
        auto* t = current_task();
        sink.emit(value{{"type", "print"}, {"t", trace_time(loop)}, {"task", t ? t->name() : std::string()}, {"text", to_display(text)}});
        break;
      }
      case scenario_step::kind::sleep: {
        value v = eval(s.value, f, s.pointer + "/sleep");
        std::string err;
        auto d = parse_duration(v, &err);
        if (!d) throw scenario_error(err, s.pointer + "/sleep");
        co_await aio::sleep(*d);
        break;
      }
      case scenario_step::kind::set:
        for (auto& [k, t] : s.sets) f.vars[k] = eval(t, f, s.pointer + "/set/" + k);
        break;
      case scenario_step::kind::spawn:
        f.handles[s.name] = start_call(s.call, f, s.name);
        break;
      case scenario_step::kind::await: {
        value v;
        if (s.target.call) {
          const task_def* def = &sc.tasks.at(s.target.call->task);
          value args = eval_args(*s.target.call, f);
          v = co_await call_task(def, std::move(args));
        } else {
          task<value> t = handle_of(s.target, f);
          v = co_await t;
        }
        if (!s.name.empty()) f.vars[s.name] = std::move(v);
        break;
      }
      case scenario_step::kind::gather: {
        std::vector<future<value>> children;
        for (auto& item : s.items) children.push_back(item.call ? start_call(*item.call, f).as_future() : handle_of(item, f).as_future());
        value results = value::array();
        if (s.return_exceptions) {
          auto g = gather(return_exceptions, children);
          auto outcomes = co_await g;
          for (auto& o : outcomes) {
            if (o.ok())
              results.push_back(*o.value);
            else
              results.push_back(value{{"error", error_type(o.error)}, {"message", describe_error(o.error)}});
          }
        } else {
          auto g = gather(children);
          auto values = co_await g;
          for (auto& v : values) results.push_back(std::move(v));
        }
        if (!s.name.empty()) f.vars[s.name] = std::move(results);
        break;
      }
      case scenario_step::kind::ret:
        f.result = eval(s.value, f, s.pointer + "/return");
        f.returned = true;
        break;
    }
  }
};

runner::runner(const scenario& sc, const run_options& opt, trace_sink& sink) : sink_(sink), max_events_(opt.max_events) {
  std::string clock = opt.clock.empty() ? sc.clock : opt.clock;
  real_ = clock == "real";
  speed_ = opt.speed > 0 ? opt.speed : 1.0;
  loop_ = std::make_unique<event_loop>(real_ ? make_real_clock(speed_) : make_virtual_clock());
  tracer_ = std::make_unique<task_tracer>(*loop_, sink_);
  loop_->set_observer(tracer_.get());
  loop_->set_exception_handler([this](event_loop&, const error_context& c) {
    value e{{"type", "diagnostic"}, {"t", trace_time(*loop_)}, {"severity", "warning"}, {"message", c.message}};
    if (c.task) e["task"] = c.task->name();
    if (c.exception) e["message"] = c.message + ": " + describe_error(c.exception);
    sink_.emit(e);
  });
  impl_ = std::make_unique<impl>(sc, *loop_, sink_);
  const task_def* def = &sc.tasks.at(sc.main);
  main_ = create_task(*loop_, impl_->call_task(def, value::object()), sc.main);
  impl_->name_uses[sc.main] = 1;
}

runner::~runner() {
  main_ = {};
  // Tasks still pending here (a deadlock, a limit) are torn down silently: the run is over
  // and its `end` event has been sent.
  loop_->set_observer(nullptr);
  loop_->set_exception_handler([](event_loop&, const error_context&) {});
  loop_.reset();
}

double runner::step() {
  if (finished_) return event_loop::never;
  loop_->run_once();
  check_progress();  // may cancel leftover tasks, which queues their wake-ups
  if (finished_) return event_loop::never;
  double next = loop_->next_deadline();
  if (sink_.count() > max_events_) {
    sink_.emit(value{{"type", "diagnostic"}, {"t", trace_time(*loop_)}, {"severity", "error"}, {"pointer", ""},
                     {"message", "the run was stopped after " + std::to_string(max_events_) + " trace events: does a loop run forever?"}});
    finish(2, "failed", "too many events");
    return event_loop::never;
  }
  if (next == event_loop::never && !loop_->has_external()) {
    if (cleanup_) {
      finish(exit_code_, exit_code_ == 0 ? "ok" : "failed");
    } else {
      std::string why = explain_deadlock();
      value d{{"type", "diagnostic"}, {"t", trace_time(*loop_)}, {"severity", "error"}, {"message", why}};
      if (auto it = impl_->current_step.find(main_.id()); it != impl_->current_step.end()) d["pointer"] = it->second->pointer;
      sink_.emit(d);
      finish(2, "failed", "deadlock");
    }
    return event_loop::never;
  }
  return next;
}

std::string runner::explain_deadlock() const {
  std::string msg = "deadlock: no task can ever continue.";
  for (auto* t : loop_->all_tasks()) {
    msg += " " + t->name() + " waits for ";
    auto* on = t->waiting_on();
    msg += on ? on->describe() : std::string("nothing it can get");
    msg += ";";
  }
  if (!msg.empty() && msg.back() == ';') msg.back() = '.';
  return msg;
}

void runner::check_progress() {
  if (!cleanup_ && main_.done()) {
    int code = 0;
    std::string message;
    if (main_.cancelled()) {
      code = 2;
      message = "main was cancelled";
    } else if (auto e = main_.base()->exception()) {
      code = 2;
      message = describe_error(e);
    }
    exit_code_ = code;
    cleanup_ = true;
    // Like asyncio.run: cancel whatever is still pending and let it clean up.
    auto pending = loop_->all_tasks();
    for (auto* t : pending) t->cancel();
    if (pending.empty()) finish(code, code == 0 ? "ok" : "failed", message);
    end_message_ = message;
    return;
  }
  if (cleanup_ && !finished_ && loop_->all_tasks().empty()) finish(exit_code_, exit_code_ == 0 ? "ok" : "failed", end_message_);
}

void runner::finish(int code, const std::string& status, const std::string& message) {
  if (finished_) return;
  finished_ = true;
  exit_code_ = code;
  value e{{"type", "end"}, {"t", trace_time(*loop_)}, {"status", status}};
  if (!message.empty()) e["message"] = message;
  sink_.emit(e);
  sink_.flush();
}

int runner::run_to_end() {
  while (!finished_) {
    double next = step();
    if (finished_) break;
    if (next > loop_->time()) {
      sink_.flush();
      loop_->clock().wait_until(next);
    }
  }
  return exit_code_;
}

void emit_diagnostics(const std::vector<diagnostic>& ds, trace_sink& sink) {
  for (auto& d : ds)
    sink.emit(value{{"type", "diagnostic"}, {"t", 0}, {"severity", d.severity == diagnostic::level::error ? "error" : "warning"}, {"message", d.message}, {"pointer", d.pointer}});
}

int run_document(const nlohmann::json& doc, const run_options& opt, trace_sink& sink) {
  auto parsed = parse_scenario(doc);
  emit_diagnostics(parsed.diagnostics, sink);
  if (!parsed.ok()) {
    sink.emit(value{{"type", "end"}, {"t", 0}, {"status", "invalid"}, {"message", "the scenario has errors"}});
    sink.flush();
    return 1;
  }
  runner r(parsed.value, opt, sink);
  return r.run_to_end();
}

}  // namespace aio::scenario
