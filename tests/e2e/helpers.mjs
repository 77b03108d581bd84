// Shared set-up for the end-to-end tests: serve web/dist on a free localhost
// port and drive Debian's Chromium through playwright-core (no browser
// downloads on these machines; see /work/shared/TOOLCHAIN.md).

import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from '../../scripts/serve.mjs';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));
export const DIST = process.env.AIO_DIST ?? join(REPO, 'web/dist');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export async function openSite() {
  if (!existsSync(join(DIST, 'index.html'))) throw new Error('web/dist is missing: run scripts/build.sh first');
  const { server, url } = await startServer({ root: DIST, port: 0 });
  const userDataDir = mkdtempSync(join(tmpdir(), 'aio-e2e-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1400, height: 820 },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  async function close() {
    await context.close();
    await new Promise((done) => server.close(done));
    rmSync(userDataDir, { recursive: true, force: true });
  }
  return { page, url, errors, close, context, userDataDir };
}

/** Load the page and wait until the editor is up and the engine worker has loaded. */
export async function loadPlayground(page, url) {
  await page.goto(url);
  await page.waitForSelector('body[data-editor="ready"]', { timeout: 30_000 });
  await page.waitForSelector('#status .engine[data-status="ready"]', { timeout: 30_000 });
}

export async function chooseExample(page, title) {
  await page.selectOption('#examples', { label: title });
}

export async function setClock(page, clock) {
  await page.click(`.segmented button[data-clock="${clock}"]`);
}

/** Press Run and wait for the run to be over; returns the status phase. */
export async function runAndWait(page, { timeout = 30_000 } = {}) {
  await page.click('#run');
  await page.waitForFunction(() => {
    const p = document.getElementById('status')?.dataset.phase;
    return p && p !== 'running' && p !== 'idle';
  }, undefined, { timeout });
  return page.evaluate(() => document.getElementById('status')?.dataset.phase);
}

export function terminalText(page) {
  return page.evaluate(() => window.aioPlayground.terminalText());
}

/** The status line's phase once it is no longer running (or `timeout` ms passed). */
export async function waitForEnd(page, { timeout = 30_000, polling = 'raf' } = {}) {
  await page.waitForFunction(() => {
    const p = document.getElementById('status')?.dataset.phase;
    return p && p !== 'running' && p !== 'idle';
  }, undefined, { timeout, polling });
  return page.evaluate(() => document.getElementById('status')?.dataset.phase);
}

export function setSource(page, text) {
  return page.evaluate((t) => window.aioPlayground.setSource(t), text);
}

/** Wait until the model's trace text contains `text`. */
export function waitForTrace(page, text, { timeout = 15_000 } = {}) {
  return page.waitForFunction((t) => window.aioPlayground.traceText().includes(t), text, { timeout });
}
