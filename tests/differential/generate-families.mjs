// More verb families for the differential generator (generate.mjs): queues, conditions,
// as_completed, task groups, barriers, async context managers (`with`) and simulated servers
// with fetch.
//
// Every step here is deadlock-free by construction: anything that could wait for another task
// forever (a get on an empty queue, a put on a full one, join, wait_condition, a barrier that
// lacks parties) sits inside a `timeout:` block whose TimeoutError is caught, and these steps
// are never generated while the task holds the lock or the semaphore (generate.mjs maps them to
// a print there). Inside a condition block the task only prints, sets, notifies and waits on
// the condition (which releases its lock).

/** The families, in the order of their step kinds. */
export const FAMILIES = ['queue', 'condition', 'as_completed', 'task_group', 'barrier', 'with', 'fetch', 'as_completed_break', 'task_group_many'];
/**
 * Generated only when asked for (AIO_DIFF_EXTRA=name,name). as_completed_break: a `break` in an
 * as_completed body, which the engine handles as a loop break but the Python export writes as
 * `return  # break outside a loop ends the task call`, ending the whole task call in CPython.
 * task_group_many: task groups of up to four children, so a failure cancels several siblings:
 * CPython's TaskGroup._abort iterates a set of tasks (hash = address: arbitrary order), the
 * engine cancels in creation order.
 * with: async context managers. The export writes a context as a contextlib.asynccontextmanager,
 * an async generator; in some runs (generated seed 36 with `with` on) a finished one is still
 * alive at asyncio.run's shutdown (held by a reference cycle until the cyclic GC runs), so
 * loop.shutdown_asyncgens() costs one more loop pass and a task started during shutdown prints
 * one line more in CPython than on the engine.
 * wait_names (not a family: a switch of generate.mjs's `wait` step): print the names in wait's
 * done/pending lists instead of their sizes. The engine names a task spawned again under the
 * same handle `h-2`, `h-3`, ...; the export passes `name='h'` every time, so the lists differ
 * (repro: {"tasks":{"w":[{"sleep":"10ms"}],"main":[{"repeat":2,"steps":[{"spawn":"w","as":"h"},
 * {"wait":["h"],"done":"dn","pending":"pd"},{"print":"done={dn}"}]}]}}: the engine prints
 * done=["h-2"] the second time, CPython done=["h"]). An exporter bug to fix.
 */
export const WAIT_NAMES = (process.env.AIO_DIFF_EXTRA ?? '').split(',').includes('wait_names');
export const OFF_BY_DEFAULT = ['with', 'as_completed_break', 'task_group_many'];

/**
 * The families enabled: all but OFF_BY_DEFAULT, plus any named in AIO_DIFF_EXTRA; AIO_DIFF_ONLY
 * (a comma list, or "none") restricts them, to check one family at a time.
 */
export function enabledFamilies(extra = process.env.AIO_DIFF_EXTRA ?? '', only = process.env.AIO_DIFF_ONLY ?? '') {
  const list = (x) => x.split(',').map((s) => s.trim()).filter(Boolean);
  const on = FAMILIES.filter((f) => !OFF_BY_DEFAULT.includes(f) || list(extra).includes(f));
  return only ? on.filter((f) => list(only).includes(f)) : on;
}

/** Top-level declarations the family steps use. */
export function declarations(g) {
  const { int, pick, chance } = g;
  const decl = {
    queues: { Q: { maxsize: pick([0, 1, 2, 3]) } },
    conditions: ['C'],
    barriers: { B: int(2, 3) },
    contexts: {
      ctx: {
        enter: [{ print: 'ctx: enter at {now}' }, { sleep: pick([0, '1ms', '10ms']) }, { set: { cn: '{cn + 1}' } }],
        value: 'conn{cn}',
        exit: [
          { if: 'error', then: [{ print: 'ctx: exit after {error.error} at {now}' }], else: [{ print: 'ctx: exit at {now}' }] },
          ...(chance(0.5) ? [{ sleep: pick([0, '5ms']) }] : []),
        ],
      },
    },
    servers: {
      api: { latency: pick(['0ms', '5ms', '20ms', '100ms']), body: pick([{ v: 1, w: 'x' }, 'text body', [1, 2]]) },
      flaky: { latency: pick(['10ms', '50ms']), status: 200, body: 'fine',
        sequence: [{ status: 503, body: 'busy' }, { status: pick([200, 404]) }] },
    },
  };
  return decl;
}

/** One step of family `fam`; g holds the generator's helpers and state. */
export function familyStep(fam, g) {
  const { task, scope, depth, frame, int, pick, chance, call, block, guard, sleep, printText, sub } = g;
  const me = task.name;
  const timed = (steps, t) => ({ try: [{ timeout: t ?? pick(['1ms', '20ms', 0.1, '300ms']), steps }],
    except: [{ error: 'TimeoutError', steps: [{ print: `${me}: gave up at {now}` }] }] });
  switch (fam) {
    case 'queue': {
      switch (int(0, 5)) {
        case 0: return [timed([{ put: 'Q', item: `{${g.intExpr(scope)}}` }, { print: `${me}: put at {now}` }])];
        case 1: return [{ try: [{ put: 'Q', item: pick(['w', '{[1, 2]}', `{${g.intExpr(scope)}}`]), nowait: true }, { print: `${me}: put_nowait ok` }],
          except: [{ error: 'QueueFull', steps: [{ print: `${me}: queue full` }] }] }];
        case 2: return [timed([{ get: 'Q', as: 'qi' }, { print: `${me}: got {qi} at {now}` },
          ...(chance(0.5) ? [sleep(scope)] : []), { task_done: 'Q' }])];
        case 3: return [{ try: [{ get: 'Q', nowait: true, as: 'qi' }, { print: `${me}: got_nowait {qi}` }, { task_done: 'Q' }],
          except: [{ error: 'QueueEmpty', steps: [{ print: `${me}: queue empty` }] }] }];
        case 4: return [timed([{ join: 'Q' }, { print: `${me}: joined at {now}` }])];
        default: { // wait_for on a call that gets (the callee is a small getter task)
          g.doc.tasks.qget = [{ get: 'Q', as: 'm' }, { task_done: 'Q' }, { return: '{m}' }];
          return [{ try: [{ wait_for: { call: 'qget' }, timeout: pick(['5ms', 0.05, '200ms']), as: 'qm' }, { print: `${me}: wait_for get gave {qm}` }],
            except: [{ error: 'TimeoutError', steps: [{ print: `${me}: no item at {now}` }] }] }];
        }
      }
    }
    case 'condition': {
      if (chance(0.5)) { // a waiter, bounded by a timeout
        const w = chance(0.5) ? { wait_condition: 'C' } : { wait_condition: 'C', until: `count > ${int(0, 3)}` };
        return [timed([{ condition: 'C', steps: [{ print: `${me}: waits on C at {now}` }, w, { print: `${me}: woke at {now} count={count}` }] }],
          pick(['10ms', 0.1, '400ms']))];
      }
      const n = pick([{ notify: 'C' }, { notify: 'C', n: 2 }, { notify_all: 'C' }]);
      return [{ condition: 'C', steps: [{ set: { count: '{count + 1}' } }, n, { print: `${me}: notified at {now}` }] }];
    }
    case 'as_completed': {
      const items = [];
      for (let i = int(1, 3); i > 0; i--) {
        if (frame.handles.length && chance(0.4)) items.push(pick(frame.handles));
        else if (call(task, scope)) items.push(call(task, scope).spec);
      }
      if (!items.length) return [sleep(scope)];
      const body = [{ print: `${me}: completed {ac} at {now}` }];
      if (chance(0.3)) body.push(sleep(scope));
      // `break` in the body: the Python export turns it into `return` (see OFF_BY_DEFAULT).
      if (chance(0.2) && g.families.includes('as_completed_break')) body.push({ if: `${int(0, 9)} < 3`, then: ['break'] });
      const a = { as_completed: [...new Set(items.map((x) => JSON.stringify(x)))].map((x) => JSON.parse(x)), as: 'ac', steps: body };
      if (chance(0.4)) a.timeout = pick(['5ms', 0.05, '300ms']);
      return [guard(task, scope, depth, frame, [a, { print: `${me}: as_completed done at {now}` }])];
    }
    case 'task_group': {
      // At most two children, so a failure cancels at most one sibling: TaskGroup._abort cancels
      // the rest in the iteration order of a set of tasks (address-dependent in CPython), the
      // engine in creation order (see OFF_BY_DEFAULT: task_group_many).
      const many = g.families.includes('task_group_many');
      const failer = chance(0.5);
      const body = [];
      for (let i = int(1, many ? 3 : failer ? 1 : 2); i > 0; i--) {
        const c = call(task, scope);
        if (c) body.push({ spawn: c.spec });
      }
      if (failer) {
        g.doc.tasks.failer = { params: ['d'], steps: [{ sleep: '{d}ms' }, { print: 'failer: raising at {now}' }, { raise: 'ValueError: child failed' }] };
        body.splice(int(0, body.length), 0, { spawn: { call: 'failer', args: { d: pick([0, 5, 50, 200]) } } });
      }
      if (!body.length) return [sleep(scope)];
      if (chance(0.4)) body.push({ print: `${me}: group body at {now}` });
      if (chance(0.3)) body.push(sleep(scope));
      return [{ try: [{ task_group: body }, { print: `${me}: group done at {now}` }],
        except: [
          { error: 'ExceptionGroup', as: 'e', steps: [{ print: `${me}: group failed {e.error}: {e.message} at {now}` }] },
          { error: 'CancelledError', as: 'e', steps: [{ print: `${me}: group cancelled {e.message}` }] },
          { as: 'e', steps: [{ print: `${me}: group raised {e.error} {e.message}` }] }] }];
    }
    case 'barrier': {
      const b = { barrier: 'B' };
      if (chance(0.5)) b.as = 'bi';
      return [{ try: [{ timeout: pick(['10ms', 0.1, '500ms']), steps: [{ print: `${me}: at barrier {now}` }, b,
        { print: b.as ? `${me}: through barrier as {bi} at {now}` : `${me}: through barrier at {now}` }] }],
      except: [{ error: 'TimeoutError', steps: [{ print: `${me}: barrier timed out at {now}` }] },
        { error: 'BrokenBarrierError', steps: [{ print: `${me}: barrier broken at {now}` }] }] }];
    }
    case 'with': {
      const inner = { ...scope, cv: 'str' };
      const steps = [{ print: `${me}: with {cv}` }, ...block(task, inner, depth + 1, sub(), int(0, 2))];
      if (chance(0.25)) steps.push({ raise: 'ValueError: in with' });
      return [{ with: 'ctx', as: 'cv', steps }];
    }
    case 'fetch': {
      const url = pick(['sim://api/a', 'sim://api/b/{1 + 1}', 'sim://flaky/x']);
      const f = { fetch: url, as: 'resp' }; // (no url map: method/timeout are for real URLs only)
      const steps = [f, { print: `${me}: fetched {resp.status} {resp.body} at {now}` }];
      return [guard(task, scope, depth, frame, chance(0.3) ? [timed(steps, pick(['5ms', '30ms', '500ms']))] : steps)];
    }
    case 'as_completed_break': return familyStep('as_completed', g); // (modifiers of a family)
    case 'task_group_many': return familyStep('task_group', g);
    default: throw new Error(`unknown family ${fam}`);
  }
}
