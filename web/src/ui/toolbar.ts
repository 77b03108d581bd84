// The header's controls: examples menu, clock switch (virtual / real) and Run
// (also Ctrl/Cmd+Enter anywhere on the page); the run controls (pause, step,
// stop, speed) are in ui/runbar.ts. Owns its DOM; reports
// user intent through callbacks and is told the run state with setRunning().

import type { Clock } from '../protocol';
import type { Example } from '../scenario/examples';

export interface ToolbarHandlers {
  onRun(): void;
  onExample(example: Example): void;
  onClock(clock: Clock): void;
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, text = ''): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (text) node.textContent = text;
  return node;
}

export class Toolbar {
  private readonly select: HTMLSelectElement;
  private readonly clockButtons: Record<Clock, HTMLButtonElement>;
  private readonly runButton: HTMLButtonElement;
  private clockValue: Clock = 'virtual';

  constructor(host: HTMLElement, examples: Example[], h: ToolbarHandlers) {
    this.select = el('select', { id: 'examples', 'aria-label': 'Examples', title: 'Load an example scenario' });
    this.select.append(el('option', { value: '', disabled: '' }, 'Examples…'));
    for (const ex of examples) this.select.append(el('option', { value: ex.id }, ex.title));
    this.select.addEventListener('change', () => {
      const ex = examples.find((e) => e.id === this.select.value);
      if (ex) h.onExample(ex);
    });

    const clock = el('div', { class: 'segmented', role: 'group', 'aria-label': 'Clock' });
    const mk = (value: Clock, label: string, title: string) => {
      const b = el('button', { type: 'button', 'data-clock': value, title }, label);
      b.addEventListener('click', () => {
        this.setClock(value);
        h.onClock(value);
      });
      clock.append(b);
      return b;
    };
    this.clockButtons = {
      virtual: mk('virtual', 'virtual', 'Virtual clock: time jumps to the next timer, runs finish instantly'),
      real: mk('real', 'real', 'Real clock: sleeps take wall-clock time'),
    };

    const isMac = /Mac|iPhone|iPad/.test(navigator.platform);
    this.runButton = el('button', { id: 'run', type: 'button', class: 'primary', title: `Run (${isMac ? '⌘' : 'Ctrl'}+Enter)` });
    this.runButton.append(el('span', { class: 'icon' }, '▶'), ' Run', el('kbd', {}, isMac ? '⌘↵' : 'Ctrl↵'));
    this.runButton.addEventListener('click', () => h.onRun());

    const label = el('span', { class: 'label' }, 'clock');
    host.append(this.select, label, clock, this.runButton);
    this.setClock('virtual');
    this.setRunning(false);

    // Capture phase: runs before Monaco sees the key, so the editor does not
    // also insert a line.
    window.addEventListener(
      'keydown',
      (ev) => {
        if (ev.key === 'Enter' && (ev.ctrlKey || ev.metaKey)) {
          ev.preventDefault();
          ev.stopPropagation();
          h.onRun();
        }
      },
      { capture: true },
    );
  }

  get clock(): Clock {
    return this.clockValue;
  }

  setClock(clock: Clock): void {
    this.clockValue = clock;
    for (const [value, b] of Object.entries(this.clockButtons)) b.setAttribute('aria-pressed', String(value === clock));
  }

  showExample(id: string): void {
    this.select.value = id;
  }

  setRunning(running: boolean): void {
    this.runButton.classList.toggle('busy', running);
  }

  setRunEnabled(enabled: boolean): void {
    this.runButton.disabled = !enabled;
  }
}
