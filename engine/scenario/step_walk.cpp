#include "scenario/step_walk.hpp"

#include <algorithm>

namespace aio::scenario {

namespace {

void walk(const json& steps, const std::string& pointer, const std::string& via, step_path& path, const step_visitor& visit);

void walk_step(const json& s, const std::string& p, const std::string& via, step_path& path, const step_visitor& visit) {
  step_at at{&s, p, "", via};
  if (s.is_string()) {
    at.verb = s.get<std::string>();  // "break", "continue"
    visit(at, path);
    return;
  }
  if (!s.is_object()) return;
  at.verb = verb_of(s);
  visit(at, path);
  path.push_back(at);
  for (auto& [k, x] : s.items()) {
    std::string kp = ptr(p, k);
    if (k == "steps" || k == "then" || k == "else" || k == "finally" || (k == at.verb && (k == "try" || k == "loop" || k == "task_group"))) {
      walk(x, kp, k, path, visit);
    } else if (k == "except" && x.is_array()) {
      for (std::size_t i = 0; i < x.size(); ++i)
        if (x[i].is_object() && x[i].contains("steps")) walk(x[i]["steps"], ptr(ptr(kp, i), "steps"), "except", path, visit);
    } else if (k == "for_each" && at.verb == "for_each" && x.is_object() && x.contains("steps")) {
      walk(x["steps"], ptr(kp, "steps"), "steps", path, visit);  // the map form keeps its steps inside
    }
  }
  path.pop_back();
}

void walk(const json& steps, const std::string& pointer, const std::string& via, step_path& path, const step_visitor& visit) {
  if (!steps.is_array()) return;
  for (std::size_t i = 0; i < steps.size(); ++i) walk_step(steps[i], ptr(pointer, i), via, path, visit);
}

}  // namespace

std::string verb_of(const json& s) {
  if (s.is_string()) return s.get<std::string>();
  if (!s.is_object()) return {};
  std::vector<const verb*> present;
  for (auto& [k, x] : s.items())
    for (auto& vb : verbs())
      if (vb.name == k) present.push_back(&vb);
  for (auto* c : present) {
    bool modifier = false;
    for (auto* o : present)
      if (o != c && std::find(o->modifiers.begin(), o->modifiers.end(), c->name) != o->modifiers.end()) modifier = true;
    if (!modifier) return c->name;
  }
  return {};
}

void walk_steps(const json& steps, const std::string& pointer, const step_visitor& visit) {
  step_path path;
  walk(steps, pointer, "", path, visit);
}

const json* task_steps(const json& task) {
  if (task.is_array()) return &task;
  if (task.is_object() && task.contains("steps")) return &task["steps"];
  return nullptr;
}

std::string task_steps_pointer(const json& task, const std::string& task_pointer) {
  return task.is_array() ? task_pointer : ptr(task_pointer, "steps");
}

}  // namespace aio::scenario
