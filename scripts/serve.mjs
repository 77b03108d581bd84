#!/usr/bin/env node
// A small static file server for the built site (web/dist). Used by
// `npm start` and by the end-to-end tests. Localhost only.
//
//   node scripts/serve.mjs [--port N] [--root DIR]   (port: 5173 or the next free one)

import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ttf': 'font/ttf',
  '.woff2': 'font/woff2',
  '.yaml': 'text/yaml; charset=utf-8',
};

export const DEFAULT_ROOT = fileURLToPath(new URL('../web/dist/', import.meta.url));

function handler(root) {
  return async (req, res) => {
    try {
      const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
      let file = normalize(join(root, path));
      if (file !== root.replace(/[\\/]$/, '') && !file.startsWith(root.endsWith(sep) ? root : root + sep)) {
        res.writeHead(403).end('forbidden');
        return;
      }
      if ((await stat(file).catch(() => null))?.isDirectory()) file = join(file, 'index.html');
      const body = await readFile(file);
      res.writeHead(200, {
        'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
        'cache-control': 'no-cache',
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    }
  };
}

/**
 * Serve `root` on 127.0.0.1. port 0 = any free port; otherwise try `port`,
 * then the next ones. Resolves to { server, url, port }.
 */
export async function startServer({ root = DEFAULT_ROOT, port = 0, host = '127.0.0.1', tries = 50 } = {}) {
  const absRoot = resolve(root);
  for (let i = 0; i < tries; i++) {
    const server = createServer(handler(absRoot));
    const want = port === 0 ? 0 : port + i;
    const ok = await new Promise((done) => {
      server.once('error', () => done(false));
      server.listen(want, host, () => done(true));
    });
    if (ok) {
      const actual = server.address().port;
      return { server, port: actual, url: `http://${host}:${actual}/` };
    }
    if (port === 0) break;
  }
  throw new Error(`no free port from ${port}`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const opt = (name, fallback) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : fallback;
  };
  const root = resolve(opt('--root', DEFAULT_ROOT));
  const { port } = await startServer({ root, port: Number(opt('--port', 5173)) });
  console.log(`\n  aio playground is running at  http://localhost:${port}/\n  (serving ${root}; Ctrl+C to stop)\n`);
}
