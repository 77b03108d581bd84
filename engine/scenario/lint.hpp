// Learner lints: warnings about scenarios that are valid and run, but contain a pattern that is
// usually a concurrency mistake in real asyncio code (a task nobody awaits, a blocking call among
// concurrent tasks, a lock held across a long sleep, an unguarded gather over tasks that raise,
// a one-sided queue, a wait nothing can ever end). parse_scenario runs them after a parse without
// errors and adds them as warnings, each with the pointer of the step and a message that explains
// the problem and the usual fix; the page shows them as editor markers and terminal lines.
//
// Opting out, when the pattern is the lesson or deliberate:
//   - on a step (silences the step and every step nested in it):
//       nolint: true                 every rule
//       nolint: blocking-call        one rule
//       nolint: [unused-task, gather-error]
//   - for the whole file, the same values as a top-level key: `nolint: [blocking-call]`.
#pragma once
#include <string>
#include <vector>

#include "scenario/model.hpp"

namespace aio::scenario {

struct lint_rule {
  const char* name;
  const char* summary;
};

/// Every rule, by name (the names `nolint:` takes).
const std::vector<lint_rule>& lint_rules();

/// The warnings for a scenario that parsed without errors (`doc` is the document it came from).
std::vector<diagnostic> lint_scenario(const scenario& sc, const nlohmann::ordered_json& doc);

}  // namespace aio::scenario
