// scenario.schema.json: valid for every example (no false errors in the editor), its own
// examples valid, docs/scenarios.md generated from it and up to date, and the same verbs and
// keys as the engine's parser (probed through the WASM engine's diagnostics, which list what
// the parser accepts wherever it rejects an unknown key).

import Ajv from 'ajv';
import { readFileSync, readdirSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { yamlToJson } from '../../web/src/scenario/yaml.js';
import { verbs, withHoverText } from '../../web/src/scenario/schema-doc.js';
import { DOCS_PATH, currentDocs } from '../../scripts/gen-scenario-docs.mjs';
import { loadEngine } from '../../cli/engine.mjs';

const ROOT = new URL('../../', import.meta.url);
const schema = JSON.parse(readFileSync(new URL('scenario.schema.json', ROOT), 'utf8'));
const ajv = new Ajv({ strict: false, allErrors: true });
const validate = ajv.compile(schema);
const validateStep = ajv.compile({ definitions: schema.definitions, $ref: '#/definitions/step' });

const examples = readdirSync(new URL('examples/', ROOT)).filter((f) => f.endsWith('.yaml'));

describe('scenario.schema.json', () => {
  it.each(examples)('accepts examples/%s', (file) => {
    const r = yamlToJson(readFileSync(new URL(`examples/${file}`, ROOT), 'utf8'));
    if (!r.ok) throw new Error(`YAML errors in ${file}`);
    const ok = validate(r.value);
    expect(ok ? [] : validate.errors).toEqual([]);
  });

  it('describes every verb with a description, an asyncio equivalent and valid examples', () => {
    const list = verbs(schema);
    expect(list.length).toBeGreaterThan(30);
    for (const v of list) {
      expect(v.description.length, v.name).toBeGreaterThan(20);
      expect(v.asyncio, v.name).not.toBe('');
      expect(Object.keys(schema['x-families'])).toContain(v.family);
      expect(v.examples.length, v.name).toBeGreaterThan(0);
      for (const ex of v.examples) expect(validateStep(ex) ? [] : validateStep.errors, `${v.name}: ${JSON.stringify(ex)}`).toEqual([]);
      for (const f of v.fields) expect(f.schema.description ?? f.schema.$ref, `${v.name}.${f.key}`).toBeTruthy();
    }
  });

  it('rejects what it should: unknown top-level keys, a step with an unknown key, a bad clock', () => {
    const base = { tasks: { main: [{ print: 'hi' }] } };
    expect(validate(base)).toBe(true);
    expect(validate({ ...base, clocks: 'real' })).toBe(false);
    expect(validate({ ...base, clock: 'fast' })).toBe(false);
    expect(validateStep({ sleep: '1s', as: 'x' })).toBe(false);
    expect(validateStep({ put: 'q' })).toBe(false); // put needs item
    expect(validateStep('break')).toBe(true);
    expect(validateStep({ wait: ['a'], return_when: 'first_completed' })).toBe(true); // any case, like the engine
  });

  it('gives every verb key markdown hover text with its asyncio equivalent and an example', () => {
    const hover = withHoverText(schema);
    const sleep = hover.definitions.verbs.sleep.properties.sleep.markdownDescription;
    expect(sleep).toContain('asyncio: `await asyncio.sleep(0.5)`');
    expect(sleep).toContain('```yaml\n- sleep: 500ms\n```');
    expect(hover.properties.expect.markdownDescription).toContain('expect:');
  });

  it('is the source of the committed docs/scenarios.md (run node scripts/gen-scenario-docs.mjs)', () => {
    const docs = readFileSync(DOCS_PATH, 'utf8');
    expect(docs === currentDocs(), 'docs/scenarios.md is out of date: run node scripts/gen-scenario-docs.mjs').toBe(true);
    for (const v of verbs(schema)) expect(docs).toContain(`#### \`${v.name}\``);
  });
});

// ---- the parser, probed through the engine --------------------------------------------------

const ODD = 'qqqqqqqqqqqqqqqqqqqq'; // far from every real key: no "did you mean"
let messages: (doc: unknown) => Promise<string[]>;

beforeAll(async () => {
  let got: string[] = [];
  const engine = await loadEngine((e: { type: string; message?: string }) => {
    if (e.type === 'diagnostic' && e.message) got.push(e.message);
  });
  messages = async (doc) => {
    got = [];
    await engine.validate(JSON.stringify(doc));
    return got;
  };
});

/** The list the parser gives in "... (expected one of: a b c)" for an unknown key. */
async function accepted(doc: unknown, where: string): Promise<string[]> {
  const all = await messages(doc);
  const m = all.map((x) => new RegExp(`unknown (?:key|step) '${ODD}'(?: in ${where})? \\((?:expected one of|steps): ([^)]*)\\)`).exec(x)).find(Boolean);
  if (!m) throw new Error(`no list of accepted keys for ${where} in: ${JSON.stringify(all)}`);
  return m[1].trim().split(/\s+/).sort();
}

const sorted = (xs: string[]) => [...xs].sort();
const keysOf = (node: { properties?: object }) => sorted(Object.keys(node.properties ?? {}));
const main = (steps: unknown[], extra: object = {}) => ({ tasks: { main: steps }, ...extra });

describe('scenario.schema.json matches the parser', () => {
  it('has exactly the parser\'s step verbs', async () => {
    expect(sorted(verbs(schema).map((v) => v.name))).toEqual(await accepted(main([{ [ODD]: 1 }]), 'x'));
  });

  // Keys every step may have (nolint), besides its verb's own.
  const everyStep = Object.keys(schema.definitions.verbs.print.properties).filter((k) => k !== 'print');

  it('lets every step have the keys the parser accepts on any step', async () => {
    expect(everyStep).toEqual(['nolint']);
    for (const v of verbs(schema)) expect(Object.keys(schema.definitions.verbs[v.name].properties), v.name).toEqual(expect.arrayContaining(everyStep));
    for (const k of everyStep) expect(await messages(main([{ print: 'x', [k]: true }]))).toEqual([]);
  });

  it.each(verbs(schema).map((v) => v.name))('has exactly the keys the parser accepts on a %s step', async (name) => {
    const got = await accepted(main([{ [name]: 'x', [ODD]: 1 }]), `a '${name}' step`);
    expect(keysOf(schema.definitions.verbs[name]).filter((k) => !everyStep.includes(k))).toEqual(got);
  });

  it('has exactly the keys of a fetch request, an executor job and a for_each map', async () => {
    const fetch = schema.definitions.verbs.fetch.properties.fetch;
    expect(keysOf(fetch)).toEqual(await accepted(main([{ fetch: { url: 'https://example.com/', [ODD]: 1 } }]), 'a fetch request'));
    for (const verb of ['run_in_executor', 'to_thread']) {
      const job = schema.definitions.verbs[verb].properties[verb];
      expect(keysOf(job)).toEqual(await accepted(main([{ [verb]: { duration: '1s', [ODD]: 1 } }]), `a ${verb} step`));
    }
    const forEach = schema.definitions.verbs.for_each.properties.for_each;
    expect(keysOf(forEach)).toEqual(await accepted(main([{ for_each: { gen: 'main', steps: [], [ODD]: 1 } }]), 'for_each'));
  });

  it('has exactly the parser\'s top-level keys', async () => {
    expect(keysOf(schema)).toEqual(await accepted(main([], { [ODD]: 1 }), 'the scenario'));
  });

  it('has exactly the keys of a task, a call and an except handler', async () => {
    const task = schema.properties.tasks.additionalProperties;
    expect(keysOf(task)).toEqual(await accepted({ tasks: { main: { steps: [], [ODD]: 1 } } }, 'a task'));
    expect(keysOf(schema.definitions.call)).toEqual(await accepted(main([{ await: { call: 'main', [ODD]: 1 } }]), 'a call'));
    const handler = main([{ try: [], except: [{ [ODD]: 1 }] }]);
    expect(keysOf(schema.definitions.handler)).toEqual(await accepted(handler, 'an except handler'));
  });

  it('has exactly the keys of a server, a response, a context, a queue and a condition', async () => {
    const server = schema.properties.servers.additionalProperties;
    expect(keysOf(server)).toEqual(await accepted(main([], { servers: { api: { [ODD]: 1 } } }), 'a server'));
    const seq = main([], { servers: { api: { sequence: [{ [ODD]: 1 }] } } });
    expect(keysOf(schema.definitions.response)).toEqual(await accepted(seq, 'a response'));
    expect(keysOf(schema.properties.contexts.additionalProperties)).toEqual(await accepted(main([], { contexts: { c: { [ODD]: 1 } } }), 'a context'));
    const queue = schema.properties.queues.additionalProperties;
    expect(keysOf(queue)).toEqual(await accepted(main([], { queues: { q: { [ODD]: 1 } } }), 'a queue'));
    const condition = schema.properties.conditions.additionalProperties;
    expect(keysOf(condition)).toEqual(await accepted(main([], { conditions: { c: { [ODD]: 1 } } }), 'a condition'));
  });
});
