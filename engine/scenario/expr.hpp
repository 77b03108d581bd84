// The scenario's small, safe expression language. Values are JSON values (null, bool, number,
// string, list, map). Grammar, loosest binding first:
//   or · and · not · == != < <= > >= in · + - · * / // % · unary - · postfix [index] .field · atom
//   atom: number, 'string' or "string", true/false/null, name, (expr), [list], {key: expr}, f(args)
// Functions: len, str, int, float, round, abs, min, max, range, random, randint (seeded).
// Nothing here can reach the host: no assignment, no loops, no I/O.
// Templates: "text {expr} more" interpolates; a string that is exactly "{expr}" yields the
// expression's value with its type; "{{" and "}}" are literal braces.
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>

namespace aio::scenario {

using value = nlohmann::ordered_json;

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
  /// The same expression in Python, with scenario names mapped by `name` and the run-time
  /// helpers of the exported program (now(), fmt(), ...) where semantics need them.
  std::string to_python(const std::function<std::string(const std::string&)>& name) const;

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
  /// A lone {expr}: the value keeps its type.
  const expr* single() const noexcept { return parts_.size() == 1 && parts_[0].e.valid() ? &parts_[0].e : nullptr; }
  struct part {
    std::string literal;
    expr e;  // valid() for a hole
  };
  const std::vector<part>& parts() const noexcept { return parts_; }
  const std::string& text() const noexcept { return text_; }

 private:
  std::vector<part> parts_;
  std::string text_;
};

/// How values print in templates and `print`: integral numbers without a decimal point, other
/// numbers in their shortest round-trip form, strings as they are, lists/maps as JSON.
std::string to_display(const value& v);
/// The scenario's random numbers: splitmix64, so the exported Python program (which carries
/// the same 10-line generator) draws exactly the same sequence for a seed.
class seeded_random {
 public:
  explicit seeded_random(std::uint64_t seed) : state_(seed) {}
  /// A double in [0, 1) with 53 random bits.
  double next() noexcept {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    z ^= z >> 31;
    return static_cast<double>(z >> 11) * 0x1.0p-53;
  }

 private:
  std::uint64_t state_;
};

/// Truthiness as in Python: false, null, 0, "", [], {} are false.
bool truthy(const value& v);

}  // namespace aio::scenario
