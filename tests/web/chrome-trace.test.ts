import { describe, expect, it } from 'vitest';
import { toChromeTrace } from '../../web/src/state/chrome-trace.js';

// A worker spawned by main: main awaits it, the worker sleeps 1.5 s and prints.
const events = [
  { type: 'task', t: 0, task: 'main', id: 1, state: 'created', by: null },
  { type: 'task', t: 0, task: 'main', id: 1, state: 'started' },
  { type: 'task', t: 0, task: 'worker', id: 2, state: 'created', by: 'main' },
  { type: 'task', t: 0, task: 'main', id: 1, state: 'suspended', on: 'task worker' },
  { type: 'task', t: 0, task: 'worker', id: 2, state: 'started' },
  { type: 'task', t: 0, task: 'worker', id: 2, state: 'suspended', on: 'sleep 1500ms' },
  { type: 'task', t: 1500, task: 'worker', id: 2, state: 'resumed' },
  { type: 'print', t: 1500, task: 'worker', text: 'tick' },
  { type: 'task', t: 1500, task: 'worker', id: 2, state: 'done', result: 42 },
  { type: 'task', t: 1500, task: 'main', id: 1, state: 'resumed' },
  { type: 'task', t: 1500.5, task: 'main', id: 1, state: 'done' },
  { type: 'end', t: 1500.5, status: 'ok' },
];

describe('toChromeTrace', () => {
  const trace = toChromeTrace(events, { title: 'demo' });
  const ev = trace.traceEvents;

  it('names the process and one thread per task', () => {
    expect(ev.find((e) => e.name === 'process_name')?.args).toEqual({ name: 'aio: demo' });
    const threads = ev.filter((e) => e.ph === 'M' && e.name === 'thread_name').map((e) => [e.tid, e.args.name]);
    expect(threads).toEqual([[1, 'main'], [2, 'worker']]);
  });

  it('has a slice per task life and per await, in microseconds', () => {
    const slices = ev.filter((e) => e.ph === 'X').map((e) => [e.tid, e.name, e.ts, e.dur]);
    expect(slices).toEqual([
      [2, 'sleep 1500ms', 0, 1_500_000],
      [2, 'worker', 0, 1_500_000],
      [1, 'task worker', 0, 1_500_000],
      [1, 'main', 0, 1_500_500],
    ]);
    expect(ev.find((e) => e.ph === 'X' && e.name === 'worker')?.args).toEqual({ state: 'done', result: 42 });
  });

  it('shows prints and the end as instant events', () => {
    expect(ev.find((e) => e.cat === 'print')).toMatchObject({ ph: 'i', tid: 2, ts: 1_500_000, name: 'tick' });
    expect(ev.find((e) => e.cat === 'end')).toMatchObject({ ph: 'i', s: 'g', name: 'end: ok' });
    expect(trace.displayTimeUnit).toBe('ms');
    expect(JSON.parse(JSON.stringify(trace))).toEqual(trace);
  });

  it('closes the slices of tasks still waiting when the run ends (a deadlock)', () => {
    const stuck = toChromeTrace([
      { type: 'task', t: 0, task: 'main', id: 1, state: 'started' },
      { type: 'task', t: 10, task: 'main', id: 1, state: 'suspended', on: 'lock a' },
      { type: 'diagnostic', t: 10, severity: 'error', message: 'deadlock', pointer: '/tasks/main/0' },
      { type: 'end', t: 10, status: 'failed' },
    ]).traceEvents;
    expect(stuck.filter((e) => e.ph === 'X').map((e) => [e.name, e.ts, e.dur, e.args?.state])).toEqual([
      ['lock a', 10_000, 0, undefined],
      ['main', 0, 10_000, 'unfinished'],
    ]);
    expect(stuck.find((e) => e.cat === 'diagnostic')?.name).toBe('error: deadlock');
  });
});
