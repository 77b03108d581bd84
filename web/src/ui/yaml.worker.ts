// monaco-yaml's language service, wrapped so Vite bundles it as a worker.
import 'monaco-yaml/yaml.worker.js';
