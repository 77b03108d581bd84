// Wires the page together: toolbar → (YAML → JSON) → engine client → run
// model → terminal, status line and editor markers. The only place that knows
// about all of them; each component owns its own DOM.

import { DEFAULT_WATCHDOG_MS, EngineClient } from './engine-client';
import type { Clock, EngineEvent } from './protocol';
import { examples, type Example } from './scenario/examples';
import { pointerPosition, yamlToJson, type Position } from './scenario/yaml.js';
import { RunModel, type Phase } from './state/run';
import { problemLine, type TraceLine } from './state/trace-line.js';
import type { EditorMarker, ScenarioEditor } from './ui/editor';
import { ExpectPanel } from './ui/expect-panel';
import type { PythonTab } from './ui/python-tab';
import { Replay } from './state/replay';
import { Runbar } from './ui/runbar';
import { StatusLine } from './ui/statusline';
import { TaskPane } from './ui/task-pane';
import { TracePane } from './ui/terminal';
import { Toolbar } from './ui/toolbar';

/** Trace events a page run may emit before the engine stops it (the CLI keeps the engine's default). */
const MAX_EVENTS = 2_000_000;

function $(id: string): HTMLElement {
  const node = document.getElementById(id);
  if (!node) throw new Error(`#${id} missing from index.html`);
  return node;
}

export function startApp(): void {
  const model = new RunModel();
  const terminal = new TracePane($('terminal'));
  const status = new StatusLine($('status'), model);
  const description = $('description');
  description.addEventListener('click', () => description.classList.toggle('expanded'));
  const first = examples[0];
  let editor: ScenarioEditor | null = null;
  let pythonTab: PythonTab | null = null;
  const expectPanel = new ExpectPanel($('expect-report'));
  let markers: EditorMarker[] = [];
  let shown: Example | null = null;

  const client = new EngineClient((s, detail) => status.setEngine(s, detail));

  function setMarkers(next: EditorMarker[]): void {
    markers = next;
    editor?.setMarkers(markers);
  }

  function showExample(ex: Example): void {
    shown = ex;
    toolbar.showExample(ex.id);
    toolbar.setClock(ex.clock);
    description.textContent = ex.description;
    description.hidden = ex.description === '';
    description.classList.remove('expanded');
    description.title = 'Click to show all / less';
    editor?.setValue(ex.source);
    setMarkers([]);
  }

  // ---- run controls (ui/runbar.ts) and the task inspector (ui/task-pane.ts) ----
  let replay: Replay | null = null;
  /** The watchdog limit; the engine's own check can be turned off (tests of the page's layer). */
  const limits = { watchdogMs: DEFAULT_WATCHDOG_MS, engineWatchdog: true };
  let stopRequested = false;
  const runbar = new Runbar($('runbar'), {
    onPause: () => client.control('pause'),
    onResume: () => client.control('resume'),
    onStep: () => client.control('step'),
    onStepEvent: () => client.control('stepEvent'),
    onStop: () => (replay?.running ? endReplay() : stop()),
    onSpeed: (speed) => {
      if (client.running && model.clock === 'real') client.control('speed', speed);
    },
    onReplay: startReplay,
  });
  const taskPane = new TaskPane($('tasks'), $('task-count'), model.tasks, (t) => client.cancelTask(t.id));

  function updateControls(): void {
    const running = client.running;
    const canReplay = !running && model.clock === 'virtual' && model.lines.length > 0 && ['ok', 'failed', 'stopped'].includes(model.phase);
    runbar.update({ running, paused: running && model.paused, canReplay, replaying: replay?.running ?? false });
    taskPane.setLive(running);
  }

  function startReplay(): void {
    endReplay();
    const speed = runbar.speed;
    terminal.clear();
    terminal.banner(`replay · virtual clock at ${speed}x`);
    replay = new Replay(
      model.lines,
      speed,
      (lines) => terminal.write(lines),
      () => {
        terminal.endRun();
        replay = null;
        updateControls();
      },
      { now: () => performance.now(), setTimer: (fn, ms) => setTimeout(fn, ms), clearTimer: (h) => clearTimeout(h as number) },
    );
    replay.start();
    updateControls();
  }

  function endReplay(): void {
    if (!replay) return;
    replay.stop();
    replay = null;
    terminal.endRun();
    updateControls();
  }

  function finish(phase: Phase): void {
    model.finish(stopRequested && phase === 'failed' ? 'stopped' : phase, performance.now());
    terminal.endRun();
    toolbar.setRunning(false);
    updateControls();
    status.render();
  }

  function run(): void {
    if (!editor) return;
    const now = performance.now();
    if (client.running) client.terminate();
    endReplay();
    stopRequested = false;

    const clock: Clock = toolbar.clock;
    model.begin(clock, now);
    expectPanel.clear();
    terminal.clear();
    terminal.banner(`run · ${clock} clock`);
    const parsed = yamlToJson(editor.getValue());
    if (!parsed.ok) {
      const lines = parsed.errors.map((e) => problemLine(`YAML: ${e.message}`, { line: e.line, col: e.col }));
      model.addLines(lines);
      terminal.write(lines);
      setMarkers(parsed.errors.map((e) => ({ line: e.line, col: e.col, message: e.message, severity: 'error' })));
      finish('invalid');
      return;
    }
    setMarkers([]);
    const locate = (pointer: string): Position => pointerPosition(parsed.positions, pointer);
    toolbar.setRunning(true);
    status.render();

    const runOptions = { clock, speed: runbar.speed, maxEvents: MAX_EVENTS, watchdogMs: limits.engineWatchdog ? limits.watchdogMs : 0 };
    client.run(parsed.json, runOptions, {
      onEvents(events: EngineEvent[], dropped: number) {
        if (dropped > 0) {
          model.droppedLines += dropped;
          terminal.noteDropped(dropped);
        }
        const wasPaused = model.paused;
        const lines = model.applyEvents(events, locate);
        terminal.write(lines);
        taskPane.schedule();
        if (model.paused !== wasPaused || events.some((e) => e.type === 'control')) updateControls();
        const found = lines.filter((l) => l.kind === 'diagnostic' && l.at);
        if (found.length > 0) {
          setMarkers([
            ...markers,
            ...found.map((l) => ({
              line: l.at!.line,
              col: l.at!.col,
              message: l.text,
              severity: l.tone === 'warning' ? ('warning' as const) : ('error' as const),
            })),
          ]);
        }
        status.render();
      },
      onFinished(code: number) {
        finish(code === 0 ? 'ok' : code === 1 ? 'invalid' : 'failed');
        // expect: lines are checked against a run that ran to its end (ok or failed), never an
        // invalid or stopped one.
        if ((code === 0 || code === 2) && model.phase !== 'stopped') {
          const prints = model.lines.filter((l) => l.kind === 'print').map((l) => ({ t: l.t ?? 0, text: l.text, task: l.label }));
          expectPanel.show(parsed.value, prints, clock === 'real');
        }
      },
      onError(message: string) {
        const line: TraceLine = problemLine(message, null);
        model.addLines([line]);
        terminal.write([line]);
        finish('error');
      },
      onStuck(silentMs: number) {
        // The page's watchdog: the worker sent nothing for too long and was replaced.
        const last = model.lastTask;
        const where = last ? ` The last task seen was ${last.name} (${last.state} at ${Math.round(last.t)} ms).` : '';
        const text = `watchdog: the engine did not answer for ${(silentMs / 1000).toFixed(1)} s, so its worker was replaced.${where}`;
        const line = problemLine(text, null);
        model.addLines([line]);
        terminal.write([line]);
        finish('failed');
      },
    }, limits.watchdogMs);
    updateControls();
  }

  function stop(): void {
    if (!client.running) return;
    // The engine ends the run (an `end` event "stopped"); a worker that does
    // not answer in time is replaced (engine-client.ts).
    stopRequested = true;
    client.stop();
  }

  const toolbar = new Toolbar($('toolbar'), examples, {
    onRun: run,
    onExample: showExample,
    onClock: () => status.render(),
  });
  toolbar.setRunEnabled(false);
  if (first) showExample(first);
  terminal.write([{ kind: 'note', t: null, label: '', text: 'Press Run (Ctrl+Enter) to start the scenario on the left.' }]);

  // Monaco is the heaviest part of the page: load it after first paint.
  const editorHost = $('editor');
  import('./ui/editor')
    .then(({ ScenarioEditor }) => {
      editorHost.textContent = '';
      // Once the text is edited it is no longer the example: the menu goes back
      // to "Examples…", so choosing the same example again reloads it.
      editor = new ScenarioEditor(editorHost, shown?.source ?? '', () => {
        pythonTab?.scenarioChanged();
        if (shown && editor?.getValue() !== shown.source) {
          shown = null;
          toolbar.showExample('');
        }
      });
      editor.setMarkers(markers);
      toolbar.setRunEnabled(true);
      document.body.dataset.editor = 'ready';
      // The Python tab beside the editor (the scenario exported by the engine).
      import('./ui/python-tab')
        .then(({ PythonTab }) => {
          pythonTab = new PythonTab({
            titleBar: $('scenario-title'),
            editorHost,
            source: () => editor?.getValue() ?? '',
            exportPython: (json) => client.exportPython(json),
          });
        })
        .catch((e: unknown) => console.warn('the Python tab failed to load:', e));
    })
    .catch((e: unknown) => {
      editorHost.textContent = `The editor failed to load: ${String(e)}`;
    });

  // A small hook for the end-to-end tests and for poking at the page from devtools.
  Object.assign(window, {
    aioPlayground: {
      getSource: () => editor?.getValue() ?? '',
      setSource: (text: string) => editor?.setValue(text),
      getMarkers: () => editor?.getMarkers() ?? [],
      getAllMarkers: () => editor?.getAllMarkers() ?? [],
      terminalText: () => terminal.text(),
      showPython: (python: boolean) => pythonTab?.show(python),
      pythonText: () => pythonTab?.text() ?? '',
      expectReport: () => expectPanel.report(),
      traceText: () => model.text(),
      tasks: () => model.tasks.all(),
      cancelTask: (name: string) => {
        const t = model.tasks.all().find((x) => x.name === name);
        if (t) client.cancelTask(t.id);
      },
      workersStarted: () => client.workersStarted,
      setLimits: (l: Partial<typeof limits>) => Object.assign(limits, l),
      run,
      stop,
    },
  });
}
