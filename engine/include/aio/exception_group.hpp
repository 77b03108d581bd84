// exception_group: several exceptions raised together (Python's BaseExceptionGroup), as
// task_group raises them: message() is "unhandled errors in a TaskGroup", exceptions() holds the
// errors in the order they were collected (children in completion order, the body's error last),
// and what() lists them. It derives from std::exception because what it groups never includes
// cancelled_error (a TaskGroup drops cancellations), like Python's ExceptionGroup(Exception).
// Also here: small helpers to classify an exception_ptr and to read a `raise ... from` cause.
#pragma once
#include <exception>
#include <string>
#include <vector>

namespace aio {

class exception_group : public std::exception {
 public:
  exception_group(std::string message, std::vector<std::exception_ptr> exceptions);
  const char* what() const noexcept override { return what_.c_str(); }
  const std::string& message() const noexcept { return message_; }
  const std::vector<std::exception_ptr>& exceptions() const noexcept { return exceptions_; }

  /// True if some exception in the group (searching nested groups too) is an E.
  template <class E>
  bool contains() const {
    for (const auto& e : exceptions_) {
      try {
        std::rethrow_exception(e);
      } catch (const E&) {
        return true;
      } catch (const exception_group& g) {
        if (g.contains<E>()) return true;
      } catch (...) {
      }
    }
    return false;
  }

 private:
  std::string message_;
  std::vector<std::exception_ptr> exceptions_;
  std::string what_;  // "<message> (N sub-exceptions): <what 1>; <what 2>; ..."
};

/// True if `e` holds a cancelled_error (Python's `et is CancelledError`); false for null.
bool is_cancelled_error(const std::exception_ptr& e) noexcept;

/// A one-line description of any exception: what() for std::exception, "CancelledError[: msg]"
/// for cancelled_error, "unknown exception" otherwise. Empty for null.
std::string describe_exception(const std::exception_ptr& e);

/// The cause of an exception raised `from` another one (Python's __cause__): the engine raises
/// those with std::throw_with_nested, so this is the nested exception, or null if there is none.
std::exception_ptr cause_of(const std::exception& e) noexcept;

}  // namespace aio
