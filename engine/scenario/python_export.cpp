#include "scenario/python_export.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <sstream>

#include "scenario/python_writer.hpp"

namespace aio::scenario {

namespace {

// ---- the prelude: each helper with what it calls and imports, in the order they are written ----

struct helper {
  const char* name;
  std::vector<std::string> deps;     // other helpers it calls
  std::vector<std::string> imports;  // modules it needs
  const char* code;
};

const std::vector<helper>& prelude() {
  static const std::vector<helper> all = {
      {"now", {}, {}, R"PY(T0 = 0.0  # the loop's time when the run started (set by _main)


def now():
    """Milliseconds since the run started, rounded to the microsecond like the playground."""
    us = (asyncio.get_running_loop().time() - T0) * 1000.0 * 1000.0
    whole = int(us)
    return (whole + (us - whole >= 0.5)) / 1000.0
)PY"},
      {"fmt", {}, {"json", "math"}, R"PY(def fmt(value):
    """A value as the playground prints it: 3 (not 3.0), 0.1, true/false/null, lists as JSON."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, (int, float)):
        x = float(value)
        if math.isnan(x) or math.isinf(x):
            return str(x)
        if x == int(x) and abs(x) < 1e15:
            return "%.0f" % x if x else "0"
        for digits in range(1, 18):  # the shortest %g form that reads back as the same float
            text = "%.*g" % (digits, x)
            if float(text) == x:
                break
        return text
    return _json(value)


def _json(value):
    """Compact JSON, every number a double (1.0, 1e+16), as the engine writes it."""
    if isinstance(value, dict):
        return "{" + ",".join(_json(str(k)) + ":" + _json(v) for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(_json(v) for v in value) + "]"
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    x = float(value)
    if math.isnan(x) or math.isinf(x):
        return "null"
    if x == 0:
        return "0.0"  # -0.0 too: the engine has no negative zero
    for precision in range(17):  # the shortest digits that read back as the same float
        text = "%.*e" % (precision, abs(x))
        if float(text) == abs(x):
            break
    mantissa, _, exp = text.partition("e")
    digits = mantissa.replace(".", "").rstrip("0")
    point = int(exp) + 1  # where the decimal point goes, counted from the first digit
    sign, k = ("-" if x < 0 else ""), len(digits)
    if k <= point <= 15:
        return sign + digits + "0" * (point - k) + ".0"
    if 0 < point <= 15:
        return sign + digits[:point] + "." + digits[point:]
    if -4 < point <= 0:
        return sign + "0." + "0" * -point + digits
    e = point - 1
    return sign + digits[0] + ("." + digits[1:] if k > 1 else "") + "e" + ("-" if e < 0 else "+") + "%02d" % abs(e)
)PY"},
      {"out", {"now", "fmt"}, {}, R"PY(def out(value):
    """Print a line as the playground's terminal shows it: [   500ms] text."""
    print(f"[{fmt(now()):>6}ms] {fmt(value)}")
)PY"},
      {"dur", {}, {"re"}, R"PY(_DURATION = re.compile(r"\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?) *(ms|s|min|m|h|)")


def dur(value):
    """Seconds for a duration: a number of seconds, or text like "250ms", "1.5s", "2m", "1h"."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        seconds = value
    else:
        match = _DURATION.fullmatch(str(value))
        if not match:
            raise ValueError(f"{value!r} is not a duration: write e.g. 250ms, 1.5s, 2m or seconds")
        number, unit = float(match[1]), match[2]
        seconds = number / 1000 if unit == "ms" else number * {"": 1, "s": 1, "m": 60, "min": 60, "h": 3600}[unit]
    if not 0 <= seconds < math.inf:
        raise ValueError(f"a duration must be zero or more, got {value!r}")
    return seconds
)PY"},
      {"idx", {}, {}, R"PY(def idx(i):
    """An index: the scenario's numbers are floats, Python wants ints (x[idx(1.0)] is x[1])."""
    return int(i) if isinstance(i, float) else i
)PY"},
      {"to_int", {}, {}, R"PY(def to_int(x):
    """int() as the scenario has it: truncates numbers and numeric text ("3.7" is 3)."""
    return int(float(x)) if isinstance(x, str) else int(x)
)PY"},
      {"frange", {}, {}, R"PY(def frange(*args):
    """range() as a list, floats allowed: frange(3), frange(1, 2, 0.25)."""
    start, stop, step = (0, args[0], 1) if len(args) == 1 else (args + (1,))[:3]
    if step == 0:
        raise ValueError("range() step must not be zero")
    if all(isinstance(a, int) for a in (start, stop, step)):
        return list(range(start, stop, step))
    items, x = [], start
    while (x < stop) if step > 0 else (x > stop):
        items.append(x)
        x += step
    return items
)PY"},
      {"rnd_random", {}, {}, R"PY(_rng_state = SEED


def rnd_random():
    """random(): the playground's seeded splitmix64, so every run draws the same numbers."""
    global _rng_state
    mask = (1 << 64) - 1
    _rng_state = z = (_rng_state + 0x9E3779B97F4A7C15) & mask
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & mask
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & mask
    z ^= z >> 31
    return (z >> 11) / 2**53  # 53 random bits: a float in [0, 1)
)PY"},
      {"rnd_randint", {"rnd_random"}, {"math"}, R"PY(def rnd_randint(a, b):
    """randint(a, b): a whole number from a to b inclusive, from the seeded generator."""
    if b < a:
        raise ValueError("randint(a, b) needs a <= b")
    return a + math.floor(rnd_random() * (b - a + 1))
)PY"},
      {"err_value", {}, {}, R"PY(def err_value(exc):
    """An exception as the scenario sees it: {"error": "ValueError", "message": "bad input"}."""
    message = str(exc.args[0]) if len(exc.args) == 1 else str(exc)  # KeyError('k') says k, not 'k'
    return {"error": type(exc).__name__, "message": message}
)PY"},
      {"outcomes", {"err_value"}, {}, R"PY(def outcomes(results):
    """gather(..., return_exceptions=True) results, with each exception as err_value()."""
    return [err_value(r) if isinstance(r, BaseException) else r for r in results]
)PY"},
      {"_error_class", {}, {"builtins"}, R"PY(_ASYNCIO_ERRORS = {"CancelledError", "InvalidStateError", "QueueEmpty", "QueueFull", "QueueShutDown", "BrokenBarrierError"}
_ERROR_CLASSES = {}


def _error_class(name):
    """The class for an exception type name: asyncio's, declared above, builtin, or made now."""
    if name not in _ERROR_CLASSES:
        if name in _ASYNCIO_ERRORS:
            candidates = [getattr(asyncio, name, None)]
        else:
            candidates = [globals().get(name), getattr(builtins, name, None)]
        usable = [c for c in candidates if c is asyncio.CancelledError or isinstance(c, type) and issubclass(c, Exception)
                  and not issubclass(c, (StopIteration, StopAsyncIteration))]
        _ERROR_CLASSES[name] = usable[0] if usable else type(name, (Exception,), {})
    return _ERROR_CLASSES[name]
)PY"},
      {"make_error", {"fmt", "_error_class"}, {}, R"PY(def make_error(text):
    """The exception a raise step raises: "ValueError: bad input" is ValueError("bad input")."""
    name, _, message = fmt(text).partition(":")
    name, message = name or "Exception", message.lstrip(" ")
    cls = _error_class(name)
    try:
        return cls(message) if message else cls()
    except TypeError:  # a builtin that takes other arguments: a class of that name instead
        cls = _ERROR_CLASSES[name] = type(name, (Exception,), {})
        return cls(message) if message else cls()
)PY"},
      {"errors", {"_error_class"}, {}, R"PY(def errors(*names):
    """The classes for an except clause, by name (BaseException catches everything)."""
    return tuple(BaseException if name == "BaseException" else _error_class(name) for name in names)
)PY"},
      {"block", {"dur"}, {"time"}, R"PY(def block(delay):
    """A blocking call: the loop's thread sleeps, so no task runs and timers fire late."""
    time.sleep(dur(delay))
)PY"},
      {"sim_fetch", {"rnd_random"}, {"json", "math"}, R"PY(_fetch_calls = {}


async def sim_fetch(server, path):
    """fetch() from a simulated server: waits its latency, returns {status, body, url, json?}."""
    spec = SERVERS[server]
    n = _fetch_calls[server] = _fetch_calls.get(server, -1) + 1
    answer = spec["responses"][min(n, len(spec["responses"]) - 1)] if spec["responses"] else spec["base"]
    latency = answer["latency"]
    if spec["jitter"] > 0:
        latency += math.floor(rnd_random() * spec["jitter"] * 1000.0) / 1000.0
    await asyncio.sleep(latency)
    response = {"status": answer["status"], "body": answer["body"], "url": "sim://" + server + fmt(path)}
    try:
        response["json"] = json.loads(answer["body"])
    except ValueError:
        pass
    return response
)PY"},
  };
  return all;
}

/// Whether `text` calls `name(` (not as a method or a longer name).
bool calls(const std::string& text, const std::string& name) {
  for (std::size_t at = text.find(name + "("); at != std::string::npos; at = text.find(name + "(", at + 1)) {
    char before = at ? text[at - 1] : ' ';
    if (!(std::isalnum(static_cast<unsigned char>(before)) || before == '_' || before == '.')) return true;
  }
  return false;
}

/// A JSON value as a Python literal.
std::string py_literal(const value& v) {
  if (v.is_string()) return py_writer::quote(v.get<std::string>());
  if (v.is_boolean()) return v.get<bool>() ? "True" : "False";
  if (v.is_null()) return "None";
  if (v.is_number()) return to_display(v);
  std::string out;
  if (v.is_array()) {
    for (auto& x : v) out += (out.empty() ? "" : ", ") + py_literal(x);
    return "[" + out + "]";
  }
  for (auto& [k, x] : v.items()) out += (out.empty() ? "" : ", ") + py_writer::quote(k) + ": " + py_literal(x);
  return "{" + out + "}";
}

/// Names a Python body assigns at statement level (`x = ...`, `for x in ...`).
std::set<std::string> assigned_names(const std::string& body) {
  std::set<std::string> out;
  std::istringstream in(body);
  for (std::string line; std::getline(in, line);) {
    std::size_t i = line.find_first_not_of(' ');
    if (i == std::string::npos) continue;
    if (line.compare(i, 4, "for ") == 0) i += 4;
    std::size_t j = i;
    while (j < line.size() && (std::isalnum(static_cast<unsigned char>(line[j])) || line[j] == '_')) ++j;
    std::size_t k = line.find_first_not_of(' ', j);
    if (j > i && k != std::string::npos &&
        ((line[k] == '=' && line.compare(k, 2, "==") != 0) || line.compare(k, 3, "in ") == 0))
      out.insert(line.substr(i, j - i));
  }
  return out;
}

/// The program as it is put together: every body first (so the helpers they call are known).
class program_writer {
 public:
  explicit program_writer(const scenario& sc) : sc_(sc) {
    for (auto& [n, t] : sc.tasks) task_names_.insert(py_writer().task_name(n));
    for (auto& [n, v] : sc.shared) shared_.insert(writer().name(n));
  }

  /// `head` (an `async def ...:` line) and the body `write` puts in a writer() one level in,
  /// with a `global` statement for the shared variables the body assigns (params excepted).
  template <class Write>
  std::string function(const std::string& head, const std::vector<std::string>& params, Write write) {
    py_writer w = writer();
    w.indent();
    write(w);
    std::string body = w.text();
    std::set<std::string> locals;
    for (auto& p : params) locals.insert(w.name(p));
    std::string globals;
    for (auto& n : assigned_names(body))
      if (shared_.count(n) && !locals.count(n)) globals += (globals.empty() ? "" : ", ") + n;
    if (!globals.empty()) {  // after the docstring, if any
      std::size_t at = body.rfind("    \"\"\"", 0) == 0 ? body.find('\n') + 1 : 0;
      body.insert(at, "    global " + globals + "\n");
    }
    needs_.insert(w.needs().begin(), w.needs().end());
    errors_.insert(w.custom_errors().begin(), w.custom_errors().end());
    code_ += body;
    return head + "\n" + body;
  }

  py_writer writer() const {
    py_writer w;
    w.set_task_names(task_names_);
    return w;
  }
  /// Every helper the code written so far calls, with their dependencies.
  std::set<std::string> helpers_used(const std::string& more) const {
    std::set<std::string> used = needs_;
    std::string all = code_ + more;
    for (auto& h : prelude())
      if (calls(all, h.name)) used.insert(h.name);
    for (bool grew = true; grew;) {
      grew = false;
      for (auto& h : prelude())
        if (used.count(h.name))
          for (auto& d : h.deps) grew |= used.insert(d).second;
    }
    return used;
  }
  const std::set<std::string>& custom_errors() const { return errors_; }

 private:
  const scenario& sc_;
  std::set<std::string> task_names_, shared_, needs_, errors_;
  std::string code_;
};

std::string docstring(const scenario& sc) {
  std::string text = sc.title.empty() ? "An aio playground scenario" : sc.title;
  if (!sc.description.empty()) {  // wrapped at 88 columns
    text += "\n\n";
    std::string desc = sc.description, line;
    while (!desc.empty() && (desc.back() == '\n' || desc.back() == ' ')) desc.pop_back();
    std::istringstream words(desc);
    for (std::string w; words >> w;) {
      if (!line.empty() && line.size() + 1 + w.size() > 88) {
        text += line + "\n";
        line.clear();
      }
      line += (line.empty() ? "" : " ") + w;
    }
    text += line;
  }
  text += "\n\nExported from the aio playground; runs on Python 3.11+ with the standard library only.\n";
  text += sc.clock == "virtual" ? "The playground runs it on a virtual clock (instantly); here the waits are real.\n" : "";
  std::string safe;
  for (char c : text) safe += c == '\\' ? "\\\\" : std::string(1, c);
  for (std::size_t at = safe.find("\"\"\""); at != std::string::npos; at = safe.find("\"\"\"", at + 2)) safe.replace(at, 3, "\"\"\\\"");
  return "\"\"\"" + safe + "\"\"\"\n";
}

/// `db = asyncio.Lock()` for each declared object, locks before the conditions that use them.
std::string objects(py_writer& w, const scenario& sc) {
  static const std::vector<std::string> order = {"lock", "semaphore", "bounded_semaphore", "event", "condition", "barrier", "queue"};
  std::string out;
  for (auto& kind : order)
    for (auto& [n, o] : sc.objects) {
      if (o.kind != kind) continue;
      std::string make;
      if (kind == "lock") make = "asyncio.Lock()";
      if (kind == "semaphore") make = "asyncio.Semaphore(" + std::to_string(o.value) + ")";
      if (kind == "bounded_semaphore") make = "asyncio.BoundedSemaphore(" + std::to_string(o.value) + ")";
      if (kind == "event") make = "asyncio.Event()";
      if (kind == "condition") make = "asyncio.Condition(" + (o.lock.empty() ? "" : w.name(o.lock)) + ")";
      if (kind == "barrier") make = "asyncio.Barrier(" + std::to_string(o.value) + ")";
      if (kind == "queue") {
        std::string cls = o.queue_kind == "lifo" ? "LifoQueue" : o.queue_kind == "priority" ? "PriorityQueue" : "Queue";
        make = "asyncio." + cls + "(" + (o.value ? "maxsize=" + std::to_string(o.value) : "") + ")";
      }
      out += w.name(n) + " = " + make + "\n";
    }
  return out;
}

std::string servers(const scenario& sc) {
  if (sc.servers.empty()) return {};
  auto response = [](const server_response& r) {
    return "{\"latency\": " + to_display(value(r.latency)) + ", \"status\": " + std::to_string(r.status) + ", \"body\": " + py_writer::quote(r.body) + "}";
  };
  std::string out = "SERVERS = {  # the simulated servers: latency (s), status, body; the i-th call gets responses[i]\n";
  for (auto& [n, s] : sc.servers) {
    std::string list;
    for (auto& r : s.responses) list += (list.empty() ? "" : ", ") + response(r);
    out += "    " + py_writer::quote(n) + ": {\"base\": " + response(s.base) + ", \"responses\": [" + list + "], \"jitter\": " + to_display(value(s.jitter)) + "},\n";
  }
  return out + "}\n";
}

}  // namespace

std::string export_python(const scenario& sc) {
  program_writer pw(sc);
  py_writer names = pw.writer();

  // Bodies first: they decide which helpers and classes the program needs.
  std::string contexts;
  for (auto& ctx_entry : sc.contexts) {
    const std::string& n = ctx_entry.first;  // (clang 14: lambdas cannot capture structured bindings)
    const context_def& c = ctx_entry.second;
    // An async generator: enter steps, `yield value` (what `as` gets), then exit steps that see
    // the body's exception as `error` (None when it ended normally) before it propagates.
    contexts += "\n\n@contextlib.asynccontextmanager\n" + pw.function("async def " + names.name(n) + "():", {}, [&](py_writer& w) {
      w.line("\"\"\"The `" + n + "` context: `async with " + names.name(n) + "() as value:`.\"\"\"");
      for (auto& s : c.enter) s->to_python(w);
      w.line("error = None");
      w.line("try:");
      w.indent();
      w.line("yield " + (c.value ? w.value(*c.value) : std::string("None")));
      w.dedent();
      w.line("except BaseException as exc:");
      w.indent();
      w.line("error = err_value(exc)");
      w.line("raise");
      w.dedent();
      w.line("finally:");
      w.body(c.exit);
    });
  }
  std::string tasks;
  auto write_task = [&](const task_def& t) {
    std::string params;
    for (auto& p : t.params) params += (params.empty() ? "" : ", ") + names.name(p);
    tasks += "\n\n" + pw.function("async def " + names.task_name(t.name) + "(" + params + "):", t.params, [&](py_writer& w) {
      if (t.steps.empty()) w.line("pass");
      for (auto& s : t.steps) s->to_python(w);
    });
  };
  for (auto& [n, t] : sc.tasks)
    if (n != sc.main) write_task(t);
  write_task(sc.tasks.at(sc.main));
  std::string main_fn = "\n\nasync def _main():\n    \"\"\"Run " + names.task_name(sc.main) +
                        "() with the clock at 0 ms; asyncio.run then cancels leftover tasks.\"\"\"\n"
                        "    global T0\n    T0 = asyncio.get_running_loop().time()\n    await " + names.task_name(sc.main) + "()\n";
  std::string server_table = servers(sc);
  std::set<std::string> used = pw.helpers_used(server_table + contexts);

  std::set<std::string> imports = {"asyncio"};
  if (!sc.contexts.empty()) imports.insert("contextlib");
  for (auto& h : prelude())
    if (used.count(h.name)) imports.insert(h.imports.begin(), h.imports.end());

  std::string out = docstring(sc);
  for (auto& m : imports) out += "import " + m + "\n";
  if (used.count("rnd_random")) out += "\nSEED = " + std::to_string(sc.seed) + "  # the scenario's seed: random() and randint() repeat exactly\n";
  for (auto& h : prelude())
    if (used.count(h.name)) out += "\n\n" + std::string(h.code);
  if (!pw.custom_errors().empty()) out += "\n";
  for (auto& e : pw.custom_errors()) out += "\nclass " + e + "(Exception):\n    \"\"\"An error type the scenario raises or catches.\"\"\"\n\n";
  std::string decls;
  for (auto& [n, v] : sc.shared) decls += names.name(n) + " = " + py_literal(v) + "\n";
  decls += objects(names, sc) + server_table;
  if (!decls.empty()) out += "\n" + decls;
  out += contexts + tasks + main_fn;
  out += "\n\nif __name__ == \"__main__\":\n    asyncio.run(_main())\n";
  return out;
}

python_export export_python_document(const nlohmann::ordered_json& doc) {
  python_export out;
  auto parsed = parse_scenario(doc);
  out.diagnostics = parsed.diagnostics;
  if (parsed.ok()) out.program = export_python(parsed.value);
  return out;
}

}  // namespace aio::scenario
