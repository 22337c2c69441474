// denoKvQueue's contract in one Deno process (js-tests/queue/run-engines.mjs runs it on a fresh
// local KV file, --unstable-kv): queue.consume() driven directly (no createConsumer), so that
// each rule of queue.d.ts is seen on its own. Prints one JSON line: [[name, ok, detail], …].
// env: WECHAT_KF_PKG, KV_PATH. Every wait is a bounded loop; nothing asserts on time.
import { checkList, codeOf } from './checks.js';

const env = Deno.env.toObject();
const { denoKvQueue } = await import(`file://${env.WECHAT_KF_PKG}/stores/deno-kv.js`);
const kv = await Deno.openKv(env.KV_PATH);
const kv2 = await Deno.openKv(env.KV_PATH); // a second handle: another instance in this process

const { out, check } = checkList();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function until(pred, tries = 1000, ms = 20) {
  for (let i = 0; i < tries; i++) {
    if (await pred()) return true;
    await sleep(ms);
  }
  return !!(await pred());
}
const job = (id, content) => ({ id, message: { msgType: 'text', fromUserName: 'o_check', toUserName: 'gh_check', createTime: 1, content }, format: 'xml', mode: 'aes', receivedAt: 1 });
let n = 0;
const fresh = (options = {}, handle = kv) => denoKvQueue(handle, { prefix: `checks-${Date.now()}-${n++}`, pollMs: 100, ...options });

/** consume() on queue with handle; stop() aborts and resolves when consume() did. */
function consuming(queue, handle, options = {}) {
  const controller = new AbortController();
  const errors = [];
  const done = queue.consume(handle, {
    concurrency: 1, visibilityMs: 60_000, retryDelayMs: () => 10, signal: controller.signal, onError: (e) => errors.push(e), ...options,
  });
  return { errors, done, stop: async () => { controller.abort(); await done; } };
}

await check('option errors: not a Kv, a bad pollMs, a misspelled option, an empty prefix (-41006)', async () => {
  const codes = [await codeOf(() => denoKvQueue({})), await codeOf(() => denoKvQueue(kv, { pollMs: 0 })),
    await codeOf(() => denoKvQueue(kv, { pollms: 5 })), await codeOf(() => denoKvQueue(kv, { prefix: '' }))];
  return codes.join() === '-41006:kv,-41006:pollMs,-41006:pollms,-41006:prefix' || codes.join();
});

await check('enqueue refuses a job without id or message', async () => {
  const q = fresh();
  const codes = [];
  for (const bad of [{ message: {} }, { id: 'x' }, null]) {
    try { await q.enqueue(bad); codes.push('no error'); } catch (e) { codes.push(String(e.code)); }
  }
  return codes.every((c) => c.startsWith('-4')) || codes.join();
});

await check('each job handled once, with its job as enqueued; an id enqueued twice is one job; stats', async () => {
  const q = fresh();
  await q.enqueue(job('a', 'one'));
  await q.enqueue(job('a', 'one again'));
  await q.enqueue(job('b', 'two'));
  const s1 = await q.stats();
  const seen = [];
  const c = consuming(q, async (d) => { seen.push(`${d.job.id}:${d.attempt}:${d.job.message.content}`); }, { concurrency: 2 });
  await until(async () => seen.length >= 2 && (await q.stats()).queued === 0);
  await q.enqueue(job('a', 'one, once more')); // settled within dedupMs: remembered
  await sleep(300);
  await c.stop();
  const s2 = await q.stats();
  return (s1.queued === 2 && seen.sort().join() === 'a:1:one,b:1:two' && s2.queued === 0 && c.errors.length === 0)
    || JSON.stringify({ s1, seen, s2, errors: c.errors.map(String) });
});

await check('a job enqueued on another handle (another instance) while consuming is handled', async () => {
  const q = fresh();
  const other = denoKvQueue(kv2, { prefix: q.prefix });
  const seen = [];
  const c = consuming(q, async (d) => { seen.push(d.job.id); });
  await other.enqueue(job('x', 'from the other handle'));
  const ok = await until(() => seen.length === 1);
  await c.stop();
  return (ok && seen.join() === 'x') || seen.join();
});

await check('a handle that rejects: delivered again after retryDelayMs with attempt + 1', async () => {
  const q = fresh();
  const attempts = [];
  const delays = [];
  const c = consuming(q, async (d) => { attempts.push(d.attempt); if (d.attempt < 3) throw new Error('no'); }, { retryDelayMs: (a) => { delays.push(a); return 20; } });
  await q.enqueue(job('r', 'retry me'));
  await until(async () => attempts.length >= 3 && (await q.stats()).queued === 0);
  await sleep(200);
  await c.stop();
  return (attempts.join() === '1,2,3' && delays.join() === '1,2') || JSON.stringify({ attempts, delays });
});

await check('a delivery not settled within visibilityMs is handed out again (attempt 2); its late settlement changes nothing', async () => {
  const q = fresh();
  const seen = [];
  let release;
  const first = new Promise((r) => { release = r; });
  const c = consuming(q, async (d) => {
    seen.push(d.attempt);
    if (d.attempt === 1) await first; // hangs past visibilityMs
  }, { concurrency: 2, visibilityMs: 300 });
  await q.enqueue(job('v', 'hang once'));
  const ok = await until(() => seen.length >= 2);
  release();
  await sleep(300);
  const stats = await q.stats();
  await c.stop();
  return (ok && seen.join() === '1,2' && stats.queued === 0) || JSON.stringify({ seen, stats });
});

await check('concurrency: never more in hand than asked; stop() waits for those in hand', async () => {
  const q = fresh();
  let inHand = 0;
  let most = 0;
  let handled = 0;
  const c = consuming(q, async () => {
    inHand++; most = Math.max(most, inHand);
    await sleep(30);
    inHand--; handled++;
  }, { concurrency: 3 });
  for (let i = 0; i < 12; i++) await q.enqueue(job(`c${i}`, `job ${i}`));
  await until(() => handled >= 4);
  await c.stop();
  const afterStop = inHand;
  const handledAtStop = handled;
  await sleep(300);
  return (most <= 3 && most >= 2 && afterStop === 0 && handled === handledAtStop) || JSON.stringify({ most, afterStop, handled, handledAtStop });
});

await check('after stop(), the jobs left are handled by the next consume()', async () => {
  const q = fresh();
  const seen = [];
  for (let i = 0; i < 3; i++) await q.enqueue(job(`s${i}`, 'later'));
  const c = consuming(q, async (d) => { seen.push(d.job.id); }, { concurrency: 3 });
  await until(() => seen.length === 3);
  await c.stop();
  return seen.length === 3 || seen.join();
});

await check('a job over 64 KiB (UTF-8) round-trips whole', async () => {
  const q = fresh();
  const content = `大${'字'.repeat(90_000)}`;
  let got;
  await q.enqueue(job('big', content));
  const c = consuming(q, async (d) => { got = d.job.message.content; });
  await until(() => got !== undefined);
  await c.stop();
  const left = [];
  for await (const e of kv.list({ prefix: [q.prefix, 'part'] })) left.push(e.key);
  return (got === content && left.length === 0) || `${got?.length} ${left.length} parts left`;
});

await check('deadLetter: true when kept, false for the same id again; deadLetters newest last, limit; stats', async () => {
  const q = fresh();
  const r1 = await q.deadLetter(job('d1', 'one'), { attempts: 3, error: 'e1' });
  const r2 = await q.deadLetter(job('d1', 'one again'), { attempts: 4, error: 'e2' });
  await sleep(2);
  await q.deadLetter(job('d2', '二'.repeat(40_000)), { attempts: 5, error: 'e3' });
  const all = await q.deadLetters();
  const last = await q.deadLetters(1);
  const stats = await q.stats();
  return (r1 === true && r2 === false && all.map((d) => `${d.job.id}:${d.attempts}:${d.error}`).join() === 'd1:3:e1,d2:5:e3'
    && all[1].job.message.content.length === 40_000 && last.length === 1 && last[0].job.id === 'd2' && typeof last[0].at === 'number'
    && stats.dead === 2) || JSON.stringify({ r1, r2, all: all.map((d) => d.job.id), last: last.map((d) => d.job.id), stats });
});

await check('maxDeadLetters: the oldest dropped past it', async () => {
  const q = fresh({ maxDeadLetters: 3 });
  for (let i = 0; i < 5; i++) {
    await q.deadLetter(job(`m${i}`, `dead ${i}`), { attempts: 1, error: 'x' });
    await sleep(2);
  }
  const all = await q.deadLetters();
  const stats = await q.stats();
  const again = await q.deadLetter(job('m0', 'dead 0 again'), { attempts: 1, error: 'x' }); // its id forgotten with it
  return (all.map((d) => d.job.id).join() === 'm2,m3,m4' && stats.dead === 3 && again === true) || JSON.stringify({ all: all.map((d) => d.job.id), stats, again });
});

await check('a listener of the user\'s own on the same database that takes the wake-ups: nothing lost (the sweep)', async () => {
  const q = fresh();
  const taken = [];
  kv2.listenQueue((m) => { taken.push(m); }); // takes whatever comes to it, ours included
  const seen = [];
  const c = consuming(q, async (d) => { seen.push(d.job.id); }, { concurrency: 4 });
  for (let i = 0; i < 8; i++) await q.enqueue(job(`u${i}`, 'wake'));
  // And a message of the user's own: the queue's listener throws it back, so that it reaches theirs.
  await kv.enqueue({ mine: 'the user\'s own' });
  const ok = await until(async () => seen.length === 8 && (await q.stats()).queued === 0 && taken.some((m) => m?.mine));
  await c.stop();
  return (ok && new Set(seen).size === 8) || JSON.stringify({ seen, taken: taken.length, theirs: taken.some((m) => m?.mine) });
});

console.log(JSON.stringify(out));
kv.close();
kv2.close();
Deno.exit(0);
