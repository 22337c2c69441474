// The Deno KV store test: opens a KV file (the path is the first argument; run with
// --unstable-kv), runs the conformance suite and the engine checks against denoKvStore, and
// prints the result line. A second Deno.openKv handle on the same file stands in for a second
// instance in the engine checks. Last, an outage: a handler whose KV handle is closed under it
// still answers and handles the push (dedup fails open) and reports -43002 in phase 'dedup'.
// Then the store itself on a closed handle (every method rejects) and on a file another process
// holds write-locked (deno-kv-locker.mjs: a write fails after the store's bounded wait).
import { WXBizMsgCrypt, createHandler, readFields } from 'wechat-kf';
import { denoKvStore } from 'wechat-kf/deno-kv';
import { storeConformance } from './conformance.js';
import { storeEngineChecks } from './engine-checks.js';
import { makeChecker } from './check.js';

const path = Deno.args[0];
const kv = await Deno.openKv(path);
const kv2 = await Deno.openKv(path);
const logs = [];
const check = makeChecker((s) => logs.push(String(s)));
const run = `${Date.now()}`;
// { value } or { error } of a store call, or { timedOut } if it has not settled in 60 s (a hang:
// the store's own bound for a locked file is about 10-15 s).
const bounded = (promise) => {
  let timer;
  const late = new Promise((resolve) => { timer = setTimeout(() => resolve({ timedOut: true }), 60_000); });
  return Promise.race([promise.then((value) => ({ value }), (e) => ({ error: String(e?.message ?? e) })), late]).finally(() => clearTimeout(timer));
};
let n = 0;
try {
  await storeConformance((prefix) => denoKvStore(kv, { prefix }), check, {
    name: 'deno kv',
    rawGet: async (full) => (await kv.get([full])).value?.v ?? null,
  });
  // Every other store handle on a second Deno.openKv of the same file.
  let k = 0;
  await storeConformance((prefix) => denoKvStore(k++ % 2 ? kv2 : kv, { prefix }), check, { name: 'deno kv, two handles' });
  await storeEngineChecks({
    label: 'deno kv',
    makeStore: () => {
      const prefix = `eng-${run}-${n++}:`;
      return { prefix, store: denoKvStore(kv, { prefix }) };
    },
    makeStoreOn: (prefix) => denoKvStore(kv2, { prefix }),
  }, check);
  check.check('denoKvStore refuses a non-Kv (-41006)', () => {
    let error;
    try { denoKvStore({}); } catch (e) { error = e; }
    check.assertTrue(error && error.code === -41006, 'a -41006 error');
  });
  await check.checkAsync('a closed KV under a handler: the push is answered and handled, -43002 reported (phase dedup)', async () => {
    const account = { token: 'outage-token', encodingAESKey: 'kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR', appId: 'wx00000000000outage' };
    const down = await Deno.openKv(path);
    const handled = [];
    const reported = [];
    const handler = createHandler({
      ...account, store: denoKvStore(down, { prefix: `outage-${run}:` }), storeTimeoutMs: 3000,
      onMessage: (m) => { handled.push(m.content); },
      onError: (e, info) => { reported.push(`${info?.phase} ${e.code}`); },
    });
    down.close();
    const timestamp = String(Math.floor(Date.now() / 1000));
    const nonce = 'outagenonce';
    const xml = `<xml><ToUserName><![CDATA[gh_x]]></ToUserName><FromUserName><![CDATA[o_outage]]></FromUserName><CreateTime>${timestamp}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[during the outage]]></Content><MsgId>9100000001</MsgId></xml>`;
    const body = new WXBizMsgCrypt(account).encryptMessage(xml, { timestamp, nonce });
    const query = new URLSearchParams({ timestamp, nonce, encrypt_type: 'aes', msg_signature: readFields(body).fields.MsgSignature });
    const res = await handler(new Request(`http://127.0.0.1/wechat?${query}`, { method: 'POST', body, headers: { 'content-type': 'text/xml' } }));
    check.assertEq(res.status, 200);
    check.assertEq(await res.text(), 'success');
    for (let i = 0; i < 100 && handled.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    check.assertEq(handled.join(), 'during the outage');
    check.assertTrue(reported.includes('dedup -43002'), `'dedup -43002' among the reports (${reported.join(', ')})`);
  });
  await check.checkAsync('a closed KV handle: every method rejects (no hang), nothing else breaks', async () => {
    const closed = await Deno.openKv(path);
    const store = denoKvStore(closed, { prefix: `closed-${run}:` });
    closed.close();
    for (const [what, call] of [
      ['get', () => store.get('k')], ['set', () => store.set('k', 'v', 60_000)],
      ['setIfAbsent', () => store.setIfAbsent('k', 'v', 60_000)], ['delete', () => store.delete('k', 'v')],
      ['compareAndSet', () => store.compareAndSet('k', null, 'v')],
    ]) {
      const outcome = await bounded(call());
      check.assertTrue(outcome.error && !outcome.timedOut, `${what} rejects, got ${JSON.stringify(outcome)}`);
    }
    check.assertEq(await denoKvStore(kv, { prefix: `closed-${run}:` }).setIfAbsent('k', 'v', 60_000), true);
  });
  await check.checkAsync('another process write-locks the KV file: a write fails with "database is locked" (not a hang), reads go on, then it works again', async () => {
    const dir = path.slice(0, path.lastIndexOf('/'));
    const locker = new Deno.Command(Deno.execPath(), {
      args: ['run', `--allow-read=${dir}`, `--allow-write=${dir}`, new URL('./deno-kv-locker.mjs', import.meta.url).pathname, path],
      stdin: 'piped', stdout: 'piped', stderr: 'piped',
    }).spawn();
    const lines = locker.stdout.pipeThrough(new TextDecoderStream()).getReader();
    try {
      check.assertEq((await lines.read()).value?.trim(), 'LOCKED');
      const store = denoKvStore(kv, { prefix: `locked-${run}:` });
      check.assertEq(await store.get('claim'), null); // a read is not blocked
      const outcome = await bounded(store.setIfAbsent('claim', 'attempt-1', 60_000));
      check.assertTrue(outcome.error && /database is locked/.test(outcome.error), `setIfAbsent rejects with "database is locked", got ${JSON.stringify(outcome)}`);
      await locker.stdin.close();
      check.assertEq((await lines.read()).value?.trim(), 'RELEASED');
      check.assertEq(await store.get('claim'), null); // nothing was written
      check.assertEq(await store.setIfAbsent('claim', 'attempt-2', 60_000), true);
    } finally {
      try { await locker.stdin.close(); } catch {}
      const status = await bounded(locker.status);
      if (status.timedOut) locker.kill('SIGKILL');
      await locker.stderr.cancel().catch(() => {});
    }
  });
} catch (e) {
  check.check('the suite ran', () => { throw e; });
}
kv.close();
kv2.close();
console.log('@@WECHAT_KF_RESULT@@' + JSON.stringify({ ...check.result(), logs }));
