// Trace lines for async generators (for_each over a task with yield) and executor jobs
// (run_in_executor / to_thread): the events engine/scenario/steps_gen.cpp and
// steps_executor.cpp emit, as the terminal and the CLI show them, and the protocol accepts.
import { describe, expect, it } from 'vitest';
import { validateEngineEvent } from '../../web/src/protocol';
import { eventToLine, formatPlain } from '../../web/src/state/trace-line.js';

const plain = (e: unknown) => {
  const v = validateEngineEvent(e);
  if (!v.ok) throw new Error(v.error);
  return formatPlain(eventToLine(v.value));
};

describe('generator and executor trace lines', () => {
  it('follows a generator from the iterating task: yields, early close, cleanup', () => {
    expect(plain({ type: 'generator', t: 0, task: 'main', gen: 'pages', state: 'created' })).toBe('[      0ms] main  · async for over pages()');
    expect(plain({ type: 'generator', t: 300, task: 'main', gen: 'pages', state: 'yielded', value: 'p1' })).toBe('[    300ms] main  · pages yielded "p1"');
    expect(plain({ type: 'generator', t: 600, task: 'main', gen: 'pages', state: 'closing', why: 'break' })).toBe(
      '[    600ms] main  · pages closing (left by break): aclose() raises GeneratorExit at its yield, its finally runs',
    );
    expect(plain({ type: 'generator', t: 650, task: 'main', gen: 'pages', state: 'closed' })).toBe('[    650ms] main  · pages closed');
    expect(plain({ type: 'generator', t: 9, task: 'main', gen: 'g', state: 'failed', error: 'KeyError: k' })).toBe('[      9ms] main  · g failed: KeyError: k');
  });

  it('says that a cancelled await leaves the executor job running', () => {
    expect(plain({ type: 'executor', t: 0, task: 'w', job: 'report', state: 'started', duration: 2800 })).toBe(
      '[      0ms] w  · job report runs in a worker thread (2800ms); the loop keeps running',
    );
    expect(plain({ type: 'executor', t: 5, task: 'w', job: 'report', state: 'abandoned' })).toContain('keeps running in its thread');
    expect(plain({ type: 'executor', t: 9, task: 'w', job: 'report', state: 'done', result: 42 })).toBe('[      9ms] w  · job report finished → 42');
    expect(plain({ type: 'executor', t: 9, task: 'w', job: 'report', state: 'done', result: 1, discarded: true })).toContain('result is discarded');
  });

  it('rejects malformed generator and executor events', () => {
    expect(validateEngineEvent({ type: 'generator', t: 0, task: 'main', gen: 'g', state: 'exploded' }).ok).toBe(false);
    expect(validateEngineEvent({ type: 'executor', t: 0, task: 'main', state: 'done' }).ok).toBe(false);
  });
});
