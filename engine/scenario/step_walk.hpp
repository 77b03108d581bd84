// Walking a scenario document's steps as JSON, before or after parsing: the generator checks
// (steps_gen.cpp) and the learner lints (lint.cpp) read steps of every verb family this way, so
// no verb has to expose its node's insides. Knows every key that holds nested steps.
#pragma once
#include <functional>
#include <string>
#include <vector>

#include "scenario/parse_context.hpp"

namespace aio::scenario {

/// One step of the document: its JSON, pointer, verb ("" if it has none) and, for a step nested
/// in another, the key of the parent that holds it ("steps", "then", "finally", "except", ...).
struct step_at {
  const json* step = nullptr;
  std::string pointer;
  std::string verb;
  std::string via;
};
/// The steps enclosing a step, outermost first.
using step_path = std::vector<step_at>;
using step_visitor = std::function<void(const step_at& s, const step_path& enclosing)>;

/// The verb of a step map (a key naming a verb that is not a modifier of another verb present).
std::string verb_of(const json& step);
/// Visit every step of a list and, depth first, the steps nested in each (pre-order).
void walk_steps(const json& steps, const std::string& pointer, const step_visitor& visit);
/// The steps of a task in a document's `tasks:` (a list, or a map with `steps:`), or nullptr.
const json* task_steps(const json& task);
/// Where a task's steps are: pointer of the list.
std::string task_steps_pointer(const json& task, const std::string& task_pointer);

}  // namespace aio::scenario
