// The run's model: its phase, its clocks, its task table and its trace lines.
// UI components read it; only app.ts feeds it (from engine-client callbacks).
//
// phase: idle      nothing run yet
//        invalid   YAML or scenario errors, nothing ran
//        running   a run is in flight
//        ok        the main task finished normally
//        failed    the main task failed / was cancelled, or the loop deadlocked
//        stopped   the user pressed Stop, or the worker was stuck and replaced
//        error     the engine itself could not load or crashed

import type { Clock, EngineEvent } from '../protocol';
import { TaskTable } from './tasks';
import { eventToLine, formatPlain, type TraceLine } from './trace-line.js';
import type { Position } from '../scenario/yaml.js';

/** Trace lines kept per run (for Replay and the tests' traceText). */
export const MAX_LINES = 20_000;

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
  /** Lines past MAX_LINES are counted, not kept (a run may emit millions). */
  droppedLines = 0;
  /** The engine paused the run (control events); the speed factor it reports. */
  paused = false;
  speed = 1;
  /** The last task event seen: named when a stuck worker is replaced. */
  lastTask: { name: string; state: string; t: number } | null = null;

  begin(clock: Clock, now: number): void {
    this.phase = 'running';
    this.clock = clock;
    this.startedAt = now;
    this.wallMs = null;
    this.loopMs = 0;
    this.tasks.clear();
    this.lines.length = 0;
    this.droppedLines = 0;
    this.paused = false;
    this.lastTask = null;
  }

  /** Apply a batch; returns the new trace lines to render. */
  applyEvents(events: EngineEvent[], locate: (pointer: string) => Position | null): TraceLine[] {
    const out: TraceLine[] = [];
    for (const e of events) {
      this.loopMs = Math.max(this.loopMs, e.t);
      if (e.type === 'task') {
        this.tasks.apply(e);
        this.lastTask = { name: e.task, state: e.state, t: e.t };
      }
      if (e.type === 'control') {
        this.paused = e.state === 'paused';
        this.speed = e.speed;
      }
      if (e.type === 'end') {
        this.phase = e.status === 'ok' ? 'ok' : e.status === 'invalid' ? 'invalid' : e.status === 'stopped' ? 'stopped' : 'failed';
        this.paused = false;
      }
      out.push(eventToLine(e, locate));
    }
    this.keep(out);
    return out;
  }

  private keep(lines: TraceLine[]): void {
    for (const l of lines) {
      if (this.lines.length < MAX_LINES) this.lines.push(l);
      else this.droppedLines++;
    }
  }

  /** Lines produced outside a run (YAML errors, notes). */
  addLines(lines: TraceLine[]): void {
    this.keep(lines);
  }

  finish(phase: Phase, now: number): void {
    // An `end` event already decided ok/invalid/failed; keep it unless told worse.
    if (this.phase === 'running' || phase === 'stopped' || phase === 'error') this.phase = phase;
    this.paused = false;
    this.wallMs = now - this.startedAt;
  }

  elapsedMs(now: number): number {
    return this.wallMs ?? (this.phase === 'running' ? now - this.startedAt : 0);
  }

  text(): string {
    return this.lines.map(formatPlain).join('\n');
  }
}
