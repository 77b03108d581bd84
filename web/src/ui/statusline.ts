// The status line under the panes: run phase, wall time, loop time, task
// counts, and the engine's own state. Owns its DOM; repaints on demand and
// every animation frame while a run is in flight (for the ticking clock).
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
    this.phase.textContent = PHASE_TEXT[m.phase];
    if (m.phase === 'idle') {
      this.detail.textContent = 'Pick an example or write a scenario, then Run (Ctrl+Enter).';
    } else {
      const c = m.tasks.counts();
      const parts = [`wall ${seconds(m.elapsedMs(now))}`, `loop ${Math.round(m.loopMs)} ms (${m.clock})`];
      if (c.total > 0) parts.push(`${c.total} task${c.total === 1 ? '' : 's'}${m.phase === 'running' ? `, ${c.suspended} waiting` : ''}`);
      this.detail.textContent = parts.join(' · ');
    }
    if (m.phase === 'running' && !this.ticking) {
      this.ticking = true;
      const tick = () => {
        this.render();
        if (this.model.phase === 'running') requestAnimationFrame(tick);
        else this.ticking = false;
      };
      requestAnimationFrame(tick);
    }
  }
}
