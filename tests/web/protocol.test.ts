import { describe, expect, it } from 'vitest';
import {
  PROTOCOL_VERSION,
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
    expect(validateToWorker({ ...good, v: 2 }).ok).toBe(false);
    expect(validateToWorker({ ...good, options: { clock: 'fast', speed: 1 } }).ok).toBe(false);
    expect(validateToWorker({ ...good, options: { clock: 'real', speed: 0 } }).ok).toBe(false);
    expect(validateToWorker({ ...good, type: 'stop' }).ok).toBe(false);
    expect(validateToWorker({ ...good, scenarioJson: {} }).ok).toBe(false);
  });

  it('accepts each worker message and checks the events in a batch', () => {
    const v = PROTOCOL_VERSION;
    expect(validateFromWorker({ v, type: 'ready' }).ok).toBe(true);
    expect(validateFromWorker({ v, type: 'finished', runId: 1, code: 0, wallMs: 3 }).ok).toBe(true);
    expect(validateFromWorker({ v, type: 'error', runId: null, message: 'x' }).ok).toBe(true);
    const batch = { v, type: 'events', runId: 1, events: [{ type: 'print', t: 0, task: 'main', text: 'a' }] };
    expect(validateFromWorker(batch).ok).toBe(true);
    const bad = { ...batch, events: [...batch.events, { type: 'print', t: 'soon', task: 'main', text: 'b' }] };
    const r = validateFromWorker(bad);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toMatch(/bad event/);
    expect(validateFromWorker({ v, type: 'finished', runId: 1, code: 0 }).ok).toBe(false);
    expect(validateFromWorker({ type: 'ready' }).ok).toBe(false);
  });
});
