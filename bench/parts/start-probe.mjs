// Start of an inbound handler, in a fresh Node process (one run per process; bench/run.mjs starts
// several and takes medians):
//   node start-probe.mjs wasm  '<push json>'  the wasm modules compiled by import + first push (and,
//                                             separately, by a first outbound call), raw and gzip -9
//   node start-probe.mjs ours  '<push json>'  ms for import('wechat-kf') and for import + first push,
//                                             and of that, ms in new WebAssembly.Module/Instance
//   node start-probe.mjs peers '<push json>'  ms for loading @wecom/crypto + fast-xml-parser with
//                                             require() (their CJS builds, the fastest way to load
//                                             them), and for that + the same first push
//   node start-probe.mjs peers-esm '<push json>'  the same with import() (fast-xml-parser 5 then
//                                             loads its ESM sources, file by file)
// <push json> is { query, body, content } made by the parent, so that nothing but the measured
// work happens in this process. Prints one line: RESULT_MARKER + JSON.
import process from 'node:process';
import { createRequire } from 'node:module';

const [mode, pushJson] = process.argv.slice(2);
const push = JSON.parse(pushJson);
const MARKER = '@@BENCH@@';
const ACCOUNT = { token: 'benchToken', encodingAESKey: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG', appId: 'wxb11529c136998cb6' };
const clock = () => Number(push.query.timestamp) * 1000;

if (mode === 'wasm') {
  // Record the bytes of every module compiled, whichever WebAssembly entry point the loader uses.
  const compiled = [];
  let phase = 'inbound';
  const record = (source) => {
    if (source instanceof WebAssembly.Module) return;
    const view = ArrayBuffer.isView(source) ? new Uint8Array(source.buffer, source.byteOffset, source.byteLength) : new Uint8Array(source);
    compiled.push({ phase, bytes: Uint8Array.from(view) });
  };
  const W = WebAssembly;
  const Module = new Proxy(W.Module, {
    construct(target, args, newTarget) {
      record(args[0]);
      return Reflect.construct(target, args, newTarget === Module ? target : newTarget);
    },
  });
  W.Module = Module;
  const { compile, instantiate, compileStreaming, instantiateStreaming } = W;
  W.compile = (bytes, ...rest) => (record(bytes), compile.call(W, bytes, ...rest));
  W.instantiate = (source, ...rest) => (record(source), instantiate.call(W, source, ...rest));
  if (compileStreaming) {
    W.compileStreaming = async (res, ...rest) => {
      const r = await res;
      record(await r.clone().arrayBuffer());
      return compileStreaming.call(W, r, ...rest);
    };
  }
  if (instantiateStreaming) {
    W.instantiateStreaming = async (res, ...rest) => {
      const r = await res;
      record(await r.clone().arrayBuffer());
      return instantiateStreaming.call(W, r, ...rest);
    };
  }

  const lib = await import('wechat-kf');
  const receiver = new lib.Receiver({ ...ACCOUNT, now: clock });
  const message = receiver.receive(push).message;
  if (message.content !== push.content) throw new Error('first push: wrong content');
  // Let a lazily loaded part settle before outbound code is touched.
  await new Promise((r) => setTimeout(r, 50));
  phase = 'outbound';
  let outboundError = null;
  try {
    // The first outbound use: build a request (loads outbound code if it is loaded on demand).
    let built = lib.requests.sendText({ touser: 'oyORnuP8q7ou2gfYjqLzSIWZf0rs', content: 'hello' });
    if (built && typeof built.then === 'function') built = await built;
    if (!built) throw new Error('requests.sendText returned nothing');
  } catch (e) {
    outboundError = String(e?.message ?? e).split('\n')[0];
  }
  const { gzipSync } = await import('node:zlib');
  console.log(MARKER + JSON.stringify({
    modules: compiled.map(({ phase, bytes }) => ({ phase, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length })),
    outboundError,
  }));
} else if (mode === 'ours') {
  // Time spent in synchronous wasm compilation and instantiation (the Node loader's path), to
  // tell it apart from loading the JavaScript modules.
  let wasmMs = 0;
  const timed = (Ctor) => new Proxy(Ctor, {
    construct(target, args, newTarget) {
      const t = performance.now();
      try {
        return Reflect.construct(target, args, newTarget === proxies.get(target) ? target : newTarget);
      } finally {
        wasmMs += performance.now() - t;
      }
    },
  });
  const proxies = new Map();
  for (const name of ['Module', 'Instance']) {
    const original = WebAssembly[name];
    proxies.set(original, (WebAssembly[name] = timed(original)));
  }
  const t0 = performance.now();
  const lib = await import('wechat-kf');
  const t1 = performance.now();
  const receiver = new lib.Receiver({ ...ACCOUNT, now: clock });
  const message = receiver.receive(push).message;
  const t2 = performance.now();
  if (message.content !== push.content) throw new Error('first push: wrong content');
  console.log(MARKER + JSON.stringify({ importMs: t1 - t0, totalMs: t2 - t0, wasmMs }));
} else if (mode === 'peers' || mode === 'peers-esm') {
  const require = createRequire(import.meta.url);
  const t0 = performance.now();
  const wecom = mode === 'peers' ? require('@wecom/crypto') : await import('@wecom/crypto');
  const { XMLParser } = mode === 'peers' ? require('fast-xml-parser') : await import('fast-xml-parser');
  const t1 = performance.now();
  const enc = /<Encrypt><!\[CDATA\[(.*?)\]\]><\/Encrypt>/s.exec(push.body)[1];
  const { query } = push;
  if (wecom.getSignature(ACCOUNT.token, query.timestamp, query.nonce, enc) !== query.msg_signature) throw new Error('bad signature');
  const { message, id } = wecom.decrypt(ACCOUNT.encodingAESKey, enc);
  if (id !== ACCOUNT.appId) throw new Error('wrong appId');
  const xml = new XMLParser({ parseTagValue: false }).parse(message).xml;
  const t2 = performance.now();
  if (xml.Content !== push.content) throw new Error('first push: wrong content');
  console.log(MARKER + JSON.stringify({ importMs: t1 - t0, totalMs: t2 - t0 }));
} else {
  throw new Error(`unknown mode ${mode}`);
}
