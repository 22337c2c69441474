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
      await storeConformance((prefix) => durableObjectStore(env.STORE, { appId: 'wx-conformance', prefix }), check, { name: 'durable object' });
      // The same suite with keys spread over 4 objects by a name function.
      const shard = (key) => `shard-${[...key].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7) % 4}`;
      await storeConformance((prefix) => durableObjectStore(env.STORE, { name: shard, prefix }), check, { name: 'durable object, 4 shards' });
      await storeEngineChecks({
        label: 'durable object',
        makeStore: () => {
          const prefix = `eng-${run}-${n++}:`;
          return { prefix, store: durableObjectStore(env.STORE, { appId: 'wx-engine', prefix }) };
        },
        makeStoreOn: (prefix) => durableObjectStore(env.STORE, { prefix, name: 'wx-engine' }),
      }, check);
      check.check('durableObjectStore refuses a non-namespace (-41006)', () => {
        let error;
        try { durableObjectStore({}, { appId: 'wx1' }); } catch (e) { error = e; }
        check.assertTrue(error && error.code === -41006 && error.field === 'namespace', 'a -41006 error for namespace');
      });
      check.check('durableObjectStore without appId or name: -41006 (field appId) naming both', () => {
        for (const options of [undefined, {}, { prefix: 'x:' }]) {
          let error;
          try { durableObjectStore(env.STORE, options); } catch (e) { error = e; }
          check.assertTrue(error && error.code === -41006 && error.field === 'appId' && /appId/.test(error.message) && /name/.test(error.message),
            `a -41006 error naming appId and name for ${JSON.stringify(options)}, got ${error && error.message}`);
        }
        for (const appId of ['', 5]) {
          let error;
          try { durableObjectStore(env.STORE, { appId }); } catch (e) { error = e; }
          check.assertTrue(error && error.code === -41006 && error.field === 'appId', `appId ${JSON.stringify(appId)} refused`);
        }
      });
      await check.checkAsync('durableObjectStore: one object per appId; { appId } and { name: appId } are the same object', async () => {
        const prefix = `per-account-${run}:`;
        const a = durableObjectStore(env.STORE, { appId: 'wx-account-a', prefix });
        const b = durableObjectStore(env.STORE, { appId: 'wx-account-b', prefix });
        await a.set('k', 'A');
        check.assertEq(await b.get('k'), null);
        check.assertEq(await durableObjectStore(env.STORE, { name: 'wx-account-a', prefix }).get('k'), 'A');
        // name overrides appId's object
        check.assertEq(await durableObjectStore(env.STORE, { appId: 'wx-account-b', name: 'wx-account-a', prefix }).get('k'), 'A');
      });
      return Response.json({ ...check.result(), logs });
    } catch (e) {
      return Response.json({ passed: 0, failed: 1, failures: [`crashed: ${e?.stack ?? e}`], logs }, { status: 500 });
    }
  },
};
