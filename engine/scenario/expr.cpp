#include "scenario/expr.hpp"

#include <functional>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <vector>

#include "scenario/python_writer.hpp"

namespace aio::scenario {

struct expr_node {
  enum kind_t { literal, name, unary, binary, call, index, list, map } kind;
  std::string op;  // operator, name or function
  value lit;
  std::vector<std::shared_ptr<const expr_node>> kids;
  std::vector<std::string> keys;  // map literal keys
  int column = 1;
};

namespace {

using node_ptr = std::shared_ptr<const expr_node>;

struct token {
  enum kind_t { num, str, ident, op, end } kind;
  std::string text;
  double number = 0;
  int column;
};

std::vector<token> lex(const std::string& s) {
  std::vector<token> out;
  std::size_t i = 0;
  while (i < s.size()) {
    char c = s[i];
    int col = static_cast<int>(i) + 1;
    if (c == ' ' || c == '\t' || c == '\n') {
      ++i;
    } else if (std::isdigit(static_cast<unsigned char>(c)) || (c == '.' && i + 1 < s.size() && std::isdigit(static_cast<unsigned char>(s[i + 1])))) {
      char* endp = nullptr;
      double d = std::strtod(s.c_str() + i, &endp);
      std::size_t n = static_cast<std::size_t>(endp - (s.c_str() + i));
      out.push_back({token::num, s.substr(i, n), d, col});
      i += n;
    } else if (c == '\'' || c == '"') {
      std::string v;
      std::size_t j = i + 1;
      while (j < s.size() && s[j] != c) {
        if (s[j] == '\\' && j + 1 < s.size()) {
          char e = s[++j];
          v += e == 'n' ? '\n' : e == 't' ? '\t' : e;
        } else {
          v += s[j];
        }
        ++j;
      }
      if (j >= s.size()) throw expr_error("unterminated string", col);
      out.push_back({token::str, v, 0, col});
      i = j + 1;
    } else if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
      std::size_t j = i;
      while (j < s.size() && (std::isalnum(static_cast<unsigned char>(s[j])) || s[j] == '_')) ++j;
      out.push_back({token::ident, s.substr(i, j - i), 0, col});
      i = j;
    } else {
      static const char* two[] = {"==", "!=", "<=", ">=", "//", "&&", "||"};
      std::string t(1, c);
      for (auto* op : two)
        if (s.compare(i, 2, op) == 0) t = op;
      if (std::string("+-*/%<>()[]{},:.!=").find(c) == std::string::npos)
        throw expr_error(std::string("unexpected character '") + c + "'", col);
      if (t == "&&") t = "and";
      if (t == "||") t = "or";
      if (t == "!") t = "not";
      if (t == "=") throw expr_error("'=' is not an operator here: use '==' to compare", col);
      out.push_back({token::op, t, 0, col});
      i += t == "and" || t == "or" ? 2 : (t == "not" ? 1 : t.size());
    }
  }
  out.push_back({token::end, "", 0, static_cast<int>(s.size()) + 1});
  return out;
}

class parser {
 public:
  explicit parser(const std::string& s) : toks_(lex(s)) {}
  node_ptr parse_all() {
    auto n = parse(0);
    if (peek().kind != token::end) throw expr_error("unexpected '" + peek().text + "'", peek().column);
    return n;
  }

 private:
  const token& peek() const { return toks_[pos_]; }
  const token& next() { return toks_[pos_++]; }
  bool is_op(const char* o) const { return (peek().kind == token::op || peek().kind == token::ident) && peek().text == o; }
  void expect(const char* o) {
    if (!is_op(o)) throw expr_error(std::string("expected '") + o + "'", peek().column);
    ++pos_;
  }
  static int prec(const std::string& op) {
    if (op == "or") return 1;
    if (op == "and") return 2;
    if (op == "==" || op == "!=" || op == "<" || op == "<=" || op == ">" || op == ">=" || op == "in") return 4;
    if (op == "+" || op == "-") return 5;
    if (op == "*" || op == "/" || op == "//" || op == "%") return 6;
    return 0;
  }
  node_ptr make(expr_node::kind_t k, std::string op, int col, std::vector<node_ptr> kids = {}) {
    auto n = std::make_shared<expr_node>();
    n->kind = k;
    n->op = std::move(op);
    n->column = col;
    n->kids = std::move(kids);
    return n;
  }
  node_ptr parse(int min_prec) {
    node_ptr lhs;
    if (is_op("not")) {
      int col = next().column;
      lhs = make(expr_node::unary, "not", col, {parse(3)});
    } else {
      lhs = parse_unary();
    }
    for (;;) {
      const token& t = peek();
      if (t.kind != token::op && !(t.kind == token::ident && (t.text == "and" || t.text == "or" || t.text == "in"))) break;
      int p = prec(t.text);
      if (p == 0 || p <= min_prec) break;
      std::string op = t.text;
      int col = t.column;
      ++pos_;
      auto rhs = parse(p);
      lhs = make(expr_node::binary, op, col, {lhs, rhs});
    }
    return lhs;
  }
  node_ptr parse_unary() {
    if (is_op("-")) {
      int col = next().column;
      return make(expr_node::unary, "-", col, {parse_unary()});
    }
    return parse_postfix(parse_atom());
  }
  node_ptr parse_postfix(node_ptr n) {
    for (;;) {
      if (is_op("[")) {
        int col = next().column;
        auto idx = parse(0);
        expect("]");
        n = make(expr_node::index, "[]", col, {n, idx});
      } else if (is_op(".")) {
        int col = next().column;
        if (peek().kind != token::ident) throw expr_error("expected a field name after '.'", peek().column);
        auto key = std::make_shared<expr_node>();
        key->kind = expr_node::literal;
        key->lit = next().text;
        n = make(expr_node::index, "[]", col, {n, key});
      } else {
        return n;
      }
    }
  }
  node_ptr parse_atom() {
    const token& t = next();
    auto n = std::make_shared<expr_node>();
    n->column = t.column;
    switch (t.kind) {
      case token::num:
        n->kind = expr_node::literal;
        n->lit = t.number;
        return n;
      case token::str:
        n->kind = expr_node::literal;
        n->lit = t.text;
        return n;
      case token::ident:
        if (t.text == "true" || t.text == "True") return lit(n, true);
        if (t.text == "false" || t.text == "False") return lit(n, false);
        if (t.text == "null" || t.text == "None") return lit(n, nullptr);
        if (is_op("(")) {
          ++pos_;
          n->kind = expr_node::call;
          n->op = t.text;
          if (!is_op(")")) {
            n->kids.push_back(parse(0));
            while (is_op(",")) {
              ++pos_;
              n->kids.push_back(parse(0));
            }
          }
          expect(")");
          return n;
        }
        n->kind = expr_node::name;
        n->op = t.text;
        return n;
      case token::op:
        if (t.text == "(") {
          auto inner = parse(0);
          expect(")");
          return inner;
        }
        if (t.text == "[") {
          n->kind = expr_node::list;
          if (!is_op("]")) {
            n->kids.push_back(parse(0));
            while (is_op(",")) {
              ++pos_;
              n->kids.push_back(parse(0));
            }
          }
          expect("]");
          return n;
        }
        if (t.text == "{") {
          n->kind = expr_node::map;
          while (!is_op("}")) {
            const token& k = next();
            if (k.kind != token::ident && k.kind != token::str) throw expr_error("expected a key", k.column);
            n->keys.push_back(k.text);
            expect(":");
            n->kids.push_back(parse(0));
            if (!is_op(",")) break;
            ++pos_;
          }
          expect("}");
          return n;
        }
        throw expr_error("unexpected '" + t.text + "'", t.column);
      case token::end:
        throw expr_error("the expression ends too early", t.column);
    }
    throw expr_error("bad expression", t.column);
  }
  static node_ptr lit(std::shared_ptr<expr_node> n, value v) {
    n->kind = expr_node::literal;
    n->lit = std::move(v);
    return n;
  }
  std::vector<token> toks_;
  std::size_t pos_ = 0;
};

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

expr expr::parse(const std::string& text) {
  expr e;
  e.text_ = text;
  e.root_ = parser(text).parse_all();
  return e;
}

value expr::eval(const lookup& names, const random_source& rnd) const { return evaluator{names, rnd}.eval(*root_); }

templ templ::parse(const std::string& text) {
  templ t;
  t.text_ = text;
  std::string lit;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '{' && i + 1 < text.size() && text[i + 1] == '{') {
      lit += '{';
      ++i;
    } else if (c == '}' && i + 1 < text.size() && text[i + 1] == '}') {
      lit += '}';
      ++i;
    } else if (c == '{') {
      std::size_t depth = 1, j = i + 1;
      char quote = 0;
      for (; j < text.size() && depth; ++j) {
        char d = text[j];
        if (quote) {
          if (d == quote) quote = 0;
        } else if (d == '\'' || d == '"') {
          quote = d;
        } else if (d == '{') {
          ++depth;
        } else if (d == '}') {
          --depth;
        }
      }
      if (depth) throw expr_error("'{' without a closing '}'", static_cast<int>(i) + 1);
      std::string inner = text.substr(i + 1, j - i - 2);
      if (!lit.empty()) t.parts_.push_back({std::move(lit), {}});
      lit.clear();
      try {
        t.parts_.push_back({{}, expr::parse(inner)});
      } catch (const expr_error& e) {
        throw expr_error(e.what(), static_cast<int>(i) + 1 + e.column);
      }
      i = j - 1;
    } else if (c == '}') {
      throw expr_error("'}' without an opening '{' (write '}}' for a brace)", static_cast<int>(i) + 1);
    } else {
      lit += c;
    }
  }
  if (!lit.empty() || t.parts_.empty()) t.parts_.push_back({std::move(lit), {}});
  return t;
}

bool templ::is_constant() const noexcept {
  for (auto& p : parts_)
    if (p.e.valid()) return false;
  return true;
}

value templ::eval(const expr::lookup& names, const expr::random_source& rnd) const {
  if (parts_.size() == 1 && parts_[0].e.valid()) return parts_[0].e.eval(names, rnd);
  std::string out;
  for (auto& p : parts_) out += p.e.valid() ? to_display(p.e.eval(names, rnd)) : p.literal;
  return out;
}

std::string to_display(const value& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number()) {
    double d = v.get<double>();
    if (std::isnan(d)) return "nan";
    if (std::isinf(d)) return d > 0 ? "inf" : "-inf";
    if (d == std::trunc(d) && std::fabs(d) < 1e15) {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.0f", d);
      return std::string(buf) == "-0" ? "0" : buf;
    }
    char buf[40];
    for (int prec = 1; prec <= 17; ++prec) {  // shortest form that reads back the same
      std::snprintf(buf, sizeof buf, "%.*g", prec, d);
      if (std::strtod(buf, nullptr) == d) break;
    }
    return buf;
  }
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  if (v.is_null()) return "null";
  // Lists and maps as JSON, with no negative zero (as above: the scenario's numbers are doubles,
  // so 0 * -1 is -0.0 here where Python's integers give 0; the exported fmt() does the same).
  std::function<bool(const value&)> has_negative_zero = [&](const value& x) {
    if (x.is_number_float()) return x.get<double>() == 0 && std::signbit(x.get<double>());
    if (!x.is_structured()) return false;
    for (auto& e : x)
      if (has_negative_zero(e)) return true;
    return false;
  };
  if (!has_negative_zero(v)) return v.dump();
  std::function<void(value&)> fix = [&](value& x) {
    if (x.is_number_float() && x.get<double>() == 0) x = 0.0;
    if (!x.is_structured()) return;
    for (auto& e : x) fix(e);
  };
  value copy = v;
  fix(copy);
  return copy.dump();
}

bool truthy(const value& v) {
  switch (v.type()) {
    case value::value_t::null: return false;
    case value::value_t::boolean: return v.get<bool>();
    case value::value_t::string: return !v.get_ref<const std::string&>().empty();
    case value::value_t::array:
    case value::value_t::object: return !v.empty();
    default: return v.get<double>() != 0;
  }
}

}  // namespace aio::scenario
