// The worker of the Workers queue test (js-tests/queue/run-engines.mjs), bundled the way wrangler
// bundles it and run by workerd: the package's DurableObjectStore (the handler's claims and the
// test's ledger) and a DurableObjectQueue subclass, TestQueue, whose consumer(queue, env) is
// createConsumer with an onMessage that prints its steps and records its effect once by the
// push's dedup key. What onMessage does depends on the push's content:
//   'slow …'   the first attempt works for 10 minutes (workerd is killed meanwhile); later ones at once;
//   'flaky …'  attempts 1 and 2 throw, the third succeeds;
//   'doomed …' every attempt throws;
//   'big …'    prints the content's length (a job over 64 KiB);
//   else       a little work.
// Lines (console.log, on workerd's stdout): START <run> <dedupKey> <attempt> <ms> <tag> [<length>],
// DONE <run> <dedupKey> <attempt> <effect|again> <ms> <tag>, ERROR <phase> <code> <dedupKey> <attempt>.
// Bindings: STORE (DurableObjectStore), QUEUE (TestQueue), RUN (which start of workerd this is),
// WX_TOKEN, WX_KEY, WX_APPID, VISIBILITY_MS.
//   POST /wx                      the handler in queue mode (durableObjectQueue(env.QUEUE, { appId }))
//   GET /__test/ledger?keys=a,b   { [key]: { effect, runs } }
//   GET /__test/queue?name=n      { stats, dead } of the object n (default: the account's)
//   POST /__test/enqueue?name=n   a job (the body) written through durableObjectQueue
//   GET /__test/checks            the Durable Object queue's API checks (durableObjectQueue)
//   GET /__test/errors            what the handler reported
import { createConsumer, createHandler } from 'wechat-kf';
import { DurableObjectQueue, DurableObjectStore, durableObjectQueue, durableObjectStore } from 'wechat-kf/cloudflare';
import { checkList, codeOf } from './checks.js';

export { DurableObjectStore };

export class TestQueue extends DurableObjectQueue {
  consumer(queue, env) {
    const ledger = durableObjectStore(env.STORE, { name: 'ledger' });
    const run = `W${env.RUN}`;
    return createConsumer({
      queue,
      concurrency: 2,
      visibilityMs: Number(env.VISIBILITY_MS),
      retryDelayMs: 100,
      maxAttempts: 3,
      onError: (e, info) => console.log(`ERROR ${info.phase} ${e?.code} ${info.dedupKey ?? '-'} ${info.attempt ?? '-'}`),
      async onMessage(message, { dedupKey, attempt }) {
        const content = String(message.content ?? '');
        const tag = content.split(' ')[0] || '-';
        console.log(`START ${run} ${dedupKey} ${attempt} ${Date.now()} ${tag}${tag === 'big' ? ` ${content.length}` : ''}`);
        await ledger.set(`run:${dedupKey}:${attempt}`, '1');
        if (tag === 'slow' && attempt === 1) await new Promise((r) => setTimeout(r, 600_000));
        if (tag === 'flaky' && attempt <= 2) throw new Error(`flaky attempt ${attempt}`);
        if (tag === 'doomed') throw new Error(`doomed attempt ${attempt}`);
        await new Promise((r) => setTimeout(r, 20));
        const first = await ledger.setIfAbsent(`effect:${dedupKey}`, run, 3600_000);
        console.log(`DONE ${run} ${dedupKey} ${attempt} ${first ? 'effect' : 'again'} ${Date.now()} ${tag}`);
      },
    });
  }
}

let handler;
const errors = [];

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    const appId = env.WX_APPID;
    handler ??= createHandler({
      token: env.WX_TOKEN, encodingAESKey: env.WX_KEY, appId,
      store: durableObjectStore(env.STORE, { appId }),
      queue: durableObjectQueue(env.QUEUE, { appId }),
      onError: (e, info) => errors.push(`${info.phase}:${e?.code}`),
    });
    switch (url.pathname) {
      case '/health':
        return new Response('ok');
      case '/wx':
        return handler(request);
      case '/__test/errors':
        return Response.json({ errors });
      case '/__test/ledger': {
        const ledger = durableObjectStore(env.STORE, { name: 'ledger' });
        const out = {};
        for (const key of (url.searchParams.get('keys') ?? '').split(',').filter(Boolean)) {
          let runs = 0;
          for (let a = 1; a <= 5; a++) if (await ledger.get(`run:${key}:${a}`)) runs++;
          out[key] = { effect: await ledger.get(`effect:${key}`), runs };
        }
        return Response.json(out);
      }
      case '/__test/queue': {
        const queue = durableObjectQueue(env.QUEUE, { name: url.searchParams.get('name') ?? appId });
        return Response.json({ stats: await queue.stats(), dead: await queue.deadLetters() });
      }
      case '/__test/enqueue': {
        const queue = durableObjectQueue(env.QUEUE, { name: url.searchParams.get('name') ?? appId });
        await queue.enqueue(await request.json());
        return Response.json({ ok: true });
      }
      case '/__test/checks':
        return Response.json(await checks(env));
      default:
        return new Response('not found', { status: 404 });
    }
  },
};

/** The API of durableObjectQueue and of the object's protocol: [name, ok, detail] per check. */
async function checks(env) {
  const { out, check } = checkList();
  const name = `checks-${Date.now()}`;
  const queue = durableObjectQueue(env.QUEUE, { name });
  const job = (id, content) => ({ id, message: { msgType: 'text', fromUserName: 'o_check', toUserName: 'gh_check', createTime: 1, content }, format: 'xml', mode: 'aes', receivedAt: Date.now() });
  await check('durableObjectQueue refuses a non-namespace, no appId/name, a misspelled option (-41006)', async () => {
    const codes = [await codeOf(() => durableObjectQueue({}, { appId: 'x' })), await codeOf(() => durableObjectQueue(env.QUEUE, {})),
      await codeOf(() => durableObjectQueue(env.QUEUE, { appid: 'x' })), await codeOf(() => durableObjectQueue(env.QUEUE, { appId: '' }))];
    return codes.join() === '-41006:namespace,-41006:appId,-41006:appid,-41006:appId' || codes.join();
  });
  await check('consume() through the namespace rejects -41006 (the object runs the consumer)', async () =>
    (await codeOf(() => queue.consume(async () => {}, {}))) === '-41006:queue' || 'wrong');
  await check('enqueue refuses a job without id or message', async () => {
    const a = await codeOf(() => queue.enqueue({ message: {} }));
    const b = await codeOf(() => queue.enqueue({ id: 'x' }));
    return a.startsWith('-4') && b.startsWith('-4') && a !== 'no error' || `${a} ${b}`;
  });
  await check('deadLetter: true when kept, false for the same id again; deadLetters newest last, limit', async () => {
    const r1 = await queue.deadLetter(job('d1', 'one'), { attempts: 3, error: 'e1' });
    const r2 = await queue.deadLetter(job('d1', 'one again'), { attempts: 4, error: 'e2' });
    await new Promise((r) => setTimeout(r, 2));
    await queue.deadLetter(job('d2', 'two'), { attempts: 5, error: 'e3' });
    const all = await queue.deadLetters();
    const last = await queue.deadLetters(1);
    const ok = r1 === true && r2 === false && all.map((d) => `${d.job.id}:${d.attempts}:${d.error}:${d.job.message.content}`).join() === 'd1:3:e1:one,d2:5:e3:two'
      && last.length === 1 && last[0].job.id === 'd2' && typeof last[0].at === 'number';
    return ok || JSON.stringify({ r1, r2, all, last });
  });
  await check('stats counts the dead letters', async () => {
    const s = await queue.stats();
    return s.dead === 2 || JSON.stringify(s);
  });
  await check('a dead letter over 64 KiB (UTF-8) is kept whole', async () => {
    const content = '大'.repeat(80_000);
    await queue.deadLetter(job('d-big', content), { attempts: 1, error: 'big' });
    const [d] = await queue.deadLetters(1);
    return (d.job.id === 'd-big' && d.job.message.content === content) || `${d.job.id} ${d.job.message.content.length}`;
  });
  return out;
}
