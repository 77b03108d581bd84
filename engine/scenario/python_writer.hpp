// py_writer: how step nodes turn themselves into an idiomatic asyncio program (3.11+, stdlib
// only) for `aio-play export --python`. Each step_node::to_python writes its statements; the
// exporter (python_export.cpp, which documents the prelude helpers a step may call) writes the
// docstring, the prelude, the declared objects and one `async def` per scenario task.
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
  /// The same for a loop's body: break/continue inside it are Python's; outside any loop they
  /// end the task call, as in the engine, and are written as `return`.
  void loop_body(const std::vector<step_ptr>& steps);
  bool in_loop() const noexcept { return loops_ > 0; }
  /// A Python expression computing the template's value (an f-string for text with holes,
  /// the bare expression for a lone {expr}, a literal for constant text).
  std::string value(const templ& t);
  /// The same, always a str: the template as print, raise and cancel messages show it.
  std::string display(const templ& t);
  /// A Python expression for an expression in the scenario's expression language.
  std::string expr(const expr& e);
  /// A Python identifier for a scenario variable, handle or object (keywords, builtins, helper
  /// names and task function names get a trailing underscore: `as: judge` next to a task
  /// `judge` must not shadow the function). Never use it for a task: see task_name().
  std::string name(const std::string& scenario_name);
  /// The Python function name of a scenario task (for calls and spawns).
  std::string task_name(const std::string& scenario_task);
  /// The task function names, which variables must not take (set by the exporter).
  void set_task_names(const std::set<std::string>& tasks) { tasks_ = tasks; }
  /// The Python class for an exception type named in the scenario: a builtin (ValueError),
  /// asyncio's (asyncio.CancelledError, asyncio.QueueEmpty), or a class the exporter declares
  /// (`class PaymentError(Exception)`); custom names are recorded in custom_errors().
  std::string error_class(const std::string& type);
  const std::set<std::string>& custom_errors() const noexcept { return custom_errors_; }
  /// error_class() for `raise Class('message')`, or "" where make_error() must build it.
  std::string raise_class(const std::string& type);
  /// A Python string literal.
  static std::string quote(const std::string& s);
  /// A fresh temporary name (_t1, _t2, ...).
  std::string temp();
  /// Note that the program needs a helper from the prelude that its text does not call by
  /// name (the exporter also finds helpers by scanning the text).
  void need(const std::string& helper) { needs_.insert(helper); }
  const std::set<std::string>& needs() const noexcept { return needs_; }
  std::string text() const { return out_; }
  /// Inside `async with asyncio.TaskGroup() as tg:` blocks, spawn writes tg.create_task.
  void push_group(std::string tg) { groups_.push_back(std::move(tg)); }
  void pop_group() { groups_.pop_back(); }
  const std::string* group() const noexcept { return groups_.empty() ? nullptr : &groups_.back(); }

 private:
  std::string out_;
  int depth_ = 0;
  int loops_ = 0;
  int temps_ = 0;
  std::set<std::string> needs_;
  std::set<std::string> tasks_;
  std::set<std::string> custom_errors_;
  std::vector<std::string> groups_;
};

}  // namespace aio::scenario
