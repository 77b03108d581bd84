#!/usr/bin/env node
// aio-play: run, validate and export scenario files with the engine's WASM build under node,
// printing the same trace lines as the page's terminal. `aio-play --help` lists the commands,
// options and exit codes (cli/args.mjs).

import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pointerPosition, yamlToJson } from '../web/src/scenario/yaml.js';
import { eventToLine, formatAnsi, formatPlain } from '../web/src/state/trace-line.js';
import { checkExpect, expectOf, formatPrintLine, reportLines } from '../web/src/state/expect.js';
import { toChromeTrace } from '../web/src/state/chrome-trace.js';
import { EXIT, USAGE, UsageError, parseArgs } from './args.mjs';
import { loadEngine } from './engine.mjs';

/** Write the expect report, coloured on a TTY. */
function writeReport(out, report, colour) {
  for (const l of reportLines(report)) {
    const c = !colour ? '' : l.ok === null ? (report.ok ? '\x1b[1;32m' : '\x1b[1;31m') : l.ok ? '\x1b[32m' : '\x1b[31m';
    out.write((colour ? c + l.text + '\x1b[0m' : l.text) + '\n');
  }
}

export async function main(argv, { stdout = process.stdout, stderr = process.stderr, stdin = 0 } = {}) {
  let args;
  try {
    args = parseArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    stderr.write(`aio-play: ${e.message}\n${USAGE}\n`);
    return EXIT.usage;
  }
  if (args.help) {
    stdout.write(USAGE + '\n');
    return EXIT.ok;
  }
  const colour = Boolean(stdout.isTTY) && !process.env.NO_COLOR;
  const shown = args.file === '-' ? '<stdin>' : relative(process.cwd(), args.file) || args.file;

  let text;
  try {
    text = readFileSync(args.file === '-' ? stdin : args.file, 'utf8');
  } catch (e) {
    stderr.write(`aio-play: cannot read ${args.file}: ${e.code === 'ENOENT' ? 'no such file' : e.message}\n`);
    return EXIT.invalid;
  }
  const parsed = yamlToJson(text);
  if (!parsed.ok) {
    for (const e of parsed.errors) stderr.write(`${shown}:${e.line}:${e.col}: error: ${e.message}\n`);
    return EXIT.invalid;
  }
  const report = (severity, message, pointer) => {
    const at = pointerPosition(parsed.positions, pointer ?? '');
    stderr.write(`${shown}:${at.line}:${at.col}: ${severity}: ${message}\n`);
  };

  // expect: lines the checker cannot read are scenario errors, whatever the command.
  const expect = expectOf(parsed.value);
  for (const p of expect?.problems ?? []) report('error', p.message, p.pointer);
  if (expect && expect.problems.length > 0) return EXIT.invalid;
  if (args.check && !expect) {
    stderr.write(`aio-play: --check: ${shown} has no expect: lines to check\n`);
    return EXIT.usage;
  }

  let json = parsed.json;
  if (args.seed !== null) json = JSON.stringify({ ...parsed.value, seed: args.seed });

  const events = [];
  let sawError = false;
  const format = colour ? formatAnsi : formatPlain;
  const onEvent = (e) => {
    if (e.type === 'diagnostic') {
      if (e.severity !== 'warning') sawError = true;
      report(e.severity === 'warning' ? 'warning' : 'error', e.message, e.pointer);
    }
    if (args.command !== 'run') {
      events.push(e);
      return;
    }
    if (args.format === 'chrome-trace' || args.check) events.push(e);
    if (args.format === 'jsonl') stdout.write(JSON.stringify(e) + '\n');
    else if (args.format === 'prints' && e.type === 'print') stdout.write(formatPrintLine(e.t, e.text) + '\n');
    else if (args.format === 'text' && (e.type === 'print' || e.type === 'task' || e.type === 'end')) stdout.write(format(eventToLine(e)) + '\n');
  };

  let engine;
  try {
    engine = await loadEngine(onEvent, (line) => stderr.write(`aio-play: the engine sent a line that is not JSON: ${line}\n`));
  } catch (e) {
    stderr.write(`aio-play: ${e.message}\n`);
    return EXIT.failed;
  }

  let code;
  try {
    if (args.command === 'validate') code = await engine.validate(json);
    else if (args.command === 'export') code = await engine.exportPython(json);
    else {
      const options = { speed: args.speed };
      if (args.clock) options.clock = args.clock;
      code = await engine.run(json, options);
    }
  } catch (e) {
    stderr.write(`aio-play: the engine crashed: ${e?.message ?? e}\n`);
    return EXIT.failed;
  }
  if (code !== 0 && code !== 1 && code !== 2) code = sawError ? EXIT.invalid : EXIT.failed;

  if (args.command === 'validate') {
    if (code === 0) stdout.write(`${shown}: ok\n`);
    return code === 0 ? EXIT.ok : EXIT.invalid;
  }
  if (args.command === 'export') {
    const py = events.find((e) => e.type === 'python');
    if (code === 0 && py) stdout.write(py.text.endsWith('\n') ? py.text : py.text + '\n');
    return code === 0 && py ? EXIT.ok : EXIT.invalid;
  }

  if (args.format === 'chrome-trace') {
    const title = typeof parsed.value?.title === 'string' ? parsed.value.title : undefined;
    stdout.write(JSON.stringify(toChromeTrace(events, { title })) + '\n');
  }
  if (code === EXIT.invalid || !args.check) return code;
  const clock = args.clock ?? (parsed.value?.clock === 'real' ? 'real' : 'virtual');
  const prints = events.filter((e) => e.type === 'print');
  const result = checkExpect(expect.lines, prints, { realClock: clock === 'real' });
  // Human formats carry the report on stdout after the trace; machine formats keep stdout clean.
  writeReport(args.format === 'text' || args.format === 'prints' ? stdout : stderr, result, colour);
  return result.ok ? code : EXIT.mismatch;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === (await import('node:fs')).realpathSync(process.argv[1])) {
  // `aio-play run x.yaml | head` closes the pipe early: stop quietly.
  process.stdout.on('error', (e) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
  process.exitCode = await main(process.argv.slice(2));
}
