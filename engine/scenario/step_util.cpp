#include "scenario/step_util.hpp"

namespace aio::scenario {

std::string py_call(py_writer& py, const call_spec& c) {
  std::string out = py.task_name(c.task) + "(";
  for (std::size_t i = 0; i < c.args.size(); ++i) out += (i ? ", " : "") + py.name(c.args[i].first) + "=" + py.value(c.args[i].second);
  return out + ")";
}

std::string py_awaitable(py_writer& py, const awaitable_ref& r) {
  if (r.call) return py_call(py, *r.call);
  if (r.handle.find('{') == std::string::npos) return py.name(r.handle);
  // "{h}": a variable holding a handle's name (from wait's done/pending lists): the local
  // variable of that name (a handle whose name Python mangles is not found this way).
  try {
    return "locals()[" + py.display(templ::parse(r.handle)) + "]";
  } catch (const expr_error&) {
    return py.name(r.handle);
  }
}

}  // namespace aio::scenario
