// Wires the page together: toolbar → (YAML → JSON) → engine client → run
// model → terminal, status line and editor markers. The only place that knows
// about all of them; each component owns its own DOM.

import { EngineClient } from './engine-client';
import type { Clock, EngineEvent } from './protocol';
import { examples, type Example } from './scenario/examples';
import { pointerPosition, yamlToJson, type Position } from './scenario/yaml.js';
import { RunModel, type Phase } from './state/run';
import { problemLine, type TraceLine } from './state/trace-line.js';
import type { EditorMarker, ScenarioEditor } from './ui/editor';
import { StatusLine } from './ui/statusline';
import { TracePane } from './ui/terminal';
import { Toolbar } from './ui/toolbar';

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

  function finish(phase: Phase): void {
    model.finish(phase, performance.now());
    toolbar.setRunning(false);
    status.render();
  }

  function run(): void {
    if (!editor) return;
    const now = performance.now();
    if (client.running) client.stop();

    const clock: Clock = toolbar.clock;
    model.begin(clock, now);
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

    client.run(parsed.json, { clock, speed: 1 }, {
      onEvents(events: EngineEvent[]) {
        const lines = model.applyEvents(events, locate);
        terminal.write(lines);
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
      },
      onError(message: string) {
        const line: TraceLine = problemLine(message, null);
        model.addLines([line]);
        terminal.write([line]);
        finish('error');
      },
    });
  }

  function stop(): void {
    if (!client.running) return;
    client.stop();
    const line: TraceLine = { kind: 'note', t: null, label: '', text: 'stopped: the engine worker was terminated' };
    model.addLines([line]);
    terminal.write([line]);
    finish('stopped');
  }

  const toolbar = new Toolbar($('toolbar'), examples, {
    onRun: run,
    onStop: stop,
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
        if (shown && editor?.getValue() !== shown.source) {
          shown = null;
          toolbar.showExample('');
        }
      });
      editor.setMarkers(markers);
      toolbar.setRunEnabled(true);
      document.body.dataset.editor = 'ready';
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
      terminalText: () => terminal.text(),
      traceText: () => model.text(),
      run,
      stop,
    },
  });
}
