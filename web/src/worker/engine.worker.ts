// The engine worker: the only code that loads the WASM module.
//
// It loads `engine/aio-engine-web.mjs` (copied into the site by
// scripts/build.sh), runs one scenario at a time through
// `ccall('aio_run', ..., {async: true})` on a fresh instance per run (the
// wasm is compiled once; instantiating it again takes a millisecond or two,
// and no state can leak from one run or crash into the next), parses the engine's JSONL events and
// posts them to the page in batches: at most one `events` message per ~16 ms
// (a frame), and always one right before `finished`. Stop is the page
// terminating this worker, so there is no stop message.

/// <reference lib="webworker" />
import {
  PROTOCOL_VERSION,
  validateEngineEvent,
  validateToWorker,
  type EngineEvent,
  type FromWorker,
  type RunRequest,
} from '../protocol';
import { Batcher } from './batcher';

declare const self: DedicatedWorkerGlobalScope;

interface AioModule {
  ccall(name: 'aio_run', ret: 'number', args: ['string', 'string'], values: [string, string], opts: { async: true }): Promise<number>;
}
type ReceiveInstance = (instance: WebAssembly.Instance, module: WebAssembly.Module) => void;
type AioFactory = (init: {
  onAioEvents(jsonl: string): void;
  locateFile(path: string): string;
  instantiateWasm(imports: WebAssembly.Imports, receive: ReceiveInstance): object;
}) => Promise<AioModule>;
interface EngineCode {
  factory: AioFactory;
  wasm: WebAssembly.Module;
}

const BATCH_MS = 16;
// The site keeps the engine in engine/ next to assets/ (where the built worker
// lives), so this also works when the site is served from a sub-path. The
// dev server serves public/ at its root.
const engineBase = import.meta.env.DEV
  ? new URL('/engine/', self.location.origin).href
  : new URL(/* @vite-ignore */ '../engine/', import.meta.url).href;

let codePromise: Promise<EngineCode> | null = null;
/** An instance made ahead of time for the next run. */
let spare: Promise<AioModule> | null = null;
let activeRun: number | null = null;

function post(msg: FromWorker): void {
  self.postMessage(msg);
}

const batcher = new Batcher<EngineEvent>(
  {
    post: (events) => {
      if (activeRun !== null) post({ v: PROTOCOL_VERSION, type: 'events', runId: activeRun, events });
    },
    now: () => performance.now(),
    setTimer: (fn, ms) => setTimeout(fn, ms),
    clearTimer: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  },
  BATCH_MS,
);

/** Called by the engine (synchronously, from inside aio_run) with one or more JSONL lines. */
function onAioEvents(jsonl: string): void {
  const events: EngineEvent[] = [];
  for (const line of jsonl.split('\n')) {
    if (line.trim() === '') continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      console.warn('engine worker: not JSON:', line);
      continue;
    }
    const r = validateEngineEvent(parsed);
    if (r.ok) events.push(r.value);
    else console.warn('engine worker: skipped event:', r.error, line);
  }
  batcher.push(events);
}

/** Fetch the glue and compile the wasm, once per worker. */
function loadCode(): Promise<EngineCode> {
  if (!codePromise) {
    codePromise = (async () => {
      const wasmUrl = engineBase + 'aio-engine-web.wasm';
      const [glue, wasm] = await Promise.all([
        import(/* @vite-ignore */ engineBase + 'aio-engine-web.mjs') as Promise<{ default: AioFactory }>,
        WebAssembly.compileStreaming(fetch(wasmUrl)).catch(async () => {
          const res = await fetch(wasmUrl); // e.g. served without the application/wasm type
          if (!res.ok) throw new Error(`${wasmUrl}: HTTP ${res.status}`);
          return WebAssembly.compile(await res.arrayBuffer());
        }),
      ]);
      return { factory: glue.default, wasm };
    })();
    codePromise.catch(() => (codePromise = null)); // let a later run try again
  }
  return codePromise;
}

async function instantiate(): Promise<AioModule> {
  const code = await loadCode();
  let failed: (e: unknown) => void = () => {};
  const failure = new Promise<never>((_, reject) => (failed = reject));
  return Promise.race([
    failure,
    code.factory({
      onAioEvents,
      locateFile: (path) => engineBase + path,
      instantiateWasm(imports, receive) {
        WebAssembly.instantiate(code.wasm, imports).then((instance) => receive(instance, code.wasm), failed);
        return {}; // exports arrive asynchronously through `receive`
      },
    }),
  ]);
}

function takeInstance(): Promise<AioModule> {
  const next = spare ?? instantiate();
  spare = null;
  return next;
}

function prepareSpare(): Promise<AioModule> {
  const next = instantiate();
  spare = next;
  next.catch(() => {
    if (spare === next) spare = null; // the next run tries again
  });
  return next;
}

async function run(req: RunRequest): Promise<void> {
  const started = performance.now();
  activeRun = req.runId;
  batcher.reset();
  try {
    const engine = await takeInstance();
    const code = await engine.ccall('aio_run', 'number', ['string', 'string'], [req.scenarioJson, JSON.stringify(req.options)], {
      async: true,
    });
    batcher.flush();
    post({ v: PROTOCOL_VERSION, type: 'finished', runId: req.runId, code, wallMs: performance.now() - started });
  } catch (e) {
    batcher.flush();
    post({ v: PROTOCOL_VERSION, type: 'error', runId: req.runId, message: String((e as Error)?.message ?? e) });
  } finally {
    activeRun = null;
    void prepareSpare();
  }
}

self.onmessage = (ev: MessageEvent<unknown>) => {
  const r = validateToWorker(ev.data);
  if (!r.ok) {
    post({ v: PROTOCOL_VERSION, type: 'error', runId: null, message: `worker: bad message: ${r.error}` });
    return;
  }
  if (activeRun !== null) {
    post({ v: PROTOCOL_VERSION, type: 'error', runId: r.value.runId, message: 'a run is already in flight' });
    return;
  }
  void run(r.value);
};

// Errors from the module's start-up promise only arrive here in a worker.
self.onunhandledrejection = (ev: PromiseRejectionEvent) => {
  post({ v: PROTOCOL_VERSION, type: 'error', runId: activeRun, message: `engine: ${String(ev.reason?.message ?? ev.reason)}` });
};

// Load eagerly so the first Run does not wait for the download.
prepareSpare().then(
  () => post({ v: PROTOCOL_VERSION, type: 'ready' }),
  (e: unknown) => {
    post({ v: PROTOCOL_VERSION, type: 'error', runId: null, message: `could not load the engine: ${String((e as Error)?.message ?? e)}` });
  },
);
