// Every message between the page and the engine worker, both directions, and
// the engine's wire events they carry (docs/protocol.md, docs/engine-abi.md).
// Each side validates what it receives exactly once, with the functions at the
// bottom. This file must compile without the DOM lib (web/src/worker/tsconfig.json).

/** Bumped on any incompatible change; a message with another `v` is rejected. */
export const PROTOCOL_VERSION = 2;

// ---- engine wire events (one JSON object per JSONL line) ----------------

export type TaskState = 'created' | 'started' | 'suspended' | 'resumed' | 'cancelling' | 'done' | 'failed' | 'cancelled';
export const TASK_STATES: readonly TaskState[] = ['created', 'started', 'suspended', 'resumed', 'cancelling', 'done', 'failed', 'cancelled'];

export interface PrintEvent { type: 'print'; t: number; task: string; text: string }
export interface TaskEvent {
  type: 'task';
  t: number;
  task: string;
  id: number;
  state: TaskState;
  by?: string | null; // created, cancelling
  on?: string; // suspended: what it waits for
  result?: unknown; // done
  error?: string; // failed
  message?: string; // cancelling, cancelled
}
export interface DiagnosticEvent {
  type: 'diagnostic';
  t: number;
  severity: 'error' | 'warning';
  message: string;
  pointer: string;
  task?: string;
}
export type EndStatus = 'ok' | 'invalid' | 'failed' | 'stopped';
export interface EndEvent { type: 'end'; t: number; status: EndStatus; message?: string }
/** The run's control state changed: paused / running (after pause, resume, a step, a speed change). */
export interface ControlEvent { type: 'control'; t: number; state: 'paused' | 'running'; speed: number }
/** aio_export_python's result (only in `exported` replies, never in a run). */
export interface PythonEvent { type: 'python'; t: number; text: string }

// Async generators (for_each over a task with yield steps) and executor jobs (run_in_executor /
// to_thread), reported from the task that iterates the generator or awaits the job.
export type GeneratorState = 'created' | 'yielded' | 'exhausted' | 'closing' | 'closed' | 'failed';
export const GENERATOR_STATES: readonly GeneratorState[] = ['created', 'yielded', 'exhausted', 'closing', 'closed', 'failed'];
export interface GeneratorEvent {
  type: 'generator';
  t: number;
  task: string;
  gen: string;
  state: GeneratorState;
  value?: unknown; // yielded
  why?: string; // closing: break | return | an exception
  error?: string; // failed
}
export type ExecutorState = 'started' | 'done' | 'abandoned';
export const EXECUTOR_STATES: readonly ExecutorState[] = ['started', 'done', 'abandoned'];
export interface ExecutorEvent {
  type: 'executor';
  t: number;
  task: string;
  job: string;
  state: ExecutorState;
  duration?: number; // started: ms the job takes
  result?: unknown; // done, when not null
  discarded?: boolean; // done after its awaiting task was cancelled
}

export type EngineEvent = PrintEvent | TaskEvent | DiagnosticEvent | EndEvent | ControlEvent | GeneratorEvent | ExecutorEvent;

// ---- page → worker -------------------------------------------------------

export type Clock = 'virtual' | 'real';
export interface RunOptions {
  clock: Clock;
  /** Real clock speed factor, 0.1–10. */
  speed: number;
  /** Start paused (to step from the first iteration). */
  paused?: boolean;
  /** Longest a loop pass may run in wall time before the engine stops the run (ms). */
  watchdogMs?: number;
  maxEvents?: number;
  maxTasks?: number;
}

export interface RunRequest {
  v: typeof PROTOCOL_VERSION;
  type: 'run';
  runId: number;
  scenarioJson: string;
  options: RunOptions;
}

export type ControlAction = 'pause' | 'resume' | 'step' | 'stepEvent' | 'stop' | 'speed' | 'cancel';
export const CONTROL_ACTIONS: readonly ControlAction[] = ['pause', 'resume', 'step', 'stepEvent', 'stop', 'speed', 'cancel'];
/** A control for the run in flight; `taskId` for cancel, `speed` for speed. Ignored for another runId. */
export interface ControlRequest {
  v: typeof PROTOCOL_VERSION;
  type: 'control';
  runId: number;
  action: ControlAction;
  taskId?: number;
  speed?: number;
}
/** Export a scenario as Python (aio_export_python, on an instance of its own). */
export interface ExportRequest { v: typeof PROTOCOL_VERSION; type: 'export'; requestId: number; scenarioJson: string }
export type ToWorker = RunRequest | ControlRequest | ExportRequest;

// ---- worker → page -------------------------------------------------------

/** The engine module loaded and the worker accepts runs. */
export interface ReadyMessage { v: typeof PROTOCOL_VERSION; type: 'ready' }
/**
 * A batch of engine events, in order (at most one batch per ~16 ms), as the
 * engine's JSONL text: one string clones far faster than a million objects,
 * and the page parses it in one JSON.parse (decodeEvents validates each event).
 */
export interface EventsMessage {
  v: typeof PROTOCOL_VERSION;
  type: 'events';
  runId: number;
  jsonl: string;
  /** Prints and task changes the worker left out since the last batch (past its cap; see worker/thinning.ts). */
  dropped?: number;
}
/** aio_run returned: 0 ok, 1 invalid scenario, 2 failed/stopped run. Sent after the last batch. */
export interface FinishedMessage { v: typeof PROTOCOL_VERSION; type: 'finished'; runId: number; code: number; wallMs: number }
/** The module failed to load, or the run threw (runId null when no run was active). */
export interface ErrorMessage { v: typeof PROTOCOL_VERSION; type: 'error'; runId: number | null; message: string }
/** Sent every second while a run is in flight and the worker's thread is free (the engine is parked). */
export interface HeartbeatMessage { v: typeof PROTOCOL_VERSION; type: 'heartbeat'; runId: number }
/** Reply to an export: `python` is the program, or null when the scenario is invalid. */
export interface ExportedMessage {
  v: typeof PROTOCOL_VERSION;
  type: 'exported';
  requestId: number;
  python: string | null;
  diagnostics: DiagnosticEvent[];
}
export type FromWorker = ReadyMessage | EventsMessage | FinishedMessage | ErrorMessage | HeartbeatMessage | ExportedMessage;

// ---- validation ------------------------------------------------------------

export type Validated<T> = { ok: true; value: T } | { ok: false; error: string };

type Obj = Record<string, unknown>;
const isObj = (x: unknown): x is Obj => typeof x === 'object' && x !== null && !Array.isArray(x);
const isNum = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
const isStr = (x: unknown): x is string => typeof x === 'string';
const isOptNum = (x: unknown): boolean => x === undefined || isNum(x);
const fail = <T>(error: string): Validated<T> => ({ ok: false, error });
const pass = <T>(value: T): Validated<T> => ({ ok: true, value });

/** Check one engine event. Unknown `type`s are rejected (callers may skip them). */
export function validateEngineEvent(x: unknown): Validated<EngineEvent> {
  if (!isObj(x)) return fail('event is not an object');
  if (!isNum(x.t)) return fail('event has no numeric t');
  switch (x.type) {
    case 'print':
      if (!isStr(x.task) || !isStr(x.text)) return fail('print needs task and text');
      return pass(x as unknown as PrintEvent);
    case 'task':
      if (!isStr(x.task) || !isNum(x.id)) return fail('task event needs task and id');
      if (!TASK_STATES.includes(x.state as TaskState)) return fail(`unknown task state ${String(x.state)}`);
      return pass(x as unknown as TaskEvent);
    case 'diagnostic':
      if (x.severity !== 'error' && x.severity !== 'warning') return fail('diagnostic needs severity');
      if (!isStr(x.message)) return fail('diagnostic needs message');
      return pass({ ...(x as unknown as DiagnosticEvent), pointer: isStr(x.pointer) ? x.pointer : '' });
    case 'end':
      if (x.status !== 'ok' && x.status !== 'invalid' && x.status !== 'failed' && x.status !== 'stopped') return fail('end needs status');
      return pass(x as unknown as EndEvent);
    case 'control':
      if ((x.state !== 'paused' && x.state !== 'running') || !isNum(x.speed)) return fail('control needs state and speed');
      return pass(x as unknown as ControlEvent);
    case 'generator':
      if (!isStr(x.task) || !isStr(x.gen)) return fail('generator event needs task and gen');
      if (!GENERATOR_STATES.includes(x.state as GeneratorState)) return fail(`unknown generator state ${String(x.state)}`);
      return pass(x as unknown as GeneratorEvent);
    case 'executor':
      if (!isStr(x.task) || !isStr(x.job)) return fail('executor event needs task and job');
      if (!EXECUTOR_STATES.includes(x.state as ExecutorState)) return fail(`unknown executor state ${String(x.state)}`);
      return pass(x as unknown as ExecutorEvent);
    default:
      return fail(`unknown event type ${String(x.type)}`);
  }
}

function checkVersion(x: Obj): string | null {
  if (x.v !== PROTOCOL_VERSION) return `protocol version ${String(x.v)}, expected ${PROTOCOL_VERSION}`;
  return null;
}

function validateOptions(o: unknown): string | null {
  if (!isObj(o) || (o.clock !== 'virtual' && o.clock !== 'real') || !isNum(o.speed) || o.speed <= 0) {
    return 'run needs options {clock: virtual|real, speed > 0}';
  }
  if (o.paused !== undefined && typeof o.paused !== 'boolean') return 'options.paused must be a boolean';
  for (const k of ['watchdogMs', 'maxEvents', 'maxTasks'] as const) {
    if (!isOptNum(o[k]) || (isNum(o[k]) && (o[k] as number) < 0)) return `options.${k} must be a number >= 0`;
  }
  return null;
}

/** Validate a message received by the worker. */
export function validateToWorker(x: unknown): Validated<ToWorker> {
  if (!isObj(x)) return fail('message is not an object');
  const bad = checkVersion(x);
  if (bad) return fail(bad);
  switch (x.type) {
    case 'run': {
      if (!isNum(x.runId) || !isStr(x.scenarioJson)) return fail('run needs runId and scenarioJson');
      const o = validateOptions(x.options);
      if (o) return fail(o);
      return pass(x as unknown as RunRequest);
    }
    case 'control':
      if (!isNum(x.runId) || !CONTROL_ACTIONS.includes(x.action as ControlAction)) return fail('control needs runId and a known action');
      if (x.action === 'cancel' && !isNum(x.taskId)) return fail('cancel needs taskId');
      if (x.action === 'speed' && !(isNum(x.speed) && x.speed > 0)) return fail('speed needs speed > 0');
      return pass(x as unknown as ControlRequest);
    case 'export':
      if (!isNum(x.requestId) || !isStr(x.scenarioJson)) return fail('export needs requestId and scenarioJson');
      return pass(x as unknown as ExportRequest);
    default:
      return fail(`unknown message type ${String(x.type)}`);
  }
}

/** Validate a message received by the page. Events inside a batch are checked too. */
export function validateFromWorker(x: unknown): Validated<FromWorker> {
  if (!isObj(x)) return fail('message is not an object');
  const bad = checkVersion(x);
  if (bad) return fail(bad);
  switch (x.type) {
    case 'ready':
      return pass(x as unknown as ReadyMessage);
    case 'events':
      if (!isNum(x.runId) || !isStr(x.jsonl) || !isOptNum(x.dropped)) return fail('events needs runId, jsonl and an optional dropped count');
      return pass(x as unknown as EventsMessage);
    case 'finished':
      if (!isNum(x.runId) || !isNum(x.code) || !isNum(x.wallMs)) return fail('finished needs runId, code, wallMs');
      return pass(x as unknown as FinishedMessage);
    case 'error':
      if (!(x.runId === null || isNum(x.runId)) || !isStr(x.message)) return fail('error needs runId and message');
      return pass(x as unknown as ErrorMessage);
    case 'heartbeat':
      if (!isNum(x.runId)) return fail('heartbeat needs runId');
      return pass(x as unknown as HeartbeatMessage);
    case 'exported':
      if (!isNum(x.requestId) || !(x.python === null || isStr(x.python)) || !Array.isArray(x.diagnostics)) {
        return fail('exported needs requestId, python and diagnostics[]');
      }
      return pass(x as unknown as ExportedMessage);
    default:
      return fail(`unknown message type ${String(x.type)}`);
  }
}

/**
 * The events of a batch: JSONL → validated events. Lines that are not JSON or
 * not a known event are skipped and counted (`skipped`), never thrown.
 */
export function decodeEvents(jsonl: string): { events: EngineEvent[]; skipped: string[] } {
  const events: EngineEvent[] = [];
  const skipped: string[] = [];
  const text = jsonl.trim();
  if (text === '') return { events, skipped };
  let parsed: unknown[] | null = null;
  try {
    parsed = JSON.parse('[' + text.replace(/\n+/g, ',') + ']') as unknown[];
  } catch {
    parsed = null; // some line is broken: go line by line
  }
  const check = (x: unknown, raw: () => string) => {
    const r = validateEngineEvent(x);
    if (r.ok) events.push(r.value);
    else skipped.push(`${r.error}: ${raw()}`);
  };
  if (parsed) {
    for (const x of parsed) check(x, () => JSON.stringify(x));
    return { events, skipped };
  }
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      check(JSON.parse(line), () => line);
    } catch {
      skipped.push(`not JSON: ${line}`);
    }
  }
  return { events, skipped };
}

export function runRequest(runId: number, scenarioJson: string, options: RunOptions): RunRequest {
  return { v: PROTOCOL_VERSION, type: 'run', runId, scenarioJson, options };
}

export function controlRequest(runId: number, action: ControlAction, extra: { taskId?: number; speed?: number } = {}): ControlRequest {
  return { v: PROTOCOL_VERSION, type: 'control', runId, action, ...extra };
}

export function exportRequest(requestId: number, scenarioJson: string): ExportRequest {
  return { v: PROTOCOL_VERSION, type: 'export', requestId, scenarioJson };
}

/** Control actions as the engine's `Module.aioControl` op codes (engine/bindings/control.hpp). */
export const CONTROL_OPS: Record<ControlAction, number> = { pause: 1, resume: 2, step: 3, stepEvent: 4, stop: 5, cancel: 6, speed: 7 };
