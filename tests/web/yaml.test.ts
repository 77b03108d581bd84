import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { escapePointerToken, pointerPosition, splitPointer, yamlToJson } from '../../web/src/scenario/yaml.js';

const gather = readFileSync(new URL('../../examples/gather-vs-sequential.yaml', import.meta.url), 'utf8');

function ok(text: string) {
  const r = yamlToJson(text);
  if (!r.ok) throw new Error('expected valid YAML: ' + JSON.stringify(r.errors));
  return r;
}

describe('yamlToJson', () => {
  it('converts YAML to the same JSON as a plain parse', () => {
    const r = ok(gather);
    const v = JSON.parse(r.json);
    expect(v.main).toBe('main');
    expect(v.tasks.download.params).toEqual(['name', 'seconds']);
    expect(v.tasks.main.steps[4].await.args).toEqual({ name: 'c', seconds: 1.5 });
    expect(v.tasks.main.steps[8].gather).toHaveLength(3);
  });

  it('maps mapping entries to their key and sequence items to the item', () => {
    const r = ok(gather);
    const lineOf = (p: string) => r.positions.get(p)?.line;
    expect(lineOf('/title')).toBe(1);
    expect(lineOf('/tasks/download')).toBe(10);
    expect(lineOf('/tasks/download/steps/1/sleep')).toBe(14);
    expect(r.positions.get('/tasks/download/steps/1')).toEqual({ line: 14, col: 9 });
    expect(lineOf('/tasks/main/steps/8/gather')).toBe(27);
    expect(lineOf('/tasks/main/steps/8/gather/2')).toBe(30);
    expect(r.positions.get('/tasks/main/steps/8/gather/2/args/seconds')).toEqual({ line: 30, col: 48 });
  });

  it('falls back to the nearest existing parent for a pointer into missing fields', () => {
    const r = ok(gather);
    expect(pointerPosition(r.positions, '/tasks/main/steps/3/await/nothing')).toEqual({ line: 22, col: 9 });
    expect(pointerPosition(r.positions, '/tasks/nope/steps/0').line).toBe(9);
    expect(pointerPosition(r.positions, '')).toEqual({ line: 1, col: 1 });
    expect(pointerPosition(r.positions, undefined)).toEqual({ line: 1, col: 1 });
  });

  it('escapes ~ and / in keys (RFC 6901)', () => {
    const r = ok('a/b:\n  c~d: 1\n');
    expect(r.positions.get('/a~1b/c~0d')).toEqual({ line: 2, col: 3 });
    expect(escapePointerToken('x/y~z')).toBe('x~1y~0z');
    expect(splitPointer('/a~1b/c~0d')).toEqual(['a/b', 'c~d']);
    expect(pointerPosition(r.positions, '/a~1b/c~0d/deeper').line).toBe(2);
  });

  it('reports syntax errors with line and column', () => {
    const r = yamlToJson('title: x\ntasks:\n  main:\n    steps:\n      - print: "unterminated\n');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors[0].line).toBeGreaterThanOrEqual(5);
    expect(r.errors[0].message).toMatch(/quote/i);
  });

  it('reports a duplicate key at the duplicate', () => {
    const r = yamlToJson('main: a\ntasks: {}\nmain: b\n');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors[0]).toMatchObject({ line: 3, col: 1 });
    expect(r.errors[0].message).not.toContain('\n');
  });

  it('reports a bad indentation at its line', () => {
    const text = ['tasks:', '  main:', '    steps:', '      - print: a', '     - sleep: 1s', ''].join('\n');
    const r = yamlToJson(text);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors[0].line).toBe(5);
  });

  it('turns an empty document into null', () => {
    expect(ok('').json).toBe('null');
  });
});
