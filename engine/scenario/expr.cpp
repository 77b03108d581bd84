#include "scenario/expr.hpp"
#include "scenario/expr_node.hpp"

#include <functional>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <vector>


namespace aio::scenario {


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

}  // namespace


expr expr::parse(const std::string& text) {
  expr e;
  e.text_ = text;
  e.root_ = parser(text).parse_all();
  return e;
}


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
