// The queue mode in every runtime, on memoryQueue(): createConsumer's delivery rules (handled
// once; a failure retried and reported; a bound then a dead letter reported once with the push;
// a hung onMessage given up at visibilityMs and delivered again; stop() waits for what is in
// hand), its typing keepalive, and createHandler({ queue }) (the push queued, then
// acknowledged; a quick passiveReply; a queue that fails answered 500 and reported). Standard JS
// only. Every wait is bounded and nothing asserts on time: only on outcomes.
import { makeChecker } from './check.js';

const TOKEN = 'queue-token';
const NOW = 1715943329;
const NONCE = '1590219412';
const USER = 'o9AgO5Kd5ggOC-bXrbNODIiE3bGY';

const tick = (ms = 1) => new Promise((r) => setTimeout(r, ms));
/** Waits until pred() holds, at most `tries` pauses of `ms`; returns whether it held. */
async function until(pred, tries = 2000, ms = 2) {
  for (let i = 0; i < tries; i++) {
    if (await pred()) return true;
    await tick(ms);
  }
  return !!(await pred());
}

const job = (id, content, extra = {}) => ({
  id,
  message: { toUserName: 'gh_97417a04a28d', fromUserName: USER, createTime: NOW, msgType: 'text', content, msgId: '1', ...extra },
  format: 'xml',
  mode: 'plaintext',
  receivedAt: NOW * 1000,
});

export async function runQueueSuite(lib, { log = () => {} } = {}) {
  const { memoryQueue, createConsumer, createHandler, signature } = lib;
  const c = makeChecker(log);

  await c.checkAsync('memoryQueue + createConsumer: each job handled once, an id queued twice is one job', async () => {
    const queue = memoryQueue();
    const seen = [];
    const consumer = createConsumer({ queue, concurrency: 3, onMessage: (m, ctx) => { seen.push(`${ctx.dedupKey}:${ctx.attempt}:${m.content}`); } });
    await queue.enqueue(job('k1', 'one'));
    await queue.enqueue(job('k1', 'one again'));
    await queue.enqueue(job('k2', 'two'));
    consumer.start();
    c.assertTrue(await until(() => seen.length >= 2 && queue.size === 0), 'both handled');
    await queue.enqueue(job('k3', 'three'));
    c.assertTrue(await until(() => seen.length >= 3 && queue.size === 0), 'a job queued while consuming is handled');
    await consumer.stop();
    c.assertEq(seen.sort().join(), 'k1:1:one,k2:1:two,k3:1:three');
    c.assertEq(consumer.running, false);
  });

  await c.checkAsync('createConsumer: onMessage throws twice, then succeeds: handled once, two retries reported', async () => {
    const queue = memoryQueue();
    const errors = [];
    const attempts = [];
    let handled = 0;
    const consumer = createConsumer({
      queue, maxAttempts: 5, retryDelayMs: 1,
      onError: (e, info) => errors.push([info.phase, info.dedupKey, info.attempt, e.message]),
      onMessage: (m, { attempt }) => {
        attempts.push(attempt);
        if (attempt <= 2) throw new Error(`fail ${attempt}`);
        handled++;
      },
    });
    consumer.start();
    await queue.enqueue(job('t2', 'twice'));
    c.assertTrue(await until(() => queue.size === 0), 'the job settles');
    await consumer.stop();
    c.assertEq(handled, 1);
    c.assertEq(attempts.join(), '1,2,3');
    c.assertEq(JSON.stringify(errors), JSON.stringify([['onMessage', 't2', 1, 'fail 1'], ['onMessage', 't2', 2, 'fail 2']]));
    c.assertEq((await queue.deadLetters()).length, 0);
  });

  await c.checkAsync('createConsumer: onMessage throws every time: dead-lettered after maxAttempts, reported once with the push', async () => {
    const queue = memoryQueue();
    const errors = [];
    let calls = 0;
    const consumer = createConsumer({
      queue, maxAttempts: 3, retryDelayMs: (n) => n,
      onError: (e, info) => errors.push({ e, info }),
      onMessage: async () => { calls++; throw new TypeError('always'); },
    });
    consumer.start();
    await queue.enqueue(job('dead1', 'poison'));
    c.assertTrue(await until(() => queue.size === 0), 'the job settles');
    await consumer.stop();
    c.assertEq(calls, 3);
    const retries = errors.filter((x) => x.info.phase === 'onMessage');
    const dead = errors.filter((x) => x.info.phase === 'queue');
    c.assertEq(retries.length, 2);
    c.assertEq(dead.length, 1);
    c.assertEq(errors.length, 3);
    c.assertEq(dead[0].e.code, -44002);
    c.assertEq(dead[0].e.kind, 'DeadLettered');
    c.assertTrue(dead[0].e instanceof lib.WxkfError, 'a WxkfError');
    c.assertEq(dead[0].info.dedupKey, 'dead1');
    c.assertEq(dead[0].e.job.message.content, 'poison');
    c.assertEq(dead[0].e.attempts, 3);
    c.assertEq(dead[0].e.cause.message, 'always');
    const letters = await queue.deadLetters();
    c.assertEq(letters.length, 1);
    c.assertEq(letters[0].job.id, 'dead1');
    c.assertEq(letters[0].attempts, 3);
    c.assertTrue(letters[0].error.includes('always'), 'the last error is kept');
    // Kept once per id: a second dead letter of the same job (a delivery again after a crash) is not kept or reported.
    c.assertEq(await queue.deadLetter(job('dead1', 'poison'), { attempts: 4, error: 'x' }), false);
    c.assertEq((await queue.deadLetters()).length, 1);
  });

  await c.checkAsync('createConsumer: a hung onMessage is given up at visibilityMs (-44003, reported) and delivered again', async () => {
    const queue = memoryQueue();
    const errors = [];
    const attempts = [];
    const consumer = createConsumer({
      queue, visibilityMs: 100, retryDelayMs: 1,
      onError: (e, info) => errors.push([info.phase, e.code]),
      onMessage: (m, { attempt }) => {
        attempts.push(attempt);
        if (attempt === 1) return new Promise(() => {}); // never settles
      },
    });
    consumer.start();
    await queue.enqueue(job('hang', 'hang'));
    c.assertTrue(await until(() => queue.size === 0, 3000, 2), 'the job settles');
    await consumer.stop();
    c.assertEq(attempts.join(), '1,2');
    c.assertEq(JSON.stringify(errors), JSON.stringify([['onMessage', -44003]]));
  });

  await c.checkAsync('createConsumer: stop() waits for the message in hand, then takes no more', async () => {
    const queue = memoryQueue();
    let release;
    const gate = new Promise((r) => { release = r; });
    let finished = false;
    let calls = 0;
    const consumer = createConsumer({ queue, onMessage: async () => { calls++; await gate; finished = true; } });
    consumer.start();
    await queue.enqueue(job('s1', 'slow'));
    c.assertTrue(await until(() => calls === 1), 'the message is in hand');
    let stopped = false;
    const stopping = consumer.stop().then(() => { stopped = true; });
    await tick(5);
    c.assertEq(stopped, false);
    release();
    await stopping;
    c.assertEq(finished, true);
    await queue.enqueue(job('s2', 'after stop'));
    await tick(5);
    c.assertEq(calls, 1);
    c.assertEq(queue.size, 1);
  });

  await c.checkAsync('createConsumer: typing keepalive — Typing while the platform allows it, CancelTyping at the end, failures reported only', async () => {
    const queue = memoryQueue();
    let t = NOW * 1000 + 1000; // 1 s after the user's message
    const calls = [];
    let failTyping = 0; // an errcode the fake platform answers Typing with
    const client = {
      async typing(input) {
        calls.push(`${input.command}:${input.touser}${input.businessId !== undefined ? `:${input.businessId}` : ''}`);
        if (failTyping && input.command === 'Typing') throw Object.assign(new Error('platform refused'), { code: failTyping });
        return { errcode: 0, errmsg: 'ok' };
      },
    };
    const errors = [];
    let step;
    let steps = 0;
    const consumer = createConsumer({
      queue, client, typing: { intervalMs: 1 }, now: () => t,
      onError: (e, info) => errors.push(`${info.phase}:${e.code}`),
      onMessage: async (m, ctx) => {
        c.assertEq(ctx.client, client);
        // Let the keepalive tick a few times, moving the clock past the 30 s the platform allows.
        await until(() => calls.length >= 2, 500, 1);
        t += 40_000;
        await new Promise((r) => { step = r; });
      },
    });
    consumer.start();
    await queue.enqueue(job('ty', 'typing', { businessId: 7 }));
    c.assertTrue(await until(() => step !== undefined, 2000, 1), 'onMessage runs');
    const during = calls.length;
    await tick(20); // past 30 s: no more Typing
    c.assertEq(calls.length, during);
    t -= 35_000; // 5 s after the last Typing could have shown: it may still show, so it is cancelled
    step();
    c.assertTrue(await until(() => queue.size === 0), 'the job settles');
    await consumer.stop();
    c.assertTrue(during >= 2, `Typing at least twice, got ${calls.join()}`);
    c.assertTrue(calls.slice(0, during).every((x) => x === `Typing:${USER}:7`), calls.join());
    c.assertEq(calls[calls.length - 1], `CancelTyping:${USER}:7`);
    c.assertEq(errors.length, 0);

    // A push older than 30 s: no Typing at all. A typing failure: reported, the delivery acknowledged.
    calls.length = 0;
    failTyping = 45080;
    t = NOW * 1000 + 1000;
    let handled = 0;
    const old = createConsumer({ queue, client, typing: true, now: () => t, onError: (e, info) => errors.push(`${info.phase}:${e.code}`), onMessage: () => { handled++; } });
    old.start();
    await queue.enqueue(job('ty-fail', 'x'));
    c.assertTrue(await until(() => queue.size === 0), 'the job settles');
    t = NOW * 1000 + 31_000;
    await queue.enqueue(job('ty-old', 'x'));
    c.assertTrue(await until(() => queue.size === 0), 'the job settles');
    await old.stop();
    c.assertEq(handled, 2);
    c.assertEq(calls.join(), `Typing:${USER}`); // the failed one only (not cancelled: it never showed)
    c.assertEq(errors.join(), 'typing:45080');
    c.assertEq((await queue.deadLetters()).length, 0);

    // 45081 (the state shows already) is not a failure: nothing reported, cancelled at the end.
    calls.length = 0;
    errors.length = 0;
    failTyping = 45081;
    t = NOW * 1000 + 1000;
    const shown = createConsumer({ queue, client, typing: true, now: () => t, onError: (e, info) => errors.push(`${info.phase}:${e.code}`), onMessage: () => {} });
    shown.start();
    await queue.enqueue(job('ty-shown', 'x'));
    c.assertTrue(await until(() => queue.size === 0), 'the job settles');
    await shown.stop();
    c.assertEq(calls.join(), `Typing:${USER},CancelTyping:${USER}`);
    c.assertEq(errors.length, 0);
  });

  await c.checkAsync('createConsumer: option errors are -41006 naming the option', async () => {
    const queue = memoryQueue();
    const fieldOf = (o) => { try { createConsumer(o); } catch (e) { return `${e.code}:${e.field}`; } return 'none'; };
    c.assertEq(fieldOf({ onMessage() {} }), '-41006:queue');
    c.assertEq(fieldOf({ queue }), '-41006:onMessage');
    c.assertEq(fieldOf({ queue, onMessage() {}, maxAttempts: 0 }), '-41006:maxAttempts');
    c.assertEq(fieldOf({ queue, onMessage() {}, concurrency: 1.5 }), '-41006:concurrency');
    c.assertEq(fieldOf({ queue, onMessage() {}, typing: true }), '-41006:typing');
    c.assertEq(fieldOf({ queue, onMessage() {}, visibilityMs: 10 }), '-41006:visibilityMs');
    c.assertEq(fieldOf({ queue, onMessage() {}, maxAttempt: 3 }), '-41006:maxAttempt'); // a near miss of maxAttempts
  });

  // createHandler in queue mode, plaintext pushes (a token only).
  const push = (content, msgId) => {
    const query = new URLSearchParams({ signature: signature(TOKEN, String(NOW), NONCE), timestamp: String(NOW), nonce: NONCE, openid: USER });
    const body = `<xml><ToUserName><![CDATA[gh_97417a04a28d]]></ToUserName><FromUserName><![CDATA[${USER}]]></FromUserName>`
      + `<CreateTime>${NOW}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[${content}]]></Content><MsgId>${msgId}</MsgId></xml>`;
    return () => new Request(`http://127.0.0.1/wx?${query}`, { method: 'POST', body });
  };

  await c.checkAsync('createHandler({ queue }): the push is queued, then acknowledged; its copies are not queued again; the consumer handles it', async () => {
    const queue = memoryQueue();
    const handler = createHandler({ token: TOKEN, now: () => NOW * 1000, queue });
    const p = push('hello', '1001');
    const answers = [];
    for (let i = 0; i < 3; i++) {
      const res = await handler(p());
      answers.push(`${res.status}:${await res.text()}`);
    }
    c.assertEq(answers.join(), '200:success,200:success,200:success');
    c.assertEq(queue.size, 1);
    const got = [];
    const consumer = createConsumer({ queue, onMessage: (m, ctx) => { got.push([m.content, ctx.dedupKey, ctx.job.format, ctx.job.mode]); } });
    consumer.start();
    c.assertTrue(await until(() => queue.size === 0), 'handled');
    await consumer.stop();
    c.assertEq(JSON.stringify(got), JSON.stringify([['hello', `msg:gh_97417a04a28d:1001`, 'xml', 'plaintext']]));
  });

  await c.checkAsync('createHandler({ queue, passiveReply }): transfer answers at once and queues nothing; nothing queues it', async () => {
    const queue = memoryQueue();
    const handler = createHandler({
      token: TOKEN, now: () => NOW * 1000, queue,
      passiveReply: (m) => (m.content === 'human' ? 'transfer' : undefined),
    });
    const r1 = await handler(push('human', '2001')());
    const t1 = await r1.text();
    c.assertEq(r1.status, 200);
    c.assertTrue(t1.includes('transfer_customer_service'), `a transfer reply, got ${t1.slice(0, 80)}`);
    c.assertEq(queue.size, 0);
    const r2 = await handler(push('bot', '2002')());
    c.assertEq(`${r2.status}:${await r2.text()}`, '200:success');
    c.assertEq(queue.size, 1);
  });

  await c.checkAsync('createHandler({ queue }): a queue that fails or hangs — 500, reported (phase queue), the retry queued', async () => {
    const inner = memoryQueue();
    let mode = 'fail';
    const queue = {
      enqueue: (j) => (mode === 'fail' ? Promise.reject(new Error('down'))
        : mode === 'hang' ? new Promise(() => {}) : inner.enqueue(j)),
      consume: inner.consume, deadLetter: inner.deadLetter, deadLetters: inner.deadLetters,
    };
    const errors = [];
    const handler = createHandler({ token: TOKEN, now: () => NOW * 1000, queue, replyTimeoutMs: 50, onError: (e, info) => errors.push(`${info.phase}:${e.code}:${info.dedupKey}`) });
    const p = push('retry me', '3001');
    const a = await handler(p());
    c.assertEq(a.status, 500);
    mode = 'hang';
    const b = await handler(p());
    c.assertEq(b.status, 500);
    mode = 'ok';
    const d = await handler(p());
    c.assertEq(`${d.status}:${await d.text()}`, '200:success');
    c.assertEq(inner.size, 1);
    c.assertEq(errors.join(), 'queue:-44001:msg:gh_97417a04a28d:3001,queue:-44001:msg:gh_97417a04a28d:3001');
  });

  await c.checkAsync('createHandler: queue with onMessage is refused (-41006); passiveReply without queue too', async () => {
    const codeOf = (o) => { try { createHandler(o); } catch (e) { return `${e.code}:${e.field}`; } return 'none'; };
    c.assertEq(codeOf({ token: TOKEN, queue: memoryQueue(), onMessage() {} }), '-41006:onMessage');
    c.assertEq(codeOf({ token: TOKEN, onMessage() {}, passiveReply() {} }), '-41006:passiveReply');
    c.assertEq(codeOf({ token: TOKEN, queue: {} }), '-41006:queue');
  });

  return c.result();
}
