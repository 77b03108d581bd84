// The scenario editor: Monaco with monaco-yaml. Loaded lazily by app.ts (it is
// the heaviest part of the page), so the header, terminal and examples show
// at once. Owns its DOM and its markers; knows nothing about runs.

import 'monaco-editor/esm/vs/editor/edcore.main';
import * as monaco from 'monaco-editor/esm/vs/editor/editor.api';
import 'monaco-editor/esm/vs/basic-languages/yaml/yaml.contribution';
import { configureMonacoYaml } from 'monaco-yaml';
import EditorWorker from 'monaco-editor/esm/vs/editor/editor.worker?worker';
import YamlWorker from './yaml.worker?worker';
import { scenarioSchema } from '../scenario/schema';

export interface EditorMarker {
  line: number;
  col: number;
  message: string;
  severity: 'error' | 'warning';
}

const MARKER_OWNER = 'aio';
const MODEL_URI = monaco.Uri.parse('file:///scenario.yaml');

self.MonacoEnvironment = {
  getWorker(_id: string, label: string) {
    return label === 'yaml' ? new YamlWorker() : new EditorWorker();
  },
};

configureMonacoYaml(monaco, {
  enableSchemaRequest: false,
  validate: true,
  hover: true,
  completion: true,
  schemas: [{ uri: 'aio://scenario.schema.json', fileMatch: ['scenario.yaml'], schema: scenarioSchema }],
});

monaco.editor.defineTheme('aio-dark', {
  base: 'vs-dark',
  inherit: true,
  rules: [],
  colors: {
    'editor.background': '#12151d',
    'editorGutter.background': '#12151d',
    'editor.lineHighlightBackground': '#1a1f2b',
    'editorLineNumber.foreground': '#4a5266',
    'editorLineNumber.activeForeground': '#9aa4ba',
  },
});

export class ScenarioEditor {
  private readonly editor: monaco.editor.IStandaloneCodeEditor;
  private readonly model: monaco.editor.ITextModel;

  constructor(host: HTMLElement, initial: string, onChange: () => void = () => {}) {
    this.model = monaco.editor.getModel(MODEL_URI) ?? monaco.editor.createModel(initial, 'yaml', MODEL_URI);
    this.editor = monaco.editor.create(host, {
      model: this.model,
      theme: 'aio-dark',
      automaticLayout: true,
      minimap: { enabled: false },
      fontSize: 13,
      fontFamily: "'JetBrains Mono', 'DejaVu Sans Mono', Menlo, Consolas, monospace",
      tabSize: 2,
      scrollBeyondLastLine: false,
      renderLineHighlight: 'line',
      glyphMargin: true,
      padding: { top: 10 },
    });
    this.model.onDidChangeContent(onChange);
  }

  getValue(): string {
    return this.model.getValue();
  }

  setValue(text: string): void {
    this.model.setValue(text);
    this.editor.setScrollTop(0);
  }

  setMarkers(markers: EditorMarker[]): void {
    monaco.editor.setModelMarkers(
      this.model,
      MARKER_OWNER,
      markers.map((m) => {
        const line = Math.min(Math.max(1, m.line), this.model.getLineCount());
        return {
          startLineNumber: line,
          startColumn: m.col,
          endLineNumber: line,
          endColumn: Math.max(m.col + 1, this.model.getLineMaxColumn(line)),
          message: m.message,
          severity: m.severity === 'error' ? monaco.MarkerSeverity.Error : monaco.MarkerSeverity.Warning,
        };
      }),
    );
    if (markers.length > 0) this.editor.revealLineInCenterIfOutsideViewport(markers[0].line);
  }

  /** Our own markers (not monaco-yaml's), for tests and the status line. */
  getMarkers(): EditorMarker[] {
    return monaco.editor.getModelMarkers({ owner: MARKER_OWNER, resource: MODEL_URI }).map((m) => ({
      line: m.startLineNumber,
      col: m.startColumn,
      message: m.message,
      severity: m.severity === monaco.MarkerSeverity.Error ? 'error' : 'warning',
    }));
  }

  /** Every marker on the scenario, monaco-yaml's schema markers included (for tests). */
  getAllMarkers(): (EditorMarker & { owner: string })[] {
    return monaco.editor.getModelMarkers({ resource: MODEL_URI }).map((m) => ({
      owner: m.owner,
      line: m.startLineNumber,
      col: m.startColumn,
      message: m.message,
      severity: m.severity === monaco.MarkerSeverity.Error ? 'error' : 'warning',
    }));
  }

  focus(): void {
    this.editor.focus();
  }
}
