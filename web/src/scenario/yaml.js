// @ts-check
// YAML scenario text → JSON text for the engine, plus a map from every JSON
// pointer in the document to its line:column, so that an engine diagnostic's
// `pointer` can be shown at a line of the source.
//
// Plain JavaScript with JSDoc types on purpose: the page (through Vite) and the
// CLI (through plain node) import this one file, so there is one
// implementation. `tsc -p web` type-checks it (allowJs + checkJs).

import { LineCounter, parseDocument, isMap, isSeq, isPair, isScalar } from 'yaml';

/** @typedef {{ line: number, col: number }} Position   1-based line and column */

/**
 * @typedef {object} YamlProblem
 * @property {string} message
 * @property {number} line  1-based
 * @property {number} col   1-based
 */

/**
 * @typedef {object} ConvertOk
 * @property {true} ok
 * @property {unknown} value           the document as plain JS
 * @property {string} json             JSON.stringify(value)
 * @property {Map<string, Position>} positions  JSON pointer → where it starts
 * @property {YamlProblem[]} warnings
 */

/**
 * @typedef {object} ConvertError
 * @property {false} ok
 * @property {YamlProblem[]} errors    syntax errors, each with line:column
 */

/** @typedef {ConvertOk | ConvertError} ConvertResult */

/**
 * Escape one reference token for a JSON pointer (RFC 6901).
 * @param {string | number} token
 */
export function escapePointerToken(token) {
  return String(token).replace(/~/g, '~0').replace(/\//g, '~1');
}

/**
 * Split a JSON pointer into its unescaped tokens. "" → [].
 * @param {string} pointer
 * @returns {string[]}
 */
export function splitPointer(pointer) {
  if (pointer === '' || pointer === undefined || pointer === null) return [];
  const body = pointer.startsWith('/') ? pointer.slice(1) : pointer;
  return body.split('/').map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/**
 * @param {LineCounter} counter
 * @param {number} offset
 * @returns {Position}
 */
function positionAt(counter, offset) {
  const p = counter.linePos(offset);
  return { line: p.line, col: p.col };
}

/**
 * Scalar keys become strings the way `toJS` turns them into object keys.
 * @param {unknown} key
 */
function keyToken(key) {
  if (isScalar(key)) return String(key.value);
  return String(key);
}

/**
 * Walk the YAML AST and record where each JSON pointer starts. A mapping
 * entry points at its key (so `/tasks/main/steps/2/sleep` lands on the
 * `sleep:` line); a sequence item points at the item itself.
 * @param {unknown} node
 * @param {string} pointer
 * @param {LineCounter} counter
 * @param {Map<string, Position>} out
 */
function walk(node, pointer, counter, out) {
  if (isMap(node)) {
    for (const item of node.items) {
      if (!isPair(item)) continue;
      const child = pointer + '/' + escapePointerToken(keyToken(item.key));
      const keyNode = /** @type {{ range?: number[] } | null} */ (item.key);
      const valueNode = /** @type {{ range?: number[] } | null} */ (item.value);
      const start = keyNode?.range?.[0] ?? valueNode?.range?.[0];
      if (start !== undefined && !out.has(child)) out.set(child, positionAt(counter, start));
      walk(item.value, child, counter, out);
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, index) => {
      const child = pointer + '/' + index;
      const range = /** @type {{ range?: number[] } | null} */ (item)?.range;
      if (range) out.set(child, positionAt(counter, range[0]));
      walk(item, child, counter, out);
    });
  }
}

/**
 * Parse YAML scenario text.
 * @param {string} text
 * @returns {ConvertResult}
 */
export function yamlToJson(text) {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: true, uniqueKeys: true });
  /** @param {import('yaml').YAMLError} e */
  const problem = (e) => {
    const at = e.linePos?.[0] ?? positionAt(counter, e.pos?.[0] ?? 0);
    // yaml's messages end with a code excerpt after a blank line; keep the first line.
    const message = String(e.message).split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
    return { message, line: at.line, col: at.col };
  };
  if (doc.errors.length > 0) return { ok: false, errors: doc.errors.map(problem) };

  let value;
  try {
    value = doc.toJS({ maxAliasCount: 1000 });
  } catch (e) {
    return { ok: false, errors: [{ message: String(/** @type {Error} */ (e).message ?? e), line: 1, col: 1 }] };
  }
  if (value === undefined) value = null;
  /** @type {Map<string, Position>} */
  const positions = new Map();
  const rootStart = /** @type {{ range?: number[] } | null} */ (doc.contents)?.range?.[0] ?? 0;
  positions.set('', positionAt(counter, rootStart));
  walk(doc.contents, '', counter, positions);
  return { ok: true, value, json: JSON.stringify(value), positions, warnings: doc.warnings.map(problem) };
}

/**
 * Where a JSON pointer is in the source. Falls back to the longest prefix
 * that exists (a diagnostic may name a field that is missing), then to 1:1.
 * @param {Map<string, Position>} positions
 * @param {string | undefined | null} pointer
 * @returns {Position}
 */
export function pointerPosition(positions, pointer) {
  const tokens = splitPointer(pointer ?? '');
  for (let n = tokens.length; n >= 0; n--) {
    const p = tokens.slice(0, n).map(escapePointerToken).map((t) => '/' + t).join('');
    const hit = positions.get(p);
    if (hit) return hit;
  }
  return { line: 1, col: 1 };
}
