// The examples menu's contents: every examples/*.yaml, bundled at build time.
// Each is listed by its `title:` (falling back to the file name).

import { parse } from 'yaml';

export interface Example {
  /** File name without extension, e.g. `gather-vs-sequential`. */
  id: string;
  title: string;
  description: string;
  clock: 'virtual' | 'real';
  source: string;
}

const files = import.meta.glob('../../../examples/*.yaml', { query: '?raw', import: 'default', eager: true }) as Record<
  string,
  string
>;

function describe(path: string, source: string): Example {
  const id = path.replace(/^.*\//, '').replace(/\.yaml$/, '');
  let meta: Record<string, unknown> = {};
  try {
    const parsed: unknown = parse(source);
    if (parsed && typeof parsed === 'object') meta = parsed as Record<string, unknown>;
  } catch {
    // A broken example still shows up, under its file name; running it reports the error.
  }
  return {
    id,
    title: typeof meta.title === 'string' ? meta.title : id,
    description: typeof meta.description === 'string' ? meta.description.trim() : '',
    clock: meta.clock === 'real' ? 'real' : 'virtual',
    source,
  };
}

/** hello first (the natural first click), then the rest by title. */
export const examples: Example[] = Object.entries(files)
  .map(([path, source]) => describe(path, source))
  .sort((a, b) => (a.id === 'hello' ? -1 : b.id === 'hello' ? 1 : a.title.localeCompare(b.title)));
