// The trace pane: xterm.js plus the fit addon. Renders TraceLines with the
// shared formatter (state/trace-line.js), so the page and the CLI print the
// same text. Owns its DOM; refits whenever its box changes size.
//
// A run may emit a million lines: the pane renders the first RENDER_CAP lines
// of a run, then only a counter line ("… N more lines") that it rewrites in
// place, and when the run ends (endRun) a summary of what was left out and the
// last TAIL lines.

import { Terminal } from '@xterm/xterm';
import { FitAddon } from '@xterm/addon-fit';
import '@xterm/xterm/css/xterm.css';
import { formatAnsi, type TraceLine } from '../state/trace-line.js';

export const RENDER_CAP = 2000;
const WRITE_CHUNK = 100;
const COUNTER_MS = 250;
export const TAIL = 100;

export class TracePane {
  private readonly term: Terminal;
  private readonly fit = new FitAddon();
  private shown = 0;
  private dropped = 0;
  private tail: TraceLine[] = [];
  private counterAt = -Infinity;

  constructor(host: HTMLElement) {
    this.term = new Terminal({
      convertEol: true,
      disableStdin: true,
      cursorBlink: false,
      cursorStyle: 'bar',
      cursorInactiveStyle: 'none',
      scrollback: 20000,
      fontSize: 13,
      lineHeight: 1.2,
      fontFamily: "'JetBrains Mono', 'DejaVu Sans Mono', Menlo, Consolas, monospace",
      theme: {
        background: '#0f1117',
        foreground: '#d7dce6',
        cursor: '#0f1117',
        selectionBackground: '#2c3550',
      },
    });
    this.term.loadAddon(this.fit);
    this.term.open(host);
    new ResizeObserver(() => this.refit()).observe(host);
    this.refit();
  }

  private refit(): void {
    try {
      this.fit.fit();
    } catch {
      // Host not laid out yet (zero size); the next resize will fit.
    }
  }

  write(lines: TraceLine[]): void {
    if (lines.length === 0) return;
    let out = '';
    for (const l of lines) {
      if (this.dropped === 0 && this.shown < RENDER_CAP) {
        out += formatAnsi(l) + '\r\n';
        // xterm parses each write() in one go: small writes let it yield between them.
        if (++this.shown % WRITE_CHUNK === 0) {
          this.term.write(out);
          out = '';
        }
        continue;
      }
      this.dropped++;
      this.tail.push(l);
      if (this.tail.length > 4 * TAIL) this.tail.splice(0, this.tail.length - TAIL);
    }
    if (this.dropped > 0) out += this.counter();
    if (out !== '') this.term.write(out);
  }

  /** The counter line, rewritten in place at most every COUNTER_MS (each rewrite is a repaint). */
  private counter(): string {
    const now = performance.now();
    if (now - this.counterAt < COUNTER_MS) return '';
    this.counterAt = now;
    return `\r\x1b[2K\x1b[38;2;255;200;90m… ${this.dropped.toLocaleString('en')} more lines (the last ${TAIL} are shown when the run ends)\x1b[0m`;
  }

  /** Lines the worker left out (never sent): counted like lines past the cap. */
  noteDropped(n: number): void {
    if (n <= 0) return;
    if (this.dropped === 0) this.shown = RENDER_CAP; // from now on only count
    this.dropped += n;
    const c = this.counter();
    if (c !== '') this.term.write(c);
  }

  /** The run is over: summarise the lines left out and show the last ones. */
  endRun(): void {
    if (this.dropped === 0) return;
    const tail = this.tail.slice(-TAIL);
    const skipped = this.dropped - tail.length;
    let out = '\r\x1b[2K';
    if (skipped > 0) out += `\x1b[38;2;255;200;90m… ${skipped.toLocaleString('en')} lines not shown (${(this.shown + this.dropped).toLocaleString('en')} in all) …\x1b[0m\r\n`;
    out += tail.map((l) => formatAnsi(l) + '\r\n').join('');
    this.term.write(out);
    this.dropped = 0;
    this.tail = [];
    this.shown = 0; // notes after the run are written as usual
  }

  /** Lines of this run left out so far. */
  get droppedLines(): number {
    return this.dropped;
  }

  /** A dim rule with a caption, written before each run. */
  banner(caption: string): void {
    this.term.write(`\x1b[38;2;90;98;118m── ${caption} ${'─'.repeat(Math.max(0, 48 - caption.length))}\x1b[0m\r\n`);
  }

  clear(): void {
    this.term.reset();
    this.shown = 0;
    this.dropped = 0;
    this.tail = [];
    this.counterAt = -Infinity;
  }

  /** Everything in the buffer as plain text (what a reader sees), trailing blank lines trimmed. */
  text(): Promise<string> {
    // Writes are applied asynchronously: wait for them before reading.
    return new Promise((resolve) => {
      this.term.write('', () => {
        const buf = this.term.buffer.active;
        const rows: string[] = [];
        for (let i = 0; i < buf.length; i++) {
          const line = buf.getLine(i);
          const text = line?.translateToString(true) ?? '';
          // A long line wrapped by the terminal continues the previous row.
          if (line?.isWrapped && rows.length > 0) rows[rows.length - 1] += text;
          else rows.push(text);
        }
        while (rows.length > 0 && rows[rows.length - 1] === '') rows.pop();
        resolve(rows.join('\n'));
      });
    });
  }
}
