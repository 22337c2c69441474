// Large bodies, which Node hands to the host's crypto (loaders/node-host-crypto.js on node:crypto):
// the known-answer vectors of 16 KB and 64 KB, the host path shown to be taken, and bodies of
// many sizes cross-checked both ways with two independent implementations, `wechat-crypto`
// and `@wecom/crypto`. Uses the built package (pkg/loaders/node.js; WECHAT_KF_PKG overrides).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import * as wecom from '@wecom/crypto';

const require = createRequire(import.meta.url);
const WechatCrypto = require('wechat-crypto');

const entry = process.env.WECHAT_KF_PKG ?? new URL('../../pkg/loaders/node.js', import.meta.url).href;
const lib = await import(entry);
// The package's internals (the glues' host-crypto registration, loaders/node-host-crypto.js): the
// default export of wechat-kf.js, the module the entry loads, so they act on the entry's instance.
// Both modules take the host's crypto: the inbound one (Receiver) and the outbound one
// (WXBizMsgCrypt), compiled here by its first use.
const { default: internal } = await import(new URL('../wechat-kf.js', entry).href);
const { nodeHostCrypto } = internal;
// The loader loads node:crypto on a timer after the import (start-loading.test.mjs); until
// then the primitives answer false. These tests are about the primitives: load it now.
internal.loadNodeCrypto();
const glues = [internal, internal.outbound()];
const { WXBizMsgCrypt, Receiver } = lib;

const { vectors } = JSON.parse(readFileSync(new URL('../../vectors/wxbizmsgcrypt.json', import.meta.url), 'utf8'));
const LARGE = ['large-16k-fixed-random', 'large-64k-fixed-random'].map((id) => {
  const v = vectors.find((x) => x.id === id);
  assert.ok(v, `vector ${id} missing from vectors/wxbizmsgcrypt.json`);
  return v;
});

/**
 * Runs fn with the host crypto wrapped (instances made inside fn use the wrapper) to count its calls (the package's own object again
 * after). Every call must succeed: a host call that answers false makes the core fall back to
 * its own engine, which would hide a broken node-crypto.js behind right answers.
 */
function countingHost(fn) {
  const calls = { aes256CbcDecrypt: 0, aes256CbcEncrypt: 0, sha1: 0, utf8Valid: 0 };
  const refused = [];
  const wrap = (name) => (...a) => {
    calls[name]++;
    const ok = nodeHostCrypto[name](...a);
    if (ok !== true) refused.push(name);
    return ok;
  };
  const counting = {
    minLen: nodeHostCrypto.minLen,
    aes256CbcDecrypt: wrap('aes256CbcDecrypt'),
    aes256CbcEncrypt: wrap('aes256CbcEncrypt'),
    sha1: wrap('sha1'),
    minUtf8Len: nodeHostCrypto.minUtf8Len,
    utf8Valid: (bytes) => {
      calls.utf8Valid++;
      return nodeHostCrypto.utf8Valid(bytes);
    },
  };
  for (const glue of glues) glue.__registerHostCrypto(counting);
  try {
    fn();
  } finally {
    for (const glue of glues) glue.__registerHostCrypto(nodeHostCrypto);
  }
  assert.deepEqual(refused, [], 'a host call answered false (the core fell back)');
  return calls;
}

test('the large vectors go through node-crypto.js and give the exact known answers', () => {
  for (const v of LARGE) {
    const calls = countingHost(() => {
      const crypt = new WXBizMsgCrypt({ token: v.token, encodingAESKey: v.encodingAESKey, appId: v.appId });
      const out = crypt.decrypt(v.encrypt);
      assert.equal(out.plaintext, v.plaintext, v.id);
      assert.equal(out.appId, v.appId, v.id);
      assert.equal(crypt.encrypt(v.plaintext, new TextEncoder().encode(v.random)), v.encrypt, v.id);
      assert.equal(crypt.msgSignature(v.timestamp, v.nonce, v.encrypt), v.msgSignature, v.id);
    });
    assert.ok(calls.aes256CbcDecrypt >= 1, `${v.id}: host decrypt used`);
    assert.ok(calls.aes256CbcEncrypt >= 1, `${v.id}: host encrypt used`);
    assert.ok(calls.sha1 >= 1, `${v.id}: host SHA-1 used`);
  }
});

test('the large vectors as whole pushes through Receiver (host path)', () => {
  for (const v of LARGE) {
    let receiver;
    const body = `<xml><ToUserName><![CDATA[gh_7f083739789a]]></ToUserName><Encrypt><![CDATA[${v.encrypt}]]></Encrypt></xml>`;
    const query = { timestamp: v.timestamp, nonce: v.nonce, encrypt_type: 'aes', msg_signature: v.msgSignature };
    const calls = countingHost(() => {
      receiver = new Receiver({ token: v.token, encodingAESKey: v.encodingAESKey, appId: v.appId, now: () => Number(v.timestamp) * 1000 });
      const push = receiver.receive({ query, body });
      assert.equal(push.mode, 'safe');
      assert.equal(push.message.content, /<Content><!\[CDATA\[([\s\S]*?)\]\]><\/Content>/.exec(v.plaintext)[1]);
      assert.equal(push.message.msgId, /<MsgId>(\d+)<\/MsgId>/.exec(v.plaintext)[1]);
      // One digit of the signature wrong: refused, on the host path too.
      const bad = v.msgSignature.slice(0, -1) + (v.msgSignature.endsWith('0') ? '1' : '0');
      assert.throws(() => receiver.receive({ query: { ...query, msg_signature: bad }, body }), (e) => e.code === -40001);
    });
    assert.ok(calls.sha1 >= 1 && calls.aes256CbcDecrypt >= 1, `${v.id}: host path used`);
    receiver.free();
  }
});

test('the large vectors with wechat-crypto and @wecom/crypto (the vectors themselves are right)', () => {
  for (const v of LARGE) {
    const theirs = new WechatCrypto(v.token, v.encodingAESKey, v.appId);
    const opened = theirs.decrypt(v.encrypt);
    assert.equal(opened.message, v.plaintext);
    assert.equal(opened.id, v.appId);
    assert.equal(theirs.getSignature(v.timestamp, v.nonce, v.encrypt), v.msgSignature);
    const w = wecom.decrypt(v.encodingAESKey, v.encrypt);
    assert.equal(w.message, v.plaintext);
    assert.equal(w.id, v.appId);
    assert.equal(wecom.getSignature(v.token, v.timestamp, v.nonce, v.encrypt), v.msgSignature);
  }
});

/** Deterministic text of `size` UTF-16 units with ASCII, CJK, emoji and XML specials. */
function text(size, seed) {
  const pieces = ['a', 'Z', '0', ' ', '\n', '<', '>', '&', '"', '中', '文', '客服', '😀', 'é', '+', '/'];
  let s = seed >>> 0;
  let out = '';
  while (out.length < size) {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    out += pieces[s % pieces.length];
  }
  return out;
}

test('bodies from 1 KB to 200 KB cross-checked both ways with wechat-crypto and @wecom/crypto', () => {
  const token = 'crossCheckToken';
  const key = 'kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR';
  const appId = 'wx5823bf96d3bd56c7';
  const theirs = new WechatCrypto(token, key, appId);
  const sizes = [1000, 1023, 1024, 1025, 4096, 16 * 1024 + 7, 65_536, 200_000];
  const calls = countingHost(() => {
    // Made inside: an instance keeps the host crypto registered when it was made.
    const ours = new WXBizMsgCrypt({ token, encodingAESKey: key, appId });
    sizes.forEach((size, i) => {
      const msg = text(size, 1000 + i);
      // ours -> theirs
      const encrypted = ours.encrypt(msg);
      assert.equal(theirs.decrypt(encrypted).message, msg, `wechat-crypto opens ours (${size})`);
      assert.equal(wecom.decrypt(key, encrypted).message, msg, `@wecom/crypto opens ours (${size})`);
      assert.equal(ours.msgSignature('1700000000', '42', encrypted), theirs.getSignature('1700000000', '42', encrypted));
      assert.equal(ours.msgSignature('1700000000', '42', encrypted), wecom.getSignature(token, '1700000000', '42', encrypted));
      // theirs -> ours
      assert.equal(ours.decrypt(theirs.encrypt(msg)).plaintext, msg, `ours opens wechat-crypto's (${size})`);
      assert.equal(ours.decrypt(wecom.encrypt(key, msg, appId)).plaintext, msg, `ours opens @wecom/crypto's (${size})`);
    });
  });
  assert.ok(calls.aes256CbcEncrypt >= 1 && calls.aes256CbcDecrypt >= 1 && calls.sha1 >= 1, 'host path used');
});

test('node-host-crypto.js decrypts AES-256-CBC exactly at every size, with keys and IVs taking turns', async () => {
  const { createCipheriv, randomBytes } = await import('node:crypto');
  const keys = [randomBytes(32), randomBytes(32)];
  const otherIv = randomBytes(16);
  const turns = [[keys[0]], [keys[1]], [keys[1]], [keys[0]], [keys[0], otherIv], [keys[0], otherIv], [keys[0]]];
  for (const len of [16, 32, 48, 256, 272, 1024, 4080, 4096, 4112, 8192, 65536]) {
    for (const [key, iv = key.subarray(0, 16)] of turns) {
      const plain = randomBytes(len);
      const enc = createCipheriv('aes-256-cbc', key, iv);
      enc.setAutoPadding(false);
      const data = new Uint8Array(Buffer.concat([enc.update(plain), enc.final()]));
      assert.equal(nodeHostCrypto.aes256CbcDecrypt(new Uint8Array(key), new Uint8Array(iv), data), true);
      assert.deepEqual(Buffer.from(data), plain, `${len} bytes`);
    }
  }
});

// The loader registers node:crypto with each module: the inbound one at import, the outbound one
// when it is compiled on first use. Checked in a fresh process whose host crypto (wechat-kf.js's nodeHostCrypto) counts
// its calls (patched before the package is imported, so that both registrations take the
// counting functions).
test('the loader hands node:crypto to both modules, the outbound one when first used', () => {
  const v = LARGE[0];
  const child = `
const { default: { nodeHostCrypto } } = await import(${JSON.stringify(new URL('../wechat-kf.js', entry).href)});
const calls = { aes256CbcDecrypt: 0, aes256CbcEncrypt: 0, sha1: 0 };
for (const name of Object.keys(calls)) {
  const real = nodeHostCrypto[name];
  nodeHostCrypto[name] = (...a) => { calls[name]++; return real(...a); };
}
const lib = await import(${JSON.stringify(entry)});
const v = ${JSON.stringify(v)};
const body = '<xml><ToUserName><![CDATA[gh_1]]></ToUserName><Encrypt><![CDATA[' + v.encrypt + ']]></Encrypt></xml>';
const receiver = new lib.Receiver({ token: v.token, encodingAESKey: v.encodingAESKey, appId: v.appId, now: () => Number(v.timestamp) * 1000 });
receiver.receive({ query: { timestamp: v.timestamp, nonce: v.nonce, encrypt_type: 'aes', msg_signature: v.msgSignature }, body });
const inbound = { ...calls };
for (const name of Object.keys(calls)) calls[name] = 0;
const crypt = new lib.WXBizMsgCrypt({ token: v.token, encodingAESKey: v.encodingAESKey, appId: v.appId });
const ok = crypt.decrypt(v.encrypt).plaintext === v.plaintext
  && crypt.encrypt(v.plaintext, new TextEncoder().encode(v.random)) === v.encrypt
  && crypt.msgSignature(v.timestamp, v.nonce, v.encrypt) === v.msgSignature;
console.log(JSON.stringify({ inbound, outbound: calls, ok }));
`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', child], { encoding: 'utf8', timeout: 120_000 });
  assert.equal(r.status, 0, r.stderr);
  const got = JSON.parse(r.stdout.trim().split('\n').pop());
  assert.equal(got.ok, true, 'WXBizMsgCrypt gives the known answers');
  assert.ok(got.inbound.sha1 >= 1 && got.inbound.aes256CbcDecrypt >= 1, `Receiver used the host: ${JSON.stringify(got.inbound)}`);
  for (const name of ['aes256CbcDecrypt', 'aes256CbcEncrypt', 'sha1']) {
    assert.ok(got.outbound[name] >= 1, `WXBizMsgCrypt used the host's ${name}: ${JSON.stringify(got.outbound)}`);
  }
});

/** An encrypted safe-mode push whose decrypted message is `bytes` (any bytes, valid UTF-8 or not). */
async function pushOfBytes(bytes, { token, key, appId }) {
  const { createCipheriv, createHash } = await import('node:crypto');
  const aesKey = Buffer.from(`${key}=`, 'base64');
  const len = Buffer.alloc(4);
  len.writeUInt32BE(bytes.length);
  const framed = Buffer.concat([Buffer.alloc(16, 7), len, Buffer.from(bytes), Buffer.from(appId)]);
  const pad = 32 - (framed.length % 32);
  const cipher = createCipheriv('aes-256-cbc', aesKey, aesKey.subarray(0, 16));
  cipher.setAutoPadding(false);
  const encrypt = Buffer.concat([cipher.update(Buffer.concat([framed, Buffer.alloc(pad, pad)])), cipher.final()]).toString('base64');
  const [timestamp, nonce] = ['1700000000', '77'];
  const msgSignature = createHash('sha1').update([token, timestamp, nonce, encrypt].sort().join('')).digest('hex');
  return {
    query: { timestamp, nonce, encrypt_type: 'aes', msg_signature: msgSignature },
    body: `<xml><ToUserName><![CDATA[gh_1]]></ToUserName><Encrypt><![CDATA[${encrypt}]]></Encrypt></xml>`,
  };
}

test('large decrypted XML is checked as UTF-8 as it is read, JSON by node:buffer isUtf8; invalid bytes refused (-40008) either way', async () => {
  const account = { token: 'utf8Token', key: 'kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR', appId: 'wx5823bf96d3bd56c7' };
  assert.equal(typeof nodeHostCrypto.utf8Valid, 'function');
  const xml = (content) => `<xml><ToUserName>gh_1</ToUserName><FromUserName>o1</FromUserName><CreateTime>1700000000</CreateTime><MsgType>text</MsgType><Content>${content}</Content><MsgId>5</MsgId></xml>`;
  const json = (content) => JSON.stringify({ ToUserName: 'gh_1', FromUserName: 'o1', CreateTime: 1700000000, MsgType: 'text', Content: content, MsgId: 5 });
  const cases = [];
  let xmlCases = 0;
  for (const [format, size] of [['xml', nodeHostCrypto.minUtf8Len], ['xml', 3000], ['xml', 70_000], ['json', 3000]]) {
    if (format === 'json') xmlCases = cases.length;
    const content = text(size, size);
    const plain = content.replace(/[<>&"\\]/g, '.');
    const valid = Buffer.from(format === 'xml' ? xml(plain) : json(plain));
    cases.push([valid, plain]);
    // One bad byte inside the content, at its start, middle and end; a truncated emoji.
    const start = format === 'xml' ? valid.indexOf('<Content>') + 9 : valid.indexOf('"Content":"') + 11;
    const end = format === 'xml' ? valid.indexOf('</Content>') : valid.indexOf('","MsgId"');
    for (const at of [start, (start + end) >> 1, end - 1]) {
      const bad = Buffer.from(valid);
      bad[at] = 0xff;
      cases.push([bad, null]);
    }
    cases.push([Buffer.concat([valid.subarray(0, end), Buffer.from('😀').subarray(0, 3), valid.subarray(end)]), null]);
  }
  const pushes = await Promise.all(cases.map(([bytes]) => pushOfBytes(bytes, account)));
  const receiveAll = (from, to) => countingHost(() => {
    const receiver = new Receiver({ token: account.token, encodingAESKey: account.key, appId: account.appId, now: () => 1700000000 * 1000 });
    cases.slice(from, to).forEach(([, content], j) => {
      const i = from + j;
      if (content !== null) {
        assert.equal(receiver.receive(pushes[i]).message.content, content);
      } else {
        assert.throws(() => receiver.receive(pushes[i]), (e) => e.code === -40008 && /UTF-8/.test(e.message), `case ${i}`);
      }
    });
    receiver.free();
  });
  // XML: quick-xml checks every piece it reads, and nothing checks the message before.
  assert.equal(receiveAll(0, xmlCases).utf8Valid, 0);
  const calls = receiveAll(xmlCases, cases.length);
  assert.equal(calls.utf8Valid >= cases.length - xmlCases, true, `isUtf8 used for JSON (${calls.utf8Valid} calls)`);
});

test('node-host-crypto.js answers false for what is not whole blocks or a 32-byte key, and keeps working', async () => {
  const { createCipheriv, randomBytes } = await import('node:crypto');
  const key = randomBytes(32);
  const iv = key.subarray(0, 16);
  const good = () => {
    const plain = randomBytes(64);
    const enc = createCipheriv('aes-256-cbc', key, iv);
    enc.setAutoPadding(false);
    const data = new Uint8Array(Buffer.concat([enc.update(plain), enc.final()]));
    assert.equal(nodeHostCrypto.aes256CbcDecrypt(new Uint8Array(key), new Uint8Array(iv), data), true);
    assert.deepEqual(Buffer.from(data), plain);
  };
  good();
  for (const [k, v, n] of [[32, 16, 0], [32, 16, 15], [32, 16, 17], [32, 15, 32], [31, 16, 32], [33, 16, 32]]) {
    const data = new Uint8Array(n).fill(7);
    assert.equal(nodeHostCrypto.aes256CbcDecrypt(new Uint8Array(k), new Uint8Array(v), data), false, `${k}/${v}/${n}`);
    assert.deepEqual([...data], new Array(n).fill(7), 'left as it was');
    good();
  }
});
