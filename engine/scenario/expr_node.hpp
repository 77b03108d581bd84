// The expression tree shared by the evaluator (expr.cpp) and the Python writer (expr_python.cpp).
// Private to the scenario layer: users see expr and templ (expr.hpp).
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "scenario/expr.hpp"

namespace aio::scenario {

struct expr_node {
  enum kind_t { literal, name, unary, binary, call, index, list, map } kind;
  std::string op;  // operator, name or function
  value lit;
  std::vector<std::shared_ptr<const expr_node>> kids;
  std::vector<std::string> keys;  // map literal keys
  int column = 1;
};

}  // namespace aio::scenario
