// The engine's wake-up and control queue, for the worker's own code (control
// messages here, fetch completions in fetch.ts). The engine's top-level loop
// parks with Asyncify on one promise (engine/src/platform/wasm/park.c) that
// resolves at the next timer deadline or when wake() is called; when it wakes
// it drains `aioControl` (engine/bindings/control.cpp) and any other queue its
// bindings read. Never wake it through setTimeout(0): resolve directly.

export interface ControlEntry {
  op: number;
  arg?: number;
}

/** The fields of the Emscripten module the park and the control queue use. */
export interface ParkableModule {
  aioWake?: (() => void) | null;
  aioWakePending?: boolean;
  aioControl?: ControlEntry[];
}

let current: ParkableModule | null = null;

/** The module whose run is in flight (null between runs). */
export function setRunningModule(m: ParkableModule | null): void {
  current = m;
  if (m) m.aioControl = [];
}

export function runningModule(): ParkableModule | null {
  return current;
}

/**
 * Make the parked loop wake up now (or, if it is not parked, return from its
 * next park at once). Call after pushing work the loop must see.
 */
export function wake(m: ParkableModule | null = current): void {
  if (!m) return;
  if (m.aioWake) m.aioWake();
  else m.aioWakePending = true;
}

/** Queue a control command for the running engine and wake it. False if no run is in flight. */
export function pushControl(op: number, arg = 0): boolean {
  if (!current) return false;
  (current.aioControl ??= []).push({ op, arg });
  wake(current);
  return true;
}
