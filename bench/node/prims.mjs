// Node's nearest equivalents of the asyncio pieces the benchmarks use, written the way a Node
// programmer would: plain promises, no libraries.
//   Event         — asyncio.Event: set() wakes every waiter; wait() resolves at once if set.
//   Queue         — asyncio.Queue(maxsize): put() waits while full, get() while empty; FIFO
//                   waiters, and a woken waiter re-checks (asyncio's loop, not a handoff).
//   VirtualClock  — a simulated clock for sleep(): a (when, seq) binary heap of pending
//                   resolves; run() fires every timer due at the earliest deadline, then waits
//                   one setImmediate so all the promise reactions they caused have run before
//                   time jumps again (the same "jump when idle" rule as aio's virtual clock).

export class Event {
  constructor() {
    this.value = false;
    this.waiters = [];
  }
  set() {
    if (this.value) return;
    this.value = true;
    const ws = this.waiters;
    this.waiters = [];
    for (const resolve of ws) resolve(true);
  }
  clear() {
    this.value = false;
  }
  wait() {
    if (this.value) return Promise.resolve(true);
    return new Promise((resolve) => this.waiters.push(resolve));
  }
}

/// A FIFO of values with O(1) push/shift (array + head index, compacted when half is dead).
class Deque {
  constructor() {
    this.items = [];
    this.head = 0;
  }
  get length() {
    return this.items.length - this.head;
  }
  push(v) {
    this.items.push(v);
  }
  shift() {
    const v = this.items[this.head];
    this.items[this.head++] = undefined;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return v;
  }
}

export class Queue {
  constructor(maxsize = 0) {
    this.maxsize = maxsize;
    this.items = new Deque();
    this.getters = new Deque();
    this.putters = new Deque();
  }
  full() {
    return this.maxsize > 0 && this.items.length >= this.maxsize;
  }
  wakeNext(waiters) {
    if (waiters.length) waiters.shift()();
  }
  async put(item) {
    while (this.full()) await new Promise((resolve) => this.putters.push(resolve));
    this.items.push(item);
    this.wakeNext(this.getters);
  }
  async get() {
    while (this.items.length === 0) await new Promise((resolve) => this.getters.push(resolve));
    const item = this.items.shift();
    this.wakeNext(this.putters);
    return item;
  }
}

export class VirtualClock {
  constructor() {
    this.now = 0;
    this.seq = 0;
    this.heap = [];  // entries [when, seq, resolve]
  }
  sleep(seconds) {
    return new Promise((resolve) => this.push([this.now + seconds, this.seq++, resolve]));
  }
  /// Drive the clock until `done` settles: fire the due timers, let their reactions run, jump.
  async run(done) {
    let finished = false;
    done.then(() => (finished = true), () => (finished = true));
    await new Promise(setImmediate);
    while (!finished) {
      if (this.heap.length === 0) throw new Error("virtual clock: nothing scheduled, would wait forever");
      this.now = this.heap[0][0];
      while (this.heap.length && this.heap[0][0] <= this.now) this.pop()[2]();
      await new Promise(setImmediate);
    }
    return done;
  }
  less(a, b) {
    return a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);
  }
  push(e) {
    const h = this.heap;
    let i = h.push(e) - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(h[i], h[p])) break;
      [h[i], h[p]] = [h[p], h[i]];
      i = p;
    }
  }
  pop() {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (h.length) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1, r = l + 1;
        let m = i;
        if (l < h.length && this.less(h[l], h[m])) m = l;
        if (r < h.length && this.less(h[r], h[m])) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m], h[i]];
        i = m;
      }
    }
    return top;
  }
}
