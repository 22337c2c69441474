// One instance of a deployment for the multi-instance tests (standard JS: runs in workerd and
// Deno). All instances share one Store; nothing the tests count lives in this instance's memory.
//
//   instanceApp(lib, { store, env }) -> (request, ctx?) => Promise<Response>
//     env: WECHAT_TOKEN, WECHAT_ENCODING_AES_KEY, WECHAT_APPID, WECHAT_APPSECRET, WECHAT_API_BASE
//
// Routes:
//   /wechat                 the push handler (createHandler with the store); onMessage feeds the
//                           SendWindow and counts the push in the store: key `handled:<msgId>`
//                           incremented by compare-and-set (a push handled twice reads "2")
//   GET  /health
//   POST /calls   {n}              n concurrent API calls (getKfList) -> { ok, errors: [code] }
//   POST /sends   {openid, n}      n concurrent sendText -> { sent, codes: [code] }
//   POST /handled {msgIds}         -> { counts: [string|null] } read from the store
export function instanceApp(lib, { store, env }) {
  const sendWindow = new lib.SendWindow({ store });
  const client = new lib.Client({
    appId: env.WECHAT_APPID, appSecret: env.WECHAT_APPSECRET, baseUrl: env.WECHAT_API_BASE, store, sendWindow,
  });
  const errors = [];
  const handler = lib.createHandler({
    token: env.WECHAT_TOKEN,
    encodingAESKey: env.WECHAT_ENCODING_AES_KEY,
    appId: env.WECHAT_APPID,
    store,
    replyTimeoutMs: 4000,
    onError: (error, { phase }) => errors.push(`${phase}: ${error?.code ?? ''} ${error?.message ?? error}`),
    async onMessage(message) {
      await sendWindow.observeMessage(message);
      if (message.msgId) await increment(store, `handled:${message.msgId}`);
    },
  });

  return async function app(request, ctx) {
    const { pathname } = new URL(request.url);
    if (pathname === '/wechat') return handler(request, ctx);
    if (pathname === '/health') return new Response('ok');
    if (request.method !== 'POST') return new Response('not found', { status: 404 });
    const body = await request.json();
    if (pathname === '/calls') {
      const results = await Promise.allSettled(Array.from({ length: body.n }, () => client.getKfList()));
      return Response.json({
        ok: results.filter((r) => r.status === 'fulfilled').length,
        errors: results.filter((r) => r.status === 'rejected').map((r) => r.reason?.code ?? String(r.reason)),
        handlerErrors: errors.splice(0),
      });
    }
    if (pathname === '/sends') {
      const results = await Promise.allSettled(Array.from({ length: body.n }, (_, i) =>
        client.sendText({ touser: body.openid, content: `send ${i}` })));
      return Response.json({
        sent: results.filter((r) => r.status === 'fulfilled').length,
        codes: results.filter((r) => r.status === 'rejected').map((r) => r.reason?.code ?? String(r.reason)),
      });
    }
    if (pathname === '/handled') {
      const counts = await Promise.all(body.msgIds.map((id) => store.get(`handled:${id}`)));
      return Response.json({ counts, handlerErrors: errors.splice(0) });
    }
    return new Response('not found', { status: 404 });
  };
}

/** Adds one to the number under key, atomically (compare-and-set, retried on a race). */
async function increment(store, key) {
  for (;;) {
    const current = await store.get(key);
    if (await store.compareAndSet(key, current, String(Number(current ?? 0) + 1), 3_600_000)) return;
  }
}
