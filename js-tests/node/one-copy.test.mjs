// What a Node user of the packed tarball (dist/wechat-kf-*.tgz, unpacked as npm installs it) loads:
//   - import('wechat-kf') and a first push load two files of the package, loaders/node.js and the
//     bundle wechat-kf.js (a module loader hook in the child records every module loaded), and
//     each store entry adds only its own file;
//   - every exported class and function has its own name (bundling renames colliding ones);
//   - every entry shares one copy of the package: an error thrown by the inbound core (wasm), by
//     the outbound core (the lazily loaded module), by JS option checks and by each store is an
//     instance of the very WxkfError class that `wechat-kf` exports (its prototype, not a
//     look-alike), also through require('wechat-kf') in the same process; the same in Deno and Bun.
// The last test runs the same child on a copy whose redis store loads a second copy of the
// bundle, and checks that it fails. Needs `bash scripts/build.sh` (the tarball).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveBin } from '../runners/harness.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const tarballs = readdirSync(join(ROOT, 'dist')).filter((f) => /^wechat-kf-.*\.tgz$/.test(f));
assert.equal(tarballs.length, 1, `one dist/wechat-kf-*.tgz (run bash scripts/build.sh), found ${tarballs.join(', ') || 'none'}`);

const scratch = mkdtempSync(join(tmpdir(), 'wechat-kf-one-copy-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

/** A project with the tarball unpacked as node_modules/wechat-kf (the package has no dependencies). */
function project(name) {
  const dir = join(scratch, name);
  mkdirSync(join(dir, 'node_modules'), { recursive: true });
  execFileSync('tar', ['xzf', join(ROOT, 'dist', tarballs[0]), '-C', join(dir, 'node_modules')]);
  renameSync(join(dir, 'node_modules', 'package'), join(dir, 'node_modules', 'wechat-kf'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: `one-copy-${name}`, private: true, type: 'module' }));
  return dir;
}

// Runs in the child, in the project: records every module loaded, then imports and uses the package.
const CHILD = `
import { register, createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
register('data:text/javascript,' + encodeURIComponent(\`
  import { appendFileSync } from 'node:fs';
  export async function load(url, context, next) {
    if (url.startsWith('file:')) appendFileSync(process.env.ONE_COPY_LOG, url + '\\\\n');
    return next(url, context);
  }\`));
const log = process.env.ONE_COPY_LOG;
const pkgFiles = () => readFileSync(log, 'utf8').split('\\n').filter((u) => u.includes('/node_modules/wechat-kf/'))
  .map((u) => u.slice(u.indexOf('/node_modules/wechat-kf/') + '/node_modules/wechat-kf/'.length));

const lib = await import('wechat-kf');
const token = 't0ken', encodingAESKey = 'kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR', appId = 'wx49f0ab532d5d035a';
const crypt = new lib.WXBizMsgCrypt({ token, encodingAESKey, appId });
const now = 1700000000;
const plain = '<xml><ToUserName><![CDATA[gh_1]]></ToUserName><FromUserName><![CDATA[o_user]]></FromUserName>'
  + '<CreateTime>' + now + '</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[' + 'hi '.repeat(200) + ']]></Content><MsgId>1</MsgId></xml>';
const body = crypt.encryptMessage(plain, { timestamp: String(now), nonce: '123456789' });
const encrypt = body.match(/<Encrypt><!\\[CDATA\\[(.*?)\\]\\]><\\/Encrypt>/)[1];
const query = { timestamp: String(now), nonce: '123456789', encrypt_type: 'aes', msg_signature: crypt.msgSignature(String(now), '123456789', encrypt) };
const message = new lib.Receiver({ token, encodingAESKey, appId, now: () => now * 1000 }).receive({ query, body }).message;
if (message.content !== 'hi '.repeat(200)) throw new Error('first push: wrong content');
const atFirstPush = pkgFiles();

const redis = await import('wechat-kf/redis');
const cloudflare = await import('wechat-kf/cloudflare');
const denoKv = await import('wechat-kf/deno-kv');
const withStores = pkgFiles();

const caught = (fn) => { try { fn(); } catch (e) { return e; } throw new Error('did not throw'); };
const errors = {
  // Receiver's key check is the inbound module's; WXBizMsgCrypt is the outbound module's.
  'inbound core (wasm)': caught(() => new lib.Receiver({ token, encodingAESKey: 'short', appId })),
  'outbound core (WXBizMsgCrypt)': caught(() => new lib.WXBizMsgCrypt({ token, encodingAESKey: 'short', appId })),
  'outbound core (lazily loaded wasm)': caught(() => lib.requests.sendText({ touser: 'o_user' })),
  'JS option check': caught(() => new lib.MemoryStore({ maxKeys: -1 })),
  'wechat-kf/redis': caught(() => redis.redisStore({})),
  'wechat-kf/cloudflare': caught(() => cloudflare.durableObjectStore({})),
  'wechat-kf/deno-kv': caught(() => denoKv.denoKvStore({})),
  'wechat-kf/cloudflare queue': caught(() => cloudflare.durableObjectQueue({})),
  'wechat-kf/deno-kv queue': caught(() => denoKv.denoKvQueue({})),
};
const viaRequire = createRequire(import.meta.url)('wechat-kf');
console.log(JSON.stringify({
  atFirstPush,
  withStores,
  errors: Object.fromEntries(Object.entries(errors).map(([where, e]) => [where, {
    code: e?.code,
    instance: e instanceof lib.WxkfError,
    sameProto: Object.getPrototypeOf(e) === lib.WxkfError.prototype,
  }])),
  requireSame: viaRequire.WxkfError === lib.WxkfError && viaRequire.Receiver === lib.Receiver,
  misnamed: Object.entries(lib).filter(([k, v]) => typeof v === 'function' && v.name !== k).map(([k, v]) => k + ': ' + v.name),
}));
`;

function runChild(dir) {
  const logFile = join(dir, 'loaded.log');
  writeFileSync(logFile, '');
  const r = spawnSync(process.execPath, ['--no-warnings', '--input-type=module', '-e', CHILD], {
    cwd: dir, encoding: 'utf8', timeout: 120_000, env: { ...process.env, ONE_COPY_LOG: logFile },
  });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout.trim().split('\n').pop());
}

/** The assertions of both tests below, on one child's report. */
function checkOneCopy(got) {
  for (const [where, e] of Object.entries(got.errors)) {
    assert.equal(typeof e.code, 'number', `${where}: a WxkfError with a code`);
    assert.ok(e.instance && e.sameProto, `${where}: the error is an instance of wechat-kf's own WxkfError (${JSON.stringify(e)})`);
  }
  assert.ok(got.requireSame, "require('wechat-kf') gives the same module as import");
}

test('the Node entry loads loaders/node.js and wechat-kf.js only; each store adds its own file (and its queue\'s)', () => {
  const got = runChild(project('good'));
  assert.deepEqual(got.atFirstPush, ['loaders/node.js', 'wechat-kf.js']);
  assert.deepEqual(got.withStores, ['loaders/node.js', 'wechat-kf.js', 'stores/redis.js', 'queues/redis.js', 'stores/cloudflare.js',
    'queues/cloudflare.js', 'stores/deno-kv.js', 'stores/deno-kv-locked.js', 'queues/deno-kv.js']);
  // Bundling renames colliding top-level names; every exported class and function keeps its own.
  assert.deepEqual(got.misnamed, []);
});

test('errors from the cores, the option checks and every store are the one WxkfError of wechat-kf', () => {
  checkOneCopy(runChild(project('identity')));
});

// The errors part in Deno and Bun (their resolvers pick loaders/node.js too): each store's error and
// the cores' errors are instances of the WxkfError that 'wechat-kf' exports.
const IDENTITY = `
const lib = await import('wechat-kf');
const stores = { redis: (await import('wechat-kf/redis')).redisStore, 'deno-kv': (await import('wechat-kf/deno-kv')).denoKvStore,
  cloudflare: (await import('wechat-kf/cloudflare')).durableObjectStore };
const cases = { ...Object.fromEntries(Object.entries(stores).map(([k, f]) => [k, () => f({})])),
  inbound: () => new lib.Receiver({ token: 't', encodingAESKey: 'short', appId: 'a' }),
  crypt: () => new lib.WXBizMsgCrypt({ token: 't', encodingAESKey: 'short', appId: 'a' }),
  outbound: () => lib.requests.sendText({ touser: 'o_user' }) };
const out = {};
for (const [k, f] of Object.entries(cases)) {
  try { f(); out[k] = 'did not throw'; } catch (e) { out[k] = e instanceof lib.WxkfError && Object.getPrototypeOf(e) === lib.WxkfError.prototype ? e.code : 'another class: ' + e; }
}
console.log(JSON.stringify(out));
`;

for (const [runtime, args] of [['deno', ['run', '--allow-read', '--node-modules-dir=manual', '--no-lock', 'identity.mjs']], ['bun', ['identity.mjs']]]) {
  test(`${runtime}: errors of every entry are the one WxkfError of wechat-kf`, () => {
    const dir = project(`identity-${runtime}`);
    writeFileSync(join(dir, 'identity.mjs'), IDENTITY);
    const r = spawnSync(resolveBin(runtime), args, {
      cwd: dir, encoding: 'utf8', timeout: 120_000,
      env: { ...process.env, DENO_DIR: join(dir, '.deno'), DENO_NO_UPDATE_CHECK: '1', DENO_NO_PROMPT: '1' },
    });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout.trim().split('\n').pop()),
      { redis: -41006, 'deno-kv': -41006, cloudflare: -41006, inbound: -40004, crypt: -40004, outbound: -42001 });
  });
}

test('the check fails when a store loads a second copy of the package (it can fail)', () => {
  const dir = project('second-copy');
  const redis = join(dir, 'node_modules', 'wechat-kf', 'stores', 'redis.js');
  const source = readFileSync(redis, 'utf8');
  assert.match(source, /from '\.\.\/wechat-kf\.js'/);
  // A different URL is a different module instance: a second copy of the bundle.
  writeFileSync(redis, source.replace("from '../wechat-kf.js'", "from '../wechat-kf.js?second-copy'"));
  const got = runChild(dir);
  assert.equal(got.errors['wechat-kf/redis'].instance, false);
  assert.throws(() => checkOneCopy(got), /wechat-kf\/redis: the error is an instance/);
});
