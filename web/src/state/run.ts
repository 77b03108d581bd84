// The run's model: its phase, its clocks, its task table and its trace lines.
// UI components read it; only app.ts feeds it (from engine-client callbacks).
//
// phase: idle      nothing run yet
//        invalid   YAML or scenario errors, nothing ran
//        running   a run is in flight
//        ok        the main task finished normally
//        failed    the main task failed / was cancelled, or the loop deadlocked
//        stopped   the user pressed Stop (the worker was terminated)
//        error     the engine itself could not load or crashed

import type { Clock, EngineEvent } from '../protocol';
import { TaskTable } from './tasks';
import { eventToLine, formatPlain, type TraceLine } from './trace-line.js';
import type { Position } from '../scenario/yaml.js';

export type Phase = 'idle' | 'invalid' | 'running' | 'ok' | 'failed' | 'stopped' | 'error';

export class RunModel {
  phase: Phase = 'idle';
  clock: Clock = 'virtual';
  /** performance.now() when the run was requested, and the wall time it took once over. */
  startedAt = 0;
  wallMs: number | null = null;
  /** Latest loop time seen in an event (ms). */
  loopMs = 0;
  readonly tasks = new TaskTable();
  readonly lines: TraceLine[] = [];

  begin(clock: Clock, now: number): void {
    this.phase = 'running';
    this.clock = clock;
    this.startedAt = now;
    this.wallMs = null;
    this.loopMs = 0;
    this.tasks.clear();
    this.lines.length = 0;
  }

  /** Apply a batch; returns the new trace lines to render. */
  applyEvents(events: EngineEvent[], locate: (pointer: string) => Position | null): TraceLine[] {
    const out: TraceLine[] = [];
    for (const e of events) {
      this.loopMs = Math.max(this.loopMs, e.t);
      if (e.type === 'task') this.tasks.apply(e);
      if (e.type === 'end') this.phase = e.status === 'ok' ? 'ok' : e.status === 'invalid' ? 'invalid' : 'failed';
      out.push(eventToLine(e, locate));
    }
    this.lines.push(...out);
    return out;
  }

  /** Lines produced outside a run (YAML errors, notes). */
  addLines(lines: TraceLine[]): void {
    this.lines.push(...lines);
  }

  finish(phase: Phase, now: number): void {
    // An `end` event already decided ok/invalid/failed; keep it unless told worse.
    if (this.phase === 'running' || phase === 'stopped' || phase === 'error') this.phase = phase;
    this.wallMs = now - this.startedAt;
  }

  elapsedMs(now: number): number {
    return this.wallMs ?? (this.phase === 'running' ? now - this.startedAt : 0);
  }

  text(): string {
    return this.lines.map(formatPlain).join('\n');
  }
}
