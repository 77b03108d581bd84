// Helpers for scenario tests: run a JSON scenario on the virtual clock and read its trace.
#pragma once
#include <string>
#include <vector>

#include "scenario/interpreter.hpp"

namespace aio::scenario::testing {

struct result {
  int code;
  std::vector<nlohmann::ordered_json> events;
  /// "[ms] task text" for each print event.
  std::vector<std::string> prints() const {
    std::vector<std::string> out;
    for (auto& e : events)
      if (e["type"] == "print") out.push_back("[" + to_display(e["t"]) + "] " + e["task"].get<std::string>() + " " + e["text"].get<std::string>());
    return out;
  }
  /// Just the printed texts.
  std::vector<std::string> texts() const {
    std::vector<std::string> out;
    for (auto& e : events)
      if (e["type"] == "print") out.push_back(e["text"].get<std::string>());
    return out;
  }
  std::vector<nlohmann::ordered_json> of(const std::string& type) const {
    std::vector<nlohmann::ordered_json> out;
    for (auto& e : events)
      if (e["type"] == type) out.push_back(e);
    return out;
  }
};

inline result run_json(const nlohmann::ordered_json& doc, run_options opt = {}) {
  vector_sink sink;
  int code = run_document(doc, opt, sink);
  return {code, sink.events};
}
inline result run_text(const char* json_text) { return run_json(nlohmann::ordered_json::parse(json_text)); }

}  // namespace aio::scenario::testing
