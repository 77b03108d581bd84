// The prelude of exported Python programs (python_export.hpp has the contract): each helper's
// Python source, the helpers it calls and the modules it imports, in the order they are
// written. The exporter writes only those the program calls.
#pragma once
#include <string>
#include <vector>

namespace aio::scenario {

struct prelude_helper {
  const char* name;
  std::vector<std::string> deps;     // other helpers it calls
  std::vector<std::string> imports;  // modules it needs
  const char* code;                  // Python source, ending with a newline
};

const std::vector<prelude_helper>& python_prelude();

}  // namespace aio::scenario
