#include "scenario/step_util.hpp"

#include <cctype>

#include "scenario/step.hpp"

namespace aio::scenario {

std::string py_call(py_writer& py, const call_spec& c) {
  std::string out = py.task_name(c.task) + "(";
  for (std::size_t i = 0; i < c.args.size(); ++i) out += (i ? ", " : "") + py.name(c.args[i].first) + "=" + py.value(c.args[i].second);
  return out + ")";
}

std::string py_awaitable(py_writer& py, const awaitable_ref& r) {
  if (r.call) return py_call(py, *r.call);
  if (r.handle.find('{') == std::string::npos) return py.name(r.handle);
  // "{h}": a variable holding a handle (from wait's done/pending lists, which hold the tasks
  // themselves in Python; fmt() prints a task as its name, as the engine prints the handle).
  try {
    templ t = templ::parse(r.handle);
    const expr* e = t.single();
    std::string name = e ? e->text() : std::string();
    while (!name.empty() && name.front() == ' ') name.erase(name.begin());
    while (!name.empty() && name.back() == ' ') name.pop_back();
    bool ident = !name.empty() && !std::isdigit(static_cast<unsigned char>(name[0]));
    for (char c : name) ident = ident && (std::isalnum(static_cast<unsigned char>(c)) || c == '_');
    if (ident) return py.name(name);
    // A computed name: the local variable of that name (a handle whose name Python mangles is
    // not found this way).
    return "locals()[" + py.display(t) + "]";
  } catch (const expr_error&) {
    return py.name(r.handle);
  }
}

bool loop_should_stop(frame& f) {
  if (f.state == flow::brk) {
    f.state = flow::next;
    return true;
  }
  if (f.state == flow::cont) f.state = flow::next;
  return f.state == flow::ret;
}

}  // namespace aio::scenario
