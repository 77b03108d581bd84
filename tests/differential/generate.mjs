// A seeded generator of random scenarios for the differential check against CPython.
//
// generate(seed) returns a scenario document (JSON-ready) that mixes print with expressions and
// interpolation, sleep (0, equal deadlines, ms and s), set, spawn/await/gather (with and
// without return_exceptions), cancel (with messages, before and after the task starts),
// if/repeat/for/loop/break/continue, raise, try/except/finally (CancelledError handlers that
// swallow or re-raise), calls with parameters and return values, random()/randint(), a lock and
// a semaphore, an event, a shared counter, wait_for, timeout blocks, wait (every return_when,
// with and without a timeout) and shield; and, from generate-families.mjs, queues, conditions,
// as_completed, task groups, barriers and simulated servers with fetch (`with` and two variants
// that CPython runs differently are behind AIO_DIFF_EXTRA, off by default: see OFF_BY_DEFAULT).
//
// Every scenario terminates and never deadlocks: tasks only call or spawn tasks defined after
// them, loops are bounded, handles are awaited only by the task that spawned them, and a task
// holding the lock or the semaphore waits for no other task. Main catches everything, then
// sleeps long enough for every task to finish, then may start a straggler that asyncio.run's
// shutdown cancels (with several leftovers, run_exports.py pins CPython's cancel order to
// creation order, as the engine does: see tests/python/virtual_loop.py).
// Expressions are typed so that they never fail at run time, and stay clear of the places where
// the scenario language knowingly differs from Python (the engine's double arithmetic and
// name-based exception matching; python_export.hpp lists them): // and % on
// integers only, no round(x, n), no bool == number, ASCII strings, no exception hierarchies
// (no `except LookupError` for a KeyError), no return/break/continue inside finally.

import { WAIT_NAMES, declarations, enabledFamilies, familyStep } from './generate-families.mjs';

/** mulberry32: a small seeded PRNG. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SLEEPS = [0, 0, 0, '0ms', 0.001, '1ms', '5ms', 0.01, '10ms', '10ms', 0.05, '50ms', 0.1, '100ms', 0.1, 0.25, '250ms', 0.3, '1s'];
const ERRORS = ['ValueError', 'KeyError', 'RuntimeError', 'PaymentError', 'TimeoutError'];
const WORDS = ['alpha', 'beta', 'gamma', 'x', 'ok', 'it\'s', 'a "quote"', 'brace {{}}', 'back\\slash'];

export function generate(seed, { families = enabledFamilies() } = {}) {
  const r = prng(seed);
  const int = (lo, hi) => lo + Math.floor(r() * (hi - lo + 1));
  const pick = (xs) => xs[Math.floor(r() * xs.length)];
  const chance = (p) => r() < p;

  const ntasks = int(1, 4);
  const tasks = []; // index 0 is main
  for (let i = 0; i <= ntasks; i++) {
    const params = i === 0 ? [] : ['a', 'b', 'n'].slice(0, int(0, 2)).map((p) => ({ name: p, type: pick(['int', 'str']) }));
    tasks.push({ name: i === 0 ? 'main' : `t${i}`, index: i, params, returns: pick(['int', 'str', 'list']) });
  }
  let handleCount = 0;

  // ---- typed expressions over the variables in scope (scope: name → type) ----
  const vars = (scope, type) => Object.keys(scope).filter((v) => scope[v] === type);
  function intExpr(scope, depth = 0) {
    const vs = vars(scope, 'int');
    const k = depth > 1 ? int(0, 1) : int(0, 9);
    if (k === 0 || (k === 1 && !vs.length)) return String(int(0, 9));
    if (k === 1) return pick(vs);
    const a = intExpr(scope, depth + 1), b = intExpr(scope, depth + 1);
    switch (k) {
      case 2: return `${a} + ${b}`;
      case 3: return `(${a}) - ${b}`;
      case 4: return `(${a}) * ${int(0, 3)}`;
      case 5: return `(${a}) // ${int(1, 4)}`;
      case 6: return `(${a}) % ${int(1, 5)}`;
      case 7: return vars(scope, 'list').length ? `len(${pick(vars(scope, 'list'))})` : `randint(${int(0, 3)}, ${int(3, 9)})`;
      case 8: return `max(${a}, ${b})`;
      default: return `abs(${a} - ${int(0, 9)})`;
    }
  }
  function numExpr(scope) {
    switch (int(0, 5)) {
      case 0: return `${intExpr(scope)} / ${pick([2, 3, 4, 7, 10])}`;
      case 1: return 'random()';
      case 2: return `random() * ${pick([0.0001, 1000, 1e20, 3])}`;
      case 3: return `${intExpr(scope)} * ${pick([0.1, 0.25, 1.5, 1e-7])}`;
      case 4: return `${pick(['0.1 + 0.2', '1 / 3', '2.5', '1e16', '123456789012345.6', '-0.5'])}`;
      default: return intExpr(scope);
    }
  }
  function strExpr(scope) {
    const vs = vars(scope, 'str');
    switch (int(0, 4)) {
      case 0: return vs.length ? pick(vs) : `'${pick(['p', 'q', 'rs'])}'`;
      case 1: return `str(${intExpr(scope)})`;
      case 2: return `'${pick(['id-', 'k', ''])}' + str(${numExpr(scope)})`;
      case 3: return vs.length ? `${pick(vs)} + '!'` : `'z'`;
      default: return `str(${pick(['[1, 2.5]', "{b: 1, a: 'x'}", 'null', 'true', '[]'])})`;
    }
  }
  function boolExpr(scope) {
    switch (int(0, 4)) {
      case 0: return `${intExpr(scope)} < ${intExpr(scope)}`;
      case 1: return `${intExpr(scope)} == ${intExpr(scope)}`;
      case 2: return `not ${intExpr(scope)} >= ${int(0, 9)}`;
      case 3: return vars(scope, 'list').length ? `${int(0, 4)} in ${pick(vars(scope, 'list'))}` : 'random() < 0.5';
      default: return `${intExpr(scope)} > 2 and ${strExpr(scope)} != 'p'`;
    }
  }
  function listExpr(scope) {
    switch (int(0, 3)) {
      case 0: return `[${intExpr(scope)}, ${intExpr(scope)}]`;
      case 1: return `range(${int(0, 4)})`;
      case 2: return `[${intExpr(scope)}] + range(${int(1, 3)})`;
      default: return `range(${int(0, 2)}, ${int(3, 6)})`;
    }
  }
  const exprOf = (type, scope) => ({ int: intExpr, num: numExpr, str: strExpr, bool: boolExpr, list: listExpr })[type](scope);
  function anyValue(scope) {
    const type = pick(['int', 'int', 'num', 'str', 'bool', 'list']);
    return { type, text: exprOf(type, scope) };
  }
  function printText(task, scope) {
    const parts = [`${task.name}:`];
    for (let i = int(0, 2); i > 0; i--) {
      const v = anyValue(scope);
      parts.push(chance(0.3) ? `${pick(WORDS)}={${v.text}}` : `{${v.text}}`);
    }
    if (chance(0.2)) parts.push(`at {now}`);
    if (chance(0.2)) parts.push(pick(WORDS));
    return parts.join(' ');
  }

  // ---- steps ----
  function call(task, scope) {
    const callees = tasks.filter((t) => t.index > task.index);
    if (!callees.length) return null;
    const callee = pick(callees);
    const args = {};
    for (const p of callee.params) args[p.name] = `{${exprOf(p.type, scope)}}`;
    return { callee, spec: { call: callee.name, args } };
  }
  const sleep = (scope) => {
    const vs = vars(scope, 'int');
    if (vs.length && chance(0.15)) return { sleep: `{abs(${pick(vs)}) * 10}ms` };
    return { sleep: pick(SLEEPS) };
  };

  function block(task, scope, depth, frame, n = int(1, 5)) {
    const steps = [];
    for (let i = 0; i < n; i++) steps.push(...step(task, scope, depth, frame));
    return steps;
  }

  function step(task, scope, depth, outer) {
    const inner = { ...scope };
    const frame = outer;
    const sub = () => ({ handles: [...outer.handles], locked: outer.locked }); // handles spawned in a nested block stay there
    let k = int(0, depth >= 3 ? 6 : 30 + families.length);
    // Holding the lock or the semaphore, never wait for another task or take another primitive:
    // the other task may be waiting for what this one holds (deadlock).
    if (frame.locked && ((k >= 7 && k <= 11) || k >= 23)) k = 6;
    switch (k) {
      case 0: case 1: case 2: return [{ print: printText(task, scope) }];
      case 3: case 4: return [sleep(scope)];
      case 5: {
        const v = anyValue(scope);
        const name = pick(['x', 'y', 'z', 's', 'l']) + int(0, 2);
        if (scope[name] && scope[name] !== v.type) return [{ print: `${task.name}: keep ${name}` }];
        scope[name] = v.type;
        return [{ set: { [name]: `{${v.text}}` } }];
      }
      case 6: return [{ print: printText(task, scope) }, sleep(scope)];
      case 7: case 8: { // spawn
        const c = call(task, scope);
        if (!c) return [sleep(scope)];
        const h = `h${++handleCount}`;
        frame.handles.push(h);
        return [{ spawn: c.spec, as: h }];
      }
      case 9: { // await a handle or a call
        if (frame.handles.length && chance(0.6)) {
          const h = pick(frame.handles);
          return [guard(task, scope, depth, frame, [{ await: h, as: 'r' }, { print: `${task.name}: got {r}` }])];
        }
        const c = call(task, scope);
        if (!c) return [sleep(scope)];
        const as = `v${int(0, 2)}`;
        if (scope[as] && scope[as] !== c.callee.returns) return [{ await: c.spec }];
        scope[as] = c.callee.returns;
        return [{ await: c.spec, as }, { print: `${task.name}: ${c.callee.name} returned {${as}}` }];
      }
      case 10: { // gather
        const items = [];
        for (let i = int(1, 3); i > 0; i--) {
          if (frame.handles.length && chance(0.5)) items.push(pick(frame.handles));
          else if (call(task, scope)) items.push(call(task, scope).spec);
        }
        if (!items.length) return [sleep(scope)];
        const re = chance(0.5);
        const g = { gather: [...new Set(items.map((x) => JSON.stringify(x)))].map((x) => JSON.parse(x)), as: 'rs' };
        if (re) g.return_exceptions = true;
        return [guard(task, scope, depth, frame, [g, { print: `${task.name}: gathered {rs}` }])];
      }
      case 11: { // cancel, then maybe await it
        if (!frame.handles.length) return [sleep(scope)];
        const h = pick(frame.handles);
        const c = { cancel: h };
        if (chance(0.5)) c.message = pick(['stop', 'timeout {1 + 1}', 'bye']);
        const out = [c];
        if (chance(0.3)) out.push({ sleep: 0 });
        if (chance(0.6)) out.push(guard(task, scope, depth, frame, [{ await: h, as: 'r' }, { print: `${task.name}: ${h} finished anyway: {r}` }]));
        return out;
      }
      case 12: return [{ if: boolExpr(scope), then: block(task, { ...scope }, depth + 1, sub(), int(1, 3)), else: block(task, { ...scope }, depth + 1, sub(), int(0, 2)) }];
      case 13: { // repeat
        const s = { repeat: int(0, 3), steps: [] };
        if (chance(0.5)) { s.as = 'i'; inner.i = 'int'; }
        s.steps = block(task, inner, depth + 1, sub(), int(1, 3));
        return [s];
      }
      case 14: { // for over a list
        inner.item = 'int';
        return [{ for: 'item', in: chance(0.5) ? `{${listExpr(scope)}}` : [int(0, 5), int(0, 5), 7], steps: block(task, inner, depth + 1, sub(), int(1, 3)) }];
      }
      case 15: { // loop / while with a counter, break and continue
        const c = `c${depth}`;
        inner[c] = 'int';
        const body = [{ set: { [c]: `{${c} + 1}` } }];
        if (chance(0.4)) body.push({ if: `${c} == 2`, then: ['continue'] });
        body.push(...block(task, inner, depth + 1, sub(), int(1, 2)));
        if (chance(0.3)) body.push({ if: `${c} >= ${int(1, 3)}`, then: ['break'] });
        const l = chance(0.5) ? { loop: body, while: `${c} < ${int(1, 3)}` } : { loop: [...body, { if: `${c} >= 3`, then: ['break'] }] };
        return [{ set: { [c]: 0 } }, l];
      }
      case 16: case 17: return [tryStep(task, scope, depth, frame)];
      case 18: return [raiseStep(scope)];
      case 19: { // return early (not from main, which must reach its long sleep)
        if (task.index === 0) return [sleep(scope)];
        return [{ if: boolExpr(scope), then: [returnStep(task, scope)] }];
      }
      case 20: return [{ print: `${task.name}: {[${intExpr(scope)}, ${strExpr(scope)}, ${numExpr(scope)}]} { {a: ${intExpr(scope)}, b: [true, null]} }` }];
      case 21: { // a shared counter (a module global in Python), bumped under the lock or not
        const bump = [{ set: { count: '{count + 1}' } }, { print: `${task.name}: count={count}` }];
        if (frame.locked || chance(0.4)) return bump;
        return [{ lock: 'L', steps: [...bump, sleep(scope), ...block(task, { ...scope }, depth + 1, { ...sub(), locked: true }, int(0, 2))] }];
      }
      case 22: { // wait for the event that a background task sets after a while
        if (task.index === 0 || frame.locked) return [sleep(scope)];
        return [{ wait_event: 'go', as: 'ok' }, { print: `${task.name}: go={ok} at {now}` }];
      }
      case 23: { // wait_for a call, with a timeout that may expire (its cancellation cleanup runs)
        const c = call(task, scope);
        if (!c) return [sleep(scope)];
        return [guard(task, scope, depth, frame, [
          { wait_for: c.spec, timeout: pick(['5ms', 0.05, '200ms', '1s']), as: 'w' },
          { print: `${task.name}: wait_for ${c.callee.name} gave {w} at {now}` }])];
      }
      case 24: { // a timeout block around a few steps
        const body = block(task, { ...scope }, depth + 1, sub(), int(1, 3));
        return [{ try: [{ timeout: pick(['1ms', '20ms', 0.1, '500ms']), steps: body }, { print: `${task.name}: in time at {now}` }],
          except: [{ error: 'TimeoutError', as: 'e', steps: [{ print: `${task.name}: timed out at {now} {e.error}` }] }] }];
      }
      case 25: { // a semaphore of 2 around a few steps
        return [{ semaphore: 'S', steps: [{ print: `${task.name}: in S at {now}` }, sleep(scope),
          ...block(task, { ...scope }, depth + 1, { ...sub(), locked: true }, int(0, 2))] }];
      }
      case 26: { // asyncio.wait on spawned handles: how many are done and pending (names: WAIT_NAMES)
        const hs = [...new Set(frame.handles)];
        if (!hs.length) return [sleep(scope)];
        const items = hs.filter(() => chance(0.7));
        if (!items.length) items.push(pick(hs));
        const w = { wait: items, return_when: pick(['FIRST_COMPLETED', 'FIRST_EXCEPTION', 'ALL_COMPLETED']), done: 'dn', pending: 'pd' };
        if (chance(0.5)) w.timeout = pick(['1ms', 0.05, '300ms']);
        if (WAIT_NAMES) return [w, { print: `${task.name}: done={dn} pending={pd} at {now}` }];
        return [w, { print: `${task.name}: done={len(dn)} pending={len(pd)} at {now}` }];
      }
      case 27: { // shield a call: cancelling the awaiter leaves the shielded task running
        const c = call(task, scope);
        if (!c) return [sleep(scope)];
        return [guard(task, scope, depth, frame, [{ shield: c.spec, as: 'sh' }, { print: `${task.name}: shielded ${c.callee.name} gave {sh}` }])];
      }
      default: {
        if (k > 30) { // the families of generate-families.mjs
          const g = { task, scope, depth, frame, int, pick, chance, call, block, guard, sleep, printText, sub, intExpr, doc, families };
          return familyStep(families[k - 31], g);
        }
        return [sleep(scope), { print: printText(task, scope) }];
      }
    }
  }
  function raiseStep(scope) {
    const type = pick(ERRORS);
    return { raise: chance(0.3) ? type : `${type}: ${pick(['bad input', 'n={' + intExpr(scope) + '}', 'oops'])}` };
  }
  function returnStep(task, scope) {
    return { return: `{${exprOf(task.returns, scope)}}` };
  }
  /** try/except around steps that may raise or be cancelled. */
  function guard(task, scope, depth, frame, steps) {
    const handlers = [{ error: 'CancelledError', as: 'e', steps: [{ print: `${task.name}: cancelled {e.message}` }] }];
    handlers.push({ as: 'e', steps: [{ print: `${task.name}: failed {e.error} {e.message}` }] });
    return { try: steps, except: handlers };
  }
  function tryStep(task, scope, depth, frame) {
    const s = { try: block(task, { ...scope }, depth + 1, { handles: [...frame.handles], locked: frame.locked }, int(1, 3)) };
    if (chance(0.4)) s.try.splice(int(0, s.try.length), 0, raiseStep(scope));
    const handlers = [];
    for (let i = int(0, 2); i > 0; i--) {
      const h = {};
      if (chance(0.7)) h.error = chance(0.3) ? [pick(ERRORS), pick(ERRORS)] : pick(ERRORS);
      if (chance(0.6)) h.as = 'e';
      const body = [{ print: h.as ? `${task.name}: caught {e.error}: {e.message}` : `${task.name}: caught` }];
      if (chance(0.2)) body.push(raiseStep(scope));
      if (chance(0.3)) body.push(sleep(scope));
      h.steps = body;
      handlers.push(h);
    }
    if (chance(0.35)) { // CancelledError: swallow (and go on) or clean up and re-raise
      const body = [{ print: `${task.name}: cancel seen` }];
      if (chance(0.5)) body.push({ sleep: pick([0, '10ms']) }, { raise: 'RuntimeError: cancelled cleanup' });
      handlers.push({ error: 'CancelledError', steps: body });
    }
    if (handlers.length) s.except = handlers;
    if (!handlers.length || chance(0.4)) s.finally = [{ print: `${task.name}: finally` }, ...(chance(0.3) ? [sleep(scope)] : [])];
    return s;
  }

  // ---- tasks ----
  const doc = { title: `generated #${seed}`, seed: int(0, 1e6), shared: { count: 0, cn: 0 }, locks: ['L'], semaphores: { S: 2 }, events: ['go'], tasks: {} };
  if (families.length) Object.assign(doc, declarations({ int, pick, chance }));
  for (const task of tasks.slice().reverse()) {
    const scope = {};
    for (const p of task.params) scope[p.name] = p.type;
    const frame = { handles: [] };
    const steps = block(task, scope, 0, frame, int(2, task.index === 0 ? 8 : 6));
    if (task.index === 0) {
      doc.tasks.main = mainSteps(task, steps, scope);
    } else {
      steps.push(returnStep(task, scope));
      doc.tasks[task.name] = task.params.length ? { params: task.params.map((p) => p.name), steps } : steps;
    }
  }
  return doc;

  /** main: everything guarded, a long sleep so all tasks end, then maybe one straggler. */
  function mainSteps(task, steps, scope) {
    // A background task sets the event some time in; main never awaits it, so waiters always wake.
    doc.tasks.starter = [{ sleep: pick([0, '10ms', 0.1, 0.3]) }, { print: 'starter: go at {now}' }, { set_event: 'go' }];
    const out = [{ spawn: 'starter', as: 'starter_task' }, guard(task, scope, 0, null, steps), { sleep: 3600 }, { print: 'main: all done count={count}' }];
    if (chance(0.35)) {
      doc.tasks.straggler = straggler();
      out.push({ spawn: 'straggler', as: 'last' });
      for (let i = int(0, 3); i > 0; i--) out.push(chance(0.7) ? { sleep: 0 } : { print: 'main: still here' });
      if (chance(0.3)) out.push({ sleep: pick(['1ms', 0.05]) });
      if (chance(0.25)) out.push({ raise: 'RuntimeError: main gives up' });
    }
    return out;
  }
  function straggler() {
    const body = [{ set: { k: 0 } }, { loop: [{ set: { k: '{k + 1}' } }, { print: 'straggler: tick {k}' }, { sleep: pick([0, 0, '1ms', '20ms']) }], while: 'k < 6' }];
    const handlers = [{ error: 'CancelledError', as: 'e', steps: [{ print: 'straggler: cancelled at {now} {e}' }, ...(chance(0.5) ? [{ sleep: '5ms' }, { print: 'straggler: cleaned up' }] : [])] }];
    if (chance(0.5)) handlers[0].steps.push({ raise: 'ValueError: late' });
    if (chance(0.4)) { // a task started during asyncio.run's shutdown gets only its last passes
      doc.tasks.latecomer = [{ repeat: 8, as: 'j', steps: [{ print: 'latecomer: {j}' }, { sleep: 0 }] }];
      handlers[0].steps.unshift({ spawn: 'latecomer', as: 'late' }, { sleep: 0 });
    }
    return [{ try: body, except: handlers, finally: [{ print: 'straggler: finally' }] }, { print: 'straggler: returns' }];
  }
}
