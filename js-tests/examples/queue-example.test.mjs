// examples/queue (the queue mode on Redis: server.mjs and two worker.mjs processes) from the
// packed tarball, against the API emulator and a redis-server started here, the slow handler
// shortened (MODEL_DELAY_MS). Every push is answered `success` at once (queued) and answered by
// one worker with one send (a push retried three times too); the users see Typing while it
// works; a text asking for a human (人工) gets the transfer_customer_service reply and no send;
// SIGTERM lets each worker finish and exit 0. Outcomes only: every wait is a bounded loop.
//   node --test js-tests/examples/queue-example.test.mjs   (needs dist/*.tgz: scripts/build.sh)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { freePort, startProcess } from '../runners/harness.mjs';
import { startRedisServer } from '../faults/redis-server.mjs';
import { exampleContext, setUp, sleep } from './example-setup.mjs';

const ctx = exampleContext('.scratch-queue-example');

test('examples/queue: pushes queued and acknowledged at once, each answered once by one of two workers, with typing', { timeout: 240_000 }, async () => {
  const { emulator, crypt, env: account } = await setUp(ctx, 'queue-example-token');
  const redis = await startRedisServer({ args: ['--appendonly', 'yes'] });
  const port = await freePort();
  const env = { ...account, REDIS_URL: `redis://127.0.0.1:${redis.port}`, MODEL_DELAY_MS: '400' };
  const server = startProcess(ctx, process.execPath, ['examples/queue/server.mjs'], { env: { ...env, PORT: String(port) } });
  const workers = [0, 1].map(() => startProcess(ctx, process.execPath, ['examples/queue/worker.mjs'], { env }));
  const all = () => [server, ...workers].map((p) => { const o = p.output(); return o.stdout + o.stderr; }).join('\n---\n');
  for (let i = 0; ; i++) {
    assert.ok(i < 300, `the example did not start:\n${all().slice(-3000)}`);
    if (/queue server on http/.test(server.output().stdout) && workers.every((w) => /consuming/.test(w.output().stdout))) break;
    await sleep(100);
  }
  const base = `http://127.0.0.1:${port}/wechat`;
  const requests = async (path) => (await (await fetch(`${emulator.url}/__emulator/requests?path=${encodeURIComponent(path)}`)).json()).requests;

  const run = Date.now();
  let seq = 0;
  /** A user's text push (the user's message also told to the emulator); its answer's status and text. */
  async function push(user, content, copies = 1) {
    await fetch(`${emulator.url}/__emulator/user`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ openid: user, action: 'message' }) });
    const ts = String(Math.floor(Date.now() / 1000));
    const nonce = String(500000 + seq);
    const msgId = String(BigInt(run) * 1000n + BigInt(seq++));
    const encrypt = crypt.encrypt(`<xml><ToUserName><![CDATA[gh_queue]]></ToUserName><FromUserName><![CDATA[${user}]]></FromUserName><CreateTime>${ts}</CreateTime>`
      + `<MsgType><![CDATA[text]]></MsgType><Content><![CDATA[${content}]]></Content><MsgId>${msgId}</MsgId></xml>`);
    const q = new URLSearchParams({ timestamp: ts, nonce, encrypt_type: 'aes', msg_signature: crypt.msgSignature(ts, nonce, encrypt) });
    const answers = [];
    for (let c = 0; c < copies; c++) {
      const t0 = Date.now();
      const res = await fetch(`${base}?${q}`, {
        method: 'POST', headers: { 'content-type': 'text/xml' }, signal: AbortSignal.timeout(10_000),
        body: `<xml><ToUserName><![CDATA[gh_queue]]></ToUserName><Encrypt><![CDATA[${encrypt}]]></Encrypt></xml>`,
      });
      answers.push({ status: res.status, text: await res.text(), ms: Date.now() - t0 });
    }
    return answers;
  }

  const users = Array.from({ length: 6 }, (_, i) => `o_queue_${run}_${i}`);
  const acks = [];
  for (const [i, user] of users.entries()) {
    const answers = await push(user, `question ${i}`, i === 0 ? 3 : 1); // the first one retried like the platform
    for (const a of answers) {
      assert.equal(`${a.status}:${a.text}`, '200:success', `${user}\n${all().slice(-2000)}`);
      acks.push(a.ms);
    }
  }
  const human = `o_queue_${run}_human`;
  const [transfer] = await push(human, '我要人工');
  assert.equal(transfer.status, 200);
  assert.match(transfer.text, /<Encrypt>/, 'an encrypted passive reply');
  const replyXml = crypt.decryptMessage({ msgSignature: transfer.text.match(/<MsgSignature><!\[CDATA\[(.*?)\]\]>/)[1], timestamp: transfer.text.match(/<TimeStamp>(\d+)/)[1], nonce: transfer.text.match(/<Nonce><!\[CDATA\[(.*?)\]\]>/)[1], body: transfer.text });
  assert.match(replyXml, /transfer_customer_service/);

  // Each user answered once, by one worker.
  const sendsTo = async (user) => (await requests('/cgi-bin/message/custom/send')).filter((r) => r.json?.touser === user && r.errcode === 0);
  for (let i = 0; ; i++) {
    const counts = await Promise.all(users.map(async (u) => (await sendsTo(u)).length));
    if (counts.every((n) => n >= 1)) break;
    assert.ok(i < 300, `every push answered by a worker (sends ${counts.join()})\n${all().slice(-3000)}`);
    await sleep(100);
  }
  await sleep(1000); // a second answer to any of them would show by now
  for (const u of users) {
    const sends = await sendsTo(u);
    assert.equal(sends.length, 1, `${u}: one answer`);
    assert.match(sends[0].json.text.content, /^关于「question \d」/);
  }
  assert.equal((await sendsTo(human)).length, 0, 'the transferred push is not queued');
  const typing = await requests('/cgi-bin/message/custom/typing');
  for (const u of users) {
    assert.ok(typing.some((r) => r.json?.touser === u && r.json.command === 'Typing' && r.errcode === 0), `${u}: Typing shown while the worker worked`);
  }
  const answered = workers.map((w) => (w.output().stdout.match(/ answered msg:/g) ?? []).length);
  console.log(`# examples/queue: acknowledged in ${Math.min(...acks)}-${Math.max(...acks)} ms; answers per worker ${answered.join(' / ')}`);
  assert.equal(answered[0] + answered[1], users.length);

  for (const w of workers) w.child.kill('SIGTERM');
  for (const w of workers) assert.deepEqual(await w.exited, { code: 0, signal: null }, all().slice(-2000));
  assert.doesNotMatch(all(), /Unhandled|TypeError|ReferenceError|wechat-kf (queue|onMessage|typing)/, all().slice(-3000));
});
