// The inbound pipeline, timed in whatever runtime runs this file (Node, Deno, Bun), from a
// scratch project where 'wechat-kf' is the installed tarball. Started by bench/run.mjs:
//   <runtime> pipeline.mjs '{"rounds":21,"batchMs":30,"warmupMs":500,"clock":"wall"}'
// (clock "cpu": process CPU time of all threads, process.cpuUsage, instead of wall time)
// Prints one line: RESULT_MARKER + JSON { runtime, peer, rows: [...] } (or { error }).
//
// Contenders, each given the same push (query + envelope body, as it arrives over HTTP):
//   ours:  new Receiver(...).receive({ query, body }) -> push.message (verify + decrypt + parse)
//   peer:  @wecom/crypto (getSignature, decrypt, appId check) + fast-xml-parser on the plaintext;
//          the Encrypt value is taken out of the envelope with a regular expression (cheaper for
//          the peer than parsing the envelope)
//   floor: node:crypto alone: SHA-1 of the signature + AES-256-CBC decrypt (base64 in, key
//          schedule prepared once), the message bytes read out as a string; no XML at all
// Each round times one batch of each contender (in rotating order, so that load on the machine
// hits all of them alike); figures are medians over the rounds, ratios the median of the
// per-round ratios.
import process from 'node:process';
import { Buffer } from 'node:buffer';
import { createDecipheriv, createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { ACCOUNT, SIZES, RESULT_MARKER, encryptedPush, runtimeName, sizeLabel, textPush } from './fixtures.mjs';

const config = { rounds: 21, batchMs: 30, warmupMs: 500, clock: 'wall', sizes: SIZES, ...JSON.parse(process.argv[2] ?? '{}') };
const require = createRequire(import.meta.url);
const { token, encodingAESKey, appId } = ACCOUNT;

let sink = 0;
const now = () => performance.now();
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

function fail(message) {
  console.log(RESULT_MARKER + JSON.stringify({ runtime: runtimeName(), error: message }));
  process.exit(1);
}

let lib;
try {
  lib = await import('wechat-kf');
} catch (e) {
  fail(`cannot import wechat-kf: ${e?.message ?? e}`);
}

// The peer: loaded if it loads in this runtime; the figures say so when it does not.
let peer = null;
let peerError = null;
try {
  const wecom = require('@wecom/crypto');
  const { XMLParser } = require('fast-xml-parser');
  peer = { wecom, parser: new XMLParser({ parseTagValue: false }) };
} catch (e) {
  peerError = String(e?.message ?? e).split('\n')[0];
}

const ENCRYPT = /<Encrypt><!\[CDATA\[(.*?)\]\]><\/Encrypt>/s;
function peerJob(p, { query, body }) {
  const enc = ENCRYPT.exec(body)[1];
  if (p.wecom.getSignature(token, query.timestamp, query.nonce, enc) !== query.msg_signature) throw new Error('peer: bad signature');
  const { message, id } = p.wecom.decrypt(encodingAESKey, enc);
  if (id !== appId) throw new Error('peer: wrong appId');
  return p.parser.parse(message).xml;
}

const key = Buffer.from(encodingAESKey + '=', 'base64');
const iv = key.subarray(0, 16);
function floorJob({ query, encrypted }) {
  const sig = createHash('sha1').update([token, query.timestamp, query.nonce, encrypted].sort().join('')).digest('hex');
  if (sig !== query.msg_signature) throw new Error('floor: bad signature');
  const d = createDecipheriv('aes-256-cbc', key, iv);
  d.setAutoPadding(false);
  const plain = Buffer.concat([d.update(encrypted, 'base64'), d.final()]);
  const len = plain.readUInt32BE(16);
  return plain.toString('utf8', 20, 20 + len);
}

/** Iterations of fn that take about `ms`. */
function calibrate(fn, ms) {
  let n = 1;
  for (;;) {
    const t = now();
    for (let i = 0; i < n; i++) sink ^= fn() ? 1 : 0;
    const dt = now() - t;
    if (dt >= ms / 4 || n >= 1 << 20) return Math.max(1, Math.round((n * ms) / Math.max(dt, 0.001)));
    n *= 2;
  }
}

/** Microseconds per operation of one batch of n, by the configured clock. */
const cpuClock = config.clock === 'cpu';
function batch(fn, n) {
  const c = cpuClock ? process.cpuUsage() : null;
  const t = now();
  for (let i = 0; i < n; i++) sink ^= fn() ? 1 : 0;
  if (cpuClock) {
    const d = process.cpuUsage(c);
    return (d.user + d.system) / n;
  }
  return ((now() - t) * 1000) / n;
}

const rows = [];
for (const size of config.sizes) {
  const push = textPush(size);
  const wire = encryptedPush(push.xml);
  const receiver = new lib.Receiver({ ...ACCOUNT, now: () => 1700000000 * 1000 });
  const request = { query: wire.query, body: wire.body };

  // Correctness first: every contender must produce the pushed message.
  const out = receiver.receive(request).message;
  if (out.msgType !== 'text' || out.content !== push.content || out.msgId !== push.msgId) fail(`wechat-kf: wrong message at ${sizeLabel(size)}`);
  if (floorJob(wire) !== push.xml) fail(`floor: wrong plaintext at ${sizeLabel(size)}`);
  if (peer) {
    const p = peerJob(peer, wire);
    if (p.MsgType !== 'text' || p.Content !== push.content || p.MsgId !== push.msgId) fail(`peer: wrong message at ${sizeLabel(size)}`);
  }

  // Each job reads the typed fields out of its result (so that a lazily built message costs what
  // it costs); the floor hands back the plaintext string.
  const read = (msgType, content, msgId) => msgType.length + content.length + msgId.length;
  const contenders = [
    ['ours', () => {
      const m = receiver.receive(request).message;
      return read(m.msgType, m.content, m.msgId);
    }],
    ['floor', () => floorJob(wire).length],
  ];
  if (peer) {
    contenders.push(['peer', () => {
      const m = peerJob(peer, wire);
      return read(m.MsgType, m.Content, m.MsgId);
    }]);
  }

  const n = {};
  for (const [name, fn] of contenders) {
    const end = now() + config.warmupMs;
    while (now() < end) batch(fn, 16);
    n[name] = calibrate(fn, config.batchMs);
  }
  const times = Object.fromEntries(contenders.map(([name]) => [name, []]));
  for (let r = 0; r < config.rounds; r++) {
    for (let k = 0; k < contenders.length; k++) {
      const [name, fn] = contenders[(r + k) % contenders.length];
      times[name].push(batch(fn, n[name]));
    }
  }
  const perRound = (f) => times.ours.map((_, r) => f(r));
  const row = {
    size,
    label: sizeLabel(size),
    bodyBytes: Buffer.byteLength(wire.body),
    plaintextBytes: Buffer.byteLength(push.xml),
    oursUs: median(times.ours),
    floorUs: median(times.floor),
    // Our time over the floor's (lower is better; goal <= 2.5x up to 2 KB).
    vsFloor: median(perRound((r) => times.ours[r] / times.floor[r])),
  };
  if (peer) {
    row.peerUs = median(times.peer);
    // The peer's time over ours: how many times faster we are (goal >= 2.0x / 1.0x).
    row.vsPeer = median(perRound((r) => times.peer[r] / times.ours[r]));
    // The middle half of the per-round ratios (25th to 75th percentile): how noisy the rounds were.
    const ratios = perRound((r) => times.peer[r] / times.ours[r]).sort((a, b) => a - b);
    row.vsPeerRange = [ratios[Math.floor((ratios.length - 1) / 4)], ratios[Math.ceil(((ratios.length - 1) * 3) / 4)]];
  }
  rows.push(row);
  receiver.free?.();
}

console.log(RESULT_MARKER + JSON.stringify({
  runtime: runtimeName(),
  peer: peer ? '@wecom/crypto + fast-xml-parser' : null,
  peerError,
  rounds: config.rounds,
  clock: config.clock,
  batchMs: config.batchMs,
  sink,
  rows,
}));
