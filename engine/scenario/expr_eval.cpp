// expr::eval: the evaluator of the expression language (values, operators, functions, seeded
// random), over the tree expr.cpp parses.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <vector>

#include "scenario/expr.hpp"
#include "scenario/expr_node.hpp"

namespace aio::scenario {

namespace {

[[noreturn]] void fail(const expr_node& n, const std::string& msg) { throw expr_error(msg, n.column); }

const char* type_name(const value& v) {
  switch (v.type()) {
    case value::value_t::null: return "null";
    case value::value_t::boolean: return "bool";
    case value::value_t::string: return "string";
    case value::value_t::array: return "list";
    case value::value_t::object: return "map";
    default: return "number";
  }
}

double num(const expr_node& n, const value& v, const char* what) {
  if (!v.is_number()) fail(n, std::string(what) + " needs numbers, got " + type_name(v) + " " + to_display(v));
  return v.get<double>();
}

value number_value(double d) { return value(d); }

bool equal(const value& a, const value& b) {
  if (a.is_number() && b.is_number()) return a.get<double>() == b.get<double>();
  return a == b;
}

struct evaluator {
  const expr::lookup& names;
  const expr::random_source& rnd;

  value eval(const expr_node& n) const {
    switch (n.kind) {
      case expr_node::literal: return n.lit;
      case expr_node::name: {
        if (const value* v = names(n.op)) return *v;
        fail(n, "unknown name '" + n.op + "'");
      }
      case expr_node::unary: {
        value v = eval(*n.kids[0]);
        if (n.op == "not") return !truthy(v);
        return number_value(-num(n, v, "'-'"));
      }
      case expr_node::binary: return binary(n);
      case expr_node::index: return index(n);
      case expr_node::list: {
        value l = value::array();
        for (auto& k : n.kids) l.push_back(eval(*k));
        return l;
      }
      case expr_node::map: {
        value m = value::object();
        for (std::size_t i = 0; i < n.kids.size(); ++i) m[n.keys[i]] = eval(*n.kids[i]);
        return m;
      }
      case expr_node::call: return call(n);
    }
    fail(n, "bad expression");
  }

  value binary(const expr_node& n) const {
    const std::string& op = n.op;
    if (op == "and") {
      value l = eval(*n.kids[0]);
      return truthy(l) ? eval(*n.kids[1]) : l;
    }
    if (op == "or") {
      value l = eval(*n.kids[0]);
      return truthy(l) ? l : eval(*n.kids[1]);
    }
    value a = eval(*n.kids[0]);
    value b = eval(*n.kids[1]);
    if (op == "==") return equal(a, b);
    if (op == "!=") return !equal(a, b);
    if (op == "in") {
      if (b.is_array()) {
        for (auto& x : b)
          if (equal(x, a)) return true;
        return false;
      }
      if (b.is_object() && a.is_string()) return b.contains(a.get<std::string>());
      if (b.is_string() && a.is_string()) return b.get<std::string>().find(a.get<std::string>()) != std::string::npos;
      fail(n, std::string("'in' needs a list, map or string on the right, got ") + type_name(b));
    }
    if (op == "<" || op == "<=" || op == ">" || op == ">=") {
      int c;
      if (a.is_string() && b.is_string())
        c = a.get<std::string>().compare(b.get<std::string>());
      else {
        double x = num(n, a, "comparison"), y = num(n, b, "comparison");
        c = x < y ? -1 : x > y ? 1 : 0;
      }
      if (op == "<") return c < 0;
      if (op == "<=") return c <= 0;
      if (op == ">") return c > 0;
      return c >= 0;
    }
    if (op == "+") {
      if (a.is_string() || b.is_string()) {
        if (!(a.is_string() && b.is_string()))
          fail(n, std::string("cannot add ") + type_name(a) + " and " + type_name(b) + ": use str(x) or a template");
        return a.get<std::string>() + b.get<std::string>();
      }
      if (a.is_array() && b.is_array()) {
        value r = a;
        for (auto& x : b) r.push_back(x);
        return r;
      }
      return number_value(num(n, a, "'+'") + num(n, b, "'+'"));
    }
    double x = num(n, a, ("'" + op + "'").c_str()), y = num(n, b, ("'" + op + "'").c_str());
    if (op == "-") return number_value(x - y);
    if (op == "*") return number_value(x * y);
    if ((op == "/" || op == "//" || op == "%") && y == 0) fail(n, "division by zero");
    if (op == "/") return number_value(x / y);
    if (op == "//") return number_value(std::floor(x / y));
    return number_value(x - y * std::floor(x / y));  // Python's modulo: sign of the divisor
  }

  value index(const expr_node& n) const {
    value c = eval(*n.kids[0]);
    value k = eval(*n.kids[1]);
    if (c.is_array() || c.is_string()) {
      double d = num(n, k, "an index");
      long len = static_cast<long>(c.is_array() ? c.size() : c.get<std::string>().size());
      long i = static_cast<long>(d);
      if (i < 0) i += len;
      if (i < 0 || i >= len) fail(n, "index " + to_display(k) + " is out of range (length " + std::to_string(len) + ")");
      if (c.is_array()) return c[static_cast<std::size_t>(i)];
      return std::string(1, c.get<std::string>()[static_cast<std::size_t>(i)]);
    }
    if (c.is_object()) {
      if (!k.is_string()) fail(n, "map keys are strings");
      auto it = c.find(k.get<std::string>());
      if (it == c.end()) fail(n, "no key '" + k.get<std::string>() + "'");
      return *it;
    }
    fail(n, std::string("cannot index a ") + type_name(c));
  }

  value call(const expr_node& n) const {
    std::vector<value> a;
    for (auto& k : n.kids) a.push_back(eval(*k));
    auto need = [&](std::size_t lo, std::size_t hi) {
      if (a.size() < lo || a.size() > hi) fail(n, n.op + "() takes " + std::to_string(lo) + (hi != lo ? "-" + std::to_string(hi) : "") + " argument(s)");
    };
    const std::string& f = n.op;
    if (f == "len") {
      need(1, 1);
      if (a[0].is_string()) return static_cast<double>(a[0].get<std::string>().size());
      if (a[0].is_array() || a[0].is_object()) return static_cast<double>(a[0].size());
      fail(n, std::string("len() of a ") + type_name(a[0]));
    }
    if (f == "str") {
      need(1, 1);
      return to_display(a[0]);
    }
    if (f == "int") {
      need(1, 1);
      if (a[0].is_string()) {
        char* e = nullptr;
        const std::string& s = a[0].get_ref<const std::string&>();
        double d = std::strtod(s.c_str(), &e);
        if (e == s.c_str() || *e) fail(n, "int() of a string that is not a number: '" + s + "'");
        return std::trunc(d);
      }
      return std::trunc(num(n, a[0], "int()"));
    }
    if (f == "float") {
      need(1, 1);
      return num(n, a[0], "float()");
    }
    if (f == "abs") {
      need(1, 1);
      return std::fabs(num(n, a[0], "abs()"));
    }
    if (f == "round") {
      need(1, 2);
      double x = num(n, a[0], "round()");
      double digits = a.size() > 1 ? num(n, a[1], "round()") : 0;
      double m = std::pow(10.0, digits);
      return std::nearbyint(x * m) / m;  // round half to even, like Python
    }
    if (f == "min" || f == "max") {
      if (a.size() == 1 && a[0].is_array()) a = a[0].get<std::vector<value>>();
      if (a.empty()) fail(n, f + "() of nothing");
      double best = num(n, a[0], (f + "()").c_str());
      for (auto& v : a) {
        double x = num(n, v, (f + "()").c_str());
        best = f == "min" ? std::min(best, x) : std::max(best, x);
      }
      return best;
    }
    if (f == "range") {
      need(1, 3);
      double lo = 0, hi, step = 1;
      if (a.size() == 1) {
        hi = num(n, a[0], "range()");
      } else {
        lo = num(n, a[0], "range()");
        hi = num(n, a[1], "range()");
        if (a.size() == 3) step = num(n, a[2], "range()");
      }
      if (step == 0) fail(n, "range() step must not be zero");
      value l = value::array();
      for (double x = lo; step > 0 ? x < hi : x > hi; x += step) {
        if (l.size() >= 100000) fail(n, "range() is limited to 100000 items");
        l.push_back(x);
      }
      return l;
    }
    if (f == "random") {
      need(0, 0);
      return rnd();
    }
    if (f == "randint") {
      need(2, 2);
      double lo = num(n, a[0], "randint()"), hi = num(n, a[1], "randint()");
      if (hi < lo) fail(n, "randint(a, b) needs a <= b");
      return lo + std::floor(rnd() * (hi - lo + 1));
    }
    fail(n, "unknown function '" + f + "' (functions: len, str, int, float, abs, round, min, max, range, random, randint)");
  }
};

}  // namespace

value expr::eval(const lookup& names, const random_source& rnd) const { return evaluator{names, rnd}.eval(*root_); }

}  // namespace aio::scenario
