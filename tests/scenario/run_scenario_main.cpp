// aio-scenario: run a scenario JSON file natively (debugging aid; the tests and the differential
// check against CPython use it).
//   aio-scenario FILE.json [virtual|real] [--format jsonl|prints] [--export-python]
//   --format jsonl    every trace event, one JSON object per line (the default)
//   --format prints   only print events, as `[{ms:>6}ms] text` (what the exported program prints)
//   --export-python   print the scenario as a Python asyncio program instead of running it
// Exit status: 0 ok, 1 invalid scenario (or unreadable file), 2 the run failed, 64 usage.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "scenario/interpreter.hpp"
#include "scenario/python_export.hpp"

namespace {
class stdout_sink final : public aio::scenario::trace_sink {
 public:
  explicit stdout_sink(bool prints_only) : prints_only_(prints_only) {}
  void emit(const aio::scenario::value& e) override {
    ++count_;
    if (!prints_only_) {
      std::cout << e.dump() << '\n';
    } else if (e["type"] == "print") {
      std::string ms = aio::scenario::to_display(e["t"]);
      std::cout << '[' << std::string(ms.size() < 6 ? 6 - ms.size() : 0, ' ') << ms << "ms] " << e["text"].get<std::string>() << '\n';
    }
  }
  void flush() override { std::cout.flush(); }

 private:
  bool prints_only_;
};

int usage() {
  std::cerr << "usage: aio-scenario FILE.json [virtual|real] [--format jsonl|prints] [--export-python] [--max-events=N]\n";
  return 64;
}
}  // namespace

int main(int argc, char** argv) {
  std::string file, clock, format = "jsonl";
  bool export_python = false;
  std::size_t max_events = 0;  // 0: the default
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--format" && i + 1 < argc)
      format = argv[++i];
    else if (a.rfind("--format=", 0) == 0)
      format = a.substr(9);
    else if (a.rfind("--max-events=", 0) == 0)
      max_events = std::stoul(a.substr(13));
    else if (a == "--export-python")
      export_python = true;
    else if (a == "virtual" || a == "real")
      clock = a;
    else if (file.empty() && a.rfind("--", 0) != 0)
      file = a;
    else
      return usage();
  }
  if (file.empty() || (format != "jsonl" && format != "prints")) return usage();
  std::ifstream in(file);
  std::stringstream ss;
  ss << in.rdbuf();
  auto doc = nlohmann::ordered_json::parse(ss.str(), nullptr, false);
  if (!in || doc.is_discarded()) {
    std::cerr << "not JSON: " << file << "\n";
    return 1;
  }
  if (export_python) {
    auto r = aio::scenario::export_python_document(doc);
    for (auto& d : r.diagnostics)
      std::cerr << (d.severity == aio::scenario::diagnostic::level::error ? "error" : "warning") << " at " << (d.pointer.empty() ? "/" : d.pointer)
                << ": " << d.message << "\n";
    std::cout << r.program;
    return r.ok() ? 0 : 1;
  }
  aio::scenario::run_options opt;
  opt.clock = clock;
  if (max_events) opt.max_events = max_events;
  stdout_sink sink(format == "prints");
  return aio::scenario::run_document(doc, opt, sink);
}
