// The CLI end to end: YAML file → engine (build/wasm/aio-engine-node.cjs) → trace.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO } from './helpers.mjs';

function aioPlay(...args) {
  const r = spawnSync(process.execPath, ['cli/aio-play.mjs', ...args], { cwd: REPO, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function scratch(name, text) {
  const dir = mkdtempSync(join(tmpdir(), 'aio-cli-'));
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

test('aio-play run examples/gather-vs-sequential.yaml prints the same final lines as the page', () => {
  const r = aioPlay('run', 'examples/gather-vs-sequential.yaml');
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trimEnd().split('\n');
  assert.match(r.stdout, /^\[   4500ms\] \S+  sequential took 4500 ms$/m);
  assert.match(r.stdout, /^\[   6500ms\] \S+  gather took 2000 ms$/m);
  const last = lines.findLastIndex((l) => l.includes('gather took'));
  assert.ok(lines.length - last <= 4, lines.slice(-6).join('\n'));
  assert.doesNotMatch(r.stdout, /\x1b\[/, 'no colours when stdout is not a TTY');
});

test('every example is valid and runs to its end under the virtual clock', () => {
  const examples = readdirSync(join(REPO, 'examples')).filter((f) => f.endsWith('.yaml'));
  assert.ok(examples.length >= 2);
  for (const example of examples) {
    const r = aioPlay('run', `examples/${example}`, '--clock', 'virtual');
    // Examples whose lesson is a failure (a deadlock) say so in a first-line comment.
    const expectFailed = readFileSync(join(REPO, 'examples', example), 'utf8').startsWith('# expect: failed');
    if (expectFailed) {
      assert.equal(r.code, 2, `${example} should fail: ${r.stdout}`);
      assert.match(r.stderr, /error: deadlock/, example);
    } else {
      // 2 is allowed: an example may show a failing or cancelled main task.
      assert.ok(r.code === 0 || r.code === 2, `${example} exited ${r.code}: ${r.stderr}`);
      assert.doesNotMatch(r.stderr, /error:/, example);
    }
    assert.match(r.stdout, /── (finished|run failed.*) ──\s*$/, example);
  }
});

test('a YAML syntax error is reported as FILE:LINE:COL and exits 1', () => {
  const file = scratch('broken.yaml', 'main: main\ntasks:\n  main:\n    steps:\n      - sleep: 1s: x\n');
  const r = aioPlay('run', file);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /broken\.yaml:5:\d+: error: /);
  assert.equal(r.stdout, '');
});

test('an engine diagnostic points at the line of the offending step and exits 1', () => {
  const text = 'main: main\ntasks:\n  main:\n    steps:\n      - print: "ok"\n      - explode: now\n';
  const r = aioPlay('run', scratch('invalid.yaml', text));
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.match(r.stderr, /invalid\.yaml:6:\d+: error: /);
});

test('bad usage exits 2 with a usage message', () => {
  const r = aioPlay('run');
  assert.equal(r.code, 2);
  assert.match(r.stderr, /usage: aio-play run FILE/);
  assert.equal(aioPlay('run', 'examples/hello.yaml', '--clock', 'sideways').code, 2);
});
