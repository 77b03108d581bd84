// The run controls above the trace: Pause/Resume, Step, Next event, Stop, the
// speed factor (real clock; also the replay speed) and Replay (a finished
// virtual run, re-played into the terminal at the chosen speed). Owns its DOM;
// reports intent through callbacks and is told the state with update().
// Keys (also in the tooltips): F8 pause/resume, F10 step, F9 next event,
// Shift+F5 stop. They are caught in the capture phase, before Monaco.

export interface RunbarHandlers {
  onPause(): void;
  onResume(): void;
  onStep(): void;
  onStepEvent(): void;
  onStop(): void;
  onSpeed(speed: number): void;
  onReplay(): void;
}

export interface RunbarState {
  running: boolean;
  paused: boolean;
  /** A finished run that can be replayed (virtual clock, something to show). */
  canReplay: boolean;
  replaying: boolean;
}

export const SPEEDS = [0.1, 0.25, 0.5, 1, 2, 4, 10] as const;

function button(id: string, icon: string, label: string, title: string): HTMLButtonElement {
  const b = document.createElement('button');
  b.type = 'button';
  b.id = id;
  b.title = title;
  const i = document.createElement('span');
  i.className = 'icon';
  i.textContent = icon;
  b.append(i, ' ' + label);
  return b;
}

export class Runbar {
  private readonly pause: HTMLButtonElement;
  private readonly step: HTMLButtonElement;
  private readonly stepEvent: HTMLButtonElement;
  private readonly stop: HTMLButtonElement;
  private readonly replay: HTMLButtonElement;
  private readonly speedSelect: HTMLSelectElement;
  private state: RunbarState = { running: false, paused: false, canReplay: false, replaying: false };

  constructor(host: HTMLElement, h: RunbarHandlers) {
    this.pause = button('pause', '❚❚', 'Pause', 'Pause the run (F8): timers stop, the real clock stands still');
    this.step = button('step', '↷', 'Step', 'Run one loop iteration while paused (F10)');
    this.stepEvent = button('step-event', '⇥', 'Next event', 'Run until the next trace event while paused (F9)');
    this.stop = button('stop', '■', 'Stop', 'Stop the run (Shift+F5)');
    this.replay = button('replay', '↻', 'Replay', 'Replay the finished virtual run at the chosen speed');
    this.speedSelect = document.createElement('select');
    this.speedSelect.id = 'speed';
    this.speedSelect.setAttribute('aria-label', 'Speed');
    this.speedSelect.title = 'Speed factor of the real clock (a 2 s sleep at 4x takes 0.5 s), and of Replay';
    for (const s of SPEEDS) {
      const o = document.createElement('option');
      o.value = String(s);
      o.textContent = `${s}x`;
      this.speedSelect.append(o);
    }
    this.speedSelect.value = '1';

    this.pause.addEventListener('click', () => (this.state.paused ? h.onResume() : h.onPause()));
    this.step.addEventListener('click', () => h.onStep());
    this.stepEvent.addEventListener('click', () => h.onStepEvent());
    this.stop.addEventListener('click', () => h.onStop());
    this.replay.addEventListener('click', () => h.onReplay());
    this.speedSelect.addEventListener('change', () => h.onSpeed(this.speed));

    const sep = document.createElement('span');
    sep.className = 'sep';
    host.append(this.pause, this.step, this.stepEvent, this.stop, sep, this.speedSelect, this.replay);
    this.update(this.state);

    window.addEventListener(
      'keydown',
      (ev) => {
        const act = (enabled: boolean, fn: () => void) => {
          ev.preventDefault();
          ev.stopPropagation();
          if (enabled) fn();
        };
        if (ev.key === 'F8') act(!this.pause.disabled, () => this.pause.click());
        else if (ev.key === 'F10') act(!this.step.disabled, () => h.onStep());
        else if (ev.key === 'F9') act(!this.stepEvent.disabled, () => h.onStepEvent());
        else if (ev.key === 'F5' && ev.shiftKey) act(!this.stop.disabled, () => h.onStop());
      },
      { capture: true },
    );
  }

  get speed(): number {
    return Number(this.speedSelect.value) || 1;
  }

  update(next: RunbarState): void {
    this.state = next;
    const { running, paused, canReplay, replaying } = next;
    this.pause.disabled = !running;
    this.pause.lastChild!.textContent = paused ? ' Resume' : ' Pause';
    this.pause.firstElementChild!.textContent = paused ? '▶' : '❚❚';
    this.pause.title = paused ? 'Resume the run (F8)' : 'Pause the run (F8): timers stop, the real clock stands still';
    this.pause.setAttribute('aria-pressed', String(paused));
    this.step.disabled = !running || !paused;
    this.stepEvent.disabled = !running || !paused;
    this.stop.disabled = !running && !replaying;
    this.replay.disabled = running || !canReplay;
    this.replay.classList.toggle('active', replaying);
  }
}
