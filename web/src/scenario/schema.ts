// The editor's schema: scenario.schema.json at the top of the repository, the one description
// of the scenario language (docs/scenarios.md is generated from it too). Hover text (what a
// step does, its asyncio equivalent, an example) is rendered from it by schema-doc.js.
// The engine stays the authority: the schema is permissive where the engine decides (its
// diagnostics become the editor's markers), and it never flags a scenario the engine accepts.

import type { JSONSchema } from 'monaco-yaml';
import raw from '../../../scenario.schema.json';
import { withHoverText } from './schema-doc.js';

export const scenarioSchema = withHoverText(raw) as JSONSchema;
