// What the Node/Deno/Bun entry (loaders/node.js) loads, and when, so that an inbound handler's
// start (import + first push) pays only for what it needs:
//   - node:crypto (loaders/node-host-crypto.js): not during the import, so that a first push
//     received right after it never waits for the load (about 5 ms in Node 20.20; the core's own
//     AES and SHA-1 decrypt it); on a timer once the import is over, so that later pushes use
//     node:crypto; and, in a program that never yields to the event loop, once the core has done
//     a bounded amount of AES and SHA-1 work itself; where it cannot be loaded (a Node built
//     without OpenSSL), the core's engine serves every push and nothing throws;
//   - the outbound module's glue (wasm/wechat_kf_outbound.js, not in wechat-kf.js): neither at
//     import nor by a push, but by the first outbound call, through require(), once;
//   - wechat-kf.js, parsed at import, is ASCII: V8 then keeps its source one byte a character.
// Checked in fresh processes of Node, Deno and Bun on the packed tarball (dist/wechat-kf-*.tgz,
// unpacked as npm installs it), whose process.getBuiltinModule is wrapped before the import to
// record the package's request for node:crypto, count its createDecipheriv calls (the host's AES
// path) and record what it require()s.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveBin } from '../runners/harness.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const tarballs = readdirSync(join(ROOT, 'dist')).filter((f) => /^wechat-kf-.*\.tgz$/.test(f));
assert.equal(tarballs.length, 1, `one dist/wechat-kf-*.tgz (run bash scripts/build.sh), found ${tarballs.join(', ') || 'none'}`);

const scratch = mkdtempSync(join(tmpdir(), 'wechat-kf-crypto-loading-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

const ACCOUNT = { token: 'loadToken', encodingAESKey: 'kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR', appId: 'wx49f0ab532d5d035a' };
const TIMESTAMP = '1700000000';

/** An encrypted push of about `size` bytes of content, made here with node:crypto (not the package). */
function push(size, seq) {
  const content = `${seq} ` + '客服 hello '.repeat(Math.ceil(size / 13)).slice(0, size);
  const xml = `<xml><ToUserName><![CDATA[gh_1]]></ToUserName><FromUserName><![CDATA[o_user]]></FromUserName><CreateTime>${TIMESTAMP}</CreateTime>`
    + `<MsgType><![CDATA[text]]></MsgType><Content><![CDATA[${content}]]></Content><MsgId>${1000 + seq}</MsgId></xml>`;
  const key = Buffer.from(`${ACCOUNT.encodingAESKey}=`, 'base64');
  const msg = Buffer.from(xml);
  const len = Buffer.alloc(4);
  len.writeUInt32BE(msg.length);
  const plain = Buffer.concat([randomBytes(16), len, msg, Buffer.from(ACCOUNT.appId)]);
  const pad = 32 - (plain.length % 32);
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16));
  cipher.setAutoPadding(false);
  const encrypt = Buffer.concat([cipher.update(Buffer.concat([plain, Buffer.alloc(pad, pad)])), cipher.final()]).toString('base64');
  const nonce = String(100000 + seq);
  const msgSignature = createHash('sha1').update([ACCOUNT.token, TIMESTAMP, nonce, encrypt].sort().join('')).digest('hex');
  return {
    content,
    query: { timestamp: TIMESTAMP, nonce, encrypt_type: 'aes', msg_signature: msgSignature },
    body: `<xml><ToUserName><![CDATA[gh_1]]></ToUserName><Encrypt><![CDATA[${encrypt}]]></Encrypt></xml>`,
  };
}

/** The child's first lines: the recording wrapper, the pushes, a receiver after the import. */
const PRELUDE = (pushes) => `
const seen = { requested: 0, decipher: 0 };
const required = [];
const getBuiltinModule = process.getBuiltinModule;
process.getBuiltinModule = function (name, ...rest) {
  const module = getBuiltinModule.call(this, name, ...rest);
  if (name === 'node:module' || name === 'module') {
    return new Proxy(module, {
      get(target, key) {
        const value = Reflect.get(target, key);
        if (key !== 'createRequire') return value;
        return (...args) => {
          const require = value.apply(target, args);
          return (specifier) => { required.push(specifier); return require(specifier); };
        };
      },
    });
  }
  if (name !== 'node:crypto' && name !== 'crypto') return module;
  seen.requested++;
  return new Proxy(module, {
    get(target, key) {
      const value = Reflect.get(target, key);
      if (key !== 'createDecipheriv') return value;
      return (...args) => { seen.decipher++; return value.apply(target, args); };
    },
  });
};
const pushes = ${JSON.stringify(pushes)};
const lib = await import('wechat-kf');
const receiver = new lib.Receiver({ ...${JSON.stringify(ACCOUNT)}, now: () => ${TIMESTAMP} * 1000 });
const receive = (p) => { if (receiver.receive(p).message.content !== p.content) throw new Error('wrong content'); };
`;

// Right after the import (same turn of the event loop) a 16 KB push goes through the core; then,
// once the event loop has turned, node:crypto is loaded and the next push (1 KB: together they
// stay far below the work after which a program that never yields loads it) uses it.
const AFTER_IMPORT = (pushes) => `${PRELUDE(pushes)}
const atImport = { ...seen };
receive(pushes[0]);
const atFirstPush = { ...seen };
// Wait (a bounded while) for the loader's timer; a package that never loads node:crypto fails.
for (let i = 0; i < 500 && seen.requested === 0; i++) await new Promise((r) => setTimeout(r, 10));
receive(pushes[1]);
console.log(JSON.stringify({ atImport, atFirstPush, later: { ...seen } }));
`;

// A program that never yields: pushes of 64 KB in a synchronous loop.
const NEVER_YIELDS = (pushes) => `${PRELUDE(pushes)}
const requestedAt = [];
for (const p of pushes) {
  receive(p);
  requestedAt.push(seen.requested);
}
console.log(JSON.stringify({ requestedAt, decipher: seen.decipher }));
`;

// The outbound glue: not loaded by the import and a push; loaded by the first outbound call, once.
const OUTBOUND_GLUE = (pushes) => `${PRELUDE(pushes)}
const atImport = [...required];
receive(pushes[0]);
const afterPush = [...required];
const built = lib.requests.sendText({ touser: 'o_user', content: 'hello' });
const crypt = new lib.WXBizMsgCrypt(${JSON.stringify(ACCOUNT)});
const signed = lib.signature('t', '1', '2') === ${JSON.stringify(createHash('sha1').update(['t', '1', '2'].sort().join('')).digest('hex'))};
let refused;
try { lib.requests.sendText({ touser: 'o_user' }); } catch (e) { refused = e instanceof lib.WxkfError && e.code; }
console.log(JSON.stringify({ atImport, afterPush, afterOutbound: required, built: typeof built.body, opened: crypt.decrypt(crypt.encrypt('hi')).plaintext, signed, refused }));
`;

// node:crypto unavailable: the wrapper throws for it, as a Node built without OpenSSL does.
const UNAVAILABLE = (pushes) => `${PRELUDE(pushes).replace("if (name !== 'node:crypto' && name !== 'crypto') return module;",
    "if (name === 'node:crypto' || name === 'crypto') { seen.requested++; throw new Error('no crypto in this build'); } else return module;")}
receive(pushes[0]);
for (let i = 0; i < 500 && seen.requested === 0; i++) await new Promise((r) => setTimeout(r, 10));
for (const p of pushes.slice(1)) receive(p);
console.log(JSON.stringify({ ...seen, received: pushes.length }));
`;

const RUNTIMES = {
  node: (file) => [process.execPath, [file]],
  deno: (file) => [resolveBin('deno'), ['run', '--allow-read', '--allow-env', '--node-modules-dir=manual', '--no-lock', file]],
  bun: (file) => [resolveBin('bun'), [file]],
};

/** Runs `source` in `runtime` in a project with the tarball unpacked as node_modules/wechat-kf. */
function runChild(runtime, name, source) {
  const dir = join(scratch, `${runtime}-${name}`);
  mkdirSync(join(dir, 'node_modules'), { recursive: true });
  execFileSync('tar', ['xzf', join(ROOT, 'dist', tarballs[0]), '-C', join(dir, 'node_modules')]);
  renameSync(join(dir, 'node_modules', 'package'), join(dir, 'node_modules', 'wechat-kf'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: `crypto-loading-${name}`, private: true, type: 'module' }));
  writeFileSync(join(dir, 'child.mjs'), source);
  const [cmd, args] = RUNTIMES[runtime]('child.mjs');
  const r = spawnSync(cmd, args, {
    cwd: dir, encoding: 'utf8', timeout: 120_000,
    env: { ...process.env, DENO_DIR: join(dir, '.deno'), DENO_NO_UPDATE_CHECK: '1', DENO_NO_PROMPT: '1' },
  });
  assert.equal(r.status, 0, `${runtime}: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop());
}

test('wechat-kf.js (parsed at import) is ASCII and holds no outbound glue', () => {
  const dir = join(scratch, 'files');
  mkdirSync(dir, { recursive: true });
  execFileSync('tar', ['xzf', join(ROOT, 'dist', tarballs[0]), '-C', dir]);
  const bundle = readFileSync(join(dir, 'package', 'wechat-kf.js'), 'utf8');
  assert.equal(/[^\x00-\x7f]/.exec(bundle), null);
  // The glues name their own .wasm: only the inbound one's is in the bundle.
  assert.match(bundle, /wechat_kf_bg\.wasm/);
  assert.doesNotMatch(bundle, /wechat_kf_outbound_bg\.wasm'/);
  assert.match(readFileSync(join(dir, 'package', 'wasm', 'wechat_kf_outbound.js'), 'utf8'), /new URL\('wechat_kf_outbound_bg\.wasm', import\.meta\.url\)/);
});

for (const runtime of Object.keys(RUNTIMES)) {
  test(`${runtime}: node:crypto is loaded after the import, not during it nor during a first push right after it`, () => {
    const got = runChild(runtime, 'after-import', AFTER_IMPORT([push(16 * 1024, 1), push(1024, 2)]));
    assert.deepEqual(got.atImport, { requested: 0, decipher: 0 }, 'the import does not load node:crypto');
    assert.deepEqual(got.atFirstPush, { requested: 0, decipher: 0 }, 'the first push is decrypted by the core');
    assert.equal(got.later.requested, 1, 'node:crypto is loaded once the event loop turns');
    assert.ok(got.later.decipher >= 1, `a later push is decrypted by node:crypto (${JSON.stringify(got.later)})`);
  });

  test(`${runtime}: the outbound glue is loaded by the first outbound call, not by the import or a push`, () => {
    const got = runChild(runtime, 'outbound-glue', OUTBOUND_GLUE([push(1024, 1)]));
    assert.deepEqual(got.atImport, []);
    assert.deepEqual(got.afterPush, []);
    assert.deepEqual(got.afterOutbound, ['../wasm/wechat_kf_outbound.js'], 'required once, by the first outbound call');
    assert.equal(got.built, 'string');
    assert.equal(got.opened, 'hi');
    assert.equal(got.signed, true);
    assert.equal(got.refused, -42001, "the outbound module's errors are wechat-kf's WxkfError");
  });

  test(`${runtime}: without node:crypto (it throws when loaded) every push is decrypted by the core`, () => {
    const got = runChild(runtime, 'unavailable', UNAVAILABLE([push(1024, 1), ...Array.from({ length: 5 }, (_, i) => push(64 * 1024, i + 2))]));
    // Asked for once (by the timer), not again by the pushes past the bound.
    assert.deepEqual(got, { requested: 1, decipher: 0, received: 6 });
  });

  test(`${runtime}: a program that never yields loads node:crypto after a bounded amount of the core's own work`, () => {
    const got = runChild(runtime, 'never-yields', NEVER_YIELDS(Array.from({ length: 8 }, (_, i) => push(64 * 1024, i + 1))));
    assert.equal(got.requestedAt[0], 0, 'the first push of 64 KB is decrypted by the core');
    assert.equal(got.requestedAt.at(-1), 1, `loaded within 8 pushes of 64 KB (${got.requestedAt})`);
    assert.ok(got.decipher >= 1, 'and used');
  });
}
