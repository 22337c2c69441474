// The load generator of the end-to-end benchmark, in its own Node process (started by
// bench/run.mjs with an IPC channel). On { run: { port, count, concurrency, size } } it makes
// `count` distinct encrypted text pushes (fresh timestamps, distinct MsgIds, content ending with
// `#<MsgId>`), then POSTs them to http://127.0.0.1:<port>/wechat?... over a keep-alive agent,
// `concurrency` in flight, checks that every answer is 200 `success`, and sends back
// { count, ok, bad, firstBad, elapsedMs, reqPerSec, latencies } (latencies in ms, sorted).
import process from 'node:process';
import http from 'node:http';
import { encryptedPush, textPush } from './fixtures.mjs';

let nextId = 7_000_000_000_000_000_000n + BigInt(process.pid) * 1_000_000_000n;

function makePushes(count, size) {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const out = [];
  for (let i = 0; i < count; i++) {
    const msgId = String(nextId++);
    const { xml } = textPush(size, { createTime: Number(timestamp), msgId, tagged: true });
    const { path, body } = encryptedPush(xml, { timestamp, nonce: String(100000 + (i % 900000)) });
    out.push({ path, body: Buffer.from(body) });
  }
  return out;
}

function post(agent, port, { path, body }) {
  return new Promise((resolve) => {
    const req = http.request({
      host: '127.0.0.1', port, path, method: 'POST', agent,
      headers: { 'content-type': 'text/xml', 'content-length': body.length },
    }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, text: Buffer.concat(chunks).toString() }));
      res.on('error', (e) => resolve({ status: 0, text: String(e.message) }));
    });
    req.on('error', (e) => resolve({ status: 0, text: String(e.message) }));
    req.end(body);
  });
}

async function run({ port, count, concurrency, size }) {
  const pushes = makePushes(count, size);
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const latencies = new Array(count);
  let next = 0;
  let ok = 0;
  let bad = 0;
  let firstBad = null;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const t = performance.now();
      const r = await post(agent, port, pushes[i]);
      latencies[i] = performance.now() - t;
      if (r.status === 200 && (r.text === 'success' || r.text === '')) ok++; // '' : co-wechat's acknowledgement
      else {
        bad++;
        firstBad ??= `${r.status} ${r.text.slice(0, 200)}`;
      }
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsedMs = performance.now() - t0;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return { count, ok, bad, firstBad, elapsedMs, reqPerSec: (count * 1000) / elapsedMs, latencies };
}

process.on('message', async (m) => {
  if (m?.run) process.send({ result: await run(m.run) });
});
process.on('disconnect', () => process.exit(0));
process.send({ ready: true });
