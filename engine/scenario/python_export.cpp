#include "scenario/python_export.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <sstream>
#include <vector>

#include "scenario/python_prelude.hpp"
#include "scenario/python_writer.hpp"

namespace aio::scenario {

namespace {

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

/// Names a Python body assigns: `x = ...`, `x, y = ...`, `for x in ...`, `... as x:`.
std::set<std::string> assigned_names(const std::string& body) {
  std::set<std::string> out;
  auto ident_end = [](const std::string& l, std::size_t i) {
    while (i < l.size() && (std::isalnum(static_cast<unsigned char>(l[i])) || l[i] == '_')) ++i;
    return i;
  };
  std::istringstream in(body);
  for (std::string line; std::getline(in, line);) {
    std::size_t i = line.find_first_not_of(' ');
    if (i == std::string::npos) continue;
    if (line.back() == ':') {  // with ... as x:  (not except ... as exc)
      auto as = line.rfind(" as ");
      if (as != std::string::npos && line.compare(i, 7, "except ") != 0) {
        std::size_t e = ident_end(line, as + 4);
        if (e == line.size() - 1) out.insert(line.substr(as + 4, e - as - 4));
      }
    }
    if (line.compare(i, 4, "for ") == 0) i += 4;
    std::vector<std::string> targets;
    for (;;) {
      std::size_t j = ident_end(line, i);
      if (j == i) break;
      targets.push_back(line.substr(i, j - i));
      if (line.compare(j, 2, ", ") != 0) {
        i = j;
        break;
      }
      i = j + 2;
    }
    std::size_t k = line.find_first_not_of(' ', i);
    if (!targets.empty() && k != std::string::npos &&
        ((line[k] == '=' && line.compare(k, 2, "==") != 0) || line.compare(k, 3, "in ") == 0))
      out.insert(targets.begin(), targets.end());
  }
  return out;
}

/// The program as it is put together: every body first (so the helpers they call are known).
class program_writer {
 public:
  explicit program_writer(const scenario& sc) {
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
    for (auto& h : python_prelude())
      if (calls(all, h.name)) used.insert(h.name);
    for (bool grew = true; grew;) {
      grew = false;
      for (auto& h : python_prelude())
        if (used.count(h.name))
          for (auto& d : h.deps) grew |= used.insert(d).second;
    }
    return used;
  }
  const std::set<std::string>& custom_errors() const { return errors_; }

 private:
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
  std::vector<std::string> contexts, tasks;  // top-level definitions, each without blank lines around
  for (auto& ctx_entry : sc.contexts) {
    const std::string& n = ctx_entry.first;  // (clang 14: lambdas cannot capture structured bindings)
    const context_def& c = ctx_entry.second;
    // An async generator: enter steps, `yield value` (what `as` gets), then exit steps that see
    // the body's exception as `error` (None when it ended normally) before it propagates.
    contexts.push_back("@contextlib.asynccontextmanager\n" + pw.function("async def " + names.name(n) + "():", {}, [&](py_writer& w) {
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
    }));
  }
  auto write_task = [&](const task_def& t) {
    std::string params;
    for (auto& p : t.params) params += (params.empty() ? "" : ", ") + names.name(p);
    tasks.push_back(pw.function("async def " + names.task_name(t.name) + "(" + params + "):", t.params, [&](py_writer& w) {
      if (t.steps.empty()) w.line("pass");
      for (auto& s : t.steps) s->to_python(w);
    }));
  };
  for (auto& [n, t] : sc.tasks)
    if (n != sc.main) write_task(t);
  write_task(sc.tasks.at(sc.main));
  std::string server_table = servers(sc);
  std::string context_text;
  for (auto& c : contexts) context_text += c;
  std::set<std::string> used = pw.helpers_used(server_table + context_text);

  // The program: definitions separated by two blank lines, as PEP 8 has them.
  std::vector<std::string> blocks;
  std::set<std::string> imports = {"asyncio"};
  if (!sc.contexts.empty()) imports.insert("contextlib");
  for (auto& h : python_prelude())
    if (used.count(h.name)) imports.insert(h.imports.begin(), h.imports.end());
  std::string head = docstring(sc);
  for (auto& m : imports) head += "import " + m + "\n";
  if (used.count("rnd_random")) head += "\nSEED = " + std::to_string(sc.seed) + "  # the scenario's seed: random() and randint() repeat exactly\n";
  blocks.push_back(head);
  for (auto& h : python_prelude())
    if (used.count(h.name)) blocks.push_back(h.code);
  for (auto& e : pw.custom_errors()) blocks.push_back("class " + e + "(Exception):\n    \"\"\"An error type the scenario raises or catches.\"\"\"\n");
  std::string decls;
  for (auto& [n, v] : sc.shared) decls += names.name(n) + " = " + py_literal(v) + "\n";
  decls += objects(names, sc) + server_table;
  if (!decls.empty()) blocks.push_back(decls);
  blocks.insert(blocks.end(), contexts.begin(), contexts.end());
  blocks.insert(blocks.end(), tasks.begin(), tasks.end());
  blocks.push_back("async def _main():\n    \"\"\"Run " + names.task_name(sc.main) +
                   "() with the clock at 0 ms; asyncio.run then cancels leftover tasks.\"\"\"\n"
                   "    global T0\n    T0 = asyncio.get_running_loop().time()\n    await " + names.task_name(sc.main) + "()\n");
  blocks.push_back("if __name__ == \"__main__\":\n    asyncio.run(_main())\n");
  std::string out;
  for (auto& b : blocks) {
    std::string text = b;
    while (!text.empty() && text.back() == '\n') text.pop_back();
    out += (out.empty() ? "" : "\n\n\n") + text;
  }
  return out + "\n";
}

python_export export_python_document(const nlohmann::ordered_json& doc) {
  python_export out;
  auto parsed = parse_scenario(doc);
  out.diagnostics = parsed.diagnostics;
  if (parsed.ok()) out.program = export_python(parsed.value);
  return out;
}

}  // namespace aio::scenario
