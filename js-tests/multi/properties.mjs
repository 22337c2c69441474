// The multi-instance properties, driven from the host against instances that serve
// instance-app.js routes and share one store, and the API emulator (emulator/server.mjs).
//
//   await checkProperties({ label, instances: [baseUrl], emulatorUrl, lib, crypt, token, appId }, check)
//
// 1. 1,000 distinct encrypted pushes, each delivered 3 times to 3 different instances, up to
//    50 requests in flight: every answer 200 "success"; in the store every push counted once.
// 2. 4 instances x 25 concurrent API calls on a cold token cache: 1 token request in all;
//    after the emulator expires every token, the same again: 1 more.
// 3. One user message (a push to one instance), then 12 concurrent sends spread over the
//    instances: 5 reach the emulator, 7 refused locally with 45047.
// Figures are printed with the label.
const PUSHES = 1000;
const DELIVERIES = 3;
const IN_FLIGHT = 50;

export async function checkProperties(o, check) {
  const { checkAsync, assertEq, assertTrue } = check;
  const run = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
  const say = (s) => console.log(`  [${o.label}] ${s}`);
  const n = o.instances.length;

  await checkAsync(`${o.label}: ${PUSHES} pushes x ${DELIVERIES} deliveries over ${n} instances, handled once each`, async () => {
    const base = BigInt(Date.now()) * 1000000n;
    const pushes = Array.from({ length: PUSHES }, (_, i) => {
      const msgId = String(base + BigInt(i));
      return { msgId, ...encryptedPush(o, { user: `o_${run}_${i % 97}`, msgId, content: `push ${i}` }) };
    });
    // Delivery d of push i goes to instance (i + d) mod n, 11 pushes after delivery d-1: the
    // retries meet the first delivery in flight or just after it.
    const jobs = [];
    for (let i = 0; i < PUSHES; i++) for (let d = 0; d < DELIVERIES; d++) jobs.push({ i, d, order: i + d * 11 });
    jobs.sort((a, b) => a.order - b.order || a.d - b.d);
    const statuses = new Map();
    let maxInFlight = 0;
    let inFlight = 0;
    const t0 = Date.now();
    await pool(jobs, IN_FLIGHT, async ({ i, d }) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      try {
        const p = pushes[i];
        const res = await fetch(`${o.instances[(i + d) % n]}/wechat?${new URLSearchParams(p.query)}`, {
          method: 'POST', body: p.body, headers: { 'content-type': 'text/xml' }, signal: AbortSignal.timeout(30_000),
        });
        const text = await res.text();
        const k = `${res.status} ${text.slice(0, 40)}`;
        statuses.set(k, (statuses.get(k) ?? 0) + 1);
      } finally {
        inFlight--;
      }
    });
    const seconds = (Date.now() - t0) / 1000;
    const counts = [];
    for (let i = 0; i < PUSHES; i += 250) {
      const r = await post(o.instances[(i / 250) % n], '/handled', { msgIds: pushes.slice(i, i + 250).map((p) => p.msgId) });
      counts.push(...r.counts);
    }
    const once = counts.filter((c) => c === '1').length;
    const twice = counts.filter((c) => c !== null && c !== '1').length;
    const lost = counts.filter((c) => c === null).length;
    say(`${PUSHES * DELIVERIES} requests in ${seconds.toFixed(1)} s (${Math.round((PUSHES * DELIVERIES) / seconds)} req/s, max ${maxInFlight} in flight); answers: ${[...statuses].map(([k, v]) => `${v} x ${k}`).join(', ')}`);
    say(`pushes handled exactly once: ${once}, more than once: ${twice}, never: ${lost}`);
    assertEq([...statuses.keys()].join(), '200 success');
    assertEq(once, PUSHES);
  });

  await checkAsync(`${o.label}: ${n} instances x 25 concurrent calls: one token request, one more after expiry`, async () => {
    const tokenRequests = async () => (await emulatorRequests(o, '/cgi-bin/stable_token')).length
      + (await emulatorRequests(o, '/cgi-bin/token')).length;
    const round = async () => {
      const before = await tokenRequests();
      const results = await Promise.all(o.instances.map((url) => post(url, '/calls', { n: 25 })));
      const ok = results.reduce((s, r) => s + r.ok, 0);
      const errors = results.flatMap((r) => r.errors);
      return { ok, errors, tokens: (await tokenRequests()) - before };
    };
    const cold = await round();
    say(`cold cache: ${n} x 25 calls -> ${cold.ok} ok, ${cold.errors.length} failed${cold.errors.length ? ` (${cold.errors.slice(0, 5).join(', ')})` : ''}, ${cold.tokens} token request(s)`);
    const res = await fetch(`${o.emulatorUrl}/__emulator/expire-tokens`, { method: 'POST' });
    assertTrue(res.ok, 'the emulator expired its tokens');
    const expired = await round();
    say(`after every token expired: ${n} x 25 calls -> ${expired.ok} ok, ${expired.errors.length} failed${expired.errors.length ? ` (${expired.errors.slice(0, 5).join(', ')})` : ''}, ${expired.tokens} token request(s)`);
    assertEq(cold.ok, n * 25);
    assertEq(cold.tokens, 1);
    assertEq(expired.ok, n * 25);
    assertEq(expired.tokens, 1);
  });

  await checkAsync(`${o.label}: one user message, then 12 concurrent sends from ${n} instances: 5 sent, 7 refused with 45047`, async () => {
    const user = `o_${run}_window`;
    const res = await fetch(`${o.emulatorUrl}/__emulator/user`, { method: 'POST', body: JSON.stringify({ openid: user, action: 'message' }) });
    assertTrue(res.ok, 'the emulator recorded the user action');
    const p = encryptedPush(o, { user, msgId: String(BigInt(Date.now()) * 1000000n + 999999n), content: 'hello' });
    const answer = await fetch(`${o.instances[0]}/wechat?${new URLSearchParams(p.query)}`, { method: 'POST', body: p.body, headers: { 'content-type': 'text/xml' } });
    assertEq(`${answer.status} ${await answer.text()}`, '200 success');
    const per = Array.from({ length: n }, (_, i) => Math.floor(12 / n) + (i < 12 % n ? 1 : 0));
    const results = await Promise.all(o.instances.map((url, i) => post(url, '/sends', { openid: user, n: per[i] })));
    const sent = results.reduce((s, r) => s + r.sent, 0);
    const codes = results.flatMap((r) => r.codes);
    const reached = (await emulatorRequests(o, '/cgi-bin/message/custom/send')).filter((r) => r.json?.touser === user).length;
    say(`12 sends: ${sent} sent, ${codes.length} refused (${tally(codes)}); ${reached} reached the emulator`);
    assertEq(sent, 5);
    assertEq(reached, 5);
    assertEq(codes.length, 7);
    assertTrue(codes.every((c) => c === 45047), `every refusal 45047, got ${tally(codes)}`);
  });
}

function encryptedPush(o, { user, msgId, content }) {
  const ts = String(Math.floor(Date.now() / 1000));
  const nonce = String(100000 + Math.floor(Math.random() * 1e6));
  const plain = `<xml><ToUserName><![CDATA[gh_multi]]></ToUserName><FromUserName><![CDATA[${user}]]></FromUserName>`
    + `<CreateTime>${ts}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[${content}]]></Content><MsgId>${msgId}</MsgId></xml>`;
  const encrypt = o.crypt.encrypt(plain);
  return {
    query: {
      signature: o.lib.signature(o.token, ts, nonce), timestamp: ts, nonce, openid: user, encrypt_type: 'aes',
      msg_signature: o.crypt.msgSignature(ts, nonce, encrypt),
    },
    body: `<xml><ToUserName><![CDATA[gh_multi]]></ToUserName><Encrypt><![CDATA[${encrypt}]]></Encrypt></xml>`,
  };
}

async function post(base, path, body) {
  const res = await fetch(`${base}${path}`, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' }, signal: AbortSignal.timeout(60_000) });
  const text = await res.text();
  if (!res.ok) throw new Error(`${base}${path}: HTTP ${res.status}: ${text.slice(0, 500)}`);
  return JSON.parse(text);
}

async function emulatorRequests(o, path) {
  const res = await fetch(`${o.emulatorUrl}/__emulator/requests?path=${encodeURIComponent(path)}`);
  return (await res.json()).requests;
}

async function pool(items, limit, fn) {
  let next = 0;
  const errors = [];
  await Promise.all(Array.from({ length: limit }, async () => {
    while (next < items.length) {
      const item = items[next++];
      try { await fn(item); } catch (e) { errors.push(e); }
    }
  }));
  if (errors.length) throw new Error(`${errors.length} request(s) failed: ${errors[0]?.message ?? errors[0]}`);
}

function tally(values) {
  const m = new Map();
  for (const v of values) m.set(v, (m.get(v) ?? 0) + 1);
  return [...m].map(([k, v]) => `${v} x ${k}`).join(', ') || 'none';
}
