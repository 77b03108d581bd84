// The editor driven by scenario.schema.json (monaco-yaml): no schema complaint on any example
// (the same validator the learner sees), hover text from the schema, completion of step verbs.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { REPO, loadPlayground, openSite } from './helpers.mjs';

const T = { timeout: 120_000 };

/** Markers of monaco-yaml's schema validation (our own engine markers have owner "aio"). */
function schemaMarkers(page) {
  return page.evaluate(() => window.aioPlayground.getAllMarkers().filter((m) => m.owner !== 'aio'));
}

/** Set the text and wait until monaco-yaml has validated it (its markers settle). */
async function setAndSettle(page, text) {
  await page.evaluate((t) => window.aioPlayground.setSource(t), text);
  let last = '';
  for (let i = 0; i < 20; i++) {
    await page.waitForTimeout(150);
    const now = JSON.stringify(await schemaMarkers(page));
    if (i >= 4 && now === last) return JSON.parse(now);
    last = now;
  }
  return JSON.parse(last);
}

describe('the editor and scenario.schema.json', () => {
  let site;
  before(async () => {
    site = await openSite();
    await loadPlayground(site.page, site.url);
  });
  after(async () => site?.close());

  test('the schema validation in the editor works: a wrong key is flagged', T, async () => {
    const markers = await setAndSettle(site.page, 'tasks:\n  main:\n    - print: hi\nclocks: real\n');
    assert.ok(markers.some((m) => m.line === 4), JSON.stringify(markers));
  });

  test('no example gets a schema complaint in the editor', T, async () => {
    const files = readdirSync(join(REPO, 'examples')).filter((f) => f.endsWith('.yaml'));
    const complaints = [];
    for (const f of files) {
      const markers = await setAndSettle(site.page, readFileSync(join(REPO, 'examples', f), 'utf8'));
      for (const m of markers) complaints.push(`${f}:${m.line}:${m.col}: ${m.message}`);
    }
    assert.deepEqual(complaints, []);
  });

  test('hovering a step verb explains it with its asyncio equivalent and an example', T, async () => {
    const { page } = site;
    await setAndSettle(page, 'tasks:\n  main:\n    - print: hi\n    - sleep: 500ms\n');
    const word = page.locator('#editor .view-line span', { hasText: /^sleep$/ }).first();
    await word.hover();
    const hover = page.locator('.monaco-hover-content', { hasText: 'asyncio' });
    await hover.first().waitFor({ timeout: 15_000 });
    const text = await hover.first().innerText();
    assert.match(text, /Suspend this task for a duration/);
    assert.match(text, /await asyncio\.sleep\(0\.5\)/);
    assert.match(text, /- sleep: 500ms/);
  });

  test('completion offers the step verbs', T, async () => {
    const { page } = site;
    await setAndSettle(page, 'tasks:\n  main:\n    - print: hi\n    - ');
    await page.click('#editor .view-lines');
    await page.keyboard.press('Control+End');
    await page.keyboard.type('ga');
    await page.keyboard.press('Control+Space');
    const row = page.locator('.suggest-widget .monaco-list-row', { hasText: 'gather' });
    await row.first().waitFor({ timeout: 15_000 });
    assert.deepEqual(site.errors, []);
  });
});
