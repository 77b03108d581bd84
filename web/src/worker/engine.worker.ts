// The engine worker: the only code that loads the WASM module (docs/protocol.md).
//
// It loads `engine/aio-engine-web.mjs` (copied into the site by
// scripts/build.sh), runs one scenario at a time through
// `ccall('aio_run', ..., {async: true})` on a fresh instance per run (the
// wasm is compiled once; instantiating it again takes a millisecond or two,
// and no state can leak from one run or crash into the next), parses the
// engine's JSONL events and posts them to the page in batches: at most one
// `events` message per ~16 ms (a frame), and always one right before
// `finished`. Control messages (pause, step, cancel, ...) go onto the
// engine's control queue and wake its parked loop (wake.ts). While a run is
// in flight a heartbeat goes out every second, which only happens while the
// engine is parked: a worker that stops sending anything is stuck, and the
// page replaces it (engine-client.ts).

/// <reference lib="webworker" />
import {
  CONTROL_OPS,
  PROTOCOL_VERSION,
  validateEngineEvent,
  validateToWorker,
  type ControlRequest,
  type DiagnosticEvent,
  type ExportRequest,
  type FromWorker,
  type RunRequest,
} from '../protocol';
import { Batcher } from './batcher';
import { EventThinner, type Thinned } from './thinning';
import { pushControl, setRunningModule, type ParkableModule } from './wake';

declare const self: DedicatedWorkerGlobalScope;

interface AioModule extends ParkableModule {
  ccall(name: 'aio_run', ret: 'number', args: ['string', 'string'], values: [string, string], opts: { async: true }): Promise<number>;
  ccall(name: 'aio_export_python', ret: 'number', args: ['string'], values: [string]): number;
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
/** Events of a run forwarded in full before thinning starts. */
const EVENT_CAP = 20_000;
const HEARTBEAT_MS = 1000;
// The site keeps the engine in engine/ next to assets/ (where the built worker
// lives), so this also works when the site is served from a sub-path. The
// dev server serves public/ at its root.
const engineBase = import.meta.env.DEV
  ? new URL('/engine/', self.location.origin).href
  : new URL(/* @vite-ignore */ '../engine/', import.meta.url).href;

let codePromise: Promise<EngineCode> | null = null;
/** An instance made ahead of time for the next run. */
let spare: Promise<AioModule> | null = null;
/** The instance Python exports use (never one that runs a scenario). */
let exporter: Promise<AioModule> | null = null;
let activeRun: number | null = null;
/** Where engine output goes: the run's batcher, or an export's collector. */
let eventTarget: ((jsonl: string) => void) | null = null;

function post(msg: FromWorker): void {
  self.postMessage(msg);
}

// Batches the engine's JSONL chunks as they are (the page parses and validates
// them: decodeEvents), past EVENT_CAP events thinned (thinning.ts).
let thinner = new EventThinner(EVENT_CAP);
let droppedPending = 0;
const batcher = new Batcher<string>(
  {
    post: (chunks) => {
      if (activeRun === null) return;
      const dropped = droppedPending;
      droppedPending = 0;
      post({ v: PROTOCOL_VERSION, type: 'events', runId: activeRun, jsonl: chunks.join(''), ...(dropped > 0 ? { dropped } : {}) });
    },
    now: () => performance.now(),
    setTimer: (fn, ms) => setTimeout(fn, ms),
    clearTimer: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  },
  BATCH_MS,
);

/** Called by the engine (synchronously, from inside aio_run) with one or more JSONL lines. */
function onAioEvents(jsonl: string): void {
  eventTarget?.(jsonl.endsWith('\n') ? jsonl : jsonl + '\n');
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
  thinner = new EventThinner(EVENT_CAP);
  droppedPending = 0;
  const forward = (t: Thinned) => {
    droppedPending += t.dropped;
    if (t.jsonl !== '') batcher.push([t.jsonl]);
    else if (t.dropped > 0) batcher.push(['']); // a count alone is news too
  };
  eventTarget = (jsonl) => forward(thinner.take(jsonl));
  const heartbeat = setInterval(() => post({ v: PROTOCOL_VERSION, type: 'heartbeat', runId: req.runId }), HEARTBEAT_MS);
  try {
    const engine = await takeInstance();
    setRunningModule(engine);
    const code = await engine.ccall('aio_run', 'number', ['string', 'string'], [req.scenarioJson, JSON.stringify(req.options)], {
      async: true,
    });
    forward(thinner.finish());
    batcher.flush();
    post({ v: PROTOCOL_VERSION, type: 'finished', runId: req.runId, code, wallMs: performance.now() - started });
  } catch (e) {
    batcher.flush();
    post({ v: PROTOCOL_VERSION, type: 'error', runId: req.runId, message: String((e as Error)?.message ?? e) });
  } finally {
    clearInterval(heartbeat);
    setRunningModule(null);
    eventTarget = null;
    activeRun = null;
    void prepareSpare();
  }
}

function control(req: ControlRequest): void {
  if (req.runId !== activeRun) return; // a late control for a run that is over
  const arg = req.action === 'cancel' ? (req.taskId ?? 0) : req.action === 'speed' ? (req.speed ?? 1) : 0;
  pushControl(CONTROL_OPS[req.action], arg);
}

/** aio_export_python on an instance of its own; it never parks, so this is synchronous. */
async function exportPython(req: ExportRequest): Promise<void> {
  try {
    exporter ??= instantiate();
    const engine = await exporter;
    let python: string | null = null;
    const diagnostics: DiagnosticEvent[] = [];
    const previous = eventTarget;
    eventTarget = (jsonl) => {
      for (const line of jsonl.split('\n')) {
        if (line.trim() === '') continue;
        const p = JSON.parse(line) as { type?: unknown; text?: unknown };
        if (p.type === 'python' && typeof p.text === 'string') python = p.text;
        const d = validateEngineEvent(p);
        if (d.ok && d.value.type === 'diagnostic') diagnostics.push(d.value);
      }
    };
    try {
      engine.ccall('aio_export_python', 'number', ['string'], [req.scenarioJson]);
    } finally {
      eventTarget = previous;
    }
    post({ v: PROTOCOL_VERSION, type: 'exported', requestId: req.requestId, python, diagnostics });
  } catch (e) {
    exporter = null;
    const message = `python export failed: ${String((e as Error)?.message ?? e)}`;
    post({ v: PROTOCOL_VERSION, type: 'exported', requestId: req.requestId, python: null, diagnostics: [{ type: 'diagnostic', t: 0, severity: 'error', message, pointer: '' }] });
  }
}

self.onmessage = (ev: MessageEvent<unknown>) => {
  const r = validateToWorker(ev.data);
  if (!r.ok) {
    post({ v: PROTOCOL_VERSION, type: 'error', runId: null, message: `worker: bad message: ${r.error}` });
    return;
  }
  const msg = r.value;
  switch (msg.type) {
    case 'control':
      control(msg);
      return;
    case 'export':
      void exportPython(msg);
      return;
    case 'run':
      if (activeRun !== null) {
        post({ v: PROTOCOL_VERSION, type: 'error', runId: msg.runId, message: 'a run is already in flight' });
        return;
      }
      void run(msg);
  }
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
