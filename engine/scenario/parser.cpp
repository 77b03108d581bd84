// Scenario document → model, with every problem reported as a diagnostic at its JSON pointer.
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <set>

#include "scenario/model.hpp"

namespace aio::scenario {

namespace {

using json = nlohmann::json;

std::string escape(const std::string& key) {
  std::string out;
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
std::string ptr(const std::string& base, const std::string& key) { return base + "/" + escape(key); }
std::string ptr(const std::string& base, std::size_t i) { return base + "/" + std::to_string(i); }

const std::vector<std::string> k_top_keys = {"title", "description", "clock", "seed", "main", "tasks", "expect"};
const std::vector<std::string> k_verbs = {"print", "sleep", "set", "spawn", "await", "gather", "return"};
const std::map<std::string, std::vector<std::string>> k_modifiers = {
    {"print", {}},
    {"sleep", {}},
    {"set", {}},
    {"spawn", {"as", "args"}},
    {"await", {"as"}},
    {"gather", {"as", "return_exceptions"}},
    {"return", {}},
};

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

class checker {
 public:
  parse_result out;

  void error(const std::string& pointer, std::string msg) { out.diagnostics.push_back({diagnostic::level::error, std::move(msg), pointer}); }
  void warning(const std::string& pointer, std::string msg) { out.diagnostics.push_back({diagnostic::level::warning, std::move(msg), pointer}); }

  void unknown_key(const std::string& pointer, const std::string& key, const std::vector<std::string>& allowed, const std::string& where) {
    std::string msg = "unknown key '" + key + "' in " + where;
    if (auto s = did_you_mean(key, allowed))
      msg += ": did you mean '" + *s + "'?";
    else {
      msg += " (expected one of:";
      for (auto& a : allowed) msg += " " + a;
      msg += ")";
    }
    error(pointer, msg);
  }

  /// A template from any scalar (numbers and booleans become their text, keeping type via {..}).
  std::optional<templ> tmpl(const json& v, const std::string& pointer, const char* what) {
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

  void args_of(const json& v, const std::string& pointer, std::vector<std::pair<std::string, templ>>& out_args) {
    if (!v.is_object()) {
      error(pointer, std::string("args must be a map of parameter: value, not ") + type_of(v));
      return;
    }
    for (auto& [k, a] : v.items()) {
      if (auto t = tmpl(a, ptr(pointer, k), "an argument")) out_args.emplace_back(k, std::move(*t));
    }
  }

  std::optional<call_spec> call_of(const json& v, const std::string& pointer) {
    if (!v.is_object() || !v.contains("call")) {
      error(pointer, "expected {call: task-name, args: {...}}");
      return std::nullopt;
    }
    call_spec c;
    c.pointer = pointer;
    for (auto& [k, x] : v.items()) {
      if (k == "call") {
        if (!x.is_string())
          error(ptr(pointer, k), "call names a task: a string");
        else
          c.task = x.get<std::string>();
      } else if (k == "args") {
        args_of(x, ptr(pointer, k), c.args);
      } else {
        unknown_key(ptr(pointer, k), k, {"call", "args"}, "a call");
      }
    }
    return c;
  }

  std::optional<awaitable_ref> awaitable_of(const json& v, const std::string& pointer) {
    awaitable_ref r;
    r.pointer = pointer;
    if (v.is_string()) {
      r.handle = v.get<std::string>();
      return r;
    }
    if (v.is_object()) {
      auto c = call_of(v, pointer);
      if (!c) return std::nullopt;
      r.call = std::move(*c);
      return r;
    }
    error(pointer, std::string("expected a task handle (a name) or {call: task-name}, not ") + type_of(v));
    return std::nullopt;
  }

  block block_of(const json& v, const std::string& pointer) {
    block b;
    if (!v.is_array()) {
      error(pointer, std::string("steps must be a list, not ") + type_of(v));
      return b;
    }
    for (std::size_t i = 0; i < v.size(); ++i)
      if (auto s = step_of(v[i], ptr(pointer, i))) b.push_back(std::move(*s));
    return b;
  }

  std::optional<step> step_of(const json& v, const std::string& pointer) {
    if (v.is_string()) {
      std::string word = v.get<std::string>();
      std::string msg = "a step is a map like `- print: hello`, not the bare word '" + word + "'";
      if (auto s = did_you_mean(word, k_verbs)) msg += " (did you mean '" + *s + ": ...'?)";
      error(pointer, msg);
      return std::nullopt;
    }
    if (!v.is_object() || v.empty()) {
      error(pointer, std::string("a step is a map with one action (print, sleep, ...), not ") + type_of(v));
      return std::nullopt;
    }
    std::string verb;
    for (auto& [k, x] : v.items())
      if (std::find(k_verbs.begin(), k_verbs.end(), k) != k_verbs.end()) {
        if (!verb.empty()) {
          error(pointer, "a step has one action, but this one has both '" + verb + "' and '" + k + "': split it into two steps");
          return std::nullopt;
        }
        verb = k;
      }
    if (verb.empty()) {
      std::string first = v.begin().key();
      std::string msg = "unknown step '" + first + "'";
      if (auto s = did_you_mean(first, k_verbs))
        msg += ": did you mean '" + *s + "'?";
      else {
        msg += " (steps:";
        for (auto& a : k_verbs) msg += " " + a;
        msg += ")";
      }
      error(ptr(pointer, first), msg);
      return std::nullopt;
    }
    auto& mods = k_modifiers.at(verb);
    for (auto& [k, x] : v.items()) {
      if (k == verb || std::find(mods.begin(), mods.end(), k) != mods.end()) continue;
      std::vector<std::string> allowed = mods;
      allowed.push_back(verb);
      unknown_key(ptr(pointer, k), k, allowed, "a '" + verb + "' step");
    }
    step s;
    s.pointer = pointer;
    const json& arg = v.at(verb);
    std::string ap = ptr(pointer, verb);
    std::string as = v.contains("as") ? (v["as"].is_string() ? v["as"].get<std::string>() : "") : "";
    if (v.contains("as") && as.empty()) error(ptr(pointer, "as"), "'as' names a variable: a non-empty string");
    bool ok = true;
    if (verb == "print") {
      s.op = step::kind::print;
      auto t = tmpl(arg, ap, "print");
      if (!t) return std::nullopt;
      s.value = std::move(*t);
    } else if (verb == "sleep") {
      s.op = step::kind::sleep;
      auto t = tmpl(arg, ap, "sleep");
      if (!t) return std::nullopt;
      if (arg.is_number() || t->is_constant()) {
        std::string err;
        if (!parse_duration(arg, &err)) error(ap, err);
      }
      s.value = std::move(*t);
    } else if (verb == "set") {
      s.op = step::kind::set;
      if (!arg.is_object() || arg.empty()) {
        error(ap, "set takes a map of variable: value, e.g. `set: {count: 0}`");
        return std::nullopt;
      }
      for (auto& [k, x] : arg.items()) {
        if (k == "now") error(ptr(ap, k), "'now' is the loop's clock and cannot be set");
        if (auto t = tmpl(x, ptr(ap, k), "a value")) s.sets.emplace_back(k, std::move(*t));
      }
    } else if (verb == "spawn") {
      s.op = step::kind::spawn;
      if (arg.is_string()) {
        s.call.task = arg.get<std::string>();
        s.call.pointer = ap;
        if (v.contains("args")) args_of(v["args"], ptr(pointer, "args"), s.call.args);
      } else if (auto c = call_of(arg, ap)) {
        s.call = std::move(*c);
      } else {
        ok = false;
      }
      s.name = as.empty() ? s.call.task : as;
    } else if (verb == "await") {
      s.op = step::kind::await;
      auto r = awaitable_of(arg, ap);
      if (!r) return std::nullopt;
      s.target = std::move(*r);
      s.name = as;
    } else if (verb == "gather") {
      s.op = step::kind::gather;
      if (!arg.is_array()) {
        error(ap, "gather takes a list of handles or calls");
        return std::nullopt;
      }
      for (std::size_t i = 0; i < arg.size(); ++i)
        if (auto r = awaitable_of(arg[i], ptr(ap, i))) s.items.push_back(std::move(*r));
      s.name = as;
      if (v.contains("return_exceptions")) {
        if (!v["return_exceptions"].is_boolean())
          error(ptr(pointer, "return_exceptions"), "return_exceptions is true or false");
        else
          s.return_exceptions = v["return_exceptions"].get<bool>();
      }
    } else if (verb == "return") {
      s.op = step::kind::ret;
      auto t = tmpl(arg, ap, "return");
      if (!t) return std::nullopt;
      s.value = std::move(*t);
    }
    if (!ok) return std::nullopt;
    return s;
  }

  void task_of(const std::string& name, const json& v, const std::string& pointer) {
    task_def t;
    t.name = name;
    t.pointer = pointer;
    if (v.is_array()) {
      t.steps = block_of(v, pointer);
    } else if (v.is_object()) {
      for (auto& [k, x] : v.items()) {
        if (k == "steps") {
          t.steps = block_of(x, ptr(pointer, k));
        } else if (k == "params") {
          if (!x.is_array()) {
            error(ptr(pointer, k), "params is a list of names");
            continue;
          }
          for (std::size_t i = 0; i < x.size(); ++i) {
            if (!x[i].is_string())
              error(ptr(ptr(pointer, k), i), "a parameter is a name");
            else
              t.params.push_back(x[i].get<std::string>());
          }
        } else if (k != "description") {
          unknown_key(ptr(pointer, k), k, {"steps", "params", "description"}, "a task");
        }
      }
      if (!v.contains("steps")) error(pointer, "task '" + name + "' has no steps");
    } else {
      error(pointer, "a task is a list of steps or a map with steps: and params:");
      return;
    }
    out.value.tasks.emplace(name, std::move(t));
  }

  // Second pass: every call names a task that exists, with parameters it has.
  void check_call(const call_spec& c) {
    auto it = out.value.tasks.find(c.task);
    if (it == out.value.tasks.end()) {
      std::vector<std::string> names;
      for (auto& [n, t] : out.value.tasks) names.push_back(n);
      std::string msg = "no task named '" + c.task + "'";
      if (auto s = did_you_mean(c.task, names)) msg += ": did you mean '" + *s + "'?";
      error(c.pointer, msg);
      return;
    }
    auto& params = it->second.params;
    for (auto& [k, a] : c.args)
      if (std::find(params.begin(), params.end(), k) == params.end()) {
        std::string msg = "task '" + c.task + "' has no parameter '" + k + "'";
        if (auto s = did_you_mean(k, params)) msg += ": did you mean '" + *s + "'?";
        error(c.pointer + "/args/" + escape(k), msg);
      }
    for (auto& p : params) {
      bool given = std::any_of(c.args.begin(), c.args.end(), [&](auto& a) { return a.first == p; });
      if (!given) error(c.pointer, "the call of '" + c.task + "' is missing the argument '" + p + "'");
    }
  }
  void check_block(const block& b) {
    for (auto& s : b) {
      if (s.op == step::kind::spawn) check_call(s.call);
      if (s.op == step::kind::await && s.target.call) check_call(*s.target.call);
      if (s.op == step::kind::gather)
        for (auto& i : s.items)
          if (i.call) check_call(*i.call);
    }
  }
};

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
  else if (unit == "us" || unit == "µs")
    scale = 1e-6;
  else
    return fail("'" + s + "' has an unknown unit '" + unit + "': use ms, s, m or h");
  if (!(d >= 0) || std::isinf(d)) return fail("a duration must be zero or more, got '" + s + "'");
  return unit == "ms" ? d / 1000.0 : d * scale;
}

parse_result parse_scenario(const nlohmann::json& doc) {
  checker c;
  if (!doc.is_object()) {
    c.error("", std::string("a scenario is a map with tasks: (and title:, clock:, main:), not ") + type_of(doc));
    return std::move(c.out);
  }
  auto& sc = c.out.value;
  for (auto& [k, v] : doc.items()) {
    std::string p = ptr("", k);
    if (k == "title" || k == "description") {
      if (!v.is_string())
        c.error(p, k + " is text");
      else
        (k == "title" ? sc.title : sc.description) = v.get<std::string>();
    } else if (k == "clock") {
      if (v != "virtual" && v != "real")
        c.error(p, "clock is 'virtual' (instant, deterministic) or 'real' (wall time)");
      else
        sc.clock = v.get<std::string>();
    } else if (k == "seed") {
      if (!v.is_number_integer() && !v.is_number_unsigned())
        c.error(p, "seed is a whole number");
      else
        sc.seed = v.get<std::uint64_t>();
    } else if (k == "main") {
      if (!v.is_string())
        c.error(p, "main names the task to run first");
      else
        sc.main = v.get<std::string>();
    } else if (k == "tasks") {
      if (!v.is_object() || v.empty()) {
        c.error(p, "tasks is a map of task-name: steps");
        continue;
      }
      for (auto& [name, t] : v.items()) c.task_of(name, t, ptr(p, name));
    } else if (k == "expect") {
      // Checked by the runners (issue: expect lines); accepted here.
    } else {
      c.unknown_key(p, k, k_top_keys, "the scenario");
    }
  }
  if (!doc.contains("tasks")) {
    c.error("", "the scenario has no tasks: add `tasks:` with a `main:` task");
    return std::move(c.out);
  }
  if (!sc.tasks.count(sc.main)) {
    std::vector<std::string> names;
    for (auto& [n, t] : sc.tasks) names.push_back(n);
    std::string msg = "there is no task '" + sc.main + "' to start with";
    if (auto s = did_you_mean(sc.main, names)) msg += ": did you mean '" + *s + "'?";
    c.error(doc.contains("main") ? "/main" : "/tasks", msg);
  } else if (!sc.tasks[sc.main].params.empty()) {
    c.error(sc.tasks[sc.main].pointer, "the main task '" + sc.main + "' cannot take parameters");
  }
  for (auto& [n, t] : sc.tasks) c.check_block(t.steps);
  return std::move(c.out);
}

}  // namespace aio::scenario
