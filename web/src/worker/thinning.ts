// Keeps a flood of engine events from reaching the page. The first `cap`
// events of a run go through as they are. After that, prints and task state
// changes are held back: the most recent `tail` of them wait in a ring and go
// out just before the next event that must not be lost (a diagnostic, a
// control change, the end), older ones are only counted. Everything else is
// always forwarded. So a run with a million events costs the page the first
// `cap` events, a count, and the last lines before the end, whatever it does,
// and the worker does no JSON parsing (a line's type is its first bytes).

const DROPPABLE = ['{"type":"print"', '{"type":"task"'];

export interface Thinned {
  /** JSONL to forward now ('' when nothing). */
  jsonl: string;
  /** Events left out for good since the last call. */
  dropped: number;
}

export class EventThinner {
  private passed = 0;
  private ring: string[] = [];
  private droppedSince = 0;

  constructor(
    private readonly cap = 50_000,
    private readonly tail = 100,
  ) {}

  /** Events of this run so far, forwarded or not. */
  get seen(): number {
    return this.passed;
  }

  take(jsonl: string): Thinned {
    const lines = jsonl.split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    // Fast path: still under the cap.
    if (this.passed + lines.length <= this.cap) {
      this.passed += lines.length;
      return this.out(jsonl);
    }
    let forward = '';
    for (const line of lines) {
      this.passed++;
      if (this.passed <= this.cap) {
        forward += line + '\n';
      } else if (DROPPABLE.some((p) => line.startsWith(p))) {
        this.ring.push(line);
        if (this.ring.length > 2 * this.tail) this.trim();
      } else {
        forward += this.release() + line + '\n';
      }
    }
    return this.out(forward);
  }

  /** The end of a run: the held-back lines go out. */
  finish(): Thinned {
    return this.out(this.release());
  }

  private out(jsonl: string): Thinned {
    const dropped = this.droppedSince;
    this.droppedSince = 0;
    return { jsonl, dropped };
  }

  private trim(): void {
    const extra = this.ring.length - this.tail;
    if (extra <= 0) return;
    this.ring.splice(0, extra);
    this.droppedSince += extra;
  }

  private release(): string {
    this.trim();
    if (this.ring.length === 0) return '';
    const text = this.ring.join('\n') + '\n';
    this.ring = [];
    return text;
  }
}
