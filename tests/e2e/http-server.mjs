// A small HTTP server for the real-fetch tests and demos, on 127.0.0.1 only:
//   GET  /delay?ms=N[&body=text]   answers 200 after N ms (default 1000)
//   GET  /status?code=N            answers with status N and body "status N"
//   ANY  /echo                     answers JSON {method, headers, body} of the request
//   GET  /json                     answers {"quote": ..., "n": 42}
// Every answer allows any origin (CORS), so the page on another port may read it. The server
// records each request that the client abandoned before its answer was sent (the connection
// closed early): `closedEarly` entries {path, at} — that is how a test sees an aborted fetch.
//
// As a program (a demo server for examples/real-fetch.yaml): node tests/e2e/http-server.mjs [PORT]
// (default 8123); it stops by itself after an hour.

import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';

const CORS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS',
  'access-control-allow-headers': '*',
  'access-control-expose-headers': '*',
};

/** Start the server; resolves to { url, port, closedEarly, requests, waitForClose, close }. */
export async function startHttpServer({ port = 0 } = {}) {
  const closedEarly = [];
  const requests = [];
  const waiters = [];
  const timers = new Set();

  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    requests.push({ method: req.method, path: url.pathname + url.search, at: Date.now() });
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      if (req.method === 'OPTIONS') {
        res.writeHead(204, CORS).end();
        return;
      }
      const send = (status, body, type = 'text/plain') => {
        if (res.destroyed) return;
        res.writeHead(status, { ...CORS, 'content-type': type, 'x-test-server': 'aio' });
        res.end(body);
      };
      if (url.pathname === '/delay') {
        const ms = Math.max(0, Math.min(60_000, Number(url.searchParams.get('ms') ?? 1000) || 0));
        const timer = setTimeout(() => {
          timers.delete(timer);
          send(200, url.searchParams.get('body') ?? `waited ${ms} ms`);
        }, ms);
        timers.add(timer);
        res.on('close', () => {
          if (res.writableFinished) return;
          clearTimeout(timer);
          timers.delete(timer);
          const entry = { path: url.pathname + url.search, at: Date.now() };
          closedEarly.push(entry);
          for (const w of waiters.splice(0)) w(entry);
        });
      } else if (url.pathname === '/status') {
        const code = Number(url.searchParams.get('code') ?? 500);
        send(code >= 200 && code <= 599 ? code : 400, `status ${code}`);
      } else if (url.pathname === '/echo') {
        const body = Buffer.concat(chunks).toString('utf8');
        send(200, JSON.stringify({ method: req.method, headers: req.headers, body }), 'application/json');
      } else if (url.pathname === '/json') {
        send(200, JSON.stringify({ quote: 'Concurrency is not parallelism.', n: 42 }), 'application/json');
      } else {
        send(404, 'not found');
      }
    });
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  const actual = server.address().port;
  return {
    url: `http://127.0.0.1:${actual}`,
    port: actual,
    closedEarly,
    requests,
    /** Resolves with the next early close (or one already seen), or null after `ms`. */
    waitForClose(ms = 5000) {
      if (closedEarly.length) return Promise.resolve(closedEarly[closedEarly.length - 1]);
      return new Promise((resolve) => {
        const t = setTimeout(() => resolve(null), ms);
        waiters.push((e) => {
          clearTimeout(t);
          resolve(e);
        });
      });
    },
    close() {
      for (const t of timers) clearTimeout(t);
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}

/** A port on 127.0.0.1 that nothing listens on (bound, then released). */
export async function refusedPort() {
  const s = createServer();
  await new Promise((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address();
  await new Promise((resolve) => s.close(resolve));
  return port;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const port = Number(process.argv[2] ?? 8123);
  const s = await startHttpServer({ port });
  console.log(`test server on ${s.url} (/delay?ms=N, /status?code=N, /echo, /json); stops in an hour, or press Ctrl-C`);
  setTimeout(() => s.close().then(() => process.exit(0)), 3_600_000).unref(); // the listening server keeps node alive
}
