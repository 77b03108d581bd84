// expr::to_python: an expression tree written as Python (the Python export's half of expr.cpp).
#include <cmath>
#include <functional>
#include <map>
#include <string>

#include "scenario/expr.hpp"
#include "scenario/expr_node.hpp"
#include "scenario/python_writer.hpp"

namespace aio::scenario {

namespace {
// Python for an expression tree, parenthesised only where Python's precedence needs it.
// Python ranks the operators in the same order as the scenario language (or < and < not <
// comparisons < + - < * / // % < unary - < postfix), except that its comparisons chain, so a
// comparison operand that is itself a comparison keeps its parentheses. Helpers from the
// exported prelude keep semantics equal where Python differs: fmt() is the scenario's
// str()/display rule, idx() indexes with integral floats, frange() is range() over floats,
// to_int() truncates numbers and numeric strings, rnd_*() draw from the shared splitmix64.
using namer = std::function<std::string(const std::string&)>;

struct py_code {
  std::string code;
  int prec;  // Python's binding strength: 3 or, 4 and, 5 not, 6 comparison, 11 + -, 12 * /, 13 unary, 16 atom
};

int py_prec(const std::string& op) {
  if (op == "or") return 3;
  if (op == "and") return 4;
  if (op == "+" || op == "-") return 11;
  if (op == "*" || op == "/" || op == "//" || op == "%") return 12;
  return 6;  // == != < <= > >= in
}

std::string py_string(const std::string& s) { return py_writer::quote(s); }

py_code py(const expr_node& n, const namer& name);

std::string wrap(const py_code& c, bool parens) { return parens ? "(" + c.code + ")" : c.code; }

std::string args_py(const expr_node& n, const namer& name) {
  std::string out;
  for (std::size_t i = 0; i < n.kids.size(); ++i) out += (i ? ", " : "") + py(*n.kids[i], name).code;
  return out;
}

py_code py(const expr_node& n, const namer& name) {
  switch (n.kind) {
    case expr_node::literal:
      if (n.lit.is_string()) return {py_string(n.lit.get<std::string>()), 16};
      if (n.lit.is_boolean()) return {n.lit.get<bool>() ? "True" : "False", 16};
      if (n.lit.is_null()) return {"None", 16};
      if (!std::isfinite(n.lit.get<double>())) return {"float('" + to_display(n.lit) + "')", 16};
      return {to_display(n.lit), 16};
    case expr_node::name: return {n.op == "now" ? "now()" : name(n.op), 16};
    case expr_node::unary: {
      py_code k = py(*n.kids[0], name);
      if (n.op == "not") return {"not " + wrap(k, k.prec < 5), 5};
      return {"-" + wrap(k, k.prec <= 13), 13};  // -(-x) rather than --x
    }
    case expr_node::binary: {
      int p = py_prec(n.op);
      py_code l = py(*n.kids[0], name), r = py(*n.kids[1], name);
      bool cmp = p == 6;
      std::string op = n.op;
      if ((op == "==" || op == "!=") && (l.code == "None" || r.code == "None")) op = op == "==" ? "is" : "is not";  // x is None
      return {wrap(l, l.prec < p || (cmp && l.prec == p)) + " " + op + " " + wrap(r, r.prec <= p), p};
    }
    case expr_node::index: {
      py_code c = py(*n.kids[0], name);
      const expr_node& k = *n.kids[1];
      std::string key;
      if (k.kind == expr_node::literal && k.lit.is_string())
        key = py_string(k.lit.get<std::string>());  // x.field, x['field']
      else if (k.kind == expr_node::literal && k.lit.is_number() && k.lit.get<double>() == std::trunc(k.lit.get<double>()) &&
               std::fabs(k.lit.get<double>()) < 1e15)
        key = to_display(k.lit);  // x[0]
      else
        key = "idx(" + py(k, name).code + ")";
      return {wrap(c, c.prec < 16) + "[" + key + "]", 16};
    }
    case expr_node::list: return {"[" + args_py(n, name) + "]", 16};
    case expr_node::map: {
      std::string out = "{";
      for (std::size_t i = 0; i < n.kids.size(); ++i) out += (i ? ", " : "") + py_string(n.keys[i]) + ": " + py(*n.kids[i], name).code;
      return {out + "}", 16};
    }
    case expr_node::call: {
      static const std::map<std::string, std::string> fn = {
          {"len", "len"}, {"str", "fmt"}, {"int", "to_int"}, {"float", "float"}, {"abs", "abs"}, {"round", "round"},
          {"min", "min"}, {"max", "max"}, {"range", "frange"}, {"random", "rnd_random"}, {"randint", "rnd_randint"}};
      auto it = fn.find(n.op);
      return {(it == fn.end() ? n.op : it->second) + "(" + args_py(n, name) + ")", 16};
    }
  }
  return {"None", 16};
}
}  // namespace

std::string expr::to_python(const std::function<std::string(const std::string&)>& name) const { return py(*root_, name).code; }

}  // namespace aio::scenario
