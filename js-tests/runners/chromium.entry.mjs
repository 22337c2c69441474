// Runs in the page: the browser entry needs `await init()` (it fetches the .wasm).
import * as lib from 'wechat-kf';
import { runSuite } from './suite.js';

const logs = [];
window.__suiteResult = (async () => {
  const vectors = await (await fetch('./vectors.json')).json();
  await lib.init();
  const result = await runSuite(lib, { vectors, log: (s) => logs.push(String(s)) });
  return { ...result, logs, entry: import.meta.resolve('wechat-kf') };
})().catch((e) => ({ error: String((e && e.stack) || e), logs }));
