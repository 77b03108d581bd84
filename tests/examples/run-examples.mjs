// Runs every examples/*.yaml through the native scenario runner and checks how it ends.
//   node tests/examples/run-examples.mjs [path/to/aio-scenario]   (default build/dev/tests/aio-scenario)
// Each example is converted with the page's own YAML → JSON code (web/src/scenario/yaml.js) and
// run on its own clock. It passes when the run ends with status ok (or failed, for a file whose
// YAML has a top-level comment `# expect: failed`: failure is its lesson) and it printed at least
// one line. One line per example, then `N passed, N failed`; exit status 1 on any failure.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { yamlToJson } from '../../web/src/scenario/yaml.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const runner = resolve(process.argv[2] ?? join(root, 'build/dev/tests/aio-scenario'));
const examplesDir = join(root, 'examples');

if (!existsSync(runner)) {
  console.error(`run-examples: no runner at ${runner} (build it: cmake --build build/dev --target aio-scenario)`);
  console.log('0 passed, 1 failed');
  process.exit(1);
}

/** `# expect: failed` on a line of its own, outside any block (column 1). */
function expectedStatus(text) {
  const m = /^#\s*expect:\s*(\w+)\s*$/m.exec(text);
  return m ? m[1] : 'ok';
}

/** Runs one example; returns null when it passes, else why not. */
function check(file, work) {
  const text = readFileSync(join(examplesDir, file), 'utf8');
  const want = expectedStatus(text);
  const parsed = yamlToJson(text);
  if (!parsed.ok) return `YAML: ${parsed.errors.map((e) => `${e.line}:${e.col} ${e.message}`).join('; ')}`;
  const jsonFile = join(work, file.replace(/\.yaml$/, '.json'));
  writeFileSync(jsonFile, parsed.json);
  const run = spawnSync(runner, [jsonFile], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, timeout: 60_000 });
  if (run.error) return `runner: ${run.error.message}`;
  const events = [];
  for (const line of run.stdout.split('\n')) {
    if (line.trim() === '') continue;
    try {
      events.push(JSON.parse(line));
    } catch {
      return `runner printed a line that is not JSON: ${line.slice(0, 120)}`;
    }
  }
  const end = events.findLast((e) => e.type === 'end');
  const prints = events.filter((e) => e.type === 'print').length;
  const errors = events.filter((e) => e.type === 'diagnostic' && e.severity === 'error').map((e) => e.message);
  if (!end) return `no end event (exit ${run.status ?? run.signal})${run.stderr ? ': ' + run.stderr.trim().slice(0, 200) : ''}`;
  if (end.status !== want) {
    const why = [end.message, ...errors].filter(Boolean).join('; ');
    return `ended ${end.status}, expected ${want}${why ? ` (${why})` : ''}`;
  }
  if (prints === 0) return 'printed nothing';
  return null;
}

const files = readdirSync(examplesDir)
  .filter((f) => f.endsWith('.yaml'))
  .sort();
const work = mkdtempSync(join(tmpdir(), 'aio-examples-'));
let passed = 0;
let failed = 0;
try {
  for (const file of files) {
    let problem;
    try {
      problem = check(file, work);
    } catch (e) {
      problem = `crashed: ${e?.message ?? e}`;
    }
    if (problem === null) {
      passed++;
      console.log(`ok    ${file}`);
    } else {
      failed++;
      console.log(`FAIL  ${file}: ${problem}`);
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 || files.length === 0 ? 1 : 0);
