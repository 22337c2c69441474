// Headless Chromium (Debian's /usr/bin/chromium driven by playwright-core): the scratch
// project is served on 127.0.0.1; the page maps 'wechat-kf' to the package's browser entry
// with an import map, calls `await init()` and runs the suite.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';
import { chromium } from 'playwright-core';
import { resolveBin, withTimeout } from './harness.mjs';

export const expectedEntry = 'loaders/browser.js';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
};
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

export async function run(ctx) {
  const executablePath = resolveBin('chromium');
  const pkg = JSON.parse(readFileSync(join(ctx.scratch, 'node_modules/wechat-kf/package.json'), 'utf8'));
  const browserEntry = pkg.exports['.'].browser;
  const importMap = JSON.stringify({ imports: { 'wechat-kf': `/node_modules/wechat-kf/${browserEntry.replace(/^\.\//, '')}` } });

  const notes = [];
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    const file = normalize(join(ctx.scratch, path === '/' ? 'chromium.entry.html' : path));
    if (!file.startsWith(ctx.scratch + sep)) return res.writeHead(403).end();
    try {
      let body = await readFile(file);
      if (file.endsWith('chromium.entry.html')) body = body.toString().replace('__IMPORT_MAP__', importMap);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
      res.end(body);
    } catch {
      notes.push(`HTTP 404 ${path}`);
      res.writeHead(404).end('not found');
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  ctx.defer(() => new Promise((resolve) => server.close(resolve)));
  server.closeAllConnections && ctx.defer(() => server.closeAllConnections());

  // launch() (unlike launchPersistentContext) starts from a fresh temporary profile and
  // deletes it on close.
  const browser = await withTimeout(
    chromium.launch({ executablePath, headless: true, args: FLAGS, timeout: ctx.timeoutMs,
      handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false }), // run-all cleans up
    ctx.timeoutMs, 'chromium launch');
  ctx.defer(() => browser.close().catch(() => {}));

  const page = await browser.newPage();
  page.on('console', (m) => { if (m.type() === 'error') notes.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => notes.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => notes.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
  try {
    await page.goto(`http://127.0.0.1:${server.address().port}/`, { timeout: ctx.timeoutMs });
    await page.waitForFunction(() => window.__suiteResult !== undefined, null, { timeout: ctx.timeoutMs });
    // evaluate() awaits the page's promise, with no timeout of its own.
    const result = await withTimeout(page.evaluate(() => window.__suiteResult), ctx.timeoutMs, 'chromium suite');
    if (result.error) throw new Error(`page threw: ${result.error}`);
    result.entry = result.entry && new URL(result.entry).pathname.replace(/^\//, '');
    return result;
  } catch (e) {
    // Playwright appends Chromium's whole stderr (mostly D-Bus noise): keep it for --verbose.
    if (!ctx.verbose) e.message = e.message.replace(/\n\s*Browser logs:[\s\S]*/, '');
    if (notes.length) e.message += `\n--- page ---\n${notes.slice(-30).join('\n')}`;
    throw e;
  }
}
