import { describe, expect, it } from 'vitest';
import {
  CONTROL_ACTIONS,
  CONTROL_OPS,
  PROTOCOL_VERSION,
  controlRequest,
  decodeEvents,
  exportRequest,
  runRequest,
  validateEngineEvent,
  validateFromWorker,
  validateToWorker,
} from '../../web/src/protocol';

describe('validateEngineEvent', () => {
  it('accepts every event kind from docs/engine-abi.md', () => {
    const events = [
      { type: 'print', t: 0, task: 'main', text: 'hi' },
      { type: 'task', t: 1.5, task: 'w', id: 2, state: 'created', by: null },
      { type: 'task', t: 2, task: 'w', id: 2, state: 'suspended', on: 'sleep 1500ms' },
      { type: 'task', t: 3, task: 'w', id: 2, state: 'failed', error: 'ValueError' },
      { type: 'diagnostic', t: 0, severity: 'error', message: 'bad', pointer: '/tasks/main' },
      { type: 'end', t: 9, status: 'ok' },
    ];
    for (const e of events) expect(validateEngineEvent(e)).toEqual({ ok: true, value: e });
  });

  it('rejects malformed events', () => {
    expect(validateEngineEvent(null).ok).toBe(false);
    expect(validateEngineEvent({ type: 'print', task: 'main', text: 'x' }).ok).toBe(false); // no t
    expect(validateEngineEvent({ type: 'print', t: 0, task: 'main' }).ok).toBe(false);
    expect(validateEngineEvent({ type: 'task', t: 0, task: 'w', id: 1, state: 'sleeping' }).ok).toBe(false);
    expect(validateEngineEvent({ type: 'end', t: 0, status: 'maybe' }).ok).toBe(false);
    expect(validateEngineEvent({ type: 'queue_put', t: 0 }).ok).toBe(false);
  });

  it('gives a diagnostic without pointer the root pointer', () => {
    const r = validateEngineEvent({ type: 'diagnostic', t: 0, severity: 'warning', message: 'm' });
    expect(r.ok && r.value.type === 'diagnostic' && r.value.pointer).toBe('');
  });
});

describe('page ↔ worker messages', () => {
  it('round-trips a run request', () => {
    const msg = runRequest(7, '{"main":"m"}', { clock: 'real', speed: 1 });
    expect(msg.v).toBe(PROTOCOL_VERSION);
    expect(validateToWorker(structuredClone(msg))).toEqual({ ok: true, value: msg });
  });

  it('rejects run requests with a wrong version, clock or speed', () => {
    const good = runRequest(1, '{}', { clock: 'virtual', speed: 1 });
    expect(validateToWorker({ ...good, v: PROTOCOL_VERSION - 1 }).ok).toBe(false);
    expect(validateToWorker({ ...good, options: { clock: 'fast', speed: 1 } }).ok).toBe(false);
    expect(validateToWorker({ ...good, options: { clock: 'real', speed: 0 } }).ok).toBe(false);
    expect(validateToWorker({ ...good, type: 'stop' }).ok).toBe(false);
    expect(validateToWorker({ ...good, scenarioJson: {} }).ok).toBe(false);
  });

  it('accepts each worker message', () => {
    const v = PROTOCOL_VERSION;
    expect(validateFromWorker({ v, type: 'ready' }).ok).toBe(true);
    expect(validateFromWorker({ v, type: 'finished', runId: 1, code: 0, wallMs: 3 }).ok).toBe(true);
    expect(validateFromWorker({ v, type: 'error', runId: null, message: 'x' }).ok).toBe(true);
    const batch = { v, type: 'events', runId: 1, jsonl: '{"type":"print","t":0,"task":"main","text":"a"}\n' };
    expect(validateFromWorker(batch).ok).toBe(true);
    expect(validateFromWorker({ ...batch, jsonl: [{}] }).ok).toBe(false);
    expect(validateFromWorker({ v, type: 'finished', runId: 1, code: 0 }).ok).toBe(false);
    expect(validateFromWorker({ type: 'ready' }).ok).toBe(false);
  });
});

describe('protocol v2: controls, heartbeats, exports', () => {
  const v = PROTOCOL_VERSION;
  it('accepts every control action, with taskId for cancel and speed for speed', () => {
    for (const action of CONTROL_ACTIONS) {
      const extra = action === 'cancel' ? { taskId: 3 } : action === 'speed' ? { speed: 4 } : {};
      const msg = controlRequest(5, action, extra);
      expect(validateToWorker(structuredClone(msg))).toEqual({ ok: true, value: msg });
    }
    expect(validateToWorker(controlRequest(5, 'cancel')).ok).toBe(false);
    expect(validateToWorker(controlRequest(5, 'speed', { speed: 0 })).ok).toBe(false);
    expect(validateToWorker({ ...controlRequest(5, 'pause'), action: 'rewind' }).ok).toBe(false);
    expect(validateToWorker({ ...controlRequest(5, 'pause'), runId: 'x' }).ok).toBe(false);
  });

  it('every control action has an engine op code, all distinct', () => {
    const ops = CONTROL_ACTIONS.map((a) => CONTROL_OPS[a]);
    expect(new Set(ops).size).toBe(CONTROL_ACTIONS.length);
    expect(ops.every((o) => Number.isInteger(o) && o > 0)).toBe(true);
  });

  it('checks run limits in the options', () => {
    expect(validateToWorker(runRequest(1, '{}', { clock: 'real', speed: 2, paused: true, watchdogMs: 5000, maxEvents: 10, maxTasks: 3 })).ok).toBe(true);
    expect(validateToWorker(runRequest(1, '{}', { clock: 'real', speed: 2, watchdogMs: -1 })).ok).toBe(false);
    expect(validateToWorker({ ...runRequest(1, '{}', { clock: 'real', speed: 2 }), options: { clock: 'real', speed: 2, paused: 'yes' } }).ok).toBe(false);
  });

  it('round-trips an export request and validates the reply', () => {
    const req = exportRequest(9, '{}');
    expect(validateToWorker(structuredClone(req))).toEqual({ ok: true, value: req });
    expect(validateFromWorker({ v, type: 'exported', requestId: 9, python: 'print(1)', diagnostics: [] }).ok).toBe(true);
    expect(validateFromWorker({ v, type: 'exported', requestId: 9, python: null, diagnostics: [] }).ok).toBe(true);
    expect(validateFromWorker({ v, type: 'exported', requestId: 9, python: 3, diagnostics: [] }).ok).toBe(false);
  });

  it('accepts heartbeats, control events, cancelling tasks and stopped runs', () => {
    expect(validateFromWorker({ v, type: 'heartbeat', runId: 2 }).ok).toBe(true);
    expect(validateFromWorker({ v, type: 'heartbeat' }).ok).toBe(false);
    expect(validateEngineEvent({ type: 'control', t: 5, state: 'paused', speed: 1 }).ok).toBe(true);
    expect(validateEngineEvent({ type: 'control', t: 5, state: 'frozen', speed: 1 }).ok).toBe(false);
    expect(validateEngineEvent({ type: 'task', t: 5, task: 'w', id: 2, state: 'cancelling', by: null, message: 'cancelled from the page' }).ok).toBe(true);
    expect(validateEngineEvent({ type: 'end', t: 5, status: 'stopped', message: 'stopped from the page' }).ok).toBe(true);
  });
});

describe('decodeEvents', () => {
  it('parses a JSONL batch into validated events, in order', () => {
    const jsonl = '{"type":"print","t":0,"task":"main","text":"a"}\n{"type":"task","t":1,"task":"w","id":2,"state":"started"}\n';
    const { events, skipped } = decodeEvents(jsonl);
    expect(events.map((e) => e.type)).toEqual(['print', 'task']);
    expect(skipped).toEqual([]);
    expect(decodeEvents('')).toEqual({ events: [], skipped: [] });
  });

  it('skips broken lines and unknown events, keeping the rest', () => {
    const jsonl = '{"type":"print","t":0,"task":"main","text":"a"}\n{not json\n{"type":"print","t":"soon","task":"main","text":"b"}\n{"type":"end","t":2,"status":"ok"}\n';
    const { events, skipped } = decodeEvents(jsonl);
    expect(events.map((e) => e.type)).toEqual(['print', 'end']);
    expect(skipped.length).toBe(2);
    expect(skipped[0]).toMatch(/not JSON/);
  });
});
