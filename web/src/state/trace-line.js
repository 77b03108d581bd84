// @ts-check
// Wire events → trace lines, in one place, for both the page's terminal and
// the CLI (plain JavaScript so node imports it as is; `tsc -p web` checks it).
//
//   [   1500ms] task-name  message
//
// The time is the engine's loop time, rounded, right-aligned in 7 characters.
// Each task name gets a stable colour from a hash of the name; task state
// changes are dim and start with "· " (so they stand apart without colour
// too), prints are bright, diagnostics are red.

/** @typedef {import('../protocol').EngineEvent} EngineEvent */
/** @typedef {import('../scenario/yaml.js').Position} Position */

/**
 * A line as the user sees it, before colouring.
 *  kind: print | state (task state change) | diagnostic | end | note (page/CLI remarks)
 * @typedef {object} TraceLine
 * @property {'print' | 'state' | 'diagnostic' | 'end' | 'note'} kind
 * @property {number | null} t        loop time in ms, or null when there is none
 * @property {string} label           task name, or severity / "end" for other kinds
 * @property {string} text
 * @property {Position | null} [at]   diagnostics: where in the scenario source
 * @property {'ok' | 'error' | 'warning' | null} [tone]
 */

/**
 * Colours readable on the page's dark background (#0f1117) and in terminals:
 * evenly spaced hues at one lightness, leaving out red (diagnostics are red).
 */
export const TASK_PALETTE = /** @type {const} */ ([
  [243, 173, 104], // orange
  [243, 224, 104], // yellow
  [185, 243, 104], // lime
  [104, 243, 127], // green
  [104, 243, 208], // teal
  [104, 224, 243], // cyan
  [104, 173, 243], // sky
  [130, 140, 250], // blue
  [162, 104, 243], // violet
  [231, 104, 243], // magenta
  [243, 104, 178], // pink
]);

/**
 * FNV-1a over UTF-16 code units: stable across runs, machines and both sides.
 * @param {string} name
 */
export function hashName(name) {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/**
 * FNV-1a's low bits barely differ for names like `worker-1`, `worker-2`, so
 * mix them (murmur3's finaliser) before taking the index.
 * @param {string} name
 * @returns {number} index into TASK_PALETTE
 */
export function taskColourIndex(name) {
  let h = hashName(name);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  return (h >>> 0) % TASK_PALETTE.length;
}

/** @param {number | null} t */
export function formatTime(t) {
  if (t === null || t === undefined) return '';
  return '[' + String(Math.round(t)).padStart(7) + 'ms]';
}

/** @param {unknown} v */
function show(v) {
  return typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v) ?? String(v);
}

/**
 * @param {EngineEvent & { type: 'task' }} e
 */
function taskText(e) {
  switch (e.state) {
    case 'created':
      return e.by ? `created by ${e.by}` : 'created';
    case 'suspended':
      return e.on ? `suspended on ${e.on}` : 'suspended';
    case 'done':
      return e.result === undefined || e.result === null ? 'done' : `done → ${show(e.result)}`;
    case 'failed':
      return e.error ? `failed: ${e.error}` : 'failed';
    case 'cancelled':
      return e.message ? `cancelled: ${e.message}` : 'cancelled';
    case 'cancelling':
      return 'cancel requested' + (e.by ? ` by ${e.by}` : '') + (e.message ? `: ${e.message}` : '');
    default:
      return e.state;
  }
}

/**
 * An async generator's progress, as seen from the task iterating it.
 * @param {EngineEvent & { type: 'generator' }} e
 */
function generatorText(e) {
  switch (e.state) {
    case 'created':
      return `async for over ${e.gen}()`;
    case 'yielded':
      return `${e.gen} yielded ${show(e.value)}`;
    case 'exhausted':
      return `${e.gen} finished: the async for ends`;
    case 'closing':
      return `${e.gen} closing (left by ${e.why ?? 'break'}): aclose() raises GeneratorExit at its yield, its finally runs`;
    case 'closed':
      return `${e.gen} closed`;
    case 'failed':
      return `${e.gen} failed: ${e.error ?? 'error'}`;
    default:
      return `${e.gen} ${e.state}`;
  }
}

/**
 * An executor job (run_in_executor / to_thread): it runs in a worker thread
 * while the loop goes on.
 * @param {EngineEvent & { type: 'executor' }} e
 */
function executorText(e) {
  switch (e.state) {
    case 'started':
      return `job ${e.job} runs in a worker thread (${Math.round(e.duration ?? 0)}ms); the loop keeps running`;
    case 'done':
      if (e.discarded) return `job ${e.job} finished in its thread; nobody awaits it any more, its result is discarded`;
      return e.result === undefined || e.result === null ? `job ${e.job} finished` : `job ${e.job} finished → ${show(e.result)}`;
    case 'abandoned':
      return `stopped awaiting job ${e.job} (cancelled): the job keeps running in its thread to the end`;
    default:
      return `job ${e.job} ${e.state}`;
  }
}

/**
 * Convert one engine event. `locate` turns a diagnostic's JSON pointer into a
 * source position (see scenario/yaml.js pointerPosition).
 * @param {EngineEvent} e
 * @param {(pointer: string) => Position | null} [locate]
 * @returns {TraceLine}
 */
export function eventToLine(e, locate) {
  switch (e.type) {
    case 'print':
      return { kind: 'print', t: e.t, label: e.task, text: e.text };
    case 'task':
      return { kind: 'state', t: e.t, label: e.task, text: taskText(e) };
    case 'generator':
      return { kind: 'state', t: e.t, label: e.task, text: generatorText(e) };
    case 'executor':
      return { kind: 'state', t: e.t, label: e.task, text: executorText(e) };
    case 'diagnostic': {
      const at = locate ? locate(e.pointer) : null;
      return { kind: 'diagnostic', t: e.t, label: e.severity, text: e.message, at, tone: e.severity };
    }
    case 'end': {
      const word = e.status === 'ok' ? 'finished' : e.status === 'invalid' ? 'scenario invalid' : e.status === 'stopped' ? 'stopped' : 'run failed';
      const text = e.message ? `${word}: ${e.message}` : word;
      return { kind: 'end', t: e.t, label: 'end', text, tone: e.status === 'ok' ? 'ok' : 'error' };
    }
    case 'control':
      return { kind: 'note', t: e.t, label: '', text: e.state === 'paused' ? '❚❚ paused' : `▶ running at ${e.speed}x` };
  }
}

/**
 * A YAML syntax error or other problem found before anything ran.
 * @param {string} message
 * @param {Position | null} at
 * @param {'error' | 'warning'} [severity]
 * @returns {TraceLine}
 */
export function problemLine(message, at, severity = 'error') {
  return { kind: 'diagnostic', t: null, label: severity, text: message, at, tone: severity };
}

/** @param {TraceLine} l */
function body(l) {
  if (l.kind === 'diagnostic') return l.at ? `line ${l.at.line}:${l.at.col}: ${l.text}` : l.text;
  if (l.kind === 'end') return `── ${l.text} ──`;
  if (l.kind === 'state') return '· ' + l.text;
  return l.text;
}

/**
 * The line without colour: what the CLI prints to a pipe and what tests read.
 * @param {TraceLine} l
 */
export function formatPlain(l) {
  const time = formatTime(l.t);
  const parts = [];
  if (time) parts.push(time);
  if (l.kind === 'note' || l.kind === 'end') parts.push(body(l));
  else parts.push(l.label + '  ' + body(l));
  return parts.join(' ');
}

const ESC = '\x1b[';
const RESET = ESC + '0m';
const DIM = ESC + '2m';
const GREY = ESC + '38;2;110;118;135m';
const RED = ESC + '38;2;255;95;95m';
const AMBER = ESC + '38;2;255;200;90m';
const GREEN = ESC + '38;2;120;220;140m';
/** @param {number} i */
const rgb = (i) => ESC + '38;2;' + TASK_PALETTE[i].join(';') + 'm';

/**
 * The same text as formatPlain with ANSI colours (xterm.js and TTYs).
 * @param {TraceLine} l
 */
export function formatAnsi(l) {
  const time = formatTime(l.t);
  const pre = time ? GREY + time + RESET + ' ' : '';
  switch (l.kind) {
    case 'print':
      return pre + rgb(taskColourIndex(l.label)) + l.label + RESET + '  ' + l.text;
    case 'state':
      return pre + DIM + rgb(taskColourIndex(l.label)) + l.label + '  ' + GREY + body(l) + RESET;
    case 'diagnostic': {
      const c = l.tone === 'warning' ? AMBER : RED;
      return pre + c + l.label + '  ' + body(l) + RESET;
    }
    case 'end':
      return pre + (l.tone === 'ok' ? GREEN : RED) + body(l) + RESET;
    case 'note':
      return pre + GREY + l.text + RESET;
  }
}
