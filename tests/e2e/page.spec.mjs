// The page in headless Chromium, against the built site (web/dist) served on a
// free localhost port. Run by scripts/test-all.mjs (node --test).

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { REPO, chooseExample, loadPlayground, openSite, runAndWait, setClock, terminalText } from './helpers.mjs';

const T = { timeout: 90_000 };

/** The trace line holding `text`, as `[   4500ms] task  text`. */
function traceLine(text, trace) {
  const line = trace.split('\n').find((l) => l.endsWith('  ' + text));
  assert.ok(line, `no trace line ends with "${text}" in:\n${trace}`);
  return line;
}

const REAL_SHORT = `title: Gather vs sequential, short and real
clock: real
main: main
tasks:
  download:
    params: [name, ms]
    steps:
      - print: "start {name}"
      - sleep: "{ms}ms"
      - print: "done {name}"
  main:
    steps:
      - set: { t0: "{now}" }
      - await: { call: download, args: { name: a, ms: 300 } }
      - await: { call: download, args: { name: b, ms: 150 } }
      - await: { call: download, args: { name: c, ms: 225 } }
      - print: "sequential took {now - t0} ms"
      - set: { t1: "{now}" }
      - gather:
          - { call: download, args: { name: a, ms: 300 } }
          - { call: download, args: { name: b, ms: 150 } }
          - { call: download, args: { name: c, ms: 225 } }
      - print: "gather took {now - t1} ms"
`;

// Each level is a scenario task call awaited inline: the engine nests coroutines 100,000 deep
// (inline up to a fixed depth, then trampolined through the ready queue).
const DEEP = `title: deep recursion
main: main
tasks:
  rec:
    params: [n]
    steps:
      - if: "n == 0"
        then:
          - return: 0
      - await: { call: rec, args: { n: "{n - 1}" } }
        as: r
      - return: "{r + 1}"
  main:
    steps:
      - await: { call: rec, args: { n: 100000 } }
        as: depth
      - print: "depth {depth}"
`;

const YAML_ERROR_LINE = 7;
const BROKEN_YAML = `title: Broken on purpose
main: main
tasks:
  main:
    steps:
      - print: "Hello"
      - sleep: 500ms: oops
      - print: "after"
`;

describe('aio playground page', () => {
  let site;
  before(async () => {
    site = await openSite();
    await loadPlayground(site.page, site.url);
  });
  after(async () => {
    await site?.close();
  });

  test('gather vs sequential, virtual clock: the trace ends with both timings', T, async () => {
    const { page } = site;
    await chooseExample(page, 'Gather vs sequential awaits');
    await setClock(page, 'virtual');
    assert.equal(await runAndWait(page), 'ok');
    const trace = await terminalText(page);
    assert.match(traceLine('sequential took 4500 ms', trace), /^\[   4500ms\] /);
    assert.match(traceLine('gather took 2000 ms', trace), /^\[   6500ms\] /);
    const lines = trace.split('\n');
    const last = lines.findLastIndex((l) => l.includes('gather took'));
    assert.ok(lines.length - last <= 4, `"gather took" should be among the last lines:\n${lines.slice(-6).join('\n')}`);
    assert.deepEqual(site.errors, []);
  });

  test('100,000-deep recursion of awaited calls runs in the Chromium worker', T, async () => {
    const { page } = site;
    await page.evaluate((text) => window.aioPlayground.setSource(text), DEEP);
    await setClock(page, 'virtual');
    assert.equal(await runAndWait(page, { timeout: 60_000 }), 'ok');
    traceLine('depth 100000', await terminalText(page));
    assert.deepEqual(site.errors, []);
  });

  test('real clock: a run takes the wall time its sleeps add up to', T, async () => {
    const { page } = site;
    await page.evaluate((text) => window.aioPlayground.setSource(text), REAL_SHORT);
    await setClock(page, 'real');
    const expected = 300 + 150 + 225 + 300;
    const t0 = Date.now();
    assert.equal(await runAndWait(page), 'ok');
    const measured = Date.now() - t0;
    const pageWall = Number(await page.getAttribute('#status', 'data-wall-ms'));
    for (const [what, ms] of [['test', measured], ['page', pageWall]]) {
      assert.ok(ms >= 0.9 * expected && ms < 3 * expected, `${what} measured ${ms} ms, expected about ${expected} ms`);
    }
    const trace = await terminalText(page);
    const seq = Number(trace.match(/sequential took ([\d.]+) ms/)?.[1]);
    assert.ok(seq >= 675 && seq < 3 * 675, `sequential took ${seq} ms in real mode`);
    const gather = Number(trace.match(/gather took ([\d.]+) ms/)?.[1]);
    assert.ok(gather >= 300 && gather < 3 * 300, `gather took ${gather} ms in real mode`);
  });

  test('a YAML syntax error becomes a marker and a red line; the page keeps working', T, async () => {
    const { page } = site;
    await page.evaluate((text) => window.aioPlayground.setSource(text), BROKEN_YAML);
    await setClock(page, 'virtual');
    assert.equal(await runAndWait(page), 'invalid');
    const markers = await page.evaluate(() => window.aioPlayground.getMarkers());
    assert.ok(markers.length >= 1, 'expected a marker');
    assert.equal(markers[0].line, YAML_ERROR_LINE);
    assert.equal(markers[0].severity, 'error');
    // Monaco draws it: a squiggle in the editor.
    await page.waitForSelector('#editor .squiggly-error', { timeout: 10_000 });
    const trace = await terminalText(page);
    assert.match(trace, new RegExp(`^error  line ${YAML_ERROR_LINE}:\\d+: YAML: `, 'm'));
    // Red: the terminal's DOM renderer gives the cell an inline colour or a class.
    const red = await page.evaluate((n) => {
      const spans = [...document.querySelectorAll('#terminal .xterm-rows span')];
      const s = spans.find((x) => x.textContent?.includes(`line ${n}:`));
      return s ? getComputedStyle(s).color : null;
    }, YAML_ERROR_LINE);
    assert.equal(red, 'rgb(255, 95, 95)');

    await chooseExample(page, 'Gather vs sequential awaits');
    assert.deepEqual(await page.evaluate(() => window.aioPlayground.getMarkers()), []);
    assert.equal(await runAndWait(page), 'ok');
    assert.match(await terminalText(page), /gather took 2000 ms/);
  });

  test('an engine diagnostic becomes a marker at the line its JSON pointer names', T, async () => {
    const { page } = site;
    const text = 'title: unknown step\nmain: main\ntasks:\n  main:\n    steps:\n      - print: "ok"\n      - explode: now\n';
    await page.evaluate((t) => window.aioPlayground.setSource(t), text);
    assert.equal(await runAndWait(page), 'invalid');
    const markers = await page.evaluate(() => window.aioPlayground.getMarkers());
    assert.ok(markers.length >= 1, 'expected a marker');
    assert.equal(markers[0].line, 7);
    assert.match(await terminalText(page), /^\[\s+\d+ms\] error  line 7:\d+: /m);
    assert.equal(await page.getAttribute('#status', 'data-phase'), 'invalid');
  });

  test('Stop ends a long real-clock run, and the next run works', T, async () => {
    const { page } = site;
    await page.evaluate(() =>
      window.aioPlayground.setSource('title: long\nmain: main\ntasks:\n  main:\n    steps:\n      - print: "going to sleep"\n      - sleep: 60s\n      - print: "woke"\n'),
    );
    await setClock(page, 'real');
    await page.click('#run');
    await page.waitForFunction(() => document.getElementById('status')?.dataset.phase === 'running');
    await page.waitForFunction(() => window.aioPlayground.traceText().includes('going to sleep'), undefined, { timeout: 15_000 });
    await page.click('#stop');
    await page.waitForFunction(() => document.getElementById('status')?.dataset.phase === 'stopped', undefined, { timeout: 5_000 });
    assert.match(await terminalText(page), /stopped/);
    await chooseExample(page, 'Hello, asyncio');
    assert.equal(await runAndWait(page), 'ok');
    assert.match(await terminalText(page), /\[    500ms\] \S+  \.\.\.world, half a second later/);
  });

  test('screenshot after a run: the terminal shows the trace', T, async () => {
    const { page } = site;
    await chooseExample(page, 'Gather vs sequential awaits');
    await setClock(page, 'virtual');
    assert.equal(await runAndWait(page), 'ok');
    // What is drawn, not just the buffer: the visible rows hold the last lines.
    await page.waitForFunction(() => document.querySelector('#terminal .xterm-rows')?.textContent?.includes('gather took 2000 ms'));
    const out = join(REPO, 'test-results/page-after-run.png');
    mkdirSync(join(REPO, 'test-results'), { recursive: true });
    await page.screenshot({ path: out });
    assert.ok(statSync(out).size > 20_000, 'screenshot looks empty');
    copyFileSync(out, join(REPO, 'docs/screenshot.png'));
  });
});
