#include "scenario/interpreter.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include "aio/gather.hpp"
#include "aio/generator.hpp"
#include "aio/run.hpp"
#include "aio/sleep.hpp"
#include "aio/task_group.hpp"
#include "scenario/objects.hpp"
#include "scenario/run_clock.hpp"
#include "scenario/watchdog.hpp"

namespace aio::scenario {

std::string error_type(const std::exception_ptr& e) {
  try {
    std::rethrow_exception(e);
  } catch (const scenario_raise& r) {
    return r.type;
  } catch (const cancelled_error&) {
    return "CancelledError";
  } catch (const generator_exit&) {  // aclose() at a generator's yield (steps_gen.cpp)
    return "GeneratorExit";
  } catch (const timeout_error&) {
    return "TimeoutError";
  } catch (const scenario_error&) {
    return "ScenarioError";
  } catch (const deadlock_error&) {
    return "RuntimeError";
  } catch (const exception_group&) {
    return "ExceptionGroup";
  } catch (const queue_full&) {
    return "QueueFull";
  } catch (const queue_empty&) {
    return "QueueEmpty";
  } catch (const queue_shut_down&) {
    return "QueueShutDown";
  } catch (const broken_barrier_error&) {
    return "BrokenBarrierError";
  } catch (const std::invalid_argument&) {
    return "ValueError";
  } catch (const std::bad_alloc&) {
    return "MemoryError";
  } catch (const std::runtime_error&) {
    return "RuntimeError";
  } catch (...) {
    return "Exception";
  }
}

value error_value(const std::exception_ptr& e) {
  try {
    std::rethrow_exception(e);
  } catch (const exception_group& g) {  // str() of a Python ExceptionGroup
    std::size_t n = g.exceptions().size();
    return value{{"error", "ExceptionGroup"}, {"message", g.message() + " (" + std::to_string(n) + " sub-exception" + (n == 1 ? ")" : "s)")}};
  } catch (...) {
  }
  std::string text = describe_error(e), type = error_type(e);
  std::string msg = text.rfind(type + ": ", 0) == 0 ? text.substr(type.size() + 2) : (text == type ? "" : text);
  return value{{"error", type}, {"message", msg}};
}

bool error_matches(const std::exception_ptr& e, const std::vector<std::string>& types) {
  std::string t = error_type(e);
  if (t == "ScenarioError") return false;  // a mistake in the scenario is never caught by it
  bool base_only = t == "CancelledError" || t == "GeneratorExit";  // BaseException, not Exception
  if (types.empty()) return !base_only;
  for (auto& want : types) {
    if (want == t || want == "BaseException") return true;
    if (want == "Exception" && !base_only) return true;
  }
  return false;
}

// ---- exec_context ----

exec_context::exec_context(const scenario& s, event_loop& l, trace_sink& k)
    : sc(s), loop(l), sink(k), rng(s.seed), objects(std::make_unique<object_table>(s.objects)), shared(s.shared) {}

void exec_context::assign(frame& f, const std::string& name, value v) {
  auto it = f.vars.find(name);
  if (it == f.vars.end()) {
    auto g = shared.find(name);
    if (g != shared.end()) {
      g->second = std::move(v);
      return;
    }
  }
  f.vars[name] = std::move(v);
}
exec_context::~exec_context() = default;

std::string exec_context::unique_name(const std::string& base) {
  int n = ++name_uses_[base];
  return n == 1 ? base : base + "-" + std::to_string(n);
}

value exec_context::eval(const templ& t, frame& f, const std::string& pointer) {
  if (guard) guard->tick(pointer);
  value now = trace_time(loop);
  auto lookup = [&](const std::string& name) -> const value* {
    if (name == "now") return &now;
    auto it = f.vars.find(name);
    if (it != f.vars.end()) return &it->second;
    auto g = shared.find(name);
    return g == shared.end() ? nullptr : &g->second;
  };
  auto rnd = [this] { return rng.next(); };
  try {
    return t.eval(lookup, rnd);
  } catch (const expr_error& e) {
    std::string known;
    for (auto& [k, v] : f.vars) known += (known.empty() ? "" : ", ") + k;
    for (auto& [k, v] : shared) known += (known.empty() ? "" : ", ") + k;
    std::string msg = std::string(e.what()) + " in \"" + t.text() + "\"";
    if (std::string(e.what()).rfind("unknown name", 0) == 0)
      msg += known.empty() ? " (no variables are set here; `now` is the clock in ms)" : " (variables here: " + known + ", now)";
    throw scenario_error(msg, pointer);
  }
}

value exec_context::eval_args(const call_spec& c, frame& f) {
  value args = value::object();
  for (auto& [k, t] : c.args) args[k] = eval(t, f, c.pointer + "/args/" + k);
  return args;
}

coro<value> exec_context::run_call(const task_def* def, value args) {
  frame f;
  for (auto& p : def->params) f.vars[p] = args.contains(p) ? args[p] : value(nullptr);
  co_await exec(def->steps, f);
  co_return std::move(f.result);
}

coro<void> exec_context::exec(const block& b, frame& f) {
  for (auto& s : b) {
    if (f.state != flow::next) break;
    if (auto* t = current_task()) current_step_[t->id()] = s.get();
    if (guard) guard->tick(s->pointer);
    co_await s->run(*this, f);
  }
}

coro<value> exec_context::call(const call_spec& c, frame& f) {
  value args = eval_args(c, f);
  return run_call(&sc.tasks.at(c.task), std::move(args));
}

task<value> exec_context::start(const call_spec& c, frame& f, const std::string& name) {
  if (guard) guard->on_spawn(c.pointer);
  value args = eval_args(c, f);
  std::string n = unique_name(name.empty() ? c.task : name);
  if (f.group) return f.group->create_task(run_call(&sc.tasks.at(c.task), std::move(args)), n);
  return create_task(loop, run_call(&sc.tasks.at(c.task), std::move(args)), n);
}

task<value>& exec_context::handle(const awaitable_ref& r, frame& f) {
  std::string key = r.handle;
  if (key.find('{') != std::string::npos) {  // "{h}": a variable holding a handle's name
    try {
      key = to_display(eval(templ::parse(r.handle), f, r.pointer));
    } catch (const expr_error& e) {
      throw scenario_error(e.what(), r.pointer);
    }
  }
  auto it = f.handles.find(key);
  if (it != f.handles.end()) return it->second;
  std::vector<std::string> names;
  for (auto& [n, h] : f.handles) names.push_back(n);
  std::string msg = "no task handle '" + key + "' here";
  if (auto s = did_you_mean(r.handle, names))
    msg += ": did you mean '" + *s + "'?";
  else if (sc.tasks.count(r.handle))
    msg += ": '" + r.handle + "' is a task; spawn it first, or await {call: " + r.handle + "}";
  else if (names.empty())
    msg += " (spawn a task first)";
  throw scenario_error(msg, r.pointer);
}

future<value> exec_context::to_future(const awaitable_ref& r, frame& f) {
  return r.call ? start(*r.call, f).as_future() : handle(r, f).as_future();
}

void exec_context::print(const std::string& text) {
  auto* t = current_task();
  sink.emit(value{{"type", "print"}, {"t", trace_time(loop)}, {"task", t ? t->name() : std::string()}, {"text", text}});
}

const step_node* exec_context::current_step(std::uint64_t id) const {
  auto it = current_step_.find(id);
  return it == current_step_.end() ? nullptr : it->second;
}

runner::runner(const scenario& sc, const run_options& opt, trace_sink& sink) : sink_(sink), max_events_(opt.max_events) {
  std::string clock = opt.clock.empty() ? sc.clock : opt.clock;
  real_ = clock == "real";
  speed_ = opt.speed > 0 ? opt.speed : 1.0;
  if (real_) {
    auto clk = std::make_unique<run_clock>(speed_);
    real_clock_ = clk.get();
    speed_ = clk->speed();
    loop_ = std::make_unique<event_loop>(std::move(clk));
  } else {
    loop_ = std::make_unique<event_loop>(make_virtual_clock());
  }
  tracer_ = std::make_unique<task_tracer>(*loop_, sink_);
  loop_->set_observer(tracer_.get());
  loop_->set_exception_handler([this](event_loop&, const error_context& c) {
    value e{{"type", "diagnostic"}, {"t", trace_time(*loop_)}, {"severity", "warning"}, {"message", c.message}};
    if (c.task) e["task"] = c.task->name();
    if (c.exception) e["message"] = c.message + ": " + describe_error(c.exception);
    sink_.emit(e);
  });
  cx_ = std::make_unique<exec_context>(sc, *loop_, sink_);
  guard_ = std::make_unique<run_guard>(run_limits{opt.watchdog_ms, opt.max_events, opt.max_tasks}, *loop_, sink_);
  guard_->set_speed(speed_);
  cx_->guard = guard_.get();
  cx_->http = opt.http;
  frame top;
  call_spec main_call{sc.main, {}, sc.tasks.at(sc.main).pointer};
  main_ = cx_->start(main_call, top, sc.main);
  seq_ = std::make_unique<run_sequence>(*loop_, *main_.base());
}

runner::~runner() {
  seq_.reset();
  main_ = {};
  // Tasks still pending here (a deadlock, a limit) are torn down silently: the run is over
  // and its `end` event has been sent.
  loop_->set_observer(nullptr);
  loop_->set_exception_handler([](event_loop&, const error_context&) {});
  loop_.reset();
}

double runner::step() {
  if (finished_) return event_loop::never;
  guard_->begin_pass();
  seq_->step();  // one pass, and asyncio.run's end-of-run sequence (aio/run.hpp)
  if (check_limits()) return event_loop::never;
  check_progress();
  if (finished_) return event_loop::never;
  double next = loop_->next_deadline();
  if (sink_.count() > max_events_) {
    sink_.emit(value{{"type", "diagnostic"}, {"t", trace_time(*loop_)}, {"severity", "error"}, {"pointer", ""},
                     {"message", "the run was stopped after " + std::to_string(max_events_) + " trace events: does a loop run forever?"}});
    finish(2, "failed", "too many events");
    return event_loop::never;
  }
  if (seq_->stuck()) {
    if (cleanup_) {
      // A leftover task that catches its cancellation and then waits for something that never
      // comes: asyncio.run would wait forever; the run ends here with main's outcome.
      sink_.emit(value{{"type", "diagnostic"}, {"t", trace_time(*loop_)}, {"severity", "warning"},
                       {"message", "after main ended, the leftover tasks were cancelled but not all of them finished: " + explain_deadlock()}});
      finish(exit_code_, exit_code_ == 0 ? "ok" : "failed", end_message_);
    } else {
      std::string why = explain_deadlock();
      value d{{"type", "diagnostic"}, {"t", trace_time(*loop_)}, {"severity", "error"}, {"message", why}};
      if (auto* s = cx_->current_step(main_.id())) d["pointer"] = s->pointer;
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
    std::string on = t->waiting_for();
    msg += on.empty() ? std::string("nothing it can get") : on;
    msg += ";";
  }
  if (!msg.empty() && msg.back() == ';') msg.back() = '.';
  return msg;
}

void runner::check_progress() {
  if (!cleanup_ && main_.done()) {  // main's outcome; the sequence goes on with the cleanup
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
    end_message_ = message;
    cleanup_ = true;
  }
  if (seq_->closed()) finish(exit_code_, exit_code_ == 0 ? "ok" : "failed", end_message_);
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

int run_document(const nlohmann::ordered_json& doc, const run_options& opt, trace_sink& sink) {
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
