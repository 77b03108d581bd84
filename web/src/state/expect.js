// @ts-check
// A scenario's `expect:` lines checked against the prints of a run: the one implementation,
// used by the page (a pass/fail report after each run) and by the CLI (`aio-play run --check`).
//
//   expect:
//     - "[   500ms] consumer: got 3"   a print of exactly this text at loop time 500 ms
//     - "all done"                     a print of exactly this text, at any time
//
// The lines are matched in order against the prints (other prints may come in between), each
// one after the print the previous line matched. The timestamp is the `--format prints` form,
// `[{ms:>6}ms] text` (the spaces inside the brackets do not matter). Under the real clock a
// timestamp matches within REAL_CLOCK_SLACK.

/**
 * @typedef {object} Print          a print event of a run
 * @property {number} t             loop time, ms
 * @property {string} text
 * @property {string} [task]
 *
 * @typedef {object} ExpectLine     one `expect:` line, parsed
 * @property {number | null} t      the time it requires, or null for any
 * @property {string} text
 *
 * @typedef {object} LineResult
 * @property {number} index         position in `expect:`
 * @property {string} expected      the line as written
 * @property {boolean} ok
 * @property {Print & { index: number }} [matched]   the print it matched (index among prints)
 * @property {string} [reason]      why it did not match
 *
 * @typedef {object} ExpectReport
 * @property {boolean} ok
 * @property {number} passed
 * @property {number} failed
 * @property {LineResult[]} lines
 */

/** Slack for timestamps under the real clock: max(50 ms, 5% of the expected time). */
export const REAL_CLOCK_SLACK = { ms: 50, fraction: 0.05 };

/**
 * A number as the engine prints it (to_display in engine/scenario/expr.cpp): whole numbers
 * without a decimal point, others in the shortest %g form that reads back the same.
 * @param {number} x
 */
export function displayNumber(x) {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (Number.isInteger(x) && Math.abs(x) < 1e15) return Object.is(x, -0) ? '0' : x.toFixed(0);
  for (let p = 1; p <= 17; p++) {
    const text = formatG(x, p);
    if (Number(text) === x) return text;
  }
  return String(x);
}

/** C's %.{p}g. @param {number} x @param {number} p */
function formatG(x, p) {
  const [mant, exp] = x.toExponential(p - 1).split('e');
  const e = Number(exp);
  const strip = (/** @type {string} */ s) => (s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s);
  if (e < -4 || e >= p) return strip(mant) + 'e' + (e < 0 ? '-' : '+') + String(Math.abs(e)).padStart(2, '0');
  return strip(x.toFixed(Math.max(0, p - 1 - e)));
}

/**
 * A print as `--format prints` and the exported Python write it: `[  1500ms] text`.
 * @param {number} t
 * @param {string} text
 */
export function formatPrintLine(t, text) {
  return '[' + displayNumber(t).padStart(6) + 'ms] ' + text;
}

const STAMP = /^\[([^\]]*)ms\](?: |$)/;

/**
 * Parse one `expect:` line. A line that starts with `[...ms]` requires that time; anything
 * else (even `[1, 2]`, a printed list) is text to match at any time.
 * @param {string} line
 * @returns {ExpectLine | { error: string }}
 */
export function parseExpectLine(line) {
  const m = STAMP.exec(line);
  if (!m) return { t: null, text: line };
  const num = m[1].trim();
  const t = Number(num);
  if (num === '' || !Number.isFinite(t) || t < 0) {
    return { error: `'[${m[1]}ms]' is not a time: write it like "[  1500ms] text" (or leave the [..ms] out to match at any time)` };
  }
  return { t, text: line.slice(m[0].length) };
}

/**
 * The `expect:` lines of a scenario document (the parsed YAML/JSON), with the problems of
 * lines that cannot be checked (each with its JSON pointer). null when there is no `expect:`.
 * @param {unknown} doc
 * @returns {{ lines: string[], problems: { pointer: string, message: string }[] } | null}
 */
export function expectOf(doc) {
  if (!doc || typeof doc !== 'object' || !('expect' in doc)) return null;
  const raw = /** @type {{ expect: unknown }} */ (doc).expect;
  if (!Array.isArray(raw)) return { lines: [], problems: [{ pointer: '/expect', message: 'expect is a list of expected print lines, e.g. - "[   500ms] done"' }] };
  /** @type {string[]} */
  const lines = [];
  const problems = [];
  for (let i = 0; i < raw.length; i++) {
    const v = raw[i];
    if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') {
      problems.push({ pointer: `/expect/${i}`, message: 'an expected line is text, not a list or a map (quote it)' });
      continue;
    }
    const line = String(v);
    const parsed = parseExpectLine(line);
    if ('error' in parsed) problems.push({ pointer: `/expect/${i}`, message: parsed.error });
    lines.push(line);
  }
  return { lines, problems };
}

/**
 * Check the expected lines against a run's prints, in order.
 * @param {string[]} expected
 * @param {Print[]} prints
 * @param {{ realClock?: boolean }} [options]
 * @returns {ExpectReport}
 */
export function checkExpect(expected, prints, options = {}) {
  /** @param {number} want */
  const slack = (want) => (options.realClock ? Math.max(REAL_CLOCK_SLACK.ms, want * REAL_CLOCK_SLACK.fraction) : 1e-6);
  /** @param {ExpectLine} e @param {Print} p */
  const timeOk = (e, p) => e.t === null || Math.abs(p.t - e.t) <= slack(e.t);
  /** @type {LineResult[]} */
  const lines = [];
  let cursor = 0;
  expected.forEach((line, index) => {
    const e = parseExpectLine(line);
    if ('error' in e) {
      lines.push({ index, expected: line, ok: false, reason: e.error });
      return;
    }
    for (let i = cursor; i < prints.length; i++) {
      if (prints[i].text === e.text && timeOk(e, prints[i])) {
        lines.push({ index, expected: line, ok: true, matched: { ...prints[i], index: i } });
        cursor = i + 1;
        return;
      }
    }
    lines.push({ index, expected: line, ok: false, reason: whyNot(e, prints, cursor) });
  });
  const passed = lines.filter((l) => l.ok).length;
  return { ok: passed === lines.length, passed, failed: lines.length - passed, lines };
}

/**
 * A learner-friendly reason for a line that matched nothing after `cursor`.
 * @param {ExpectLine} e @param {Print[]} prints @param {number} cursor
 */
function whyNot(e, prints, cursor) {
  const at = (/** @type {number} */ t) => displayNumber(t) + ' ms';
  const later = prints.slice(cursor).find((p) => p.text === e.text);
  if (later && e.t !== null) return `printed at ${at(later.t)}, not at ${at(e.t)}`;
  let earlier = null;
  for (let i = cursor - 1; i >= 0 && !earlier; i--) if (prints[i].text === e.text) earlier = prints[i];
  if (earlier) return `printed at ${at(earlier.t)}, but before the print the line above matched: check the order`;
  const sameTime = e.t === null ? undefined : prints.slice(cursor).find((p) => Math.abs(p.t - /** @type {number} */ (e.t)) < 1e-6);
  if (sameTime) return `not printed; at ${at(sameTime.t)} the run printed "${sameTime.text}"`;
  return prints.length === 0 ? 'not printed: the run printed nothing' : 'never printed';
}

/**
 * The report as text lines: a summary, then one line per expected line (✓ or ✗, and why).
 * @param {ExpectReport} report
 * @returns {{ ok: boolean | null, text: string }[]}  ok null: the summary line
 */
export function reportLines(report) {
  const total = report.lines.length;
  const head = report.ok ? `expect: all ${total} line${total === 1 ? '' : 's'} passed` : `expect: ${report.failed} of ${total} line${total === 1 ? '' : 's'} failed`;
  return [
    { ok: null, text: head },
    ...report.lines.map((l) => ({ ok: l.ok, text: `${l.ok ? '✓' : '✗'} ${l.expected}${l.ok ? '' : `  — ${l.reason}`}` })),
  ];
}
