// One Deno consumer process of js-tests/queue/run-engines.mjs: createConsumer on denoKvQueue
// (one local KV file shared with the handler instances and the other consumers; --unstable-kv),
// its onMessage idempotent by the push's dedup key, every step printed as a line.
// env: WECHAT_KF_PKG, KV_PATH, NAME, VISIBILITY_MS, RETRY_MS, MAX_ATTEMPTS, POLL_MS, WORK_MS
// (each onMessage's work, default 20 ms).
// What onMessage does depends on the push's content:
//   'slow …'   the first attempt works for 10 minutes (it is killed meanwhile); later ones at once;
//   'flaky …'  attempts 1 and 2 throw, the third succeeds;
//   'doomed …' every attempt throws;
//   else       WORK_MS of work.
// Per delivery, in the KV file: ['test', 'runs', dedupKey] + 1 (every onMessage run), then after
// the work ['test', 'effect', dedupKey] = NAME only if absent — the push's one effect: whoever
// runs it first does it; a run again (after a kill) finds it done.
// Lines: READY, START <name> <dedupKey> <attempt> <ms> <tag>, DONE <name> <dedupKey> <attempt>
// <effect|again> <ms> <tag> (tag: the content's first word), ERROR <phase> <code> <dedupKey> <attempt>. SIGTERM: stop(), then exit.
const env = Deno.env.toObject();
const pkg = env.WECHAT_KF_PKG;
const lib = await import(`file://${pkg}/loaders/node.js`);
const { denoKvQueue } = await import(`file://${pkg}/stores/deno-kv.js`);

const kv = await Deno.openKv(env.KV_PATH);
const name = env.NAME ?? `consumer-${Deno.pid}`;
const say = (line) => console.log(line);
const queue = denoKvQueue(kv, { prefix: 'q', pollMs: Number(env.POLL_MS ?? 1000) });
const consumer = lib.createConsumer({
  queue,
  concurrency: 2,
  visibilityMs: Number(env.VISIBILITY_MS ?? 60_000),
  retryDelayMs: env.RETRY_MS === undefined ? undefined : Number(env.RETRY_MS),
  maxAttempts: Number(env.MAX_ATTEMPTS ?? 5),
  onError: (e, info) => say(`ERROR ${info.phase} ${e?.code} ${info.dedupKey ?? '-'} ${info.attempt ?? '-'}`),
  async onMessage(message, { dedupKey, attempt }) {
    const content = String(message.content ?? '');
    const tag = content.split(' ')[0] || '-';
    say(`START ${name} ${dedupKey} ${attempt} ${Date.now()} ${tag}`);
    await kv.atomic().sum(['test', 'runs', dedupKey], 1n).commit();
    if (content.startsWith('slow') && attempt === 1) await new Promise((r) => setTimeout(r, 600_000));
    if (content.startsWith('flaky') && attempt <= 2) throw new Error(`flaky attempt ${attempt}`);
    if (content.startsWith('doomed')) throw new Error(`doomed attempt ${attempt}`);
    await new Promise((r) => setTimeout(r, Number(env.WORK_MS ?? 20)));
    const first = (await kv.atomic().check({ key: ['test', 'effect', dedupKey], versionstamp: null })
      .set(['test', 'effect', dedupKey], name).commit()).ok;
    say(`DONE ${name} ${dedupKey} ${attempt} ${first ? 'effect' : 'again'} ${Date.now()} ${tag}`);
  },
});
consumer.start();
say('READY');
Deno.addSignalListener('SIGTERM', async () => {
  await consumer.stop();
  kv.close();
  Deno.exit(0);
});
