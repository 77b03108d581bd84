// The page's side of the engine worker: the only code that creates the Worker
// or calls postMessage. One run at a time; Stop terminates the worker and
// starts a fresh one (the engine cannot be interrupted mid-run otherwise).

import {
  runRequest,
  validateFromWorker,
  type EngineEvent,
  type FromWorker,
  type RunOptions,
} from './protocol';

export interface RunHandlers {
  onEvents(events: EngineEvent[]): void;
  /** aio_run returned: 0 ok, 1 invalid, 2 failed. */
  onFinished(code: number, workerWallMs: number): void;
  onError(message: string): void;
}

export type EngineStatus = 'loading' | 'ready' | 'broken';

export class EngineClient {
  private worker: Worker | null = null;
  private nextRunId = 1;
  private current: { id: number; handlers: RunHandlers } | null = null;
  status: EngineStatus = 'loading';

  constructor(private readonly onStatus: (status: EngineStatus, detail?: string) => void = () => {}) {
    this.spawn();
  }

  get running(): boolean {
    return this.current !== null;
  }

  run(scenarioJson: string, options: RunOptions, handlers: RunHandlers): void {
    if (this.current) this.stop();
    const id = this.nextRunId++;
    this.current = { id, handlers };
    this.worker!.postMessage(runRequest(id, scenarioJson, options));
  }

  /** Abandon the current run: terminate the worker and start a fresh one. */
  stop(): void {
    this.current = null;
    this.worker?.terminate();
    this.spawn();
  }

  private spawn(): void {
    this.setStatus('loading');
    const worker = new Worker(new URL('./worker/engine.worker.ts', import.meta.url), { type: 'module', name: 'aio-engine' });
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
    switch (msg.type) {
      case 'ready':
        this.setStatus('ready');
        return;
      case 'events':
        if (this.current?.id === msg.runId) this.current.handlers.onEvents(msg.events);
        return;
      case 'finished':
        if (this.current?.id === msg.runId) {
          const h = this.current.handlers;
          this.current = null;
          h.onFinished(msg.code, msg.wallMs);
        }
        return;
      case 'error':
        if (msg.runId === null) this.setStatus('broken', msg.message);
        if (msg.runId === null || this.current?.id === msg.runId) this.failCurrent(msg.message);
        return;
    }
  }

  private failCurrent(message: string): void {
    const h = this.current?.handlers;
    this.current = null;
    h?.onError(message);
  }

  private setStatus(status: EngineStatus, detail?: string): void {
    this.status = status;
    this.onStatus(status, detail);
  }
}
