import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../web/src/protocol';
import { MAX_LINES, RunModel } from '../../web/src/state/run';

const events: EngineEvent[] = [
  { type: 'task', t: 0, task: 'main', id: 1, state: 'started' },
  { type: 'task', t: 0, task: 'worker', id: 2, state: 'created', by: 'main' },
  { type: 'task', t: 0, task: 'worker', id: 2, state: 'suspended', on: 'sleep 100ms' },
  { type: 'print', t: 0, task: 'main', text: 'hi' },
  { type: 'task', t: 0, task: 'main', id: 1, state: 'suspended', on: 'task worker' },
];

describe('RunModel', () => {
  it('keeps each task’s latest state and counts the waiting ones', () => {
    const m = new RunModel();
    m.begin('virtual', 0);
    m.applyEvents(events, () => null);
    expect(m.tasks.all().map((t) => [t.name, t.state, t.waitingOn])).toEqual([
      ['main', 'suspended', 'task worker'],
      ['worker', 'suspended', 'sleep 100ms'],
    ]);
    expect(m.tasks.counts()).toEqual({ total: 2, live: 2, suspended: 2 });
    m.applyEvents([{ type: 'task', t: 100, task: 'worker', id: 2, state: 'done', result: 1 }], () => null);
    expect(m.tasks.counts()).toEqual({ total: 2, live: 1, suspended: 1 });
    expect(m.loopMs).toBe(100);
  });

  it('takes the phase from the end event and the wall time from finish()', () => {
    const m = new RunModel();
    m.begin('real', 1000);
    expect(m.phase).toBe('running');
    m.applyEvents([{ type: 'end', t: 5, status: 'failed', message: 'deadlock' }], () => null);
    m.finish('ok', 1250); // aio_run's code does not override what the end event said
    expect(m.phase).toBe('failed');
    expect(m.wallMs).toBe(250);
    expect(m.text()).toBe('[      5ms] ── run failed: deadlock ──');
  });

  it('starts each run afresh', () => {
    const m = new RunModel();
    m.begin('virtual', 0);
    m.applyEvents(events, () => null);
    m.finish('stopped', 10);
    expect(m.phase).toBe('stopped');
    m.begin('virtual', 20);
    expect(m.tasks.all()).toEqual([]);
    expect(m.lines).toEqual([]);
    expect(m.wallMs).toBeNull();
  });
});

describe('RunModel: controls and limits', () => {
  it('follows control events, a stopped end, and remembers the last task seen', () => {
    const m = new RunModel();
    m.begin('real', 0);
    m.applyEvents([{ type: 'task', t: 3, task: 'w', id: 2, state: 'suspended', on: 'sleep 5000ms' }, { type: 'control', t: 5, state: 'paused', speed: 2 }], () => null);
    expect(m.paused).toBe(true);
    expect(m.speed).toBe(2);
    expect(m.lastTask).toEqual({ name: 'w', state: 'suspended', t: 3 });
    const lines = m.applyEvents([{ type: 'end', t: 9, status: 'stopped', message: 'stopped from the page' }], () => null);
    expect(m.phase).toBe('stopped');
    expect(m.paused).toBe(false);
    expect(lines[0].text).toBe('stopped: stopped from the page');
  });

  it('keeps at most MAX_LINES lines and counts the rest', () => {
    const m = new RunModel();
    m.begin('virtual', 0);
    const batch: EngineEvent[] = Array.from({ length: MAX_LINES + 10 }, (_, i) => ({ type: 'print', t: i, task: 'main', text: String(i) }));
    m.applyEvents(batch, () => null);
    expect(m.lines.length).toBe(MAX_LINES);
    expect(m.droppedLines).toBe(10);
    m.begin('virtual', 0);
    expect(m.droppedLines).toBe(0);
  });
});
