#!/usr/bin/env node
// docs/scenarios.md is generated from scenario.schema.json (the one description of the
// scenario language, also behind the editor's completion and hover):
//
//   node scripts/gen-scenario-docs.mjs           rewrite docs/scenarios.md
//   node scripts/gen-scenario-docs.mjs --check   exit 1 if it is out of date
//
// tests/web/schema.test.ts checks that the committed page is up to date.

import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { commonStepKeys, deref, toYaml, typeName, verbs } from '../web/src/scenario/schema-doc.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const SCHEMA_PATH = ROOT + 'scenario.schema.json';
export const DOCS_PATH = ROOT + 'docs/scenarios.md';

/** A table cell: one line, pipes escaped. */
const cell = (s) => String(s ?? '').replace(/\n+/g, ' ').replace(/\|/g, '\\|');

/** The reference page's Markdown for a schema. */
export function renderDocs(schema) {
  const out = [];
  const push = (...lines) => out.push(...lines);
  push(
    '<!-- Generated from scenario.schema.json by scripts/gen-scenario-docs.mjs: do not edit by hand. -->',
    '',
    '# Scenario reference',
    '',
    schema.description,
    '',
    'The page\'s editor completes and explains every key below from the same schema',
    '(`scenario.schema.json`; other editors can use it too, e.g. with a',
    '`# yaml-language-server: $schema=../scenario.schema.json` first line). The engine is the',
    'authority: it reports every mistake at its line, with a suggestion where it has one.',
    '',
    '```yaml',
    toYaml({
      title: 'Hello',
      clock: 'virtual',
      main: 'main',
      tasks: { main: { steps: [{ print: 'hello at {now} ms' }, { sleep: '500ms' }, { print: 'bye' }] } },
      expect: ['[     0ms] hello at 0 ms', '[   500ms] bye'],
    }),
    '```',
    '',
    '## Top-level keys',
    '',
    '| key | type | meaning |',
    '|---|---|---|',
  );
  for (const [key, p] of Object.entries(schema.properties)) {
    push(`| \`${key}\` | ${cell(typeName(schema, p))} | ${cell(p.description)} |`);
  }
  push('');
  for (const [key, p] of Object.entries(schema.properties)) {
    if (!p.examples) continue;
    push(`\`${key}\`:`, '', '```yaml', toYaml({ [key]: p.examples[0] }), '```', '');
  }
  const defs = schema.definitions;
  push('## Durations', '', deref(schema, defs.duration)['x-doc'], '');
  push('## Values and expressions', '', deref(schema, defs.template)['x-doc'], '');
  push(
    '## Steps',
    '',
    'A task\'s `steps:` run in order. Each step is a map with one action (the verb) and the',
    'options that verb takes; `as:` names the variable that receives a result. A *handle* is the',
    'name of a task started with `spawn` (or `"{var}"` holding one); a *call* is',
    '`{call: task-name, args: {param: value}}`.',
    '',
  );
  for (const key of commonStepKeys(schema)) {
    const v0 = Object.values(schema.definitions.verbs)[0];
    push(`Any step may also have \`${key}:\` (${typeName(schema, v0.properties[key])}): ${deref(schema, v0.properties[key]).description}`, '');
  }
  const all = verbs(schema);
  for (const [family, title] of Object.entries(schema['x-families'] ?? {})) {
    const list = all.filter((v) => v.family === family);
    if (list.length === 0) continue;
    push(`### ${title}`, '', '| step | asyncio |', '|---|---|');
    for (const v of list) push(`| [\`${v.name}\`](#${v.name}) | \`${cell(v.asyncio)}\` |`);
    push('');
    for (const v of list) {
      push(`#### \`${v.name}\``, '', v.description, '', '```python', v.asyncio, '```', '');
      push('| key | type | meaning |', '|---|---|---|');
      push(`| \`${v.name}\` | ${cell(typeName(schema, v.value))} | ${cell(v.valueDoc)} |`);
      for (const f of v.fields) {
        push(`| \`${f.key}\`${f.required ? ' (required)' : ''} | ${cell(typeName(schema, f.schema))} | ${cell(deref(schema, f.schema).description)} |`);
      }
      push('', '```yaml', ...v.examples.map((e) => toYaml(e, true)), '```', '');
    }
  }
  return out.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd() + '\n';
}

export function currentDocs() {
  return renderDocs(JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const text = currentDocs();
  if (process.argv.includes('--check')) {
    let old = '';
    try {
      old = readFileSync(DOCS_PATH, 'utf8');
    } catch {}
    if (old !== text) {
      console.error('docs/scenarios.md is out of date: run node scripts/gen-scenario-docs.mjs');
      process.exitCode = 1;
    }
  } else {
    writeFileSync(DOCS_PATH, text);
    console.log(`wrote ${DOCS_PATH.slice(ROOT.length)}`);
  }
}
