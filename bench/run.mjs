// Benchmark: prints figures, asserts nothing. Run `bash scripts/build.sh` first, then
// `node bench/run.mjs [--quick]`.
//
// In one process it times, for pushes of 256 B, 1 KB, 16 KB and 64 KB:
//   1. verify + decrypt of an encrypted push (msg_signature over Encrypt, AES-CBC, checks):
//      wechat-kf `decryptMessage` vs `wechat-crypto` and `@wecom/crypto` (the peers get the
//      Encrypt value handed to them; we also read it out of the envelope);
//   2. the inbound pipeline (verify + decrypt + parse to a typed object), when the package has
//      `Receiver`: wechat-kf `receive` vs `@wecom/crypto` + `fast-xml-parser` and
//      `wechat-crypto` + `xml2js`;
// and prints the .wasm size raw and gzipped and Node cold start (compile, instantiate, first
// decrypt) measured in fresh processes.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

const require = createRequire(import.meta.url);
const root = fileURLToPath(new URL('..', import.meta.url));
const quick = process.argv.includes('--quick');
const lib = await import(new URL('../pkg/loaders/node.js', import.meta.url));
const WechatCrypto = require('wechat-crypto');
const wecom = require('@wecom/crypto');
const { XMLParser } = require('fast-xml-parser');
const xml2js = require('xml2js');

const token = 'benchtoken';
const encodingAESKey = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';
const appId = 'wxb11529c136998cb6';
const timestamp = '1700000000';
const nonce = '1320562132';

function pushPlaintext(size) {
  const head = '<xml><ToUserName><![CDATA[gh_10f6c3c3ac5a]]></ToUserName><FromUserName><![CDATA[oyORnuP8q7ou2gfYjqLzSIWZf0rs]]></FromUserName><CreateTime>1700000000</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[';
  const tail = ']]></Content><MsgId>6054768590064713728</MsgId></xml>';
  const filler = '客服消息 hello 123 '.repeat(Math.ceil(size / 10));
  let content = '';
  const enc = new TextEncoder();
  for (const ch of filler) {
    if (enc.encode(head + content + ch + tail).length > size) break;
    content += ch;
  }
  return head + content + tail;
}

function time(fn, ms) {
  // warm up, then run batches until `ms` elapsed; returns ops/s
  for (let i = 0; i < 50; i++) fn();
  let ops = 0;
  const start = performance.now();
  let now = start;
  let batch = 16;
  while (now - start < ms) {
    for (let i = 0; i < batch; i++) fn();
    ops += batch;
    now = performance.now();
    if (batch < 4096) batch *= 2;
  }
  return (ops * 1000) / (now - start);
}

const fmt = (n) => (n >= 1000 ? `${(n / 1000).toFixed(1)}k` : n.toFixed(0));
const ratio = (a, b) => `${(a / b).toFixed(2)}x`;
const ms = quick ? 150 : 600;

const ours = new lib.WXBizMsgCrypt({ token, encodingAESKey, appId });
const wc = new WechatCrypto(token, encodingAESKey, appId);
const receiver = lib.Receiver ? new lib.Receiver({ token, encodingAESKey, appId, maxSkewSeconds: 0 }) : null;
const fxp = new XMLParser({ parseTagValue: false });

console.log(`wechat-kf benchmark (Node ${process.version}, ${quick ? 'quick' : 'full'} run; ops/s, higher is better)`);
console.log('\n1. verify + decrypt (ratio = wechat-kf / peer)');
console.log('size     wechat-kf  wechat-crypto  @wecom/crypto   vs wechat-crypto  vs @wecom/crypto');
const pipelineRows = [];
for (const size of [256, 1024, 2048, 16 * 1024, 64 * 1024]) {
  const plaintext = pushPlaintext(size);
  const encrypt = ours.encrypt(plaintext);
  const msgSignature = ours.msgSignature(timestamp, nonce, encrypt);
  const body = `<xml><ToUserName><![CDATA[gh_10f6c3c3ac5a]]></ToUserName><Encrypt><![CDATA[${encrypt}]]></Encrypt></xml>`;
  // Every contender must produce the same plaintext before it is timed.
  if (ours.decryptMessage({ msgSignature, timestamp, nonce, body }) !== plaintext) throw new Error('wechat-kf wrong');
  if (wc.decrypt(encrypt).message !== plaintext) throw new Error('wechat-crypto wrong');
  if (wecom.decrypt(encodingAESKey, encrypt).message !== plaintext) throw new Error('@wecom/crypto wrong');

  const a = time(() => ours.decryptMessage({ msgSignature, timestamp, nonce, body }), ms);
  const b = time(() => {
    if (wc.getSignature(timestamp, nonce, encrypt) !== msgSignature) throw new Error('sig');
    return wc.decrypt(encrypt).message;
  }, ms);
  const c = time(() => {
    if (wecom.getSignature(token, timestamp, nonce, encrypt) !== msgSignature) throw new Error('sig');
    return wecom.decrypt(encodingAESKey, encrypt).message;
  }, ms);
  const label = size >= 1024 ? `${size / 1024} KB` : `${size} B`;
  console.log(`${label.padEnd(8)} ${fmt(a).padStart(9)}  ${fmt(b).padStart(13)}  ${fmt(c).padStart(13)}   ${ratio(a, b).padStart(16)}  ${ratio(a, c).padStart(16)}`);
  pipelineRows.push({ size, label, plaintext, encrypt, msgSignature, body });
}

if (receiver) {
  console.log('\n2. inbound pipeline: verify + decrypt + parse to a typed object (ratio = wechat-kf / peer)');
  console.log('size     wechat-kf  @wecom+fxp  wechat-crypto+xml2js   vs @wecom+fxp  vs wechat-crypto+xml2js');
  for (const { label, encrypt, msgSignature, body, plaintext } of pipelineRows) {
    const query = { signature: 'unused', timestamp, nonce, openid: 'o', encrypt_type: 'aes', msg_signature: msgSignature };
    const out = receiver.receive({ query, body });
    if (out.message.msgType !== 'text' || !plaintext.includes(out.message.content)) throw new Error('receive wrong');
    const a = time(() => receiver.receive({ query, body }).message, ms);
    const b = time(() => {
      const enc = /<Encrypt><!\[CDATA\[(.*?)\]\]><\/Encrypt>/.exec(body)[1];
      if (wecom.getSignature(token, timestamp, nonce, enc) !== msgSignature) throw new Error('sig');
      return fxp.parse(wecom.decrypt(encodingAESKey, enc).message).xml;
    }, ms);
    let c = 0;
    if (!quick) {
      // xml2js is callback-based; its sync path (async: false) is used here.
      c = time(() => {
        const enc = /<Encrypt><!\[CDATA\[(.*?)\]\]><\/Encrypt>/.exec(body)[1];
        if (wc.getSignature(timestamp, nonce, enc) !== msgSignature) throw new Error('sig');
        let result;
        xml2js.parseString(wc.decrypt(enc).message, { explicitArray: false }, (err, r) => { if (err) throw err; result = r; });
        return result;
      }, ms / 2);
    }
    console.log(`${label.padEnd(8)} ${fmt(a).padStart(9)}  ${fmt(b).padStart(10)}  ${(c ? fmt(c) : '-').padStart(20)}   ${ratio(a, b).padStart(13)}  ${(c ? ratio(a, c) : '-').padStart(22)}`);
  }
} else {
  console.log('\n2. inbound pipeline: skipped (this build has no Receiver)');
}

const wasm = readFileSync(new URL('../pkg/wasm/wechat_kf_bg.wasm', import.meta.url));
const gz = gzipSync(wasm, { level: 9 }).length;
console.log(`\n.wasm size: ${wasm.length} bytes raw, ${gz} bytes gzipped (${(gz / 1024).toFixed(1)} KiB; target <= 60 KiB)`);

// Cold start in fresh processes: read + compile + instantiate + first decrypt.
const probe = `
const t0 = performance.now();
const { readFileSync } = await import('node:fs');
const glue = await import(${JSON.stringify(new URL('../pkg/wasm/wechat_kf.js', import.meta.url).href)});
const api = await import(${JSON.stringify(new URL('../pkg/loaders/connect.js', import.meta.url).href)});
const t1 = performance.now();
const bytes = readFileSync(new URL(${JSON.stringify(new URL('../pkg/wasm/wechat_kf_bg.wasm', import.meta.url).href)}));
const module = new WebAssembly.Module(bytes);
const t2 = performance.now();
glue.initSync({ module });
api.setup();
const t3 = performance.now();
const c = new api.WXBizMsgCrypt({ token: 't', encodingAESKey: ${JSON.stringify(encodingAESKey)}, appId: 'wxb11529c136998cb6' });
c.decrypt('jn1L23DB+6ELqJ+6bruv21Y6MD7KeIfP82D6gU39rmkgczbWwt5+3bnyg5K55bgVtVzd832WzZGMhkP72vVOfg==');
const t4 = performance.now();
console.log(JSON.stringify({ load: t1 - t0, compile: t2 - t1, instantiate: t3 - t2, firstDecrypt: t4 - t3, total: t4 - t0 }));
`;
const runs = [];
for (let i = 0; i < (quick ? 3 : 7); i++) {
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', probe], { encoding: 'utf8', cwd: root });
  if (r.status !== 0) throw new Error(r.stderr);
  runs.push(JSON.parse(r.stdout));
}
const median = (k) => runs.map((r) => r[k]).sort((x, y) => x - y)[Math.floor(runs.length / 2)];
console.log(`Node cold start (median of ${runs.length} fresh processes): compile ${median('compile').toFixed(2)} ms, instantiate ${median('instantiate').toFixed(2)} ms, first decrypt ${median('firstDecrypt').toFixed(2)} ms; compile+instantiate+first decrypt ${(median('compile') + median('instantiate') + median('firstDecrypt')).toFixed(2)} ms (target < 5 ms); with JS module loading ${median('total').toFixed(2)} ms`);
