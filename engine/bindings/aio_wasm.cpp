// The WASM entry points: the only code that talks to JS (see docs/engine-abi.md).
// aio_run parses the scenario JSON, then steps the runner. Between steps it lets time pass:
// the virtual clock jumps; the real clock parks the whole WASM stack with Asyncify until a
// browser timer for the next deadline fires (or JS wakes it). The park is called directly from
// here, never through a virtual call or inside a try block, so -sASYNCIFY_IGNORE_INDIRECT holds.
#include <emscripten.h>

#include <cmath>
#include <string>

#include "scenario/interpreter.hpp"
#include "scenario/python_export.hpp"
#include "scenario/watchdog.hpp"
#include "control.hpp"
#include "http_wasm.hpp"

extern "C" void aio_platform_park(double ms) noexcept;

namespace {

EM_JS(void, aio_host_emit, (const char* text, int len), {
  if (Module.onAioEvents) Module.onAioEvents(UTF8ToString(text, len));
});

/// Buffers events as JSONL and hands them to JS in batches (at most every 64 KB, before every
/// park, and at the end of the run).
class jsonl_sink final : public aio::scenario::trace_sink {
 public:
  void emit(const aio::scenario::value& e) override {
    ++count_;
    buf_ += e.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
    buf_ += '\n';
    if (buf_.size() > 64 * 1024) flush();
  }
  void flush() override {
    if (buf_.empty()) return;
    aio_host_emit(buf_.data(), static_cast<int>(buf_.size()));
    buf_.clear();
  }

 private:
  std::string buf_;
};

struct prepared {
  aio::scenario::parse_result parsed;
  aio::scenario::run_options options;
  bool json_ok = true;
  bool start_paused = false;
  std::string json_error;
};

prepared prepare(const char* scenario_json, const char* options_json) {
  prepared p;
  nlohmann::ordered_json doc = nlohmann::ordered_json::parse(scenario_json, nullptr, false);
  if (doc.is_discarded()) {
    p.json_ok = false;
    p.json_error = "the scenario is not valid JSON";
    return p;
  }
  p.parsed = aio::scenario::parse_scenario(doc);
  nlohmann::ordered_json opt = nlohmann::ordered_json::parse(options_json ? options_json : "{}", nullptr, false);
  if (opt.is_object()) {
    if (opt.contains("clock") && opt["clock"].is_string()) p.options.clock = opt["clock"].get<std::string>();
    if (opt.contains("speed") && opt["speed"].is_number()) p.options.speed = opt["speed"].get<double>();
    if (opt.contains("maxEvents") && opt["maxEvents"].is_number_unsigned()) p.options.max_events = opt["maxEvents"].get<std::size_t>();
    if (opt.contains("maxTasks") && opt["maxTasks"].is_number_unsigned()) p.options.max_tasks = opt["maxTasks"].get<std::size_t>();
    if (opt.contains("watchdogMs") && opt["watchdogMs"].is_number()) p.options.watchdog_ms = opt["watchdogMs"].get<double>();
    if (opt.contains("paused") && opt["paused"].is_boolean()) p.start_paused = opt["paused"].get<bool>();
  }
  return p;
}

}  // namespace

extern "C" {

/// Run a scenario to the end. 0 ok, 1 invalid scenario, 2 the run failed.
EMSCRIPTEN_KEEPALIVE int aio_run(const char* scenario_json, const char* options_json) {
  jsonl_sink sink;
  prepared p = prepare(scenario_json, options_json);
  if (!p.json_ok || !p.parsed.ok()) {
    if (!p.json_ok) p.parsed.diagnostics.push_back({aio::scenario::diagnostic::level::error, p.json_error, ""});
    aio::scenario::emit_diagnostics(p.parsed.diagnostics, sink);
    sink.emit({{"type", "end"}, {"t", 0}, {"status", "invalid"}, {"message", "the scenario has errors"}});
    sink.flush();
    return 1;
  }
  aio::scenario::emit_diagnostics(p.parsed.diagnostics, sink);  // warnings
  aio::bindings::wasm_http_client http;  // real-URL fetch (http_wasm.hpp); outlives the runner
  p.options.http = &http;
  aio::scenario::runner r(p.parsed.value, p.options, sink);
  aio::bindings::controller ctl(r, sink);
  if (p.start_paused) ctl.pause();
  while (!r.finished()) {
    ctl.drain();
    http.poll();  // fetch answers that arrived while parked
    if (r.finished()) break;
    double wait_ms = ctl.plan();  // < 0: step now; +inf: park until woken; else park this long
    if (wait_ms >= 0) {
      sink.flush();
      aio_platform_park(std::isfinite(wait_ms) ? wait_ms : -1.0);
      continue;  // woken: a control message, a fetch, or the deadline; look again
    }
    ctl.step();
  }
  sink.flush();
  return r.exit_code();
}

/// Validate only: emits diagnostics and an `end` event. 0 valid, 1 invalid.
EMSCRIPTEN_KEEPALIVE int aio_validate(const char* scenario_json) {
  jsonl_sink sink;
  prepared p = prepare(scenario_json, "{}");
  if (!p.json_ok) p.parsed.diagnostics.push_back({aio::scenario::diagnostic::level::error, p.json_error, ""});
  aio::scenario::emit_diagnostics(p.parsed.diagnostics, sink);
  bool ok = p.json_ok && p.parsed.ok();
  sink.emit({{"type", "end"}, {"t", 0}, {"status", ok ? "ok" : "invalid"}});
  sink.flush();
  return ok ? 0 : 1;
}

/// The scenario as a Python asyncio program: emits diagnostics (warnings, or the errors that
/// make it invalid), a `python` event with the program's text when valid, then `end`.
/// 0 exported, 1 invalid. Never parks: callable while nothing else runs on this instance.
EMSCRIPTEN_KEEPALIVE int aio_export_python(const char* scenario_json) {
  jsonl_sink sink;
  prepared p = prepare(scenario_json, "{}");
  if (!p.json_ok) p.parsed.diagnostics.push_back({aio::scenario::diagnostic::level::error, p.json_error, ""});
  aio::scenario::emit_diagnostics(p.parsed.diagnostics, sink);
  bool ok = p.json_ok && p.parsed.ok();
  if (ok) sink.emit({{"type", "python"}, {"t", 0}, {"text", aio::scenario::export_python(p.parsed.value)}});
  sink.emit({{"type", "end"}, {"t", 0}, {"status", ok ? "ok" : "invalid"}});
  sink.flush();
  return ok ? 0 : 1;
}
}
