#include "scenario/http.hpp"

#include <memory>

#include "aio/future.hpp"
#include "scenario/interpreter.hpp"

namespace aio::scenario {

value response_value(const http_response& r) {
  value headers = value::object();
  for (auto& [k, v] : r.headers) headers[k] = v;
  auto parsed = nlohmann::ordered_json::parse(r.body, nullptr, false);
  return value{{"status", r.status},
               {"ok", r.status >= 200 && r.status < 300},
               {"status_text", r.status_text},
               {"text", r.body},
               {"json", parsed.is_discarded() ? value(nullptr) : parsed},
               {"headers", std::move(headers)},
               {"url", r.url}};
}

namespace {

/// One request in flight, shared by the awaiting coroutine (which owns it), the client's
/// completion callback and the timeout timer (which only hold weak references).
/// States: active (the loop holds external work, the client may still answer) → settled (by
/// the answer, the timeout, or the coroutine going away, whichever comes first).
struct inflight {
  event_loop* loop = nullptr;
  http_client* client = nullptr;
  std::uint64_t id = 0;
  bool active = false;
  future<value> fut;
  timer_ref timer;

  /// Stop holding the loop and disarm the timer; false if already settled.
  bool settle() noexcept {
    if (!active) return false;
    active = false;
    if (event_loop::alive(loop)) {
      if (timer) timer->cancel();
      loop->release_external();
    }
    timer = {};
    return true;
  }
};

/// Aborts the request if the awaiting coroutine leaves before it settled: cancelled at the
/// await (CancelledError), or its frame destroyed with the run.
struct abort_guard {
  std::shared_ptr<inflight> s;
  ~abort_guard() {
    if (s->settle()) s->client->abort(s->id);
  }
};

std::string timeout_text(double seconds) { return to_display(value(seconds * 1000.0)) + " ms"; }

}  // namespace

coro<value> http_fetch(event_loop& loop, http_client* client, http_request req, double timeout) {
  if (!client)
    throw scenario_raise("ConnectionError", "no network in this build: real URLs work in the page and in the aio-play CLI");
  auto st = std::make_shared<inflight>();
  st->loop = &loop;
  st->client = client;
  st->fut = future<value>(loop);
  st->fut.base()->set_label("fetch " + req.method + " " + req.url);
  std::weak_ptr<inflight> weak = st;
  loop.hold_external();
  st->active = true;
  try {
    st->id = client->start(req, [weak](http_response r) {
      auto s = weak.lock();
      if (!s || !s->settle() || s->fut.done()) return;
      if (r.network_error)
        s->fut.set_exception(std::make_exception_ptr(scenario_raise("ConnectionError", r.error)));
      else
        s->fut.set_result(response_value(r));
    });
  } catch (...) {
    st->settle();
    throw;
  }
  if (timeout > 0) {
    std::string msg = "no answer from " + req.url + " within " + timeout_text(timeout);
    st->timer = loop.call_later(timeout, [weak, msg] {
      auto s = weak.lock();
      if (!s || !s->settle()) return;
      s->client->abort(s->id);
      if (!s->fut.done()) s->fut.set_exception(std::make_exception_ptr(scenario_raise("TimeoutError", msg)));
    });
  }
  abort_guard guard{st};
  value v = co_await st->fut;
  co_return v;
}

}  // namespace aio::scenario
