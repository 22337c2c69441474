// `wechat-kf sign | verify | encrypt | decrypt`, run from the packed tarball as real processes,
// against the known-answer vectors (node --test js-tests/cli/).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, installScratch, killAll, run } from './helpers.mjs';

const { vectors } = JSON.parse(readFileSync(join(ROOT, 'vectors', 'wxbizmsgcrypt.json'), 'utf8'));
const vector = (id) => vectors.find((v) => v.id === id);
const push = vector('miniprogram-docs-push');
const secretsOf = (v) => ({ WECHAT_KF_TOKEN: v.token, WECHAT_KF_AES_KEY: v.encodingAESKey, WECHAT_KF_APP_ID: v.appId });

let scratch;
before(async () => { scratch = await installScratch(); });
after(async () => { await killAll(); scratch?.remove(); });

/** Runs the bin with the secrets in the environment; checks no secret is ever printed. */
async function cli(args, env = secretsOf(push)) {
  const r = await run(scratch.bin, args, { cwd: scratch.dir, env: { WECHAT_KF_TOKEN: '', WECHAT_KF_AES_KEY: '', WECHAT_KF_APP_ID: '', ...env } });
  for (const [name, value] of Object.entries(env)) {
    if (name !== 'WECHAT_KF_APP_ID' && value && value.length > 4) {
      assert.ok(!(r.stdout + r.stderr).includes(value), `${name} printed by ${args[0]}`);
    }
  }
  return r;
}

test('sign: signature and msg_signature of the vectors', async () => {
  for (const v of vectors.filter((x) => x.kind === 'signature')) {
    const args = ['sign', '--token', v.token, '--timestamp', v.timestamp, '--nonce', v.nonce];
    if (v.encrypt) args.push('--encrypt', v.encrypt);
    const r = await cli(args, {});
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), v.signature, v.id);
  }
  const r = await cli(['sign', '--timestamp', push.timestamp, '--nonce', push.nonce, '--encrypt', push.encrypt]);
  assert.equal(r.stdout.trim(), push.msgSignature);
});

test('verify: valid, tampered (-40001, exit 1), from a query and an XML body', async () => {
  const body = `<xml><ToUserName><![CDATA[gh_97417a04a28d]]></ToUserName><Encrypt><![CDATA[${push.encrypt}]]></Encrypt></xml>`;
  const file = join(scratch.dir, 'push.xml');
  writeFileSync(file, body);
  const query = `timestamp=${push.timestamp}&nonce=${push.nonce}&encrypt_type=aes&msg_signature=${push.msgSignature}`;
  let r = await cli(['verify', '--query', query, '--body', `@${file}`]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /msg_signature: valid/);
  r = await cli(['verify', '--query', query.replace(push.msgSignature, '0'.repeat(40)), '--body', `@${file}`]);
  assert.equal(r.code, 1);
  assert.match(r.stdout, /msg_signature: INVALID/);
  assert.match(r.stderr, /-40001/);
  const url = vector('miniprogram-docs-url');
  r = await cli(['verify', '--timestamp', url.timestamp, '--nonce', url.nonce, '--signature', url.signature], { WECHAT_KF_TOKEN: url.token });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /signature: valid/);
});

test('decrypt: every crypt vector, and a whole push parsed to its typed message', async () => {
  for (const v of vectors.filter((x) => x.kind === 'crypt')) {
    const r = await cli(['decrypt', '--encrypt', v.encrypt], secretsOf(v));
    assert.equal(r.code, 0, `${v.id}: ${r.stderr}`);
    assert.equal(r.stdout, `${v.plaintext}\n`, v.id);
  }
  const body = JSON.stringify({ ToUserName: 'gh_97417a04a28d', Encrypt: push.encrypt });
  const query = `timestamp=${push.timestamp}&nonce=${push.nonce}&encrypt_type=aes&msg_signature=${push.msgSignature}`;
  const r = await cli(['decrypt', '--query', `https://example.invalid/wechat?${query}`, '--body', body, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.mode, 'safe');
  assert.equal(out.format, 'json');
  assert.equal(out.message.raw.debug_str, 'hello world');
  assert.equal(out.plaintext, push.plaintext);
});

test('encrypt then decrypt round trip; envelope verifies', async () => {
  const text = '中文 and <xml> ]]> \n newline';
  let r = await cli(['encrypt', '--text', text]);
  assert.equal(r.code, 0, r.stderr);
  r = await cli(['decrypt', '--encrypt', r.stdout.trim(), '--json']);
  assert.deepEqual(JSON.parse(r.stdout), { plaintext: text, appId: push.appId });
  r = await cli(['encrypt', '--text', text, '--envelope', 'xml', '--timestamp', '1700000000', '--nonce', '42']);
  assert.equal(r.code, 0, r.stderr);
  const envelope = r.stdout.trim();
  r = await cli(['verify', '--query', 'timestamp=1700000000&nonce=42&msg_signature=' + /<MsgSignature><!\[CDATA\[(\w+)/.exec(envelope)[1], '--body', envelope]);
  assert.equal(r.code, 0, r.stderr);
});

test('clear failures: wrong appId, wrong key, missing secrets, unknown flags', async () => {
  let r = await cli(['decrypt', '--encrypt', push.encrypt, '--app-id', 'wx_not_this_one']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /ValidateAppId \(-40005\).*wx134c8103faa5a59e/);
  r = await cli(['decrypt', '--encrypt', push.encrypt], { ...secretsOf(push), WECHAT_KF_AES_KEY: 'B'.repeat(43) });
  assert.equal(r.code, 1);
  // Fixed answers for these fixed inputs: under the wrong key this ciphertext's padding is
  // invalid (-40007); 9 characters cut off leave base64 of a wrong length (-40010).
  assert.match(r.stderr, /DecryptAes \(-40007\)/);
  r = await cli(['decrypt', '--encrypt', push.encrypt.slice(0, -9)]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /DecodeBase64 \(-40010\)/);
  r = await cli(['sign', '--timestamp', '1', '--nonce', '2'], {});
  assert.equal(r.code, 2);
  assert.match(r.stderr, /set WECHAT_KF_TOKEN or pass --token-file PATH \(or --token\)/);
  r = await cli(['sign', '--timestamp', '1', '--nonce', '2', '--bogus']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /bogus/);
  r = await cli(['frobnicate']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /unknown command 'frobnicate'/);
  for (const cmd of ['sign', 'verify', 'encrypt', 'decrypt', 'simulate', 'emulator']) {
    r = await cli([cmd, '--help']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, new RegExp(`usage: wechat-kf ${cmd}`));
  }
});

test('verify: a non-ASCII signature of the right length is INVALID (exit 1), not a crash', async () => {
  const sig = `é${'0'.repeat(39)}`;
  const r = await cli(['verify', '--timestamp', push.timestamp, '--nonce', push.nonce, '--signature', sig]);
  assert.equal(r.code, 1);
  assert.match(r.stdout, /signature: INVALID/);
  assert.doesNotMatch(r.stderr, /unexpected error/);
});

test('secrets from files (--token-file, --key-file); the help recommends them and the environment over flags', async () => {
  const tokenFile = join(scratch.dir, 'token.txt');
  const keyFile = join(scratch.dir, 'key.txt');
  writeFileSync(tokenFile, `${push.token}\n`);
  writeFileSync(keyFile, `${push.encodingAESKey}\n`);
  let r = await cli(['sign', '--token-file', tokenFile, '--timestamp', push.timestamp, '--nonce', push.nonce, '--encrypt', push.encrypt], {});
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim(), push.msgSignature);
  r = await cli(['decrypt', '--key-file', keyFile, '--encrypt', push.encrypt], { WECHAT_KF_APP_ID: push.appId });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim(), push.plaintext.trim());
  r = await cli(['sign', '--token-file', join(scratch.dir, 'missing.txt'), '--timestamp', '1', '--nonce', '2'], {});
  assert.equal(r.code, 2);
  assert.match(r.stderr, /cannot read --token-file/);
  for (const cmd of ['sign', 'verify', 'encrypt', 'decrypt', 'simulate']) {
    r = await cli([cmd, '--help']);
    assert.match(r.stdout, /--token-file PATH/, cmd);
    assert.match(r.stdout, /--key-file PATH/, cmd);
    assert.match(r.stdout, /process lists and shell history/, cmd);
  }
  r = await cli(['--help']);
  assert.match(r.stdout, /environment .*\n?.*or files \(--token-file, --key-file\)/);
  r = await cli(['emulator', '--help']);
  assert.match(r.stdout, /--app-secret-file PATH/);
  assert.match(r.stdout, /process lists and shell\s+history/);
});
