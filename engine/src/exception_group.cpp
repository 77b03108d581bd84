#include "aio/exception_group.hpp"

#include "aio/errors.hpp"

namespace aio {

exception_group::exception_group(std::string message, std::vector<std::exception_ptr> exceptions)
    : message_(std::move(message)), exceptions_(std::move(exceptions)) {
  // Python's str(eg) is "<message> (N sub-exception[s])"; we append the members so a log line
  // says what actually failed.
  what_ = message_ + " (" + std::to_string(exceptions_.size()) +
          (exceptions_.size() == 1 ? " sub-exception)" : " sub-exceptions)");
  const char* sep = ": ";
  for (const auto& e : exceptions_) {
    what_ += sep;
    what_ += describe_exception(e);
    sep = "; ";
  }
}

bool is_cancelled_error(const std::exception_ptr& e) noexcept {
  if (!e) return false;
  try {
    std::rethrow_exception(e);
  } catch (const cancelled_error&) {
    return true;
  } catch (...) {
    return false;
  }
}

std::string describe_exception(const std::exception_ptr& e) {
  if (!e) return {};
  try {
    std::rethrow_exception(e);
  } catch (const cancelled_error& c) {
    return c.message().empty() ? std::string("CancelledError") : "CancelledError: " + c.message();
  } catch (const std::exception& x) {
    return x.what();
  } catch (...) {
    return "unknown exception";
  }
}

std::exception_ptr cause_of(const std::exception& e) noexcept {
  if (auto* n = dynamic_cast<const std::nested_exception*>(&e)) return n->nested_ptr();
  return nullptr;
}

}  // namespace aio
