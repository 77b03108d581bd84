// A scenario step as the interpreter runs it. Each verb (print, sleep, spawn, if, try, ...) is a
// step_node subclass defined next to its parser in a steps_<family>.cpp file; the parser builds
// them, the interpreter awaits run(). A step never throws anything but scenario_error (a mistake
// in the scenario, with its pointer), scenario_raise (an exception the scenario raises), engine
// exceptions (cancelled_error, timeout_error, ...) and flow changes recorded in the frame.
#pragma once
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "aio/coro.hpp"
#include "aio/event_loop.hpp"
#include "aio/task.hpp"
#include "scenario/expr.hpp"

namespace aio::scenario {

struct scenario;
struct call_spec;
struct awaitable_ref;
class trace_sink;
class exec_context;
class object_table;
struct gen_state;  // an async generator task being iterated (steps_gen.cpp)
class run_guard;
class http_client;  // the host's network for real-URL fetch (http.hpp)
}  // namespace aio::scenario
namespace aio {
class task_group;
}
namespace aio::scenario {

/// How control leaves a step: on to the next, out of the loop, to the loop's next turn, or out
/// of the task call.
enum class flow : unsigned char { next, brk, cont, ret };

/// The variables and task handles of one scenario task call.
struct frame {
  std::map<std::string, value> vars;
  std::map<std::string, task<value>> handles;
  flow state = flow::next;
  value result;
  task_group* group = nullptr;  // inside a task_group block: spawn creates the task in it
  gen_state* gen = nullptr;      // the body of an async generator task: where `yield` hands values
};

class py_writer;

class step_node {
 public:
  virtual ~step_node() = default;
  virtual coro<void> run(exec_context& cx, frame& f) const = 0;
  /// Write this step as Python asyncio statements (python_writer.hpp).
  virtual void to_python(py_writer& py) const = 0;
  std::string pointer;  // JSON pointer of the step in the document
};
using step_ptr = std::shared_ptr<const step_node>;
using block = std::vector<step_ptr>;

/// What steps may use while running: the loop, the trace, evaluation, calls and handles.
class exec_context {
 public:
  exec_context(const scenario& sc, event_loop& loop, trace_sink& sink);
  ~exec_context();

  const scenario& sc;
  event_loop& loop;
  trace_sink& sink;
  seeded_random rng;
  std::unique_ptr<object_table> objects;  // the scenario's locks, queues, ... for this run
  std::map<std::string, value> shared;    // `shared:` variables, seen by every task
  std::map<std::string, int> server_calls;  // calls made so far to each simulated server
  run_guard* guard = nullptr;               // limits and watchdog (watchdog.hpp); set by the runner
  http_client* http = nullptr;              // real-URL fetch (http.hpp); run_options::http, may be null
  /// Assign a variable: a local (or parameter) if the frame has it, else a shared variable of
  /// that name, else a new local.
  void assign(frame& f, const std::string& name, value v);

  /// Evaluate a template with the frame's variables and `now` (ms); errors become scenario_error.
  value eval(const templ& t, frame& f, const std::string& pointer);
  /// Run a block's steps in order until one changes the flow.
  coro<void> exec(const block& b, frame& f);
  /// Run a scenario task call inline (like `await coro()`), returning its `return` value.
  coro<value> call(const call_spec& c, frame& f);
  /// Run a scenario task call as a new task named `name` (or after the task), made unique.
  task<value> start(const call_spec& c, frame& f, const std::string& name = {});
  /// The task handle an awaitable_ref names in this frame; scenario_error if none.
  task<value>& handle(const awaitable_ref& r, frame& f);
  /// A future for an awaitable_ref: a handle's task, or a call started as a task.
  future<value> to_future(const awaitable_ref& r, frame& f);
  /// Emit a `print` event from the current task.
  void print(const std::string& text);
  /// The step each task is running (for deadlock and watchdog messages).
  const step_node* current_step(std::uint64_t task_id) const;
  std::string unique_name(const std::string& base);

 private:
  coro<value> run_call(const struct task_def* def, value args);
  value eval_args(const call_spec& c, frame& f);
  std::map<std::string, int> name_uses_;
  std::map<std::uint64_t, const step_node*> current_step_;
};

}  // namespace aio::scenario
