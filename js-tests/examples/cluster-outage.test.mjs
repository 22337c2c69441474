// examples/cluster (node:cluster workers sharing Redis) through a Redis outage, from the packed
// tarball: a redis-server (js-tests/faults/redis-server.mjs) stopped midway, then started again.
// Before, during and after the outage every push is answered 'success' within the platform's 5 s
// and handled: the reply the example sends reaches the API emulator. During the outage the dedup
// claim, the send window and the token store fail open and say so (the example's onError lines:
// StoreUnavailable -43002, phases dedup, sendWindow and store).
//   node --test js-tests/examples/cluster-outage.test.mjs   (needs dist/*.tgz: scripts/build.sh)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { freePort, startProcess } from '../runners/harness.mjs';
import { startRedisServer } from '../faults/redis-server.mjs';
import { exampleContext, setUp, sleep } from './example-setup.mjs';

const ctx = exampleContext('.scratch-cluster');

test('examples/cluster answers and handles every push while Redis is down, and after it is back', { timeout: 240_000 }, async () => {
  const { emulator, crypt, env: account } = await setUp(ctx, 'cluster-token-secret');
  const redis = await startRedisServer();
  const port = await freePort();
  const base = `http://127.0.0.1:${port}/wechat`;
  const proc = startProcess(ctx, process.execPath, ['examples/cluster/server.mjs'], {
    env: { ...account, WORKERS: '2', PORT: String(port), REDIS_URL: `redis://127.0.0.1:${redis.port}` },
  });
  const output = () => { const o = proc.output(); return o.stdout + o.stderr; };
  for (let i = 0; ; i++) {
    assert.ok(i < 300, `the example did not start:\n${output().slice(-3000)}`);
    const ready = (output().match(/worker \d+ on http/g) ?? []).length;
    if (ready >= 2) break;
    await sleep(100);
  }

  let seq = 0;
  const run = `${Date.now()}`;
  const sendsTo = async (openid) => {
    const res = await fetch(`${emulator.url}/__emulator/requests?path=${encodeURIComponent('/cgi-bin/message/custom/send')}`);
    return (await res.json()).requests.filter((r) => r.json?.touser === openid);
  };
  /** One user's push (text, or the enter event), answered and then handled: the example's reply sent. */
  async function pushAndExpect(phase, event) {
    const user = `o_cluster_${run}_${phase}_${seq++}`;
    await fetch(`${emulator.url}/__emulator/user`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ openid: user, action: event ? 'enter' : 'message' }),
    });
    const ts = String(Math.floor(Date.now() / 1000));
    const nonce = String(300000 + seq);
    const fields = event
      ? `<MsgType><![CDATA[event]]></MsgType><Event><![CDATA[user_enter_tempsession]]></Event><SessionFrom><![CDATA[weapp]]></SessionFrom>`
      : `<MsgType><![CDATA[text]]></MsgType><Content><![CDATA[hello]]></Content><MsgId>${BigInt(Date.now()) * 1000n + BigInt(seq)}</MsgId>`;
    const encrypt = crypt.encrypt(`<xml><ToUserName><![CDATA[gh_cluster]]></ToUserName><FromUserName><![CDATA[${user}]]></FromUserName><CreateTime>${ts}</CreateTime>${fields}</xml>`);
    const q = new URLSearchParams({ timestamp: ts, nonce, encrypt_type: 'aes', msg_signature: crypt.msgSignature(ts, nonce, encrypt) });
    const t0 = Date.now();
    const res = await fetch(`${base}?${q}`, {
      method: 'POST', headers: { 'content-type': 'text/xml' }, signal: AbortSignal.timeout(10_000),
      body: `<xml><ToUserName><![CDATA[gh_cluster]]></ToUserName><Encrypt><![CDATA[${encrypt}]]></Encrypt></xml>`,
    });
    const text = await res.text();
    const took = Date.now() - t0;
    assert.equal(res.status, 200, `${phase}: HTTP ${res.status} ${text}\n${output().slice(-2000)}`);
    assert.equal(text, 'success', phase);
    assert.ok(took < 5000, `${phase}: answered after ${took} ms (the platform waits 5 s)`);
    for (let i = 0; ; i++) {
      const sends = await sendsTo(user);
      if (sends.length >= 1) {
        assert.equal(sends[0].json.text.content, event ? '您有什么问题吗?' : '我知道了', phase);
        assert.equal(sends[0].errcode, 0, `${phase}: the emulator refused the send`);
        return;
      }
      assert.ok(i < 150, `${phase}: the push was answered but not handled (no send to ${user})\n${output().slice(-3000)}`);
      await sleep(100);
    }
  }

  for (let i = 0; i < 3; i++) await pushAndExpect('before');
  await redis.kill9(); // the outage: connections reset, nothing listening
  const outageStart = output().length;
  for (let i = 0; i < 6; i++) await pushAndExpect('during', i === 5);
  const during = output().slice(outageStart);
  for (const phase of ['dedup', 'sendWindow', 'store']) {
    assert.match(during, new RegExp(`wechat-kf ${phase}: StoreUnavailable -43002`), `reported in phase ${phase}:\n${during.slice(-3000)}`);
  }
  await redis.start(); // back (empty: no persistence)
  await sleep(1500); // node-redis reconnects with its backoff
  for (let i = 0; i < 3; i++) await pushAndExpect('after', i === 2);
  assert.doesNotMatch(output(), /Unhandled|TypeError|ReferenceError/, output().slice(-3000));
});
