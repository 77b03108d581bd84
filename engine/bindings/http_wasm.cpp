#include "http_wasm.hpp"

#include <cstdlib>

extern "C" {
// engine/bindings/http_library.js
void aio_http_start(double id, const char* request_json);
void aio_http_abort(double id);
char* aio_http_take();
}

namespace aio::bindings {

using scenario::value;

wasm_http_client::~wasm_http_client() {
  for (auto& [id, fn] : waiting_) aio_http_abort(static_cast<double>(id));
}

std::uint64_t wasm_http_client::start(const scenario::http_request& req, done_fn on_done) {
  std::uint64_t id = ++next_;
  value headers = value::array();
  for (auto& [k, v] : req.headers) headers.push_back(value::array({k, v}));
  value r{{"url", req.url}, {"method", req.method}, {"headers", std::move(headers)}};
  if (req.body) r["body"] = *req.body;
  std::string text = r.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
  waiting_[id] = std::move(on_done);
  aio_http_start(static_cast<double>(id), text.c_str());
  return id;
}

void wasm_http_client::abort(std::uint64_t id) noexcept {
  if (waiting_.erase(id)) aio_http_abort(static_cast<double>(id));
}

void wasm_http_client::poll() {
  if (waiting_.empty()) return;
  while (char* raw = aio_http_take()) {
    value a = value::parse(raw, nullptr, false);
    std::free(raw);
    if (!a.is_object() || !a.contains("id") || !a["id"].is_number()) continue;
    auto it = waiting_.find(a["id"].get<std::uint64_t>());
    if (it == waiting_.end()) continue;  // aborted meanwhile
    done_fn fn = std::move(it->second);
    waiting_.erase(it);
    scenario::http_response resp;
    if (a.value("networkError", false)) {
      resp.network_error = true;
      resp.error = a.value("error", std::string("the request failed"));
    } else {
      resp.status = a.value("status", 0);
      resp.status_text = a.value("statusText", std::string());
      resp.body = a.value("body", std::string());
      resp.url = a.value("url", std::string());
      if (a.contains("headers") && a["headers"].is_array())
        for (auto& h : a["headers"])
          if (h.is_array() && h.size() == 2 && h[0].is_string() && h[1].is_string()) resp.headers.emplace_back(h[0], h[1]);
    }
    fn(std::move(resp));
  }
}

}  // namespace aio::bindings
