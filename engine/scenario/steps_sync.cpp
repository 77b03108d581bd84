// Synchronisation verbs and the declarations they use:
//   top level: locks, semaphores, bounded_semaphores, events, conditions, barriers, queues
//   steps: lock/semaphore/condition blocks (async with), acquire, release, set_event,
//   clear_event, wait_event, wait_condition, notify, notify_all, barrier, put, get, task_done,
//   join, shutdown.
#include "scenario/interpreter.hpp"
#include "scenario/objects.hpp"
#include "scenario/parse_context.hpp"
#include "scenario/python_writer.hpp"
#include "scenario/step_util.hpp"

namespace aio::scenario {

namespace {


const std::vector<std::string> k_holdable = {"lock", "semaphore", "bounded_semaphore", "condition"};

/// async with <lock|semaphore|condition>: steps
struct hold_step final : step_node {
  std::string kind, name;
  block body;
  coro<void> run(exec_context& cx, frame& f) const override {
    auto& objs = *cx.objects;
    if (kind == "lock") {
      auto g = co_await objs.lock(name).scoped();
      co_await cx.exec(body, f);
    } else if (kind == "condition") {
      auto g = co_await objs.condition(name).scoped();
      co_await cx.exec(body, f);
    } else {
      auto g = co_await objs.semaphore(name).scoped();
      co_await cx.exec(body, f);
    }
  }
  void to_python(py_writer& py) const override {
    py.line("async with " + py.name(name) + ":");
    py.body(body);
  }
};

/// The kind of a declared object, as the parser recorded it.
const std::string& kind_of(exec_context& cx, const std::string& name) { return cx.sc.objects.at(name).kind; }

struct acquire_release_step final : step_node {
  bool acquire;
  std::string name;
  coro<void> run(exec_context& cx, frame&) const override {
    auto& objs = *cx.objects;
    const std::string& kind = kind_of(cx, name);
    if (kind == "lock") {
      if (acquire)
        co_await objs.lock(name).acquire();
      else
        objs.lock(name).release();
    } else if (kind == "condition") {
      if (acquire)
        co_await objs.condition(name).acquire();
      else
        objs.condition(name).release();
    } else {
      if (acquire)
        co_await objs.semaphore(name).acquire();
      else
        objs.semaphore(name).release();
    }
  }
  void to_python(py_writer& py) const override { py.line(acquire ? "await " + py.name(name) + ".acquire()" : py.name(name) + ".release()"); }
};

struct event_step final : step_node {
  enum class op { set, clear, wait } what;
  std::string name, as;
  coro<void> run(exec_context& cx, frame& f) const override {
    auto& e = cx.objects->event(name);
    if (what == op::set) e.set();
    if (what == op::clear) e.clear();
    if (what == op::wait) {
      bool r = co_await e.wait();
      if (!as.empty()) cx.assign(f, as, r);
    }
  }
  void to_python(py_writer& py) const override {
    std::string n = py.name(name);
    if (what == op::set) py.line(n + ".set()");
    if (what == op::clear) py.line(n + ".clear()");
    if (what == op::wait) py.line((as.empty() ? "" : py.name(as) + " = ") + "await " + n + ".wait()");
  }
};

struct condition_step final : step_node {
  enum class op { wait, notify, notify_all } what;
  std::string name;
  std::optional<templ> until;  // wait: wait_for(predicate)
  std::optional<templ> n;      // notify: how many
  coro<void> run(exec_context& cx, frame& f) const override {
    auto& c = cx.objects->condition(name);
    if (what == op::wait) {
      if (until)
        co_await c.wait_for([&] { return truthy(cx.eval(*until, f, pointer + "/until")); });
      else
        co_await c.wait();
    } else if (what == op::notify) {
      value k = n ? cx.eval(*n, f, pointer + "/n") : value(1);
      if (!k.is_number() || k.get<double>() < 0) throw scenario_error("notify needs n >= 0, got " + to_display(k), pointer + "/n");
      c.notify(static_cast<std::size_t>(k.get<double>()));
    } else {
      c.notify_all();
    }
  }
  void to_python(py_writer& py) const override {
    std::string c = py.name(name);
    if (what == op::wait) py.line(until ? "await " + c + ".wait_for(lambda: " + py.value(*until) + ")" : "await " + c + ".wait()");
    if (what == op::notify) py.line(c + ".notify(" + (n ? "to_int(" + py.value(*n) + ")" : std::string()) + ")");
    if (what == op::notify_all) py.line(c + ".notify_all()");
  }
};

struct barrier_step final : step_node {
  std::string name, as;
  coro<void> run(exec_context& cx, frame& f) const override {
    std::size_t idx = co_await cx.objects->barrier(name).wait();
    if (!as.empty()) cx.assign(f, as, static_cast<double>(idx));
  }
  void to_python(py_writer& py) const override { py.line((as.empty() ? "" : py.name(as) + " = ") + "await " + py.name(name) + ".wait()"); }
};

struct queue_step final : step_node {
  enum class op { put, get, task_done, join, shutdown } what;
  std::string name, as;
  std::optional<templ> item;
  bool nowait = false, immediate = false;
  coro<void> run(exec_context& cx, frame& f) const override {
    auto& q = cx.objects->queue(name);
    switch (what) {
      case op::put: {
        value v = item ? cx.eval(*item, f, pointer + "/item") : value(nullptr);
        if (nowait)
          q.put_nowait(std::move(v));
        else
          co_await q.put(std::move(v));
        break;
      }
      case op::get: {
        value v;
        if (nowait)  // (no co_await inside ?: — g++ 12 miscompiles it)
          v = q.get_nowait();
        else
          v = co_await q.get();
        if (!as.empty()) cx.assign(f, as, std::move(v));
        break;
      }
      case op::task_done: q.base().task_done(); break;
      case op::join: co_await q.base().join(); break;
      case op::shutdown: q.base().shutdown(immediate); break;
    }
  }
  void to_python(py_writer& py) const override {
    std::string q = py.name(name);
    switch (what) {
      case op::put: py.line((nowait ? q + ".put_nowait(" : "await " + q + ".put(") + (item ? py.value(*item) : "None") + ")"); break;
      case op::get: py.line((as.empty() ? "" : py.name(as) + " = ") + (nowait ? q + ".get_nowait()" : "await " + q + ".get()")); break;
      case op::task_done: py.line(q + ".task_done()"); break;
      case op::join: py.line("await " + q + ".join()"); break;
      case op::shutdown: py.line(q + ".shutdown(" + (immediate ? "immediate=True" : "") + ")"); break;
    }
  }
};

std::optional<std::string> opt_as(parse_context& pc, const json& s, const std::string& p) {
  if (auto* a = parse_context::opt(s, "as")) return pc.name(*a, ptr(p, "as"), "'as'");
  return std::string();
}
bool opt_bool(parse_context& pc, const json& s, const std::string& p, const char* key) {
  auto* v = parse_context::opt(s, key);
  if (!v) return false;
  if (!v->is_boolean()) {
    pc.error(ptr(p, key), std::string(key) + " is true or false");
    return false;
  }
  return v->get<bool>();
}

step_ptr parse_hold(parse_context& pc, const json& s, const std::string& p, const std::string& verb, std::vector<std::string> kinds) {
  auto n = pc.object(s[verb], ptr(p, verb), kinds);
  if (!s.contains("steps")) pc.error(p, "`" + verb + ": name` holds it for the `steps:` that follow (async with)");
  if (!n || !s.contains("steps")) return nullptr;
  auto node = make_node<hold_step>(p);
  node->kind = verb == "semaphore" ? "semaphore" : verb;
  node->name = *n;
  node->body = pc.steps(s["steps"], ptr(p, "steps"));
  return node;
}
step_ptr parse_lock(parse_context& pc, const json& s, const std::string& p) { return parse_hold(pc, s, p, "lock", {"lock"}); }
step_ptr parse_semaphore(parse_context& pc, const json& s, const std::string& p) {
  return parse_hold(pc, s, p, "semaphore", {"semaphore", "bounded_semaphore"});
}
step_ptr parse_condition(parse_context& pc, const json& s, const std::string& p) { return parse_hold(pc, s, p, "condition", {"condition"}); }

step_ptr parse_acq_rel(parse_context& pc, const json& s, const std::string& p, bool acquire) {
  const char* verb = acquire ? "acquire" : "release";
  auto n = pc.object(s[verb], ptr(p, verb), k_holdable);
  if (!n) return nullptr;
  auto node = make_node<acquire_release_step>(p);
  node->acquire = acquire;
  node->name = *n;
  return node;
}
step_ptr parse_acquire(parse_context& pc, const json& s, const std::string& p) { return parse_acq_rel(pc, s, p, true); }
step_ptr parse_release(parse_context& pc, const json& s, const std::string& p) { return parse_acq_rel(pc, s, p, false); }

step_ptr parse_event_op(parse_context& pc, const json& s, const std::string& p, const char* verb, event_step::op op) {
  auto n = pc.object(s[verb], ptr(p, verb), {"event"});
  auto as = opt_as(pc, s, p);
  if (!n || !as) return nullptr;
  auto node = make_node<event_step>(p);
  node->what = op;
  node->name = *n;
  node->as = *as;
  return node;
}
step_ptr parse_set_event(parse_context& pc, const json& s, const std::string& p) { return parse_event_op(pc, s, p, "set_event", event_step::op::set); }
step_ptr parse_clear_event(parse_context& pc, const json& s, const std::string& p) { return parse_event_op(pc, s, p, "clear_event", event_step::op::clear); }
step_ptr parse_wait_event(parse_context& pc, const json& s, const std::string& p) { return parse_event_op(pc, s, p, "wait_event", event_step::op::wait); }

step_ptr parse_cond_op(parse_context& pc, const json& s, const std::string& p, const char* verb, condition_step::op op) {
  auto n = pc.object(s[verb], ptr(p, verb), {"condition"});
  if (!n) return nullptr;
  auto node = make_node<condition_step>(p);
  node->what = op;
  node->name = *n;
  if (auto* u = parse_context::opt(s, "until")) {
    std::string text = u->is_string() ? u->get<std::string>() : u->dump();
    if (text.size() < 2 || text.front() != '{' || text.back() != '}') text = "{" + text + "}";
    node->until = pc.tmpl(json(text), ptr(p, "until"), "until");
    if (!node->until) return nullptr;
  }
  if (auto* k = parse_context::opt(s, "n")) {
    node->n = pc.tmpl(*k, ptr(p, "n"), "n");
    if (!node->n) return nullptr;
  }
  return node;
}
step_ptr parse_wait_condition(parse_context& pc, const json& s, const std::string& p) {
  return parse_cond_op(pc, s, p, "wait_condition", condition_step::op::wait);
}
step_ptr parse_notify(parse_context& pc, const json& s, const std::string& p) { return parse_cond_op(pc, s, p, "notify", condition_step::op::notify); }
step_ptr parse_notify_all(parse_context& pc, const json& s, const std::string& p) {
  return parse_cond_op(pc, s, p, "notify_all", condition_step::op::notify_all);
}

step_ptr parse_barrier(parse_context& pc, const json& s, const std::string& p) {
  auto n = pc.object(s["barrier"], ptr(p, "barrier"), {"barrier"});
  auto as = opt_as(pc, s, p);
  if (!n || !as) return nullptr;
  auto node = make_node<barrier_step>(p);
  node->name = *n;
  node->as = *as;
  return node;
}

step_ptr parse_queue_op(parse_context& pc, const json& s, const std::string& p, const char* verb, queue_step::op op) {
  auto n = pc.object(s[verb], ptr(p, verb), {"queue"});
  auto as = opt_as(pc, s, p);
  if (!n || !as) return nullptr;
  auto node = make_node<queue_step>(p);
  node->what = op;
  node->name = *n;
  node->as = *as;
  node->nowait = opt_bool(pc, s, p, "nowait");
  node->immediate = opt_bool(pc, s, p, "immediate");
  if (auto* it = parse_context::opt(s, "item")) {
    node->item = pc.tmpl(it->is_structured() ? json("{" + it->dump() + "}") : *it, ptr(p, "item"), "item");
    if (!node->item) return nullptr;
  } else if (op == queue_step::op::put) {
    pc.error(p, "put needs `item:` (the value to put)");
    return nullptr;
  }
  return node;
}
step_ptr parse_put(parse_context& pc, const json& s, const std::string& p) { return parse_queue_op(pc, s, p, "put", queue_step::op::put); }
step_ptr parse_get(parse_context& pc, const json& s, const std::string& p) { return parse_queue_op(pc, s, p, "get", queue_step::op::get); }
step_ptr parse_task_done(parse_context& pc, const json& s, const std::string& p) { return parse_queue_op(pc, s, p, "task_done", queue_step::op::task_done); }
step_ptr parse_join(parse_context& pc, const json& s, const std::string& p) { return parse_queue_op(pc, s, p, "join", queue_step::op::join); }
step_ptr parse_shutdown(parse_context& pc, const json& s, const std::string& p) { return parse_queue_op(pc, s, p, "shutdown", queue_step::op::shutdown); }

const std::vector<std::string> k_declaration_keys = {"locks", "semaphores", "bounded_semaphores", "events", "conditions", "barriers", "queues"};

/// "locks" → "lock", "bounded_semaphores" → "bounded_semaphore".
std::string singular(const std::string& key) { return key.substr(0, key.size() - 1); }

}  // namespace

const std::vector<std::string>& declaration_keys() { return k_declaration_keys; }

void parse_declarations(parse_context& pc, scenario& sc, const std::string& key, const json& v, const std::string& pointer) {
  const std::string kind = singular(key);
  auto declare = [&](const std::string& name, const json* cfg, const std::string& p) {
    if (sc.objects.count(name)) {
      pc.error(p, "'" + name + "' is already declared (" + sc.objects[name].kind + "): each object needs its own name");
      return;
    }
    declared_object d{kind, name, 0, "fifo", "", p};
    if (kind == "semaphore" || kind == "bounded_semaphore") d.value = 1;
    auto number = [&](const json& x, const std::string& xp, const char* what, long min) -> long {
      if (!x.is_number_integer() || x.get<long>() < min) {
        pc.error(xp, std::string(what) + " is a whole number of at least " + std::to_string(min));
        return min;
      }
      return x.get<long>();
    };
    if (cfg && !cfg->is_null()) {
      if (kind == "semaphore" || kind == "bounded_semaphore") {
        d.value = number(*cfg, p, "a semaphore's value (its permits)", 0);
      } else if (kind == "barrier") {
        d.value = number(*cfg, p, "a barrier's parties", 1);
      } else if (kind == "queue" && cfg->is_number()) {
        d.value = number(*cfg, p, "a queue's maxsize (0: unbounded)", 0);
      } else if (kind == "queue" && cfg->is_object()) {
        for (auto& [k, x] : cfg->items()) {
          if (k == "maxsize")
            d.value = number(x, ptr(p, k), "maxsize (0: unbounded)", 0);
          else if (k == "kind") {
            if (x != "fifo" && x != "lifo" && x != "priority")
              pc.error(ptr(p, k), "a queue's kind is fifo (asyncio.Queue), lifo (LifoQueue) or priority (PriorityQueue)");
            else
              d.queue_kind = x.get<std::string>();
          } else
            pc.unknown_key(ptr(p, k), k, {"maxsize", "kind"}, "a queue");
        }
      } else if (kind == "condition" && cfg->is_object()) {
        for (auto& [k, x] : cfg->items()) {
          if (k == "lock") {
            if (auto l = pc.object(x, ptr(p, k), {"lock"})) d.lock = *l;
          } else
            pc.unknown_key(ptr(p, k), k, {"lock"}, "a condition");
        }
      } else {
        pc.error(p, "unexpected settings for a " + kind);
      }
    } else if (kind == "barrier") {
      pc.error(p, "a barrier needs its number of parties, e.g. `barriers: {" + name + ": 3}`");
    }
    sc.objects[name] = d;
  };
  if (v.is_array()) {
    for (std::size_t i = 0; i < v.size(); ++i)
      if (auto n = pc.name(v[i], ptr(pointer, i), "a name")) declare(*n, nullptr, ptr(pointer, i));
  } else if (v.is_object()) {
    for (auto& [n, cfg] : v.items()) declare(n, &cfg, ptr(pointer, n));
  } else {
    pc.error(pointer, key + " is a list of names or a map of name: settings");
  }
}

void add_sync_verbs(std::vector<verb>& out) {
  out.push_back({"lock", {"steps"}, parse_lock, "async with lock: steps"});
  out.push_back({"semaphore", {"steps"}, parse_semaphore, "async with semaphore: steps"});
  out.push_back({"condition", {"steps"}, parse_condition, "async with condition: steps"});
  out.push_back({"acquire", {}, parse_acquire, "await lock/semaphore/condition.acquire()"});
  out.push_back({"release", {}, parse_release, "lock/semaphore/condition.release()"});
  out.push_back({"set_event", {}, parse_set_event, "event.set()"});
  out.push_back({"clear_event", {}, parse_clear_event, "event.clear()"});
  out.push_back({"wait_event", {"as"}, parse_wait_event, "await event.wait()"});
  out.push_back({"wait_condition", {"until"}, parse_wait_condition, "await condition.wait() (or wait_for(until))"});
  out.push_back({"notify", {"n"}, parse_notify, "condition.notify(n)"});
  out.push_back({"notify_all", {}, parse_notify_all, "condition.notify_all()"});
  out.push_back({"barrier", {"as"}, parse_barrier, "await barrier.wait()"});
  out.push_back({"put", {"item", "nowait"}, parse_put, "await queue.put(item) (or put_nowait)"});
  out.push_back({"get", {"as", "nowait"}, parse_get, "await queue.get() (or get_nowait)"});
  out.push_back({"task_done", {}, parse_task_done, "queue.task_done()"});
  out.push_back({"join", {}, parse_join, "await queue.join()"});
  out.push_back({"shutdown", {"immediate"}, parse_shutdown, "queue.shutdown(immediate) (3.13)"});
}

}  // namespace aio::scenario
