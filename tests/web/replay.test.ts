import { describe, expect, it } from 'vitest';
import { Replay } from '../../web/src/state/replay';
import type { TraceLine } from '../../web/src/state/trace-line.js';
import { fakeClock } from './fake-clock';

const line = (t: number | null, text: string): TraceLine => ({ kind: t === null ? 'note' : 'print', t, label: 'main', text });

function harness() {
  const clock = fakeClock();
  const deps = { now: clock.now, setTimer: clock.setTimer, clearTimer: clock.clearTimer };
  return { deps, advance: clock.advance, pending: clock.pending };
}

describe('Replay', () => {
  const lines = [line(0, 'a'), line(null, 'note'), line(0, 'b'), line(1000, 'c'), line(2000, 'd')];

  it('emits lines at their loop times divided by the speed, same-time lines together', () => {
    const h = harness();
    const out: string[][] = [];
    let done = false;
    const r = new Replay(lines, 4, (ls) => out.push(ls.map((l) => l.text)), () => (done = true), h.deps);
    r.start();
    expect(out).toEqual([['a', 'note', 'b']]);
    h.advance(249);
    expect(out.length).toBe(1);
    h.advance(1); // 1000 ms of loop time at 4x = 250 ms
    expect(out[1]).toEqual(['c']);
    h.advance(250);
    expect(out[2]).toEqual(['d']);
    expect(done).toBe(true);
    expect(h.pending()).toBe(0);
  });

  it('at 0.5x takes twice the loop time, and stop() ends it early', () => {
    const h = harness();
    const out: string[] = [];
    const r = new Replay(lines, 0.5, (ls) => out.push(...ls.map((l) => l.text)), () => {}, h.deps);
    r.start();
    h.advance(1999);
    expect(out).toEqual(['a', 'note', 'b']);
    h.advance(1);
    expect(out).toEqual(['a', 'note', 'b', 'c']);
    expect(r.running).toBe(true);
    r.stop();
    expect(r.running).toBe(false);
    h.advance(10_000);
    expect(out).toEqual(['a', 'note', 'b', 'c']);
  });
});
