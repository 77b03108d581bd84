// The Python tab: beside the scenario editor, the scenario as a Python asyncio program
// (the engine's aio_export_python, through the worker), read-only Monaco with Python
// highlighting and a Copy button. It follows the scenario as it is edited (debounced), and only
// asks the engine while it is shown. Owns the tab bar of the scenario pane and its own DOM.

import * as monaco from 'monaco-editor/esm/vs/editor/editor.api';
import 'monaco-editor/esm/vs/basic-languages/python/python.contribution';
import './editor'; // Monaco's environment and the aio-dark theme
import { pointerPosition, yamlToJson } from '../scenario/yaml.js';

export interface PythonExportResult {
  python: string | null;
  diagnostics: { severity: 'error' | 'warning'; message: string; pointer: string }[];
}

export interface PythonTabOptions {
  /** The scenario pane's title bar: becomes the tabs (scenario.yaml | python) and Copy. */
  titleBar: HTMLElement;
  /** The scenario editor's host; the Python view is placed beside it and shown instead of it. */
  editorHost: HTMLElement;
  /** The scenario text now. */
  source(): string;
  /** Ask the engine for the Python program of a scenario (JSON). */
  exportPython(scenarioJson: string): Promise<PythonExportResult>;
}

export const DEBOUNCE_MS = 300;

export class PythonTab {
  private readonly view: HTMLElement;
  private readonly tabs: { scenario: HTMLButtonElement; python: HTMLButtonElement };
  private readonly copyButton: HTMLButtonElement;
  private readonly editor: monaco.editor.IStandaloneCodeEditor;
  private readonly model: monaco.editor.ITextModel;
  private shown = false;
  private stale = true;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private request = 0;

  constructor(private readonly opts: PythonTabOptions) {
    const bar = opts.titleBar;
    bar.textContent = '';
    bar.classList.add('tabs');
    bar.setAttribute('role', 'tablist');
    const tab = (label: string, title: string) => {
      const b = document.createElement('button');
      b.type = 'button';
      b.setAttribute('role', 'tab');
      b.textContent = label;
      b.title = title;
      bar.append(b);
      return b;
    };
    this.tabs = {
      scenario: tab('scenario.yaml', 'The scenario (YAML)'),
      python: tab('python', 'The scenario as a Python asyncio program (read-only)'),
    };
    this.tabs.scenario.id = 'tab-scenario';
    this.tabs.python.id = 'tab-python';
    this.copyButton = document.createElement('button');
    this.copyButton.type = 'button';
    this.copyButton.id = 'python-copy';
    this.copyButton.className = 'copy';
    this.copyButton.textContent = 'Copy';
    this.copyButton.title = 'Copy the Python program';
    this.copyButton.hidden = true;
    bar.append(this.copyButton);

    this.view = document.createElement('div');
    this.view.id = 'python';
    this.view.setAttribute('role', 'tabpanel');
    this.view.setAttribute('aria-label', 'Python');
    this.view.hidden = true;
    opts.editorHost.after(this.view);
    this.tabs.scenario.setAttribute('aria-controls', opts.editorHost.id);
    this.tabs.python.setAttribute('aria-controls', this.view.id);

    this.model = monaco.editor.createModel('', 'python', monaco.Uri.parse('file:///scenario.py'));
    this.editor = monaco.editor.create(this.view, {
      model: this.model,
      theme: 'aio-dark',
      readOnly: true,
      domReadOnly: true,
      automaticLayout: true,
      minimap: { enabled: false },
      fontSize: 13,
      fontFamily: "'JetBrains Mono', 'DejaVu Sans Mono', Menlo, Consolas, monospace",
      scrollBeyondLastLine: false,
      renderLineHighlight: 'none',
      padding: { top: 10 },
    });

    this.tabs.scenario.addEventListener('click', () => this.show(false));
    this.tabs.python.addEventListener('click', () => this.show(true));
    this.copyButton.addEventListener('click', () => void this.copy());
    this.select(false);
  }

  /** The scenario changed: refresh soon if shown, else when next shown. */
  scenarioChanged(): void {
    this.stale = true;
    if (!this.shown) return;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.refresh();
    }, DEBOUNCE_MS);
  }

  show(python: boolean): void {
    if (python === this.shown) return;
    this.select(python);
    if (python && this.stale) void this.refresh();
  }

  /** The text the tab shows now (for tests). */
  text(): string {
    return this.model.getValue();
  }

  private select(python: boolean): void {
    this.shown = python;
    this.tabs.scenario.setAttribute('aria-selected', String(!python));
    this.tabs.python.setAttribute('aria-selected', String(python));
    this.opts.editorHost.hidden = python;
    this.view.hidden = !python;
    this.copyButton.hidden = !python;
    document.body.dataset.tab = python ? 'python' : 'scenario';
  }

  private async refresh(): Promise<void> {
    this.stale = false;
    const id = ++this.request;
    this.view.dataset.state = 'loading';
    const parsed = yamlToJson(this.opts.source());
    let text: string;
    let ok = false;
    if (!parsed.ok) {
      text = problems('The scenario is not valid YAML', parsed.errors.map((e) => `line ${e.line}:${e.col}: ${e.message}`));
    } else {
      const r = await this.opts.exportPython(parsed.json);
      if (id !== this.request) return; // a newer edit asked again
      ok = r.python !== null;
      if (r.python !== null) {
        text = r.python;
      } else {
        const errors = r.diagnostics.filter((d) => d.severity === 'error');
        text = problems(
          'The scenario has errors',
          (errors.length ? errors : [{ message: 'the engine could not export it', pointer: '' }]).map((d) => {
            const at = d.pointer ? pointerPosition(parsed.positions, d.pointer) : null;
            return at ? `line ${at.line}:${at.col}: ${d.message}` : d.message;
          }),
        );
      }
    }
    if (id !== this.request) return;
    const top = this.editor.getScrollTop();
    this.model.setValue(text);
    this.editor.setScrollTop(top);
    this.view.dataset.state = ok ? 'ok' : 'invalid';
    this.copyButton.disabled = !ok;
  }

  private async copy(): Promise<void> {
    const text = this.model.getValue();
    let done = false;
    try {
      await navigator.clipboard.writeText(text);
      done = true;
    } catch {
      // No clipboard permission (e.g. not a secure context): select the text for Ctrl+C instead.
      this.editor.focus();
      this.editor.setSelection(this.model.getFullModelRange());
    }
    this.copyButton.textContent = done ? 'Copied ✓' : 'Selected: Ctrl+C';
    setTimeout(() => (this.copyButton.textContent = 'Copy'), 1500);
  }
}

/** Problems as a Python comment block, so the tab still reads as Python. */
function problems(title: string, lines: string[]): string {
  return [`# ${title}; fix it to see the Python program:`, '#', ...lines.map((l) => `#   ${l}`), ''].join('\n');
}
