// The Python source of the exported programs' helpers. Each one mirrors the engine exactly:
// fmt() is to_display() (expr.cpp), now() is trace_time() (trace.cpp), rnd_random() is
// seeded_random (expr.hpp), dur() is parse_duration() (parser.cpp), err_value() is
// error_value() (interpreter.cpp). tests/differential checks them against the engine.
#include "scenario/python_prelude.hpp"

namespace aio::scenario {

const std::vector<prelude_helper>& python_prelude() {
  static const std::vector<prelude_helper> all = {
      {"now", {}, {}, R"PY(T0 = 0.0  # the loop's time when the run started (set by _main)


def now():
    """Milliseconds since the run started, rounded to the microsecond like the playground."""
    us = (asyncio.get_running_loop().time() - T0) * 1000.0 * 1000.0
    whole = int(us)
    return (whole + (us - whole >= 0.5)) / 1000.0
)PY"},
      {"fmt", {}, {"asyncio", "json", "math"}, R"PY(def fmt(value):
    """A value as the playground prints it: 3 (not 3.0), 0.1, true/false/null, lists as JSON."""
    if isinstance(value, str):
        return value
    if isinstance(value, asyncio.Task):  # a task handle prints as its name
        return value.get_name()
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, (int, float)):
        x = float(value)
        if math.isnan(x) or math.isinf(x):
            return str(x)
        if x == int(x) and abs(x) < 1e15:
            return "%.0f" % x if x else "0"
        for digits in range(1, 18):  # the shortest %g form that reads back as the same float
            text = "%.*g" % (digits, x)
            if float(text) == x:
                break
        return text
    return _json(value)


def _json(value):
    """Compact JSON, every number a double (1.0, 1e+16), as the engine writes it."""
    if isinstance(value, dict):
        return "{" + ",".join(_json(str(k)) + ":" + _json(v) for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(_json(v) for v in value) + "]"
    if isinstance(value, asyncio.Task):
        value = value.get_name()
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    x = float(value)
    if math.isnan(x) or math.isinf(x):
        return "null"
    if x == 0:
        return "0.0"  # -0.0 too: the engine has no negative zero
    for precision in range(17):  # the shortest digits that read back as the same float
        text = "%.*e" % (precision, abs(x))
        if float(text) == abs(x):
            break
    mantissa, _, exp = text.partition("e")
    digits = mantissa.replace(".", "").rstrip("0")
    point = int(exp) + 1  # where the decimal point goes, counted from the first digit
    sign, k = ("-" if x < 0 else ""), len(digits)
    if k <= point <= 15:
        return sign + digits + "0" * (point - k) + ".0"
    if 0 < point <= 15:
        return sign + digits[:point] + "." + digits[point:]
    if -4 < point <= 0:
        return sign + "0." + "0" * -point + digits
    e = point - 1
    return sign + digits[0] + ("." + digits[1:] if k > 1 else "") + "e" + ("-" if e < 0 else "+") + "%02d" % abs(e)
)PY"},
      {"out", {"now", "fmt"}, {}, R"PY(def out(value):
    """Print a line as the playground's terminal shows it: [   500ms] text."""
    print(f"[{fmt(now()):>6}ms] {fmt(value)}")
)PY"},
      {"dur", {}, {"re"}, R"PY(_DURATION = re.compile(r"\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?) *(ms|s|min|m|h|)")


def dur(value):
    """Seconds for a duration: a number of seconds, or text like "250ms", "1.5s", "2m", "1h"."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        seconds = value
    else:
        match = _DURATION.fullmatch(str(value))
        if not match:
            raise ValueError(f"{value!r} is not a duration: write e.g. 250ms, 1.5s, 2m or seconds")
        number, unit = float(match[1]), match[2]
        seconds = number / 1000 if unit == "ms" else number * {"": 1, "s": 1, "m": 60, "min": 60, "h": 3600}[unit]
    if not 0 <= seconds < math.inf:
        raise ValueError(f"a duration must be zero or more, got {value!r}")
    return seconds
)PY"},
      {"idx", {}, {}, R"PY(def idx(i):
    """An index: the scenario's numbers are floats, Python wants ints (x[idx(1.0)] is x[1])."""
    return int(i) if isinstance(i, float) else i
)PY"},
      {"to_int", {}, {}, R"PY(def to_int(x):
    """int() as the scenario has it: truncates numbers and numeric text ("3.7" is 3)."""
    return int(float(x)) if isinstance(x, str) else int(x)
)PY"},
      {"frange", {}, {}, R"PY(def frange(*args):
    """range() as a list, floats allowed: frange(3), frange(1, 2, 0.25)."""
    start, stop, step = (0, args[0], 1) if len(args) == 1 else (args + (1,))[:3]
    if step == 0:
        raise ValueError("range() step must not be zero")
    if all(isinstance(a, int) for a in (start, stop, step)):
        return list(range(start, stop, step))
    items, x = [], start
    while (x < stop) if step > 0 else (x > stop):
        items.append(x)
        x += step
    return items
)PY"},
      {"rnd_random", {}, {}, R"PY(_rng_state = SEED


def rnd_random():
    """random(): the playground's seeded splitmix64, so every run draws the same numbers."""
    global _rng_state
    mask = (1 << 64) - 1
    _rng_state = z = (_rng_state + 0x9E3779B97F4A7C15) & mask
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & mask
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & mask
    z ^= z >> 31
    return (z >> 11) / 2**53  # 53 random bits: a float in [0, 1)
)PY"},
      {"rnd_randint", {"rnd_random"}, {"math"}, R"PY(def rnd_randint(a, b):
    """randint(a, b): a whole number from a to b inclusive, from the seeded generator."""
    if b < a:
        raise ValueError("randint(a, b) needs a <= b")
    return a + math.floor(rnd_random() * (b - a + 1))
)PY"},
      {"err_value", {}, {}, R"PY(def err_value(exc):
    """An exception as the scenario sees it: {"error": "ValueError", "message": "bad input"}."""
    message = str(exc.args[0]) if len(exc.args) == 1 else str(exc)  # KeyError('k') says k, not 'k'
    return {"error": type(exc).__name__, "message": message}
)PY"},
      {"outcomes", {"err_value"}, {}, R"PY(def outcomes(results):
    """gather(..., return_exceptions=True) results, with each exception as err_value()."""
    return [err_value(r) if isinstance(r, BaseException) else r for r in results]
)PY"},
      {"_error_class", {}, {"builtins"}, R"PY(_ASYNCIO_ERRORS = {"CancelledError", "InvalidStateError", "QueueEmpty", "QueueFull", "QueueShutDown", "BrokenBarrierError"}
_ERROR_CLASSES = {}


def _error_class(name):
    """The class for an exception type name: asyncio's, declared above, builtin, or made now."""
    if name not in _ERROR_CLASSES:
        if name in _ASYNCIO_ERRORS:
            candidates = [getattr(asyncio, name, None)]
        else:
            candidates = [globals().get(name), getattr(builtins, name, None)]
        usable = [c for c in candidates if c is asyncio.CancelledError or isinstance(c, type) and issubclass(c, Exception)
                  and not issubclass(c, (StopIteration, StopAsyncIteration))]
        _ERROR_CLASSES[name] = usable[0] if usable else type(name, (Exception,), {})
    return _ERROR_CLASSES[name]
)PY"},
      {"make_error", {"fmt", "_error_class"}, {}, R"PY(def make_error(text):
    """The exception a raise step raises: "ValueError: bad input" is ValueError("bad input")."""
    name, _, message = fmt(text).partition(":")
    name, message = name or "Exception", message.lstrip(" ")
    cls = _error_class(name)
    try:
        return cls(message) if message else cls()
    except TypeError:  # a builtin that takes other arguments: a class of that name instead
        cls = _ERROR_CLASSES[name] = type(name, (Exception,), {})
        return cls(message) if message else cls()
)PY"},
      {"errors", {"_error_class"}, {}, R"PY(def errors(*names):
    """The classes for an except clause, by name (BaseException catches everything)."""
    return tuple(BaseException if name == "BaseException" else _error_class(name) for name in names)
)PY"},
      {"block", {"dur"}, {"time"}, R"PY(def block(delay):
    """A blocking call: the loop's thread sleeps, so no task runs and timers fire late."""
    time.sleep(dur(delay))
)PY"},
      // run_in_executor / to_thread steps (steps_executor.cpp)
      {"blocking_job", {}, {"time"}, R"PY(def blocking_job(seconds, result):
    """A blocking call for a worker thread: takes `seconds` (time.sleep), then returns `result`."""
    time.sleep(seconds)
    return result
)PY"},
      {"sim_fetch", {"rnd_random"}, {"json", "math"}, R"PY(_fetch_calls = {}


async def sim_fetch(server, path):
    """fetch() from a simulated server: waits its latency, returns {status, body, url, json?}."""
    spec = SERVERS[server]
    n = _fetch_calls[server] = _fetch_calls.get(server, -1) + 1
    answer = spec["responses"][min(n, len(spec["responses"]) - 1)] if spec["responses"] else spec["base"]
    latency = answer["latency"]
    if spec["jitter"] > 0:
        latency += math.floor(rnd_random() * spec["jitter"] * 1000.0) / 1000.0
    await asyncio.sleep(latency)
    response = {"status": answer["status"], "body": answer["body"], "url": "sim://" + server + fmt(path)}
    try:
        response["json"] = json.loads(answer["body"])
    except ValueError:
        pass
    return response
)PY"},
      // ---- real-URL fetch (http.hpp): urllib in a worker thread, stdlib only ----
      {"http_fetch", {"fmt"}, {"json", "urllib.error", "urllib.request"}, R"PY(def _http_request(url, method, headers, body, timeout):
    """One blocking HTTP request (run in a worker thread): the answer as the playground's dict."""
    if body is not None and not isinstance(body, str):
        body = json.dumps(body, separators=(",", ":"))
        if not any(k.lower() == "content-type" for k in headers):
            headers["content-type"] = "application/json"
    data = None if body is None else body.encode()
    try:
        answer = urllib.request.urlopen(urllib.request.Request(url, data=data, headers=headers, method=method), timeout=timeout)
    except urllib.error.HTTPError as error:
        answer = error  # an HTTP error status is an answer, as with fetch()
    except urllib.error.URLError as error:
        if isinstance(error.reason, TimeoutError):
            raise error.reason from None
        raise ConnectionError(str(error.reason)) from None
    except TimeoutError:
        raise
    except (OSError, ValueError) as error:
        raise ConnectionError(f"{url}: {error}") from None
    with answer:
        text = answer.read().decode("utf-8", "replace")
        try:
            parsed = json.loads(text)
        except ValueError:
            parsed = None
        return {"status": answer.status, "ok": 200 <= answer.status < 300, "status_text": answer.reason or "",
                "text": text, "json": parsed, "headers": {k.lower(): v for k, v in answer.headers.items()},
                "url": answer.url}


async def http_fetch(url, method="GET", headers=None, body=None, timeout=None):
    """fetch() of a real URL: {status, ok, status_text, text, json, headers, url}. No answer raises
    ConnectionError; the timeout raises TimeoutError. Cancelling the awaiting task lands at this
    await at once, but urllib cannot be aborted: its thread finishes the request (bounded by the
    timeout, else 60 s) and asyncio.run waits for it at exit."""
    call = asyncio.to_thread(_http_request, url, method, dict(headers or {}), body, timeout or 60)
    if not timeout:
        return await call
    try:
        return await asyncio.wait_for(call, timeout)
    except TimeoutError:
        raise TimeoutError(f"no answer from {url} within {fmt(timeout * 1000)} ms") from None
)PY"},
      // ---- end real-URL fetch ----
  };
  return all;
}

}  // namespace aio::scenario
