// Scenario document → model, with every problem reported as a diagnostic at its JSON pointer.
// The document and task levels live here; each verb parses itself (steps_<family>.cpp).
#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "scenario/lint.hpp"
#include "scenario/parse_context.hpp"

namespace aio::scenario {

namespace {

const std::vector<std::string> k_top_keys = {"title", "description", "clock", "seed", "main", "tasks", "shared", "servers", "contexts", "expect", "nolint"};

std::vector<std::string> verb_names() {
  std::vector<std::string> v;
  for (auto& vb : verbs()) v.push_back(vb.name);
  return v;
}

std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j)
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (std::tolower(a[i - 1]) == std::tolower(b[j - 1]) ? 0 : 1)});
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

}  // namespace

std::string ptr(const std::string& base, const std::string& key) {
  std::string out = base + "/";
  for (char c : key) {
    if (c == '~')
      out += "~0";
    else if (c == '/')
      out += "~1";
    else
      out += c;
  }
  return out;
}
std::string ptr(const std::string& base, std::size_t i) { return base + "/" + std::to_string(i); }

const char* type_of(const json& v) {
  switch (v.type()) {
    case json::value_t::null: return "nothing";
    case json::value_t::boolean: return "a boolean";
    case json::value_t::string: return "a string";
    case json::value_t::array: return "a list";
    case json::value_t::object: return "a map";
    default: return "a number";
  }
}

void parse_context::error(const std::string& pointer, std::string msg) { diagnostics.push_back({diagnostic::level::error, std::move(msg), pointer}); }
void parse_context::warning(const std::string& pointer, std::string msg) { diagnostics.push_back({diagnostic::level::warning, std::move(msg), pointer}); }

void parse_context::unknown_key(const std::string& pointer, const std::string& key, const std::vector<std::string>& allowed, const std::string& where) {
  std::string msg = "unknown key '" + key + "' in " + where;
  if (auto s = did_you_mean(key, allowed)) {
    msg += ": did you mean '" + *s + "'?";
  } else {
    msg += " (expected one of:";
    for (auto& a : allowed) msg += " " + a;
    msg += ")";
  }
  error(pointer, msg);
}

std::optional<templ> parse_context::tmpl(const json& v, const std::string& pointer, const char* what) {
  std::string text;
  if (v.is_string())
    text = v.get<std::string>();
  else if (v.is_number() || v.is_boolean() || v.is_null())
    text = "{" + (v.is_null() ? std::string("null") : v.dump()) + "}";
  else {
    error(pointer, std::string(what) + " must be a single value, not " + type_of(v));
    return std::nullopt;
  }
  try {
    return templ::parse(text);
  } catch (const expr_error& e) {
    error(pointer, std::string("bad expression in ") + what + " (column " + std::to_string(e.column) + "): " + e.what());
    return std::nullopt;
  }
}

std::optional<std::string> parse_context::name(const json& v, const std::string& pointer, const char* what) {
  if (!v.is_string() || v.get_ref<const std::string&>().empty()) {
    error(pointer, std::string(what) + " is a name: a non-empty string, not " + type_of(v));
    return std::nullopt;
  }
  return v.get<std::string>();
}

std::optional<templ> parse_context::duration(const json& v, const std::string& pointer, const char* what) {
  auto t = tmpl(v, pointer, what);
  if (t && (v.is_number() || t->is_constant())) {
    std::string err;
    if (!parse_duration(v, &err)) {
      error(pointer, err);
      return std::nullopt;
    }
  }
  return t;
}

void parse_context::args(const json& v, const std::string& pointer, std::vector<std::pair<std::string, templ>>& out) {
  if (!v.is_object()) {
    error(pointer, std::string("args must be a map of parameter: value, not ") + type_of(v));
    return;
  }
  for (auto& [k, a] : v.items())
    if (auto t = tmpl(a, ptr(pointer, k), "an argument")) out.emplace_back(k, std::move(*t));
}

std::optional<call_spec> parse_context::call(const json& v, const std::string& pointer) {
  if (!v.is_object() || !v.contains("call")) {
    error(pointer, "expected {call: task-name, args: {...}}");
    return std::nullopt;
  }
  call_spec c;
  c.pointer = pointer;
  for (auto& [k, x] : v.items()) {
    if (k == "call") {
      if (auto n = name(x, ptr(pointer, k), "call")) c.task = *n;
    } else if (k == "args") {
      args(x, ptr(pointer, k), c.args);
    } else {
      unknown_key(ptr(pointer, k), k, {"call", "args"}, "a call");
    }
  }
  if (c.task.empty()) return std::nullopt;
  calls.push_back(c);
  return c;
}

std::optional<awaitable_ref> parse_context::awaitable(const json& v, const std::string& pointer) {
  awaitable_ref r;
  r.pointer = pointer;
  if (v.is_string()) {
    r.handle = v.get<std::string>();
    return r;
  }
  if (v.is_object()) {
    auto c = call(v, pointer);
    if (!c) return std::nullopt;
    r.call = std::move(*c);
    return r;
  }
  error(pointer, std::string("expected a task handle (a name) or {call: task-name}, not ") + type_of(v));
  return std::nullopt;
}

block parse_context::steps(const json& v, const std::string& pointer) {
  block b;
  if (!v.is_array()) {
    error(pointer, std::string("steps must be a list, not ") + type_of(v));
    return b;
  }
  for (std::size_t i = 0; i < v.size(); ++i)
    if (auto s = step(v[i], ptr(pointer, i))) b.push_back(std::move(s));
  return b;
}

step_ptr parse_context::step(const json& v, const std::string& pointer) {
  const auto names = verb_names();
  if (v.is_string() && (v == "break" || v == "continue")) return step(json{{v.get<std::string>(), true}}, pointer);
  if (v.is_string()) {
    std::string word = v.get<std::string>();
    std::string msg = "a step is a map like `- print: hello`, not the bare word '" + word + "'";
    if (auto s = did_you_mean(word, names)) msg += " (did you mean '" + *s + ": ...'?)";
    error(pointer, msg);
    return nullptr;
  }
  if (!v.is_object() || v.empty()) {
    error(pointer, std::string("a step is a map with one action (print, sleep, ...), not ") + type_of(v));
    return nullptr;
  }
  // The verb is the key that names one; a key that is also a modifier of another verb present
  // (`timeout:` on a wait step) is that modifier.
  std::vector<const verb*> present;
  for (auto& [k, x] : v.items())
    for (auto& vb : verbs())
      if (vb.name == k) present.push_back(&vb);
  if (present.size() > 1) {
    std::vector<const verb*> main;
    for (auto* c : present) {
      bool modifier = false;
      for (auto* o : present)
        if (o != c && std::find(o->modifiers.begin(), o->modifiers.end(), c->name) != o->modifiers.end()) modifier = true;
      if (!modifier) main.push_back(c);
    }
    present = main;
  }
  if (present.size() > 1) {
    error(pointer, "a step has one action, but this one has both '" + present[0]->name + "' and '" + present[1]->name + "': split it into two steps");
    return nullptr;
  }
  const verb* found = present.empty() ? nullptr : present[0];
  if (!found) {
    std::string first = v.begin().key();
    std::string msg = "unknown step '" + first + "'";
    if (auto s = did_you_mean(first, names)) {
      msg += ": did you mean '" + *s + "'?";
    } else {
      msg += " (steps:";
      for (auto& a : names) msg += " " + a;
      msg += ")";
    }
    error(ptr(pointer, first), msg);
    return nullptr;
  }
  bool keys_ok = true;
  for (auto& [k, x] : v.items()) {
    if (k == found->name || std::find(found->modifiers.begin(), found->modifiers.end(), k) != found->modifiers.end()) continue;
    if (k == "nolint") continue;  // any step may silence the learner lints (lint.hpp checks it)
    std::vector<std::string> allowed = found->modifiers;
    allowed.push_back(found->name);
    unknown_key(ptr(pointer, k), k, allowed, "a '" + found->name + "' step");
    keys_ok = false;
  }
  auto node = found->parse(*this, v, pointer);
  if (!node || !keys_ok) return nullptr;
  return node;
}

std::optional<std::string> did_you_mean(const std::string& word, const std::vector<std::string>& options) {
  std::optional<std::string> best;
  std::size_t best_d = std::max<std::size_t>(2, word.size() / 3) + 1;
  for (auto& o : options) {
    std::size_t d = edit_distance(word, o);
    if (d < best_d) {
      best_d = d;
      best = o;
    }
  }
  return best;
}

std::optional<double> parse_duration(const value& v, std::string* error) {
  auto fail = [&](const std::string& m) -> std::optional<double> {
    if (error) *error = m;
    return std::nullopt;
  };
  if (v.is_number()) {
    double d = v.get<double>();
    if (!(d >= 0) || std::isinf(d)) return fail("a duration must be zero or more, got " + to_display(v));
    return d;
  }
  if (!v.is_string()) return fail("a duration is a number of seconds or a string like 250ms or 1.5s");
  const std::string& s = v.get_ref<const std::string&>();
  char* end = nullptr;
  double d = std::strtod(s.c_str(), &end);
  std::string unit = end ? std::string(end) : "";
  unit.erase(0, unit.find_first_not_of(' '));
  if (end == s.c_str()) return fail("'" + s + "' is not a duration: write e.g. 250ms, 1.5s, 2m or a number of seconds");
  double scale;
  if (unit.empty() || unit == "s")
    scale = 1;
  else if (unit == "ms")
    scale = 0.001;
  else if (unit == "m" || unit == "min")
    scale = 60;
  else if (unit == "h")
    scale = 3600;
  else
    return fail("'" + s + "' has an unknown unit '" + unit + "': use ms, s, m or h");
  if (!(d >= 0) || std::isinf(d)) return fail("a duration must be zero or more, got '" + s + "'");
  return unit == "ms" ? d / 1000.0 : d * scale;  // ms divides: 250ms is exactly 0.25 like Python's 250 / 1000
}

namespace {

void parse_task(parse_context& pc, scenario& sc, const std::string& name, const json& v, const std::string& pointer) {
  task_def t;
  t.name = name;
  t.pointer = pointer;
  if (v.is_array()) {
    t.steps = pc.steps(v, pointer);
  } else if (v.is_object()) {
    for (auto& [k, x] : v.items()) {
      if (k == "steps") {
        t.steps = pc.steps(x, ptr(pointer, k));
      } else if (k == "params") {
        if (!x.is_array()) {
          pc.error(ptr(pointer, k), "params is a list of names");
          continue;
        }
        for (std::size_t i = 0; i < x.size(); ++i)
          if (auto n = pc.name(x[i], ptr(ptr(pointer, k), i), "a parameter")) t.params.push_back(*n);
      } else if (k != "description") {
        pc.unknown_key(ptr(pointer, k), k, {"steps", "params", "description"}, "a task");
      }
    }
    if (!v.contains("steps")) pc.error(pointer, "task '" + name + "' has no steps");
  } else {
    pc.error(pointer, "a task is a list of steps or a map with steps: and params:");
    return;
  }
  sc.tasks.emplace(name, std::move(t));
}

// Every call names a task that exists, with the parameters it has.
void check_call(parse_context& pc, const scenario& sc, const call_spec& c) {
  auto it = sc.tasks.find(c.task);
  if (it == sc.tasks.end()) {
    std::vector<std::string> names;
    for (auto& [n, t] : sc.tasks) names.push_back(n);
    std::string msg = "no task named '" + c.task + "'";
    if (auto s = did_you_mean(c.task, names)) msg += ": did you mean '" + *s + "'?";
    pc.error(c.pointer, msg);
    return;
  }
  auto& params = it->second.params;
  for (auto& [k, a] : c.args)
    if (std::find(params.begin(), params.end(), k) == params.end()) {
      std::string msg = "task '" + c.task + "' has no parameter '" + k + "'";
      if (auto s = did_you_mean(k, params)) msg += ": did you mean '" + *s + "'?";
      pc.error(ptr(c.pointer + "/args", k), msg);
    }
  for (auto& p : params)
    if (std::none_of(c.args.begin(), c.args.end(), [&](auto& a) { return a.first == p; }))
      pc.error(c.pointer, "the call of '" + c.task + "' is missing the argument '" + p + "'");
}

// Every object a step names is declared, with a kind that step can use.
std::string with_article(const std::string& word) { return (std::string("aeiou").find(word[0]) != std::string::npos ? "an " : "a ") + word; }

void check_ref(parse_context& pc, const scenario& sc, const parse_context::object_ref& r) {
  if (r.kinds == std::vector<std::string>{"server"} || r.kinds == std::vector<std::string>{"context"}) {
    bool server = r.kinds[0] == "server";
    std::vector<std::string> names;
    if (server)
      for (auto& [n, s] : sc.servers) names.push_back(n);
    else
      for (auto& [n, c] : sc.contexts) names.push_back(n);
    if (std::find(names.begin(), names.end(), r.name) != names.end()) return;
    std::string msg = "no " + r.kinds[0] + " named '" + r.name + "'";
    if (auto s = did_you_mean(r.name, names))
      msg += ": did you mean '" + *s + "'?";
    else
      msg += server ? ": declare it under `servers:`" : ": declare it under `contexts:` with enter: and exit: steps";
    pc.error(r.pointer, msg);
    return;
  }
  auto it = sc.objects.find(r.name);
  std::string kinds;
  for (auto& k : r.kinds) kinds += (kinds.empty() ? "" : " or ") + k;
  if (it == sc.objects.end()) {
    std::vector<std::string> names;
    for (auto& [n, o] : sc.objects)
      if (std::find(r.kinds.begin(), r.kinds.end(), o.kind) != r.kinds.end()) names.push_back(n);
    std::string msg = "no " + kinds + " named '" + r.name + "'";
    if (auto s = did_you_mean(r.name, names))
      msg += ": did you mean '" + *s + "'?";
    else
      msg += ": declare it at the top, e.g. `" + r.kinds[0] + (r.kinds[0] == "queue" ? "s: {" + r.name + ": {maxsize: 0}}`" : "s: [" + r.name + "]`");
    pc.error(r.pointer, msg);
  } else if (std::find(r.kinds.begin(), r.kinds.end(), it->second.kind) == r.kinds.end()) {
    pc.error(r.pointer, "'" + r.name + "' is " + with_article(it->second.kind) + ", but this step needs " + with_article(kinds));
  }
}

}  // namespace

std::optional<std::string> parse_context::object(const json& v, const std::string& pointer, std::vector<std::string> kinds) {
  auto n = name(v, pointer, "the object's name");
  if (n) refs.push_back({*n, std::move(kinds), pointer});
  return n;
}

parse_result parse_scenario(const nlohmann::ordered_json& doc) {
  parse_context pc;
  parse_result out;
  auto& sc = out.value;
  if (!doc.is_object()) {
    pc.error("", std::string("a scenario is a map with tasks: (and title:, clock:, main:), not ") + type_of(doc));
    out.diagnostics = std::move(pc.diagnostics);
    return out;
  }
  for (auto& [k, v] : doc.items()) {
    std::string p = ptr("", k);
    if (k == "title" || k == "description") {
      if (!v.is_string())
        pc.error(p, k + " is text");
      else
        (k == "title" ? sc.title : sc.description) = v.get<std::string>();
    } else if (k == "clock") {
      if (v != "virtual" && v != "real")
        pc.error(p, "clock is 'virtual' (instant, deterministic) or 'real' (wall time)");
      else
        sc.clock = v.get<std::string>();
    } else if (k == "seed") {
      if (!v.is_number_unsigned())
        pc.error(p, "seed is a whole number, zero or more");
      else
        sc.seed = v.get<std::uint64_t>();
    } else if (k == "main") {
      if (auto n = pc.name(v, p, "main")) sc.main = *n;
    } else if (k == "tasks") {
      if (!v.is_object() || v.empty()) {
        pc.error(p, "tasks is a map of task-name: steps");
        continue;
      }
      for (auto& [name, t] : v.items()) parse_task(pc, sc, name, t, ptr(p, name));
    } else if (std::find(declaration_keys().begin(), declaration_keys().end(), k) != declaration_keys().end()) {
      parse_declarations(pc, sc, k, v, p);
    } else if (k == "servers") {
      parse_servers(pc, sc, v, p);
    } else if (k == "contexts") {
      parse_contexts(pc, sc, v, p);
    } else if (k == "shared") {
      if (!v.is_object()) {
        pc.error(p, "shared is a map of variable: initial value, e.g. `shared: {counter: 0}`");
        continue;
      }
      for (auto& [name, init] : v.items()) {
        if (init.is_string() && init.get<std::string>().find('{') != std::string::npos)
          pc.error(ptr(p, name), "a shared variable starts with a plain value (no {expressions})");
        sc.shared[name] = init;
      }
    } else if (k == "nolint") {
      // The lints this file opts out of (lint.cpp checks the value).
    } else if (k == "expect") {
      // The lines are matched against a run's prints by web/src/state/expect.js (the page's
      // report, the CLI's run --check); here only their shape is checked.
      if (!v.is_array()) {
        pc.error(p, "expect is a list of expected print lines, e.g. `- \"[   500ms] done\"`");
      } else {
        for (std::size_t i = 0; i < v.size(); ++i)
          if (v[i].is_structured() || v[i].is_null()) pc.error(ptr(p, i), std::string("an expected line is text, not ") + type_of(v[i]) + " (quote it)");
      }
    } else {
      std::vector<std::string> keys = k_top_keys;
      keys.insert(keys.end(), declaration_keys().begin(), declaration_keys().end());
      pc.unknown_key(p, k, keys, "the scenario");
    }
  }
  if (!doc.contains("tasks")) {
    pc.error("", "the scenario has no tasks: add `tasks:` with a `main:` task");
  } else if (!sc.tasks.count(sc.main)) {
    std::vector<std::string> names;
    for (auto& [n, t] : sc.tasks) names.push_back(n);
    std::string msg = "there is no task '" + sc.main + "' to start with";
    if (auto s = did_you_mean(sc.main, names)) msg += ": did you mean '" + *s + "'?";
    pc.error(doc.contains("main") ? "/main" : "/tasks", msg);
  } else if (!sc.tasks[sc.main].params.empty()) {
    pc.error(sc.tasks[sc.main].pointer, "the main task '" + sc.main + "' cannot take parameters");
  }
  check_generators(pc, sc, doc);  // before the calls: they are checked against generator tasks too
  for (auto& c : pc.calls) check_call(pc, sc, c);
  for (auto& r : pc.refs) check_ref(pc, sc, r);
  out.diagnostics = std::move(pc.diagnostics);
  if (out.ok())  // learner lints (lint.hpp): warnings, only for a scenario without errors
    for (auto& w : lint_scenario(sc, doc)) out.diagnostics.push_back(std::move(w));
  return out;
}

}  // namespace aio::scenario
