import { describe, expect, it } from 'vitest';
import {
  TASK_PALETTE,
  eventToLine,
  formatAnsi,
  formatPlain,
  formatTime,
  hashName,
  problemLine,
  taskColourIndex,
} from '../../web/src/state/trace-line.js';

const stripAnsi = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, '');

describe('trace lines', () => {
  it('right-aligns the rounded loop time in 7 characters', () => {
    expect(formatTime(1500)).toBe('[   1500ms]');
    expect(formatTime(0)).toBe('[      0ms]');
    expect(formatTime(6499.6)).toBe('[   6500ms]');
    expect(formatTime(12345678)).toBe('[12345678ms]');
    expect(formatTime(null)).toBe('');
  });

  it('formats a print as `[time] task  text`', () => {
    const l = eventToLine({ type: 'print', t: 1500, task: 'task-name', text: 'message' });
    expect(formatPlain(l)).toBe('[   1500ms] task-name  message');
  });

  it('marks task state changes and spells out their details', () => {
    const plain = (e: Parameters<typeof eventToLine>[0]) => formatPlain(eventToLine(e));
    expect(plain({ type: 'task', t: 0, task: 'w', id: 2, state: 'created', by: 'main' })).toBe('[      0ms] w  · created by main');
    expect(plain({ type: 'task', t: 0, task: 'w', id: 2, state: 'suspended', on: 'sleep 1500ms' })).toBe(
      '[      0ms] w  · suspended on sleep 1500ms',
    );
    expect(plain({ type: 'task', t: 2, task: 'w', id: 2, state: 'done', result: 'a' })).toBe('[      2ms] w  · done → "a"');
    expect(plain({ type: 'task', t: 2, task: 'w', id: 2, state: 'failed', error: 'boom' })).toBe('[      2ms] w  · failed: boom');
    expect(plain({ type: 'end', t: 7, status: 'failed', message: 'deadlock' })).toBe('[      7ms] ── run failed: deadlock ──');
  });

  it('shows diagnostics with the source line of their pointer', () => {
    const l = eventToLine(
      { type: 'diagnostic', t: 0, severity: 'error', message: 'unknown step', pointer: '/tasks/main/steps/1' },
      (p) => (p === '/tasks/main/steps/1' ? { line: 12, col: 9 } : null),
    );
    expect(formatPlain(l)).toBe('[      0ms] error  line 12:9: unknown step');
    expect(formatAnsi(l)).toContain('\x1b[38;2;255;95;95m'); // red
    expect(formatPlain(problemLine('YAML: bad', { line: 3, col: 1 }))).toBe('error  line 3:1: YAML: bad');
  });

  it('colours the same text that formatPlain prints', () => {
    const events = [
      { type: 'print', t: 10, task: 'main', text: 'hi' },
      { type: 'task', t: 10, task: 'main', id: 1, state: 'resumed' },
      { type: 'end', t: 10, status: 'ok' },
    ] as const;
    for (const e of events) {
      const l = eventToLine(e);
      expect(stripAnsi(formatAnsi(l))).toBe(formatPlain(l));
    }
  });

  it('prints state changes dimmer than prints', () => {
    const print = formatAnsi(eventToLine({ type: 'print', t: 0, task: 'main', text: 'x' }));
    const state = formatAnsi(eventToLine({ type: 'task', t: 0, task: 'main', id: 1, state: 'started' }));
    expect(state).toContain('\x1b[2m');
    expect(print).not.toContain('\x1b[2m');
  });
});

describe('task colours', () => {
  it('are stable: FNV-1a of the name picks the palette entry', () => {
    expect(hashName('')).toBe(0x811c9dc5);
    expect(hashName('a')).toBe(0xe40c292c); // published FNV-1a test vector
    expect(taskColourIndex('main')).toBe(taskColourIndex('main'));
    const colour = (name: string) => formatAnsi(eventToLine({ type: 'print', t: 0, task: name, text: '' })).match(/38;2;[\d;]+m(?=main|download)/)?.[0];
    expect(colour('main')).toBe(colour('main'));
  });

  it('spread over the palette for typical task names', () => {
    const names = ['main', 'worker-1', 'worker-2', 'worker-3', 'producer', 'consumer', 'download', 'timer'];
    const used = new Set(names.map(taskColourIndex));
    expect(used.size).toBeGreaterThanOrEqual(5);
    for (const i of used) expect(i).toBeLessThan(TASK_PALETTE.length);
    // The gather example's tasks, side by side in one trace, all differ.
    expect(new Set(['main', 'download', 'download-2', 'download-3'].map(taskColourIndex)).size).toBe(4);
    expect(new Set(['worker', 'worker-2', 'worker-3'].map(taskColourIndex)).size).toBe(3);
  });

  it('never use the diagnostics red', () => {
    for (const [r, g, b] of TASK_PALETTE) expect(r > 200 && g < 120 && b < 120).toBe(false);
  });
});
