// A deliberately loose JSON schema for the editor's hovers and completions.
// The engine's validator is the authority (its diagnostics become markers);
// this only describes the top level so it never disagrees with the engine.

import type { JSONSchema } from 'monaco-yaml';

export const scenarioSchema: JSONSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'aio playground scenario',
  type: 'object',
  properties: {
    title: { type: 'string', description: 'Shown in the examples menu.' },
    description: { type: 'string', description: 'What the scenario demonstrates.' },
    clock: {
      enum: ['virtual', 'real'],
      description: 'virtual: the loop jumps to the next timer when nothing is ready. real: sleeps take wall time.',
    },
    main: { type: 'string', description: 'The task the run starts with; the run ends when it finishes.' },
    tasks: {
      type: 'object',
      description: 'Task (coroutine) definitions by name.',
      additionalProperties: {
        type: 'object',
        properties: {
          params: { type: 'array', items: { type: 'string' }, description: 'Parameter names, used as {name} in steps.' },
          steps: { type: 'array', items: { type: 'object' }, description: 'Run in order: print, sleep, await, gather, set, return, ...' },
        },
      },
    },
  },
};
