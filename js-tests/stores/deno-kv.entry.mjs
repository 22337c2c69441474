// The Deno KV store test: opens a KV file (the path is the first argument; run with
// --unstable-kv), runs the conformance suite and the engine checks against denoKvStore, and
// prints the result line. A second Deno.openKv handle on the same file stands in for a second
// instance in the engine checks.
import { denoKvStore } from 'wechat-kf/deno-kv';
import { storeConformance } from './conformance.js';
import { storeEngineChecks } from './engine-checks.js';
import { makeChecker } from './check.js';

const path = Deno.args[0];
const kv = await Deno.openKv(path);
const kv2 = await Deno.openKv(path);
const logs = [];
const check = makeChecker((s) => logs.push(String(s)));
const run = `${Date.now()}`;
let n = 0;
try {
  await storeConformance((prefix) => denoKvStore(kv, { prefix }), check, {
    name: 'deno kv',
    rawGet: async (full) => (await kv.get([full])).value?.v ?? null,
  });
  // Every other store handle on a second Deno.openKv of the same file.
  let k = 0;
  await storeConformance((prefix) => denoKvStore(k++ % 2 ? kv2 : kv, { prefix }), check, { name: 'deno kv, two handles' });
  await storeEngineChecks({
    label: 'deno kv',
    makeStore: () => {
      const prefix = `eng-${run}-${n++}:`;
      return { prefix, store: denoKvStore(kv, { prefix }) };
    },
    makeStoreOn: (prefix) => denoKvStore(kv2, { prefix }),
  }, check);
  check.check('denoKvStore refuses a non-Kv (-41006)', () => {
    let error;
    try { denoKvStore({}); } catch (e) { error = e; }
    check.assertTrue(error && error.code === -41006, 'a -41006 error');
  });
} catch (e) {
  check.check('the suite ran', () => { throw e; });
}
kv.close();
kv2.close();
console.log('@@WECHAT_KF_RESULT@@' + JSON.stringify({ ...check.result(), logs }));
