// export_python: a scenario as a complete, runnable Python 3.11+ asyncio program (stdlib only),
// the "Python" tab of the page and `aio-scenario --export-python`. Run on CPython under a
// virtual-time loop (tests/python/virtual_loop.py) it prints exactly what the engine prints,
// timestamps included; tests/differential checks that on hundreds of generated scenarios.
//
// The program is: a docstring (title, description), imports, the prelude helpers the program
// uses, declared exception classes, shared variables, declared objects, one `async def` per
// scenario task (body from step_node::to_python), and `_main()` run by asyncio.run, whose
// shutdown cancels leftover tasks like the engine's runner.
//
// Helper contract for step_node::to_python (call them by name; the exporter finds the calls in
// the text and emits only the helpers used, with their dependencies):
//   out(v)              print v as `[{fmt(now()):>6}ms] {fmt(v)}` (the print step)
//   fmt(v)              to_display(): 3 not 3.0, shortest round-trip floats, true/false/null,
//                       lists/maps as compact JSON (keys in insertion order, numbers as doubles: 1.0)
//   now()               ms since the run started on the loop's clock, rounded to the µs (trace_time)
//   dur(v)              seconds for a duration value: a number, "250ms", "1.5s", "2m", "1h"
//   idx(i)              an index: integral floats become ints (x[idx(i)])
//   to_int(x)           int(): truncates numbers and numeric strings
//   frange(*a)          range() over numbers, as a list (floats allowed)
//   rnd_random()        random(): the seeded splitmix64 shared with the engine (seed: SEED)
//   rnd_randint(a, b)   randint(a, b): a + floor(rnd_random() * (b - a + 1))
//   err_value(exc)      an exception as a scenario value: {"error": type name, "message": text}
//   outcomes(results)   gather(return_exceptions=True) results with exceptions as err_value()
//   make_error(text)    the exception for "Type: message" (builtin, asyncio's, or a class made
//                       on first use), as the raise step makes it
//   errors(*names)      a tuple of classes for `except` (CancelledError → asyncio.CancelledError)
//   block(delay)        time.sleep(dur(delay)): a blocking call that freezes the loop
//   sim_fetch(srv, p)   the simulated fetch against the scenario's `servers:` (awaitable)
// Prefer plain Python where it is exact: py_writer::error_class() names exception classes
// statically (`except (ValueError, asyncio.QueueEmpty)`), constant sleeps are float literals.
// Variables are function locals; `shared:` variables are module globals (the exporter adds the
// `global` statements); objects (locks, queues, ...) and contexts are module-level names.
//
// Known differences, where the engine's scenario language is not Python (the export follows the
// Python meaning; tests/differential/generate.mjs stays clear of them):
//   - numbers are doubles: round(x, n) rounds x * 10^n (round(0.645, 2) is 0.64, Python 0.65);
//     // and % on non-integers use floor(x / y) (1 // 0.1 is 10, Python 9); ints past 2^53
//   - true == 1 is false; strings are UTF-8 bytes for len() and indexing; int('0x10') is 16
//   - except matches type names only: `error: LookupError` does not catch a KeyError
//   - return/break/continue in a finally block do not discard the pending exception
//   - asyncio.run cancels leftover tasks in set (arbitrary) order, the engine in creation order
//     (tests/python/virtual_loop.py's pinned_task_order() makes CPython do the same)
//   - "{h}" (a handle held in a variable, e.g. from wait's done/pending lists) exports as the
//     variable itself: in Python it holds the task (fmt() prints a task as its name). A variable
//     set to a handle's name as text does not work that way; a computed name ("{'w' + n}") is
//     looked up with locals(), which misses handles whose names Python mangles
//   - contexts: a `return` in enter or exit steps is not valid in Python's async generator
//   - `raise: CancelledError` raises asyncio.CancelledError (the task ends cancelled); the
//     engine raises an ordinary exception of that name (the task fails)
#pragma once
#include <string>
#include <vector>

#include "scenario/model.hpp"

namespace aio::scenario {

/// The program for a valid scenario.
std::string export_python(const scenario& sc);

/// Parse a scenario document and export it; on errors, `program` is empty and `diagnostics`
/// say why (as parse_scenario reports them).
struct python_export {
  std::string program;
  std::vector<diagnostic> diagnostics;
  bool ok() const noexcept { return !program.empty(); }
};
python_export export_python_document(const nlohmann::ordered_json& doc);

}  // namespace aio::scenario
