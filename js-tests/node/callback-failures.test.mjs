// User callbacks that throw, reject or hang never end the process or go unheard (issue 22,
// item 3; issue 23, "never silent"): a real node:http server in a child process, with an
// `async onError` that rejects (one unauthenticated bad POST used to end the process with exit
// code 1), an onError that throws, one that never settles, and no onError at all (each error is
// one console.error line with its code, kind and phase, never a body). The child must keep
// answering afterwards. Uses the built package (pkg/loaders/node.js; WECHAT_KF_PKG overrides).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';

const entry = process.env.WECHAT_KF_PKG ?? new URL('../../pkg/loaders/node.js', import.meta.url).href;

/** The child: a server whose onError is `mode`; prints its port, then serves until killed. */
const CHILD = `
const { createNodeListener } = await import(process.env.ENTRY);
const { createServer } = await import('node:http');
const mode = process.env.MODE;
const onError = {
  rejects: async () => { throw new Error('onError rejected'); },
  throws: () => { throw new Error('onError threw'); },
  hangs: () => new Promise(() => {}),
  none: undefined,
}[mode];
const server = createServer(createNodeListener({
  token: 'callback-token', encodingAESKey: 'kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR', appId: 'wx49f0ab532d5d035a',
  onError,
  onMessage() { throw new Error('onMessage failed with the secret body text'); },
}));
server.listen(0, '127.0.0.1', () => console.log('PORT ' + server.address().port));
`;

async function withChild(mode, fn) {
  const child = spawn(process.execPath, ['--input-type=module', '-e', CHILD], {
    env: { ...process.env, ENTRY: entry, MODE: mode },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  let exited = null;
  child.on('exit', (code, signal) => { exited = { code, signal }; });
  const port = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`no port: ${stderr}`)), 20_000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = /PORT (\d+)/.exec(out);
      if (m) { clearTimeout(timer); resolve(Number(m[1])); }
    });
    child.on('exit', () => { clearTimeout(timer); reject(new Error(`child exited: ${stderr}`)); });
  });
  try {
    await fn(`http://127.0.0.1:${port}/wx`, () => stderr, () => exited);
  } finally {
    child.kill('SIGKILL');
  }
}

const badPost = (url) => fetch(`${url}?signature=${'0'.repeat(40)}&timestamp=1&nonce=2`, { method: 'POST', body: '<xml/>' });
const settle = () => new Promise((r) => { setTimeout(r, 300); });

for (const mode of ['rejects', 'throws', 'hangs', 'none']) {
  test(`onError ${mode}: bad requests are answered, the process lives on, nothing escapes silently`, async () => {
    await withChild(mode, async (url, stderr, exited) => {
      for (let i = 0; i < 3; i++) {
        const res = await badPost(url);
        assert.ok(res.status === 400 || res.status === 401, String(res.status));
        await res.text();
      }
      const get = await fetch(`${url}?echostr=x`); // a verification without its parameters: refused
      assert.equal(get.status, 400);
      await settle();
      assert.equal(exited(), null, `the server process is still running (${stderr()})`);
      const again = await badPost(url);
      assert.ok(again.status === 400 || again.status === 401, 'still answering');
      await again.text();
      await settle();
      const lines = stderr().split('\n').filter((l) => l.startsWith('wechat-kf:'));
      if (mode === 'hangs') {
        assert.equal(lines.length, 0, 'a pending onError is the user\'s business: nothing logged');
      } else {
        // Each error reported once to the console (and, when onError failed, its own failure too).
        assert.ok(lines.length >= 5, `console lines: ${stderr()}`);
        assert.ok(lines.some((l) => /code -4\d{4}/.test(l)), `a line with the error's code: ${stderr()}`);
        assert.ok(!stderr().includes('secret body'), 'no message or body in the lines');
        assert.ok(lines.every((l) => l.includes('phase')), stderr());
        if (mode !== 'none') assert.ok(lines.some((l) => l.includes('onError')), `onError's own failure is logged: ${stderr()}`);
      }
      assert.ok(!/unhandled|UnhandledPromiseRejection/i.test(stderr()), stderr());
    });
  });
}
