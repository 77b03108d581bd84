// The run's task table: every task seen so far and its latest state, in order
// of first appearance. Fed by `task` wire events only.

import type { TaskEvent, TaskState } from '../protocol';

export interface TaskView {
  name: string;
  id: number;
  state: TaskState;
  /** What a suspended task waits for (`sleep 1500ms`, `task worker`, ...); '' otherwise. */
  waitingOn: string;
  /** Loop time (ms) of the last change. */
  since: number;
}

const FINISHED: ReadonlySet<TaskState> = new Set(['done', 'failed', 'cancelled']);

export class TaskTable {
  private readonly byId = new Map<number, TaskView>();

  apply(e: TaskEvent): void {
    const prev = this.byId.get(e.id);
    const view: TaskView = {
      name: e.task,
      id: e.id,
      state: e.state,
      waitingOn: e.state === 'suspended' ? (e.on ?? '') : '',
      since: e.t,
    };
    if (prev) Object.assign(prev, view);
    else this.byId.set(e.id, view);
  }

  clear(): void {
    this.byId.clear();
  }

  all(): TaskView[] {
    return [...this.byId.values()];
  }

  /** Counts for the status line: how many tasks exist, are live, are waiting. */
  counts(): { total: number; live: number; suspended: number } {
    let live = 0;
    let suspended = 0;
    for (const t of this.byId.values()) {
      if (!FINISHED.has(t.state)) live++;
      if (t.state === 'suspended') suspended++;
    }
    return { total: this.byId.size, live, suspended };
  }
}
