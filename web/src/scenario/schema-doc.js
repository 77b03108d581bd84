// @ts-check
// Reading scenario.schema.json (the single description of the scenario language) for people:
// the editor's hover text (scenario/schema.ts) and the reference page docs/scenarios.md
// (scripts/gen-scenario-docs.mjs) are both rendered from it here, so they always agree.
// Plain JavaScript so node (the docs script, tests) and the page (Vite) import the same file.

import { Document, isCollection, stringify, visit } from 'yaml';

/**
 * @typedef {Record<string, any>} Schema   a JSON Schema node (loosely typed on purpose)
 *
 * @typedef {object} Verb
 * @property {string} name
 * @property {string} family          key of the schema's x-families
 * @property {string} description     what the step does
 * @property {string} asyncio         the asyncio equivalent
 * @property {Schema} value           the schema of the verb key's value
 * @property {string} valueDoc        what that value is
 * @property {{ key: string, required: boolean, schema: Schema }[]} fields   the other keys
 * @property {unknown[]} examples     steps
 */

/**
 * The schema node a local `$ref` points at (`#/definitions/...`), or the node itself.
 * @param {Schema} root
 * @param {Schema} node
 * @returns {Schema}
 */
export function deref(root, node) {
  let n = node;
  for (let i = 0; i < 16 && n && typeof n.$ref === 'string' && n.$ref.startsWith('#/'); i++) {
    const target = n.$ref
      .slice(2)
      .split('/')
      .reduce((/** @type {any} */ at, /** @type {string} */ k) => at?.[k.replace(/~1/g, '/').replace(/~0/g, '~')], root);
    // Keywords next to the $ref (a local description) win over the target's.
    const { $ref, ...local } = n;
    n = { ...target, ...local };
  }
  return n;
}

/**
 * Every step verb the schema describes, in the schema's (documentation) order.
 * @param {Schema} schema
 * @returns {Verb[]}
 */
export function verbs(schema) {
  const all = schema.definitions?.verbs ?? {};
  const common = commonStepKeys(schema);
  return Object.entries(all).map(([name, v]) => {
    const props = /** @type {Schema} */ (v.properties ?? {});
    const required = /** @type {string[]} */ (v.required ?? []);
    return {
      name,
      family: v['x-family'] ?? '',
      description: props[name]?.description ?? '',
      asyncio: v['x-asyncio'] ?? '',
      value: props[name] ?? {},
      valueDoc: v['x-value'] ?? '',
      fields: Object.entries(props)
        .filter(([k]) => k !== name && !common.includes(k))
        .map(([key, s]) => ({ key, required: required.includes(key), schema: /** @type {Schema} */ (s) })),
      examples: v.examples ?? [],
    };
  });
}

/**
 * The keys every step may have whatever its verb (nolint), described once rather than per verb.
 * @param {Schema} schema
 * @returns {string[]}
 */
export function commonStepKeys(schema) {
  const all = Object.entries(schema.definitions?.verbs ?? {});
  if (all.length === 0) return [];
  const keys = (/** @type {[string, Schema]} */ [name, v]) => Object.keys(v.properties ?? {}).filter((k) => k !== name);
  return keys(all[0]).filter((k) => all.every((e) => keys(e).includes(k)));
}

/**
 * A value (a step, a map, a list) as the YAML a scenario would contain.
 * @param {unknown} value
 * @param {boolean} [asStep] write it as a list item (`- sleep: 1s`)
 */
export function toYaml(value, asStep = false) {
  const doc = new Document(asStep ? [value] : value);
  // Small inner maps and lists read best inline: `- spawn: { call: worker, args: { n: 1 } }`.
  const top = asStep ? 2 : 1; // the list item and the step map stay block style
  visit(doc, (_key, node, path) => {
    if (!isCollection(node) || path.filter(isCollection).length < top) return;
    const flat = stringify(node.toJSON(), { collectionStyle: 'flow', lineWidth: 0 }).trim();
    if (flat.length <= 48) node.flow = true;
    return node.flow ? visit.SKIP : undefined;
  });
  return doc.toString({ flowCollectionPadding: true, lineWidth: 0 }).trimEnd();
}

/**
 * The hover text of a verb key: what it does, the asyncio equivalent, the keys it takes, an
 * example.
 * @param {Verb} v
 */
export function verbMarkdown(v) {
  const out = [v.description];
  if (v.asyncio) out.push('', 'asyncio: `' + v.asyncio + '`');
  if (v.fields.length > 0) out.push('', 'with: ' + v.fields.map((f) => '`' + f.key + '`' + (f.required ? ' (required)' : '')).join(', '));
  for (const ex of v.examples.slice(0, 1)) out.push('', '```yaml', toYaml(ex, true), '```');
  return out.join('\n');
}

/**
 * A short type description of a field's schema, for the reference tables.
 * @param {Schema} root
 * @param {Schema} node
 * @returns {string}
 */
export function typeName(root, node) {
  if (typeof node['x-type'] === 'string') return node['x-type']; // a type the schema names for readers
  if (node.$ref) {
    const name = String(node.$ref).split('/').pop() ?? '';
    if (['duration', 'template', 'condition', 'steps', 'name', 'awaitable', 'awaitables', 'call', 'args'].includes(name)) return name;
    return typeName(root, deref(root, node));
  }
  if (Array.isArray(node.enum)) return node.enum.join(' | ');
  if (node.anyOf) return node.anyOf.map((/** @type {Schema} */ n) => typeName(root, n)).join(' or ');
  /** @param {string} t */
  const one = (t) => {
    if (t === 'array') return 'list' + (node.items ? ' of ' + typeName(root, node.items) : '');
    if (t === 'object') return node.required?.includes('call') ? 'call' : 'map';
    if (t === 'string' && node.required?.includes('call')) return 'name';
    return t;
  };
  if (Array.isArray(node.type)) return node.type.map(one).join(' or ');
  return node.type ? one(node.type) : 'any value';
}

/**
 * A copy of the schema with `markdownDescription` on every verb key (for monaco-yaml's
 * hover: description, asyncio equivalent, example) and on every described property.
 * @param {Schema} schema
 * @returns {Schema}
 */
export function withHoverText(schema) {
  const copy = structuredClone(schema);
  for (const v of verbs(schema)) {
    const prop = copy.definitions.verbs[v.name].properties[v.name];
    prop.markdownDescription = verbMarkdown(v);
  }
  /** @param {Schema} props */
  const top = (props) => {
    for (const [key, p] of Object.entries(props)) {
      if (!p.description || !p.examples) continue;
      p.markdownDescription = p.description + '\n\n```yaml\n' + toYaml({ [key]: p.examples[0] }) + '\n```';
    }
  };
  top(copy.properties);
  return copy;
}
