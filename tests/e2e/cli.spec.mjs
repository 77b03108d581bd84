// The CLI end to end: YAML file → engine (build/wasm/aio-engine-node.cjs) → trace.

import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO } from './helpers.mjs';

function aioPlay(...args) {
  const r = spawnSync(process.execPath, ['cli/aio-play.mjs', ...args], { cwd: REPO, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const scratchDirs = [];
after(() => {
  for (const dir of scratchDirs) rmSync(dir, { recursive: true, force: true });
});

function scratch(name, text) {
  const dir = mkdtempSync(join(tmpdir(), 'aio-cli-'));
  scratchDirs.push(dir);
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

// ---- usage, help and exit codes ----------------------------------------------------------------

test('bad usage exits 64 with a usage message', () => {
  const r = aioPlay('run');
  assert.equal(r.code, 64);
  assert.match(r.stderr, /aio-play: missing FILE\nusage: aio-play run FILE/);
  for (const args of [
    [],
    ['fly', 'examples/hello.yaml'],
    ['run', 'examples/hello.yaml', '--clock', 'sideways'],
    ['run', 'examples/hello.yaml', '--seed', '-1'],
    ['run', 'examples/hello.yaml', '--seed', 'abc'],
    ['run', 'examples/hello.yaml', '--format', 'xml'],
    ['run', 'examples/hello.yaml', '--bogus'],
    ['run', 'examples/hello.yaml', 'examples/fire-and-forget.yaml'],
    ['validate', 'examples/hello.yaml', '--check'],
    ['export', 'examples/hello.yaml'],
  ]) {
    const u = aioPlay(...args);
    assert.equal(u.code, 64, `${args.join(' ')}: ${u.stderr}`);
    assert.match(u.stderr, /^aio-play: .+\nusage:/, args.join(' '));
    assert.equal(u.stdout, '');
  }
});

test('--help lists the commands, the options and the exit codes', () => {
  const r = aioPlay('--help');
  assert.equal(r.code, 0);
  for (const word of ['run FILE', 'validate FILE', 'export --python FILE', '--clock', '--seed', '--format', 'chrome-trace', '--check']) {
    assert.ok(r.stdout.includes(word), word);
  }
  assert.match(r.stdout, /Exit codes: 0 ok, 1 invalid scenario, 2 the run failed, 3 an expect: line did not match\s+\(run --check\), 64 usage\./);
  assert.equal(aioPlay('run', '-h').code, 0);
});

test('a missing file exits 1 and says so', () => {
  const r = aioPlay('run', 'examples/no-such-file.yaml');
  assert.equal(r.code, 1);
  assert.match(r.stderr, /cannot read examples\/no-such-file\.yaml: no such file/);
});

test('a run that fails (a deadlock) exits 2', () => {
  const r = aioPlay('run', 'examples/deadlock-lock-taken-twice.yaml');
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /deadlock-lock-taken-twice\.yaml:\d+:\d+: error: deadlock/);
});

// ---- run --format ---------------------------------------------------------------------------------

test('--format prints writes only the prints, as [{ms:>6}ms] text', () => {
  const r = aioPlay('run', 'examples/hello.yaml', '--format', 'prints');
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, '[     0ms] Hello (now = 0 ms)\n[   500ms] ...world, half a second later (now = 500 ms)\n');
});

test('--format jsonl writes every engine event as one JSON object per line', () => {
  const r = aioPlay('run', 'examples/hello.yaml', '--format=jsonl');
  assert.equal(r.code, 0, r.stderr);
  const events = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(events.filter((e) => e.type === 'print').map((e) => [e.t, e.task]), [[0, 'main'], [500, 'main']]);
  assert.ok(events.some((e) => e.type === 'task' && e.state === 'suspended' && e.on === 'sleep 500ms'));
  assert.deepEqual(events.at(-1), { type: 'end', t: 500, status: 'ok' });
});

test('--format chrome-trace writes trace-event JSON: tasks as threads, awaits as slices', () => {
  const r = aioPlay('run', 'examples/gather-vs-sequential.yaml', '--format', 'chrome-trace');
  assert.equal(r.code, 0, r.stderr);
  const trace = JSON.parse(r.stdout);
  assert.equal(trace.displayTimeUnit, 'ms');
  const threads = new Map(trace.traceEvents.filter((e) => e.ph === 'M' && e.name === 'thread_name').map((e) => [e.tid, e.args.name]));
  assert.ok(threads.size >= 4, JSON.stringify([...threads]));
  const slices = trace.traceEvents.filter((e) => e.ph === 'X');
  for (const e of slices) {
    assert.ok(threads.has(e.tid), `slice ${e.name} on an unnamed thread`);
    assert.ok(Number.isFinite(e.ts) && e.dur >= 0, JSON.stringify(e));
  }
  const main = [...threads].find(([, n]) => n === 'main')[0];
  const life = slices.find((e) => e.tid === main && e.name === 'main');
  assert.equal(life.ts, 0);
  assert.equal(life.dur, 6_500_000); // the run takes 6500 ms of loop time
  assert.ok(slices.some((e) => e.cat === 'await' && e.name.startsWith('sleep')), 'a sleep slice');
  assert.ok(trace.traceEvents.some((e) => e.cat === 'print' && e.name === 'gather took 2000 ms'));
});

test('--seed N overrides the scenario\'s seed: the same seed, the same run', () => {
  const file = scratch('seeded.yaml', 'seed: 1\ntasks:\n  main:\n    - print: "{randint(1, 1000000)}"\n');
  const run = (...a) => aioPlay('run', file, '--format', 'prints', ...a).stdout;
  assert.equal(run('--seed', '7'), run('--seed=7'));
  assert.notEqual(run('--seed', '7'), run('--seed', '8'));
  assert.equal(run('--seed', '1'), run());
});

test('--clock real takes wall time, --clock virtual none', () => {
  const file = scratch('clock.yaml', 'tasks:\n  main:\n    - sleep: 400ms\n    - print: woke\n');
  let t0 = Date.now();
  assert.equal(aioPlay('run', file, '--clock', 'real', '--format', 'prints').code, 0);
  assert.ok(Date.now() - t0 >= 400, 'real clock waited');
  t0 = Date.now();
  assert.match(aioPlay('run', file, '--clock', 'virtual', '--format', 'prints').stdout, /^\[   400ms\] woke$/m);
});

// ---- run --check --------------------------------------------------------------------------------

const EXPECTING = (lines) => `main: main
tasks:
  main:
    - print: start
    - sleep: 1500ms
    - print: "consumer: got 3"
    - print: done
expect:
${lines.map((l) => `  - "${l}"`).join('\n')}
`;

test('--check passes when every expect: line matches, and reports each one', () => {
  const file = scratch('pass.yaml', EXPECTING(['[     0ms] start', '[  1500ms] consumer: got 3', 'done']));
  const r = aioPlay('run', file, '--check', '--format', 'prints');
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.ok(r.stdout.endsWith('expect: all 3 lines passed\n✓ [     0ms] start\n✓ [  1500ms] consumer: got 3\n✓ done\n'), r.stdout);
});

test('--check exits 3 on a mismatch, with a reason per failed line', () => {
  const file = scratch('fail.yaml', EXPECTING(['[     0ms] start', '[  1000ms] consumer: got 3', 'finished']));
  const r = aioPlay('run', file, '--check');
  assert.equal(r.code, 3, r.stdout + r.stderr);
  assert.match(r.stdout, /── finished ──\nexpect: 2 of 3 lines failed\n✓ \[     0ms\] start\n✗ \[  1000ms\] consumer: got 3  — printed at 1500 ms, not at 1000 ms\n✗ finished  — never printed\n$/);
  // Without --check, expect: is not enforced.
  assert.equal(aioPlay('run', file).code, 0);
});

test('--check with a machine format keeps stdout clean and reports on stderr', () => {
  const file = scratch('jsonl.yaml', EXPECTING(['done']));
  const r = aioPlay('run', file, '--check', '--format', 'jsonl');
  assert.equal(r.code, 0);
  for (const line of r.stdout.trimEnd().split('\n')) JSON.parse(line);
  assert.match(r.stderr, /expect: all 1 line passed/);
});

test('--check on a scenario without expect: is a usage error', () => {
  const r = aioPlay('run', 'examples/hello.yaml', '--check');
  assert.equal(r.code, 64);
  assert.match(r.stderr, /has no expect: lines to check/);
});

test('an expect: line with a bad timestamp is an error at its line', () => {
  const file = scratch('badstamp.yaml', EXPECTING(['start', '[ soon ms] done']));
  for (const cmd of [['run', file, '--check'], ['validate', file]]) {
    const r = aioPlay(...cmd);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /badstamp\.yaml:10:\d+: error: '\[ soon ms\]' is not a time/);
  }
});

// ---- validate and export ----------------------------------------------------------------------------

test('validate: a valid scenario says ok and exits 0', () => {
  const r = aioPlay('validate', 'examples/producer-consumer-queue.yaml');
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'examples/producer-consumer-queue.yaml: ok\n');
});

test('validate: every problem as FILE:LINE:COL, exit 1, nothing run', () => {
  const text = 'main: main\ntasks:\n  main:\n    steps:\n      - print: "ok"\n      - slep: 1s\n      - await: nobody\n        as: 3\n';
  const r = aioPlay('validate', scratch('bad.yaml', text));
  assert.equal(r.code, 1);
  assert.match(r.stderr, /bad\.yaml:6:9: error: unknown step 'slep': did you mean 'sleep'\?/);
  assert.match(r.stderr, /bad\.yaml:8:\d+: error: /);
  assert.equal(r.stdout, '');
  assert.equal(aioPlay('validate', scratch('yaml.yaml', 'tasks: [\n')).code, 1);
});

test('validate reads the scenario from stdin with -', () => {
  const r = spawnSync(process.execPath, ['cli/aio-play.mjs', 'validate', '-'], { cwd: REPO, encoding: 'utf8', input: 'tasks:\n  main:\n    - print: hi\n' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, '<stdin>: ok\n');
});

test('export --python prints the scenario as a Python asyncio program', () => {
  const r = aioPlay('export', '--python', 'examples/gather-vs-sequential.yaml');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^import asyncio$/m);
  assert.match(r.stdout, /asyncio\.gather\(/);
  assert.match(r.stdout, /asyncio\.run\(/);
  const bad = aioPlay('export', '--python', scratch('bad.yaml', 'tasks:\n  main:\n    - slep: 1\n'));
  assert.equal(bad.code, 1);
  assert.equal(bad.stdout, '');
  assert.match(bad.stderr, /bad\.yaml:3:\d+: error: unknown step 'slep'/);
});
