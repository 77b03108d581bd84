// The `fetch` verb. Two forms:
//   fetch: sim://server/path          a simulated server declared under `servers:` (latency,
//                                      status, body, sequences, seeded jitter): the loop's clock
//                                      only, never the network, the same in both clocks;
//   fetch: https://host/path          a real request through the host's fetch() (http.hpp):
//   fetch: {url, method, headers, body, timeout, as}
// A real URL is http://, https://, or relative (/x, ./x, ../x: resolved against the page).
// Under the virtual clock a real request takes no virtual time: the loop waits for the answer
// before it jumps to the next timer.
#include <algorithm>
#include <cctype>
#include <cmath>

#include "aio/sleep.hpp"
#include "scenario/http.hpp"
#include "scenario/interpreter.hpp"
#include "scenario/parse_context.hpp"
#include "scenario/python_writer.hpp"
#include "scenario/step_util.hpp"

namespace aio::scenario {

namespace {

const std::vector<std::string> kMethods = {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"};

/// What a URL is: "sim", "real", or "" (not a URL fetch accepts).
std::string url_kind(const std::string& u) {
  auto starts = [&](const char* p) { return u.rfind(p, 0) == 0; };
  if (starts("sim://")) return "sim";
  if (starts("http://") || starts("https://") || starts("/") || starts("./") || starts("../")) return "real";
  return "";
}

const char* kUrlHelp = "fetch takes http://, https://, a path on the page's own site (/x, ./x) or a simulated server sim://name/path";

/// fetch from a simulated server: waits the latency on the loop's clock, returns
/// {status, body, json?}; a status >= 400 is a response, not an error (like fetch()).
struct sim_fetch_step final : step_node {
  std::string server;
  templ path;
  std::string as;
  coro<void> run(exec_context& cx, frame& f) const override {
    const auto& srv = cx.sc.servers.at(server);
    std::string p = to_display(cx.eval(path, f, pointer + "/fetch"));
    int n = cx.server_calls[server]++;
    const server_response& r = srv.responses.empty() ? srv.base : srv.responses[std::min<std::size_t>(n, srv.responses.size() - 1)];
    double latency = r.latency;
    if (srv.jitter > 0) latency += std::floor(cx.rng.next() * srv.jitter * 1000.0) / 1000.0;
    co_await aio::sleep(latency);
    value resp{{"status", r.status}, {"body", r.body}, {"url", "sim://" + server + p}};
    auto parsed = nlohmann::ordered_json::parse(r.body, nullptr, false);
    if (!parsed.is_discarded()) resp["json"] = parsed;
    if (!as.empty()) cx.assign(f, as, std::move(resp));
  }
  void to_python(py_writer& py) const override {
    py.need("sim_fetch");
    py.line((as.empty() ? "" : py.name(as) + " = ") + "await sim_fetch(" + py_writer::quote(server) + ", " + py.value(path) + ")");
  }
};

/// fetch of a real URL through the run's http_client (http.hpp has the contract).
struct real_fetch_step final : step_node {
  templ url;
  std::string url_pointer;
  std::string method = "GET";
  std::vector<std::pair<std::string, templ>> headers;
  std::optional<templ> body;   // a value: text is sent as is, anything else as JSON
  std::optional<value> json_body;  // a constant map or list, sent as JSON
  std::optional<templ> timeout;
  std::string as;

  coro<void> run(exec_context& cx, frame& f) const override {
    http_request req;
    req.method = method;
    value u = cx.eval(url, f, url_pointer);
    req.url = to_display(u);
    if (url_kind(req.url) != "real") throw scenario_error(std::string(kUrlHelp) + ", not \"" + req.url + "\"", url_pointer);
    bool has_type = false;
    for (auto& [k, t] : headers) {
      req.headers.emplace_back(k, to_display(cx.eval(t, f, pointer + "/fetch/headers/" + k)));
      std::string lower = k;
      std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
      has_type = has_type || lower == "content-type";
    }
    std::optional<value> b = json_body;
    if (body) b = cx.eval(*body, f, pointer + "/fetch/body");
    if (b) {
      if (b->is_string()) {
        req.body = b->get<std::string>();
      } else {
        req.body = b->dump();
        if (!has_type) req.headers.emplace_back("content-type", "application/json");
      }
    }
    double limit = 0;
    if (timeout) {
      std::string err;
      auto d = parse_duration(cx.eval(*timeout, f, pointer + "/fetch/timeout"), &err);
      if (!d) throw scenario_error(err, pointer + "/fetch/timeout");
      limit = *d;
    }
    value resp = co_await http_fetch(cx.loop, cx.http, std::move(req), limit);
    if (!as.empty()) cx.assign(f, as, std::move(resp));
  }

  void to_python(py_writer& py) const override {
    std::string args = py.value(url);
    if (method != "GET") args += ", method=" + py_writer::quote(method);
    if (!headers.empty()) {
      std::string h;
      for (auto& [k, t] : headers) h += (h.empty() ? "" : ", ") + py_writer::quote(k) + ": fmt(" + py.value(t) + ")";
      args += ", headers={" + h + "}";
    }
    if (body) args += ", body=" + py.value(*body);
    if (json_body) args += ", body=json.loads(" + py_writer::quote(json_body->dump()) + ")";
    if (timeout) args += ", timeout=dur(" + py.value(*timeout) + ")";
    py.need("http_fetch");
    py.line((as.empty() ? "" : py.name(as) + " = ") + "await http_fetch(" + args + ")");
  }
};

step_ptr parse_sim(parse_context& pc, const std::string& url, const std::string& url_ptr, const std::string& p, const std::string& as) {
  auto n = make_node<sim_fetch_step>(p);
  std::string rest = url.substr(6);
  auto slash = rest.find('/');
  n->server = rest.substr(0, slash);
  if (n->server.empty()) {
    pc.error(url_ptr, "sim:// names a server declared under `servers:`, e.g. sim://api/users");
    return nullptr;
  }
  auto t = pc.tmpl(json(slash == std::string::npos ? "/" : rest.substr(slash)), url_ptr, "the path");
  if (!t) return nullptr;
  n->path = std::move(*t);
  n->as = as;
  pc.refs.push_back({n->server, {"server"}, url_ptr});
  return n;
}

/// The request's keys of the map form, for a real URL.
bool parse_request(parse_context& pc, const json& a, const std::string& ap, real_fetch_step& n) {
  bool ok = true;
  for (auto& [k, x] : a.items()) {
    std::string kp = ptr(ap, k);
    if (k == "url" || k == "as") {
      continue;
    } else if (k == "method") {
      std::string m = x.is_string() ? x.get<std::string>() : "";
      std::transform(m.begin(), m.end(), m.begin(), [](unsigned char c) { return std::toupper(c); });
      if (std::find(kMethods.begin(), kMethods.end(), m) == kMethods.end()) {
        std::string msg = "method is one of GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS";
        if (x.is_string())
          if (auto s = did_you_mean(m, kMethods)) msg += ": did you mean " + *s + "?";
        pc.error(kp, msg);
        ok = false;
      } else {
        n.method = m;
      }
    } else if (k == "headers") {
      if (!x.is_object()) {
        pc.error(kp, std::string("headers is a map of name: value, not ") + type_of(x));
        ok = false;
        continue;
      }
      for (auto& [h, v] : x.items()) {
        if (h.empty() || h.find_first_of(" :\t\r\n") != std::string::npos) {
          pc.error(ptr(kp, h), "a header name is one word without spaces or colons, like Content-Type");
          ok = false;
        } else if (auto t = pc.tmpl(v, ptr(kp, h), "a header value")) {
          n.headers.emplace_back(h, std::move(*t));
        } else {
          ok = false;
        }
      }
    } else if (k == "body") {
      if (x.is_object() || x.is_array())
        n.json_body = x;
      else if (auto t = pc.tmpl(x, kp, "body"))
        n.body = std::move(*t);
      else
        ok = false;
    } else if (k == "timeout") {
      if (auto t = pc.duration(x, kp, "timeout"))
        n.timeout = std::move(*t);
      else
        ok = false;
    } else {
      pc.unknown_key(kp, k, {"url", "method", "headers", "body", "timeout", "as"}, "a fetch request");
      ok = false;
    }
  }
  if ((n.body || n.json_body) && (n.method == "GET" || n.method == "HEAD")) {
    pc.error(ptr(ap, "body"), "a " + n.method + " request has no body: use method: POST (or PUT, PATCH)");
    ok = false;
  }
  return ok;
}

}  // namespace

step_ptr parse_fetch(parse_context& pc, const json& s, const std::string& p) {
  const json& a = s["fetch"];
  std::string ap = ptr(p, "fetch");
  std::string as;
  if (auto* x = parse_context::opt(s, "as"))
    if (auto nm = pc.name(*x, ptr(p, "as"), "'as'")) as = *nm;
  if (a.is_object() && a.contains("as")) {
    if (auto nm = pc.name(a["as"], ptr(ap, "as"), "'as'")) as = *nm;
  }
  const json* u = a.is_object() ? parse_context::opt(a, "url") : &a;
  std::string up = a.is_object() ? ptr(ap, "url") : ap;
  if (!u) {
    pc.error(ap, "a fetch request needs a url: {url: https://example.com/data.json, method: GET, timeout: 5s, as: resp}");
    return nullptr;
  }
  if (!u->is_string()) {
    pc.error(up, std::string(kUrlHelp) + ", not " + type_of(*u));
    return nullptr;
  }
  std::string url = u->get<std::string>();
  std::string kind = url_kind(url);
  if (kind == "sim") {
    if (a.is_object())
      for (auto& [k, x] : a.items())
        if (k != "url" && k != "as") {
          pc.error(ptr(ap, k), "`" + k + "` is for real URLs: a simulated server answers from its declaration under servers:");
          return nullptr;
        }
    return parse_sim(pc, url, up, p, as);
  }
  auto n = make_node<real_fetch_step>(p);
  n->url_pointer = up;
  n->as = as;
  auto t = pc.tmpl(*u, up, "the url");
  if (!t) return nullptr;
  // A URL built by a template is checked when it runs; a constant one now.
  if (kind.empty() && (t->is_constant() || (!t->parts().empty() && !t->parts()[0].e.valid() && t->parts()[0].literal.find("://") != std::string::npos))) {
    pc.error(up, std::string(kUrlHelp) + ", not \"" + url + "\"");
    return nullptr;
  }
  n->url = std::move(*t);
  if (a.is_object() && !parse_request(pc, a, ap, *n)) return nullptr;
  return n;
}

}  // namespace aio::scenario
