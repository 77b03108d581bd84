#!/usr/bin/env node
// aio-play: run a scenario file on the engine under node and print its trace,
// the same lines the page's terminal shows.
//
//   aio-play run FILE [--clock virtual|real] [--speed N]
//
// Exit codes: 0 the run finished ok, 1 the scenario is invalid (YAML or
// engine diagnostics), 2 the run failed (or the engine could not be loaded).

import { readFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pointerPosition, yamlToJson } from '../web/src/scenario/yaml.js';
import { eventToLine, formatAnsi, formatPlain } from '../web/src/state/trace-line.js';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..');
const ENGINE_DIR = process.env.AIO_ENGINE_DIR ?? join(REPO, 'build/wasm');

const USAGE = `usage: aio-play run FILE [--clock virtual|real] [--speed N]

Runs an aio playground scenario (YAML) on the WebAssembly engine and prints
its trace. Exit code 0 ok, 1 invalid scenario, 2 failed run.`;

function parseArgs(argv) {
  const [command, ...rest] = argv;
  if (command === '-h' || command === '--help') return { help: true };
  if (command !== 'run') throw new Error(command ? `unknown command '${command}'` : 'missing command');
  const out = { file: null, clock: null, speed: 1 };
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    const value = () => {
      const v = a.includes('=') ? a.slice(a.indexOf('=') + 1) : rest[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--clock' || a.startsWith('--clock=')) {
      out.clock = value();
      if (out.clock !== 'virtual' && out.clock !== 'real') throw new Error('--clock must be virtual or real');
    } else if (a === '--speed' || a.startsWith('--speed=')) {
      out.speed = Number(value());
      if (!(out.speed > 0)) throw new Error('--speed must be a positive number');
    } else if (a === '-h' || a === '--help') return { help: true };
    else if (a.startsWith('-')) throw new Error(`unknown option ${a}`);
    else if (out.file === null) out.file = a;
    else throw new Error(`unexpected argument ${a}`);
  }
  if (out.file === null) throw new Error('missing FILE');
  return out;
}

async function loadEngine(onAioEvents) {
  const glue = join(ENGINE_DIR, 'aio-engine-node.cjs');
  const wasm = join(ENGINE_DIR, 'aio-engine-node.wasm');
  if (!existsSync(glue) || !existsSync(wasm)) {
    throw new Error(`engine not built: ${relative(process.cwd(), glue)} is missing (run scripts/build.sh)`);
  }
  const require = createRequire(import.meta.url);
  const exported = require(glue);
  const createAioEngine = typeof exported === 'function' ? exported : (exported.default ?? exported.createAioEngine);
  return createAioEngine({ onAioEvents, wasmBinary: readFileSync(wasm) });
}

export async function main(argv, { stdout = process.stdout, stderr = process.stderr } = {}) {
  let args;
  try {
    args = parseArgs(argv);
  } catch (e) {
    stderr.write(`aio-play: ${e.message}\n${USAGE}\n`);
    return 2;
  }
  if (args.help) {
    stdout.write(USAGE + '\n');
    return 0;
  }
  const format = stdout.isTTY && !process.env.NO_COLOR ? formatAnsi : formatPlain;
  const shown = relative(process.cwd(), args.file) || args.file;

  let text;
  try {
    text = readFileSync(args.file, 'utf8');
  } catch (e) {
    stderr.write(`aio-play: cannot read ${args.file}: ${e.message}\n`);
    return 2;
  }
  const parsed = yamlToJson(text);
  if (!parsed.ok) {
    for (const e of parsed.errors) stderr.write(`${shown}:${e.line}:${e.col}: error: ${e.message}\n`);
    return 1;
  }

  let sawError = false;
  const onAioEvents = (jsonl) => {
    for (const raw of jsonl.split('\n')) {
      if (raw.trim() === '') continue;
      let e;
      try {
        e = JSON.parse(raw);
      } catch {
        stderr.write(`aio-play: engine sent a line that is not JSON: ${raw}\n`);
        continue;
      }
      if (e.type === 'diagnostic') {
        const at = pointerPosition(parsed.positions, e.pointer);
        const severity = e.severity === 'warning' ? 'warning' : 'error';
        if (severity === 'error') sawError = true;
        stderr.write(`${shown}:${at.line}:${at.col}: ${severity}: ${e.message}\n`);
        continue;
      }
      if (e.type !== 'print' && e.type !== 'task' && e.type !== 'end') continue;
      stdout.write(format(eventToLine(e)) + '\n');
    }
  };

  let engine;
  try {
    engine = await loadEngine(onAioEvents);
  } catch (e) {
    stderr.write(`aio-play: ${e.message}\n`);
    return 2;
  }
  const options = { speed: args.speed };
  if (args.clock) options.clock = args.clock;
  let code;
  try {
    code = await engine.ccall('aio_run', 'number', ['string', 'string'], [parsed.json, JSON.stringify(options)], { async: true });
  } catch (e) {
    stderr.write(`aio-play: the engine crashed: ${e?.message ?? e}\n`);
    return 2;
  }
  if (code === 0 || code === 1 || code === 2) return code;
  return sawError ? 1 : 2;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === (await import('node:fs')).realpathSync(process.argv[1])) {
  process.exitCode = await main(process.argv.slice(2));
}
