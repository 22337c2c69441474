// Prints, as one JSON line, what the Deno KV queue test left in the KV file: the effects and
// runs per dedup key, the queue's dead letters and stats. env: WECHAT_KF_PKG, KV_PATH.
const env = Deno.env.toObject();
const { denoKvQueue } = await import(`file://${env.WECHAT_KF_PKG}/stores/deno-kv.js`);
const kv = await Deno.openKv(env.KV_PATH);
const effects = {};
const runs = {};
for await (const e of kv.list({ prefix: ['test', 'effect'] })) effects[e.key[2]] = e.value;
for await (const e of kv.list({ prefix: ['test', 'runs'] })) runs[e.key[2]] = Number(e.value.value ?? e.value);
const queue = denoKvQueue(kv, { prefix: 'q' });
const dead = await queue.deadLetters();
const stats = await queue.stats();
console.log(JSON.stringify({ effects, runs, dead, stats }));
kv.close();
