#include "scenario/python_writer.hpp"

#include <algorithm>
#include <cstdio>

#include "scenario/step.hpp"

namespace aio::scenario {

namespace {
// Python keywords, the builtins and module names the exported code calls, and the prelude's
// helpers: a scenario name that collides gets a trailing underscore.
const std::set<std::string> k_reserved = {
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del",
    "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda", "nonlocal",
    "not", "or", "pass", "raise", "return", "try", "while", "with", "yield",
    // modules and builtins the program uses
    "asyncio", "math", "re", "sys", "time", "builtins", "print", "len", "str", "int", "float", "abs", "round", "min",
    "max", "range", "list", "dict", "set", "tuple", "type", "id", "isinstance", "sorted", "getattr", "globals",
    "Exception", "BaseException",
    // prelude helpers (python_export.hpp)
    "now", "out", "fmt", "idx", "to_int", "frange", "each", "rnd_random", "rnd_randint", "dur", "outcomes",
    "err_value", "make_error", "errors", "T0", "main", "exc", "blocking_job"};

// Exception classes the program names as they are (builtins that take one message argument),
// and asyncio's own; every other type name becomes a class the exporter declares.
const std::set<std::string> k_builtin_errors = {
    "Exception", "ArithmeticError", "AssertionError", "AttributeError", "BlockingIOError", "BrokenPipeError",
    "BufferError", "ChildProcessError", "ConnectionAbortedError", "ConnectionError", "ConnectionRefusedError",
    "ConnectionResetError", "EOFError", "FileExistsError", "FileNotFoundError", "FloatingPointError", "ImportError",
    "IndexError", "InterruptedError", "IsADirectoryError", "KeyError", "LookupError", "MemoryError",
    "ModuleNotFoundError", "NameError", "NotADirectoryError", "NotImplementedError", "OSError", "OverflowError",
    "PermissionError", "ProcessLookupError", "RecursionError", "ReferenceError", "RuntimeError", "SystemError",
    "TimeoutError", "TypeError", "UnboundLocalError", "UnicodeError", "ValueError", "ZeroDivisionError",
    "ExceptionGroup", "BaseExceptionGroup", "GeneratorExit"};
// Of those, the ones a raise step cannot make as Class('message') (make_error() copes).
const std::set<std::string> k_not_raisable = {"BaseException", "ExceptionGroup", "BaseExceptionGroup"};
const std::set<std::string> k_asyncio_errors = {"CancelledError", "InvalidStateError", "QueueEmpty", "QueueFull",
                                                "QueueShutDown", "BrokenBarrierError"};

bool is_identifier(const std::string& s) {
  if (s.empty() || std::isdigit(static_cast<unsigned char>(s[0]))) return false;
  return std::all_of(s.begin(), s.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; });
}
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

void py_writer::loop_body(const std::vector<step_ptr>& steps) {
  ++loops_;
  body(steps);
  --loops_;
}

std::string py_writer::name(const std::string& n) {
  std::string out;
  for (char c : n) out += (std::isalnum(static_cast<unsigned char>(c)) || c == '_') ? c : '_';
  if (out.empty() || std::isdigit(static_cast<unsigned char>(out[0]))) out = "_" + out;
  if (k_reserved.count(out) || tasks_.count(out)) out += "_";
  return out;
}

std::string py_writer::task_name(const std::string& n) {
  std::string out;
  for (char c : n) out += (std::isalnum(static_cast<unsigned char>(c)) || c == '_') ? c : '_';
  if (out.empty() || std::isdigit(static_cast<unsigned char>(out[0]))) out = "_" + out;
  if (out != "main" && k_reserved.count(out)) out += "_";
  return out;
}

std::string py_writer::error_class(const std::string& type) {
  if (type == "BaseException") return "BaseException";
  if (k_builtin_errors.count(type)) return type;
  if (k_asyncio_errors.count(type)) return "asyncio." + type;
  if (!is_identifier(type) || k_reserved.count(type) || tasks_.count(type)) return {};  // errors('...')
  custom_errors_.insert(type);
  return type;
}

std::string py_writer::raise_class(const std::string& type) {
  if (k_not_raisable.count(type)) return {};
  return error_class(type);
}

std::string py_writer::quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if (c == '\\' || c == '\'') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (u < 0x20 || u == 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", u);
      out += buf;
    } else {
      out += c;
    }
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
  bool simple = true;  // holes without double quotes or backslashes fit an f"..." (3.11 rules)
  for (auto& p : t.parts()) {
    if (p.e.valid()) {
      std::string code = "fmt(" + expr(p.e) + ")";
      if (code.find_first_of("\"\\") != std::string::npos) simple = false;
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
      std::string q = quote(text);  // the escapes of a '...' literal, minus its quotes
      q = q.substr(1, q.size() - 2);
      for (std::size_t i = 0; i < q.size(); ++i) {
        char c = q[i];
        if (c == '\\') {  // an escape pair; \' needs no escape in f"..."
          char next = q[++i];
          if (next != '\'') fs += '\\';
          fs += next;
          continue;
        }
        if (c == '"') fs += '\\';
        if (c == '{' || c == '}') fs += c;
        fs += c;
      }
    }
    return fs + "\"";
  }
  std::string out;
  for (auto& [is_expr, text] : parts) out += (out.empty() ? "" : " + ") + (is_expr ? text : quote(text));
  return "(" + out + ")";
}

std::string py_writer::display(const templ& t) {
  if (auto* e = t.single()) return "fmt(" + expr(*e) + ")";
  return value(t);
}

}  // namespace aio::scenario
