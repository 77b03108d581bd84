// py_writer: how step nodes turn themselves into an idiomatic asyncio program (3.11+, stdlib
// only) for `aio-play export --python`. Each step_node::to_python writes its statements; the
// exporter (python_export.cpp) writes the prelude (imports, the print/format helpers, the
// run-time clock) and one `async def` per scenario task.
#pragma once
#include <set>
#include <string>
#include <vector>

#include "scenario/expr.hpp"

namespace aio::scenario {

class step_node;
using step_ptr = std::shared_ptr<const step_node>;

class py_writer {
 public:
  /// One statement at the current indentation.
  void line(const std::string& code);
  void indent() { ++depth_; }
  void dedent() { --depth_; }
  /// Write a block's steps one level deeper (`pass` if it is empty).
  void body(const std::vector<step_ptr>& steps);
  /// A Python expression computing the template's value (an f-string for text with holes,
  /// the bare expression for a lone {expr}, a literal for constant text).
  std::string value(const templ& t);
  /// A Python expression for an expression in the scenario's expression language.
  std::string expr(const expr& e);
  /// A Python identifier for a scenario variable or handle (keywords and helper names mangled).
  std::string name(const std::string& scenario_name);
  /// A Python string literal.
  static std::string quote(const std::string& s);
  /// A fresh temporary name (_t1, _t2, ...).
  std::string temp();
  /// Note that the program needs a helper from the prelude (e.g. "timeout", "fetch").
  void need(const std::string& helper) { needs_.insert(helper); }
  const std::set<std::string>& needs() const noexcept { return needs_; }
  std::string text() const { return out_; }

 private:
  std::string out_;
  int depth_ = 0;
  int temps_ = 0;
  std::set<std::string> needs_;
};

}  // namespace aio::scenario
