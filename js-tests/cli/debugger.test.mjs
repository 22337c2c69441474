// `wechat-kf debugger` from the packed tarball: serves the shipped page on 127.0.0.1 and prints
// its URL; only the page's files, the browser entry's modules and the .wasm are served, with
// their content types and a CSP of default-src 'self'; a foreign Host header is refused; a
// non-loopback --host is refused without --allow-non-loopback; SIGTERM stops it cleanly.
// (The page itself is driven in Chromium by js-tests/debugger/.)
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { installScratch, killAll, run, start, until } from './helpers.mjs';

let scratch;
let proc;
let base;
before(async () => {
  scratch = await installScratch();
  proc = start(scratch.bin, ['debugger', '--port', '0'], { cwd: scratch.dir });
  base = await until(() => /open (http:\/\/127\.0\.0\.1:(\d+))\/devtools\/debugger\//.exec(proc.output().stdout), 15_000, 'wechat-kf debugger');
});
after(async () => { await killAll(); scratch?.remove(); });

/** A GET to the server with the given Host header: { status, headers, body }. */
function get(path, host = `127.0.0.1:${base[2]}`) {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: Number(base[2]), path, headers: { host }, timeout: 5000 }, (res) => {
      let body = '';
      res.setEncoding('latin1');
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.end();
  });
}

test('serves the page, the browser entry and the .wasm with their types and a CSP', async () => {
  const page = await get('/devtools/debugger/');
  assert.equal(page.status, 200);
  assert.match(page.headers['content-type'], /^text\/html/);
  assert.match(page.headers['content-security-policy'], /^default-src 'self'/);
  assert.match(page.body, /wechat-kf/);
  const lib = await get('/devtools/debugger/lib.js');
  assert.match(lib.headers['content-type'], /^text\/javascript/);
  assert.match(lib.body, /from '\.\.\/\.\.\/loaders\/browser\.js'/);
  assert.equal((await get('/loaders/browser.js')).status, 200);
  assert.equal((await get('/wechat-kf.js')).status, 200); // what loaders/browser.js imports: the package's code
  assert.match((await get('/devtools/debugger/style.css')).headers['content-type'], /^text\/css/);
  const wasm = await get('/wasm/wechat_kf_bg.wasm');
  assert.equal(wasm.status, 200);
  assert.equal(wasm.headers['content-type'], 'application/wasm');
  assert.equal(wasm.body.slice(0, 4), '\0asm');
  // init() loads the outbound module too (the debugger builds dialogue-platform payloads)
  const outbound = await get('/wasm/wechat_kf_outbound_bg.wasm');
  assert.equal(outbound.status, 200);
  assert.equal(outbound.body.slice(0, 4), '\0asm');
  assert.equal((await get('/')).headers.location, '/devtools/debugger/');
});

test('serves nothing else of the package or the disk', async () => {
  for (const path of ['/package.json', '/cli/main.js', '/loaders/node.js', '/devtools/emulator/server.js', '/README.md', '/devtools/debugger/../../package.json',
    '/%2e%2e/package.json', '/etc/passwd', '/node_modules/wechat-kf/package.json']) {
    assert.equal((await get(path)).status, 404, path);
  }
});

test('refuses a foreign Host header (DNS rebinding)', async () => {
  for (const host of ['evil.example', `evil.example:${base[2]}`, '192.168.1.10', 'localhost.evil.example']) {
    const r = await get('/devtools/debugger/', host);
    assert.equal(r.status, 403, host);
    assert.doesNotMatch(r.body, /<html/);
  }
  for (const host of [`localhost:${base[2]}`, `[::1]:${base[2]}`]) assert.equal((await get('/devtools/debugger/', host)).status, 200, host);
});

test('refuses a non-loopback --host without --allow-non-loopback', async () => {
  const r = await run(scratch.bin, ['debugger', '--port', '0', '--host', '0.0.0.0'], { cwd: scratch.dir });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /not a loopback address[\s\S]*--allow-non-loopback/);
});

test('stops on SIGTERM', async () => {
  const r = await proc.kill('SIGTERM');
  assert.equal(r.code, 0, proc.output().stderr);
});
