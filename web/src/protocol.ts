// Every message between the page and the engine worker, both directions, and
// the engine's wire events they carry (docs/engine-abi.md). Each side
// validates what it receives exactly once, with the functions at the bottom.
// This file must compile without the DOM lib (web/src/worker/tsconfig.json).

export const PROTOCOL_VERSION = 1;

// ---- engine wire events (one JSON object per JSONL line) ----------------

export type TaskState = 'created' | 'started' | 'suspended' | 'resumed' | 'done' | 'failed' | 'cancelled';
export const TASK_STATES: readonly TaskState[] = ['created', 'started', 'suspended', 'resumed', 'done', 'failed', 'cancelled'];

export interface PrintEvent { type: 'print'; t: number; task: string; text: string }
export interface TaskEvent {
  type: 'task';
  t: number;
  task: string;
  id: number;
  state: TaskState;
  by?: string | null; // created
  on?: string; // suspended: what it waits for
  result?: unknown; // done
  error?: string; // failed
  message?: string; // cancelled
}
export interface DiagnosticEvent {
  type: 'diagnostic';
  t: number;
  severity: 'error' | 'warning';
  message: string;
  pointer: string;
}
export type EndStatus = 'ok' | 'invalid' | 'failed';
export interface EndEvent { type: 'end'; t: number; status: EndStatus; message?: string }

export type EngineEvent = PrintEvent | TaskEvent | DiagnosticEvent | EndEvent;

// ---- page → worker -------------------------------------------------------

export type Clock = 'virtual' | 'real';
export interface RunOptions { clock: Clock; speed: number }

export interface RunRequest {
  v: typeof PROTOCOL_VERSION;
  type: 'run';
  runId: number;
  scenarioJson: string;
  options: RunOptions;
}
export type ToWorker = RunRequest;

// ---- worker → page -------------------------------------------------------

/** The engine module loaded and the worker accepts runs. */
export interface ReadyMessage { v: typeof PROTOCOL_VERSION; type: 'ready' }
/** A batch of engine events, in order (at most one batch per ~16 ms). */
export interface EventsMessage { v: typeof PROTOCOL_VERSION; type: 'events'; runId: number; events: EngineEvent[] }
/** aio_run returned: 0 ok, 1 invalid scenario, 2 failed run. Sent after the last batch. */
export interface FinishedMessage { v: typeof PROTOCOL_VERSION; type: 'finished'; runId: number; code: number; wallMs: number }
/** The module failed to load, or the run threw (runId null when no run was active). */
export interface ErrorMessage { v: typeof PROTOCOL_VERSION; type: 'error'; runId: number | null; message: string }
export type FromWorker = ReadyMessage | EventsMessage | FinishedMessage | ErrorMessage;

// ---- validation ------------------------------------------------------------

export type Validated<T> = { ok: true; value: T } | { ok: false; error: string };

type Obj = Record<string, unknown>;
const isObj = (x: unknown): x is Obj => typeof x === 'object' && x !== null && !Array.isArray(x);
const isNum = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
const isStr = (x: unknown): x is string => typeof x === 'string';
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
      if (x.status !== 'ok' && x.status !== 'invalid' && x.status !== 'failed') return fail('end needs status');
      return pass(x as unknown as EndEvent);
    default:
      return fail(`unknown event type ${String(x.type)}`);
  }
}

function checkVersion(x: Obj): string | null {
  if (x.v !== PROTOCOL_VERSION) return `protocol version ${String(x.v)}, expected ${PROTOCOL_VERSION}`;
  return null;
}

/** Validate a message received by the worker. */
export function validateToWorker(x: unknown): Validated<ToWorker> {
  if (!isObj(x)) return fail('message is not an object');
  const bad = checkVersion(x);
  if (bad) return fail(bad);
  if (x.type !== 'run') return fail(`unknown message type ${String(x.type)}`);
  if (!isNum(x.runId) || !isStr(x.scenarioJson)) return fail('run needs runId and scenarioJson');
  const o = x.options;
  if (!isObj(o) || (o.clock !== 'virtual' && o.clock !== 'real') || !isNum(o.speed) || o.speed <= 0) {
    return fail('run needs options {clock: virtual|real, speed > 0}');
  }
  return pass(x as unknown as RunRequest);
}

/** Validate a message received by the page. Events inside a batch are checked too. */
export function validateFromWorker(x: unknown): Validated<FromWorker> {
  if (!isObj(x)) return fail('message is not an object');
  const bad = checkVersion(x);
  if (bad) return fail(bad);
  switch (x.type) {
    case 'ready':
      return pass(x as unknown as ReadyMessage);
    case 'events': {
      if (!isNum(x.runId) || !Array.isArray(x.events)) return fail('events needs runId and events[]');
      for (const e of x.events) {
        const r = validateEngineEvent(e);
        if (!r.ok) return fail(`bad event: ${r.error}`);
      }
      return pass(x as unknown as EventsMessage);
    }
    case 'finished':
      if (!isNum(x.runId) || !isNum(x.code) || !isNum(x.wallMs)) return fail('finished needs runId, code, wallMs');
      return pass(x as unknown as FinishedMessage);
    case 'error':
      if (!(x.runId === null || isNum(x.runId)) || !isStr(x.message)) return fail('error needs runId and message');
      return pass(x as unknown as ErrorMessage);
    default:
      return fail(`unknown message type ${String(x.type)}`);
  }
}

export function runRequest(runId: number, scenarioJson: string, options: RunOptions): RunRequest {
  return { v: PROTOCOL_VERSION, type: 'run', runId, scenarioJson, options };
}
