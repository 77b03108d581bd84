import { describe, expect, it } from 'vitest';
import { Batcher } from '../../web/src/worker/batcher';
import { fakeClock } from './fake-clock';

function harness(interval = 16) {
  const clock = fakeClock();
  const posts: { at: number; batch: number[] }[] = [];
  const b = new Batcher<number>(
    {
      post: (batch) => posts.push({ at: clock.now(), batch }),
      now: clock.now,
      setTimer: clock.setTimer,
      clearTimer: clock.clearTimer,
    },
    interval,
  );
  return { b, posts, advance: clock.advance };
}

describe('Batcher', () => {
  it('sends the first batch at once, then at most one per interval', () => {
    const { b, posts, advance } = harness();
    b.push([1]);
    expect(posts).toEqual([{ at: 0, batch: [1] }]);
    b.push([2]);
    advance(5);
    b.push([3, 4]);
    expect(posts).toHaveLength(1);
    advance(11);
    expect(posts[1]).toEqual({ at: 16, batch: [2, 3, 4] });
    for (let t = 0; t < 100; t++) {
      b.push([t]);
      advance(1);
    }
    advance(16);
    const gaps = posts.slice(1).map((p, i) => p.at - posts[i].at);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(16);
    expect(posts.flatMap((p) => p.batch)).toHaveLength(104);
  });

  it('flush() sends what is pending immediately and cancels the timer', () => {
    const { b, posts, advance } = harness();
    b.push([1]);
    b.push([2]);
    b.flush();
    expect(posts.map((p) => p.batch)).toEqual([[1], [2]]);
    advance(100);
    expect(posts).toHaveLength(2);
    b.flush();
    expect(posts).toHaveLength(2); // nothing pending, nothing sent
  });

  it('reset() drops pending events', () => {
    const { b, posts, advance } = harness();
    b.push([1]);
    b.push([2]);
    b.reset();
    advance(100);
    expect(posts.map((p) => p.batch)).toEqual([[1]]);
  });
});

describe('Batcher during a long synchronous run', () => {
  it('posts from push() once the interval has passed, even though its timer never got to fire', () => {
    let now = 0;
    const posts: number[][] = [];
    const b = new Batcher<number>(
      { post: (batch) => posts.push(batch), now: () => now, setTimer: () => 1, clearTimer: () => {} }, // timers never fire
      16,
    );
    b.push([1]); // first: at once
    now = 5;
    b.push([2]); // within the interval: waits (for a timer that cannot fire)
    now = 17;
    b.push([3]); // the engine is still running: push itself posts
    expect(posts).toEqual([[1], [2, 3]]);
    now = 20;
    b.push([4]);
    b.flush();
    expect(posts).toEqual([[1], [2, 3], [4]]);
  });
});
