// Tests for engine/scenario/expr.hpp.
#include <doctest/doctest.h>

#include <map>
#include <string>

#include "scenario/expr.hpp"

using namespace aio::scenario;

namespace {
value ev(const std::string& text, std::map<std::string, value> vars = {}) {
  auto names = [&](const std::string& n) -> const value* {
    auto it = vars.find(n);
    return it == vars.end() ? nullptr : &it->second;
  };
  return expr::parse(text).eval(names, [] { return 0.5; });
}
std::string tp(const std::string& text, std::map<std::string, value> vars = {}) {
  auto names = [&](const std::string& n) -> const value* {
    auto it = vars.find(n);
    return it == vars.end() ? nullptr : &it->second;
  };
  return to_display(templ::parse(text).eval(names, [] { return 0.5; }));
}
}  // namespace

TEST_CASE("arithmetic, precedence and Python-style division and modulo") {
  CHECK(ev("1 + 2 * 3") == 7);
  CHECK(ev("(1 + 2) * 3") == 9);
  CHECK(ev("7 // 2") == 3);
  CHECK(ev("-7 % 3") == 2);
  CHECK(ev("7 / 2") == 3.5);
  CHECK(ev("-x", {{"x", 4}}) == -4);
}

TEST_CASE("comparison, boolean logic and membership") {
  CHECK(ev("1 < 2 and 2 <= 2") == true);
  CHECK(ev("not (1 == 1) or 'a' != 'b'") == true);
  CHECK(ev("2 in [1, 2, 3]") == true);
  CHECK(ev("'x' in {x: 1}") == true);
}

TEST_CASE("lists, maps, indexing and functions") {
  CHECK(ev("[1, 2, 3][-1]") == 3);
  CHECK(ev("{a: {b: 5}}.a.b") == 5);
  CHECK(ev("len('hello')") == 5);
  CHECK(ev("max(3, 9, 4)") == 9);
  CHECK(ev("range(3)") == value::array({0, 1, 2}));
  CHECK(ev("randint(1, 10)") == 6);  // the injected random source returns 0.5
  CHECK(ev("str(1.5) + 'x'") == "1.5x");
}

TEST_CASE("errors carry a column and a clear message") {
  try {
    ev("1 + ");
    FAIL("expected an error");
  } catch (const expr_error& e) {
    CHECK(e.column == 5);
  }
  CHECK_THROWS_WITH_AS(ev("nope + 1"), "unknown name 'nope'", expr_error);
  CHECK_THROWS_WITH_AS(ev("1 / 0"), "division by zero", expr_error);
  CHECK_THROWS_AS(ev("'a' + 1"), expr_error);
  CHECK_THROWS_AS(ev("a = 1"), expr_error);
  CHECK_THROWS_AS(ev("launch_missiles()"), expr_error);
}

TEST_CASE("templates interpolate, a lone {expr} keeps its type") {
  CHECK(tp("item-{i}", {{"i", 3}}) == "item-3");
  CHECK(templ::parse("{i}").eval([](const std::string&) -> const value* { static value v = 3; return &v; }, [] { return 0.0; }) == 3);
  CHECK(tp("{{literal}}") == "{literal}");
  CHECK(tp("took {a - b} ms", {{"a", 4500.0}, {"b", 0}}) == "took 4500 ms");
  CHECK(tp("{0.1 + 0.2}") == "0.30000000000000004");
  CHECK_THROWS_AS(templ::parse("oops {"), expr_error);
}
