// Real-URL fetch end to end: the page's worker (headless Chromium) and the aio-play CLI (node)
// against a local test server on 127.0.0.1 that this file starts (http-server.mjs). The server
// records connections closed before their answer: that is how an aborted request is observed.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO, loadPlayground, openSite, runAndWait, setClock, terminalText } from './helpers.mjs';
import { refusedPort, startHttpServer } from './http-server.mjs';

const T = { timeout: 90_000 };

function scenario(steps, extraTasks = '') {
  return `title: fetch test\nclock: real\nmain: main\ntasks:\n${extraTasks}  main:\n    steps:\n${steps}`;
}

/** Scenarios shared by the page and the CLI tests. */
function scenarios(srv, refused) {
  return {
    success: scenario(`      - fetch: { url: "${srv.url}/echo", method: POST, headers: { XTest: "v{1 + 1}" }, body: "hello", as: r }
      - print: "echo {r.status} {r.ok} {r.json.method} {r.json.body} {r.json.headers.xtest}"
`),
    status: scenario(`      - fetch: "${srv.url}/status?code=500"
        as: r
      - print: "status {r.status} ok={r.ok} text={r.text} json={r.json}"
`),
    timeout: scenario(`      - try:
          - fetch: { url: "${srv.url}/delay?ms=3000&body=timeout", timeout: 300ms }
        except:
          - error: TimeoutError
            as: e
            steps:
              - print: "caught {e.error}: {e.message}"
`),
    cancel: scenario(
      `      - try:
          - wait_for: { call: slow }
            timeout: 200ms
        except:
          - error: TimeoutError
            steps:
              - print: "wait_for gave up"
`,
      `  slow:
    steps:
      - try:
          - fetch: "${srv.url}/delay?ms=5000&body=cancel"
          - print: "never"
        except:
          - error: CancelledError
            steps:
              - print: "cancelled at the await"
              - raise: CancelledError
`,
    ),
    refused: scenario(`      - try:
          - fetch: "http://127.0.0.1:${refused}/nothing"
        except:
          - error: ConnectionError
            as: e
            steps:
              - print: "caught {e.error}: {e.message}"
`),
  };
}

/** The printed text of a trace line ending with `prefix...`, or fail. */
function printed(trace, prefix) {
  const line = trace.split('\n').find((l) => l.includes('  ' + prefix));
  assert.ok(line, `no line with "${prefix}" in:\n${trace}`);
  return line.slice(line.indexOf('  ' + prefix) + 2);
}

describe('real fetch in the page (headless Chromium)', () => {
  let site;
  let srv;
  let cases;
  before(async () => {
    srv = await startHttpServer();
    cases = scenarios(srv, await refusedPort());
    site = await openSite();
    await loadPlayground(site.page, site.url);
    await setClock(site.page, 'real');
  });
  after(async () => {
    await site?.close();
    await srv?.close();
  });

  async function run(text) {
    await site.page.evaluate((t) => window.aioPlayground.setSource(t), text);
    await setClock(site.page, 'real');
    const phase = await runAndWait(site.page);
    return { phase, trace: await terminalText(site.page) };
  }

  test('a POST with headers and a body: the answer lands in the variable', T, async () => {
    const { phase, trace } = await run(cases.success);
    assert.equal(phase, 'ok', trace);
    assert.equal(printed(trace, 'echo '), 'echo 200 true POST hello v2');
  });

  test('HTTP 500 is a result with its status, not an exception', T, async () => {
    const { phase, trace } = await run(cases.status);
    assert.equal(phase, 'ok', trace);
    assert.equal(printed(trace, 'status '), 'status 500 ok=false text=status 500 json=null');
  });

  test('the per-request timeout raises TimeoutError and aborts the request', T, async () => {
    const before = srv.closedEarly.length;
    const t0 = Date.now();
    const { phase, trace } = await run(cases.timeout);
    assert.equal(phase, 'ok', trace);
    assert.match(printed(trace, 'caught '), /^caught TimeoutError: no answer from http:\/\/127\.0\.0\.1:\d+\/delay\?ms=3000&body=timeout within 300 ms$/);
    assert.ok(Date.now() - t0 < 2500, 'the run did not wait for the server');
    const closed = await srv.waitForClose(2000);
    assert.ok(closed && srv.closedEarly.length > before, 'the server saw the connection close');
  });

  test('cancelling the awaiting task (wait_for 200 ms) aborts the request: the server sees it close', T, async () => {
    srv.closedEarly.length = 0;
    const t0 = Date.now();
    const { phase, trace } = await run(cases.cancel);
    assert.equal(phase, 'ok', trace);
    printed(trace, 'cancelled at the await');
    printed(trace, 'wait_for gave up');
    const closed = await srv.waitForClose(3000);
    assert.ok(closed, 'the server saw no closed connection');
    assert.match(closed.path, /body=cancel/);
    assert.ok(closed.at - t0 < 1500 + 2000, `closed ${closed.at - t0} ms after Run (page load slack included)`);
    assert.doesNotMatch(trace, /never/);
  });

  test('cancel pressed on a task while its request is in flight aborts the request', T, async () => {
    srv.closedEarly.length = 0;
    const { page } = site;
    const text = scenario(`      - spawn: { call: slow }
        as: h
      - try:
          - await: h
        except:
          - error: CancelledError
            steps:
              - print: "main saw the cancel"
`, `  slow:
    steps:
      - fetch: "${srv.url}/delay?ms=8000&body=button"
      - print: "never"
`);
    await page.evaluate((t) => window.aioPlayground.setSource(t), text);
    await setClock(page, 'real');
    await page.click('#run');
    await page
      .waitForFunction(() => window.aioPlayground.tasks().some((t) => t.name === 'h' && /^fetch GET/.test(t.waitingOn)), undefined, { timeout: 10_000 })
      .catch(async (e) => assert.fail(`${e.message}\n${JSON.stringify(await page.evaluate(() => window.aioPlayground.tasks()))}`));
    const t0 = Date.now();
    await page.evaluate(() => window.aioPlayground.cancelTask('h'));
    await page
      .waitForFunction(() => document.getElementById('status')?.dataset.phase === 'ok', undefined, { timeout: 10_000 })
      .catch(async (e) => assert.fail(`${e.message}\n${await terminalText(page)}`));
    printed(await terminalText(page), 'main saw the cancel');
    const closed = await srv.waitForClose(3000);
    assert.ok(closed && /body=button/.test(closed.path), 'the server saw the aborted request');
    assert.ok(closed.at - t0 < 1000, `closed ${closed.at - t0} ms after the cancel`);
  });

  test('a refused connection is a ConnectionError with the browser\'s message', T, async () => {
    const { phase, trace } = await run(cases.refused);
    assert.equal(phase, 'ok', trace);
    assert.match(printed(trace, 'caught '), /^caught ConnectionError: GET http:\/\/127\.0\.0\.1:\d+\/nothing: Failed to fetch/);
  });

  test('a path on the site itself (./demo/quote.json) is fetched from the page\'s origin', T, async () => {
    const { phase, trace } = await run(scenario(`      - fetch: ./demo/quote.json
        as: q
      - print: "quote by {q.json.by} ({q.status})"
`));
    assert.equal(phase, 'ok', trace);
    assert.equal(printed(trace, 'quote by'), 'quote by Rob Pike (200)');
    assert.deepEqual(site.errors, []);
  });
});

/** Run aio-play on `text` asynchronously (the test server lives in this process). */
function aioPlay(text) {
  const dir = mkdtempSync(join(tmpdir(), 'aio-fetch-'));
  const file = join(dir, 'fetch.yaml');
  writeFileSync(file, text);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['cli/aio-play.mjs', 'run', file], { cwd: REPO });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('real fetch in the CLI (node 20 fetch)', () => {
  let srv;
  let cases;
  before(async () => {
    srv = await startHttpServer();
    cases = scenarios(srv, await refusedPort());
  });
  after(() => srv?.close());

  test('aio-play: a POST with headers and a body', T, async () => {
    const r = await aioPlay(cases.success);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.equal(printed(r.stdout, 'echo '), 'echo 200 true POST hello v2');
  });

  test('aio-play: cancelling the awaiting task aborts the request', T, async () => {
    srv.closedEarly.length = 0;
    const t0 = Date.now();
    const r = await aioPlay(cases.cancel);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    printed(r.stdout, 'cancelled at the await');
    const closed = await srv.waitForClose(3000);
    assert.ok(closed && /body=cancel/.test(closed.path), 'the server saw the connection close');
    assert.ok(Date.now() - t0 < 4000, 'the CLI did not wait for the 5 s answer');
  });

  test('aio-play: a refused connection and a timeout are scenario errors with node\'s message', T, async () => {
    const refused = await aioPlay(cases.refused);
    assert.equal(refused.code, 0, refused.stderr);
    assert.match(printed(refused.stdout, 'caught '), /^caught ConnectionError: GET http:\/\/127\.0\.0\.1:\d+\/nothing: fetch failed: connect ECONNREFUSED/);
    const timeout = await aioPlay(cases.timeout);
    assert.equal(timeout.code, 0, timeout.stderr);
    assert.match(printed(timeout.stdout, 'caught '), /^caught TimeoutError: no answer from .* within 300 ms$/);
  });
});
