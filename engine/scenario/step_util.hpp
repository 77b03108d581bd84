// What every verb family shares: building a node, and writing calls and awaitables as Python.
#pragma once
#include <memory>
#include <string>

#include "scenario/model.hpp"
#include "scenario/python_writer.hpp"

namespace aio::scenario {

struct frame;

/// A new step node of type Node for the step at `pointer`.
template <class Node>
std::shared_ptr<Node> make_node(const std::string& pointer) {
  auto n = std::make_shared<Node>();
  n->pointer = pointer;
  return n;
}

/// After one pass of a loop body: whether the loop ends (break, which it consumes, or return),
/// with `continue` consumed so the next pass runs normally.
bool loop_should_stop(frame& f);

/// `fn(k=v, ...)` for a call of a scenario task.
std::string py_call(py_writer& py, const call_spec& c);
/// The Python awaitable for a handle (or "{h}", a variable holding a handle's name) or a call.
std::string py_awaitable(py_writer& py, const awaitable_ref& r);

}  // namespace aio::scenario
