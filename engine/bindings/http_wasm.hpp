// The WASM builds' http_client (scenario/http.hpp): requests go to the host's fetch() through
// the JS library engine/bindings/http_library.js; answers queue in JS, which wakes the parked
// loop, and aio_run hands them to their requests with poll() between loop passes.
#pragma once
#include <cstdint>
#include <map>

#include "scenario/http.hpp"

namespace aio::bindings {

class wasm_http_client final : public scenario::http_client {
 public:
  ~wasm_http_client() override;
  std::uint64_t start(const scenario::http_request& req, done_fn on_done) override;
  void abort(std::uint64_t id) noexcept override;
  /// Deliver every answer that has arrived (call on the loop's thread, between passes).
  void poll();
  std::size_t in_flight() const noexcept { return waiting_.size(); }

 private:
  std::uint64_t next_ = 0;
  std::map<std::uint64_t, done_fn> waiting_;
};

}  // namespace aio::bindings
