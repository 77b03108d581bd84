#!/usr/bin/env node
// Run every test suite and print one closing line: `N passed, N failed`,
// counting the test cases of all suites. Exits non-zero if anything failed.
// A suite that breaks before it can count its cases counts as 1 failed.
//
//   node scripts/test-all.mjs [suite...]   suites: native wasm unit types examples differential e2e asan clang
//
// Expects a finished build (scripts/build.sh; `npm test` does both).

import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RESULTS = join(ROOT, 'test-results');
const SUITE_TIMEOUT_MS = 25 * 60_000;
mkdirSync(RESULTS, { recursive: true });

/** Run a command, echoing its output, and resolve to { code, out }. */
function run(cmd, args, { env = {} } = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, {
      cwd: ROOT,
      env: { ...process.env, NODE_PATH: '/usr/share/nodejs', FORCE_COLOR: '0', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true, // own process group, so a timeout can end all of it
    });
    let out = '';
    const onData = (stream) => (chunk) => {
      out += chunk;
      stream.write(chunk);
    };
    child.stdout.on('data', onData(process.stdout));
    child.stderr.on('data', onData(process.stderr));
    const timer = setTimeout(() => {
      out += `\n[test-all] ${cmd} timed out after ${SUITE_TIMEOUT_MS / 60_000} minutes\n`;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {}
    }, SUITE_TIMEOUT_MS);
    child.on('error', (e) => {
      clearTimeout(timer);
      resolve({ code: 127, out: out + String(e) });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal ? 128 : 1), out });
    });
  });
}

/** ctest: "100% tests passed, 0 tests failed out of 12". */
async function ctest(buildDir) {
  if (!existsSync(join(ROOT, buildDir, 'CTestTestfile.cmake'))) {
    return { passed: 0, failed: 1, note: `${buildDir} is not built` };
  }
  const { code, out } = await run('ctest', ['--test-dir', buildDir, '--output-on-failure', '-j', '2']);
  const m = out.match(/(\d+)% tests passed, (\d+) tests? failed out of (\d+)/);
  if (!m) return { passed: 0, failed: 1, note: /No tests were found/.test(out) ? 'no tests found' : `ctest exited ${code}` };
  const total = Number(m[3]);
  const failed = Number(m[2]);
  return { passed: total - failed, failed: failed || (code !== 0 ? 1 : 0) };
}

async function unit() {
  const report = join(RESULTS, 'unit.json');
  rmSync(report, { force: true });
  const { code } = await run('node', [
    'node_modules/vitest/vitest.mjs', 'run', 'tests/web',
    '--reporter=default', '--reporter=json', `--outputFile.json=${report}`,
  ]);
  if (!existsSync(report)) return { passed: 0, failed: 1, note: `vitest exited ${code} without a report` };
  const r = JSON.parse(readFileSync(report, 'utf8'));
  const failed = r.numFailedTests + (code !== 0 && r.numFailedTests === 0 ? 1 : 0);
  return { passed: r.numPassedTests, failed, note: r.numTotalTests === 0 ? 'no tests ran' : undefined };
}

async function types() {
  let passed = 0;
  let failed = 0;
  for (const project of ['web', 'web/src/worker']) {
    console.log(`tsc --noEmit -p ${project}`);
    const { code } = await run('node', ['node_modules/typescript/bin/tsc', '--noEmit', '-p', project]);
    if (code === 0) passed++;
    else failed++;
  }
  return { passed, failed };
}

async function e2e() {
  const dir = join(ROOT, 'tests/e2e');
  const files = readdirSync(dir).filter((f) => f.endsWith('.spec.mjs')).sort().map((f) => join('tests/e2e', f));
  if (files.length === 0) return { passed: 0, failed: 1, note: 'no spec files' };
  const tap = join(RESULTS, 'e2e.tap');
  rmSync(tap, { force: true });
  const { code } = await run('node', [
    '--test', '--test-concurrency=1',
    '--test-reporter=spec', '--test-reporter-destination=stdout',
    '--test-reporter=tap', `--test-reporter-destination=${tap}`,
    ...files,
  ]);
  const text = existsSync(tap) ? readFileSync(tap, 'utf8') : '';
  const pass = text.match(/^# pass (\d+)/m);
  const fail = text.match(/^# fail (\d+)/m);
  if (!pass || !fail) return { passed: 0, failed: 1, note: `node --test exited ${code} without a summary` };
  const failed = Number(fail[1]) + (code !== 0 && Number(fail[1]) === 0 ? 1 : 0);
  return { passed: Number(pass[1]), failed };
}

/** Configure (once) and build a CMake preset that `npm start` does not need, then ctest it. */
async function presetSuite(preset) {
  const dir = `build/${preset}`;
  if (!existsSync(join(ROOT, dir, 'CMakeCache.txt'))) {
    const c = await run('cmake', ['--preset', preset]);
    if (c.code !== 0) return { passed: 0, failed: 1, note: `cmake --preset ${preset} failed` };
  }
  const b = await run('cmake', ['--build', '--preset', preset]);
  if (b.code !== 0) return { passed: 0, failed: 1, note: `build of ${preset} failed` };
  return ctest(dir);
}

/** A node script that ends with the plain "N passed, N failed" line. */
async function countingScript(args) {
  const { code, out } = await run('node', args);
  const m = [...out.matchAll(/^(\d+) passed, (\d+) failed/gm)].pop();
  if (!m) return { passed: 0, failed: 1, note: `${args[0]} exited ${code} without a count` };
  const failed = Number(m[2]);
  return { passed: Number(m[1]), failed: failed || (code !== 0 ? 1 : 0) };
}

const SUITES = {
  native: { title: 'native doctest, g++ (ctest build/dev)', fn: () => ctest('build/dev') },
  wasm: { title: 'WASM doctest under node (ctest build/wasm)', fn: () => ctest('build/wasm') },
  unit: { title: 'JS/TS unit tests (vitest)', fn: unit },
  types: { title: 'TypeScript type-check', fn: types },
  examples: {
    title: 'every example runs to its expected end (native runner)',
    fn: () => countingScript(['tests/examples/run-examples.mjs', 'build/dev/tests/aio-scenario']),
  },
  differential: {
    title: 'engine vs CPython: 300 generated scenarios + every example, identical traces (build/dev)',
    fn: () => countingScript(['tests/differential/differential.mjs', '--engine', 'build/dev/tests/aio-scenario', '--count', '300']),
  },
  e2e: { title: 'end-to-end (Chromium, CLI)', fn: e2e },
  asan: { title: 'native doctest under ASan + UBSan (build/asan)', fn: () => presetSuite('asan') },
  clang: { title: 'native doctest, clang 14 (build/clang)', fn: () => presetSuite('clang') },
};

const bold = (s) => (process.stdout.isTTY ? `\x1b[1m${s}\x1b[0m` : s);
const chosen = process.argv.slice(2);
for (const name of chosen) {
  if (!SUITES[name]) {
    console.error(`unknown suite ${name}; known: ${Object.keys(SUITES).join(' ')}`);
    process.exit(2);
  }
}
const results = [];
for (const name of chosen.length ? chosen : Object.keys(SUITES)) {
  const { title, fn } = SUITES[name];
  console.log('\n' + bold(`=== ${title}`));
  let r;
  const t0 = Date.now();
  try {
    r = await fn();
  } catch (e) {
    r = { passed: 0, failed: 1, note: `crashed: ${e?.message ?? e}` };
  }
  results.push({ name, seconds: (Date.now() - t0) / 1000, ...r });
}

console.log('\n' + bold('=== summary'));
for (const r of results) {
  const mark = r.failed ? 'FAIL' : 'ok  ';
  const time = `${r.seconds.toFixed(0)} s`.padStart(6);
  console.log(`${mark} ${r.name.padEnd(12)} ${String(r.passed).padStart(4)} passed, ${r.failed} failed ${time}${r.note ? `  (${r.note})` : ''}`);
}
const passed = results.reduce((n, r) => n + r.passed, 0);
const failed = results.reduce((n, r) => n + r.failed, 0);
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed > 0 ? 1 : 0;
