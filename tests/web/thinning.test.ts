import { describe, expect, it } from 'vitest';
import { EventThinner } from '../../web/src/worker/thinning';

const print = (i: number) => `{"type":"print","t":${i},"task":"main","text":"line ${i}"}`;
const chunk = (from: number, n: number) => Array.from({ length: n }, (_, i) => print(from + i)).join('\n') + '\n';

describe('EventThinner', () => {
  it('forwards everything under the cap, unchanged', () => {
    const th = new EventThinner(10, 3);
    const c = chunk(0, 10);
    expect(th.take(c)).toEqual({ jsonl: c, dropped: 0 });
    expect(th.finish()).toEqual({ jsonl: '', dropped: 0 });
  });

  it('past the cap holds prints back, counts them, and releases the last ones before the end', () => {
    const th = new EventThinner(10, 3);
    let forwarded = '';
    let dropped = 0;
    for (let i = 0; i < 100; i += 20) {
      const r = th.take(chunk(i, 20));
      forwarded += r.jsonl;
      dropped += r.dropped;
    }
    const end = th.take('{"type":"end","t":100,"status":"ok"}\n');
    forwarded += end.jsonl;
    dropped += end.dropped;
    const fin = th.finish();
    forwarded += fin.jsonl;
    dropped += fin.dropped;
    const lines = forwarded.trim().split('\n');
    expect(lines.slice(0, 10)).toEqual(Array.from({ length: 10 }, (_, i) => print(i)));
    expect(lines.slice(10)).toEqual([print(97), print(98), print(99), '{"type":"end","t":100,"status":"ok"}']);
    expect(dropped).toBe(100 - 10 - 3);
    expect(th.seen).toBe(101);
  });

  it('never holds back diagnostics or control events', () => {
    const th = new EventThinner(0, 2);
    const d = '{"type":"diagnostic","t":1,"severity":"error","message":"x","pointer":""}';
    const r = th.take(print(0) + '\n' + d + '\n');
    expect(r.jsonl).toBe(print(0) + '\n' + d + '\n');
  });
});
