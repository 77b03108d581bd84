// The task inspector under the trace: every task of the run with its state and
// what it waits for; a live task has a cancel button (the engine delivers it
// exactly as task.cancel("cancelled from the page") would). Owns its DOM;
// repaints at most every 100 ms and shows at most MAX_ROWS rows.

import type { TaskTable, TaskView } from '../state/tasks';
import { TASK_PALETTE, taskColourIndex } from '../state/trace-line.js';

const MAX_ROWS = 200;
const REPAINT_MS = 100;
const FINISHED = new Set(['done', 'failed', 'cancelled']);

export class TaskPane {
  private readonly list: HTMLElement;
  private readonly count: HTMLElement;
  private scheduled = false;
  private live = false;
  private renderedAt = -Infinity;

  constructor(
    host: HTMLElement,
    countHost: HTMLElement,
    private readonly tasks: TaskTable,
    private readonly onCancel: (task: TaskView) => void,
  ) {
    this.list = document.createElement('ol');
    this.list.className = 'task-list';
    host.append(this.list);
    this.count = countHost;
    this.list.addEventListener('click', (ev) => {
      const b = (ev.target as HTMLElement).closest('button[data-task-id]') as HTMLButtonElement | null;
      if (!b || b.disabled) return;
      const t = this.tasks.all().find((x) => x.id === Number(b.dataset.taskId));
      if (t) {
        b.disabled = true; // until the engine reports the change
        this.onCancel(t);
      }
    });
    this.render();
  }

  /** Whether cancel buttons are live (a run is in flight). */
  setLive(live: boolean): void {
    this.live = live;
    this.schedule();
  }

  /** Repaint soon: at most every REPAINT_MS (a flood of task events must not repaint every frame). */
  schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    const wait = Math.max(0, this.renderedAt + REPAINT_MS - performance.now());
    setTimeout(() => {
      this.scheduled = false;
      this.render();
    }, wait);
  }

  render(): void {
    this.renderedAt = performance.now();
    const all = this.tasks.all();
    const c = this.tasks.counts();
    this.count.textContent = all.length === 0 ? '' : `${c.live} live · ${c.total} total`;
    // Live tasks first (in creation order), then finished ones.
    const rows = [...all.filter((t) => !FINISHED.has(t.state)), ...all.filter((t) => FINISHED.has(t.state))].slice(0, MAX_ROWS);
    const frag = document.createDocumentFragment();
    if (all.length === 0) {
      const li = document.createElement('li');
      li.className = 'empty';
      li.textContent = 'Tasks appear here while a scenario runs.';
      frag.append(li);
    }
    for (const t of rows) frag.append(this.row(t));
    if (all.length > rows.length) {
      const li = document.createElement('li');
      li.className = 'empty';
      li.textContent = `… and ${all.length - rows.length} more`;
      frag.append(li);
    }
    this.list.replaceChildren(frag);
  }

  private row(t: TaskView): HTMLElement {
    const li = document.createElement('li');
    li.dataset.state = t.state;
    li.dataset.task = t.name;
    const name = document.createElement('span');
    name.className = 'name';
    name.textContent = t.name;
    name.style.color = `rgb(${TASK_PALETTE[taskColourIndex(t.name)].join(',')})`;
    const id = document.createElement('span');
    id.className = 'id';
    id.textContent = `#${t.id}`;
    const state = document.createElement('span');
    state.className = 'state';
    state.textContent = t.state === 'suspended' && t.waitingOn ? `waiting on ${t.waitingOn}` : t.state;
    const cancel = document.createElement('button');
    cancel.type = 'button';
    cancel.className = 'cancel';
    cancel.dataset.taskId = String(t.id);
    cancel.textContent = '✕';
    const finished = FINISHED.has(t.state);
    cancel.disabled = !this.live || finished || t.state === 'cancelling';
    cancel.title = finished ? `${t.name} is ${t.state}` : `Cancel ${t.name}: task.cancel("cancelled from the page")`;
    cancel.setAttribute('aria-label', `Cancel task ${t.name}`);
    li.append(name, id, state, cancel);
    return li;
  }
}
