#include "scenario/lint.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "scenario/step_walk.hpp"

namespace aio::scenario {

namespace {

const std::vector<lint_rule> k_rules = {
    {"unused-task", "a task is spawned but its handle is never awaited, gathered or cancelled"},
    {"blocking-call", "a blocking call (block:) in a scenario where tasks run concurrently"},
    {"lock-held-sleep", "a long sleep (1s or more) while holding a lock"},
    {"gather-error", "gather over tasks that can raise, without return_exceptions or try/except"},
    {"queue-no-consumer", "items are put on a queue that no step ever gets from"},
    {"never-completes", "a wait nothing can ever end: an event nobody sets, a queue nobody puts to, ..."},
};

/// What a `nolint:` value silences.
struct silence {
  bool all = false;
  std::set<std::string> rules;
  bool covers(const std::string& r) const { return all || rules.count(r); }
};

silence read_nolint(const json& v, const std::string& p, std::vector<diagnostic>* out) {
  silence s;
  auto add = [&](const json& x, const std::string& xp) {
    if (!x.is_string()) {
      if (out) out->push_back({diagnostic::level::warning, "nolint takes true, a rule name or a list of rule names", xp});
      return;
    }
    std::string r = x.get<std::string>();
    bool known = std::any_of(k_rules.begin(), k_rules.end(), [&](auto& k) { return r == k.name; });
    if (!known && out) {
      std::vector<std::string> names;
      std::string list;
      for (auto& k : k_rules) {
        names.push_back(k.name);
        list += (list.empty() ? "" : ", ") + std::string(k.name);
      }
      auto near = did_you_mean(r, names);
      out->push_back({diagnostic::level::warning, "no lint rule named '" + r + "'" + (near ? ": did you mean '" + *near + "'?" : " (rules: " + list + ")"), xp});
    }
    s.rules.insert(r);
  };
  if (v.is_boolean())
    s.all = v.get<bool>();
  else if (v.is_array())
    for (std::size_t i = 0; i < v.size(); ++i) add(v[i], ptr(p, i));
  else
    add(v, p);
  return s;
}

/// A step of some task (or context), with the steps around it.
struct seen {
  step_at s;
  step_path path;
  std::string task;  // "" for a context's enter/exit steps
  const json& at(const char* key) const { return (*s.step)[key]; }
  bool has(const char* key) const { return s.step->is_object() && s.step->contains(key); }
  std::string str(const char* key) const { return has(key) && at(key).is_string() ? at(key).get<std::string>() : std::string(); }
};

/// The nearest enclosing step with this verb, or nullptr.
const step_at* enclosing(const seen& x, std::initializer_list<const char*> verbs) {
  for (auto it = x.path.rbegin(); it != x.path.rend(); ++it)
    for (auto* v : verbs)
      if (it->verb == v) return &*it;
  return nullptr;
}

/// Inside the body of a try step that has except handlers (an error there is handled).
bool guarded(const seen& x) {
  for (std::size_t i = 0; i < x.path.size(); ++i) {
    const step_at& child = i + 1 < x.path.size() ? x.path[i + 1] : x.s;
    if (x.path[i].verb == "try" && child.via == "try" && x.path[i].step->contains("except")) return true;
  }
  return false;
}

std::optional<double> constant_seconds(const json& v) {
  if (v.is_string() && v.get<std::string>().find('{') != std::string::npos) return std::nullopt;
  return parse_duration(v);
}

std::string seconds_text(double s) { return s < 1 ? to_display(value(s * 1000)) + "ms" : to_display(value(s)) + "s"; }

class linter {
 public:
  linter(const scenario& sc, const json& doc) : sc_(sc) {
    if (doc.contains("nolint")) file_ = read_nolint(doc["nolint"], "/nolint", &out_);
    auto collect = [&](const json& steps, const std::string& p, const std::string& task) {
      walk_steps(steps, p, [&](const step_at& s, const step_path& path) {
        steps_.push_back({s, path, task});
        if (s.step->is_object() && s.step->contains("nolint")) read_nolint((*s.step)["nolint"], ptr(s.pointer, "nolint"), &out_);
      });
    };
    if (doc.contains("tasks") && doc["tasks"].is_object())
      for (auto& [name, t] : doc["tasks"].items())
        if (auto* st = task_steps(t)) collect(*st, task_steps_pointer(t, ptr("/tasks", name)), name);
    if (doc.contains("contexts") && doc["contexts"].is_object())
      for (auto& [name, c] : doc["contexts"].items())
        for (const char* part : {"enter", "exit"})
          if (c.is_object() && c.contains(part)) collect(c[part], ptr(ptr("/contexts", name), part), "");
  }

  std::vector<diagnostic> run() {
    unused_tasks();
    blocking_calls();
    lock_held_sleeps();
    gather_errors();
    queues_and_waits();
    return std::move(out_);
  }

 private:
  bool silenced(const std::string& rule, const seen& x) const {
    if (file_.covers(rule)) return true;
    auto covers = [&](const step_at& s) { return s.step->is_object() && s.step->contains("nolint") && read_nolint((*s.step)["nolint"], "", nullptr).covers(rule); };
    return covers(x.s) || std::any_of(x.path.begin(), x.path.end(), covers);
  }
  void warn(const std::string& rule, const seen& x, const std::string& key, const std::string& msg) {
    if (silenced(rule, x)) return;
    out_.push_back({diagnostic::level::warning, msg + " [lint " + rule + ": add `nolint: " + rule + "` to the step if this is deliberate]", ptr(x.s.pointer, key)});
  }
  std::vector<const seen*> with_verb(const std::string& verb) const {
    std::vector<const seen*> v;
    for (auto& x : steps_)
      if (x.s.verb == verb) v.push_back(&x);
    return v;
  }
  /// The task a spawn step starts, and the handle it keeps.
  static std::pair<std::string, std::string> spawn_of(const seen& x) {
    const json& a = x.at("spawn");
    std::string task = a.is_string() ? a.get<std::string>() : a.is_object() && a.contains("call") && a["call"].is_string() ? a["call"].get<std::string>() : "";
    std::string handle = x.has("as") && x.at("as").is_string() ? x.at("as").get<std::string>() : task;
    return {task, handle};
  }
  /// The handle names and called tasks a step awaits, cancels or otherwise refers to.
  static void refs_of(const seen& x, std::vector<std::string>& handles, std::vector<std::string>& calls) {
    auto one = [&](const json& v) {
      if (v.is_string()) handles.push_back(v.get<std::string>());
      if (v.is_object() && v.contains("call") && v["call"].is_string()) calls.push_back(v["call"].get<std::string>());
    };
    const std::string& verb = x.s.verb;
    if (verb == "await" || verb == "cancel" || verb == "wait_for" || verb == "shield") one(x.at(verb.c_str()));
    if ((verb == "gather" || verb == "wait" || verb == "as_completed") && x.at(verb.c_str()).is_array())
      for (auto& i : x.at(verb.c_str())) one(i);
  }

  void unused_tasks() {
    std::map<std::string, std::set<std::string>> refs;  // per task
    std::set<std::string> dynamic;
    for (auto& x : steps_) {
      std::vector<std::string> hs, cs;
      refs_of(x, hs, cs);
      for (auto& h : hs) {
        if (h.find('{') != std::string::npos) dynamic.insert(x.task);
        refs[x.task].insert(h);
      }
    }
    // A task that names a handle it never spawned (a typo, or one bound by wait/as_completed)
    // is left alone: the run reports the unknown handle, with a suggestion, where it is used.
    std::map<std::string, std::set<std::string>> spawned;
    for (auto* x : with_verb("spawn")) spawned[x->task].insert(spawn_of(*x).second);
    for (auto& [task, names] : refs)
      for (auto& h : names)
        if (!spawned[task].count(h)) dynamic.insert(task);
    for (auto* x : with_verb("spawn")) {
      if (enclosing(*x, {"task_group"}) || dynamic.count(x->task)) continue;  // the group keeps it
      auto [task, handle] = spawn_of(*x);
      if (refs[x->task].count(handle)) continue;
      warn("unused-task", *x, "spawn",
           "the task '" + handle + "' is spawned but never awaited, gathered or cancelled: the event loop keeps only a weak reference to a task, "
           "so one nobody holds can be garbage-collected before it finishes, and an exception it raises is never retrieved (only logged). "
           "Await the handle later, or spawn it inside a task_group");
    }
  }

  void blocking_calls() {
    bool concurrent = false;
    for (auto& x : steps_)
      for (const char* v : {"spawn", "task_group", "gather", "wait", "as_completed"}) concurrent |= x.s.verb == v;
    if (!concurrent) return;
    for (auto* x : with_verb("block"))
      warn("blocking-call", *x, "block",
           "a blocking call (time.sleep, a synchronous HTTP request, heavy CPU work) freezes the event loop: while it runs no other task makes "
           "progress and every timer fires late. Await the async version (sleep:) or move the work off the loop with run_in_executor: or to_thread:");
  }

  void lock_held_sleeps() {
    for (auto* x : with_verb("sleep")) {
      const step_at* lock = enclosing(*x, {"lock", "condition"});
      auto d = constant_seconds(x->at("sleep"));
      if (!lock || !d || *d < 1.0) continue;
      std::string name = (*lock->step)[lock->verb].is_string() ? (*lock->step)[lock->verb].get<std::string>() : lock->verb;
      warn("lock-held-sleep", *x, "sleep",
           "this task sleeps " + seconds_text(*d) + " while holding '" + name + "': every other task that needs '" + name +
               "' waits all that time. Hold a lock only around the shared state it protects: do the slow part before or after the block");
    }
  }

  /// Tasks that can end with an exception: an unhandled raise step, or an unhandled await of
  /// a task that can (transitively).
  std::set<std::string> raising_tasks() const {
    std::map<std::string, std::set<std::string>> awaits;  // task -> tasks it awaits unguarded
    std::set<std::string> raising;
    std::map<std::string, std::map<std::string, std::string>> spawned;  // task -> handle -> task
    for (auto& x : steps_)
      if (x.s.verb == "spawn") spawned[x.task][spawn_of(x).second] = spawn_of(x).first;
    for (auto& x : steps_) {
      if (x.task.empty() || guarded(x)) continue;
      if (x.s.verb == "raise") raising.insert(x.task);
      if (x.s.verb == "cancel") continue;
      std::vector<std::string> hs, cs;
      refs_of(x, hs, cs);
      if (x.s.verb == "for_each") {
        const json& a = x.at("for_each");
        if (a.is_string()) cs.push_back(a.get<std::string>());
        if (a.is_object() && a.contains("gen") && a["gen"].is_string()) cs.push_back(a["gen"].get<std::string>());
      }
      if (x.s.verb == "gather" && x.has("return_exceptions") && x.at("return_exceptions") == true) continue;
      for (auto& h : hs)
        if (spawned[x.task].count(h)) cs.push_back(spawned[x.task][h]);
      awaits[x.task].insert(cs.begin(), cs.end());
    }
    for (bool grew = true; grew;) {
      grew = false;
      for (auto& [t, targets] : awaits)
        if (!raising.count(t))
          for (auto& c : targets)
            if (raising.count(c)) grew = raising.insert(t).second;
    }
    return raising;
  }

  void gather_errors() {
    auto raising = raising_tasks();
    for (auto* x : with_verb("gather")) {
      if ((x->has("return_exceptions") && x->at("return_exceptions") == true) || guarded(*x) || !x->at("gather").is_array()) continue;
      std::map<std::string, std::string> spawned;
      for (auto& y : steps_)
        if (y.s.verb == "spawn" && y.task == x->task) spawned[spawn_of(y).second] = spawn_of(y).first;
      std::string culprit;
      for (auto& i : x->at("gather")) {
        std::string t = i.is_object() && i.contains("call") && i["call"].is_string() ? i["call"].get<std::string>()
                        : i.is_string() && spawned.count(i.get<std::string>())  ? spawned[i.get<std::string>()]
                                                                                : "";
        if (!t.empty() && raising.count(t)) {
          culprit = t;
          break;
        }
      }
      if (culprit.empty()) continue;
      warn("gather-error", *x, "gather",
           "'" + culprit + "' can raise an exception, and this gather has neither return_exceptions: true nor a try/except around it: the first "
           "error propagates here while the other tasks keep running unwatched, and errors they raise later are never retrieved. Add "
           "`return_exceptions: true`, wrap the gather in try/except, or use a task_group (which cancels the rest)");
    }
  }

  /// Steps of `verb` naming object `name`.
  std::vector<const seen*> uses(const std::string& verb, const std::string& name) const {
    std::vector<const seen*> v;
    for (auto* x : with_verb(verb))
      if (x->str(verb.c_str()) == name) v.push_back(x);
    return v;
  }

  void queues_and_waits() {
    for (auto& [name, o] : sc_.objects) {
      if (o.kind == "queue") {
        auto puts = uses("put", name), gets = uses("get", name);
        if (!puts.empty() && gets.empty())
          warn("queue-no-consumer", *puts[0], "put",
               "items are put on the queue '" + name + "', but no step ever gets from it: nothing consumes them, a bounded queue fills up so put "
               "waits forever, and join() never returns. Add a consumer task with `get: " + name + "`");
        bool shut = !uses("shutdown", name).empty();
        if (puts.empty() && !shut)
          for (auto* g : gets)
            if (!(g->has("nowait") && g->at("nowait") == true) && !enclosing(*g, {"timeout"}))
              warn("never-completes", *g, "get",
                   "nothing ever puts an item on the queue '" + name + "', so this get waits forever (the run ends in a deadlock unless the task is "
                   "cancelled). Add a producer with `put: " + name + "`, or wait with a timeout");
        if (!puts.empty() && uses("task_done", name).empty())
          for (auto* j : uses("join", name))
            if (!enclosing(*j, {"timeout"}))
              warn("never-completes", *j, "join",
                   "join() waits until every item put on '" + name + "' is marked done, but no step ever calls task_done on it: this join never "
                   "returns. Call `task_done: " + name + "` after handling each item you get");
      } else if (o.kind == "event" && uses("set_event", name).empty()) {
        for (auto* w : uses("wait_event", name))
          if (!enclosing(*w, {"timeout"}))
            warn("never-completes", *w, "wait_event",
                 "nothing ever sets the event '" + name + "' (there is no `set_event: " + name + "` step), so this wait never ends: the task hangs "
                 "here until it is cancelled, or the run ends in a deadlock");
      } else if (o.kind == "condition" && uses("notify", name).empty() && uses("notify_all", name).empty()) {
        for (auto* w : uses("wait_condition", name))
          if (!enclosing(*w, {"timeout"}))
            warn("never-completes", *w, "wait_condition",
                 "nothing ever notifies the condition '" + name + "' (no `notify:` or `notify_all:` step), so this wait never ends unless the "
                 "task is cancelled");
      }
    }
  }

  const scenario& sc_;
  silence file_;
  std::vector<seen> steps_;
  std::vector<diagnostic> out_;
};

}  // namespace

const std::vector<lint_rule>& lint_rules() { return k_rules; }

std::vector<diagnostic> lint_scenario(const scenario& sc, const nlohmann::ordered_json& doc) {
  if (!doc.is_object()) return {};
  return linter(sc, doc).run();
}

}  // namespace aio::scenario
