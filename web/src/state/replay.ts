// Replays a finished virtual-clock run: its trace lines come out again at the
// pace of their loop times, scaled by a speed factor (at 4x, a line at
// t = 2000 ms appears 500 ms after the start). Lines with the same time come
// out together. One timer at a time, for exactly the next line's due time.
// Timers and the clock are injected so tests can drive it.

import type { TraceLine } from './trace-line.js';

export interface ReplayDeps {
  now(): number;
  setTimer(fn: () => void, ms: number): unknown;
  clearTimer(handle: unknown): void;
}

export class Replay {
  private timer: unknown = null;
  private index = 0;
  private startedAt = 0;
  private origin = 0;

  constructor(
    private readonly lines: readonly TraceLine[],
    private readonly speed: number,
    private readonly emit: (lines: TraceLine[]) => void,
    private readonly onDone: () => void,
    private readonly deps: ReplayDeps,
  ) {}

  get running(): boolean {
    return this.timer !== null;
  }

  start(): void {
    this.startedAt = this.deps.now();
    const first = this.lines.find((l) => l.t !== null);
    this.origin = first?.t ?? 0;
    this.pump();
  }

  stop(): void {
    if (this.timer !== null) this.deps.clearTimer(this.timer);
    this.timer = null;
  }

  /** Wall ms after the start at which a line is due. */
  private due(l: TraceLine): number {
    return l.t === null ? 0 : (l.t - this.origin) / this.speed;
  }

  private pump(): void {
    this.timer = null;
    const elapsed = this.deps.now() - this.startedAt;
    const out: TraceLine[] = [];
    while (this.index < this.lines.length) {
      const l = this.lines[this.index];
      // Untimed lines (notes) go with the line before them.
      if (l.t !== null && this.due(l) > elapsed) break;
      out.push(l);
      this.index++;
    }
    if (out.length > 0) this.emit(out);
    if (this.index >= this.lines.length) {
      this.onDone();
      return;
    }
    const wait = this.due(this.lines[this.index]) - (this.deps.now() - this.startedAt);
    this.timer = this.deps.setTimer(() => this.pump(), Math.max(0, wait));
  }
}
