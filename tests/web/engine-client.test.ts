import { describe, expect, it } from 'vitest';
import { EngineClient, STOP_GRACE_MS, type WorkerLike } from '../../web/src/engine-client';
import { PROTOCOL_VERSION } from '../../web/src/protocol';
import { fakeClock } from './fake-clock';

class FakeWorker implements WorkerLike {
  sent: any[] = [];
  terminated = false;
  onmessage: ((ev: MessageEvent<unknown>) => void) | null = null;
  onerror: ((ev: ErrorEvent) => void) | null = null;
  postMessage(msg: unknown): void {
    this.sent.push(structuredClone(msg));
  }
  terminate(): void {
    this.terminated = true;
  }
  reply(msg: object): void {
    this.onmessage?.({ data: { v: PROTOCOL_VERSION, ...msg } } as MessageEvent<unknown>);
  }
}

function harness() {
  const clock = fakeClock();
  const workers: FakeWorker[] = [];
  const client = new EngineClient(() => {}, {
    createWorker: () => {
      const w = new FakeWorker();
      workers.push(w);
      return w;
    },
    now: clock.now,
    setTimer: clock.setTimer,
    clearTimer: clock.clearTimer,
  });
  const advance = clock.advance;
  const log: string[] = [];
  const handlers = {
    onEvents: (e: unknown[]) => log.push(`events ${e.length}`),
    onFinished: (code: number) => log.push(`finished ${code}`),
    onError: (m: string) => log.push(`error ${m}`),
    onStuck: (ms: number) => log.push(`stuck ${ms}`),
  };
  return { client, workers, advance, log, handlers, worker: () => workers[workers.length - 1] };
}

describe('EngineClient', () => {
  it('sends controls and cancels for the run in flight, versioned', () => {
    const h = harness();
    h.client.run('{}', { clock: 'real', speed: 1 }, h.handlers);
    h.client.control('pause');
    h.client.control('speed', 4);
    h.client.cancelTask(7);
    const sent = h.worker().sent;
    expect(sent.map((m) => m.type)).toEqual(['run', 'control', 'control', 'control']);
    expect(sent.every((m) => m.v === PROTOCOL_VERSION)).toBe(true);
    expect(sent[0].options.watchdogMs).toBe(5000);
    expect(sent[1]).toMatchObject({ action: 'pause', runId: sent[0].runId });
    expect(sent[2]).toMatchObject({ action: 'speed', speed: 4 });
    expect(sent[3]).toMatchObject({ action: 'cancel', taskId: 7 });
  });

  it('the watchdog replaces a worker that sends nothing for the limit + 1 s, and heartbeats keep it alive', () => {
    const h = harness();
    h.client.run('{}', { clock: 'real', speed: 1, watchdogMs: 2000 }, h.handlers);
    const first = h.worker();
    const runId = first.sent[0].runId;
    for (let i = 0; i < 10; i++) {
      h.advance(1000);
      first.reply({ type: 'heartbeat', runId });
    }
    expect(h.log).toEqual([]);
    expect(first.terminated).toBe(false);
    h.advance(2999);
    expect(h.log).toEqual([]);
    h.advance(1);
    expect(h.log).toEqual(['stuck 3000']);
    expect(first.terminated).toBe(true);
    expect(h.workers.length).toBe(2);
    expect(h.client.running).toBe(false);
    // Late messages from the old worker are ignored; the new worker runs the next scenario.
    first.reply({ type: 'finished', runId, code: 0, wallMs: 1 });
    expect(h.log).toEqual(['stuck 3000']);
    h.client.run('{}', { clock: 'virtual', speed: 1 }, h.handlers);
    expect(h.worker().sent[0].type).toBe('run');
  });

  it('events count as signs of life; finishing disarms the watchdog', () => {
    const h = harness();
    h.client.run('{}', { clock: 'virtual', speed: 1, watchdogMs: 1000 }, h.handlers);
    const w = h.worker();
    const runId = w.sent[0].runId;
    h.advance(1500);
    w.reply({ type: 'events', runId, jsonl: '{"type":"print","t":0,"task":"main","text":"x"}\n' });
    h.advance(1500);
    w.reply({ type: 'finished', runId, code: 0, wallMs: 3000 });
    h.advance(60_000);
    expect(h.log).toEqual(['events 1', 'finished 0']);
    expect(h.workers.length).toBe(1);
  });

  it('stop asks the engine first and replaces the worker only if it does not answer', () => {
    const h = harness();
    h.client.run('{}', { clock: 'real', speed: 1 }, h.handlers);
    const w = h.worker();
    const runId = w.sent[0].runId;
    h.client.stop();
    expect(w.sent[1]).toMatchObject({ type: 'control', action: 'stop' });
    w.reply({ type: 'finished', runId, code: 2, wallMs: 5 });
    h.advance(STOP_GRACE_MS * 2);
    expect(h.log).toEqual(['finished 2']);
    expect(w.terminated).toBe(false);

    h.client.run('{}', { clock: 'virtual', speed: 1 }, h.handlers);
    h.client.stop();
    h.advance(STOP_GRACE_MS);
    expect(h.log).toEqual(['finished 2', 'finished 2']);
    expect(w.terminated).toBe(true);
    expect(h.workers.length).toBe(2);
  });

  it('resolves Python exports by request id', async () => {
    const h = harness();
    const p = h.client.exportPython('{"tasks":{}}');
    const req = h.worker().sent[0];
    expect(req.type).toBe('export');
    h.worker().reply({ type: 'exported', requestId: req.requestId, python: 'import asyncio', diagnostics: [] });
    await expect(p).resolves.toEqual({ python: 'import asyncio', diagnostics: [] });
  });
});
