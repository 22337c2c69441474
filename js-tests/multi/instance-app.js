// One instance of a deployment for the multi-instance runs in workerd and Deno (standard JS),
// serving the endpoints js-tests/multi/driver.mjs documents. All instances share one Store.
//
//   instanceApp(lib, { store, env }) -> (request, ctx?) => Promise<Response>
//     env: WECHAT_KF_TOKEN, WECHAT_KF_AES_KEY, WECHAT_KF_APP_ID, WECHAT_KF_APP_SECRET, WECHAT_KF_API_BASE
//
// Besides the driver's endpoints: onMessage counts each push IN THE STORE under
// `handled:<dedupKey>` (a compare-and-set increment: a push handled twice reads "2"), and
//   POST /__test/handled-in-store {keys}  -> { counts: [string|null] }
// reads those counts, so that "handled exactly once" is measured across isolates and
// processes, not in one instance's memory.
export function instanceApp(lib, { store, env }) {
  const appId = env.WECHAT_KF_APP_ID;
  const handled = [];
  const errors = [];
  const onError = (e, info) => errors.push(`${info?.phase}:${e?.code}`);
  const sendWindow = new lib.SendWindow({ store, appId });
  const client = new lib.Client({ appId, appSecret: env.WECHAT_KF_APP_SECRET, baseUrl: env.WECHAT_KF_API_BASE, store, sendWindow, onError });
  const handler = lib.createHandler({
    token: env.WECHAT_KF_TOKEN,
    encodingAESKey: env.WECHAT_KF_AES_KEY,
    appId,
    store,
    onError,
    async onMessage(message, push) {
      handled.push(push.dedupKey);
      await increment(store, `handled:${push.dedupKey}`);
    },
  });
  const codeOf = (r) => (r.status === 'rejected' ? r.reason?.code ?? String(r.reason) : 0);

  return async function app(request, ctx) {
    const { pathname } = new URL(request.url);
    if (pathname === '/wx') return handler(request, ctx);
    if (pathname === '/health') return new Response('ok');
    if (pathname === '/__test/handled') return Response.json({ handled, errors });
    if (request.method !== 'POST') return new Response('not found', { status: 404 });
    const body = await request.json();
    if (pathname === '/__test/calls') {
      const rs = await Promise.allSettled(Array.from({ length: body.n }, () => client.getKfList()));
      return Response.json({ ok: rs.filter((r) => r.status === 'fulfilled').length, failed: rs.filter((r) => r.status === 'rejected').length, codes: rs.map(codeOf).filter(Boolean) });
    }
    if (pathname === '/__test/sends') {
      const rs = await Promise.allSettled(Array.from({ length: body.n }, (_, i) => client.sendText({ touser: body.openid, content: `m${i}` })));
      return Response.json({ sent: rs.filter((r) => r.status === 'fulfilled').length, refused: rs.map(codeOf).filter(Boolean) });
    }
    if (pathname === '/__test/observe') {
      await sendWindow.observe(body.openid, 'message');
      return Response.json({ ok: true });
    }
    if (pathname === '/__test/handled-in-store') {
      return Response.json({ counts: await Promise.all(body.keys.map((k) => store.get(`handled:${k}`))) });
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
