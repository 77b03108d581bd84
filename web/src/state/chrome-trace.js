// @ts-check
// A run's engine events → Chrome trace-event JSON (chrome://tracing, https://ui.perfetto.dev):
// every task is a thread (named after the task), its life from `started` to its end is a slice,
// and each suspension (`suspended on sleep 500ms`, `task worker`, `queue jobs get`, ...) is a
// slice nested inside it until the task resumes. Prints, cancel requests and diagnostics are
// instant events. Times are the engine's loop time (ms) as trace microseconds.
// Used by `aio-play run --format chrome-trace`; plain JavaScript so node imports it as is.

/**
 * @typedef {Record<string, any>} WireEvent   an engine event (docs/engine-abi.md)
 * @typedef {Record<string, any>} TraceEvent  a Chrome trace event
 */

const PID = 1;
const us = (/** @type {number} */ ms) => Math.round(ms * 1000 * 1000) / 1000;

/**
 * @param {WireEvent[]} events   every event of one run, in order
 * @param {{ title?: string }} [meta]
 * @returns {{ traceEvents: TraceEvent[], displayTimeUnit: 'ms', otherData: Record<string, unknown> }}
 */
export function toChromeTrace(events, meta = {}) {
  /** @type {TraceEvent[]} */
  const out = [{ ph: 'M', pid: PID, tid: 0, name: 'process_name', args: { name: meta.title ? `aio: ${meta.title}` : 'aio event loop' } }];
  /** @type {Map<number, { name: string, started: number | null, suspended: { at: number, on: string } | null }>} */
  const tasks = new Map();
  /** @type {Map<string, number>} task name → tid (the engine makes names unique) */
  const byName = new Map();
  let last = 0;
  let endStatus = null;

  /** @param {number} tid @param {string} name @param {number} from @param {number} to @param {Record<string, unknown>} [args] @param {string} [cat] */
  const slice = (tid, name, from, to, args, cat = 'task') => {
    /** @type {TraceEvent} */
    const e = { ph: 'X', pid: PID, tid, name, cat, ts: us(from), dur: us(to) - us(from) };
    if (args) e.args = args;
    out.push(e);
  };
  /** @param {number} tid @param {number} t */
  const resume = (tid, t) => {
    const s = tasks.get(tid)?.suspended;
    if (!s) return;
    slice(tid, s.on, s.at, t, undefined, 'await');
    /** @type {any} */ (tasks.get(tid)).suspended = null;
  };

  for (const e of events) {
    if (typeof e.t === 'number') last = Math.max(last, e.t);
    switch (e.type) {
      case 'task': {
        const tid = Number(e.id);
        if (!tasks.has(tid)) {
          tasks.set(tid, { name: String(e.task), started: null, suspended: null });
          byName.set(String(e.task), tid);
          out.push({ ph: 'M', pid: PID, tid, name: 'thread_name', args: { name: String(e.task) } });
          out.push({ ph: 'M', pid: PID, tid, name: 'thread_sort_index', args: { sort_index: tid } });
        }
        const task = /** @type {NonNullable<ReturnType<typeof tasks.get>>} */ (tasks.get(tid));
        switch (e.state) {
          case 'created':
            out.push({ ph: 'i', s: 't', pid: PID, tid, ts: us(e.t), name: e.by ? `created by ${e.by}` : 'created', cat: 'task' });
            break;
          case 'started':
            task.started = e.t;
            break;
          case 'suspended':
            resume(tid, e.t);
            task.suspended = { at: e.t, on: e.on ? String(e.on) : 'suspended' };
            break;
          case 'resumed':
            resume(tid, e.t);
            break;
          case 'cancelling':
            out.push({ ph: 'i', s: 't', pid: PID, tid, ts: us(e.t), name: 'cancel requested' + (e.by ? ` by ${e.by}` : ''), cat: 'cancel', args: e.message ? { message: e.message } : undefined });
            break;
          case 'done':
          case 'failed':
          case 'cancelled': {
            resume(tid, e.t);
            /** @type {Record<string, unknown>} */
            const args = { state: e.state };
            if (e.result !== undefined && e.result !== null) args.result = e.result;
            if (e.error) args.error = e.error;
            if (e.message) args.message = e.message;
            slice(tid, task.name, task.started ?? e.t, e.t, args);
            task.started = null;
            break;
          }
        }
        break;
      }
      case 'print': {
        const tid = byName.get(String(e.task)) ?? 0;
        out.push({ ph: 'i', s: 't', pid: PID, tid, ts: us(e.t), name: String(e.text), cat: 'print', args: { task: e.task } });
        break;
      }
      case 'diagnostic':
        out.push({ ph: 'i', s: 'g', pid: PID, tid: 0, ts: us(e.t ?? 0), name: `${e.severity}: ${e.message}`, cat: 'diagnostic', args: { pointer: e.pointer ?? '' } });
        break;
      case 'end':
        endStatus = e.status;
        out.push({ ph: 'i', s: 'g', pid: PID, tid: 0, ts: us(e.t), name: `end: ${e.status}${e.message ? ` (${e.message})` : ''}`, cat: 'end' });
        break;
    }
  }
  // Tasks still alive at the end (a deadlock, a run cut short) close at the last event.
  for (const [tid, task] of tasks) {
    resume(tid, last);
    if (task.started !== null) slice(tid, task.name, task.started, last, { state: 'unfinished' });
  }
  return { traceEvents: out, displayTimeUnit: 'ms', otherData: { source: 'aio playground', clock: 'loop time', status: endStatus } };
}
