// The exception types of the aio engine, mirroring asyncio's.
// cancelled_error deliberately does NOT derive from std::exception: like Python's
// CancelledError (a BaseException since 3.8), it is not swallowed by `catch (const std::exception&)`.
#pragma once
#include <stdexcept>
#include <string>

namespace aio {

/// Raised at the current await of a task that was cancelled; carries the cancel message.
class cancelled_error {
 public:
  explicit cancelled_error(std::string msg = {}) : msg_(std::move(msg)) {}
  const std::string& message() const noexcept { return msg_; }
  const char* what() const noexcept { return msg_.empty() ? "CancelledError" : msg_.c_str(); }

 private:
  std::string msg_;
};

/// Raised by wait_for / timeout() on expiry (Python's TimeoutError).
class timeout_error : public std::runtime_error {
 public:
  timeout_error() : std::runtime_error("TimeoutError") {}
  explicit timeout_error(const std::string& m) : std::runtime_error(m) {}
};

/// Result or exception asked of a future that is not done; setting a done future (InvalidStateError).
class invalid_state_error : public std::logic_error {
 public:
  explicit invalid_state_error(const std::string& m) : std::logic_error(m) {}
};

}  // namespace aio
