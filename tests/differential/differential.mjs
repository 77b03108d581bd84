#!/usr/bin/env node
// The differential check: the engine against CPython, byte for byte.
//
//   node tests/differential/differential.mjs [--engine build/dev/tests/aio-scenario]
//        [--count 300] [--seed 1] [--keep DIR] [--no-real] [--python python3]
//
// For each of `count` generated scenarios (generate.mjs, seeds seed..seed+count-1) and every
// examples/*.yaml that is a valid scenario: run it on the native engine
// (`aio-scenario FILE --format prints`), export it (`--export-python`), run all the exported
// programs in ONE CPython process on the virtual-time loop (run_exports.py), and require the
// same printed lines, timestamps included, and the same outcome (ok / failed). Each example's
// exported program also runs once on plain python3 in real time: it must run and print the
// same lines, numbers and order aside.
//
// Output: a diff for each difference (the scenario's JSON is kept under --keep, default a temp
// dir), then `differential: N scenarios, N identical, N different`, and last
// `N passed, N failed`: each scenario is one case (passed when identical); a real-time run or a
// test of tests/python/test_virtual_loop.py (which runs first) that fails counts as a failure
// too. Exit status 1 if anything failed. scripts/test-all.mjs runs it as the `differential` suite.

import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';

import { generate } from './generate.mjs';
import { FAMILIES, enabledFamilies } from './generate-families.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const HERE = fileURLToPath(new URL('.', import.meta.url));

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const ENGINE = opt('engine', join(ROOT, 'build/dev/tests/aio-scenario'));
const COUNT = Number(opt('count', 300));
const FIRST_SEED = Number(opt('seed', 1));
const PYTHON = opt('python', 'python3');
const REAL = !args.includes('--no-real');
const DIR = opt('keep', null) ?? mkdtempSync(join(tmpdir(), 'aio-differential-'));
mkdirSync(DIR, { recursive: true });

/** Run a program; resolve to { code, stdout, stderr } (never rejects). */
function exec(cmd, argv, { timeout = 120_000, cwd = undefined } = {}) {
  return new Promise((resolve) => {
    execFile(cmd, argv, { maxBuffer: 64 << 20, timeout, cwd }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 127) : 0;
      resolve({ code, stdout, stderr: stderr + (err && typeof err.code !== 'number' ? String(err) : '') });
    });
  });
}

/** Run `fn` over `items` with at most `n` at a time. */
async function pool(items, n, fn) {
  let next = 0;
  const workers = Array.from({ length: n }, async () => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i], i);
    }
  });
  await Promise.all(workers);
}

// ---- first, the virtual loop's own tests: the comparison means nothing if it is wrong ----
const loopTests = await exec(PYTHON, ['-m', 'unittest', '-q', 'test_virtual_loop'], { cwd: join(ROOT, 'tests/python') });
const ran = Number(loopTests.stderr.match(/Ran (\d+) test/)?.[1] ?? 0);
const loopFailed = loopTests.code === 0 && ran > 0 ? 0 : Math.max(1, Number(loopTests.stderr.match(/(?:failures|errors)=(\d+)/)?.[1] ?? 1));
if (loopFailed) console.log(`tests/python/test_virtual_loop.py failed:\n${loopTests.stderr}`);

// ---- the scenarios ----
const cases = [];
for (let s = FIRST_SEED; s < FIRST_SEED + COUNT; s++) cases.push({ id: `gen-${s}`, doc: generate(s) });
const examples = readdirSync(join(ROOT, 'examples')).filter((f) => f.endsWith('.yaml')).sort();
for (const f of examples) {
  try {
    const doc = parseYaml(readFileSync(join(ROOT, 'examples', f), 'utf8'));
    // A real-clock example prints wall-clock times (and may use the network): nothing to compare.
    if (doc?.clock === 'real') console.log(`skip examples/${f}: clock: real (wall-clock times, nothing to compare)`);
    else cases.push({ id: `example-${f}`, doc, example: true });
  } catch (e) {
    console.log(`skip examples/${f}: not YAML (${e.message})`);
  }
}
for (const c of cases) {
  c.json = join(DIR, `${c.id}.json`);
  c.py = join(DIR, `${c.id}.py`);
  writeFileSync(c.json, JSON.stringify(c.doc, null, 1));
}

// ---- the engine: run and export every scenario (2 at a time: the machines have 2 cores) ----
// First make sure it runs at all: a missing or half-linked binary is one failure, not hundreds.
{
  const probe = join(DIR, 'probe.json');
  writeFileSync(probe, JSON.stringify({ tasks: { main: [{ print: 'probe' }] } }));
  const p = await exec(ENGINE, [probe, '--format', 'prints']);
  if (p.code !== 0 || !p.stdout.includes('probe')) {
    console.log(`the engine ${ENGINE} does not run (exit ${p.code}): build it first (scripts/build.sh)\n${p.stderr}`);
    console.log('differential: 0 scenarios, 0 identical, 0 different');
    console.log('0 passed, 1 failed');
    process.exit(1);
  }
}
const started = Date.now();
await pool(cases, 2, async (c) => {
  const [run, exported] = await Promise.all([
    exec(ENGINE, [c.json, '--format', 'prints']),
    exec(ENGINE, [c.json, '--export-python']),
  ]);
  c.engine = { code: run.code, output: run.stdout, stderr: run.stderr };
  c.exportCode = exported.code;
  if (exported.code === 0) writeFileSync(c.py, exported.stdout);
  else c.exportError = exported.stderr;
});

const valid = cases.filter((c) => c.exportCode === 0);
for (const c of cases.filter((c) => c.exportCode !== 0)) {
  if (c.example && c.exportCode === 1) console.log(`skip ${c.id}: not a valid scenario (${c.exportError.trim().split('\n')[0]})`);
}
const invalidGenerated = cases.filter((c) => c.exportCode !== 0 && !c.example);

// ---- CPython: every exported program in one process on the virtual loop, then the examples
// again in real time ----
const manifest = join(DIR, 'manifest.json');
const resultsFile = join(DIR, 'results.json');
writeFileSync(manifest, JSON.stringify(valid.map((c) => ({ id: c.id, program: c.py }))));
const py = await exec(PYTHON, [join(HERE, 'run_exports.py'), manifest, resultsFile], { timeout: 300_000 });
if (py.code !== 0) {
  console.log(`run_exports.py failed (exit ${py.code}):\n${py.stderr}`);
  console.log('differential: 0 scenarios, 0 identical, 0 different');
  console.log('0 passed, 1 failed');
  process.exit(1);
}
const results = JSON.parse(readFileSync(resultsFile, 'utf8'));
// Real time, for the examples that end (a deadlock would hang a real loop forever).
const realRuns = REAL ? valid.filter((c) => c.example && ['ok', 'failed'].includes(results[c.id]?.status)) : [];
await pool(realRuns, 32, async (c) => { // they mostly sleep: all at once
  c.real = await exec(PYTHON, [c.py], { timeout: 60_000 });
});

// ---- compare ----
const outcome = (engineCode) => (engineCode === 0 ? 'ok' : engineCode === 2 ? 'failed' : `exit ${engineCode}`);
const pyOutcome = (r) => (r.status === 'deadlock' || r.status === 'runaway' ? 'failed' : r.status);
function firstDifference(a, b) {
  const x = a.split('\n'), y = b.split('\n');
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    if (x[i] !== y[i]) {
      const from = Math.max(0, i - 3);
      const show = (lines) => lines.slice(from, i + 4).map((l, k) => `${from + k === i ? '>' : ' '} ${l ?? '(end)'}`).join('\n');
      return `line ${i + 1}:\n  engine:\n${show(x)}\n  python:\n${show(y)}`;
    }
  }
  return 'same lines';
}
let identical = 0;
const different = [];
for (const c of valid) {
  const r = results[c.id];
  // A generated scenario must also end by itself: a deadlock or a runaway is a generator bug
  // even when both sides agree on it.
  const ends = c.example || (r && r.status !== 'deadlock' && r.status !== 'runaway');
  const same = r && ends && r.output === c.engine.output && pyOutcome(r) === outcome(c.engine.code);
  if (same) identical++;
  else different.push(c);
}
for (const c of different) {
  const r = results[c.id] ?? { status: 'missing', output: '', error: 'no result' };
  console.log(`\nDIFFERENT ${c.id}  (${c.json})`);
  console.log(`  outcome: engine ${outcome(c.engine.code)}, python ${r.status}${r.error ? ` (${r.error.trim().split('\n').slice(-1)[0]})` : ''}`);
  if (!c.example && (r.status === 'deadlock' || r.status === 'runaway')) console.log('  the generator made a scenario that does not end');
  if (r.output !== c.engine.output) console.log(firstDifference(c.engine.output, r.output));
}
for (const c of invalidGenerated) console.log(`\nINVALID ${c.id} (${c.json}): the generator made a scenario the engine rejects:\n${c.exportError}`);

// Real time: the same lines, numbers aside (timestamps, and times the scenario prints itself),
// in any order (timers that are due together on the virtual clock are a few microseconds
// apart in real time, which may order them differently).
const strip = (text) =>
  text.split('\n').map((l) => l.replace(/^\[\s*[\d.e+-]+ms\] /, '').replace(/\d+(\.\d+)?(e[+-]?\d+)?/g, '#')).sort().join('\n');
let realPassed = 0;
const realFailed = [];
const lineCount = (text) => text.split('\n').filter(Boolean).length;
for (const c of realRuns) {
  const wantCode = c.engine.code === 0 ? 0 : 1;
  const same = strip(c.real.stdout) === strip(c.engine.output);
  // A real clock may legitimately take another branch where the scenario tests the time
  // (`if: now > due` is true by a few microseconds, or by a lot on a loaded machine), or a
  // ticker may tick once more: exact equality is the virtual-time check's job. Here the program
  // must run to the same outcome and start the same way.
  const first = (text) => text.split('\n')[0].replace(/^\[\s*[\d.e+-]+ms\] /, '').replace(/\d+(\.\d+)?(e[+-]?\d+)?/g, '#');
  const similar = lineCount(c.real.stdout) > 0 && first(c.real.stdout) === first(c.engine.output);
  if (c.real.code === wantCode && (same || similar)) {
    realPassed++;
    if (!same) console.log(`note: ${c.id} prints other text in real time (timing-dependent lines)`);
  } else {
    realFailed.push(c);
  }
}
for (const c of realFailed) {
  console.log(`\nREAL-TIME ${c.id}: python3 ${c.py} exited ${c.real.code}`);
  if (strip(c.real.stdout) !== strip(c.engine.output)) console.log(firstDifference(strip(c.engine.output), strip(c.real.stdout)));
  else console.log(c.real.stderr.split('\n').slice(-5).join('\n'));
}

// Per-verb coverage: in how many generated scenarios (and examples) each verb occurs.
/** The verbs of a scenario: the first key of every step, in tasks and contexts, nested too. */
function verbsOf(doc) {
  const verbs = new Set();
  const walk = (node) => {
    if (Array.isArray(node)) {
      for (const el of node) {
        if (el && typeof el === 'object' && !Array.isArray(el)) {
          const first = Object.keys(el)[0];
          // (not verbs: an `except` entry's error:/as:/steps:, a gather item's call:)
          if (first && !['error', 'as', 'steps', 'call'].includes(first)) verbs.add(first);
          for (const v of Object.values(el)) if (v && typeof v === 'object') walk(v);
        }
      }
    } else if (node && typeof node === 'object') {
      for (const v of Object.values(node)) walk(v);
    }
  };
  walk(doc.tasks ?? {});
  walk(doc.contexts ?? {});
  return verbs;
}
const coverage = new Map();
const differentIds = new Set(different.map((c) => c.id));
for (const c of valid) {
  for (const v of verbsOf(c.doc)) {
    const k = coverage.get(v) ?? { generated: 0, examples: 0, different: 0 };
    k[c.example ? 'examples' : 'generated']++;
    if (differentIds.has(c.id)) k.different++;
    coverage.set(v, k);
  }
}
const families = enabledFamilies();
console.log(`\ngenerator families: ${families.join(', ') || 'none'}; off: ${FAMILIES.filter((f) => !families.includes(f)).join(', ') || 'none'} (AIO_DIFF_EXTRA=a,b turns them on)`);
console.log('verb coverage (scenarios using it: generated + examples, of which different):');
for (const [v, k] of [...coverage].sort((a, b) => b[1].generated - a[1].generated || a[0].localeCompare(b[0]))) {
  console.log(`  ${v.padEnd(16)} ${String(k.generated).padStart(4)} + ${String(k.examples).padStart(2)}${k.different ? `  (${k.different} different)` : ''}`);
}

const seconds = ((Date.now() - started) / 1000).toFixed(1);
console.log(`\nscenarios and programs in ${DIR} (${seconds} s)`);
if (REAL) console.log(`real time: ${realRuns.length} example programs on plain ${PYTHON}, ${realPassed} printed the same lines`);
console.log(`differential: ${valid.length + invalidGenerated.length} scenarios, ${identical} identical, ${different.length + invalidGenerated.length} different`);
console.log(`virtual loop: ${ran} unit tests, ${loopFailed ? 'FAILED' : 'ok'}`);
// Each scenario is one test case; a failed real-time run or virtual-loop test fails too.
const passed = identical;
const failed = different.length + invalidGenerated.length + realFailed.length + loopFailed;
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed ? 1 : 0;
