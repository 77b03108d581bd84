// A hand-driven clock and timer queue for the page's timer-driven modules (batcher, engine
// client, replay): `advance(ms)` fires due timers in deadline order, moving `now()` to each.

export interface FakeClock {
  now: () => number;
  setTimer: (fn: () => void, ms: number) => number;
  clearTimer: (handle: unknown) => void;
  advance: (ms: number) => void;
  pending: () => number;
}

export function fakeClock(): FakeClock {
  let now = 0;
  let nextId = 0;
  const timers: { at: number; fn: () => void; id: number }[] = [];
  return {
    now: () => now,
    setTimer: (fn, ms) => {
      timers.push({ at: now + ms, fn, id: ++nextId });
      return nextId;
    },
    clearTimer: (handle) => {
      const i = timers.findIndex((t) => t.id === handle);
      if (i >= 0) timers.splice(i, 1);
    },
    advance: (ms) => {
      const end = now + ms;
      for (;;) {
        timers.sort((a, b) => a.at - b.at);
        const t = timers[0];
        if (!t || t.at > end) break;
        timers.shift();
        now = t.at;
        t.fn();
      }
      now = end;
    },
    pending: () => timers.length,
  };
}
