// What a verb's parser may use: diagnostics at pointers, templates, calls, nested blocks.
// Verbs are registered in families (steps_<family>.cpp), all listed in steps.cpp.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "scenario/model.hpp"

namespace aio::scenario {

using json = nlohmann::ordered_json;

/// JSON pointer helpers: ptr("/tasks", "a/b") == "/tasks/a~1b".
std::string ptr(const std::string& base, const std::string& key);
std::string ptr(const std::string& base, std::size_t index);
/// "a string", "a list", ... for messages.
const char* type_of(const json& v);

class parse_context {
 public:
  std::vector<diagnostic> diagnostics;

  void error(const std::string& pointer, std::string msg);
  void warning(const std::string& pointer, std::string msg);
  void unknown_key(const std::string& pointer, const std::string& key, const std::vector<std::string>& allowed, const std::string& where);

  /// A template from a scalar; numbers/booleans keep their type. nullopt (and an error) otherwise.
  std::optional<templ> tmpl(const json& v, const std::string& pointer, const char* what);
  /// A non-empty string (a name); nullopt and an error otherwise.
  std::optional<std::string> name(const json& v, const std::string& pointer, const char* what);
  /// A duration template; constant ones are checked now.
  std::optional<templ> duration(const json& v, const std::string& pointer, const char* what);
  /// args: {param: template}
  void args(const json& v, const std::string& pointer, std::vector<std::pair<std::string, templ>>& out);
  /// {call: task, args: {...}}; the call is checked against the tasks after all are parsed.
  std::optional<call_spec> call(const json& v, const std::string& pointer);
  /// A handle name or a call.
  std::optional<awaitable_ref> awaitable(const json& v, const std::string& pointer);
  /// A nested list of steps.
  block steps(const json& v, const std::string& pointer);
  /// One step (a map with one verb key and its modifiers).
  step_ptr step(const json& v, const std::string& pointer);
  /// The value of an optional modifier key, or nullptr.
  static const json* opt(const json& step, const char* key) {
    auto it = step.find(key);
    return it == step.end() ? nullptr : &*it;
  }

  /// Calls seen so far, checked against the task table by the document parser.
  std::vector<call_spec> calls;

  /// A use of a declared object by name; `kinds` are the kinds this use accepts.
  struct object_ref {
    std::string name;
    std::vector<std::string> kinds;
    std::string pointer;
  };
  std::vector<object_ref> refs;
  /// A name of a declared object (checked after the document is parsed).
  std::optional<std::string> object(const json& v, const std::string& pointer, std::vector<std::string> kinds);
};

/// A verb: its key, the other keys its step may have, and its parser (which returns nullptr
/// after reporting errors).
struct verb {
  std::string name;
  std::vector<std::string> modifiers;
  step_ptr (*parse)(parse_context& pc, const json& step, const std::string& pointer);
  const char* summary;  // one line for suggestions and docs
};

/// Every verb, in documentation order.
const std::vector<verb>& verbs();

// The families (steps_<family>.cpp) add their verbs here.
void add_basic_verbs(std::vector<verb>& out);
void add_flow_verbs(std::vector<verb>& out);
void add_sync_verbs(std::vector<verb>& out);
void add_misc_verbs(std::vector<verb>& out);
void add_task_verbs(std::vector<verb>& out);
void add_gen_verbs(std::vector<verb>& out);       // yield, for_each (steps_gen.cpp)
void add_executor_verbs(std::vector<verb>& out);  // run_in_executor, to_thread (steps_executor.cpp)
/// Marks the generator tasks (those with a yield step) and checks their use: only for_each may
/// iterate them, only they may be iterated, they cannot return a value or be the main task.
void check_generators(parse_context& pc, scenario& sc, const json& doc);
void parse_servers(parse_context& pc, scenario& sc, const json& v, const std::string& pointer);
void parse_contexts(parse_context& pc, scenario& sc, const json& v, const std::string& pointer);

/// The top-level keys that declare objects, and their parser (steps_sync.cpp).
const std::vector<std::string>& declaration_keys();
void parse_declarations(parse_context& pc, scenario& sc, const std::string& key, const json& v, const std::string& pointer);

}  // namespace aio::scenario
