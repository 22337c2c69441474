// One Deno handler instance of js-tests/queue/run-engines.mjs: Deno.serve + createHandler in
// queue mode on one local Deno KV file (denoKvStore claims, denoKvQueue), on /wx; no onMessage
// here (the consumers, js-tests/queue/deno-consumer.mjs, run it). Run with --unstable-kv.
// env: WECHAT_KF_PKG (the built package's dir), KV_PATH, WX_TOKEN, WX_KEY, WX_APPID.
// GET /__test/errors -> { errors: ['phase:code'] }. Prints `READY <port>`.
const env = Deno.env.toObject();
const pkg = env.WECHAT_KF_PKG;
const lib = await import(`file://${pkg}/loaders/node.js`);
const { denoKvStore, denoKvQueue } = await import(`file://${pkg}/stores/deno-kv.js`);

const kv = await Deno.openKv(env.KV_PATH);
const errors = [];
const handler = lib.createHandler({
  token: env.WX_TOKEN, encodingAESKey: env.WX_KEY, appId: env.WX_APPID,
  store: denoKvStore(kv, { prefix: 'claims:' }),
  queue: denoKvQueue(kv, { prefix: 'q' }),
  onError: (e, info) => errors.push(`${info.phase}:${e?.code}`),
});
const server = Deno.serve({ hostname: '127.0.0.1', port: 0, onListen: ({ port }) => console.log(`READY ${port}`) }, (request) => {
  const path = new URL(request.url).pathname;
  if (path === '/wx') return handler(request);
  if (path === '/__test/errors') return Response.json({ errors });
  return new Response('not found', { status: 404 });
});
Deno.addSignalListener('SIGTERM', async () => {
  await server.shutdown();
  kv.close();
  Deno.exit(0);
});
