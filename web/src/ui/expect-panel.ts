// The expect report: after a run of a scenario with `expect:` lines, a panel under the trace
// says whether every expected print came (✓) or not (✗, and why). The checking itself is
// state/expect.js, shared with the CLI's `run --check`. Owns its DOM.

import { checkExpect, expectOf, reportLines, type ExpectReport, type Print } from '../state/expect.js';

export class ExpectPanel {
  private last: ExpectReport | null = null;

  constructor(private readonly host: HTMLElement) {
    host.hidden = true;
    host.addEventListener('click', (ev) => {
      if ((ev.target as HTMLElement).closest('.expect-head')) host.classList.toggle('collapsed');
    });
  }

  /** Forget the last report (a new run starts). */
  clear(): void {
    this.last = null;
    this.host.hidden = true;
    this.host.textContent = '';
    delete this.host.dataset.result;
  }

  /**
   * Check a finished run. `doc` is the scenario document it ran; nothing is shown when it has
   * no `expect:`. Returns the report (null without expect:).
   */
  show(doc: unknown, prints: Print[], realClock: boolean): ExpectReport | null {
    this.clear();
    const expect = expectOf(doc);
    if (!expect) return null;
    const report = checkExpect(expect.lines, prints, { realClock });
    this.last = report;
    const [head, ...lines] = reportLines(report);
    const title = document.createElement('div');
    title.className = 'expect-head';
    title.title = 'Click to fold';
    title.textContent = head.text;
    const list = document.createElement('ol');
    for (const l of lines) {
      const li = document.createElement('li');
      li.className = l.ok ? 'pass' : 'fail';
      li.textContent = l.text;
      list.append(li);
    }
    this.host.append(title, list);
    this.host.dataset.result = report.ok ? 'pass' : 'fail';
    this.host.classList.toggle('collapsed', false);
    this.host.hidden = false;
    return report;
  }

  report(): ExpectReport | null {
    return this.last;
  }
}
