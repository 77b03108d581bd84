// Real HTTP for the `fetch` step: the seam between the interpreter and the host's network, and
// the await that drives one request. The interpreter knows only http_client; the WASM bindings
// implement it with the host's fetch() (engine/bindings/http_wasm.cpp), tests with a double.
//
// Contract of one request, as asyncio code awaiting `asyncio.to_thread(urlopen, ...)` (or an
// aiohttp request) sees it:
//   - an HTTP answer, any status, is a result: {status, ok, status_text, text, json, headers, url};
//   - no answer (refused, DNS, CORS, offline) raises ConnectionError with the host's message;
//   - the per-request timeout (on the loop's clock) aborts the request and raises TimeoutError;
//   - cancelling the awaiting task aborts the request at once (the server sees the connection
//     close) and the CancelledError lands at the await in the next pass, as for any future.
// While a request is in flight the loop holds external work, so it parks instead of reporting
// a deadlock.
#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "aio/coro.hpp"
#include "aio/event_loop.hpp"
#include "scenario/expr.hpp"

namespace aio::scenario {

struct http_request {
  std::string url;
  std::string method = "GET";
  std::vector<std::pair<std::string, std::string>> headers;
  std::optional<std::string> body;
};

struct http_response {
  /// True when no HTTP answer came (connection refused, DNS, CORS, offline); `error` says why.
  bool network_error = false;
  std::string error;
  int status = 0;
  std::string status_text;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // names in lower case
  std::string url;  // the final URL (after redirects)
};

/// The host's network. start() begins a request and returns its id (never 0); the client calls
/// on_done exactly once, on the loop's thread and never from inside start() or abort(), unless
/// abort(id) came first: after abort the callback is dropped uncalled. abort of an unknown or
/// finished id does nothing.
class http_client {
 public:
  using done_fn = std::function<void(http_response)>;
  virtual ~http_client() = default;
  virtual std::uint64_t start(const http_request& req, done_fn on_done) = 0;
  virtual void abort(std::uint64_t id) noexcept = 0;
};

/// The response as the scenario's variable: {status, ok, status_text, text, json, headers, url}.
/// json is the parsed body when it is JSON, else null.
value response_value(const http_response& r);

/// Send `req` through `client` on `loop` and await the answer (see the contract above).
/// timeout <= 0: none. client == nullptr raises ConnectionError (this build has no network).
coro<value> http_fetch(event_loop& loop, http_client* client, http_request req, double timeout);

}  // namespace aio::scenario
