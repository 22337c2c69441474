// The one JS suite: js-tests/run-all.mjs runs it unchanged against the packed tarball in Node
// ESM, Node CJS, Deno, Bun, workerd and Chromium. Standard JS only.
import { runCryptoSuite } from './suite-crypto.js';
import { runInboundSuite } from './suite-inbound.js';
import { runOutboundSuite } from './suite-outbound.js';
import { runStoreSuite } from './suite-stores.js';
import { runStructuredSuite } from './suite-structured.js';
import { runCloudSuite } from './suite-cloud.js';
import { runTypesSuite } from './suite-types.js';
import { runQueueSuite } from './suite-queue.js';

const parts = [runCryptoSuite, runInboundSuite, runOutboundSuite, runStructuredSuite, runStoreSuite, runCloudSuite, runTypesSuite, runQueueSuite];

export async function runSuite(lib, { vectors, log = () => {} }) {
  if (typeof lib.init === 'function') await lib.init();
  const total = { passed: 0, failed: 0, failures: [] };
  for (const part of parts) {
    let r;
    try {
      r = await part(lib, { vectors, log });
    } catch (error) {
      r = { passed: 0, failed: 1, failures: [`${part.name} crashed: ${error && error.stack || error}`] };
    }
    total.passed += r.passed;
    total.failed += r.failed;
    total.failures.push(...r.failures);
  }
  return total;
}
