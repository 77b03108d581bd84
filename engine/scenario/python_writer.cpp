#include "scenario/python_writer.hpp"

#include <algorithm>

#include "scenario/step.hpp"

namespace aio::scenario {

namespace {
// Python keywords and the names the exported prelude defines: scenario names that collide get
// a trailing underscore.
const std::set<std::string> k_reserved = {
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del",
    "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda", "nonlocal",
    "not", "or", "pass", "raise", "return", "try", "while", "with", "yield", "asyncio", "now", "out", "fmt", "idx",
    "to_int", "frange", "rnd_random", "rnd_randint", "main", "print", "len", "str", "int", "float", "abs", "round",
    "min", "max", "range", "list", "dict", "set", "type", "id", "sys", "time", "math"};
}  // namespace

void py_writer::line(const std::string& code) {
  out_.append(static_cast<std::size_t>(depth_) * 4, ' ');
  out_ += code;
  out_ += '\n';
}

void py_writer::body(const std::vector<step_ptr>& steps) {
  indent();
  if (steps.empty()) line("pass");
  for (auto& s : steps) s->to_python(*this);
  dedent();
}

std::string py_writer::name(const std::string& n) {
  std::string out;
  for (char c : n) out += (std::isalnum(static_cast<unsigned char>(c)) || c == '_') ? c : '_';
  if (out.empty() || std::isdigit(static_cast<unsigned char>(out[0]))) out = "_" + out;
  if (k_reserved.count(out)) out += "_";
  return out;
}

std::string py_writer::quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\\' || c == '\'') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out + "'";
}

std::string py_writer::temp() { return "_t" + std::to_string(++temps_); }

std::string py_writer::expr(const aio::scenario::expr& e) {
  return e.to_python([this](const std::string& n) { return name(n); });
}

std::string py_writer::value(const templ& t) {
  if (auto* e = t.single()) return expr(*e);
  std::vector<std::pair<bool, std::string>> parts;  // (is_expr, text)
  bool simple = true;  // no quotes or backslashes in the holes: an f-string reads best (3.11 rules)
  for (auto& p : t.parts()) {
    if (p.e.valid()) {
      std::string code = "fmt(" + expr(p.e) + ")";
      if (code.find_first_of("'\"\\") != std::string::npos) simple = false;
      parts.emplace_back(true, code);
    } else {
      parts.emplace_back(false, p.literal);
    }
  }
  bool holes = std::any_of(parts.begin(), parts.end(), [](auto& p) { return p.first; });
  if (!holes) {
    std::string lit;
    for (auto& p : parts) lit += p.second;
    return quote(lit);
  }
  if (simple) {
    std::string fs = "f\"";
    for (auto& [is_expr, text] : parts) {
      if (is_expr) {
        fs += "{" + text + "}";
        continue;
      }
      for (char c : text) {
        if (c == '"' || c == '\\') fs += '\\';
        if (c == '{' || c == '}') fs += c;
        if (c == '\n') {
          fs += "\\n";
          continue;
        }
        fs += c;
      }
    }
    return fs + "\"";
  }
  std::string out;
  for (auto& [is_expr, text] : parts) out += (out.empty() ? "" : " + ") + (is_expr ? text : quote(text));
  return "(" + out + ")";
}

}  // namespace aio::scenario
