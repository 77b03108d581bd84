// The trace pane: xterm.js plus the fit addon. Renders TraceLines with the
// shared formatter (state/trace-line.js), so the page and the CLI print the
// same text. Owns its DOM; refits whenever its box changes size.

import { Terminal } from '@xterm/xterm';
import { FitAddon } from '@xterm/addon-fit';
import '@xterm/xterm/css/xterm.css';
import { formatAnsi, type TraceLine } from '../state/trace-line.js';

export class TracePane {
  private readonly term: Terminal;
  private readonly fit = new FitAddon();

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
    this.term.write(lines.map((l) => formatAnsi(l) + '\r\n').join(''));
  }

  /** A dim rule with a caption, written before each run. */
  banner(caption: string): void {
    this.term.write(`\x1b[38;2;90;98;118m── ${caption} ${'─'.repeat(Math.max(0, 48 - caption.length))}\x1b[0m\r\n`);
  }

  clear(): void {
    this.term.reset();
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
