// The Node side of the benchmark suite: async functions and promises as the nearest equivalent
// of asyncio tasks.
//   node --expose-gc bench_node.mjs <workload> <reps> [n]   → one JSON line on stdout
// Each workload mirrors bench/workloads.hpp: same sizes, seeded durations and checksum; one
// unreported warm-up run (it also lets the JIT compile), then <reps> runs; each main times
// itself from its first statement to just before it returns.
// Differences that are Node's nature, not choices: calling an async function runs its body at
// once up to its first await (an asyncio task first runs on the next loop pass), and awaiting a
// settled promise costs a microtask, not a loop pass.
//   w3        yields with `await new Promise(setImmediate)`: one trip through the event loop,
//             the analogue of asyncio.sleep(0) (the number used for the ratios);
//   w3_micro  yields with `await null`: a microtask, cheaper but never lets I/O or timers run.
//   w5, w6    sleep on VirtualClock (prims.mjs), a simulated timer heap, not setTimeout.
import { performance } from "node:perf_hooks";
import { Event, Queue, VirtualClock } from "./prims.mjs";

function lcgDurationsMs(n, seed = 12345) {
  const out = new Array(n);
  let x = seed >>> 0;
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    out[i] = ((x >>> 16) % 10000) + 1;
  }
  return out;
}

// ---- 1. create + await n tasks, each returning a value ----
async function w1Child(i) {
  return i;
}
async function w1Main(n) {
  const t0 = performance.now();
  let tasks = new Array(n);
  for (let i = 0; i < n; i++) tasks[i] = w1Child(i);
  let total = 0;
  for (const t of tasks) total += await t;
  tasks = null;
  return [performance.now() - t0, total];
}

// ---- 2. ping-pong through two events, n round trips ----
async function w2Ping(ping, pong, n) {
  for (let i = 0; i < n; i++) {
    ping.set();
    await pong.wait();
    pong.clear();
  }
  return n;
}
async function w2Pong(ping, pong, n) {
  for (let i = 0; i < n; i++) {
    await ping.wait();
    ping.clear();
    pong.set();
  }
  return n;
}
async function w2Main(n) {
  const t0 = performance.now();
  const ping = new Event(), pong = new Event();
  const a = w2Ping(ping, pong, n);
  const b = w2Pong(ping, pong, n);
  const ra = await a;
  const rb = await b;
  return [performance.now() - t0, ra + rb];
}

// ---- 3. n tasks, each yielding once ----
const yieldImmediate = () => new Promise(setImmediate);
async function w3Child(i, yields, yieldOnce) {
  for (let k = 0; k < yields; k++) await yieldOnce();
  return i;
}
async function w3Main(n, yieldOnce) {
  const t0 = performance.now();
  let tasks = new Array(n);
  for (let i = 0; i < n; i++) tasks[i] = w3Child(i, 1, yieldOnce);
  let total = 0;
  for (const t of tasks) total += await t;
  tasks = null;
  return [performance.now() - t0, total];
}

// ---- 4. n items through a bounded queue (maxsize 64), one producer, one consumer ----
async function w4Producer(q, n) {
  for (let i = 0; i < n; i++) await q.put(i);
  return 0;
}
async function w4Consumer(q, n) {
  let total = 0;
  for (let i = 0; i < n; i++) total += await q.get();
  return total;
}
async function w4Main(n, maxsize = 64) {
  const t0 = performance.now();
  const q = new Queue(maxsize);
  const p = w4Producer(q, n);
  const c = w4Consumer(q, n);
  const total = await c;
  await p;
  return [performance.now() - t0, total];
}

// ---- 5. n tasks sleeping seeded random durations (virtual clock) ----
async function w5Child(clock, ms) {
  await clock.sleep(ms / 1000);
  return ms;
}
async function w5Main(clock, durations) {
  const t0 = performance.now();
  let tasks = new Array(durations.length);
  for (let i = 0; i < durations.length; i++) tasks[i] = w5Child(clock, durations[i]);
  let total = 0;
  for (const t of tasks) total += await t;
  tasks = null;
  const endMs = Math.floor(clock.now * 1000 + 0.5);
  return [performance.now() - t0, total * 100000 + endMs];
}

// ---- 6. memory: n tasks pending in sleep(1000) (virtual clock), heapUsed after full GCs ----
async function w6Child(clock) {
  await clock.sleep(1000);
  return 1;
}
async function w6Main(clock, n, probe) {
  global.gc();
  probe.push(process.memoryUsage().heapUsed);
  let tasks = new Array(n);
  for (let i = 0; i < n; i++) tasks[i] = w6Child(clock);
  await new Promise(setImmediate);
  global.gc();
  probe.push(process.memoryUsage().heapUsed);
  let total = 0;
  for (const t of tasks) total += await t;
  tasks = null;
  return [0, total];
}

async function timed(workload, n, reps, make) {
  const warm = await make();
  const times = [];
  for (let i = 0; i < reps; i++) {
    const [ms, check] = await make();
    if (check !== warm[1]) throw new Error("checksum changed between runs");
    times.push(Math.round(ms * 1000) / 1000);
  }
  console.log(JSON.stringify({ impl: "node", workload, n, check: String(warm[1]), times_ms: times }));
}

async function memory(n, reps) {
  if (typeof global.gc !== "function") throw new Error("run with --expose-gc");
  const perTask = [];
  for (let i = 0; i < reps + 1; i++) {
    const clock = new VirtualClock();
    const probe = [];
    const [, total] = await clock.run(w6Main(clock, n, probe));
    if (total !== n) throw new Error(`w6: ${total} of ${n} tasks finished`);
    if (i) perTask.push(Math.round(((probe[1] - probe[0]) / n) * 100) / 100);
  }
  console.log(JSON.stringify({ impl: "node", workload: "w6", n, check: String(n), heap_used_bytes_per_task: perTask }));
}

const [workload, repsArg, nArg] = process.argv.slice(2);
const reps = Number(repsArg);
const nOr = (d) => (nArg ? Number(nArg) : d);
switch (workload) {
  case "w1": { const n = nOr(100000); await timed(workload, n, reps, () => w1Main(n)); break; }
  case "w2": { const n = nOr(200000); await timed(workload, n, reps, () => w2Main(n)); break; }
  case "w3": { const n = nOr(100000); await timed(workload, n, reps, () => w3Main(n, yieldImmediate)); break; }
  case "w3_micro": { const n = nOr(100000); await timed(workload, n, reps, () => w3Main(n, () => null)); break; }
  case "w4": { const n = nOr(1000000); await timed(workload, n, reps, () => w4Main(n)); break; }
  case "w5": {
    const n = nOr(100000);
    const durations = lcgDurationsMs(n);
    await timed(workload, n, reps, () => {
      const clock = new VirtualClock();
      return clock.run(w5Main(clock, durations));
    });
    break;
  }
  case "w6": await memory(nOr(100000), reps); break;
  default: throw new Error(`unknown workload ${workload}`);
}
