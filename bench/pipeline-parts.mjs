// Where the inbound pipeline's time goes. Prints figures, asserts nothing. Run
// `bash scripts/build.sh` first, then `node bench/pipeline-parts.mjs [--quick] [--min] [--only=a,b]
// [sizes...]`. WXKF_PKG=dir times another build (a copy of pkg/); WXKF_BASE=dir adds `base`,
// Receiver.receive of that build, timed in the same rounds (two builds side by side).
//
// For each push size it times, interleaved in rounds (every other round in reverse order), the
// median of the rounds (with --min the fastest), in µs of CPU time per call, lower is better:
//   receive     Receiver.receive (verify + decrypt + parse to the typed message)
//   peer        @wecom/crypto + fast-xml-parser (the bench's peer)
//   floor       node:crypto only: SHA-1 of the sorted parts + base64 + AES-256-CBC, no parsing
//   decryptMsg  WXBizMsgCrypt.decryptMessage (envelope + signature + decrypt, string out)
//   decrypt     WXBizMsgCrypt.decrypt (base64 + AES + checks, { plaintext, appId } out)
//   decrypt-sw  the same with the core's own AES and SHA-1 (no host crypto)
//   decrypt-hw  the same with node:crypto for every size
//   signature   WXBizMsgCrypt.msgSignature over the Encrypt value
//   parse-fxp   fast-xml-parser alone on the plaintext, for scale
import { createRequire } from 'node:module';
import { createHash, createDecipheriv } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { textPush } from './parts/fixtures.mjs';

const require = createRequire(import.meta.url);
const quick = process.argv.includes('--quick');
const sizeArgs = process.argv.slice(2).filter((a) => /^\d+$/.test(a)).map(Number);
const sizes = sizeArgs.length ? sizeArgs : [256, 1024, 2048, 16 * 1024, 64 * 1024];
const useMin = process.argv.includes('--min');
const only = process.argv.find((a) => a.startsWith('--only='))?.slice(7).split(',');
const pkg = process.env.WXKF_PKG ? new URL(`file://${process.env.WXKF_PKG.replace(/\/?$/, '/')}`) : new URL('../pkg/', import.meta.url);
const lib = await import(new URL('loaders/node.js', pkg));
// The glues' host-crypto registration and loaders/node-host-crypto.js: internals, the default
// export of wechat-kf.js (the module the entry loads, so they act on its instance). WXBizMsgCrypt
// is the outbound module's (internal.outbound(), compiled here), Receiver the inbound one's
// (internal): a host setting is registered with both.
const { default: internal } = await import(new URL('wechat-kf.js', pkg));
const { nodeHostCrypto } = internal;
const registerHost = (host) => {
  for (const glue of [internal, internal.outbound()]) glue.__registerHostCrypto(host);
};
const wecom = require('@wecom/crypto');
const { XMLParser } = require('fast-xml-parser');

const token = 'benchtoken';
const encodingAESKey = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';
const appId = 'wxb11529c136998cb6';
const timestamp = '1700000000';
const nonce = '1320562132';
const aesKey = Buffer.from(`${encodingAESKey}=`, 'base64');
const iv = aesKey.subarray(0, 16);

/**
 * A text push of `size` bytes of plaintext, the one bench/run.mjs times: Chinese with full-width
 * punctuation (，！？： are EF BC ..), which the XML character check must not slow down.
 */
const pushPlaintext = (size) => textPush(size).xml;

// CPU time of this process (user + system, µs): on a shared machine it counts only the time
// this process ran, not the time other processes held the cores.
function cpu() {
  const u = process.cpuUsage();
  return u.user + u.system;
}

/** µs of CPU per call of `fn`, run in growing batches for about `ms` of wall time. */
function once(fn, ms) {
  let ops = 0;
  let batch = 8;
  const start = performance.now();
  const c0 = cpu();
  while (performance.now() - start < ms) {
    for (let i = 0; i < batch; i++) fn();
    ops += batch;
    if (batch < 2048) batch *= 2;
  }
  return (cpu() - c0) / ops;
}

function measure(contenders, { rounds, ms }) {
  const times = Object.fromEntries(Object.keys(contenders).map((k) => [k, []]));
  for (const fn of Object.values(contenders)) for (let i = 0; i < 200; i++) fn();
  for (let r = 0; r < rounds; r++) {
    // Every other round in reverse order: a contender's place in the round would bias it.
    const order = Object.entries(contenders);
    if (r % 2) order.reverse();
    for (const [name, fn] of order) times[name].push(once(fn, ms));
  }
  // The median, or with --min the fastest round (on a loaded machine, noise only adds).
  const pick = (xs) => xs.sort((a, b) => a - b)[useMin ? 0 : Math.floor(xs.length / 2)];
  return Object.fromEntries(Object.entries(times).map(([k, xs]) => [k, pick(xs)]));
}

// Instances built under each host setting (the host is attached at construction).
const ours = new lib.WXBizMsgCrypt({ token, encodingAESKey, appId });
registerHost({ ...nodeHostCrypto, minLen: Number.MAX_SAFE_INTEGER });
const sw = new lib.WXBizMsgCrypt({ token, encodingAESKey, appId });
registerHost({ ...nodeHostCrypto, minLen: 0 });
const hw = new lib.WXBizMsgCrypt({ token, encodingAESKey, appId });
registerHost(nodeHostCrypto);
const receiver = new lib.Receiver({ token, encodingAESKey, appId, maxSkewSeconds: 0 });
const baseLib = process.env.WXKF_BASE
  ? await import(new URL('loaders/node.js', new URL(`file://${process.env.WXKF_BASE.replace(/\/?$/, '/')}`)))
  : null;
const baseReceiver = baseLib && new baseLib.Receiver({ token, encodingAESKey, appId, maxSkewSeconds: 0 });
const fxp = new XMLParser({ parseTagValue: false });

function floor(encrypt, msgSignature) {
  const parts = [token, timestamp, nonce, encrypt].sort();
  const hash = createHash('sha1');
  for (const p of parts) hash.update(p);
  if (hash.digest('hex') !== msgSignature) throw new Error('sig');
  const d = createDecipheriv('aes-256-cbc', aesKey, iv);
  d.setAutoPadding(false);
  const plain = Buffer.concat([d.update(Buffer.from(encrypt, 'base64')), d.final()]);
  const len = plain.readUInt32BE(16);
  return plain.toString('utf8', 20, 20 + len);
}

console.log(`pipeline parts (Node ${process.version}; µs of CPU per call, ${useMin ? 'fastest' : 'median'} of rounds, lower is better)`);
const names = [...(baseReceiver ? ['base'] : []), 'receive', 'peer', 'floor', 'decryptMsg', 'decrypt', 'decrypt-sw', 'decrypt-hw', 'signature', 'parse-fxp']
  .filter((n) => !only || only.includes(n) || ['base', 'receive', 'peer', 'floor'].includes(n));
console.log(`size    ${names.map((n) => n.padStart(11)).join('')}   vs peer  vs floor${baseReceiver ? '  base/receive' : ''}`);
for (const size of sizes) {
  const plaintext = pushPlaintext(size);
  const encrypt = ours.encrypt(plaintext);
  const msgSignature = ours.msgSignature(timestamp, nonce, encrypt);
  const body = `<xml><ToUserName><![CDATA[gh_10f6c3c3ac5a]]></ToUserName><Encrypt><![CDATA[${encrypt}]]></Encrypt></xml>`;
  const query = { timestamp, nonce, encrypt_type: 'aes', msg_signature: msgSignature };
  if (floor(encrypt, msgSignature) !== plaintext) throw new Error('floor wrong');
  if (!plaintext.includes(receiver.receive({ query, body }).message.content)) throw new Error('receive wrong');
  for (const c of [ours, sw, hw]) if (c.decrypt(encrypt).plaintext !== plaintext) throw new Error('decrypt wrong');
  const contenders = {
    base: () => baseReceiver.receive({ query, body }).message,
    receive: () => receiver.receive({ query, body }).message,
    peer: () => {
      const enc = /<Encrypt><!\[CDATA\[(.*?)\]\]><\/Encrypt>/.exec(body)[1];
      if (wecom.getSignature(token, timestamp, nonce, enc) !== msgSignature) throw new Error('sig');
      return fxp.parse(wecom.decrypt(encodingAESKey, enc).message).xml;
    },
    floor: () => floor(encrypt, msgSignature),
    decryptMsg: () => ours.decryptMessage({ msgSignature, timestamp, nonce, body }),
    decrypt: () => ours.decrypt(encrypt),
    'decrypt-sw': () => sw.decrypt(encrypt),
    'decrypt-hw': () => hw.decrypt(encrypt),
    signature: () => ours.msgSignature(timestamp, nonce, encrypt),
    'parse-fxp': () => fxp.parse(plaintext),
  };
  const scale = size >= 16384 ? 2 : 1;
  for (const n of Object.keys(contenders)) if (!names.includes(n)) delete contenders[n];
  const t = measure(contenders, { rounds: quick ? 5 : 9, ms: (quick ? 30 : 80) * scale });
  const label = size >= 1024 ? `${size / 1024} KB` : `${size} B`;
  const cells = names.map((n) => t[n].toFixed(1).padStart(11)).join('');
  console.log(`${label.padEnd(8)}${cells}   ${(t.peer / t.receive).toFixed(2).padStart(6)}x ${(t.receive / t.floor).toFixed(2).padStart(6)}x${baseReceiver ? `  ${(t.base / t.receive).toFixed(2).padStart(11)}x` : ''}`);
}
