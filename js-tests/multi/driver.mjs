// The multi-instance driver (issue 9), shared by the Redis run (js-tests/multi/run-redis.mjs),
// the workerd Durable Object run and the Deno KV run. Standard JS (fetch) only: it runs in the
// host process and talks to the instances and the emulator over HTTP on 127.0.0.1.
//
// An INSTANCE is a base URL (e.g. 'http://127.0.0.1:4311') serving:
//   POST /wx?<push query>            the push handler (createNodeListener / createHandler) whose
//                                    onMessage records push.dedupKey (and never throws)
//   GET  /__test/handled             -> { handled: string[] (dedupKeys, in order), errors: string[]
//                                       ('phase:code' from the handler's and Client's onError) }
//   POST /__test/calls {n}           n concurrent client.getKfList() -> { ok, failed, codes: number[] }
//   POST /__test/sends {openid, n}   n concurrent client.sendText({ touser: openid }) with the
//                                    instance's shared SendWindow -> { sent, refused: number[] (codes) }
//   POST /__test/observe {openid}    sendWindow.observe(openid, 'message') -> { ok: true }
//
// API:
//   makePushes(lib, { token, encodingAESKey, appId, count, nowMs?, toUser? })
//       -> [{ id, query: URLSearchParams-string, body }] distinct encrypted XML text pushes
//          built with the package's own WXBizMsgCrypt (id = the push's MsgId).
//   pushStorm(instances, pushes, { copies = 3, concurrency = 50, timeoutMs = 10000, path = '/wx' })
//       -> { requests, statuses: { [status]: count }, failures: string[], maxMs, elapsedMs }
//          every push delivered `copies` times, each copy to a different instance, at most
//          `concurrency` requests in flight, copies interleaved (retries land while the first
//          delivery may still be running).
//   handledReport(instances, pushes, { keyOf? })
//       -> { handled (of these pushes), distinct (all keys seen), duplicates, missing, errors: string[] }
//          from /__test/handled
//          (keyOf(push) -> dedupKey; default `msg:<toUser>:<id>`).
//   apiStorm(instances, n) -> { ok, failed, codes }  n concurrent calls on every instance.
//   sendStorm(instances, openid, total) -> { sent, refused: { [code]: count } }  `total` sends
//          spread round-robin over the instances, all concurrent.
//   emulator(url): { requests() -> { tokenRequests, requests }, expireTokens(), user(openid, action),
//          reset(), sendsTo(openid) -> count of custom/send requests for openid answered 0 }
//   timed(fn) -> { value, ms }
const TEXT = 'text/xml';

async function json(res) {
  const text = await res.text();
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`not JSON (HTTP ${res.status}): ${text.slice(0, 200)}`);
  }
}

async function postJson(url, body, timeoutMs = 60_000) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body ?? {}),
    signal: AbortSignal.timeout(timeoutMs),
  });
  return json(res);
}

export function makePushes(lib, { token, encodingAESKey, appId, count, nowMs = Date.now(), toUser = 'gh_multi000000' }) {
  const crypt = new lib.WXBizMsgCrypt({ token, encodingAESKey, appId });
  const timestamp = String(Math.floor(nowMs / 1000));
  const base = BigInt(nowMs) * 1000n;
  const out = [];
  for (let i = 0; i < count; i++) {
    const id = (base + BigInt(i)).toString();
    const from = `o_multi_${i % 97}`;
    const plain = `<xml><ToUserName><![CDATA[${toUser}]]></ToUserName><FromUserName><![CDATA[${from}]]></FromUserName>`
      + `<CreateTime>${timestamp}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[push ${i}]]></Content>`
      + `<MsgId>${id}</MsgId></xml>`;
    const nonce = String(100000000 + i);
    const encrypt = crypt.encrypt(plain);
    const query = new URLSearchParams({
      signature: lib.signature(token, timestamp, nonce),
      timestamp,
      nonce,
      openid: from,
      encrypt_type: 'aes',
      msg_signature: crypt.msgSignature(timestamp, nonce, encrypt),
    }).toString();
    out.push({ id, toUser, query, body: `<xml><ToUserName><![CDATA[${toUser}]]></ToUserName><Encrypt><![CDATA[${encrypt}]]></Encrypt></xml>` });
  }
  crypt.free?.();
  return out;
}

/** Runs `jobs` (functions) with at most `limit` in flight. */
async function pool(jobs, limit) {
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const job = jobs[next++];
      await job();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, jobs.length) }, worker));
}

export async function pushStorm(instances, pushes, { copies = 3, concurrency = 50, timeoutMs = 10_000, path = '/wx' } = {}) {
  if (copies > instances.length) throw new Error(`${copies} copies need ${copies} instances`);
  const statuses = {};
  const failures = [];
  let maxMs = 0;
  const jobs = [];
  // Copy c of push i goes to instance (i + c) % n: three different instances per push. Copies
  // are interleaved in the queue so that a retry often overlaps the first delivery.
  for (let c = 0; c < copies; c++) {
    pushes.forEach((p, i) => {
      const base = instances[(i + c) % instances.length];
      jobs.push({ at: i + c * 7, run: async () => {
        const t0 = Date.now();
        try {
          const res = await fetch(`${base}${path}?${p.query}`, {
            method: 'POST', headers: { 'content-type': TEXT }, body: p.body, signal: AbortSignal.timeout(timeoutMs),
          });
          await res.text();
          statuses[res.status] = (statuses[res.status] ?? 0) + 1;
          if (res.status !== 200) failures.push(`${p.id} -> ${base}: HTTP ${res.status}`);
        } catch (e) {
          statuses.error = (statuses.error ?? 0) + 1;
          failures.push(`${p.id} -> ${base}: ${e && e.message}`);
        }
        maxMs = Math.max(maxMs, Date.now() - t0);
      } });
    });
  }
  jobs.sort((a, b) => a.at - b.at);
  const started = Date.now();
  await pool(jobs.map((j) => j.run), concurrency);
  return { requests: jobs.length, statuses, failures, maxMs, elapsedMs: Date.now() - started };
}

export async function handledReport(instances, pushes, { keyOf = (p) => `msg:${p.toUser}:${p.id}` } = {}) {
  const counts = new Map();
  const errors = [];
  let handled = 0;
  for (const base of instances) {
    const r = await json(await fetch(`${base}/__test/handled`, { signal: AbortSignal.timeout(30_000) }));
    handled += r.handled.length;
    for (const k of r.handled) counts.set(k, (counts.get(k) ?? 0) + 1);
    errors.push(...r.errors);
  }
  let duplicates = 0;
  let missing = 0;
  handled = 0; // of these pushes only
  for (const p of pushes) {
    const n = counts.get(keyOf(p)) ?? 0;
    handled += n;
    if (n === 0) missing++;
    if (n > 1) duplicates += n - 1;
  }
  return { handled, distinct: counts.size, duplicates, missing, errors };
}

export async function apiStorm(instances, n) {
  const results = await Promise.all(instances.map((base) => postJson(`${base}/__test/calls`, { n })));
  return {
    ok: results.reduce((s, r) => s + r.ok, 0),
    failed: results.reduce((s, r) => s + r.failed, 0),
    codes: results.flatMap((r) => r.codes),
  };
}

export async function sendStorm(instances, openid, total) {
  const per = instances.map((_, i) => Math.floor(total / instances.length) + (i < total % instances.length ? 1 : 0));
  const results = await Promise.all(instances.map((base, i) => postJson(`${base}/__test/sends`, { openid, n: per[i] })));
  const refused = {};
  for (const code of results.flatMap((r) => r.refused)) refused[code] = (refused[code] ?? 0) + 1;
  return { sent: results.reduce((s, r) => s + r.sent, 0), refused };
}

export function emulator(url) {
  const control = async (path, body) => {
    const res = await fetch(`${url}/__emulator/${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
    return json(res);
  };
  return {
    requests: () => control('requests'),
    expireTokens: () => control('expire-tokens', {}),
    user: (openid, action = 'message') => control('user', { openid, action }),
    reset: () => control('reset', {}),
    async sendsTo(openid) {
      const { requests } = await control('requests');
      return requests.filter((r) => r.path === '/cgi-bin/message/custom/send' && r.json?.touser === openid && r.errcode === 0).length;
    },
  };
}

export async function timed(fn) {
  const t0 = Date.now();
  const value = await fn();
  return { value, ms: Date.now() - t0 };
}
