// The status line under the panes: run phase, wall time, loop time, task
// counts, and the engine's own state. Owns its DOM; repaints on demand and
// every 500 ms while a run is in flight (for the ticking clock).
// `data-phase` and `data-wall-ms` on the element are read by the e2e tests.

import type { EngineStatus } from '../engine-client';
import type { RunModel, Phase } from '../state/run';

const PHASE_TEXT: Record<Phase, string> = {
  idle: 'ready',
  invalid: 'invalid scenario',
  running: 'running',
  ok: 'finished',
  failed: 'failed',
  stopped: 'stopped',
  error: 'engine error',
};

const TICK_MS = 500;

function seconds(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

export class StatusLine {
  private readonly phase: HTMLElement;
  private readonly detail: HTMLElement;
  private readonly engine: HTMLElement;
  private ticking = false;

  constructor(
    private readonly host: HTMLElement,
    private readonly model: RunModel,
  ) {
    this.phase = document.createElement('span');
    this.phase.className = 'phase';
    this.detail = document.createElement('span');
    this.detail.className = 'detail';
    this.engine = document.createElement('span');
    this.engine.className = 'engine';
    host.append(this.phase, this.detail, this.engine);
    this.render();
  }

  setEngine(status: EngineStatus, detail?: string): void {
    this.engine.dataset.status = status;
    this.engine.textContent =
      status === 'ready' ? 'engine ready · C++20 → wasm' : status === 'loading' ? 'loading engine…' : `engine unavailable`;
    this.engine.title = detail ?? '';
  }

  render(): void {
    const m = this.model;
    const now = performance.now();
    this.host.dataset.phase = m.phase;
    this.host.dataset.wallMs = m.wallMs === null ? '' : String(Math.round(m.wallMs));
    this.host.dataset.paused = String(m.phase === 'running' && m.paused);
    this.phase.textContent = m.phase === 'running' && m.paused ? 'paused' : PHASE_TEXT[m.phase];
    if (m.phase === 'idle') {
      this.detail.textContent = 'Pick an example or write a scenario, then Run (Ctrl+Enter).';
    } else {
      const c = m.tasks.counts();
      const clock = m.clock === 'real' && m.speed !== 1 ? `real ${m.speed}x` : m.clock;
      const parts = [`wall ${seconds(m.elapsedMs(now))}`, `loop ${Math.round(m.loopMs)} ms (${clock})`];
      if (c.total > 0) parts.push(`${c.total} task${c.total === 1 ? '' : 's'}${m.phase === 'running' ? `, ${c.suspended} waiting` : ''}`);
      this.detail.textContent = parts.join(' · ');
    }
    if (m.phase === 'running' && !this.ticking) {
      this.ticking = true;
      // Twice a second is enough for a clock and keeps an idle run idle (every
      // frame would cost a style/layout/paint pass 60 times a second: measured
      // at ~4% of a core while a run waits on a long sleep).
      const tick = () => {
        this.render();
        if (this.model.phase === 'running') setTimeout(tick, TICK_MS);
        else this.ticking = false;
      };
      setTimeout(tick, TICK_MS);
    }
  }
}
