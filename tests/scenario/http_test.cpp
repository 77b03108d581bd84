// Tests for engine/scenario/http.{hpp,cpp} and the real-URL form of `fetch`
// (engine/scenario/steps_fetch.cpp), with a test double for the host's network on the virtual
// clock: each planned answer arrives after its latency, like a server would answer.
#include <doctest/doctest.h>

#include <map>

#include "scenario/http.hpp"
#include "scenario/python_export.hpp"
#include "scenario_test_util.hpp"

using namespace aio::scenario;
using namespace aio::scenario::testing;
using strings = std::vector<std::string>;

namespace {

/// Answers each URL from `routes` after its latency, on the running loop's clock; or, for a
/// route marked `manual`, only when the test calls complete().
class fake_http final : public http_client {
 public:
  struct route {
    double latency = 0.1;
    http_response resp;
    bool manual = false;
  };
  std::map<std::string, route> routes;
  std::vector<http_request> started;
  std::vector<std::uint64_t> aborted;
  std::vector<double> aborted_at;

  std::uint64_t start(const http_request& req, done_fn done) override {
    started.push_back(req);
    std::uint64_t id = ++next_;
    auto it = routes.find(req.url);
    route r;
    if (it != routes.end()) {
      r = it->second;
    } else {
      r.resp.network_error = true;  // nothing listens there
      r.resp.error = "connect ECONNREFUSED " + req.url;
    }
    done_[id] = std::move(done);
    if (!r.manual) {
      loop_ = &aio::event_loop::running();
      timers_[id] = loop_->call_later(r.latency, [this, id, resp = r.resp] { complete(id, resp); });
    }
    return id;
  }
  void abort(std::uint64_t id) noexcept override {
    aborted.push_back(id);
    if (loop_) aborted_at.push_back(loop_->time());
    if (auto t = timers_.find(id); t != timers_.end()) {
      t->second->cancel();
      timers_.erase(t);
    }
    done_.erase(id);
  }
  /// Deliver an answer (a no-op after abort, as the contract says).
  void complete(std::uint64_t id, const http_response& resp) {
    timers_.erase(id);
    auto it = done_.find(id);
    if (it == done_.end()) return;
    auto fn = std::move(it->second);
    done_.erase(it);
    fn(resp);
  }
  std::size_t in_flight() const { return done_.size(); }

 private:
  std::uint64_t next_ = 0;
  aio::event_loop* loop_ = nullptr;
  std::map<std::uint64_t, done_fn> done_;
  std::map<std::uint64_t, aio::timer_ref> timers_;
};

http_response answer(int status, std::string body, std::vector<std::pair<std::string, std::string>> headers = {}) {
  http_response r;
  r.status = status;
  r.status_text = status == 200 ? "OK" : "Internal Server Error";
  r.body = std::move(body);
  r.headers = std::move(headers);
  r.url = "http://127.0.0.1:9/x";
  return r;
}

result run_with(fake_http& net, const char* text) {
  run_options opt;
  opt.http = &net;
  return run_json(nlohmann::ordered_json::parse(text), opt);
}

}  // namespace

TEST_CASE("real fetch: the answer lands in the variable (status, ok, text, json, headers)") {
  fake_http net;
  net.routes["http://127.0.0.1:9/x"] = {0.25, answer(200, R"({"v": 7})", {{"etag", "abc"}})};
  auto r = run_with(net, R"({"tasks": {"main": [
    {"fetch": {"url": "http://127.0.0.1:9/x", "method": "post", "headers": {"X-Who": "t{1 + 1}"}, "body": {"a": 1}, "as": "resp"}},
    {"print": "{resp.status} {resp.ok} {resp.json.v} {resp.headers.etag} {resp.status_text} at {now}"}]}})");
  CHECK(r.code == 0);
  CHECK(r.texts() == strings{"200 true 7 abc OK at 250"});
  REQUIRE(net.started.size() == 1);
  CHECK(net.started[0].method == "POST");
  CHECK(net.started[0].headers == std::vector<std::pair<std::string, std::string>>{{"X-Who", "t2"}, {"content-type", "application/json"}});
  CHECK(net.started[0].body == std::optional<std::string>(R"({"a":1})"));
  CHECK(net.aborted.empty());
}

TEST_CASE("real fetch: an HTTP error status is a result, and a text body has json null") {
  fake_http net;
  net.routes["http://127.0.0.1:9/x"] = {0.1, answer(500, "boom")};
  auto r = run_with(net, R"({"tasks": {"main": [
    {"fetch": "http://127.0.0.1:9/x", "as": "resp"},
    {"print": "{resp.status} {resp.ok} {resp.text} {resp.json}"}]}})");
  CHECK(r.code == 0);
  CHECK(r.texts() == strings{"500 false boom null"});
}

TEST_CASE("real fetch: the per-request timeout aborts the request and raises TimeoutError") {
  fake_http net;
  net.routes["http://127.0.0.1:9/slow"] = {5.0, answer(200, "late")};
  auto r = run_with(net, R"({"tasks": {"main": [
    {"try": [{"fetch": {"url": "http://127.0.0.1:9/slow", "timeout": "1s"}}],
     "except": [{"error": "TimeoutError", "as": "e", "steps": [{"print": "{e.error} at {now}: {e.message}"}]}]}]}})");
  CHECK(r.code == 0);
  REQUIRE(r.texts().size() == 1);
  CHECK(r.texts()[0] == "TimeoutError at 1000: no answer from http://127.0.0.1:9/slow within 1000 ms");
  CHECK(net.aborted.size() == 1);
  CHECK(net.in_flight() == 0);
}

TEST_CASE("real fetch: no answer at all raises ConnectionError with the host's message") {
  fake_http net;  // no route: the double refuses the connection
  auto r = run_with(net, R"({"tasks": {"main": [
    {"try": [{"fetch": "http://127.0.0.1:1/"}],
     "except": [{"error": "ConnectionError", "as": "e", "steps": [{"print": "{e.error}: {e.message}"}]}]}]}})");
  CHECK(r.code == 0);
  CHECK(r.texts() == strings{"ConnectionError: connect ECONNREFUSED http://127.0.0.1:1/"});
}

TEST_CASE("real fetch: cancelling the awaiting task (wait_for) aborts the request once, at the cancel") {
  fake_http net;
  net.routes["http://127.0.0.1:9/slow"] = {5.0, answer(200, "late")};
  auto r = run_with(net, R"({"tasks": {
    "get": [{"try": [{"fetch": "http://127.0.0.1:9/slow"}], "finally": [{"print": "get unwinds at {now}"}]}],
    "main": [{"try": [{"wait_for": {"call": "get"}, "timeout": "200ms"}],
              "except": [{"error": "TimeoutError", "steps": [{"print": "timed out at {now}"}]}]},
             {"sleep": "1s"}, {"print": "done at {now}"}]}})");
  CHECK(r.code == 0);
  CHECK(r.texts() == strings{"get unwinds at 200", "timed out at 200", "done at 1200"});
  REQUIRE(net.aborted.size() == 1);
  CHECK(net.aborted_at[0] == doctest::Approx(0.2));
  CHECK(net.in_flight() == 0);
}

TEST_CASE("real fetch: task.cancel() of a spawned fetcher aborts its request") {
  fake_http net;
  net.routes["http://127.0.0.1:9/slow"] = {5.0, answer(200, "late")};
  auto r = run_with(net, R"({"tasks": {
    "get": [{"fetch": "http://127.0.0.1:9/slow"}, {"print": "never"}],
    "main": [{"spawn": {"call": "get"}, "as": "h"}, {"sleep": "300ms"}, {"cancel": "h"},
             {"try": [{"await": "h"}], "except": [{"error": "CancelledError", "steps": [{"print": "cancelled at {now}"}]}]}]}})");
  CHECK(r.code == 0);
  CHECK(r.texts() == strings{"cancelled at 300"});
  CHECK(net.aborted.size() == 1);
}

TEST_CASE("real fetch: a request in flight holds the loop (no deadlock) until the answer arrives") {
  fake_http net;
  net.routes["http://127.0.0.1:9/held"] = {0, answer(200, "hi"), true};
  auto parsed = parse_scenario(nlohmann::ordered_json::parse(R"({"tasks": {"main": [
    {"fetch": "http://127.0.0.1:9/held", "as": "r"}, {"print": "{r.text}"}]}})"));
  REQUIRE(parsed.ok());
  vector_sink sink;
  run_options opt;
  opt.http = &net;
  runner run(parsed.value, opt, sink);
  for (int i = 0; i < 5 && !run.finished(); ++i) run.step();
  CHECK_FALSE(run.finished());  // parked on the request, not a deadlock
  REQUIRE(net.started.size() == 1);
  CHECK(run.loop().has_external());
  net.complete(1, answer(200, "hi"));
  CHECK_FALSE(run.loop().has_external());
  for (int i = 0; i < 10 && !run.finished(); ++i) run.step();
  CHECK(run.finished());
  CHECK(run.exit_code() == 0);
  bool printed = false;
  for (auto& e : sink.events) printed = printed || (e["type"] == "print" && e["text"] == "hi");
  CHECK(printed);
}

TEST_CASE("real fetch without a network (the native runner) raises a ConnectionError the scenario can catch") {
  auto r = run_text(R"({"tasks": {"main": [
    {"try": [{"fetch": "https://example.com/"}], "except": [{"error": "ConnectionError", "steps": [{"print": "offline"}]}]}]}})");
  CHECK(r.code == 0);
  CHECK(r.texts() == strings{"offline"});
}

TEST_CASE("real fetch: bad requests are reported at parse time, at the key") {
  auto r = parse_scenario(nlohmann::ordered_json::parse(R"({"tasks": {"main": [
    {"fetch": {"url": "http://x/", "method": "GTE"}},
    {"fetch": "ftp://x/"},
    {"fetch": {"url": "http://x/", "timeout": "soon"}},
    {"fetch": {"url": "http://x/", "body": "hi"}},
    {"fetch": {"url": "http://x/", "header": {}}},
    {"fetch": {"method": "GET"}},
    {"fetch": {"url": "sim://api/x", "method": "POST"}}]}})"));
  REQUIRE(r.diagnostics.size() == 7);
  CHECK(r.diagnostics[0].pointer == "/tasks/main/0/fetch/method");
  CHECK(r.diagnostics[0].message.find("did you mean GET?") != std::string::npos);
  CHECK(r.diagnostics[1].pointer == "/tasks/main/1/fetch");
  CHECK(r.diagnostics[1].message.find("ftp://x/") != std::string::npos);
  CHECK(r.diagnostics[2].pointer == "/tasks/main/2/fetch/timeout");
  CHECK(r.diagnostics[3].pointer == "/tasks/main/3/fetch/body");
  CHECK(r.diagnostics[4].pointer == "/tasks/main/4/fetch/header");
  CHECK(r.diagnostics[4].message.find("headers") != std::string::npos);
  CHECK(r.diagnostics[5].pointer == "/tasks/main/5/fetch");
  CHECK(r.diagnostics[6].pointer == "/tasks/main/6/fetch/method");
}

TEST_CASE("real fetch: a URL built at run time is checked when it runs") {
  fake_http net;
  auto r = run_with(net, R"({"tasks": {"main": [{"set": {"u": "mailto:me"}}, {"fetch": "{u}"}]}})");
  CHECK(r.code == 2);
  auto d = r.of("diagnostic");
  REQUIRE(d.size() >= 1);
  CHECK(d[0]["pointer"] == "/tasks/main/1/fetch");
  CHECK(net.started.empty());
}

TEST_CASE("real fetch exports as http_fetch (urllib in a thread)") {
  auto parsed = parse_scenario(nlohmann::ordered_json::parse(R"({"tasks": {"main": [
    {"fetch": {"url": "http://127.0.0.1:9/x", "method": "PUT", "headers": {"X-A": "1"}, "body": "hi", "timeout": "2s", "as": "resp"}}]}})"));
  REQUIRE(parsed.ok());
  std::string py = export_python(parsed.value);
  CHECK(py.find("resp = await http_fetch('http://127.0.0.1:9/x', method='PUT', headers={'X-A': fmt('1')}, body='hi', timeout=dur('2s'))") != std::string::npos);
  CHECK(py.find("import urllib.request") != std::string::npos);
  CHECK(py.find("async def http_fetch(") != std::string::npos);
}
