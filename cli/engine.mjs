// The WASM engine under node: load build/wasm/aio-engine-node.{cjs,wasm} and call its exports
// (docs/engine-abi.md). Events arrive as JSONL through onAioEvents and are parsed here.

import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = join(dirname(fileURLToPath(import.meta.url)), '..');
export const ENGINE_DIR = process.env.AIO_ENGINE_DIR ?? join(REPO, 'build/wasm');

/**
 * A fresh engine instance whose events go to `onEvent` one parsed object at a time
 * (`onBadLine` gets a line that is not JSON).
 * @param {(event: Record<string, any>) => void} onEvent
 * @param {(line: string) => void} [onBadLine]
 */
export async function loadEngine(onEvent, onBadLine = () => {}) {
  const glue = join(ENGINE_DIR, 'aio-engine-node.cjs');
  const wasm = join(ENGINE_DIR, 'aio-engine-node.wasm');
  if (!existsSync(glue) || !existsSync(wasm)) {
    throw new Error(`engine not built: ${relative(process.cwd(), glue)} is missing (run scripts/build.sh)`);
  }
  const require = createRequire(import.meta.url);
  const exported = require(glue);
  const createAioEngine = typeof exported === 'function' ? exported : (exported.default ?? exported.createAioEngine);
  const onAioEvents = (jsonl) => {
    for (const raw of jsonl.split('\n')) {
      if (raw.trim() === '') continue;
      let e;
      try {
        e = JSON.parse(raw);
      } catch {
        onBadLine(raw);
        continue;
      }
      onEvent(e);
    }
  };
  const M = await createAioEngine({ onAioEvents, wasmBinary: readFileSync(wasm) });
  return {
    /** aio_run: 0 ok, 1 invalid, 2 failed. */
    run: (json, options) => M.ccall('aio_run', 'number', ['string', 'string'], [json, JSON.stringify(options)], { async: true }),
    /** aio_validate: 0 valid, 1 invalid. */
    validate: (json) => M.ccall('aio_validate', 'number', ['string'], [json]),
    /** aio_export_python: 0 exported (a `python` event), 1 invalid. */
    exportPython: (json) => M.ccall('aio_export_python', 'number', ['string'], [json]),
  };
}
