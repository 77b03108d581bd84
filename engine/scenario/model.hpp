// The parsed form of a scenario: named tasks made of steps (step.hpp). Every node keeps the JSON
// pointer of where it came from, so errors at parse time and at run time point at the source
// (the page and the CLI turn pointers into line:column with the YAML parser's source map).
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "scenario/expr.hpp"
#include "scenario/objects.hpp"
#include "scenario/step.hpp"

namespace aio::scenario {

struct diagnostic {
  enum class level { error, warning } severity = level::error;
  std::string message;
  std::string pointer;  // JSON pointer into the scenario document
};

/// A call of a scenario task: `{call: name, args: {p: template}}`.
struct call_spec {
  std::string task;
  std::vector<std::pair<std::string, templ>> args;
  std::string pointer;
  bool iterate = false;  // for_each iterates it: the task must be an async generator (and only then)
};

/// What an await or a gather item refers to: a spawned handle, or a call run as a coroutine.
struct awaitable_ref {
  std::optional<call_spec> call;  // set: a call; empty: the handle below
  std::string handle;
  std::string pointer;
};

struct task_def {
  std::string name;
  std::vector<std::string> params;
  block steps;
  std::string pointer;
  bool generator = false;  // it has a `yield` step: an async generator, iterated by for_each
};

/// A simulated server's answer.
struct server_response {
  double latency = 0.1;  // seconds
  int status = 200;
  std::string body = "ok";
};

/// A simulated HTTP server (`servers:`): the i-th call gets sequence[i] (the last repeats), or
/// the base response; jitter adds seeded random latency in [0, jitter).
struct sim_server {
  server_response base;
  std::vector<server_response> responses;
  double jitter = 0;
  std::string pointer;
};

/// An async context manager (`contexts:`): enter steps, then `value` (what `with ... as x`
/// gets, evaluated with the enter steps' variables), exit steps (they run even when the body
/// fails or is cancelled, and see `error` then).
struct context_def {
  block enter, exit;
  std::optional<templ> value;
  std::string pointer;
};

struct scenario {
  std::string title;
  std::string description;
  std::string clock = "virtual";  // "virtual" | "real"
  std::uint64_t seed = 0;
  std::string main = "main";
  std::map<std::string, task_def> tasks;
  std::map<std::string, declared_object> objects;  // locks, semaphores, events, ... by name
  /// `shared:` variables, visible to every task (Python: module globals); initial values.
  std::map<std::string, value> shared;
  std::map<std::string, sim_server> servers;
  std::map<std::string, context_def> contexts;
};

struct parse_result {
  scenario value;
  std::vector<diagnostic> diagnostics;
  bool ok() const {
    for (auto& d : diagnostics)
      if (d.severity == diagnostic::level::error) return false;
    return true;
  }
};

/// Check and convert a scenario document (already parsed from YAML or JSON). Never throws:
/// every problem becomes a diagnostic.
parse_result parse_scenario(const nlohmann::ordered_json& doc);

/// Parse a duration: a number of seconds, or a string like "250ms", "1.5s", "2m", "1h".
/// Returns seconds, or nullopt (with `error` set) if it is not a duration.
std::optional<double> parse_duration(const value& v, std::string* error = nullptr);

/// The closest of `options` to `word` by edit distance, if close enough to suggest.
std::optional<std::string> did_you_mean(const std::string& word, const std::vector<std::string>& options);

}  // namespace aio::scenario
