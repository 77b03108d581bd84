// The page's side of the engine worker: the only code that creates the Worker
// or calls postMessage (docs/protocol.md). One run at a time.
//
// Controls (pause, resume, step, step to next event, speed, cancel a task)
// are messages the worker hands to the engine's parked loop. Stop asks the
// engine to end the run; if it has not answered within STOP_GRACE_MS (a long
// virtual run never parks, so it reads no messages) the worker is terminated
// and replaced.
//
// Watchdog: while a run is in flight the worker sends a heartbeat every second
// whenever its thread is free, besides its event batches. If nothing at all
// arrives for `watchdogMs + 1 s`, the worker is stuck (the engine's own
// watchdog, which trips at `watchdogMs`, did not catch it): terminate it,
// report the last task seen, and start a fresh worker.

import {
  controlRequest,
  decodeEvents,
  exportRequest,
  runRequest,
  validateFromWorker,
  type ControlAction,
  type DiagnosticEvent,
  type EngineEvent,
  type FromWorker,
  type RunOptions,
} from './protocol';

export interface RunHandlers {
  /** A batch; `dropped`: events the worker left out before it (a flood past its cap). */
  onEvents(events: EngineEvent[], dropped: number): void;
  /** aio_run returned: 0 ok, 1 invalid, 2 failed or stopped. */
  onFinished(code: number, workerWallMs: number): void;
  onError(message: string): void;
  /** The worker was stuck and has been replaced (the run is over). */
  onStuck?(silentMs: number): void;
}

export type EngineStatus = 'loading' | 'ready' | 'broken';

export interface WorkerLike {
  postMessage(msg: unknown): void;
  terminate(): void;
  onmessage: ((ev: MessageEvent<unknown>) => void) | null;
  onerror: ((ev: ErrorEvent) => void) | null;
}

export interface ClientDeps {
  createWorker(): WorkerLike;
  now(): number;
  setTimer(fn: () => void, ms: number): unknown;
  clearTimer(handle: unknown): void;
}

export const DEFAULT_WATCHDOG_MS = 5000;
export const STOP_GRACE_MS = 400;

const browserDeps: ClientDeps = {
  createWorker: () => new Worker(new URL('./worker/engine.worker.ts', import.meta.url), { type: 'module', name: 'aio-engine' }),
  now: () => performance.now(),
  setTimer: (fn, ms) => setTimeout(fn, ms),
  clearTimer: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

interface CurrentRun {
  id: number;
  handlers: RunHandlers;
  watchdogMs: number;
  lastHeard: number;
}

export interface PythonExport {
  python: string | null;
  diagnostics: DiagnosticEvent[];
}

export class EngineClient {
  private worker: WorkerLike | null = null;
  private nextRunId = 1;
  private nextExportId = 1;
  private current: CurrentRun | null = null;
  private watchdogTimer: unknown = null;
  private stopTimer: unknown = null;
  private readonly exports = new Map<number, (r: PythonExport) => void>();
  status: EngineStatus = 'loading';
  /** How many workers were started (the first one included); read by tests. */
  workersStarted = 0;

  constructor(
    private readonly onStatus: (status: EngineStatus, detail?: string) => void = () => {},
    private readonly deps: ClientDeps = browserDeps,
  ) {
    this.spawn();
  }

  get running(): boolean {
    return this.current !== null;
  }

  /**
   * Start a run. The page's watchdog waits `pageWatchdogMs` (default: the
   * engine's `options.watchdogMs`, or DEFAULT_WATCHDOG_MS) + 1 s of silence.
   */
  run(scenarioJson: string, options: RunOptions, handlers: RunHandlers, pageWatchdogMs?: number): void {
    if (this.current) this.terminateAndRespawn();
    const id = this.nextRunId++;
    const engineWatchdogMs = options.watchdogMs ?? DEFAULT_WATCHDOG_MS;
    const watchdogMs = pageWatchdogMs ?? (engineWatchdogMs > 0 ? engineWatchdogMs : DEFAULT_WATCHDOG_MS);
    this.current = { id, handlers, watchdogMs, lastHeard: this.deps.now() };
    this.send(runRequest(id, scenarioJson, { ...options, watchdogMs: engineWatchdogMs }));
    this.armWatchdog();
  }

  /** Pause, resume, step, step to the next event, or change the speed of the run in flight. */
  control(action: Exclude<ControlAction, 'cancel' | 'stop'>, speed?: number): void {
    if (!this.current) return;
    this.send(controlRequest(this.current.id, action, action === 'speed' ? { speed } : {}));
  }

  /** Cancel one task of the run in flight, as task.cancel("cancelled from the page"). */
  cancelTask(taskId: number): void {
    if (!this.current) return;
    this.send(controlRequest(this.current.id, 'cancel', { taskId }));
  }

  /**
   * End the run: the engine finishes it (status "stopped") and onFinished is
   * called as usual; if it does not answer in time the worker is replaced and
   * onFinished(2) is called.
   */
  stop(): void {
    const cur = this.current;
    if (!cur) return;
    this.send(controlRequest(cur.id, 'stop'));
    if (this.stopTimer !== null) return;
    this.stopTimer = this.deps.setTimer(() => {
      this.stopTimer = null;
      if (this.current !== cur) return;
      this.current = null;
      this.terminateAndRespawn();
      cur.handlers.onFinished(2, 0);
    }, STOP_GRACE_MS);
  }

  /** Abandon the current run at once: terminate the worker and start a fresh one. */
  terminate(): void {
    this.current = null;
    this.terminateAndRespawn();
  }

  /** The scenario as a Python program (aio_export_python in the worker). */
  exportPython(scenarioJson: string): Promise<PythonExport> {
    const id = this.nextExportId++;
    return new Promise((resolve) => {
      this.exports.set(id, resolve);
      this.send(exportRequest(id, scenarioJson));
    });
  }

  private send(msg: unknown): void {
    this.worker!.postMessage(msg);
  }

  private terminateAndRespawn(): void {
    this.clearTimers();
    this.worker?.terminate();
    for (const resolve of this.exports.values()) resolve({ python: null, diagnostics: [] });
    this.exports.clear();
    this.spawn();
  }

  private clearTimers(): void {
    if (this.watchdogTimer !== null) this.deps.clearTimer(this.watchdogTimer);
    if (this.stopTimer !== null) this.deps.clearTimer(this.stopTimer);
    this.watchdogTimer = this.stopTimer = null;
  }

  private armWatchdog(): void {
    if (this.watchdogTimer !== null) this.deps.clearTimer(this.watchdogTimer);
    this.watchdogTimer = null;
    const cur = this.current;
    if (!cur) return;
    const limit = cur.watchdogMs + 1000;
    const due = cur.lastHeard + limit - this.deps.now();
    this.watchdogTimer = this.deps.setTimer(() => {
      this.watchdogTimer = null;
      if (this.current !== cur) return;
      const silent = this.deps.now() - cur.lastHeard;
      if (silent < limit) {
        this.armWatchdog();
        return;
      }
      this.current = null;
      this.terminateAndRespawn();
      if (cur.handlers.onStuck) cur.handlers.onStuck(silent);
      else cur.handlers.onError(`the engine did not answer for ${Math.round(silent)} ms and was restarted`);
    }, Math.max(0, due));
  }

  private spawn(): void {
    this.setStatus('loading');
    const worker = this.deps.createWorker();
    this.workersStarted++;
    worker.onmessage = (ev: MessageEvent<unknown>) => {
      if (worker !== this.worker) return;
      const r = validateFromWorker(ev.data);
      if (!r.ok) {
        console.error('engine-client: dropped message:', r.error, ev.data);
        return;
      }
      this.receive(r.value);
    };
    worker.onerror = (ev: ErrorEvent) => {
      if (worker !== this.worker) return;
      const message = `engine worker crashed: ${ev.message || 'unknown error'}`;
      this.setStatus('broken', message);
      this.failCurrent(message);
    };
    this.worker = worker;
  }

  private receive(msg: FromWorker): void {
    const cur = this.current;
    if (cur && 'runId' in msg && msg.runId === cur.id) cur.lastHeard = this.deps.now();
    switch (msg.type) {
      case 'ready':
        this.setStatus('ready');
        return;
      case 'heartbeat':
        return;
      case 'events':
        if (cur?.id === msg.runId) {
          const { events, skipped } = decodeEvents(msg.jsonl);
          if (skipped.length > 0) console.warn('engine-client: skipped events:', skipped.slice(0, 5));
          if (events.length > 0 || msg.dropped) cur.handlers.onEvents(events, msg.dropped ?? 0);
        }
        return;
      case 'finished':
        if (cur?.id === msg.runId) {
          this.current = null;
          this.clearTimers();
          cur.handlers.onFinished(msg.code, msg.wallMs);
        }
        return;
      case 'exported': {
        const resolve = this.exports.get(msg.requestId);
        this.exports.delete(msg.requestId);
        resolve?.({ python: msg.python, diagnostics: msg.diagnostics });
        return;
      }
      case 'error':
        if (msg.runId === null && !cur) this.setStatus('broken', msg.message);
        if (msg.runId === null || cur?.id === msg.runId) this.failCurrent(msg.message);
        return;
    }
  }

  private failCurrent(message: string): void {
    const h = this.current?.handlers;
    this.current = null;
    this.clearTimers();
    h?.onError(message);
  }

  private setStatus(status: EngineStatus, detail?: string): void {
    this.status = status;
    this.onStatus(status, detail);
  }
}
