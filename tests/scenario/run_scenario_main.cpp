// aio-scenario: run a scenario JSON file natively and print its trace as JSONL (debugging aid;
// the tests and the differential checks use it to compare against the WASM build).
#include <fstream>
#include <iostream>
#include <sstream>

#include "scenario/interpreter.hpp"

namespace {
class stdout_sink final : public aio::scenario::trace_sink {
 public:
  void emit(const aio::scenario::value& e) override {
    ++count_;
    std::cout << e.dump() << '\n';
  }
};
}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: aio-scenario FILE.json [virtual|real]\n";
    return 64;
  }
  std::ifstream in(argv[1]);
  std::stringstream ss;
  ss << in.rdbuf();
  auto doc = nlohmann::json::parse(ss.str(), nullptr, false);
  if (doc.is_discarded()) {
    std::cerr << "not JSON: " << argv[1] << "\n";
    return 1;
  }
  aio::scenario::run_options opt;
  if (argc > 2) opt.clock = argv[2];
  stdout_sink sink;
  return aio::scenario::run_document(doc, opt, sink);
}
