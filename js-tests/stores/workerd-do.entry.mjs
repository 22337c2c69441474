// The worker of the Durable Object store test (workerd): exports the package's
// DurableObjectStore (bound as env.STORE) and, on GET /run, runs the conformance suite and the
// engine checks against durableObjectStore(env.STORE) — one object, and a sharded store.
import { DurableObjectStore, durableObjectStore } from 'wechat-kf/cloudflare';
import { storeConformance } from './conformance.js';
import { storeEngineChecks } from './engine-checks.js';
import { makeChecker } from './check.js';

export { DurableObjectStore };

let n = 0;

export default {
  async fetch(request, env) {
    const { pathname } = new URL(request.url);
    if (pathname === '/health') return new Response('ok');
    if (pathname !== '/run') return new Response('not found', { status: 404 });
    const logs = [];
    const check = makeChecker((s) => logs.push(String(s)));
    try {
      const run = `${Date.now()}-${Math.random().toString(36).slice(2)}`;
      await storeConformance((prefix) => durableObjectStore(env.STORE, { prefix }), check, { name: 'durable object' });
      // The same suite with keys spread over 4 objects by a name function.
      const shard = (key) => `shard-${[...key].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7) % 4}`;
      await storeConformance((prefix) => durableObjectStore(env.STORE, { name: shard, prefix }), check, { name: 'durable object, 4 shards' });
      await storeEngineChecks({
        label: 'durable object',
        makeStore: () => {
          const prefix = `eng-${run}-${n++}:`;
          return { prefix, store: durableObjectStore(env.STORE, { prefix }) };
        },
        makeStoreOn: (prefix) => durableObjectStore(env.STORE, { prefix, name: 'wechat-kf' }),
      }, check);
      check.check('durableObjectStore refuses a non-namespace (-41006)', () => {
        let error;
        try { durableObjectStore({}); } catch (e) { error = e; }
        check.assertTrue(error && error.code === -41006, 'a -41006 error');
      });
      return Response.json({ ...check.result(), logs });
    } catch (e) {
      return Response.json({ passed: 0, failed: 1, failures: [`crashed: ${e?.stack ?? e}`], logs }, { status: 500 });
    }
  },
};
