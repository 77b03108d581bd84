// Coalesces engine events into batches for postMessage: the first batch after
// a quiet spell goes out at once, later ones at most every `intervalMs` (a
// frame), and flush() sends what is pending right away (end of a run).
// The engine calls push() synchronously while it runs, possibly for seconds
// without returning to the worker's event loop (a long virtual run): then no
// timer can fire, so push() itself posts once the interval has passed.
// Time and timers are injected so tests can drive it.

export interface BatcherDeps<T> {
  post(batch: T[]): void;
  now(): number;
  setTimer(fn: () => void, ms: number): unknown;
  clearTimer(handle: unknown): void;
}

export class Batcher<T> {
  private pending: T[] = [];
  private lastPost = -Infinity;
  private timer: unknown = null;

  constructor(
    private readonly deps: BatcherDeps<T>,
    private readonly intervalMs = 16,
  ) {}

  push(items: T[]): void {
    if (items.length === 0) return;
    for (const item of items) this.pending.push(item);
    const wait = this.lastPost + this.intervalMs - this.deps.now();
    if (wait <= 0) this.flush();
    else if (this.timer === null) this.timer = this.deps.setTimer(() => this.flush(), wait);
  }

  flush(): void {
    if (this.timer !== null) {
      this.deps.clearTimer(this.timer);
      this.timer = null;
    }
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    this.lastPost = this.deps.now();
    this.deps.post(batch);
  }

  /** Drop what is pending (a new run starts). */
  reset(): void {
    if (this.timer !== null) this.deps.clearTimer(this.timer);
    this.timer = null;
    this.pending = [];
  }
}
