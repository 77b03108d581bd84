// The page's Python tab (ui/python-tab.ts) and the expect: report (ui/expect-panel.ts) in
// headless Chromium, against the built site (web/dist).

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { REPO, chooseExample, loadPlayground, openSite, runAndWait } from './helpers.mjs';

const T = { timeout: 90_000 };
const SHOTS = join(REPO, 'test-results');

const pythonText = (page) => page.evaluate(() => window.aioPlayground.pythonText());
const waitPython = (page, state) => page.waitForSelector(`#python[data-state="${state}"]`, { timeout: 20_000 });

describe('the Python tab', () => {
  let site;
  before(async () => {
    site = await openSite();
    await site.page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    await loadPlayground(site.page, site.url);
  });
  after(async () => site?.close());

  test('shows the current example as Python, highlighted, read-only, beside the editor', T, async () => {
    const { page, errors } = site;
    await chooseExample(page, 'Gather vs sequential awaits');
    assert.equal(await page.getAttribute('#tab-scenario', 'aria-selected'), 'true');
    assert.equal(await page.isVisible('#python'), false);
    await page.click('#tab-python');
    await waitPython(page, 'ok');
    assert.equal(await page.getAttribute('#tab-python', 'aria-selected'), 'true');
    assert.equal(await page.isVisible('#editor'), false);
    const text = await pythonText(page);
    assert.match(text, /^import asyncio$/m);
    assert.match(text, /await asyncio\.gather\(/);
    assert.match(text, /asyncio\.run\(/);
    // Monaco's Python tokenizer: keywords get their own token class, so the text is highlighted.
    assert.equal(await page.getAttribute('#python', 'data-mode-id'), 'python');
    const colours = await page.$$eval('#python .view-line span span', (spans) => new Set(spans.map((s) => getComputedStyle(s).color)).size);
    assert.ok(colours >= 3, `only ${colours} colours: not highlighted`);
    // Read-only: typing changes nothing.
    await page.click('#python .view-lines');
    await page.keyboard.type('xyz');
    assert.equal(await pythonText(page), text);
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: join(SHOTS, 'python-tab.png') });
    assert.deepEqual(errors, []);
  });

  test('Copy puts the program on the clipboard', T, async () => {
    const { page } = site;
    await page.click('#python-copy');
    await page.waitForFunction(() => document.getElementById('python-copy')?.textContent?.startsWith('Copied'));
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), await pythonText(page));
  });

  test('follows the scenario as it is edited, and shows errors as comments', T, async () => {
    const { page } = site;
    await page.evaluate(() =>
      window.aioPlayground.setSource('tasks:\n  main:\n    - print: "edited while the tab is open"\n    - sleep: 250ms\n'),
    );
    await page.waitForFunction(() => window.aioPlayground.pythonText().includes('edited while the tab is open'), undefined, { timeout: 20_000 });
    assert.match(await pythonText(page), /await asyncio\.sleep\(0\.25\)/);
    await page.evaluate(() => window.aioPlayground.setSource('tasks:\n  main:\n    - slep: 1s\n'));
    await waitPython(page, 'invalid');
    const text = await pythonText(page);
    assert.match(text, /^# The scenario has errors; fix it to see the Python program:/);
    assert.match(text, /line 3:\d+: unknown step 'slep': did you mean 'sleep'\?/);
    assert.equal(await page.isDisabled('#python-copy'), true);
    await page.evaluate(() => window.aioPlayground.setSource('tasks: [\n'));
    await page.waitForFunction(() => window.aioPlayground.pythonText().includes('not valid YAML'), undefined, { timeout: 20_000 });
  });

  test('an edit made on the scenario tab shows when the Python tab opens again', T, async () => {
    const { page } = site;
    await page.click('#tab-scenario');
    assert.equal(await page.isVisible('#editor'), true);
    await page.evaluate(() => window.aioPlayground.setSource('tasks:\n  main:\n    - print: "made on the other tab"\n'));
    await page.click('#tab-python');
    await page.waitForFunction(() => window.aioPlayground.pythonText().includes('made on the other tab'), undefined, { timeout: 20_000 });
    await page.click('#tab-scenario');
  });
});

describe('the expect: report', () => {
  let site;
  before(async () => {
    site = await openSite();
    await loadPlayground(site.page, site.url);
  });
  after(async () => site?.close());

  const scenario = (lines) =>
    `tasks:\n  main:\n    - print: start\n    - sleep: 1500ms\n    - print: "consumer: got 3"\nexpect:\n${lines.map((l) => `  - "${l}"`).join('\n')}\n`;

  test('passes, line by line, when the prints match', T, async () => {
    const { page } = site;
    await page.evaluate((s) => window.aioPlayground.setSource(s), scenario(['[     0ms] start', '[  1500ms] consumer: got 3']));
    assert.equal(await runAndWait(page), 'ok');
    await page.waitForSelector('#expect-report[data-result="pass"]');
    assert.equal(await page.textContent('#expect-report .expect-head'), 'expect: all 2 lines passed');
    assert.deepEqual(await page.$$eval('#expect-report li', (li) => li.map((l) => [l.className, l.textContent])), [
      ['pass', '✓ [     0ms] start'],
      ['pass', '✓ [  1500ms] consumer: got 3'],
    ]);
  });

  test('fails the lines that do not match, saying why', T, async () => {
    const { page } = site;
    await page.evaluate((s) => window.aioPlayground.setSource(s), scenario(['start', '[  1000ms] consumer: got 3', 'never said']));
    assert.equal(await runAndWait(page), 'ok');
    await page.waitForSelector('#expect-report[data-result="fail"]');
    assert.equal(await page.textContent('#expect-report .expect-head'), 'expect: 2 of 3 lines failed');
    const items = await page.$$eval('#expect-report li', (li) => li.map((l) => [l.className, l.textContent]));
    assert.deepEqual(items, [
      ['pass', '✓ start'],
      ['fail', '✗ [  1000ms] consumer: got 3  — printed at 1500 ms, not at 1000 ms'],
      ['fail', '✗ never said  — never printed'],
    ]);
    const report = await page.evaluate(() => window.aioPlayground.expectReport());
    assert.deepEqual([report.passed, report.failed], [1, 2]);
    await page.screenshot({ path: join(SHOTS, 'expect-report.png') });
  });

  test('is hidden for a scenario without expect:', T, async () => {
    const { page } = site;
    await chooseExample(page, 'Hello, asyncio');
    assert.equal(await runAndWait(page), 'ok');
    assert.equal(await page.isVisible('#expect-report'), false);
    assert.deepEqual(site.errors, []);
  });
});
