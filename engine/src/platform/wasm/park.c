// The one function that parks the WASM stack (Asyncify). Kept in a C file compiled by emcc and
// called through a plain C wrapper so no invoke_* trampoline sits between the loop and the park
// (see shared TOOLCHAIN notes: -sASYNCIFY_IGNORE_INDIRECT requires it).
#include <emscripten.h>

// Resolve after `ms` milliseconds (ms < 0: no timer; ms == 0: a yield to the worker's queued
// messages) or when JS calls Module.aioWake().
EM_ASYNC_JS(void, aio_js_park, (double ms), {
  await new Promise((resolve) => {
    let timer = null;
    let channel = null;
    let finished = false;
    // Idempotent, and never clears a later park's waker (a late timer or channel message).
    const done = () => {
      if (finished) return;
      finished = true;
      if (timer !== null) clearTimeout(timer);
      if (channel !== null) channel.port1.close();
      if (Module.aioWake === done) Module.aioWake = null;
      resolve();
    };
    if (Module.aioWakePending) {
      Module.aioWakePending = false;
      resolve();
      return;
    }
    Module.aioWake = done;
    if (ms === 0) {
      // A yield: let the worker handle the messages already queued (controls), then go on.
      // A MessageChannel message is not clamped like setTimeout(0) (4 ms in browsers); one
      // channel per yield, closed when done, so node is never kept alive by an open port.
      channel = new MessageChannel();
      channel.port1.onmessage = done;
      channel.port2.postMessage(0);
    } else if (ms > 0) {
      timer = setTimeout(done, ms);
    }
  });
});

void aio_platform_park(double ms) { aio_js_park(ms); }
