import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../web/src/protocol';
import { RunModel } from '../../web/src/state/run';

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
