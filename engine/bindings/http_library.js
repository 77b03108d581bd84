// Real HTTP for the engine's `fetch` step (engine/bindings/http_wasm.cpp, docs/engine-abi.md):
// the host's fetch() with one AbortController per request. Linked into both builds with
// --js-library, so the page's worker and node 20 (the aio-play CLI) run this same code.
//
// Answers never call into the engine: they queue on Module.aioHttp.answers and wake the parked
// loop (Module.aioWake, the park promise's resolver, or aioWakePending when it is not parked;
// never setTimeout(0)); aio_run drains the queue between loop passes with aio_http_take().
// aio_http_abort() aborts the fetch (the server sees the connection close) and forgets the
// request: its answer, if one races in, is dropped.
mergeInto(LibraryManager.library, {
  $aioHttpState: function () {
    if (!Module.aioHttp) Module.aioHttp = { live: new Map(), answers: [] };
    return Module.aioHttp;
  },

  // Resolve a relative URL against the page's site (Module.aioFetchBase if the host set one;
  // else the folder above the engine's, which is the site's root in the page's layout).
  $aioHttpResolve: function (url) {
    let base = Module.aioFetchBase;
    if (!base && typeof location !== 'undefined' && typeof scriptDirectory === 'string' && scriptDirectory) {
      base = new URL('../', scriptDirectory).href;
    }
    if (!base && !/^https?:\/\//i.test(url)) {
      throw new Error(url + ' is relative, and there is no page to resolve it against here: use an http:// or https:// URL');
    }
    return new URL(url, base).href;
  },

  // The host's reason for a failed fetch, as a ConnectionError message.
  $aioHttpReason: function (e, method, url) {
    let msg = (e && e.message) || String(e);
    if (e && e.cause && e.cause.message) msg += ': ' + e.cause.message; // node: "fetch failed: connect ECONNREFUSED ..."
    else if (typeof WorkerGlobalScope !== 'undefined' || typeof window !== 'undefined') {
      // Browsers say only "Failed to fetch" (they hide the reason from scripts on purpose).
      msg += ' (the server is unreachable, or it does not allow this page\'s origin: CORS)';
    }
    return method + ' ' + url + ': ' + msg;
  },

  aio_http_start__deps: ['$aioHttpState', '$aioHttpResolve', '$aioHttpReason'],
  aio_http_start: function (id, requestJson) {
    const state = aioHttpState();
    const req = JSON.parse(UTF8ToString(requestJson));
    const controller = new AbortController();
    state.live.set(id, controller);
    const settle = (answer) => {
      if (state.live.get(id) !== controller) return; // aborted: nobody waits for it
      state.live.delete(id);
      answer.id = id;
      state.answers.push(answer);
      if (Module.aioWake) Module.aioWake();
      else Module.aioWakePending = true;
    };
    (async () => {
      let url = req.url;
      try {
        url = aioHttpResolve(req.url);
        const init = { method: req.method, headers: req.headers, signal: controller.signal };
        if (req.body !== undefined && req.body !== null) init.body = req.body;
        const res = await globalThis.fetch(url, init);
        const body = await res.text();
        const headers = [];
        res.headers.forEach((value, name) => headers.push([name, value]));
        settle({ status: res.status, statusText: res.statusText, body, headers, url: res.url || url });
      } catch (e) {
        if (controller.signal.aborted) return;
        settle({ networkError: true, error: aioHttpReason(e, req.method, url) });
      }
    })();
  },

  aio_http_abort__deps: ['$aioHttpState'],
  aio_http_abort: function (id) {
    const state = aioHttpState();
    const controller = state.live.get(id);
    if (!controller) return;
    state.live.delete(id);
    controller.abort();
  },

  // The next answer as JSON in memory the caller frees, or 0 when none is queued.
  aio_http_take__deps: ['$aioHttpState', 'malloc'],
  aio_http_take: function () {
    const state = aioHttpState();
    const answer = state.answers.shift();
    if (!answer) return 0;
    const text = JSON.stringify(answer);
    const size = lengthBytesUTF8(text) + 1;
    const ptr = _malloc(size);
    stringToUTF8(text, ptr, size);
    return ptr;
  },
});
