// The one function that parks the WASM stack (Asyncify). Kept in a C file compiled by emcc and
// called through a plain C wrapper so no invoke_* trampoline sits between the loop and the park
// (see shared TOOLCHAIN notes: -sASYNCIFY_IGNORE_INDIRECT requires it).
#include <emscripten.h>

// Resolve after `ms` milliseconds (ms < 0: no timer) or when JS calls Module.aioWake().
EM_ASYNC_JS(void, aio_js_park, (double ms), {
  await new Promise((resolve) => {
    let timer = null;
    const done = () => {
      if (timer !== null) clearTimeout(timer);
      Module.aioWake = null;
      resolve();
    };
    if (Module.aioWakePending) {
      Module.aioWakePending = false;
      resolve();
      return;
    }
    Module.aioWake = done;
    if (ms >= 0) timer = setTimeout(done, ms);
  });
});

void aio_platform_park(double ms) { aio_js_park(ms); }
