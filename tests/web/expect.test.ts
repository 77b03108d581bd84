import { describe, expect, it } from 'vitest';
import { checkExpect, displayNumber, expectOf, formatPrintLine, parseExpectLine, reportLines } from '../../web/src/state/expect.js';

const prints = [
  { t: 0, text: 'start', task: 'main' },
  { t: 500, text: 'consumer: got 1', task: 'consumer' },
  { t: 1500, text: 'consumer: got 3', task: 'consumer' },
  { t: 1500, text: 'done', task: 'main' },
];

describe('formatPrintLine and displayNumber', () => {
  it('writes the engine\'s `--format prints` form: six characters right-aligned', () => {
    expect(formatPrintLine(1500, 'x')).toBe('[  1500ms] x');
    expect(formatPrintLine(0, 'x')).toBe('[     0ms] x');
    expect(formatPrintLine(1234567, 'x')).toBe('[1234567ms] x');
    expect(formatPrintLine(0.25, '')).toBe('[  0.25ms] ');
  });
  it('prints numbers like the engine (to_display: shortest %g)', () => {
    expect(displayNumber(3)).toBe('3');
    expect(displayNumber(-0)).toBe('0');
    expect(displayNumber(0.1)).toBe('0.1');
    expect(displayNumber(1500.123)).toBe('1500.123');
    expect(displayNumber(1 / 3)).toBe('0.3333333333333333');
    expect(displayNumber(1e-5)).toBe('1e-05');
    expect(displayNumber(1e20)).toBe('1e+20');
    expect(displayNumber(Infinity)).toBe('inf');
  });
});

describe('parseExpectLine', () => {
  it('reads a timestamp with any padding, and text without one', () => {
    expect(parseExpectLine('[  1500ms] consumer: got 3')).toEqual({ t: 1500, text: 'consumer: got 3' });
    expect(parseExpectLine('[1500ms] x')).toEqual({ t: 1500, text: 'x' });
    expect(parseExpectLine('[ 0.5ms] x')).toEqual({ t: 0.5, text: 'x' });
    expect(parseExpectLine('consumer: got 3')).toEqual({ t: null, text: 'consumer: got 3' });
    expect(parseExpectLine('[1, 2, 3]')).toEqual({ t: null, text: '[1, 2, 3]' }); // a printed list
  });
  it('rejects a timestamp that is not a number', () => {
    expect(parseExpectLine('[ soon ms] x')).toHaveProperty('error');
    expect(parseExpectLine('[  -5ms] x')).toHaveProperty('error');
  });
});

describe('checkExpect', () => {
  it('passes lines matched in order, with and without timestamps', () => {
    const r = checkExpect(['[     0ms] start', 'consumer: got 1', '[  1500ms] consumer: got 3', 'done'], prints);
    expect(r).toMatchObject({ ok: true, passed: 4, failed: 0 });
    expect(r.lines.map((l) => l.matched?.index)).toEqual([0, 1, 2, 3]);
  });
  it('lets other prints come in between', () => {
    expect(checkExpect(['start', 'done'], prints).ok).toBe(true);
  });
  it('fails a line at the wrong time, saying when it was printed', () => {
    const r = checkExpect(['[  1000ms] consumer: got 3'], prints);
    expect(r.ok).toBe(false);
    expect(r.lines[0].reason).toBe('printed at 1500 ms, not at 1000 ms');
  });
  it('fails a line out of order, and goes on checking the rest after the last match', () => {
    const r = checkExpect(['done', 'start', '[  1500ms] done'], prints);
    expect(r.lines.map((l) => l.ok)).toEqual([true, false, false]);
    expect(r.lines[1].reason).toMatch(/^printed at 0 ms, but before the print the line above matched/);
    expect(r).toMatchObject({ passed: 1, failed: 2 });
  });
  it('says what was printed at that time when the text never appears', () => {
    const r = checkExpect(['[   500ms] consumer: got 2', 'nothing like this'], prints);
    expect(r.lines[0].reason).toBe('not printed; at 500 ms the run printed "consumer: got 1"');
    expect(r.lines[1].reason).toBe('never printed');
    expect(checkExpect(['x'], []).lines[0].reason).toBe('not printed: the run printed nothing');
  });
  it('matches text exactly (case and spaces count)', () => {
    expect(checkExpect(['Start'], prints).ok).toBe(false);
    expect(checkExpect(['start '], prints).ok).toBe(false);
  });
  it('allows slack under the real clock only', () => {
    const real = [{ t: 1532.4, text: 'tick' }];
    expect(checkExpect(['[  1500ms] tick'], real).ok).toBe(false);
    expect(checkExpect(['[  1500ms] tick'], real, { realClock: true }).ok).toBe(true);
    expect(checkExpect(['[  1500ms] tick'], [{ t: 1700, text: 'tick' }], { realClock: true }).ok).toBe(false);
  });
  it('fails a line with a bad timestamp', () => {
    const r = checkExpect(['[ xms] start'], prints);
    expect(r.lines[0]).toMatchObject({ ok: false });
    expect(r.lines[0].reason).toMatch(/not a time/);
  });
});

describe('expectOf and reportLines', () => {
  it('reads expect: from a document, with pointers at lines it cannot read', () => {
    expect(expectOf({ tasks: {} })).toBeNull();
    expect(expectOf({ expect: ['a', 3] })).toEqual({ lines: ['a', '3'], problems: [] });
    expect(expectOf({ expect: 'a' })?.problems[0].pointer).toBe('/expect');
    const bad = expectOf({ expect: ['ok', { x: 1 }, '[zzms] y'] });
    expect(bad?.problems.map((p) => p.pointer)).toEqual(['/expect/1', '/expect/2']);
  });
  it('summarises and marks each line', () => {
    const r = checkExpect(['start', 'nope'], prints);
    expect(reportLines(r)).toEqual([
      { ok: null, text: 'expect: 1 of 2 lines failed' },
      { ok: true, text: '✓ start' },
      { ok: false, text: '✗ nope  — never printed' },
    ]);
    expect(reportLines(checkExpect(['start'], prints))[0].text).toBe('expect: all 1 line passed');
  });
});
