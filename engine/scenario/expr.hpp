// The scenario's small, safe expression language. Values are JSON values (null, bool, number,
// string, list, map). Grammar, loosest binding first:
//   or · and · not · == != < <= > >= in · + - · * / // % · unary - · postfix [index] .field · atom
//   atom: number, 'string' or "string", true/false/null, name, (expr), [list], {key: expr}, f(args)
// Functions: len, str, int, float, round, abs, min, max, range, random, randint (seeded).
// Nothing here can reach the host: no assignment, no loops, no I/O.
// Templates: "text {expr} more" interpolates; a string that is exactly "{expr}" yields the
// expression's value with its type; "{{" and "}}" are literal braces.
#pragma once
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>

namespace aio::scenario {

using value = nlohmann::json;

/// An error in an expression; `column` is 1-based within the expression text.
class expr_error : public std::runtime_error {
 public:
  expr_error(const std::string& msg, int column) : std::runtime_error(msg), column(column) {}
  int column;
};

struct expr_node;

/// A parsed expression, shareable and immutable.
class expr {
 public:
  expr() = default;
  /// Parse `text`; throws expr_error.
  static expr parse(const std::string& text);
  /// Names looked up when evaluating: variables (and `now`), nullptr if unknown.
  using lookup = std::function<const value*(const std::string&)>;
  /// Random numbers for random()/randint(): returns a double in [0, 1).
  using random_source = std::function<double()>;
  value eval(const lookup& names, const random_source& rnd) const;
  const std::string& text() const noexcept { return text_; }
  bool valid() const noexcept { return static_cast<bool>(root_); }

 private:
  std::shared_ptr<const expr_node> root_;
  std::string text_;
};

/// A string with {expr} holes, parsed once.
class templ {
 public:
  templ() = default;
  /// Parse; throws expr_error (column within the whole string).
  static templ parse(const std::string& text);
  value eval(const expr::lookup& names, const expr::random_source& rnd) const;
  bool is_constant() const noexcept;
  const std::string& text() const noexcept { return text_; }

 private:
  struct part {
    std::string literal;
    expr e;  // valid() for a hole
  };
  std::vector<part> parts_;
  std::string text_;
};

/// How values print in templates and `print`: integral numbers without a decimal point, other
/// numbers in their shortest round-trip form, strings as they are, lists/maps as JSON.
std::string to_display(const value& v);
/// Truthiness as in Python: false, null, 0, "", [], {} are false.
bool truthy(const value& v);

}  // namespace aio::scenario
